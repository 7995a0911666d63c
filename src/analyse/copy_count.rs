//! The first pass's copy count (`export::CopyCount`) wired to the scan: every record leaves a
//! cheap key (a hash of its eventID, where it was read), and only the records whose eventID
//! hash another record shares, at any time, are compared by content at the end. On evidence
//! without copies no record's content is hashed. As `correlate::copies` and `--all`
//! (`export::CopyGroups`), an eventID is one event whatever its times: different records under
//! one eventID at different times (a changed eventTime, a reused eventID) are a conflict.
//!
//! Most copies are a trail record and its LookupEvents (or CloudWatch Logs) copy, and those
//! outputs are the plain files the pre-pass reads before the first pass ([`Expected`]): a
//! first-pass record with the time and eventID of one of their records is hashed as it is
//! read, so that its trail file, usually one of thousands, need not be read again at the end.
//! Any other record that shares an eventID hash (one at another time too) is read again from
//! its input, as before.

use crate::correlate::copies::content_hash;
use crate::export::{At, CopyCount};
use crate::model::Origin;
use crate::parse::RecordItem;
use crate::scan::{scan, PassOptions, Selector};
use crate::source::InputFile;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::sync::Mutex;

/// Records compared by content per reading of their inputs: the places (12 bytes each) and
/// their contents held at once.
const COMPARE_BATCH: usize = 1 << 18;

/// A record's copy key: its time in milliseconds and a hash of its eventID.
fn copy_key(item: &RecordItem<'_>) -> (i64, u64) {
    match item.view.event_id.as_str() {
        Some(event_id) => key_of(item.time.millis(), event_id),
        None => key_of(item.time.millis(), &crate::parse::event_id(item)),
    }
}

/// The copy key of a record read, from its time in milliseconds and its eventID as the scan
/// gives it (`Event::event_id`).
pub(super) fn key_of(millis: i64, event_id: &str) -> (i64, u64) {
    (millis, crate::scan::key_hash(event_id))
}

/// What a record is compared by: its eventID and canonical content (see `correlate::copies`).
fn compared_hash(item: &RecordItem<'_>) -> [u8; 32] {
    compared_hash_of(&crate::parse::event_id(item), item.raw)
}

/// [`compared_hash`] of a record read, from its eventID as the scan gives it and its text.
pub(super) fn compared_hash_of(event_id: &str, raw: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(event_id.as_bytes());
    h.update([0]);
    h.update(content_hash(raw));
    h.finalize().into()
}

/// Bits of [`Expected`]'s filter: 8 KiB, most of it in the first-level cache while a core
/// streams through a trail file.
const FILTER_BITS: usize = 1 << 16;

/// The copy keys of the records the pre-pass read, and the first-pass records found to share
/// one, hashed as they were read.
#[derive(Default)]
pub(super) struct Expected {
    /// Looked up for every record read: foldhash, not SipHash.
    keys: foldhash::HashSet<(i64, u64)>,
    /// One bit per value of the eventID hash's low 16 bits, set for every key in `keys`: a
    /// record whose bit is clear is not in `keys`, without hashing its key and probing the set
    /// (a set of a few thousand LookupEvents records was 1.4 % of the first pass's samples,
    /// its probes missing the cache on every record of the trail files).
    filter: Vec<u64>,
    hashed: Mutex<HashMap<At, [u8; 32]>>,
}

impl Expected {
    pub(super) fn new(noted: NoteKeys) -> Expected {
        let keys = noted.0.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut filter = vec![0u64; FILTER_BITS / 64];
        for &(_, id) in &keys {
            let bit = id as usize % FILTER_BITS;
            filter[bit / 64] |= 1 << (bit % 64);
        }
        Expected {
            keys,
            filter,
            hashed: Mutex::default(),
        }
    }

    /// Whether a record with this copy key may be a copy of a record the pre-pass read.
    pub(super) fn may_be_copy(&self, key: (i64, u64)) -> bool {
        let bit = key.1 as usize % FILTER_BITS;
        self.filter
            .get(bit / 64)
            .is_some_and(|word| word & (1 << (bit % 64)) != 0)
            && self.keys.contains(&key)
    }
}

/// The pre-pass's selector: notes every record's copy key, keeps nothing.
#[derive(Default)]
pub(super) struct NoteKeys(Mutex<foldhash::HashSet<(i64, u64)>>);

impl Selector for NoteKeys {
    fn keep(&self, _: u32, item: &RecordItem<'_>) -> bool {
        let key = copy_key(item);
        let mut keys = self.0.lock().unwrap_or_else(|e| e.into_inner());
        keys.insert(key);
        false
    }
}

