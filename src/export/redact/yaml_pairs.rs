//! Rule 2 in YAML text: a list item that is a name/value pair (Kubernetes' `env` `- name:
//! DB_PASSWORD` / `value: x`, CloudFormation's `Environment` `- Name: …` / `Value: …`, stack
//! parameters' `ParameterKey` / `ParameterValue`) whose name is secret-bearing by rule 1 has its
//! value replaced (inside its quotes, or the lines of its block `value: |`), in whichever order
//! the two keys come; the name and the item's other keys kept. A reference (`!Ref`, `{{resolve:…}}`,
//! `valueFrom:`) names where the value comes from and is kept. Elastic Beanstalk's option
//! settings (`- Namespace:` / `OptionName:` / `Value:`, in a template) are pairs too: a
//! secret-bearing `OptionName` (`DBPassword` in `aws:rds:dbinstance`) has its value replaced, and
//! so has every one in `aws:elasticbeanstalk:application:environment` (rule 3).
//!
//! Pure: no I/O.

use super::config_lines::block;
use super::environment::is_beanstalk_environment;
use super::lines::{bare_len, has_escaped_breaks, lines};
use super::{holds, is_secret_text, replaced_merged, Holds, PAIR_NAMES, PAIR_VALUES, REDACTED};

/// References that name where a value comes from: kept.
const REFERENCES: &[&str] = &["!Ref ", "!GetAtt ", "!ImportValue ", "!Sub ", "{{resolve:"];

/// Rule 2: the value of every name/value list item in `s` whose name is secret-bearing.
pub(super) fn name_value_pairs(s: &str) -> Option<String> {
    let b = s.as_bytes();
    memchr::memchr(b'-', b)?;
    memchr::memchr(b':', b)?;
    let lines = lines(s);
    let escaped = has_escaped_breaks(s);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for n in 0..lines.len() {
        let line = &s[lines[n].0..lines[n].1];
        let text = line.trim_start_matches([' ', '\t']);
        let Some(rest) = text.strip_prefix("- ") else {
            continue;
        };
        let key_col = line.len() - rest.trim_start_matches([' ', '\t']).len();
        // The item's keys: on its dash's line and the lines below at the same column.
        let mut keys = vec![n];
        for (m, &(f, t)) in lines.iter().enumerate().skip(n + 1) {
            let l = &s[f..t];
            let body = l.trim_start_matches([' ', '\t']);
            if body.trim_end().is_empty() || body.starts_with('#') {
                continue;
            }
            match (l.len() - body.len()).cmp(&key_col) {
                std::cmp::Ordering::Less => break,
                std::cmp::Ordering::Equal => keys.push(m),
                std::cmp::Ordering::Greater => {}
            }
        }
        let mut name = None;
        let mut value = None;
        let mut beanstalk = false;
        for &m in &keys {
            let Some((key, from, to)) = key_value(s, lines[m].0 + key_col, lines[m].1) else {
                continue;
            };
            if matches!(key, "Namespace" | "namespace") {
                beanstalk = is_beanstalk_environment(s[from..to].trim_matches(['"', '\'']));
            } else if PAIR_NAMES.contains(&key) && name.is_none() {
                name = Some(s[from..to].trim_matches(['"', '\'']));
            } else if PAIR_VALUES.contains(&key) && value.is_none() {
                value = Some((m, from, to));
            }
        }
        // An Elastic Beanstalk environment property: a variable whatever its name (rule 3).
        let h = match beanstalk {
            true => Some(Holds::Secret),
            false => name.and_then(holds),
        };
        let (Some(h), Some((m, from, to))) = (h, value) else {
            continue;
        };
        spans.extend(secret(s, &lines, m, key_col, (from, to), h, escaped));
    }
    replaced_merged(s, spans)
}

/// The key of the mapping line whose key starts at `at` (the line ends at `end`) and its value's
/// text (blanks around it trimmed).
pub(super) fn key_value(s: &str, at: usize, end: usize) -> Option<(&str, usize, usize)> {
    let line = s.get(at..end)?;
    let key_len = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    let rest = line[key_len..].strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) || key_len == 0 {
        return None;
    }
    let value = rest.trim_start_matches([' ', '\t']);
    let from = end - value.len();
    Some((&line[..key_len], from, from + value.trim_end().len()))
}

/// The secret of the value at `from..to` of `lines[m]`: inside its quotes, a block's lines below
/// it, or the bare text (to an unescaped `"` when `escaped`).
pub(super) fn secret(
    s: &str,
    lines: &[(usize, usize)],
    m: usize,
    key_col: usize,
    (from, to): (usize, usize),
    h: Holds,
    escaped: bool,
) -> Option<(usize, usize)> {
    let v = &s[from..to];
    // A reference quoted (`'{{resolve:…}}'`, as a template must write it) is one too.
    let bare = v.trim_start_matches(['"', '\'']);
    if REFERENCES.iter().any(|r| bare.starts_with(r)) || v.starts_with(REDACTED) {
        return None;
    }
    let (f, t) = match v.as_bytes().first() {
        None => return None,
        Some(b'|' | b'>') => return block(s, lines, m, key_col),
        Some(&q @ (b'"' | b'\'')) => {
            let close = memchr::memchr(q, &v.as_bytes()[1..]).map_or(v.len(), |p| p + 1);
            (from + 1, from + close)
        }
        Some(_) => (from, from + bare_len(v, escaped)),
    };
    is_secret_text(&s[f..t], h).then_some((f, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str) -> String {
        name_value_pairs(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn a_secret_name_value_item_loses_its_value_other_items_kept() {
        let cases = [
            (
                "env:\n  - name: DB_PASSWORD\n    value: p1\n  - name: PORT\n    value: \"5432\"\n",
                "env:\n  - name: DB_PASSWORD\n    value: [REDACTED]\n  - name: PORT\n    value: \"5432\"\n",
            ),
            (
                "Environment:\n  - Value: 'p 2'\n    Name: API_TOKEN\n  -   Name: DB_PASSWORD\n      Value: |\n        p3\n        p4\n  - Name: X\n",
                "Environment:\n  - Value: '[REDACTED]'\n    Name: API_TOKEN\n  -   Name: DB_PASSWORD\n      Value: |\n        [REDACTED]\n  - Name: X\n",
            ),
            (
                "echo \"env:\\n- name: api_token\\n  value: p5\" > f",
                "echo \"env:\\n- name: api_token\\n  value: [REDACTED]\" > f",
            ),
            (
                "Parameters:\n- ParameterKey: DBPassword\n  ParameterValue: p6\n- ParameterKey: Env\n  ParameterValue: prod",
                "Parameters:\n- ParameterKey: DBPassword\n  ParameterValue: [REDACTED]\n- ParameterKey: Env\n  ParameterValue: prod",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        for kept in [
            "env:\n  - name: DB_PASSWORD\n    valueFrom: arn:aws:ssm:us-east-1:1:parameter/db\n",
            "env:\n  - name: DB_PASSWORD\n    value: !Ref DbPassword\n  - name: DB_HOST\n    value: db\n",
            "- name: DB_PASSWORD\n  value: [REDACTED]\n- name: secretName\n  value: db-creds\n",
        ] {
            assert_eq!(scrubbed(kept), kept);
        }
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic, keeps what it does not replace, and
        /// finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(- |name: |value: |DB_PASSWORD|x|é|\\||'|\"|\\\\n|[ \t\n])*"
        ) {
            let once = scrubbed(&text);
            proptest::prop_assert_eq!(scrubbed(&once), once.clone());
            proptest::prop_assert!(once == text || once.contains(REDACTED));
        }
    }
}
