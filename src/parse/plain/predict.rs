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
mod tests {
    use super::super::tests::agrees;
    use super::super::{read_plain_into, RecordView};
    use super::*;
    use proptest::prelude::*;

    /// A key is held once, by its exact text; a key too long or past a full table is not held.
    #[test]
    fn a_table_holds_each_key_once_by_its_exact_text() {
        let mut t = KeyTable::default();
        assert_eq!(t.find_or_add(br#""eventName""#, 4), 0);
        assert_eq!(t.find_or_add(br#""eventname""#, 4), 1);
        assert_eq!(t.find_or_add(br#""eventName""#, 4), 0);
        assert_eq!(t.find_or_add(br#""event""#, 19), 2);
        assert_eq!(&t.entries[0].text[..12], br#""eventName":"#);
        let long = format!(r#""{}""#, "k".repeat(29));
        assert_eq!(t.find_or_add(long.as_bytes(), 19), 3);
        let longer = format!(r#""{}""#, "k".repeat(30));
        assert_eq!(t.find_or_add(longer.as_bytes(), 19), NONE);
        for k in 4..KEYS {
            assert_eq!(t.find_or_add(format!(r#""k{k}""#).as_bytes(), 19), k as u8);
        }
        assert_eq!(t.find_or_add(br#""one more""#, 19), NONE);
    }

    /// The compare looks at the first `len` bytes and no others, at every length.
    #[test]
    fn the_key_compare_looks_at_the_first_len_bytes_alone() {
        let key: [u8; WIDTH] = std::array::from_fn(|j| b'a' + j as u8);
        for len in 1..=WIDTH as u8 {
            let mut at = key.to_vec();
            assert!(same_key(&at, &key, len), "{len}");
            for j in 0..WIDTH {
                at[j] ^= 0x20;
                assert_eq!(same_key(&at, &key, len), j >= usize::from(len), "{len} {j}");
                at[j] ^= 0x20;
            }
        }
    }

    /// The records joined by newlines, and where each starts.
    fn joined(records: &[String]) -> (String, Vec<usize>) {
        let (mut text, mut starts) = (String::new(), Vec::new());
        for r in records {
            starts.push(text.len());
            text.push_str(r);
            text.push('\n');
        }
        // The last record's keys end near the text's end: fewer than 32 bytes after them.
        text.pop();
        (text, starts)
    }

    /// Every record of `records` read with one memo and one view for all gives what a memo
    /// that predicts nothing gives (the general way), and serde_json agrees wherever the reader
    /// answers. Whether each was read.
    fn predicted_as_unpredicted(records: &[String]) -> Vec<bool> {
        let (text, starts) = joined(records);
        let (mut memo, mut view) = (Memo::default(), RecordView::default());
        let mut answered = Vec::new();
        for &pos in &starts {
            let predicted = read_plain_into(&text, pos, &mut view, &mut memo);
            let mut general = RecordView::default();
            let end = read_plain_into(&text, pos, &mut general, &mut Memo::blind());
            assert_eq!(predicted, end, "{}", &text[pos..]);
            if end.is_some() {
                assert_eq!(view, general, "{}", &text[pos..]);
                agrees(&text, pos);
            }
            answered.push(end.is_some());
        }
        answered
    }

    /// Records whose keys differ from the previous record's in order, spelling, escapes and
    /// spacing, and that write a key twice after it was predicted: each is read (or handed
    /// back) as the general way reads it.
    #[test]
    fn records_unlike_the_one_before_are_read_as_the_general_way_reads_them() {
        let identity = r#"{"type":"AssumedRole","principalId":"P","arn":"arn:aws:sts::1:assumed-role/r/s","accountId":"1","accessKeyId":"ASIA","sessionContext":{"sessionIssuer":{"arn":"a","userName":"r"},"attributes":{"mfaAuthenticated":"false"}}}"#;
        let base = format!(
            r#"{{"eventVersion":"1.10","userIdentity":{identity},"eventTime":"2026-11-20T14:02:17Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","userAgent":"ua","requestParameters":{{"secretId":"s"}},"responseElements":null,"requestID":"r","eventID":"e","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"1"}}"#
        );
        let variant = |from: &str, to: &str| {
            assert!(base.contains(from), "{from}");
            base.replacen(from, to, 1)
        };
        let cases = [
            // Order: two members swapped, one left out, one added before a predicted one.
            (
                variant(
                    r#""eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue""#,
                    r#""eventName":"GetSecretValue","eventSource":"secretsmanager.amazonaws.com""#,
                ),
                true,
            ),
            (variant(r#""awsRegion":"us-east-1","#, ""), true),
            (
                variant(
                    r#""eventID":"e""#,
                    r#""errorCode":"AccessDenied","eventID":"e""#,
                ),
                true,
            ),
            // Spelling: an alias, a key one letter longer or shorter, a key as long as an entry holds and longer.
            (variant(r#""eventName""#, r#""eventname""#), true),
            (variant(r#""eventName""#, r#""eventNameX""#), true),
            (variant(r#""eventName""#, r#""eventNam""#), true),
            (
                variant(r#""requestID""#, &format!(r#""{}""#, "k".repeat(29))),
                true,
            ),
            // Longer than an entry holds: handed back (a key no entry holds could be written
            // twice unseen), and the general way reads it.
            (
                variant(r#""requestID""#, &format!(r#""{}""#, "k".repeat(30))),
                false,
            ),
            // Escapes: the predicted key escaped (serde_json's to read).
            (variant(r#""eventName""#, r#""event\u004eame""#), false),
            (variant(r#""arn""#, r#""\u0061rn""#), false),
            // Spacing about the colon and after it.
            (variant(r#""eventName":"#, r#""eventName" :"#), true),
            (variant(r#""eventName":"#, "\"eventName\":\n "), true),
            (variant(r#""arn":"#, r#""arn"	:"#), true),
            // A key written twice, the second time where it is predicted or not.
            (
                variant(
                    r#""awsRegion":"us-east-1","#,
                    r#""awsRegion":"us-east-1","awsRegion":"us-east-1","#,
                ),
                false,
            ),
            (
                variant(r#""requestID":"r","#, r#""eventName":"GetSecretValue","#),
                false,
            ),
            (
                variant(r#""accountId":"1","#, r#""accountId":"1","accountId":"2","#),
                false,
            ),
            (
                variant(
                    r#""accountId":"1","#,
                    r#""accountId":"1","principalId":"Q","#,
                ),
                false,
            ),
            // A key no field holds, twice, at the top: handed back, as any key met twice in an
            // object (serde_json ignores it; `repeats.rs` tells the same value from another).
            (
                variant(r#""requestID":"r","#, r#""requestID":"r","requestID":"r","#),
                false,
            ),
        ];
        for (case, read) in &cases {
            // The base record predicts the case's keys; the case then predicts the base's.
            let answered =
                predicted_as_unpredicted(&[base.clone(), base.clone(), case.clone(), base.clone()]);
            assert_eq!(answered, [true, true, *read, true], "{case}");
            // Cut short: its last keys end within 32 bytes of the text's end.
            let mut cut = case.clone();
            cut.truncate(case.len() - 3);
            predicted_as_unpredicted(&[base.clone(), cut]);
        }
    }

    /// The records of `text` (where each starts: `starts`) read one after the other with
    /// `memo`, each compared with what a memo that predicts nothing reads (the general way).
    fn read_with_memo(text: &str, starts: &[usize], memo: &mut Memo) {
        let mut view = RecordView::default();
        for &pos in starts {
            let got = read_plain_into(text, pos, &mut view, memo);
            let mut general = RecordView::default();
            let want = read_plain_into(text, pos, &mut general, &mut Memo::blind());
            assert_eq!(got, want, "{}", &text[pos..]);
            if want.is_some() {
                assert_eq!(view, general, "{}", &text[pos..]);
            }
        }
    }

    /// Members for generated records: keys of the view and their aliases, keys no field holds,
    /// escaped keys, a key longer than an entry, spacing about the colon, and values of every
    /// kind (a number where text is read is the general way's too).
    fn member() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "eventTime",
            "eventtime",
            "eventName",
            "eventname",
            "eventNam",
            "eventNameX",
            "eventID",
            "eventId",
            "awsRegion",
            "sourceIPAddress",
            "userAgent",
            "readOnly",
            "errorCode",
            "recipientAccountId",
            "requestParameters",
            "Resources",
            "resources",
            "eventVersion",
            "requestID",
            "tlsDetails",
            "event\\u004eame",
            "sessionCredentialFromConsoleX",
            "userIdentity",
            "userIdentity",
        ]);
        let inner = prop::sample::select(vec![
            "type",
            "arn",
            "ARN",
            "principalId",
            "accountId",
            "userName",
            "invokedBy",
            "x",
            "\\u0061rn",
            "sessionContext",
            "onBehalfOf",
        ]);
        let value = prop::sample::select(vec![
            r#""v""#,
            r#""w""#,
            "true",
            "null",
            "12",
            r#"{"k":1}"#,
            r#"{"k":1,"k":1}"#,
            "[]",
            r#"{"sessionIssuer":{"arn":"a"},"attributes":{"a":"1"}}"#,
        ]);
        let colon = prop::sample::select(vec![":", ":", ":", " :", ": ", ":\n"]);
        let identity = proptest::collection::vec((inner, colon.clone(), value.clone()), 0..6)
            .prop_map(|m| {
                let m: Vec<String> = m
                    .into_iter()
                    .map(|(k, c, v)| format!(r#""{k}"{c}{v}"#))
                    .collect();
                format!("{{{}}}", m.join(","))
            });
        (
            key,
            colon,
            prop_oneof![value.prop_map(str::to_string), identity],
        )
            .prop_map(|(k, c, v)| format!(r#""{k}"{c}{v}"#))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Records each made from the one before by an edit (members swapped, one left out, one
        /// added, one replaced, or none), read with one memo for all: what the general way reads.
        #[test]
        fn records_edited_one_from_the_next_are_read_as_the_general_way_reads_them(
            base in proptest::collection::vec(member(), 0..12),
            edits in proptest::collection::vec((0u8..5, any::<prop::sample::Index>(), member()), 1..6),
        ) {
            let mut members = base;
            let mut records = vec![format!("{{{}}}", members.join(","))];
            for (kind, at, new) in edits {
                let n = members.len();
                match (kind, n) {
                    (0, _) | (_, 0) => {}
                    (1, _) if n >= 2 => {
                        let i = at.index(n - 1);
                        members.swap(i, i + 1);
                    }
                    (2, _) => {
                        members.remove(at.index(n));
                    }
                    (3, _) => members.insert(at.index(n + 1), new),
                    _ => members[at.index(n)] = new,
                }
                records.push(format!("{{{}}}", members.join(",")));
            }
            predicted_as_unpredicted(&records);
        }

        /// A memo carried from one text to another, as a thread carries it from trail window to
        /// window (`shape/trail_stream.rs`), reads the second text's records as the general way
        /// does: the first text's records again (their keys, skipped values and identities
        /// remembered) at other places, among others, after `lead` bytes of whitespace.
        #[test]
        fn a_memo_carried_to_another_text_reads_as_the_general_way_reads_it(
            first in proptest::collection::vec(proptest::collection::vec(member(), 0..10), 1..5),
            other in proptest::collection::vec(proptest::collection::vec(member(), 0..10), 0..3),
            lead in 0usize..40,
            reversed in any::<bool>(),
        ) {
            let records: Vec<String> =
                first.iter().map(|m| format!("{{{}}}", m.join(","))).collect();
            let (text, starts) = joined(&records);
            let mut memo = Memo::default();
            read_with_memo(&text, &starts, &mut memo);
            let mut again = records.clone();
            if reversed {
                again.reverse();
            }
            again.extend(other.iter().map(|m| format!("{{{}}}", m.join(","))));
            let (body, starts) = joined(&again);
            let text = format!("{}{body}", " ".repeat(lead));
            let starts: Vec<usize> = starts.iter().map(|s| s + lead).collect();
            read_with_memo(&text, &starts, &mut memo);
        }
    }
}