/// Counts every record's copies in `count` (hashing at once the records `expected` says may
/// be copies), then lets the inner selector decide.
pub(super) struct Counting<'a, S>(pub S, pub &'a CopyCount, pub &'a Expected);

impl<S: Selector> Selector for Counting<'_, S> {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        let (time, id) = copy_key(item);
        if self.2.may_be_copy((time, id)) {
            let hash = compared_hash(item);
            let mut hashed = self.2.hashed.lock().unwrap_or_else(|e| e.into_inner());
            hashed.insert((input, item.index), hash);
        }
        self.1.push(id, (input, item.index));
        self.0.keep(input, item)
    }
}

/// What the count over every record read found: how many records repeat another one (same
/// eventID and content, the content holding the time), the records that differ from another
/// under the same eventID, at any time (see [`differing_records`]), and the records that share
/// an eventID hash with another but could not be read again to compare, by input.
pub(super) struct Counted {
    pub duplicates: u64,
    pub differing: Vec<Differing>,
    pub unread: BTreeMap<u32, u64>,
}

/// Counts the copies among every record read (see [`Counted`]).
pub(super) fn tally(
    count: CopyCount,
    files: &[InputFile],
    opts: PassOptions<'_>,
    expected: Expected,
) -> io::Result<Counted> {
    let opts = PassOptions {
        index: false,
        arrivals: None,
        ..opts
    };
    let hashed = expected
        .hashed
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    let tally = count.tally(COMPARE_BATCH, &|at| contents(files, opts, &hashed, at))?;
    let mut unread = tally.unread;
    let differing = differing_records(files, opts, &tally.differing);
    // A record found differing that is no longer there to name: not compared either.
    let mut named: BTreeMap<u32, u64> = BTreeMap::new();
    for (_, _, o) in &differing {
        *named.entry(o.input).or_default() += 1;
    }
    for &(input, _) in &tally.differing {
        let left = named.entry(input).or_default();
        match left.checked_sub(1) {
            Some(n) => *left = n,
            None => *unread.entry(input).or_default() += 1,
        }
    }
    Ok(Counted {
        duplicates: tally.duplicates,
        differing,
        unread,
    })
}

/// A record read that differs from another under its eventID: the eventID, its canonical
/// content's hash (as `correlate::copies` compares) and where it was read.
pub(super) type Differing = (String, [u8; 32], Origin);

/// The records at `at` (the places [`CopyCount::tally`] found differing under one key), read
/// again for their eventIDs: usually none, and none read when none. Sorted by place.
fn differing_records(files: &[InputFile], opts: PassOptions<'_>, at: &[At]) -> Vec<Differing> {
    if at.is_empty() {
        return Vec::new();
    }
    let wanted = Places::of(at.iter().copied());
    let which = wanted.inputs();
    let reading = Identifying {
        wanted,
        found: Mutex::default(),
    };
    scan(files, &which, opts, &reading, &|_| {});
    let mut found = reading
        .found
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    found.sort_by_key(|(_, _, o)| (o.input, o.index));
    found
}

/// Places of records to read again, by input: which inputs to open, and whether a record is one.
struct Places(BTreeMap<u32, HashSet<u64>>);

impl Places {
    fn of(at: impl Iterator<Item = At>) -> Places {
        let mut by_input: BTreeMap<u32, HashSet<u64>> = BTreeMap::new();
        for (input, index) in at {
            by_input.entry(input).or_default().insert(index);
        }
        Places(by_input)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn inputs(&self) -> Vec<u32> {
        self.0.keys().copied().collect()
    }

    fn has(&self, input: u32, index: u64) -> bool {
        self.0.get(&input).is_some_and(|w| w.contains(&index))
    }
}

/// Reads the eventID and content hash of the records wanted.
struct Identifying {
    wanted: Places,
    found: Mutex<Vec<Differing>>,
}

impl Selector for Identifying {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        if self.wanted.has(input, item.index) {
            let id = crate::parse::event_id(item);
            let hash = content_hash(item.raw);
            let origin = Origin {
                input,
                index: item.index,
            };
            let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
            found.push((id, hash, origin));
        }
        false
    }
}

