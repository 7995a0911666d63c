//! eventIDs read at more than one time, for `--all`: its merge compares the records of one
//! (time, eventID), so a record whose eventID another record at another time carries (a
//! changed eventTime, a reused eventID) would be no copy of it, while `correlate::copies`,
//! which compares by eventID alone, calls them conflicting copies (possible tampering). Every
//! record leaves a key (a hash of its eventID, its time) in the external sort of `key_runs`, so
//! memory stays within one run whatever the size of the evidence; the hashes seen at more than
//! one time come out of the merge, usually none. A hash two eventIDs share by chance only makes
//! both candidates: the merge, which has the eventIDs, decides. The same keys carry each
//! record's service and API (hashed) and whether it is CloudTrail's updated copy of another
//! record, so that `--all` knows which originals its updated copies name are in the evidence.

use super::key_runs::IdTimeKey;
use super::key_sink::KeySink;
use std::collections::{HashMap, HashSet};
use std::io;

/// Every record's (eventID hash, time), pushed from the reading threads.
pub struct IdTimes {
    sink: KeySink,
}

/// The calls read under each eventID hash asked for: each record's [`IdTimes::push`] `call`
/// and `updated`.
pub type IdCalls = HashMap<u64, Vec<(u64, bool)>>;

/// An [`IdTimeKey`] sorted by eventID hash, then time: the sort orders keys by their fields in
/// turn, so the hash goes in the first field (`time`) and the time in the second; the record's
/// call and whether it is an updated copy ride in the other two.
fn by_id(id: u64, time: i64, call: u64, updated: bool) -> IdTimeKey {
    IdTimeKey {
        time: id as i64,
        id: time as u64,
        input: u32::from(updated),
        index: call,
    }
}

impl IdTimes {
    /// Hold at most about `budget` bytes of keys in memory before writing a sorted run.
    pub fn new(budget: usize) -> IdTimes {
        IdTimes {
            sink: KeySink::new(budget),
        }
    }

    /// A record read: the hash of its eventID (`scan::key_hash`), its time in milliseconds, a
    /// hash of its service and API (`call`), and whether its addendum names an
    /// `originalEventID` (`updated`). The same key just before (a file's copies in a row) adds
    /// nothing.
    #[inline]
    pub fn push(&self, id: u64, time: i64, call: u64, updated: bool) {
        self.sink.push(by_id(id, time, call, updated), true);
    }

    /// The eventID hashes pushed with more than one time, and the calls pushed under each
    /// hash of `wanted`. The keys are merged in two pieces side by side (a hash's keys all in
    /// one piece: see `KeyRuns::finish_in_parts`): this runs after every record is read, on the
    /// one thread the rest of `--all` waits for, while the other core has nothing to do.
    pub fn finish(self, wanted: &HashSet<u64>) -> io::Result<(HashSet<u64>, IdCalls)> {
        let pieces = self.sink.into_runs().finish_in_parts(2)?;
        let found: Vec<io::Result<(HashSet<u64>, IdCalls)>> = std::thread::scope(|s| {
            let threads: Vec<_> = (pieces.into_iter())
                .map(|keys| s.spawn(|| reused_and_calls(keys, wanted)))
                .collect();
            (threads.into_iter())
                .map(|t| {
                    t.join().unwrap_or_else(|_| {
                        Err(io::Error::other(
                            "the thread merging eventID times panicked",
                        ))
                    })
                })
                .collect()
        });
        let (mut reused, mut calls) = (HashSet::new(), IdCalls::new());
        for piece in found {
            let (r, c) = piece?;
            reused.extend(r);
            // No hash is in two pieces: nothing is replaced.
            calls.extend(c);
        }
        Ok((reused, calls))
    }
}

