//! Names from evidence (file names, S3 keys) shown on a terminal: control characters (ESC, CR,
//! newline, C1 controls) and bidirectional overrides are written as `\u{..}` escapes, so a name
//! cannot move the cursor, recolour the screen or forge a line of output. Pure.

use std::borrow::Cow;

/// Whether `c` would act on a terminal rather than be shown.
fn acts(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control character written as `\u{hex}` (a `\` is written `\\` then, so the
/// escaping can be told from a name that holds the same text).
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(acts) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if acts(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn controls_are_escaped_and_plain_names_kept() {
        assert_eq!(printable("cloudtrail/a b.json"), "cloudtrail/a b.json");
        assert_eq!(
            printable("x\u{1b}[2J\r\nverdict: ok\\"),
            "x\\u{1b}[2J\\u{d}\\u{a}verdict: ok\\\\"
        );
        assert_eq!(printable("a\u{9b}b\u{202e}"), "a\\u{9b}b\\u{202e}");
    }
}
