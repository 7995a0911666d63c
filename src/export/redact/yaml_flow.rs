//! Rule 3 in YAML's flow style: an environment written inline in a template (SAM's and
//! CloudFormation's `Environment: {Variables: {DB_URL: x}}`, `Variables: {DB_URL: x, MODE: y}`,
//! a map of variable names `Environment: {API_URL: x}`). Every value of the variables' map is
//! replaced whatever the name, the names kept, as [`super::yaml_environment`] does for the block
//! style. A reference (`!Ref`, `!GetAtt`, `!Sub`, `!ImportValue`, `{{resolve:…}}`, quoted or not)
//! names where a value comes from and is kept; a nested mapping or list as a variable's value is
//! not a variable's and is left to the other rules.
//!
//! Pure: no I/O.

use super::environment::is_variable_name;
use super::{normalises_to, REDACTED};

/// References that name where a value comes from: kept.
const REFERENCES: &[&str] = &["!Ref ", "!GetAtt ", "!ImportValue ", "!Sub ", "{{resolve:"];

/// One `key: value` of a flow mapping: the key's text and the value's byte range in the string.
struct Pair<'a> {
    key: &'a str,
    value: (usize, usize),
}

/// The secrets of the flow mapping at `open` (its `{`) under an environment key, added to
/// `spans`: the values of its `Variables` mapping, or its own values when all its keys are
/// variable names.
pub(super) fn environment(s: &str, open: usize, spans: &mut Vec<(usize, usize)>) {
    let Some(pairs) = pairs(s, open) else { return };
    let variables: Vec<&Pair<'_>> = pairs
        .iter()
        .filter(|p| normalises_to(p.key, "variables"))
        .collect();
    if !variables.is_empty() {
        for p in variables {
            if s.as_bytes().get(p.value.0) == Some(&b'{') {
                self::variables(s, p.value.0, spans);
            }
        }
    } else if !pairs.is_empty() && pairs.iter().all(|p| is_variable_name(p.key)) {
        spans.extend(pairs.iter().filter_map(|p| secret(s, p.value)));
    }
}

/// The secrets of the flow mapping at `open` that maps variables to values (`Variables: {…}`),
/// added to `spans`: every value.
pub(super) fn variables(s: &str, open: usize, spans: &mut Vec<(usize, usize)>) {
    if let Some(pairs) = pairs(s, open) {
        spans.extend(pairs.iter().filter_map(|p| secret(s, p.value)));
    }
}

/// The part of a variable's value at `from..to` to replace: inside its quotes, or the bare
/// text; `None` for a reference, a nested mapping or list, or nothing.
fn secret(s: &str, (from, to): (usize, usize)) -> Option<(usize, usize)> {
    let v = &s[from..to];
    let bare = v.trim_start_matches(['"', '\'']);
    if v.is_empty()
        || v.starts_with(['{', '[', '&', '*'])
        || v.starts_with(REDACTED)
        || REFERENCES.iter().any(|r| bare.starts_with(r))
    {
        return None;
    }
    match v.as_bytes()[0] {
        q @ (b'"' | b'\'') => {
            let close = memchr::memchr(q, &v.as_bytes()[1..]).map_or(v.len(), |p| p + 1);
            let inner = (from + 1, from + close);
            let text = &s[inner.0..inner.1];
            (!text.is_empty() && text != REDACTED).then_some(inner)
        }
        _ => Some((from, to)),
    }
}

/// The pairs of the flow mapping whose `{` is at `open`, in order; `None` when it is not closed
/// (not a flow mapping).
fn pairs(s: &str, open: usize) -> Option<Vec<Pair<'_>>> {
    let b = s.as_bytes();
    if b.get(open) != Some(&b'{') {
        return None;
    }
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut item = open + 1;
    let mut colon: Option<usize> = None;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    out.extend(pair(s, item, colon, i));
                    return Some(out);
                }
            }
            b',' if depth == 1 => {
                out.extend(pair(s, item, colon, i));
                item = i + 1;
                colon = None;
            }
            // A key's colon is followed by a space or a flow indicator (`a:b` is one scalar).
            b':' if depth == 1
                && colon.is_none()
                && b.get(i + 1).is_none_or(|n| b" \t{[\"'".contains(n)) =>
            {
                colon = Some(i);
            }
            q @ (b'"' | b'\'') if depth >= 1 => {
                let close = memchr::memchr(q, &b[i + 1..])?;
                i += close + 2;
                continue;
            }
            b'\n' | b'\r' if depth == 0 => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The pair of the item `from..to` whose key ends at `colon`.
fn pair(s: &str, from: usize, colon: Option<usize>, to: usize) -> Option<Pair<'_>> {
    let colon = colon?;
    let key = s[from..colon].trim().trim_matches(['"', '\'']);
    let raw = &s[colon + 1..to];
    let value = raw.trim_start();
    let start = colon + 1 + (raw.len() - value.len());
    Some(Pair {
        key,
        value: (start, start + value.trim_end().len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::redact::replaced_merged;

    fn scrubbed(s: &str, env: bool) -> String {
        let open = s.find('{').unwrap();
        let mut spans = Vec::new();
        if env {
            environment(s, open, &mut spans);
        } else {
            variables(s, open, &mut spans);
        }
        replaced_merged(s, spans).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn every_value_of_an_inline_environment_is_replaced_names_and_references_kept() {
        assert_eq!(
            scrubbed(
                "{Variables: {DB_URL: postgres://h/x, MODE: 'a, b', T: !Ref Table}}",
                true
            ),
            "{Variables: {DB_URL: [REDACTED], MODE: '[REDACTED]', T: !Ref Table}}"
        );
        assert_eq!(
            scrubbed("{API_URL: \"u\", S: '{{resolve:secretsmanager:db}}'}", true),
            "{API_URL: \"[REDACTED]\", S: '{{resolve:secretsmanager:db}}'}"
        );
        assert_eq!(
            scrubbed("{ DB_URL: x , \"K2\": y:z }", false),
            "{ DB_URL: [REDACTED] , \"K2\": [REDACTED] }"
        );
        // A deployment environment's description is not variables; an unclosed mapping is text.
        for kept in ["{tier: production, region: x}", "{Variables: {A: x}"] {
            assert_eq!(scrubbed(kept, true), kept);
        }
    }
}
