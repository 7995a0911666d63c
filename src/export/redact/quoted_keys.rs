//! Rule 5's keys written in quotes anywhere in a string, not only as a mapping's in braces or at
//! a line's start: `"db_password": "x"` in a fragment of JSON (`echo '"db_password": "x"' >>
//! cfg.json`), `'db_password': 'x'` as Python prints a dict, `` `db_password`: x ``,
//! `‘db_password’: ‘x’` and `“db_password”: “x”` (quotes a word processor wrote), `\"db_password\":
//! \"x\"` (JSON inside a JSON string), `"Password"="x"` (a `.reg` file), `"db_password" = "x"`
//! (TOML). The key is read by rule 1 ([`holds`]), or as a key whose last word is `key` alone
//! (`"stripe_key": "sk_live_…"`) when the value looks like a credential ([`super::keys`]).
//! The value is replaced inside its quotes (to the line's end when its quote is not closed),
//! each element of a list (`"passwords": ["a", "b"]`), a bare value to the next blank, `,`, `;`,
//! `}` or `]`; `true`, `false`, `null`, a mapping (searched by [`super::inline_mappings`]) and a
//! CloudFormation reference (`!Ref DbPassword`) are kept, as is the key.
//!
//! Pure: no I/O.

use super::keys::{is_credential, names_a_key};
use super::{holds, inline_mappings, is_secret_text, replaced, Holds, REDACTED};

/// The quotes a key may be written in: each closing quote and the opening quote that pairs
/// with it.
const QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('\'', '\''),
    ('`', '`'),
    ('\u{2019}', '\u{2018}'),
    ('\u{201D}', '\u{201C}'),
];

/// The longest key read (a name, not a sentence).
const LONGEST_KEY: usize = 64;

