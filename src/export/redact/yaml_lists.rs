//! Rule 5's YAML block lists under a secret-bearing key, in free text (a CloudFormation template
//! body, an SSM document, a buildspec): `passwords:` alone on its line and `- a`, `- b` on the
//! lines below it (indented as deep as the key or deeper). Each item's value is replaced (inside
//! its quotes when quoted), the key and the dashes kept. An item that is a mapping (`- name: x`)
//! is left to the configuration lines' rule (its own names decide); a CloudFormation reference
//! (`- !Ref DbPassword`) or a dynamic reference (`{{resolve:secretsmanager:…}}`) names where the
//! value comes from and is kept; a list under any other key (`users:`) is kept.
//!
//! Pure: no I/O.

use super::lines::{bare_len, has_escaped_breaks, lines};
use super::{holds, is_secret_text, replaced, Holds, REDACTED};

/// References that name where a value comes from: kept.
const REFERENCES: &[&str] = &["!Ref ", "!GetAtt ", "!ImportValue ", "{{resolve:"];

/// Rule 5: every item of a YAML block list under a secret-bearing key in `s`.
pub(super) fn block_lists(s: &str) -> Option<String> {
    let b = s.as_bytes();
    memchr::memchr(b'-', b)?;
    memchr::memchr(b':', b)?;
    let lines = lines(s);
    let escaped = has_escaped_breaks(s);
    let mut spans = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (from, to) = lines[i];
        i += 1;
        let Some((h, key_col)) = list_key(&s[from..to]) else {
            continue;
        };
        let mut item_col = None;
        // Whether the lines deeper than the last item are its value (a block, a nested list,
        // a scalar continued), not a mapping's keys.
        let mut deeper_are_value = false;
        while i < lines.len() {
            let line = &s[lines[i].0..lines[i].1];
            let text = line.trim_start_matches([' ', '\t']);
            let col = line.len() - text.len();
            if text.trim_end().is_empty() || text.starts_with('#') {
                i += 1;
                continue;
            }
            let is_item = text == "-" || text.starts_with("- ");
            match item_col {
                None if is_item && col >= key_col => item_col = Some(col),
                Some(c) if col > c => {
                    if deeper_are_value {
                        let at = lines[i].0 + col;
                        spans.extend(continued(text, escaped).map(|(f, t)| (at + f, at + t)));
                    }
                    i += 1;
                    continue;
                }
                Some(c) if col == c && is_item => {}
                _ => break,
            }
            let (span, value_below) = item(text, h, escaped);
            deeper_are_value = value_below;
            spans.extend(span.map(|(f, t)| (lines[i].0 + col + f, lines[i].0 + col + t)));
            i += 1;
        }
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// The secret of a line below a list item that continues its value (a block's line, a nested
/// list's item, a scalar's next line), relative to `text` (which starts at the line's text):
/// after its dashes, to its end (or an unescaped `"` when `escaped`: see [`bare_len`]).
fn continued(text: &str, escaped: bool) -> Option<(usize, usize)> {
    let text = &text[..bare_len(text, escaped)];
    let mut value = text.trim_end();
    loop {
        let rest = match value.strip_prefix('-') {
            Some(r) if r.is_empty() || r.starts_with([' ', '\t']) => r,
            _ => break,
        };
        value = rest.trim_start_matches([' ', '\t']);
    }
    let from = text.trim_end().len() - value.len();
    let reference = REFERENCES.iter().any(|r| value.starts_with(r));
    (!value.is_empty() && value != REDACTED && !reference).then_some((from, from + value.len()))
}

/// What the key of a line `name:` with no value (a comment at most) holds, and the column its
/// name starts at, when the name is secret-bearing (rule 1).
fn list_key(line: &str) -> Option<(Holds, usize)> {
    let mut text = line.trim_start_matches([' ', '\t']);
    if let Some(rest) = text.strip_prefix("- ") {
        text = rest.trim_start_matches(' ');
    }
    let col = line.len() - text.len();
    let (name, rest) = match text.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => {
            let close = text[1..].find(q as char)? + 1;
            (&text[1..close], &text[close + 1..])
        }
        _ => {
            let end = text
                .find(|c: char| !(c.is_ascii_alphanumeric() || "_-.".contains(c)))
                .unwrap_or(text.len());
            (&text[..end], &text[end..])
        }
    };
    let rest = rest.trim_start_matches([' ', '\t']).strip_prefix(':')?;
    let rest = rest.trim();
    if name.is_empty() || !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    Some((holds(name)?, col))
}

