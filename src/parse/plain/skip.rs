//! Passing over a value nothing reads, checked as the reader checks a value it reads: nested
//! objects and arrays in one loop, their kinds in a stack of bits, rather than a call per value
//! and a closure per member (most of a record's bytes are in values no field of the view holds:
//! `requestParameters`, `responseElements`, `tlsDetails`, the session's attributes).

use super::{special, Reader, MAX_DEPTH};

impl Reader<'_> {
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

    /// The object or array at `self.i`, nested `depth + 1` deep, checked and passed over: the
    /// same grammar, limits and end as [`Reader::object`] reading each member with `skip` (a
    /// key with an escape is serde_json's to read, a container deeper than [`MAX_DEPTH`] too).
    #[inline]
    fn skip_nested(&mut self, depth: u32) -> Option<()> {
        // Bit 0 is the innermost open container, set for an object. At most `MAX_DEPTH` (64)
        // are open: a container deeper than that is refused before it is pushed.
        let mut objects: u64 = 0;
        let mut open: u32 = 0;
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
                    if self.peek()? != close {
                        if object {
                            self.member_key()?;
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
                            self.member_key()?;
                        }
                        continue 'value;
                    }
                    b'}' if object => {}
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

    /// A member's key and its colon, whitespace after each skipped: `None` for a key with an
    /// escape or a control character, as [`Reader::object`] has it.
    #[inline(always)]
    fn member_key(&mut self) -> Option<()> {
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
        Some(())
    }
}
