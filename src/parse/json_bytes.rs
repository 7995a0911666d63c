//! The two byte-level steps every hand-written JSON scan of `parse` takes: past whitespace, and
//! to the end of a string. One home for `shape`'s readers and `repeats.rs`, which cannot import
//! `shape` (it imports them). Pure; depends on nothing.

/// The first position at or after `pos` that is not JSON whitespace.
#[inline]
pub(super) fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

/// Where the string starting at `at` (a `"`) ends: just after its closing quote; `None` when
/// the text ends first.
#[inline]
pub(super) fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}
