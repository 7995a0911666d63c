//! A record's canonical form for comparing copies (see `copies`): object keys sorted, no
//! whitespace, every scalar as `serde_json` writes it back. [`content_hash`] is called on every
//! record read (the copy count), so it writes the form straight from the bytes, without building
//! a `serde_json::Value`, for the records whose text it can copy exactly: no escape in a string,
//! integers only, no duplicate key. Anything else (and anything that is not JSON) goes to
//! [`content_hash_via_value`], which defines the form; a property test checks that both agree.
//! Pure: no I/O, no other crate module.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::cell::RefCell;

/// Deeper than this, the record takes the `Value` path (which has its own recursion limit).
const MAX_DEPTH: usize = 64;
/// Longer integers may not fit `u64`/`i64`, which `serde_json` would read as a float.
const MAX_DIGITS: usize = 18;

/// SHA-256 of the record's canonical form; of `raw:` and its bytes when it is not JSON.
pub fn content_hash(raw: &str) -> [u8; 32] {
    thread_local! {
        static BUFFERS: RefCell<Writer> = RefCell::new(Writer::default());
    }
    BUFFERS.with(|w| {
        let mut w = w.borrow_mut();
        match w.canonical(raw.as_bytes()) {
            Some(form) => Sha256::digest(form).into(),
            None => content_hash_via_value(raw),
        }
    })
}

/// [`content_hash`] by way of a parsed `Value`: the definition, for every record.
pub fn content_hash_via_value(raw: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    match serde_json::from_str::<Value>(raw) {
        Ok(v) => canonical_value(&v, &mut h),
        Err(_) => {
            h.update(b"raw:");
            h.update(raw.as_bytes());
        }
    }
    h.finalize().into()
}

fn canonical_value(v: &Value, h: &mut Sha256) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            h.update(b"{");
            for (n, k) in keys.into_iter().enumerate() {
                if n > 0 {
                    h.update(b",");
                }
                h.update(Value::String(k.clone()).to_string().as_bytes());
                h.update(b":");
                canonical_value(&m[k], h);
            }
            h.update(b"}");
        }
        Value::Array(a) => {
            h.update(b"[");
            for (n, x) in a.iter().enumerate() {
                if n > 0 {
                    h.update(b",");
                }
                canonical_value(x, h);
            }
            h.update(b"]");
        }
        other => h.update(other.to_string().as_bytes()),
    }
}

/// One object member: its key's bytes in the source, its value's canonical bytes in `out`.
type Member = (usize, usize, usize, usize);

/// The buffers of the byte path, kept per thread from record to record.
#[derive(Default)]
struct Writer {
    out: Vec<u8>,
    scratch: Vec<u8>,
    members: Vec<Member>,
}

impl Writer {
    /// The canonical form of `src`, or `None` when the byte path cannot vouch for it.
    fn canonical(&mut self, src: &[u8]) -> Option<&[u8]> {
        self.out.clear();
        self.members.clear();
        let mut pos = skip_ws(src, 0);
        pos = self.value(src, pos, 0)?;
        (skip_ws(src, pos) == src.len()).then_some(&self.out[..])
    }

    /// Writes the value at `pos` (no whitespace before it); returns where it ends.
    fn value(&mut self, src: &[u8], pos: usize, depth: usize) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        match *src.get(pos)? {
            b'{' => self.object(src, pos + 1, depth),
            b'[' => self.array(src, pos + 1, depth),
            b'"' => {
                let end = string_end(src, pos + 1)?;
                self.out.extend_from_slice(&src[pos..=end]);
                Some(end + 1)
            }
            b't' => self.literal(src, pos, b"true"),
            b'f' => self.literal(src, pos, b"false"),
            b'n' => self.literal(src, pos, b"null"),
            b'-' | b'0'..=b'9' => {
                let end = integer_end(src, pos)?;
                self.out.extend_from_slice(&src[pos..end]);
                Some(end)
            }
            _ => None,
        }
    }

    fn literal(&mut self, src: &[u8], pos: usize, word: &[u8]) -> Option<usize> {
        let end = pos + word.len();
        (src.get(pos..end)? == word).then(|| self.out.extend_from_slice(word))?;
        Some(end)
    }

    fn array(&mut self, src: &[u8], pos: usize, depth: usize) -> Option<usize> {
        self.out.push(b'[');
        let mut pos = skip_ws(src, pos);
        if src.get(pos) == Some(&b']') {
            self.out.push(b']');
            return Some(pos + 1);
        }
        loop {
            pos = self.value(src, pos, depth + 1)?;
            pos = skip_ws(src, pos);
            match *src.get(pos)? {
                b',' => self.out.push(b','),
                b']' => break,
                _ => return None,
            }
            pos = skip_ws(src, pos + 1);
        }
        self.out.push(b']');
        Some(pos + 1)
    }

    /// Writes the members' values as they come, then rewrites them in key order.
    fn object(&mut self, src: &[u8], pos: usize, depth: usize) -> Option<usize> {
        let mut pos = skip_ws(src, pos);
        if src.get(pos) == Some(&b'}') {
            self.out.extend_from_slice(b"{}");
            return Some(pos + 1);
        }
        let (mark, first) = (self.out.len(), self.members.len());
        loop {
            if src.get(pos) != Some(&b'"') {
                return None;
            }
            let key_start = pos + 1;
            let key_end = string_end(src, key_start)?;
            pos = skip_ws(src, key_end + 1);
            if src.get(pos) != Some(&b':') {
                return None;
            }
            pos = skip_ws(src, pos + 1);
            let start = self.out.len();
            pos = self.value(src, pos, depth + 1)?;
            self.members
                .push((key_start, key_end, start, self.out.len()));
            pos = skip_ws(src, pos);
            match *src.get(pos)? {
                b',' => pos = skip_ws(src, pos + 1),
                b'}' => break,
                _ => return None,
            }
        }
        let members = &mut self.members[first..];
        members.sort_unstable_by(|a, b| src[a.0..a.1].cmp(&src[b.0..b.1]));
        // A repeated key keeps its last value in a `Value`: left to that path.
        if members
            .windows(2)
            .any(|w| src[w[0].0..w[0].1] == src[w[1].0..w[1].1])
        {
            return None;
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.out[mark..]);
        self.out.truncate(mark);
        self.out.push(b'{');
        for (n, &(ks, ke, vs, ve)) in members.iter().enumerate() {
            if n > 0 {
                self.out.push(b',');
            }
            self.out.push(b'"');
            self.out.extend_from_slice(&src[ks..ke]);
            self.out.extend_from_slice(b"\":");
            self.out
                .extend_from_slice(&self.scratch[vs - mark..ve - mark]);
        }
        self.out.push(b'}');
        self.members.truncate(first);
        Some(pos + 1)
    }
}

