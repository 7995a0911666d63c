//! JSON values, one after another: a document is one value, or several written back to back
//! (`cat a.json b.json`, gzip members joined with `cat`); each is read as what it is.

use super::resync::Resynced;
use super::stream::{ElementsVisitor, Top, TopVisitor};
use super::text::{not_json, records_array, skip_ws};
use super::Ctx;
use crate::model::GapKind;
use crate::parse::record::json_error;
use serde::de::{Deserializer, IgnoredAny};
use serde_json::value::RawValue;

impl Ctx<'_> {
    /// The values of `body`, which starts with `{` or `[`.
    pub(super) fn values(&mut self, body: &[u8]) {
        self.text_checked = false;
        // The fast path's text: the whole body checked as UTF-8 once, when the first trail file
        // comes (not per document: that is quadratic on many documents back to back).
        let mut text: Option<Option<&str>> = None;
        let mut at = 0;
        loop {
            let rest = &body[at..];
            let fast = if self.fast && records_array(rest).is_some() {
                let text = text.get_or_insert_with(|| std::str::from_utf8(body).ok());
                text.map(|text| &text[at..])
            } else {
                None
            };
            let Some(end) = self.value(rest, fast) else {
                return;
            };
            at += end;
            let Some(skip) = body[at..].iter().position(|b| !b.is_ascii_whitespace()) else {
                return;
            };
            at += skip;
            if !matches!(body[at], b'{' | b'[') {
                let why = not_json(&body[at..]);
                // The file's offset (a byte order mark and leading whitespace count).
                let offset = at + (body.as_ptr() as usize).wrapping_sub(self.document_at);
                self.whole_file_gap(
                    GapKind::InvalidJson,
                    format!("after a whole JSON document, at byte {offset}: {why}"),
                );
                return;
            }
        }
    }

    /// One JSON value at the start of `body`: an array streams its elements, an object is
    /// classified by its keys. `Some(end)` when the value is whole and more content follows it.
    /// `fast` is `body` as text when it may be a trail file for the fast path.
    fn value(&mut self, body: &[u8], fast: Option<&str>) -> Option<usize> {
        if let Some(end) = fast.and_then(|text| self.trail_file(text)) {
            return (skip_ws(body, end) < body.len()).then_some(end);
        }
        // Bytes that are not UTF-8 make the whole document invalid to serde_json: the records
        // around them are read from a copy (the fast path above checked the text; trail files
        // pay nothing more here).
        if self.not_utf8_pending(body) {
            self.values_not_utf8(body);
            return None;
        }
        let (before, first) = (self.scan.records, self.next_index);
        self.handled_end = 0;
        let mut de = serde_json::Deserializer::from_slice(body);
        let result = match body.first() {
            // An array is a recognised input even when empty (`[]`: 0 records); what each
            // element is, is judged element by element.
            Some(b'[') => {
                self.scan.kinds.insert("json-array");
                de.deserialize_seq(ElementsVisitor { ctx: self, key: "" })
                    .map(|_| ())
            }
            _ => match de.deserialize_map(TopVisitor { ctx: self }) {
                Ok(Top { streamed: true, .. }) => Ok(()),
                Ok(Top {
                    streamed: false, ..
                }) => {
                    let index = self.take_index();
                    // The first value only: another may follow it.
                    let mut values =
                        serde_json::Deserializer::from_slice(body).into_iter::<&RawValue>();
                    match values.next() {
                        Some(Ok(raw)) => self.single(RawValue::get(raw), index, true),
                        Some(Err(e)) => Err(e),
                        None => Ok(()),
                    }
                }
                Err(e) => Err(e),
            },
        };
        match result.map(|_| de.end()) {
            Ok(Ok(())) => None,
            // Only trailing content: a value that is whole, and more after it.
            Ok(Err(_)) => Some(value_end(body)),
            // A syntax error: the elements after it are read on from the next one that can be
            // found (`resync.rs`); a document of no streamed array is told as a whole.
            Err(e) => match self.resync(body, &e, before, first) {
                Resynced::Ended(end) => (skip_ws(body, end) < body.len()).then_some(end),
                Resynced::Stopped => None,
                // An AWS CLI output whose errors are all inside its items: those items only.
                Resynced::NotStreamed => match self.without_bad_items(body) {
                    Some(end) => (skip_ws(body, end) < body.len()).then_some(end),
                    None => {
                        self.invalid(&e, before);
                        None
                    }
                },
            },
        }
    }

    /// The gap for a value that is not valid JSON, with the records read before the error.
    fn invalid(&mut self, e: &serde_json::Error, before: u64) {
        {
            let kept = self.scan.records - before;
            let what = if e.is_eof() {
                "the document ends early"
            } else if e.to_string().starts_with("recursion limit exceeded") {
                // Not a syntax error: the reader stops 128 levels deep, valid JSON or not.
                "nested too deep to read (past 128 levels)"
            } else {
                "invalid JSON"
            };
            let tail = if kept > 0 {
                format!("; the {kept} records before it were read")
            } else {
                String::new()
            };
            self.scan.gaps.push((
                None,
                GapKind::InvalidJson,
                format!("{what}: {}{tail}", json_error(e)),
            ));
        }
    }
}

/// Where the whole value at the start of `body` ends.
fn value_end(body: &[u8]) -> usize {
    let mut values = serde_json::Deserializer::from_slice(body).into_iter::<IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => values.byte_offset(),
        _ => body.len(),
    }
}
