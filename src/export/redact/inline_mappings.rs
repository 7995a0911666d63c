//! Rule 5's mappings written inline in a longer string that is not JSON itself (`{password: x,
//! user: y}` in YAML's flow style, `body={"password":"x"}` in a log line, `{'secret_key': 'x'}`
//! as Python prints a dict): the value of each secret-bearing key (rule 1's names) is replaced,
//! every element of it when it is a list (`{passwords: [a, b]}`, `"tokens": ["x","y"]`), the
//! keys and the other values kept. A brace or a colon inside a quoted key or value (`{note:
//! "}", password: x}`) is text, not the mapping's.
//!
//! Pure: no I/O.

use super::{holds, is_secret_text, replaced, Holds, REDACTED};

/// Rule 5: the value of every secret-bearing key of a mapping written inline in a longer string
/// that is not JSON itself (`{password: x, user: y}` in YAML's flow style, `{"password":"x"}` or
/// `{\"password\":\"x\"}` in a log line, `{'password': 'x'}` as Python prints a dict): a key,
/// bare or quoted, after `{` or `,` inside braces, and its value to the closing quote or the next
/// `,`, `}` or line end (quoted keys and values skipped whole: a brace in one is text). `true`, `false` and `null` are kept, as rule 1 keeps them; a nested
/// mapping or list is searched pair by pair.
pub(super) fn inline_mappings(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let open = memchr::memchr(b'{', b)?;
    memchr::memchr(b':', &b[open..])?;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b':' if depth > 0 => {
                i = inline_pair(s, i, &mut spans).max(i + 1);
                continue;
            }
            b'"' | b'\'' | b'\\' if depth > 0 => {
                if let Some(end) = quoted_scalar_end(b, i) {
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// The secrets of the inline pair whose colon is at `colon` (see [`inline_mappings`]), its
/// value's or each element's of a list, added to `spans`. Returns where its secret value ends
/// (nothing in it is searched again), or 0.
fn inline_pair(s: &str, colon: usize, spans: &mut Vec<(usize, usize)>) -> usize {
    let Some((h, from)) = secret_key(s, colon) else {
        return 0;
    };
    if s.as_bytes().get(from) == Some(&b'[') && !s[from..].starts_with(REDACTED) {
        return list(s, from, h, spans);
    }
    let span = scalar(s, from, h);
    spans.extend(span);
    span.map_or(0, |(_, to)| to)
}

/// What the key before `colon` holds and where its value starts, when the key is
/// secret-bearing and written as a mapping's key (after `{` or `,`).
fn secret_key(s: &str, colon: usize) -> Option<(Holds, usize)> {
    let b = s.as_bytes();
    let mut key_end = colon;
    while key_end > 0 && matches!(b[key_end - 1], b' ' | b'\t') {
        key_end -= 1;
    }
    let quote = b[..key_end]
        .last()
        .copied()
        .filter(|&c| c == b'"' || c == b'\'');
    let mut name_to = key_end - usize::from(quote.is_some());
    if quote.is_some() && name_to > 0 && b[name_to - 1] == b'\\' {
        name_to -= 1;
    }
    let name_from = b[..name_to]
        .iter()
        .rposition(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))
        .map_or(0, |p| p + 1);
    if name_from == name_to {
        return None;
    }
    let mut before = name_from;
    if let Some(q) = quote {
        if before == 0 || b[before - 1] != q {
            return None;
        }
        before -= 1;
        if before > 0 && b[before - 1] == b'\\' {
            before -= 1;
        }
    }
    let lead = b[..before].iter().rposition(|c| !c.is_ascii_whitespace());
    if !lead.is_some_and(|p| matches!(b[p], b'{' | b',')) {
        return None;
    }
    let h = holds(&s[name_from..name_to])?;
    let mut from = colon + 1;
    while from < b.len() && matches!(b[from], b' ' | b'\t') {
        from += 1;
    }
    Some((h, from))
}

/// The secret of the scalar value starting at `from`, under a key that holds `h`: inside its
/// quotes, or to the next `,`, `}` or line end; `None` for a mapping, a list or `true`,
/// `false`, `null`.
fn scalar(s: &str, from: usize, h: Holds) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let (from, to) = if b[from..].starts_with(b"\\\"") {
        let f = from + 2;
        let close = memchr::memmem::find(&b[f..], b"\\\"").map_or(b.len(), |p| f + p);
        (f, close)
    } else {
        match b.get(from) {
            Some(&q @ (b'"' | b'\'')) => {
                let f = from + 1;
                let mut close = f;
                while close < b.len() && b[close] != q {
                    close += 1 + usize::from(b[close] == b'\\');
                }
                (f, close.min(b.len()))
            }
            Some(b'{' | b'[') | None => return None,
            Some(_) => {
                let end = b[from..]
                    .iter()
                    .position(|&c| matches!(c, b',' | b'}' | b'\n' | b'\r'))
                    .map_or(b.len(), |p| from + p);
                let value = s[from..end].trim_end();
                if matches!(value, "true" | "false" | "null" | "~") {
                    return None;
                }
                (from, from + value.len())
            }
        }
    };
    is_secret_text(&s[from..to], h).then_some((from, to))
}

/// The secrets of each element of the list opening at `open` under a key that holds `h`
/// (`[a, b]`, `["a","b"]`, `[\"a\"]`, lists in it too); a mapping in it is left to
/// [`inline_mappings`]' own pairs. Returns where the list ends.
pub(super) fn list(s: &str, open: usize, h: Holds, spans: &mut Vec<(usize, usize)>) -> usize {
    let b = s.as_bytes();
    let blanks = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut i = open + 1;
    loop {
        i = blanks(i);
        i = match b.get(i) {
            None => return b.len(),
            Some(b']') => return i + 1,
            Some(b'[') if !s[i..].starts_with(REDACTED) => list(s, i, h, spans),
            Some(b'{') => {
                let close = closing_brace(b, i);
                let mut resume = 0;
                for c in memchr::memchr_iter(b':', &b[i..close]).map(|p| i + p) {
                    if c >= resume {
                        resume = inline_pair(s, c, spans);
                    }
                }
                close
            }
            Some(_) => {
                let (span, end) = element(s, i);
                spans.extend(span.filter(|&(f, t)| is_secret_text(&s[f..t], h)));
                end
            }
        };
        i = blanks(i);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b']') => return i + 1,
            _ => return i,
        }
    }
}