/// The hashes of `keys` (sorted by hash, then time) at more than one time, and the calls under
/// each hash of `wanted`, in the keys' order.
fn reused_and_calls(
    keys: impl Iterator<Item = io::Result<IdTimeKey>>,
    wanted: &HashSet<u64>,
) -> io::Result<(HashSet<u64>, IdCalls)> {
    let mut reused = HashSet::new();
    let mut calls = IdCalls::new();
    let mut last: Option<IdTimeKey> = None;
    for key in keys {
        let key = key?;
        let id = key.time as u64;
        if let Some(l) = last {
            if l.time == key.time && l.id != key.id {
                reused.insert(id);
            }
        }
        if !wanted.is_empty() && wanted.contains(&id) {
            calls
                .entry(id)
                .or_default()
                .push((key.index, key.input != 0));
        }
        last = Some(key);
    }
    Ok((reused, calls))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An eventID hash pushed at two times is reused, at one time (however often) it is not,
    /// whether the keys fit in memory or go through runs on disk; the calls under the hashes
    /// asked for come back.
    #[test]
    fn only_hashes_at_more_than_one_time_are_reused() {
        for budget in [usize::MAX, 300, 1] {
            let ids = IdTimes::new(budget);
            for n in 0..1000u64 {
                ids.push(n, 7, 1, false);
                ids.push(n, 7, 1, false);
                if n % 100 == 0 {
                    ids.push(n, -3, 2, true);
                }
            }
            ids.push(u64::MAX, 1, 1, false);
            ids.push(u64::MAX, 2, 1, false);
            let (reused, calls) = ids.finish(&HashSet::from([100, 101])).unwrap();
            let mut got: Vec<u64> = reused.into_iter().collect();
            got.sort();
            let mut want: Vec<u64> = (0..10).map(|n| n * 100).collect();
            want.push(u64::MAX);
            assert_eq!(got, want, "budget {budget}");
            assert_eq!(
                calls,
                IdCalls::from([(100, vec![(1, false), (2, true)]), (101, vec![(1, false)])]),
                "budget {budget}"
            );
        }
    }

    /// Hashes spread over all of `u64` (so that the two pieces the keys are merged in both hold
    /// some), each at one to three times, some pushed twice at one time: the reused hashes and
    /// the calls asked for are those of a plain sort of the keys, with runs on disk or without,
    /// and a hash asked for in either piece keeps its calls in the keys' order.
    #[test]
    fn merged_in_two_pieces_the_answer_is_a_plain_sorts() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        // (hash, time, call, updated); every call distinct, so no key repeats the one before.
        let mut keys: Vec<(u64, i64, u64, bool)> = Vec::new();
        for _ in 0..20_000 {
            let id = next();
            let times = 1 + next() % 3;
            for _ in 0..1 + next() % 3 {
                let call = keys.len() as u64;
                keys.push((id, (next() % times) as i64, call, next() % 7 == 0));
            }
        }
        let wanted: HashSet<u64> = keys.iter().step_by(97).map(|k| k.0).collect();
        assert!(wanted.iter().any(|&h| h < 1 << 63) && wanted.iter().any(|&h| h >= 1 << 63));
        let mut sorted = keys.clone();
        sorted.sort_by_key(|&(id, time, call, updated)| by_id(id, time, call, updated));
        let mut want_reused = HashSet::new();
        let mut want_calls = IdCalls::new();
        for (n, &(id, time, call, updated)) in sorted.iter().enumerate() {
            if n > 0 && sorted[n - 1].0 == id && sorted[n - 1].1 != time {
                want_reused.insert(id);
            }
            if wanted.contains(&id) {
                want_calls.entry(id).or_default().push((call, updated));
            }
        }
        assert!(want_reused.len() > 1000 && want_reused.len() < 15_000);
        for budget in [usize::MAX, 64 << 10, 4 << 10] {
            let ids = IdTimes::new(budget);
            for &(id, time, call, updated) in &keys {
                ids.push(id, time, call, updated);
            }
            let (reused, calls) = ids.finish(&wanted).unwrap();
            assert!(reused == want_reused, "budget {budget}");
            assert_eq!(calls, want_calls, "budget {budget}");
        }
    }
}
