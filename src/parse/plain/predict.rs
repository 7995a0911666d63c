//! Predicted keys: a trail file writes its records' keys in much the same order record after
//! record, so the reader remembers, per kind of object (a record, its `userIdentity`, that
//! identity's `sessionContext` and `sessionIssuer`), each key it met as its exact text `"key":`
//! with the field that key fills, and which key followed it last time (and, when that changed,
//! the time before). At each member it first compares the bytes at the cursor with the key
//! predicted there (one 32-byte compare); on a miss, with the key that followed the time before,
//! then with the other keys the table holds; only when none is there does it scan the key and
//! match it against the field names, as [`Reader::object`] does, and learn what it found.
//!
//! Exact whatever is predicted: an entry is only ever made from a key the general way read (no
//! escape, no quote, no control character in it) together with the field that way gave it, and
//! a hit (predicted or not) means the text at the cursor is that entry's `"key":` byte for
//! byte, which the general way reads as the same key, unescaped, colon right after, so the same
//! field. A prediction that is wrong, stale or absent only costs the compares and the general way. A key met twice in one object
//! (told by its entry's bit), or a key no entry holds (too long, or its table full: it could
//! repeat unseen), hands the record back: the general way tells the same value written twice
//! from another (`parse/repeats.rs`).

use super::Reader;

/// Keys remembered per kind of object; a key met when the table is full is read the general
/// way each time.
const KEYS: usize = 32;
/// The longest `"key":` an entry holds (a key of 29 bytes); longer keys go the general way.
const WIDTH: usize = 32;
/// No entry: nothing predicted, or a key the table does not hold.
const NONE: u8 = u8::MAX;
/// The cursor is at an object's first member.
const START: u8 = u8::MAX - 1;

/// The tables: which kind of object a table is for.
pub(super) const TOP: usize = 0;
pub(super) const IDENTITY: usize = 1;
pub(super) const SESSION: usize = 2;
pub(super) const ISSUER: usize = 3;

/// A key met before: `"key":` and the field the general way gave it.
#[derive(Clone, Copy)]
struct Entry {
    /// The key with its quotes and colon in the first `len` bytes, zeros after.
    text: [u8; WIDTH],
    len: u8,
    field: u8,
    /// The entry of the key that followed this one last time, or [`NONE`].
    next: u8,
    /// The entry of the key that followed this one the time before, when another did last
    /// time, or [`NONE`]: the other way of a record that sometimes holds a key (`errorCode`,
    /// `resources`) and sometimes not, compared before the table's other keys.
    alt: u8,
}

const EMPTY: Entry = Entry {
    text: [0; WIDTH],
    len: 0,
    field: 0,
    next: NONE,
    alt: NONE,
};

/// The keys of one kind of object, in the order they were first met (only ever appended).
#[derive(Clone)]
struct KeyTable {
    entries: [Entry; KEYS],
    n: u8,
    /// The entry of the key that opened the last object of this kind, or [`NONE`].
    first: u8,
}

impl Default for KeyTable {
    fn default() -> Self {
        KeyTable {
            entries: [EMPTY; KEYS],
            n: 0,
            first: NONE,
        }
    }
}

impl KeyTable {
    /// The entry of `quoted` (a key with its quotes, without the colon) filling `field`, added
    /// when it is new; [`NONE`] when it is too long or the table is full.
    fn find_or_add(&mut self, quoted: &[u8], field: u8) -> u8 {
        let len = quoted.len() + 1;
        if len > WIDTH {
            return NONE;
        }
        let n = usize::from(self.n);
        if let Some(j) = self.entries[..n]
            .iter()
            .position(|e| usize::from(e.len) == len && &e.text[..len - 1] == quoted)
        {
            return j as u8;
        }
        if n == KEYS {
            return NONE;
        }
        let e = &mut self.entries[n];
        e.text = [0; WIDTH];
        e.text[..len - 1].copy_from_slice(quoted);
        e.text[len - 1] = b':';
        e.len = len as u8;
        e.field = field;
        e.next = NONE;
        e.alt = NONE;
        self.n += 1;
        n as u8
    }
}

/// What a reader remembers from record to record: the key tables, room for the keys of a
/// skipped value's open objects (`skip.rs`), kept so that no record sets either up again, and
/// the skipped values and identities read before (`known.rs`, `identities.rs`). One per thread
/// of records (a trail reader keeps one for a window's records); a fresh one only predicts and
/// remembers nothing.
#[derive(Clone, Default)]
pub struct Memo {
    tables: [KeyTable; 4],
    pub(super) open: super::skip::OpenKeys,
    /// Skipped objects and arrays met before (`known.rs`).
    pub(super) known: super::known::Known,
    /// `userIdentity` objects read before (`identities.rs`).
    pub(super) identities: super::identities::Identities,
    /// Tests only: predict nothing (every key read and matched the general way, every skipped
    /// value read again), while the tables still learn each key, so that a key met twice in an
    /// object is told as ever.
    pub(super) blind: bool,
}

/// Where an object's members stand in its table: the entry predicted for the next member, the
/// entry of the member before ([`START`] at the first, [`NONE`] after a key not held), and a bit
/// per entry met in this object (a key met twice is handed back: `parse/repeats.rs` decides).
pub(super) struct Cursor {
    want: u8,
    last: u8,
    met: u32,
}

impl Reader<'_, '_> {
    /// A cursor at the first member of an object of kind `table`.
    #[inline(always)]
    pub(super) fn cursor(&self, table: usize) -> Cursor {
        Cursor {
            want: self.m.tables[table].first,
            last: START,
            met: 0,
        }
    }