/// The scalar element of a list at `at`: its text (inside its quotes; `None` for `true`,
/// `false`, `null` and the marker) and where it ends.
fn element(s: &str, at: usize) -> (Option<(usize, usize)>, usize) {
    let b = s.as_bytes();
    if s[at..].starts_with(REDACTED) {
        return (None, at + REDACTED.len());
    }
    if b[at..].starts_with(b"\\\"") {
        let f = at + 2;
        let close = memchr::memmem::find(&b[f..], b"\\\"").map_or(b.len(), |p| f + p);
        return (Some((f, close)), (close + 2).min(b.len()));
    }
    if let q @ (b'"' | b'\'') = b[at] {
        let f = at + 1;
        let mut close = f;
        while close < b.len() && b[close] != q {
            close += 1 + usize::from(b[close] == b'\\');
        }
        let close = close.min(b.len());
        return (Some((f, close)), (close + 1).min(b.len()));
    }
    let end = b[at..]
        .iter()
        .position(|&c| matches!(c, b',' | b']' | b'}' | b'\n' | b'\r'))
        .map_or(b.len(), |p| at + p);
    let value = s[at..end].trim_end();
    let kept = matches!(value, "true" | "false" | "null" | "~");
    ((!kept).then_some((at, at + value.len())), end)
}

