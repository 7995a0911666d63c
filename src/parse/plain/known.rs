//! Skipped objects and arrays met before: a trail file repeats many of the values the view does
//! not read, byte for byte, record after record (a session's `attributes` while the session
//! lasts, the `tlsDetails` of one endpoint, the `resources` of one secret). The reader remembers
//! the last few it passed over whole, per key before them, as copies of their bytes with the
//! depth they were met at; a value at the cursor that is one of them byte for byte is passed
//! over without reading it again.
//!
//! Exact: the skip of a nested value (`skip.rs`) is a function of the value's own bytes and its
//! depth alone. It reads nothing past the value's closing bracket, it starts with no keys open, and
//! nothing it does depends on where the value lies but its refusal of a key that ends past 4 GiB
//! (so a value that ends there is not answered here). So the same bytes at the same depth are
//! passed over to the same end, and only a value it passed over (never one it refused) is
//! remembered. A copy is compared, not a position in the text, so a memo used on another text
//! answers the same.

/// Sets of remembered values, chosen by the eight bytes before a value (its key and colon).
const SETS: usize = 8;
/// Values remembered per set, the last met first.
const WAYS: usize = 8;
/// The longest value remembered; longer ones are read each time.
pub(super) const LONGEST: usize = 192;

/// One remembered value: where its copy is, its length (0: none), the depth it was read at and
/// its last eight bytes (compared before the rest: most values that differ differ there).
#[derive(Clone, Copy, Default)]
struct Way {
    slot: u8,
    len: u8,
    depth: u8,
    tail: u64,
}

/// The remembered values, and their copies (allocated when the first is remembered: a reader
/// of one record never needs them).
#[derive(Clone, Default)]
pub(super) struct Known {
    sets: [[Way; WAYS]; SETS],
    copies: Vec<u8>,
}

/// The set of the value at `i`: the eight bytes before it, multiplied and folded.
#[inline(always)]
fn set_of(b: &[u8], i: usize) -> usize {
    let before = match b.get(i.wrapping_sub(8)..i) {
        Some(w) => u64::from_le_bytes(w.try_into().unwrap_or_default()),
        None => 0,
    };
    (before.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 61) as usize & (SETS - 1)
}

/// The last eight bytes of `v` (at least eight bytes long), as one word.
#[inline(always)]
fn tail_of(v: &[u8]) -> u64 {
    u64::from_le_bytes(v[v.len() - 8..].try_into().unwrap_or_default())
}

impl Known {
    /// The length of the remembered value that the text at `i` begins with, read at `depth`.
    #[inline]
    pub(super) fn find(&self, b: &[u8], i: usize, depth: u32) -> Option<usize> {
        if self.copies.is_empty() {
            return None;
        }
        let rest = b.get(i..)?;
        for w in &self.sets[set_of(b, i)] {
            let len = usize::from(w.len);
            if len == 0 {
                break;
            }
            if u32::from(w.depth) != depth || len > rest.len() || tail_of(&rest[..len]) != w.tail {
                continue;
            }
            let at = usize::from(w.slot) * LONGEST;
            if rest[..len] == self.copies[at..at + len] && u32::try_from(i + len).is_ok() {
                return Some(len);
            }
        }
        None
    }

    /// Remembers `b[i..i + len]`, a value the reader passed over whole at `depth`, first in its
    /// set (the set's oldest forgotten when it is full).
    #[inline]
    pub(super) fn learn(&mut self, b: &[u8], i: usize, len: usize, depth: u32) {
        if !(8..=LONGEST).contains(&len) || depth > u32::from(u8::MAX) {
            return;
        }
        if self.copies.is_empty() {
            self.copies = vec![0; SETS * WAYS * LONGEST];
            for (s, set) in self.sets.iter_mut().enumerate() {
                for (w, way) in set.iter_mut().enumerate() {
                    way.slot = (s * WAYS + w) as u8;
                }
            }
        }
        let value = &b[i..i + len];
        let set = &mut self.sets[set_of(b, i)];
        // The oldest way's copy is reused for the new value, which goes first.
        set.rotate_right(1);
        let way = &mut set[0];
        let at = usize::from(way.slot) * LONGEST;
        self.copies[at..at + len].copy_from_slice(value);
        way.len = len as u8;
        way.depth = depth as u8;
        way.tail = tail_of(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value remembered is found again at another place of another text when its bytes and
    /// depth are the same, and only then: not at another depth, not with one byte changed (at
    /// its start, middle or in its last eight bytes), not when the text ends inside it, not
    /// after other keys (another set), not when too short or too long to be remembered.
    #[test]
    fn a_remembered_value_is_found_where_its_bytes_and_depth_are_the_same() {
        let v = r#"{"creationDate":"2026-11-20T10:00:55Z","mfaAuthenticated":"false"}"#;
        let mut k = Known::default();
        let first = format!(r#"{{"attributes":{v}}}"#);
        let at = first.find(v).unwrap();
        assert_eq!(
            k.find(first.as_bytes(), at, 3),
            None,
            "nothing remembered yet"
        );
        k.learn(first.as_bytes(), at, v.len(), 3);
        let again = format!(r#"[1,{{"x":2,"attributes":{v},"y":3}}]"#);
        let b = again.as_bytes();
        let at = again.find(v).unwrap();
        assert_eq!(k.find(b, at, 3), Some(v.len()));
        assert_eq!(k.find(b, at, 2), None, "another depth");
        assert_eq!(k.find(&b[..at + v.len() - 1], at, 3), None, "cut");
        for i in [1, 20, v.len() - 3] {
            let mut changed = again.clone().into_bytes();
            changed[at + i] = b'X';
            assert_eq!(k.find(&changed, at, 3), None, "byte {i} changed");
        }
        // Too short, too long: never remembered.
        let long = format!("[{}1]", "1,".repeat(95));
        for w in ["[1,2,3]", long.as_str()] {
            let text = format!(r#""attributes":{w}"#);
            let at = text.find(w).unwrap();
            k.learn(text.as_bytes(), at, w.len(), 3);
            assert_eq!(k.find(text.as_bytes(), at, 3), None, "{}", w.len());
        }
        assert_eq!(long.len(), LONGEST + 1);
    }

    /// A set holds its last [`WAYS`] values, the oldest forgotten first; each still found while
    /// it is held, and the other sets' values untouched.
    #[test]
    fn a_set_forgets_its_oldest_value_first() {
        let mut k = Known::default();
        let values: Vec<String> = (0..WAYS + 2)
            .map(|n| format!(r#"{{"n":{n:08}}}"#))
            .collect();
        let text: String = values.iter().map(|v| format!(r#","same":{v}"#)).collect();
        let b = text.as_bytes();
        let at: Vec<usize> = values
            .iter()
            .map(|v| text.find(v.as_str()).unwrap())
            .collect();
        let keep = r#""other":{"kept":"yes"}"#;
        let kept_at = keep.find('{').unwrap();
        assert_ne!(
            set_of(keep.as_bytes(), kept_at),
            set_of(b, at[0]),
            "pick another key"
        );
        k.learn(keep.as_bytes(), kept_at, keep.len() - kept_at, 1);
        for (n, v) in values.iter().enumerate() {
            k.learn(b, at[n], v.len(), 1);
            for (m, w) in values.iter().enumerate().take(n + 1) {
                let held = n - m < WAYS;
                assert_eq!(k.find(b, at[m], 1), held.then_some(w.len()), "{n} {m}");
            }
        }
        assert_eq!(
            k.find(keep.as_bytes(), kept_at, 1),
            Some(keep.len() - kept_at)
        );
    }
}