/// Rule 5: the value of every secret-bearing quoted key in `s` (see the module's documentation).
pub(super) fn quoted_keys(s: &str) -> Option<String> {
    let b = s.as_bytes();
    memchr::memchr2(b':', b'=', b)?;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut resume = 0;
    for at in memchr::memchr2_iter(b':', b'=', b) {
        if at < resume || matches!(b.get(at + 1), Some(b':' | b'=' | b'/' | b'>')) {
            continue;
        }
        let Some((reads, from)) = quoted_key(s, at) else {
            continue;
        };
        if s[from..].starts_with(REDACTED) {
            continue;
        }
        if b.get(from) == Some(&b'[') {
            if let Reads::Secret(h) = reads {
                resume = inline_mappings::list(s, from, h, &mut spans);
            }
            continue;
        }
        let Some((f, t)) = value(s, from) else {
            continue;
        };
        let v = &s[f..t];
        let secret = match reads {
            Reads::Secret(h) => is_secret_text(v, h),
            Reads::Credential => is_credential(v),
        };
        if secret {
            spans.push((f, t));
            resume = t;
        }
    }
    spans.sort_unstable();
    spans.dedup();
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// How a quoted key's value is read.
#[derive(Debug, Clone, Copy)]
enum Reads {
    /// A secret-bearing key (rule 1): its value is replaced.
    Secret(Holds),
    /// A key named `…_key` alone: its value is replaced when it looks like a credential.
    Credential,
}

/// The key in quotes ending before the `:` or `=` at `at` (blanks between), when it is one this
/// rule reads, and where its value starts (blanks skipped).
fn quoted_key(s: &str, at: usize) -> Option<(Reads, usize)> {
    let before = s[..at].trim_end_matches([' ', '\t']);
    let close = before.chars().next_back()?;
    let &(_, open) = QUOTES.iter().find(|(c, _)| *c == close)?;
    let inner = &before[..before.len() - close.len_utf8()];
    let inner = inner.strip_suffix('\\').unwrap_or(inner);
    let name_from = inner.rfind(open)?;
    let name = &inner[name_from + open.len_utf8()..];
    let name_chars = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ');
    if name.is_empty()
        || name.len() > LONGEST_KEY
        || name.starts_with(' ')
        || !name.chars().all(name_chars)
    {
        return None;
    }
    let reads = match holds(name) {
        Some(h) => Reads::Secret(h),
        None if names_a_key(name) => Reads::Credential,
        None => return None,
    };
    let b = s.as_bytes();
    let mut from = at + 1;
    while from < b.len() && matches!(b[from], b' ' | b'\t') {
        from += 1;
    }
    Some((reads, from))
}

/// The text of the value starting at `from`: inside its quotes (`"…"` with `\` escapes, `'…'`,
/// `` `…` ``, `‘…’`, `“…”`, `\"…\"`), to the line's end when the quote is not closed; a bare
/// value to the next blank, `,`, `;`, `}`, `]`, `&`, `|` or quote. `None` for a mapping, nothing,
/// `true`, `false`, `null` and a CloudFormation reference.
fn value(s: &str, from: usize) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let rest = &s[from..];
    let line_end = |f: usize| memchr::memchr2(b'\n', b'\r', &b[f..]).map_or(b.len(), |p| f + p);
    if let Some(inner) = rest.strip_prefix("\\\"") {
        let f = from + 2;
        let t = inner.find("\\\"").map_or_else(|| line_end(f), |p| f + p);
        return Some((f, t));
    }
    let first = rest.chars().next()?;
    let closing = match first {
        '"' | '\'' | '`' => Some(first),
        '\u{2018}' => Some('\u{2019}'),
        '\u{201C}' => Some('\u{201D}'),
        _ => None,
    };
    if let Some(q) = closing {
        let f = from + first.len_utf8();
        let mut escaped = false;
        let t = s[f..]
            .char_indices()
            .find(|&(_, c)| {
                let end = !escaped && (c == q || c == '\n');
                escaped = !escaped && c == '\\' && q == '"';
                end
            })
            .map_or(b.len(), |(p, _)| f + p);
        return Some((f, t));
    }
    if matches!(first, '{' | '!') {
        return None;
    }
    let t = b[from..]
        .iter()
        .position(|&c| {
            c.is_ascii_whitespace()
                || matches!(
                    c,
                    b',' | b';' | b'}' | b']' | b'&' | b'|' | b'"' | b'\'' | b'`'
                )
        })
        .map_or(b.len(), |p| from + p);
    let v = &s[from..t];
    (!matches!(v, "true" | "false" | "null" | "~")).then_some((from, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str) -> String {
        quoted_keys(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn keys_in_any_quotes_lose_their_secret_values_and_keep_everything_else() {
        let cases = [
            (
                "echo '\"db_password\": \"p1\", \"user\": \"a\"' >> cfg.json",
                "echo '\"db_password\": \"[REDACTED]\", \"user\": \"a\"' >> cfg.json",
            ),
            (
                "echo \"'db_password': 'p2'\" && `api_token`: p3 done",
                "echo \"'db_password': '[REDACTED]'\" && `api_token`: [REDACTED] done",
            ),
            (
                "\u{2018}db_password\u{2019}: \u{2018}p4\u{2019} and \u{201C}Password\u{201D}: \u{201C}p 5\u{201D}",
                "\u{2018}db_password\u{2019}: \u{2018}[REDACTED]\u{2019} and \u{201C}Password\u{201D}: \u{201C}[REDACTED]\u{201D}",
            ),
            (
                "log \\\"db_password\\\": \\\"p6\\\" x; \"Password\"=\"p 7\"; \"db_password\" = \"p8\"",
                "log \\\"db_password\\\": \\\"[REDACTED]\\\" x; \"Password\"=\"[REDACTED]\"; \"db_password\" = \"[REDACTED]\"",
            ),
            (
                "\"stripe_key\": \"sk_live_FAKEFAKE0123456789abcdef\", 'stripe_key': 'sk_live_FAKEFAKE0123456789abcdef'",
                "\"stripe_key\": \"[REDACTED]\", 'stripe_key': '[REDACTED]'",
            ),
            (
                "\"passwords\": [\"p9\", \"p10\"], \"Admin Password\": \"p\\\"11\"",
                "\"passwords\": [\"[REDACTED]\", \"[REDACTED]\"], \"Admin Password\": \"[REDACTED]\"",
            ),
            (
                "'db_password': 'unclosed p12\nnext: line",
                "'db_password': '[REDACTED]\nnext: line",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        for kept in [
            "\"sort_key\": \"name\", \"stripe_key\": \"short\", \"publicKey\": \"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9x\"",
            "\"passwordResetRequired\": true, \"password\": null, \"secretId\": \"db\"",
            "\"db_password\": !Ref DbPassword, \"password\": {\"Ref\": \"P\"}",
            "\"db_password\": \"[REDACTED]\", 'token': [REDACTED], \"passwords\": [REDACTED]",
            "he said \"hi\": ok; a \"::\" b, \"url\": \"https://x\"",
        ] {
            assert_eq!(scrubbed(kept), kept);
        }
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic, keeps what it does not replace, and
        /// finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(password|stripe_key|sk_live_FAKEFAKE0123456789abcdef|é|\u{2018}|\u{2019}|\\\\\"|[ :='\"`\n,\\[\\]{}])*"
        ) {
            let once = scrubbed(&text);
            proptest::prop_assert_eq!(scrubbed(&once), once.clone());
            proptest::prop_assert!(once == text || once.contains(REDACTED));
        }
    }
}
