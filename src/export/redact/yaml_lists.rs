//! Rule 5's YAML block lists under a secret-bearing key, in free text (a CloudFormation template
//! body, an SSM document, a buildspec): `passwords:` alone on its line and `- a`, `- b` on the
//! lines below it (indented as deep as the key or deeper). Each item's value is replaced (inside
//! its quotes when quoted), the key and the dashes kept. An item that is a mapping (`- name: x`)
//! is left to the configuration lines' rule (its own names decide); a CloudFormation reference
//! (`- !Ref DbPassword`) or a dynamic reference (`{{resolve:secretsmanager:…}}`) names where the
//! value comes from and is kept; a list under any other key (`users:`) is kept.
//!
//! Pure: no I/O.

use super::{holds, is_secret_text, replaced, Holds};

/// References that name where a value comes from: kept.
const REFERENCES: &[&str] = &["!Ref ", "!GetAtt ", "!ImportValue ", "{{resolve:"];

/// Rule 5: every item of a YAML block list under a secret-bearing key in `s`.
pub(super) fn block_lists(s: &str) -> Option<String> {
    let b = s.as_bytes();
    memchr::memchr(b'-', b)?;
    memchr::memchr(b':', b)?;
    let lines = lines(s);
    let mut spans = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (from, to) = lines[i];
        i += 1;
        let Some((h, key_col)) = list_key(&s[from..to]) else {
            continue;
        };
        let mut item_col = None;
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
                    i += 1;
                    continue;
                }
                Some(c) if col == c && is_item => {}
                _ => break,
            }
            spans.extend(item(text, h).map(|(f, t)| (lines[i].0 + col + f, lines[i].0 + col + t)));
            i += 1;
        }
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// The byte ranges of the lines of `s`, without their `\n` (nor a `\r` before it).
fn lines(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in s.split('\n') {
        let end = at + line.len();
        out.push((at, end - usize::from(line.ends_with('\r'))));
        at = end + 1;
    }
    out
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
/// inside its quotes when quoted, without a trailing comment; `None` for a mapping, a nested
/// list, a block, a reference or the marker.
fn item(text: &str, h: Holds) -> Option<(usize, usize)> {
    let value = text[1..].trim_start_matches([' ', '\t']);
    let from = text.len() - value.len();
    let (f, t) = match value.as_bytes().first()? {
        &q @ (b'"' | b'\'') => {
            let close = value[1..].find(q as char).map_or(value.len(), |p| p + 1);
            (1, close)
        }
        b'-' | b'[' | b'{' | b'|' | b'>' | b'&' | b'*' if !value.starts_with("[REDACTED]") => {
            return None
        }
        _ => {
            let end = value.find(" #").unwrap_or(value.len());
            let v = value[..end].trim_end();
            if v.ends_with(':') || v.contains(": ") {
                return None;
            }
            (0, v.len())
        }
    };
    let v = &value[f..t];
    let reference = REFERENCES.iter().any(|r| v.starts_with(r));
    (f < t && !reference && is_secret_text(v, h)).then_some((from + f, from + t))
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
