//! Whether a downloaded `.gz` object inflates, checked as a stream (an object is never held
//! whole): member by member, so that whole members followed by bytes that are not gzip (zero
//! padding, an appended note) are told apart from a stream that breaks off or is corrupt, in the
//! same words the local reader uses for the stored file (`source::files::gzip`).
//!
//! Memory: one 64 KiB read buffer and the inflater's window, whatever the object's size.

use std::io::{BufRead, Read};

/// Bytes shown of an object that does not start as gzip.
const SHOWN: usize = 16;
const MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Why a `.gz` object's bytes cannot be read as gzip, `None` when they can (every byte is part
/// of a whole gzip member); objects not named `.gz` are not checked.
pub fn unreadable(key: &str, bytes: impl Read) -> Option<String> {
    if !key.ends_with(".gz") {
        return None;
    }
    let mut input = Peek::new(bytes);
    let (mut members, mut inflated) = (0u32, 0u64);
    loop {
        let head = match input.peek(SHOWN) {
            Ok(head) => head,
            Err(e) => return Some(format!("it cannot be read back: {e}")),
        };
        if head.is_empty() {
            return (members == 0).then(|| "it is empty (0 bytes), not gzip".to_string());
        }
        if !head.starts_with(&MAGIC) {
            let shown = String::from_utf8_lossy(&head[..head.len().min(SHOWN)]).into_owned();
            let rest = std::io::copy(&mut input, &mut std::io::sink());
            return Some(match (members, rest) {
                (0, Ok(n)) => format!("it is not gzip ({n} bytes starting with {shown:?})"),
                (0, Err(_)) => format!("it is not gzip (starting with {shown:?})"),
                (_, Ok(n)) => format!(
                    "its gzip stream is whole ({members} member{}, {inflated} inflated bytes, all read), but the {n} bytes after it are not gzip (starting with {shown:?})",
                    if members == 1 { "" } else { "s" },
                ),
                (_, Err(e)) => format!("it cannot be read back: {e}"),
            });
        }
        let mut member = flate2::bufread::GzDecoder::new(&mut input);
        let mut counted = Counted(0);
        let result = std::io::copy(&mut member, &mut counted);
        inflated += counted.0;
        match result {
            Ok(_) => members += 1,
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Some(format!(
                    "its gzip stream is truncated after {inflated} inflated bytes"
                ))
            }
            Err(e) => return Some(format!("its gzip stream is corrupt: {e}")),
        }
    }
}

/// A sink that counts what it is given: the inflated bytes before a failure too.
struct Counted(u64);

impl std::io::Write for Counted {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A buffered reader that can look at its next few bytes even when they straddle two reads (a
/// member's end near the end of the buffer): `BufReader::fill_buf` cannot.
struct Peek<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
}

impl<R: Read> Peek<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
        }
    }

    /// The buffered bytes, at least `n` of them unless the stream ends first.
    fn peek(&mut self, n: usize) -> std::io::Result<&[u8]> {
        if self.end - self.start < n {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            while self.end < n {
                match self.inner.read(&mut self.buf[self.end..]) {
                    Ok(0) => break,
                    Ok(k) => self.end += k,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(&self.buf[self.start..self.end])
    }
}

impl<R: Read> Read for Peek<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Peek<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.start == self.end {
            self.start = 0;
            self.end = loop {
                match self.inner.read(&mut self.buf) {
                    Ok(k) => break k,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut e, bytes).unwrap();
        e.finish().unwrap()
    }

    /// A reader that gives one byte per call: every member boundary then falls between reads.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(out.len()).min(1);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn both(key: &str, bytes: &[u8]) -> Option<String> {
        let whole = unreadable(key, bytes);
        assert_eq!(whole, unreadable(key, Trickle(bytes)), "one byte at a time");
        whole
    }

    #[test]
    fn whole_members_are_readable() {
        let one = gzip(br#"{"Records":[]}"#);
        assert_eq!(both("a.json.gz", &one), None);
        assert_eq!(both("a.json.gz", &[one.clone(), one].concat()), None);
        assert_eq!(both("a.json", b"<html>"), None);
    }

    #[test]
    fn bytes_that_are_not_gzip_are_named_with_their_start() {
        let r = both("a.json.gz", b"<html>").unwrap();
        assert_eq!(r, "it is not gzip (6 bytes starting with \"<html>\")");
        assert_eq!(
            both("a.json.gz", b"").unwrap(),
            "it is empty (0 bytes), not gzip"
        );
    }

    /// Whole members then padding or a note: every member was read; it said "broken".
    #[test]
    fn bytes_after_whole_members_are_not_called_broken() {
        let one = gzip(br#"{"Records":[]}"#);
        for (stored, members, rest) in [
            ([one.clone(), b"trailing".to_vec()].concat(), 1, 8),
            ([one.clone(), one.clone(), vec![0; 1000]].concat(), 2, 1000),
            ([one.clone(), vec![0x1f]].concat(), 1, 1),
        ] {
            let r = both("a.json.gz", &stored).unwrap();
            assert!(
                r.starts_with(&format!(
                    "its gzip stream is whole ({members} member{}, {} inflated bytes, all read), but the {rest} bytes after it are not gzip",
                    if members == 1 { "" } else { "s" },
                    14 * members
                )),
                "{r}"
            );
        }
    }

    #[test]
    fn a_stream_cut_short_or_corrupt_is_named_so() {
        let gz = gzip(&br#"{"Records":[{"eventTime":"2026-01-01T00:00:00Z"}]}"#.repeat(50));
        let r = both("a.json.gz", &gz[..gz.len() / 2]).unwrap();
        assert!(r.starts_with("its gzip stream is truncated"), "{r}");
        let mut bad = gz.clone();
        bad[12] ^= 0xff;
        bad[13] ^= 0xff;
        let r = both("a.json.gz", &bad).unwrap();
        assert!(r.starts_with("its gzip stream is"), "{r}");
    }
}