/// The secret of a list item `- value` (`text` starts at its dash), relative to `text`: a scalar,
/// inside its quotes when quoted (`\"…\"` too), without a trailing comment, or a flow list
/// whole; an item of a nested list (`- - value`). With it, whether the deeper lines below are
/// the item's value too (a block `- |`, a nested list, a scalar continued), not a mapping's.
/// No secret for a mapping (its own names decide), a reference, an alias or the marker.
fn item(text: &str, h: Holds, escaped: bool) -> (Option<(usize, usize)>, bool) {
    let mut value = text[1..].trim_start_matches([' ', '\t']);
    while let Some(rest) = value.strip_prefix("- ") {
        value = rest.trim_start_matches([' ', '\t']);
    }
    let from = text.len() - value.len();
    let Some(&first) = value.as_bytes().first() else {
        return (None, true);
    };
    let (f, t) = match first {
        _ if value.starts_with(REDACTED) => (0, REDACTED.len()),
        b'\\' if value[1..].starts_with(['"', '\'']) => {
            let close = [b'\\', value.as_bytes()[1]];
            let t =
                memchr::memmem::find(&value.as_bytes()[2..], &close).map_or(value.len(), |p| p + 2);
            (2, t)
        }
        q @ (b'"' | b'\'') => {
            let close = value[1..].find(q as char).map_or(value.len(), |p| p + 1);
            (1, close)
        }
        b'|' | b'>' => return (None, true),
        b'{' | b'*' => return (None, false),
        b'-' if value == "-" => return (None, true),
        b'[' => (0, value.find(" #").unwrap_or(value.len())),
        _ => {
            let end = value.find(" #").unwrap_or(value.len());
            let end = bare_len(&value[..end], escaped);
            let v = value[..end].trim_end();
            if v.ends_with(':') || v.contains(": ") {
                return (None, false);
            }
            (0, v.len())
        }
    };
    let v = value[f..t].trim_end();
    let reference = REFERENCES.iter().any(|r| v.starts_with(r));
    let secret = !v.is_empty() && !reference && is_secret_text(v, h);
    (secret.then_some((from + f, from + f + v.len())), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str) -> String {
        block_lists(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn every_item_of_a_secret_block_list_is_redacted_other_lists_kept() {
        let cases = [
            (
                "Mappings:\n  passwords:\n    - p1\n    - \"p 2\" # old\n    - p3 # rotated\n  users:\n    - alice\n",
                "Mappings:\n  passwords:\n    - [REDACTED]\n    - \"[REDACTED]\" # old\n    - [REDACTED] # rotated\n  users:\n    - alice\n",
            ),
            (
                "api_tokens:\r\n- 't1'\r\n\r\n-   t2\r\nnext: x\r\n- y\r\n",
                "api_tokens:\r\n- '[REDACTED]'\r\n\r\n-   [REDACTED]\r\nnext: x\r\n- y\r\n",
            ),
            (
                "- secrets:\n  - s1\n  - name: db\n    value: v\n  - !Ref DbPassword\nmaxTokens:\n  - 512\n",
                "- secrets:\n  - [REDACTED]\n  - name: db\n    value: v\n  - !Ref DbPassword\nmaxTokens:\n  - 512\n",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        // Items spread over lines, nested lists, and lines written as `\n` escapes.
        let spread = [
            (
                "passwords:\n  - >-\n    p1\n  - |\n    p2\n    p3\n  - p4\n    p5\n  - - p6\n    - p7\nusers:\n  - a\n",
                "passwords:\n  - >-\n    [REDACTED]\n  - |\n    [REDACTED]\n    [REDACTED]\n  - [REDACTED]\n    [REDACTED]\n  - - [REDACTED]\n    - [REDACTED]\nusers:\n  - a\n",
            ),
            (
                "echo -e \"secrets:\\n  passwords:\\n    - p8\\n    - \\\"p 9\\\"\" > s.yml",
                "echo -e \"secrets:\\n  passwords:\\n    - [REDACTED]\\n    - \\\"[REDACTED]\\\"\" > s.yml",
            ),
            (
                "passwords:\n  - [p10, p11]\n  - name: db\n    user: admin\n",
                "passwords:\n  - [REDACTED]\n  - name: db\n    user: admin\n",
            ),
        ];
        for (from, to) in spread {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        for kept in [
            "users:\n  - alice\n  - bob\nsecretNames:\n  - db-creds\n",
            "passwords: x\n  - y\n",
            "passwords:\nuser: admin\n- a\n",
            "passwords:\n  - [REDACTED]\n  - \"[REDACTED]\"\n  - '{{resolve:secretsmanager:db}}'\n",
            "passwords:\n  - {{resolve:secretsmanager:db:SecretString:password}}\n",
            "  passwords:\n- a\n",
        ] {
            assert_eq!(scrubbed(kept), kept);
        }
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic, keeps what it does not replace, and
        /// finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(passwords|users|- |-|:|#|é|'|\"|!Ref |[ \t\r\n])*"
        ) {
            let once = scrubbed(&text);
            proptest::prop_assert_eq!(scrubbed(&once), once.clone());
            proptest::prop_assert!(once == text || once.contains(super::super::REDACTED));
        }
    }
}
