//! The lines of free text for the line-based rules (configuration lines, YAML block lists): a
//! line ends at a newline, real or written as the escape `\n` (a YAML document inside a JSON
//! string that is not parsed whole, an `echo -e` or `printf` in a command), a `\r` before it
//! not counted. An escaped backslash before `n` (`\\n`) is no line break.
//!
//! Pure: no I/O.

/// The byte ranges of the lines of `s`, without their line breaks.
pub(super) fn lines(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        let (end, next) = match b[i] {
            b'\n' => (i - usize::from(i > from && b[i - 1] == b'\r'), i + 1),
            b'\\' if b.get(i + 1) == Some(&b'n') && unescaped(b, i) => {
                let cr = i >= from + 2 && &b[i - 2..i] == b"\\r" && unescaped(b, i - 2);
                (if cr { i - 2 } else { i }, i + 2)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push((from, end));
        from = next;
        i = next;
    }
    out.push((from, b.len()));
    out
}

/// Whether `s` has a line break written as the escape `\n`: its text is then inside a quoted
/// string (JSON's, a shell's), which an unescaped `"` closes.
pub(super) fn has_escaped_breaks(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memmem::find_iter(b, b"\\n").any(|i| unescaped(b, i))
}

/// How much of a bare (unquoted) value to read: all of it, or, in text with escaped line
/// breaks (`escaped`), up to an unescaped `"` (where the string holding the text closes:
/// `{"cfg": "password: x"} …`).
pub(super) fn bare_len(value: &str, escaped: bool) -> usize {
    let b = value.as_bytes();
    match escaped {
        true => (0..b.len())
            .find(|&i| b[i] == b'"' && unescaped(b, i))
            .unwrap_or(b.len()),
        false => b.len(),
    }
}

/// Whether the byte at `at` is not escaped: an even number of backslashes before it.
fn unescaped(b: &[u8], at: usize) -> bool {
    b[..at].iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_and_escaped_newlines_end_lines_an_escaped_backslash_does_not() {
        let s = "a\r\nb\\nc\\r\\nd\\\\ne\n";
        let got: Vec<&str> = lines(s).iter().map(|&(f, t)| &s[f..t]).collect();
        assert_eq!(got, ["a", "b", "c", "d\\\\ne", ""]);
    }
}