/// The content of each record at `at`: hashed in the first pass, or read again from its input.
pub(super) fn contents(
    files: &[InputFile],
    opts: PassOptions<'_>,
    hashed: &HashMap<At, [u8; 32]>,
    at: &[At],
) -> Vec<Option<[u8; 32]>> {
    let wanted = Places::of(at.iter().filter(|a| !hashed.contains_key(a)).copied());
    if wanted.is_empty() {
        return at.iter().map(|a| hashed.get(a).copied()).collect();
    }
    let which = wanted.inputs();
    let hashing = Hashing {
        wanted,
        found: Mutex::new(HashMap::with_capacity(at.len())),
    };
    scan(files, &which, opts, &hashing, &|_| {});
    let found = hashing
        .found
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    at.iter()
        .map(|a| hashed.get(a).or_else(|| found.get(a)).copied())
        .collect()
}

/// Records of one large group hashed ahead, at most: about 50 bytes each held.
pub(super) const AHEAD: usize = 1 << 18;

/// The content of each record at `at`, read again from its input, and of up to `ahead` more
/// records of the same inputs under `key` (time in milliseconds, eventID) that come after them
/// in the merge's order (by input, then index). For `--all`'s merge
/// of a group too large to hold (only crafted evidence has one: CloudTrail repeats an event a
/// few times at most): its later parts find their contents here instead of each reading the
/// inputs again, which made the merge's time grow with the square of the group.
pub(super) fn contents_ahead(
    files: &[InputFile],
    opts: PassOptions<'_>,
    at: &[At],
    key: (i64, &str),
    ahead: usize,
) -> HashMap<At, [u8; 32]> {
    let wanted = Places::of(at.iter().copied());
    let which = wanted.inputs();
    let hashing = HashingAhead {
        after: at.iter().max().copied().unwrap_or_default(),
        wanted,
        key,
        ahead: Mutex::new(ahead),
        found: Mutex::new(HashMap::with_capacity(at.len())),
    };
    let opts = PassOptions {
        index: false,
        arrivals: None,
        ..opts
    };
    scan(files, &which, opts, &hashing, &|_| {});
    hashing
        .found
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
}

/// [`Hashing`] of the records wanted, and of up to `ahead` others under `key`.
struct HashingAhead<'k> {
    wanted: Places,
    /// The last place wanted: the group's records up to it are written already.
    after: At,
    key: (i64, &'k str),
    ahead: Mutex<usize>,
    found: Mutex<HashMap<At, [u8; 32]>>,
}

impl Selector for HashingAhead<'_> {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        let wanted = self.wanted.has(input, item.index);
        if !wanted && (item.time.millis() != self.key.0 || (input, item.index) <= self.after) {
            return false;
        }
        let id = crate::parse::event_id(item);
        if !wanted {
            let mut ahead = self.ahead.lock().unwrap_or_else(|e| e.into_inner());
            if id != self.key.1 || *ahead == 0 {
                return false;
            }
            *ahead -= 1;
        }
        let hash = compared_hash_of(&id, item.raw);
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        found.insert((input, item.index), hash);
        false
    }
}

/// Hashes the records wanted: their eventID and canonical content (see `correlate::copies`).
struct Hashing {
    wanted: Places,
    found: Mutex<HashMap<At, [u8; 32]>>,
}

impl Selector for Hashing {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        if self.wanted.has(input, item.index) {
            let hash = compared_hash(item);
            let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
            found.insert((input, item.index), hash);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The filter in front of the set never turns a noted key away, and answers as the set
    /// does for every other key, whichever bits they share.
    #[test]
    fn the_filter_keeps_every_noted_key_and_decides_nothing_alone() {
        let noted = NoteKeys::default();
        let key = |n: u64| key_of(1_795_000_000_000 + n as i64, &format!("id-{n}"));
        for n in 0..5_000 {
            noted.0.lock().unwrap().insert(key(n));
        }
        let expected = Expected::new(noted);
        assert!((0..5_000).all(|n| expected.may_be_copy(key(n))));
        // Another time under a noted eventID, or an eventID not noted: not a copy.
        assert!((0..5_000).all(|n| !expected.may_be_copy((key(n).0 + 1, key(n).1))));
        assert!((5_000..200_000).all(|n| !expected.may_be_copy(key(n))));
        assert!(!Expected::default().may_be_copy(key(0)));
    }

    /// Records hashed in the first pass are not read again: with every place hashed, no input
    /// is opened (there is none to open here), and the hashes come back in order.
    #[test]
    fn records_hashed_in_the_first_pass_are_not_read_again() {
        let opts = PassOptions {
            max_inflated: 1 << 20,
            index: false,
            s3_decoys: None,
            arrivals: None,
        };
        let hashed = HashMap::from([((7, 1), [1; 32]), ((9, 4), [2; 32])]);
        let got = contents(&[], opts, &hashed, &[(9, 4), (7, 1)]);
        assert_eq!(got, vec![Some([2; 32]), Some([1; 32])]);
    }
}
