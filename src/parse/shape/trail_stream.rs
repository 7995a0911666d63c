//! Trail files read while they inflate: `{"Records":[...]}` from a decompressing reader, a
//! window of about [`CHUNK`] bytes at a time, so that memory does not follow the size of the
//! largest file (a month of a busy organisation's trail has files of tens of megabytes).
//!
//! The same rule as the in-memory fast path ([`Ctx::trail_file`]): it only takes documents it
//! can finish. On anything else (not a trail file, a non-record element, invalid UTF-8 or JSON,
//! an inflate error, past the cap) it stops and says how many records it gave to the sink; the
//! caller then reads the file whole and the general path skips those records (`sink_from`).

use super::text::{closes_document, records_array, skip_ws};
use super::{Ctx, RecordView};
use crate::parse::plain::{read_plain_into, Memo};
use std::io::Read;

thread_local! {
    /// The plain reader's memo (the keys predicted, the values and identities met before) of
    /// this thread's last trail window, so that a window does not learn again what the ones
    /// before it taught: the keys of a trail's records, the sessions' identities and attributes
    /// are much the same from file to file. It changes no answer (`parse/plain/predict.rs`,
    /// `known.rs`, `identities.rs`: whatever it holds, a record reads as with a fresh memo), so
    /// which windows a thread read before, in whatever order, does not show in the output. A
    /// window that starts while another holds it (none does today) takes a fresh one.
    static MEMO: std::cell::Cell<Option<Box<Memo>>> = const { std::cell::Cell::new(None) };
}

/// Inflated bytes read at a time.
pub const CHUNK: usize = 256 * 1024;

/// After the closing `]`, at most this much may follow (whitespace and `}`) before giving up.
const TAIL_MAX: usize = 64 * 1024;

/// What the window expects next in the `Records` array.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Expect {
    /// A record or `]` (just after `[`).
    First,
    /// A record (after `,`).
    Record,
    /// `,` or `]` (after a record).
    Separator,
}

/// The inflated bytes read so far that are not yet parsed, and how much of them is valid UTF-8.
struct Window<'r> {
    reader: &'r mut dyn Read,
    buf: Vec<u8>,
    /// `buf[..valid]` is UTF-8; the rest is the start of a character cut by the chunk.
    valid: usize,
    eof: bool,
    inflated: u64,
    cap: u64,
    /// Bytes read at a time ([`CHUNK`]; tests use a few bytes to cut everything everywhere).
    chunk: usize,
}

