//! A CloudTrail record read into a [`RecordView`] without serde: one pass over its bytes that
//! checks the JSON and picks out the view's fields, several times faster than serde_json's
//! derived reader on trail files (strings are crossed eight bytes at a time).
//!
//! It only answers when it can vouch for the answer serde_json would give: keys without
//! escapes, no repeated field of the view, every scalar field a string, boolean or null, no
//! `\u` escape of a surrogate, nesting and numbers well inside what a `Value` holds. On
//! anything else, or on text that is cut or not JSON, it says `None` and the caller reads the
//! record with serde_json, as it always did; so serde_json stays the definition, and a unit
//! test and a property test check that both readers agree wherever this one answers.
//!
//! Pure: no I/O, and no allocation but a memo's room for the values and identities it
//! remembers (`known.rs`, `identities.rs`: made once per memo); a `true`/`false` read as text
//! borrows the word.

use super::lenient::Text;
use super::record::{json_error, Raw, RecordProblem, RecordView};
use crate::model::GapKind;
use std::borrow::Cow;

/// Deeper than this, serde_json decides (its recursion limit is 128).
const MAX_DEPTH: u32 = 64;
/// Longer numbers, or exponents of more digits, may not fit a `Value` (see `json_text`).
const MAX_NUMBER: usize = 64;
const MAX_EXPONENT_DIGITS: usize = 2;

impl<'a> RecordView<'a> {
    /// The record that is the whole of `raw` (whitespace around it allowed), read by the plain
    /// reader when it can vouch for the answer, else by serde_json: the same view either way.
    pub fn parse(raw: &'a str) -> Result<Self, RecordProblem> {
        let mut memo = Memo::default();
        let mut r = Reader {
            s: raw,
            b: raw.as_bytes(),
            i: 0,
            m: &mut memo,
        };
        r.ws();
        if let Some(view) = r.record() {
            r.ws();
            if r.i == raw.len() {
                return Ok(view);
            }
        }
        // serde's derived reader takes an array as the fields in order (`[{...}]` would be a
        // record whose eventTime is an object): only an object is a record.
        if !raw
            .trim_start_matches([' ', '\t', '\n', '\r'])
            .starts_with('{')
        {
            return Err(RecordProblem {
                kind: GapKind::MalformedRecord,
                reason: "not a CloudTrail record: not a JSON object".into(),
            });
        }
        let view = serde_json::from_str(raw).map_err(|e| RecordProblem {
            kind: GapKind::MalformedRecord,
            reason: format!("not a CloudTrail record: {}", json_error(&e)),
        })?;
        // serde_json's view keeps the last of a nested key written twice, and ignores a
        // top-level key it does not read: which value AWS wrote is not known (the plain reader
        // hands such a record back, so it is looked for here).
        if let Some(path) = super::repeats::record_differing(raw) {
            return Err(RecordProblem {
                kind: GapKind::MalformedRecord,
                reason: format!(
                    "a CloudTrail record that writes {} twice with different values: which one AWS wrote is not known, so the record is not read",
                    super::repeats::key_named(&path)
                ),
            });
        }
        Ok(view)
    }
}

/// The record whose text starts at `pos` (an `{`, no whitespace before it), read into `view`,
/// and the position just after it; or `None` when serde_json must decide (`view` then holds
/// nothing to rely on). When it answers, the record's text is valid JSON that serde_json reads
/// into the same view, holds no lone surrogate and fits a `serde_json::Value` (so `json_text`
/// has nothing to fix or report). A reader of many records reuses one `view`: it is filled where
/// it is (several hundred bytes), not moved on its way out; and one `memo`, which predicts each
/// record's keys from the records before (`predict.rs`) and changes no answer.
pub fn read_plain_into<'a>(
    text: &'a str,
    pos: usize,
    view: &mut RecordView<'a>,
    memo: &mut Memo,
) -> Option<usize> {
    let mut r = Reader {
        s: text,
        b: text.as_bytes(),
        i: pos,
        m: memo,
    };
    r.record_into(view)?;
    Some(r.i)
}

