//! Rule 5's secrets found by their shape in any string: an STS session token (by the prefix
//! every one starts with), the value of `NAME=value` whose name is secret-bearing or a request
//! signature, the password of a URL's user information.
//!
//! Pure: no I/O.

use std::sync::LazyLock;

use super::{holds, is_secret_text, normalises_to, replaced, Holds, REDACTED};

/// Rule 5: every STS session token starts with one of these (the base64 of its fixed header).
const SESSION_TOKEN_PREFIXES: &[&str] = &["IQoJb3JpZ2lu", "FwoGZXIvYXdz", "FQoGZXIvYXdz"];

/// Rule 5: every STS session token in `s`, to the end of its base64 (`%2B`-style escapes too).
/// Found by the last 8 bytes of its prefix (one `memmem` pass each; rare in other text).
pub(super) fn tokens(s: &str) -> Option<String> {
    static TAILS: LazyLock<[memchr::memmem::Finder<'static>; 2]> = LazyLock::new(|| {
        ["b3JpZ2lu", "ZXIvYXdz"].map(|t| memchr::memmem::Finder::new(t.as_bytes()))
    });
    let b = s.as_bytes();
    let mut starts: Vec<usize> = TAILS
        .iter()
        .flat_map(|f| f.find_iter(b))
        .filter_map(|j| j.checked_sub(4))
        .filter(|&i| {
            SESSION_TOKEN_PREFIXES
                .iter()
                .any(|p| b[i..].starts_with(p.as_bytes()))
        })
        .collect();
    if starts.is_empty() {
        return None;
    }
    starts.sort_unstable();
    let mut spans = Vec::new();
    let mut end = 0;
    for i in starts {
        if i < end {
            continue;
        }
        end = i;
        while end < b.len() {
            match b[end] {
                c if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=') => end += 1,
                b'%' if b.len() > end + 2
                    && b[end + 1].is_ascii_hexdigit()
                    && b[end + 2].is_ascii_hexdigit() =>
                {
                    end += 3
                }
                _ => break,
            }
        }
        spans.push((i, end));
    }
    Some(replaced(s, &spans))
}

/// What `name` (of `name=value` in a string) says of its value: rule 1, or a request signature
/// (SigV4's `X-Amz-Signature`, SigV2's `Signature`).
fn assigned(name: &str) -> Option<Holds> {
    let signature = normalises_to(name, "xamzsignature") || normalises_to(name, "signature");
    signature.then_some(Holds::Secret).or_else(|| holds(name))
}

/// Rule 5: the value of every `NAME=value` in `s` whose name is secret-bearing.
pub(super) fn assignments(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for eq in memchr::memchr_iter(b'=', b) {
        if spans.last().is_some_and(|&(_, to)| eq < to) {
            continue;
        }
        let start = b[..eq]
            .iter()
            .rposition(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))
            .map_or(0, |p| p + 1);
        let Some(h) = (start < eq).then(|| assigned(&s[start..eq])).flatten() else {
            continue;
        };
        let (from, to) = match (b.get(eq + 1), b.get(eq + 2)) {
            (Some(&q @ (b'"' | b'\'')), _) => {
                let close = memchr::memchr(q, &b[eq + 2..]).map_or(b.len(), |p| eq + 2 + p);
                (eq + 2, close)
            }
            // `\"…\"`: quoted inside a quoted string (JSON's, a shell's).
            (Some(b'\\'), Some(&q @ (b'"' | b'\''))) => {
                let close =
                    memchr::memmem::find(&b[eq + 3..], &[b'\\', q]).map_or(b.len(), |p| eq + 3 + p);
                (eq + 3, close)
            }
            _ => {
                // An escaped line break (`\n`) after the value is taken with it: a password
                // may hold a backslash, and the text is then cut short rather than the secret.
                let to = b[eq + 1..]
                    .iter()
                    .position(|&c| {
                        c.is_ascii_whitespace() || matches!(c, b'&' | b';' | b',' | b'"' | b'\'')
                    })
                    .map_or(b.len(), |p| eq + 1 + p);
                (eq + 1, to)
            }
        };
        if from < to && is_secret_text(&s[from..to], h) {
            spans.push((from, to));
        }
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// Rule 5: the password of every URL's user information in `s` (`scheme://user:pass@host`).
pub(super) fn userinfo(s: &str) -> Option<String> {
    static SCHEME_END: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"://"));
    let b = s.as_bytes();
    let mut spans = Vec::new();
    for at in SCHEME_END.find_iter(b) {
        let from = at + 3;
        let authority = b[from..]
            .iter()
            .position(|&c| {
                c.is_ascii_whitespace() || matches!(c, b'/' | b'?' | b'#' | b'"' | b'\'')
            })
            .map_or(b.len(), |p| from + p);
        let Some(user_end) = memchr::memrchr(b'@', &b[from..authority]).map(|p| from + p) else {
            continue;
        };
        let Some(colon) = memchr::memchr(b':', &b[from..user_end]).map(|p| from + p) else {
            continue;
        };
        if colon + 1 < user_end && &s[colon + 1..user_end] != REDACTED {
            spans.push((colon + 1, user_end));
        }
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}