    /// The key of the member at `self.i` and its colon, whitespace after it skipped: the field
    /// `dispatch` gives that key. The predicted key's bytes compared first, else the general way.
    #[inline(always)]
    pub(super) fn predicted_key(
        &mut self,
        table: usize,
        c: &mut Cursor,
        dispatch: fn(&str) -> u8,
    ) -> Option<u8> {
        let t = &self.m.tables[table];
        if let (false, Some(e), Some(at)) = (
            cfg!(test) && self.m.blind,
            t.entries.get(usize::from(c.want)),
            self.b.get(self.i..self.i + WIDTH),
        ) {
            if same_key(at, &e.text, e.len) {
                // The same key twice in one object: which value counts is the general way's.
                let bit = 1u32 << c.want;
                if c.met & bit != 0 {
                    return None;
                }
                c.met |= bit;
                self.i += usize::from(e.len);
                c.last = c.want;
                c.want = e.next;
                let field = e.field;
                self.ws();
                return Some(field);
            }
        }
        self.learned_key(table, c, dispatch)
    }

    /// [`Reader::predicted_key`] on a miss: another entry of the table whose `"key":` is the
    /// text at the cursor byte for byte (a key met before in another order: a record that holds
    /// `errorCode` where the one before did not), exact as a predicted hit is; else the key read
    /// as [`Reader::object`] reads it (an escaped key is serde_json's), its field, and what the
    /// table learns from it.
    #[inline(never)]
    fn learned_key(
        &mut self,
        table: usize,
        c: &mut Cursor,
        dispatch: fn(&str) -> u8,
    ) -> Option<u8> {
        if let (false, Some(at)) = (
            cfg!(test) && self.m.blind,
            self.b.get(self.i..self.i + WIDTH),
        ) {
            let t = &self.m.tables[table];
            let held = &t.entries[..usize::from(t.n)];
            // The key that followed the member before the time before, then every key held.
            let alt = held.get(usize::from(c.last)).map_or(NONE, |e| e.alt);
            let found = match held.get(usize::from(alt)) {
                Some(e) if same_key(at, &e.text, e.len) => Some(usize::from(alt)),
                _ => held.iter().position(|e| same_key(at, &e.text, e.len)),
            };
            if let Some(j) = found {
                let (len, field) = (held[j].len, held[j].field);
                self.i += usize::from(len);
                self.ws();
                self.met(table, c, j as u8)?;
                return Some(field);
            }
        }
        if self.peek()? != b'"' {
            return None;
        }
        let open = self.i;
        let (key, escaped) = self.string()?;
        if escaped {
            return None;
        }
        let close = self.i;
        self.ws();
        if self.peek()? != b':' {
            return None;
        }
        self.i += 1;
        self.ws();
        let field = dispatch(key);
        let entry = self.m.tables[table].find_or_add(&self.b[open..close], field);
        self.met(table, c, entry)?;
        Some(field)
    }

    /// The member whose key is `entry` of the table met: `None` when this object met it before,
    /// or when the table does not hold the key (it could be met again unseen: the general way
    /// reads this object); else the order learned and the next key predicted.
    fn met(&mut self, table: usize, c: &mut Cursor, entry: u8) -> Option<()> {
        let t = &mut self.m.tables[table];
        let bit = 1u32.checked_shl(u32::from(entry))?;
        if c.met & bit != 0 {
            return None;
        }
        c.met |= bit;
        match c.last {
            START => t.first = entry,
            NONE => {}
            last => {
                let e = &mut t.entries[usize::from(last)];
                if e.next != entry {
                    e.alt = e.next;
                    e.next = entry;
                }
            }
        }
        c.last = entry;
        c.want = t.entries.get(usize::from(entry)).map_or(NONE, |e| e.next);
        Some(())
    }
}

/// Whether the first `len` bytes of `at` are the first `len` of `key` (`len` at most 32).
#[inline(always)]
fn same_key(at: &[u8], key: &[u8; WIDTH], len: u8) -> bool {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        let Ok(at) = <[u8; WIDTH]>::try_from(&at[..WIDTH]) else {
            return false;
        };
        // SAFETY: `equal32` only needs SSE2, which this build targets (the cfg above); it takes
        // its bytes by value, no pointer is involved.
        #[allow(unsafe_code)]
        let equal = unsafe { equal32(at, *key) };
        let need = ((1u64 << len) - 1) as u32;
        equal & need == need
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        let len = usize::from(len);
        at.get(..len) == key.get(..len)
    }
}

/// One bit per byte position where `a` and `b` hold the same byte.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn equal32(a: [u8; WIDTH], b: [u8; WIDTH]) -> u32 {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_movemask_epi8};
    let [a0, a1]: [__m128i; 2] = bytemuck::cast(a);
    let [b0, b1]: [__m128i; 2] = bytemuck::cast(b);
    let low = _mm_movemask_epi8(_mm_cmpeq_epi8(a0, b0)) as u32;
    let high = _mm_movemask_epi8(_mm_cmpeq_epi8(a1, b1)) as u32;
    low | high << 16
}

#[cfg(test)]
impl Memo {
    /// A memo that predicts nothing, so that every key is read and matched the general way
    /// (the tests' reference for the predicted reader); it learns the keys all the same, as a
    /// key met twice in one object is told by the entry it has.
    pub(super) fn blind() -> Memo {
        Memo {
            blind: true,
            ..Memo::default()
        }
    }
}

#[cfg(test)]
mod tests;
