//! The first pass's copy count (`export::CopyCount`) wired to the scan: every record leaves a
//! cheap key (time, a hash of its eventID, where it was read), and only the records whose key
//! another record shares are read again at the end and compared by content. On evidence without
//! copies nothing is read again and no record's content is hashed.

use crate::correlate::copies::content_hash;
use crate::export::{At, CopyCount, CopyKey};
use crate::parse::RecordItem;
use crate::scan::{scan, PassOptions, Selector};
use crate::source::InputFile;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hasher};
use std::io;
use std::sync::Mutex;

/// Records compared by content per reading of their inputs: the places (12 bytes each) and
/// their contents held at once.
const COMPARE_BATCH: usize = 1 << 18;

/// Counts every record's copies in `count`, then lets the inner selector decide.
pub(super) struct Counting<'a, S>(pub S, pub &'a CopyCount);

impl<S: Selector> Selector for Counting<'_, S> {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        let mut id = DefaultHasher::new();
        match item.view.event_id.as_str() {
            Some(event_id) => id.write(event_id.as_bytes()),
            None => id.write(crate::parse::event_id(item).as_bytes()),
        }
        self.1.push(CopyKey {
            time: item.time.millis(),
            id: id.finish(),
            input,
            index: item.index,
        });
        self.0.keep(input, item)
    }
}

/// How many records read repeat another one (same time, eventID and content).
pub(super) fn duplicates(
    count: CopyCount,
    files: &[InputFile],
    opts: PassOptions<'_>,
) -> io::Result<u64> {
    let opts = PassOptions {
        index: false,
        arrivals: None,
        ..opts
    };
    count.duplicates(COMPARE_BATCH, &mut |at| contents(files, opts, at))
}

/// The content of each record at `at`, read again from its input.
fn contents(files: &[InputFile], opts: PassOptions<'_>, at: &[At]) -> Vec<Option<[u8; 32]>> {
    let mut wanted: BTreeMap<u32, HashSet<u64>> = BTreeMap::new();
    for &(input, index) in at {
        wanted.entry(input).or_default().insert(index);
    }
    let which: Vec<u32> = wanted.keys().copied().collect();
    let hashing = Hashing {
        wanted,
        found: Mutex::new(HashMap::with_capacity(at.len())),
    };
    scan(files, &which, opts, &hashing, &|_| {});
    let found = hashing
        .found
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    at.iter().map(|a| found.get(a).copied()).collect()
}

/// Hashes the records wanted: their eventID and canonical content (see `correlate::copies`).
struct Hashing {
    wanted: BTreeMap<u32, HashSet<u64>>,
    found: Mutex<HashMap<At, [u8; 32]>>,
}

impl Selector for Hashing {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        if self
            .wanted
            .get(&input)
            .is_some_and(|w| w.contains(&item.index))
        {
            let mut h = Sha256::new();
            h.update(crate::parse::event_id(item).as_bytes());
            h.update([0]);
            h.update(content_hash(item.raw));
            let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
            found.insert((input, item.index), h.finalize().into());
        }
        false
    }
}