/// [`read_plain_into`] into a view of its own (the tests' form).
#[cfg(test)]
pub fn read_plain(text: &str, pos: usize) -> Option<(RecordView<'_>, usize)> {
    let mut view = RecordView::default();
    let end = read_plain_into(text, pos, &mut view, &mut Memo::default())?;
    Some((view, end))
}

struct Reader<'a, 'm> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    /// What is remembered from record to record (`predict.rs`).
    m: &'m mut Memo,
}

impl<'a> Reader<'a, '_> {
    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// The members of the object at `self.i` (its `{`): `member` is called with the key and the
    /// position at the value (whitespace skipped), and must read exactly the value.
    fn object(
        &mut self,
        depth: u32,
        mut member: impl FnMut(&mut Self, &'a str) -> Option<()>,
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let (key, escaped) = self.string()?;
            if escaped {
                return None;
            }
            self.ws();
            if self.peek()? != b':' {
                return None;
            }
            self.i += 1;
            self.ws();
            member(self, key)?;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    #[inline]
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// A number by JSON's grammar, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, of at most
    /// [`MAX_NUMBER`] characters and [`MAX_EXPONENT_DIGITS`] exponent digits.
    fn number(&mut self) -> Option<()> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            let at = self.i;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
            if self.i - at > MAX_EXPONENT_DIGITS {
                return None;
            }
        }
        // A digit right after `0` (`01`) is not JSON; serde_json says so.
        if self.peek()?.is_ascii_digit() || self.i - start > MAX_NUMBER {
            return None;
        }
        Some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
    }

    /// The string at `self.i` (its opening quote): its content as written and whether it holds
    /// an escape. `None` on a control character, a bad escape, a surrogate escape or the end.
    /// Inlined where it is called: most strings end at the first special byte.
    #[inline(always)]
    fn string(&mut self) -> Option<(&'a str, bool)> {
        let start = self.i + 1;
        let end = start + special(self.b.get(start..)?)?;
        if self.b[end] == b'"' {
            self.i = end + 1;
            return Some((self.s.get(start..end)?, false));
        }
        self.string_from(start, end)
    }

    /// [`Reader::string`] for a value nothing reads: the same checks and the same end, without
    /// taking its text as a `&str` (a call per string that cannot fail: both ends of a string's
    /// content are next to an ASCII quote, so on a character boundary of the text).
    #[inline(always)]
    fn skip_string(&mut self) -> Option<()> {
        let start = self.i + 1;
        let end = start + special(self.b.get(start..)?)?;
        if self.b[end] == b'"' {
            self.i = end + 1;
            return Some(());
        }
        self.string_from(start, end).map(drop)
    }

    /// [`Reader::string`] from its first special byte at `i`, which is not the closing quote.
    #[inline(never)]
    fn string_from(&mut self, start: usize, mut i: usize) -> Option<(&'a str, bool)> {
        let mut escaped = false;
        loop {
            match self.b[i] {
                b'"' => {
                    self.i = i + 1;
                    return Some((self.s.get(start..i)?, escaped));
                }
                b'\\' => {
                    escaped = true;
                    match *self.b.get(i + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                        b'u' => {
                            let hex = std::str::from_utf8(self.b.get(i + 2..i + 6)?).ok()?;
                            if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                                return None;
                            }
                            let unit = u16::from_str_radix(hex, 16).ok()?;
                            if (0xD800..=0xDFFF).contains(&unit) {
                                return None;
                            }
                            i += 6;
                        }
                        _ => return None,
                    }
                }
                // A control character: not JSON.
                _ => return None,
            }
            i += special(self.b.get(i..)?)?;
        }
    }

    /// A scalar field into `dst`, as [`Reader::text`] reads it (`dst` untouched when it says
    /// `None`). Written where the field is, not returned through the stack and copied there:
    /// that copy loaded sixteen bytes the callee had just stored as eight and eight, a stalled
    /// load for every text field of every record.
    #[inline(never)]
    fn text_into(&mut self, depth: u32, dst: &mut Text<'a>) -> Option<()> {
        *dst = self.text(depth)?;
        Some(())
    }

    /// A scalar field: a string without escapes borrows, a boolean is its word, `null`, an
    /// object or an array is no text (as [`Text`]'s serde reader has it).
    #[inline(always)]
    fn text(&mut self, depth: u32) -> Option<Text<'a>> {
        match self.peek()? {
            b'"' => match self.string()? {
                (s, false) => Some(Text(Some(Cow::Borrowed(s)))),
                (_, true) => None,
            },
            b't' => self
                .literal(b"true")
                .map(|()| Text(Some(Cow::Borrowed("true")))),
            b'f' => self
                .literal(b"false")
                .map(|()| Text(Some(Cow::Borrowed("false")))),
            b'n' => self.literal(b"null").map(|()| Text(None)),
            b'{' | b'[' => self.skip(depth).map(|()| Text(None)),
            // Numbers are printed by serde_json's rules: it decides.
            _ => None,
        }
    }

    /// A value kept as text: `null` is none.
    fn raw(&mut self, depth: u32) -> Option<Option<Raw<'a>>> {
        if self.peek()? == b'n' {
            return self.literal(b"null").map(|()| None);
        }
        let start = self.i;
        self.skip(depth)?;
        Some(Some(Raw::checked(self.s.get(start..self.i)?)))
    }

    /// A nested view: an object, or `null` for none; anything else is for serde_json.
    fn nested<T: Default>(
        &mut self,
        depth: u32,
        read: impl FnOnce(&mut Self, u32) -> Option<T>,
    ) -> Option<Option<T>> {
        match self.peek()? {
            b'n' => self.literal(b"null").map(|()| None),
            b'{' => read(self, depth + 1).map(Some),
            _ => None,
        }
    }

    /// [`Reader::nested`] into `slot` where it is: an object is read into the view `slot`
    /// already holds (a default one when it holds none), `null` empties it. Several hundred
    /// bytes of a `userIdentity` are not built apart and copied in, record after record.
    #[inline(always)]
    fn nested_into<T: Default>(
        &mut self,
        depth: u32,
        slot: &mut Option<T>,
        read: impl FnOnce(&mut Self, u32, &mut T) -> Option<()>,
    ) -> Option<()> {
        match self.peek()? {
            b'n' => self.literal(b"null").map(|()| *slot = None),
            b'{' => read(self, depth + 1, slot.get_or_insert_with(T::default)),
            _ => None,
        }
    }
}

mod fields;
mod identities;
mod known;
mod predict;
mod skip;
mod special;

pub use predict::Memo;
pub(crate) use special::special;

#[cfg(test)]
mod tests;

/// The reader on every object of every sample (beside `tests`, which reads no sibling module).
#[cfg(test)]
mod samples {
    use super::tests::{agrees, by_serde};

    #[test]
    fn the_plain_reader_takes_nearly_every_sample_record_and_agrees() {
        let (mut records, mut read) = (0, 0);
        for (_, content) in super::super::shape::all_samples() {
            let Ok(text) = std::str::from_utf8(&content) else {
                continue;
            };
            // Every object in every sample, nested or not: the reader must never disagree.
            for (pos, _) in text.match_indices('{') {
                let answered = agrees(text, pos);
                if by_serde(text, pos).is_some_and(|(v, _)| v.event_name.as_str().is_some()) {
                    records += 1;
                    read += usize::from(answered);
                }
            }
        }
        assert!(records > 3000, "{records} records");
        assert!(read * 100 > records * 95, "{read} of {records} read plain");
    }
}