impl Window<'_> {
    /// Drop `buf[..pos]` and read up to one more chunk. False on a read error, invalid UTF-8 or
    /// the cap: the document cannot be finished here.
    fn refill(&mut self, pos: usize) -> bool {
        self.buf.drain(..pos);
        self.valid -= pos;
        let start = self.buf.len();
        self.buf.resize(start + self.chunk, 0);
        let mut filled = start;
        while filled < self.buf.len() {
            match self.reader.read(&mut self.buf[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        self.buf.truncate(filled);
        self.inflated += (filled - start) as u64;
        if self.inflated > self.cap {
            return false;
        }
        match std::str::from_utf8(&self.buf[self.valid..]) {
            Ok(_) => self.valid = self.buf.len(),
            // A character cut at the end of the chunk: complete it with the next read.
            Err(e) if e.error_len().is_none() && !self.eof => self.valid += e.valid_up_to(),
            Err(_) => return false,
        }
        true
    }
}

impl Ctx<'_> {
    /// Reads a whole trail file from `reader` and returns true, or returns false with the
    /// records given so far counted in `next_index` (the caller hands the file to the general
    /// path with `sink_from` at that count).
    pub(super) fn trail_stream(&mut self, reader: &mut dyn Read, cap: u64, chunk: usize) -> bool {
        let mut w = Window {
            reader,
            buf: Vec::with_capacity(2 * chunk),
            valid: 0,
            eof: false,
            inflated: 0,
            cap,
            chunk: chunk.max(1),
        };
        // Enough to see `{"Records":[` however the chunks fall.
        while !w.eof && w.buf.len() < 4096 {
            if !w.refill(0) {
                return false;
            }
        }
        let body = w.buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&w.buf);
        let bom = w.buf.len() - body.len();
        let Some(start) = body.iter().position(|b| !b.is_ascii_whitespace()) else {
            return false;
        };
        let Some(open) = records_array(&body[start..]) else {
            return false;
        };
        self.scan.kinds.insert("cloudtrail-records");
        let mut pos = bom + start + open;
        let mut expect = Expect::First;
        loop {
            let Ok(text) = std::str::from_utf8(&w.buf[..w.valid]) else {
                return false;
            };
            match self.trail_window(text, pos, expect) {
                Step::More(at, next) => {
                    if w.eof || !w.refill(at) {
                        return false;
                    }
                    (pos, expect) = (0, next);
                }
                Step::Closed(at) => return finish_tail(&mut w, at),
                Step::Fail => return false,
            }
        }
    }

    /// Parses the records that are whole in `text` from `pos` (also the in-memory fast path's
    /// loop, with the whole document as the window), with the memo of this thread's windows
    /// before ([`MEMO`]): taken for the window and put back after it.
    pub(super) fn trail_window(&mut self, text: &str, pos: usize, expect: Expect) -> Step {
        let mut memo = MEMO.take().unwrap_or_default();
        let step = self.trail_window_with(text, pos, expect, &mut memo);
        MEMO.set(Some(memo));
        step
    }

    /// [`Ctx::trail_window`] with `memo`.
    fn trail_window_with(
        &mut self,
        text: &str,
        mut pos: usize,
        mut expect: Expect,
        memo: &mut Memo,
    ) -> Step {
        let bytes = text.as_bytes();
        // One view for every record of the window, filled in place.
        let mut view = RecordView::default();
        loop {
            pos = skip_ws(bytes, pos);
            let Some(&b) = bytes.get(pos) else {
                return Step::More(pos, expect);
            };
            match (expect, b) {
                (Expect::First | Expect::Separator, b']') => return Step::Closed(pos + 1),
                (Expect::Separator, b',') => {
                    pos += 1;
                    expect = Expect::Record;
                    continue;
                }
                (Expect::Separator, _) => return Step::Fail,
                _ => {}
            }
            if let Some(end) = read_plain_into(text, pos, &mut view, memo) {
                if view.looks_like_record() {
                    let index = self.take_index();
                    self.emit_plain(&text[pos..end], &view, index);
                    pos = end;
                    expect = Expect::Separator;
                    continue;
                }
            }
            let mut stream =
                serde_json::Deserializer::from_str(&text[pos..]).into_iter::<RecordView<'_>>();
            match stream.next() {
                // An array reads into a view too (its fields in order): not a record.
                Some(Ok(view)) if view.looks_like_record() && b == b'{' => {
                    let end = pos + stream.byte_offset();
                    // A key written twice with different values (a nested one, or a top-level
                    // one the view does not read): the general way names it in a gap
                    // (`repeats.rs`).
                    if crate::parse::repeats::record_differing(&text[pos..end]).is_some() {
                        return Step::Fail;
                    }
                    let index = self.take_index();
                    self.emit(&text[pos..end], &view, index, None, "cloudtrail");
                    pos = end;
                    expect = Expect::Separator;
                }
                // Cut by the window: read on.
                Some(Err(e)) if e.is_eof() => return Step::More(pos, expect),
                _ => return Step::Fail,
            }
        }
    }
}

pub(super) enum Step {
    /// Everything before this position is read; read on, expecting this.
    More(usize, Expect),
    /// The array closed just before this position.
    Closed(usize),
    Fail,
}

/// After the array: the rest of the file must close the document.
fn finish_tail(w: &mut Window<'_>, at: usize) -> bool {
    let mut at = at;
    while !w.eof {
        if w.buf.len() - at > TAIL_MAX || !w.refill(at) {
            return false;
        }
        at = 0;
    }
    w.valid == w.buf.len() && closes_document(&w.buf, at)
}

#[cfg(test)]
mod tests {
    use super::super::trail_file::tests::{all_samples, same_scan, syntax_error_cases, Seen, A, B};
    use super::super::{scan_document_from, scan_document_with, Ctx, DocumentScan};

    /// What `scan_stored` does: stream, and on a hand-back scan the whole with `sink_from`.
    fn streamed(bytes: &[u8], chunk: usize, cap: u64) -> (Seen, DocumentScan, bool) {
        let mut seen = Seen::default();
        let mut ctx = Ctx::new(&mut seen, 3, "x.json", true);
        let mut reader = bytes;
        if ctx.trail_stream(&mut reader, cap, chunk) {
            let scan = ctx.finish();
            return (seen, scan, true);
        }
        let given = ctx.next_index;
        let scan = scan_document_from(bytes, 3, "x.json", &mut seen, given);
        (seen, scan, false)
    }

