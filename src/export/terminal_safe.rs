//! JSON a terminal cannot act on, its values exact: serde_json escapes the C0 control characters
//! (ESC is `\u001b`) but writes DEL, the C1 controls (U+009B is a terminal's CSI) and the
//! bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) raw, so `cat
//! timeline.jsonl` could still act on a terminal or reorder what it shows. This writer replaces
//! each with its JSON escape (`\u009b`), which a JSON reader decodes to the same character.
//!
//! Sound for JSON only because these characters can stand only inside strings there; for the
//! CSV formats it changes nothing (their cells already escape them, `export::csv_cell`). Imports
//! nothing of the crate.

use std::io::{self, Write};

/// A writer of JSON whose DEL, C1 and bidirectional-override characters are written escaped.
pub struct TerminalSafe<W: Write> {
    inner: W,
    /// The start of a character cut by the end of the last write (at most 2 bytes).
    held: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W) -> TerminalSafe<W> {
        TerminalSafe {
            inner,
            held: Vec::new(),
        }
    }

    /// Write `bytes`, escaped, keeping back the start of a character they end inside.
    fn pass(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut at = 0;
        for i in memchr::memchr3_iter(0x7f, 0xc2, 0xe2, bytes) {
            if i < at {
                continue;
            }
            let (len, code) = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
                (0x7f, _, _) => (1, 0x7f),
                (0xc2, Some(&c @ 0x80..=0x9f), _) => (2, u32::from(c)),
                (0xe2, Some(&b @ (0x80 | 0x81)), Some(&c)) => {
                    let code = 0x2000 + (u32::from(b & 0x3f) << 6) + u32::from(c & 0x3f);
                    match code {
                        0x202a..=0x202e | 0x2066..=0x2069 => (3, code),
                        _ => continue,
                    }
                }
                (0xc2, None, _) | (0xe2, None, _) | (0xe2, Some(0x80 | 0x81), None) => {
                    self.inner.write_all(&bytes[at..i])?;
                    self.held.extend_from_slice(&bytes[i..]);
                    return Ok(());
                }
                _ => continue,
            };
            self.inner.write_all(&bytes[at..i])?;
            write!(self.inner, "\\u{code:04x}")?;
            at = i + len;
        }
        self.inner.write_all(&bytes[at..])
    }

    fn release(&mut self) -> io::Result<()> {
        let held = std::mem::take(&mut self.held);
        self.inner.write_all(&held)
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.held.is_empty() {
            self.pass(buf)?;
        } else {
            let mut joined = std::mem::take(&mut self.held);
            joined.extend_from_slice(buf);
            self.pass(&joined)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.release()?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        let _ = self.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(pieces: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut w = TerminalSafe::new(&mut out);
            for p in pieces {
                w.write_all(p).unwrap();
            }
            w.flush().unwrap();
        }
        out
    }

    #[test]
    fn del_c1_and_overrides_are_escaped_the_value_kept() {
        let value = "a\u{7f}b\u{9b}2J\u{85}\u{202e}c\u{2069}é\u{a0}\u{2014}\u{2028}";
        let json = serde_json::to_vec(&value).unwrap();
        let out = through(&[&json]);
        assert_eq!(
            String::from_utf8(out.clone()).unwrap(),
            "\"a\\u007fb\\u009b2J\\u0085\\u202ec\\u2069é\u{a0}\u{2014}\u{2028}\""
        );
        assert_eq!(serde_json::from_slice::<String>(&out).unwrap(), value);
        // A character cut between two writes is escaped the same.
        for cut in 1..json.len() {
            assert_eq!(through(&[&json[..cut], &json[cut..]]), out, "cut at {cut}");
        }
    }
}
