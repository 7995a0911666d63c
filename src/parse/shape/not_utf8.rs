//! Documents whose strings hold bytes that are not UTF-8 (a Latin-1 export, a damaged file):
//! read as a copy with `?` in place of each such byte, and each element that held one rejected
//! with its index.

use super::Ctx;

impl Ctx<'_> {
    /// A document whose strings hold bytes that are not UTF-8 (a Latin-1 export, a damaged
    /// file): read as a copy with `?` in place of each such byte, off the fast path, and every
    /// element that held one rejected with its index ([`Ctx::element`]); the others are read.
    /// Bytes outside any string leave the copy invalid JSON: the gap says where, as before.
    pub(super) fn values_not_utf8(&mut self, body: &[u8]) {
        let skipped = (body.as_ptr() as usize).wrapping_sub(self.document_at);
        let mut copy = body.to_vec();
        let mut at = Vec::new();
        let mut from = 0;
        while let Some((bad, len)) = not_utf8_at(&copy[from..]) {
            copy[from + bad..from + bad + len].fill(b'?');
            at.extend(from + bad..from + bad + len);
            from += bad + len;
        }
        let base = copy.as_ptr() as usize;
        self.not_utf8 = at.into_iter().map(|n| (base + n, skipped + n)).collect();
        let fast = std::mem::replace(&mut self.fast, false);
        // Offsets in the copy are the document's (a resync's gaps name them).
        let document_at = std::mem::replace(&mut self.document_at, base.wrapping_sub(skipped));
        self.values(&copy);
        self.document_at = document_at;
        self.fast = fast;
        self.not_utf8.clear();
    }

    /// Whether `body` (the rest of the values [`Ctx::values`] reads) holds bytes that are not
    /// UTF-8 and is not already the copy read in their place. Checked once for the values: a
    /// later value's body is part of the first's.
    pub(super) fn not_utf8_pending(&mut self, body: &[u8]) -> bool {
        if self.text_checked || !self.not_utf8.is_empty() {
            return false;
        }
        let pending = not_utf8_at(body).is_some();
        self.text_checked = !pending;
        pending
    }

    /// The document offset of the first byte that was not UTF-8 within `text` (a part of the
    /// copy [`Ctx::values_not_utf8`] reads), if any.
    pub(super) fn not_utf8_in(&self, text: &str) -> Option<usize> {
        if self.not_utf8.is_empty() {
            return None;
        }
        let start = text.as_ptr() as usize;
        let n = self.not_utf8.partition_point(|&(a, _)| a < start);
        self.not_utf8
            .get(n)
            .filter(|&&(a, _)| a < start + text.len())
            .map(|&(_, offset)| offset)
    }
}

/// Where `bytes` first holds a sequence that is not UTF-8, and its length; `None` when it is
/// all UTF-8 (a character cut at the very end counts: it is not text either).
fn not_utf8_at(bytes: &[u8]) -> Option<(usize, usize)> {
    match std::str::from_utf8(bytes) {
        Ok(_) => None,
        Err(e) => {
            let len = e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
            Some((e.valid_up_to(), len))
        }
    }
}