fn skip_ws(src: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\t' | b'\r') = src.get(pos) {
        pos += 1;
    }
    pos
}

/// The closing quote of a string whose text starts at `pos`, if the text is written the way
/// `serde_json` writes it back: no escape, no control character.
fn string_end(src: &[u8], pos: usize) -> Option<usize> {
    let end = pos + memchr::memchr2(b'"', b'\\', src.get(pos..)?)?;
    let plain = src[end] == b'"' && !src[pos..end].iter().any(|&c| c < 0x20);
    plain.then_some(end)
}

/// The end of an integer `serde_json` reads as `u64` or `i64` and writes back as it is.
fn integer_end(src: &[u8], pos: usize) -> Option<usize> {
    let negative = src[pos] == b'-';
    let digits = pos + usize::from(negative);
    let mut end = digits;
    while src.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    let n = end - digits;
    let leading_zero = src.get(digits) == Some(&b'0') && (n > 1 || negative);
    let fraction = matches!(src.get(end), Some(b'.' | b'e' | b'E'));
    (n > 0 && n <= MAX_DIGITS && !leading_zero && !fraction).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::json_pieces::piece;
    use proptest::prelude::*;

    /// Both paths, and whether the byte path took the record.
    fn both(raw: &str) -> ([u8; 32], [u8; 32], bool) {
        let fast = Writer::default().canonical(raw.as_bytes()).is_some();
        (content_hash(raw), content_hash_via_value(raw), fast)
    }

    #[test]
    fn the_byte_path_takes_plain_records_and_agrees_on_the_others() {
        let plain = [
            r#"{"eventID":"e","b":[1,{"y":2,"x":"s"}],"n":null,"t":true,"f":false,"z":-7}"#,
            " { \"b\" :\t[ 1 ,{ \"x\" : \"é\" } ] ,\r\n\"a\":{} , \"c\":[] } ",
            r#"{"big":123456789012345678,"zero":0}"#,
        ];
        for raw in plain {
            let (fast, slow, took) = both(raw);
            assert!(took, "{raw}");
            assert_eq!(fast, slow, "{raw}");
        }
        let others = [
            r#"{"eventName":"\u0047etSecretValue"}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"n":1.0}"#,
            r#"{"n":-0}"#,
            r#"{"n":1e3}"#,
            r#"{"n":01}"#,
            r#"{"n":1234567890123456789012}"#,
            "{\"s\":\"tab\there\"}",
            r#"{"a":1} x"#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            "",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ];
        for raw in others {
            let (fast, slow, took) = both(raw);
            assert!(!took, "{raw}");
            assert_eq!(fast, slow, "{raw}");
        }
        // An escape that spells the same text is the same content.
        assert_eq!(
            content_hash(r#"{"eventName":"\u0047etSecretValue"}"#),
            content_hash(r#"{"eventName":"GetSecretValue"}"#)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn both_paths_give_the_same_hash(raw in piece(&["eventName"]), tail in prop_oneof![Just(""), Just(" "), Just(","), Just("}")]) {
            let raw = format!("{raw}{tail}");
            let (fast, slow, _) = both(&raw);
            prop_assert_eq!(fast, slow, "{}", raw);
        }
    }
}