    /// Streamed in chunks of `chunk` bytes, the result is the general path's, to the letter.
    fn same_as_general(bytes: &[u8], chunk: usize, what: &str) -> bool {
        let mut general = Seen::default();
        let b = scan_document_with(bytes, 3, "x.json", &mut general, false);
        let (seen, a, took) = streamed(bytes, chunk, u64::MAX);
        same_scan(
            (&seen, &a),
            (&general, &b),
            &format!("{what} (chunk {chunk})"),
        );
        took
    }

    #[test]
    fn every_sample_streams_as_the_general_path_reads_it() {
        let mut streamed = 0;
        for (path, content) in all_samples() {
            for chunk in [64, 4096, super::CHUNK] {
                let took = same_as_general(&content, chunk, &path);
                streamed += usize::from(took && chunk == super::CHUNK);
            }
        }
        assert!(streamed > 50, "only {streamed} files streamed");
    }

    #[test]
    fn cut_anywhere_the_stream_gives_the_general_result() {
        let cases = [
            format!(r#"{{"Records":[{A},{B}]}}"#),
            format!("\u{feff} \n{{ \"Records\" :\t[ {A} ,\r\n{B} ] }}\n\n"),
            r#"{"Records":[]}"#.to_string(),
            r#"{"Records":[ ]} x"#.to_string(),
            format!(r#"{{"Records":[{A},{{"foo":1}},{B}]}}"#),
            format!(r#"{{"Records":[{A},{{"eventName":"X","eventTime":"redacted"}},{B}]}}"#),
            format!(r#"{{"Records":[{A},{B}"#),
            format!(r#"{{"Records":[{A},{B},]}}"#),
            format!(r#"{{"Records":[{A},{B}]}}]"#),
            format!(r#"{{"Records":[{A} {B}]}}"#),
            format!(r#"{{"Records":[{A}],"Other":[{B}]}}"#),
            // Characters of two, three and four bytes, cut by every chunk size below.
            format!(
                r#"{{"Records":[{A},{{"eventTime":"2026-11-20T14:02:18Z","eventName":"Ωμέγα €😀"}},{B}]}}"#
            ),
            format!(r#"[{A},{B}]"#),
            format!("{A}\n{B}\n"),
            // Issue 13: a lone surrogate, a record too deep to export, documents back to back.
            format!(r#"{{"Records":[{A},{{"eventName":"X","userAgent":"\udc80"}},{B}]}}"#),
            format!(
                r#"{{"Records":[{A},{{"eventName":"X","eventTime":"2026-11-20T14:02:17Z","k":"\udc80"}},{B}]}}"#
            ),
            format!(
                r#"{{"Records":[{A},{{"eventName":"X","eventTime":"2026-11-20T14:02:17Z","k":{}1{}}},{B}]}}"#,
                "[".repeat(200),
                "]".repeat(200)
            ),
            format!(r#"{{"Records":[{A}]}}{{"Records":[{B}]}}"#),
        ];
        for case in cases.iter().chain(&syntax_error_cases()) {
            for chunk in [1, 2, 3, 5, 16, 1024] {
                same_as_general(case.as_bytes(), chunk, case);
            }
        }
        assert!(
            same_as_general(cases[11].as_bytes(), 1, "multibyte"),
            "it streams"
        );
        // Invalid UTF-8 in a field: handed back, same result.
        let mut bytes =
            format!(r#"{{"Records":[{A},{{"eventName":"X","s":"?"}},{B}]}}"#).into_bytes();
        let q = bytes.iter().position(|b| *b == b'?').unwrap();
        bytes[q] = 0xff;
        for chunk in [1, 7, 1024] {
            assert!(!same_as_general(&bytes, chunk, "invalid UTF-8"));
        }
    }

    #[test]
    fn past_the_cap_or_a_broken_reader_it_hands_back() {
        let doc = format!(r#"{{"Records":[{A},{B}]}}"#);
        let (_, _, took) = streamed(doc.as_bytes(), 8, 20);
        assert!(!took, "past the cap");
        struct Broken<'a>(&'a [u8]);
        impl std::io::Read for Broken<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() {
                    return Err(std::io::Error::other("corrupt deflate stream"));
                }
                let n = buf.len().min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut seen = Seen::default();
        let mut ctx = Ctx::new(&mut seen, 3, "x.json", true);
        assert!(!ctx.trail_stream(&mut Broken(doc.as_bytes()), u64::MAX, 16));
        let given = ctx.next_index;
        // The general path then reads what the inflater gave before it failed.
        let b = scan_document_from(doc.as_bytes(), 3, "x.json", &mut seen, given);
        let mut general = Seen::default();
        let a = scan_document_with(doc.as_bytes(), 3, "x.json", &mut general, false);
        same_scan((&seen, &b), (&general, &a), "broken reader");
    }
}