/// Where the mapping opening at `open` ends: after its matching `}` (braces inside a quoted
/// scalar not counted), or the end of `b`.
fn closing_brace(b: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'"' | b'\'' | b'\\' => {
                if let Some(end) = quoted_scalar_end(b, i) {
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// When a quoted scalar (a key or a value: `"…"`, `'…'`, `\"…\"`) opens at `at`, where it ends
/// (after its closing quote, or the end of `b`). A quote opens one only where a scalar starts:
/// after `{`, `,`, `:` or `[` (blanks between); elsewhere it is text (`don't`).
fn quoted_scalar_end(b: &[u8], at: usize) -> Option<usize> {
    let escaped = b[at] == b'\\';
    if escaped && b.get(at + 1) != Some(&b'"') {
        return None;
    }
    let lead = b[..at].iter().rposition(|c| !c.is_ascii_whitespace());
    if !lead.is_some_and(|p| matches!(b[p], b'{' | b',' | b':' | b'[')) {
        return None;
    }
    if escaped {
        let from = at + 2;
        return Some(memchr::memmem::find(&b[from..], b"\\\"").map_or(b.len(), |p| from + p + 2));
    }
    let q = b[at];
    let mut i = at + 1;
    while i < b.len() && b[i] != q {
        i += 1 + usize::from(b[i] == b'\\');
    }
    Some((i + 1).min(b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str) -> String {
        inline_mappings(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn inline_mappings_lose_their_secret_values_and_keep_everything_else() {
        let cases = [
            (
                "loaded {password: p1, user: admin} from cfg",
                "loaded {password: [REDACTED], user: admin} from cfg",
            ),
            (
                r#"POST /login body={"user":"a","password":"p\"2","mfa":{"token": "p3"}} 401"#,
                r#"POST /login body={"user":"a","password":"[REDACTED]","mfa":{"token": "[REDACTED]"}} 401"#,
            ),
            (
                r#"args={\"db_password\":\"p4\",\"host\":\"db\"}"#,
                r#"args={\"db_password\":\"[REDACTED]\",\"host\":\"db\"}"#,
            ),
            (
                "kwargs: {'secret_key': 'p5', 'region': 'us-east-1'}",
                "kwargs: {'secret_key': '[REDACTED]', 'region': 'us-east-1'}",
            ),
            (
                "{maxTokens: 512, passwords: [p6, 'p,7'], user: admin}",
                "{maxTokens: 512, passwords: [[REDACTED], '[REDACTED]'], user: admin}",
            ),
            (
                r#"log {"user": "a", "passwords": ["p8","p9"], "token": "p10"} end"#,
                r#"log {"user": "a", "passwords": ["[REDACTED]","[REDACTED]"], "token": "[REDACTED]"} end"#,
            ),
            (
                r#"{\"api_keys\":[\"p11\"],\"secrets\":[[p12], {password: p13, id: 1}, true]}"#,
                r#"{\"api_keys\":[\"[REDACTED]\"],\"secrets\":[[[REDACTED]], {password: [REDACTED], id: 1}, true]}"#,
            ),
            (
                r#"{note: "}", password: p16, "n": "a:{b", 'token': 'p17'} {x: '}', token: p18}"#,
                r#"{note: "}", password: [REDACTED], "n": "a:{b", 'token': '[REDACTED]'} {x: '}', token: [REDACTED]}"#,
            ),
            (
                r#"{\"msg\":\"} {\",\"api_key\":\"p19\"} and {secrets: [{n: \"}\"}, {password: p20}]}"#,
                r#"{\"msg\":\"} {\",\"api_key\":\"[REDACTED]\"} and {secrets: [{n: \"}\"}, {password: [REDACTED]}]}"#,
            ),
            (
                "{secrets: [{password: p14}], token: p15}",
                "{secrets: [{password: [REDACTED]}], token: [REDACTED]}",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        for kept in [
            "{passwordResetRequired: true, password: null, tokenCount: 3}",
            "{user: admin, url: https://x/a:b}",
            "password: x, not in braces",
            "{maxTokens: [512, 1024], users: [alice, bob], passwordNames: [a, b]}",
            "{passwords: [[REDACTED], \"[REDACTED]\", true, null]}",
            "{password: [REDACTED]}",
            "see {id}: password: x",
            "{note: \"}\"} password: x, don't {user: '}'} token: y",
        ] {
            assert_eq!(scrubbed(kept), kept);
        }
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic, keeps what it does not replace, and
        /// finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(password|tokens|a:b|é|\\\\\"|true|[ :'\"\n{},\\[\\]])*"
        ) {
            let once = scrubbed(&text);
            proptest::prop_assert_eq!(scrubbed(&once), once.clone());
            proptest::prop_assert!(once == text || once.contains(REDACTED));
        }
    }
}
