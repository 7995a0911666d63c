//! Passing over a value nothing reads, checked as the reader checks a value it reads: nested
//! objects and arrays in one loop, their kinds in a stack of bits, rather than a call per value
//! and a closure per member (most of a record's bytes are in values no field of the view holds:
//! `requestParameters`, `responseElements`, `tlsDetails`, the session's attributes).
//!
//! An object that writes a key twice is handed back, as one with an escaped key is: which of two
//! values counts is not for this reader to say (`parse/repeats.rs` reads such a record on the
//! general way and tells one whose values differ). The keys of the open objects are kept in a
//! fixed array, the reader's from record to record (no set-up per skipped value); past
//! [`KEYS_OPEN`] of them the record is handed back too.

use super::{special, Reader, MAX_DEPTH};

/// Keys of the open objects compared for repeats at most; a value with more open at once is
/// handed back (the general way reads it).
pub(super) const KEYS_OPEN: usize = 64;

/// The keys of the open objects, innermost last, each as (start, length) in the text, and
/// where each open object's keys begin. Only `..n` of `keys` and the `firsts` of the open
/// objects mean anything: what is past them is left from earlier values.
#[derive(Clone)]
pub(super) struct OpenKeys {
    keys: [(u32, u32); KEYS_OPEN],
    n: usize,
    firsts: [u8; MAX_DEPTH as usize + 1],
}

impl Default for OpenKeys {
    fn default() -> Self {
        OpenKeys {
            keys: [(0, 0); KEYS_OPEN],
            n: 0,
            firsts: [0; MAX_DEPTH as usize + 1],
        }
    }
}

impl OpenKeys {
    /// The object opened at nesting `open` has no key yet.
    #[inline(always)]
    fn opened(&mut self, open: u32) {
        self.firsts[open as usize] = self.n as u8;
    }

    /// The object at nesting `open` closed: its keys are forgotten.
    #[inline(always)]
    fn closed(&mut self, open: u32) {
        self.n = usize::from(self.firsts[open as usize]);
    }

    /// The key at `start..start + len` of `b`, a member of the object at nesting `open`: `None`
    /// when that object already wrote it, or when no more keys can be compared.
    #[inline(always)]
    fn first_time(&mut self, b: &[u8], open: u32, start: usize, len: usize) -> Option<()> {
        let key = &b[start..start + len];
        let first = usize::from(self.firsts[open as usize]);
        for &(s, l) in &self.keys[first..self.n] {
            if l as usize == len && &b[s as usize..s as usize + len] == key {
                return None;
            }
        }
        // A text past 4 GiB is not compared here (the general way reads it).
        if self.n == KEYS_OPEN || u32::try_from(start + len).is_err() {
            return None;
        }
        self.keys[self.n] = (start as u32, len as u32);
        self.n += 1;
        Some(())
    }
}

impl Reader<'_, '_> {
    /// Any value, checked and passed over. Not inlined: where the view's readers call it, it
    /// would only crowd their registers (each record's member loop spilled more).
    #[inline(never)]
    pub(super) fn skip(&mut self, depth: u32) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' | b'[' => self.skip_nested(depth),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// The object or array at `self.i`, passed over as [`Reader::read_nested`] does, at once
    /// when its bytes are those of one it passed over before at the same depth (`known.rs`).
    #[inline]
    fn skip_nested(&mut self, depth: u32) -> Option<()> {
        let at = self.i;
        if !(cfg!(test) && self.m.blind) {
            if let Some(len) = self.m.known.find(self.b, at, depth) {
                self.i = at + len;
                return Some(());
            }
        }
        self.read_nested(depth)?;
        self.m.known.learn(self.b, at, self.i - at, depth);
        Some(())
    }

    /// The object or array at `self.i`, nested `depth + 1` deep, checked and passed over: the
    /// same grammar, limits and end as [`Reader::object`] reading each member with `skip` (a
    /// key with an escape is serde_json's to read, a container deeper than [`MAX_DEPTH`] too).
    #[inline]
    fn read_nested(&mut self, depth: u32) -> Option<()> {
        // Bit 0 is the innermost open container, set for an object. At most `MAX_DEPTH` (64)
        // are open: a container deeper than that is refused before it is pushed.
        let mut objects: u64 = 0;
        let mut open: u32 = 0;
        self.m.open.n = 0;
        'value: loop {
            // At a value, whitespace before it skipped.
            match self.peek()? {
                c @ (b'{' | b'[') => {
                    if depth + open + 1 > MAX_DEPTH {
                        return None;
                    }
                    open += 1;
                    let object = c == b'{';
                    objects = objects << 1 | u64::from(object);
                    self.i += 1;
                    self.ws();
                    let close = if object { b'}' } else { b']' };
                    if object {
                        self.m.open.opened(open);
                    }
                    if self.peek()? != close {
                        if object {
                            let (start, len) = self.member_key()?;
                            self.m.open.first_time(self.b, open, start, len)?;
                        }
                        continue 'value;
                    }
                    // Empty: closed below, as after a last value.
                }
                b'"' => self.skip_string()?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // After a value, or at the close of an empty container: a separator, or closes.
            loop {
                self.ws();
                let object = objects & 1 == 1;
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        self.ws();
                        if object {
                            let (start, len) = self.member_key()?;
                            self.m.open.first_time(self.b, open, start, len)?;
                        }
                        continue 'value;
                    }
                    b'}' if object => self.m.open.closed(open),
                    b']' if !object => {}
                    _ => return None,
                }
                self.i += 1;
                open -= 1;
                objects >>= 1;
                if open == 0 {
                    return Some(());
                }
            }
        }
    }

    /// A member's key and its colon, whitespace after each skipped; the key's start and length
    /// in the text. `None` for a key with an escape or a control character, as
    /// [`Reader::object`] has it.
    #[inline(always)]
    fn member_key(&mut self) -> Option<(usize, usize)> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.i + 1;
        let end = start + special(self.b.get(start..)?)?;
        if self.b[end] != b'"' {
            return None;
        }
        self.i = end + 1;
        self.ws();
        if self.peek()? != b':' {
            return None;
        }
        self.i += 1;
        self.ws();
        Some((start, end - start))
    }
}
