//! Copies of one event counted over every record read, not only over the records kept. Every
//! record leaves a 16-byte key ([`EventKey`]: a hash of its eventID, where it was read) in the
//! external sort of `key_runs` (sorted runs in temporary files past
//! a byte budget, merged at the end), so memory stays within one run whatever the size of the
//! evidence. The records of one eventID, whatever their times, come out of the merge next to
//! each other; a key nobody shares is one record, and only the records of shared keys are
//! compared by content, which the caller reads again (usually none: a record's content is not
//! hashed on the hot path). A different record under the same eventID, at the same time or
//! another, is not a copy but a conflict (see `correlate::copies`). `copy_groups` does the same
//! for `--all`'s rows.

use super::key_runs::{RunKey, SortedKeys};
use super::key_sink::KeySink;
use std::collections::{BTreeMap, HashSet};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

/// Where a record was read: (input, record index).
pub type At = (u32, u64);

/// Reads the records at the places given again: each one's content hash, `None` when it cannot
/// be read. Called from the threads that merge the pieces of the count.
pub type ReadContents<'a> = dyn Fn(&[At]) -> Vec<Option<[u8; 32]>> + Sync + 'a;

/// What the count found over every record read.
#[derive(Debug, Default, PartialEq)]
pub struct Tally {
    /// Records that repeat another record read (same eventID and content).
    pub duplicates: u64,
    /// Where the first of each distinct content was read, in groups of records that share a
    /// key (an eventID hash, whatever their times) but differ in content: the candidates of a
    /// conflict, for the caller to read again (the hash of two eventIDs can be shared by
    /// chance; only records with the same eventID are copies of one event). Usually empty.
    pub differing: Vec<At>,
    /// Records that share a key with another but could not be read again for their content
    /// (their input changed or became unreadable after it was first read), by input: not
    /// compared, so the copies and conflicts among them are not known. Usually empty.
    pub unread: BTreeMap<u32, u64>,
}

/// A record's key in the count: the hash of its eventID in the high 64 bits (what the sort
/// orders by first and the pieces of the merge never split: every record under one eventID
/// hash, whatever its time, comes out in one group, an eventID being one event as in
/// `correlate::copies`), and its place packed in the low 64 (input above record index, so that
/// the keys of one hash come out by place). Half the size of a [`super::IdTimeKey`]: a run holds
/// twice the keys in the same budget, and two keys compare as two integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EventKey(u128);

impl EventKey {
    fn hash(self) -> u64 {
        (self.0 >> 64) as u64
    }
}

impl RunKey for EventKey {
    const SIZE: usize = 16;

    fn put(&self, out: &mut [u8]) {
        out[..16].copy_from_slice(&self.0.to_le_bytes());
    }

    fn get(b: &[u8]) -> EventKey {
        EventKey(u128::from_le_bytes(b[..16].try_into().expect("16 bytes")))
    }

    fn piece(&self) -> u64 {
        self.hash()
    }

    /// By the hash's top byte first: hashes are spread evenly over it.
    fn sort(keys: &mut [EventKey]) {
        super::top_byte_sort::sort_by_top_byte(keys, |k| (k.0 >> 120) as u8);
    }
}

/// How a place is packed into the low 64 bits of an [`EventKey`]: the record index in the low
/// `index_bits`, the input above it, as many bits as the number of inputs needs.
#[derive(Debug, Clone, Copy)]
struct Packing {
    index_bits: u32,
}

impl Packing {
    fn for_inputs(inputs: usize) -> Packing {
        let input_bits = (u64::BITS - (inputs as u64).leading_zeros()).max(1);
        Packing {
            index_bits: u64::BITS - input_bits,
        }
    }

    /// The place packed, or `None` when it does not fit.
    fn pack(self, (input, index): At) -> Option<u64> {
        let input = u64::from(input);
        let fits = index >> self.index_bits == 0 && input >> (u64::BITS - self.index_bits) == 0;
        fits.then(|| input << self.index_bits | index)
    }

    fn unpack(self, place: u64) -> At {
        (
            (place >> self.index_bits) as u32,
            place & ((1 << self.index_bits) - 1),
        )
    }
}

/// Every record's key, pushed from the reading threads; the copies counted at the end.
pub struct CopyCount {
    sink: KeySink<EventKey>,
    packing: Packing,
    /// A place that did not fit its key (more records in one input than its share of the bits
    /// holds: 2^32 at the least): the count is not made, [`CopyCount::tally`] says so.
    unpacked: AtomicBool,
}

impl CopyCount {
    /// Hold at most about `budget` bytes of keys in memory before writing a sorted run (plus a
    /// batch of keys per thread), for records of `inputs` inputs.
    pub fn new(budget: usize, inputs: usize) -> CopyCount {
        CopyCount {
            sink: KeySink::new(budget),
            packing: Packing::for_inputs(inputs),
            unpacked: AtomicBool::new(false),
        }
    }

    /// The record at `at` read, under eventID hash `id` (`scan::key_hash`).
    #[inline]
    pub fn push(&self, id: u64, at: At) {
        match self.packing.pack(at) {
            Some(place) => self
                .sink
                .push(EventKey(u128::from(id) << 64 | u128::from(place)), false),
            None => self.unpacked.store(true, Ordering::Relaxed),
        }
    }

    /// How many records repeat another record read (same eventID and content), and where
    /// records that share a key differ (see [`Tally`]). Only the records whose key is shared are
    /// compared: `contents` is given their places, about `batch` at a time, and returns each
    /// one's content hash (which must cover the eventID), or `None` when it can no longer be read
    /// (not compared: counted in [`Tally::unread`], neither a copy nor differing). The copies of
    /// one event are always in one call.
    pub fn tally(self, batch: usize, contents: &ReadContents<'_>) -> io::Result<Tally> {
        if self.unpacked.into_inner() {
            return Err(io::Error::other(
                "a record's place did not fit the copy count's key",
            ));
        }
        let packing = self.packing;
        let runs = self.sink.into_runs();
        // Merged in pieces side by side, one per core: the copies of one event share their key's
        // first field, so they are in one piece, and the counts add up.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut pieces = runs.finish_in_parts(cores.min(MAX_PIECES))?.into_iter();
        let first = pieces.next();
        std::thread::scope(|s| {
            let others: Vec<_> = pieces
                .map(|p| s.spawn(move || count_piece(p, packing, batch, contents)))
                .collect();
            let mut total = match first {
                Some(p) => count_piece(p, packing, batch, contents)?,
                None => Tally::default(),
            };
            for h in others {
                let piece = h
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                total.duplicates += piece.duplicates;
                total.differing.extend(piece.differing);
                for (input, n) in piece.unread {
                    *total.unread.entry(input).or_default() += n;
                }
            }
            Ok(total)
        })
    }
}

/// Pieces of the merge at most: past a few, each is too small to be worth a thread.
const MAX_PIECES: usize = 8;

/// [`CopyCount::tally`] over one piece of the merged keys.
fn count_piece(
    keys: SortedKeys<EventKey>,
    packing: Packing,
    batch: usize,
    contents: &ReadContents<'_>,
) -> io::Result<Tally> {
    let mut shared = Shared::default();
    let mut group: Vec<EventKey> = Vec::new();
    for key in keys {
        let key = key?;
        if group.last().is_some_and(|last| last.hash() != key.hash()) {
            shared.add(&group, packing);
            group.clear();
            if shared.at.len() >= batch {
                shared.resolve(contents);
            }
        }
        group.push(key);
    }
    shared.add(&group, packing);
    shared.resolve(contents);
    Ok(shared.tally)
}

/// Groups of records that share a key, waiting for their contents.
#[derive(Default)]
struct Shared {
    at: Vec<At>,
    /// Where each group ends in `at`.
    ends: Vec<usize>,
    tally: Tally,
}

impl Shared {
    fn add(&mut self, group: &[EventKey], packing: Packing) {
        if group.len() > 1 {
            self.at
                .extend(group.iter().map(|k| packing.unpack(k.0 as u64)));
            self.ends.push(self.at.len());
        }
    }

    fn resolve(&mut self, contents: &ReadContents<'_>) {
        if self.at.is_empty() {
            return;
        }
        let found = contents(&self.at);
        let mut start = 0;
        // A set, not a list: crafted evidence can put any number of different records under
        // one key, and comparing each with every other would take quadratic time.
        let mut seen: HashSet<[u8; 32]> = HashSet::new();
        let mut firsts: Vec<At> = Vec::new();
        for &end in &self.ends {
            seen.clear();
            firsts.clear();
            for (c, at) in found[start..end].iter().zip(&self.at[start..end]) {
                let Some(c) = c else {
                    *self.tally.unread.entry(at.0).or_default() += 1;
                    continue;
                };
                if seen.insert(*c) {
                    firsts.push(*at);
                } else {
                    self.tally.duplicates += 1;
                }
            }
            if firsts.len() > 1 {
                self.tally.differing.extend_from_slice(&firsts);
            }
            start = end;
        }
        self.at.clear();
        self.ends.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The count is the same whether the keys fit in memory or go through runs on disk, only
    /// the shared keys are read again, a hash of two eventIDs shared by chance counts no copy,
    /// and where records under one key differ, the first of each content is named.
    #[test]
    fn copies_are_counted_across_runs_and_different_records_are_not_copies() {
        for budget in [usize::MAX, 300, 1] {
            let c = CopyCount::new(budget, 4);
            let mut content: HashMap<At, [u8; 32]> = HashMap::new();
            let mut push = |id: u64, input: u32, index: u64, body: u8| {
                c.push(id, (input, index));
                content.insert((input, index), [body; 32]);
            };
            for n in 0..50u64 {
                // Every event three times: two identical copies and one different record.
                push(n, 0, n, 1);
                push(n, 1, n, 1);
                push(n, 2, n, 2);
                // Alone under its key: never read again.
                push(n + 1000, 3, n, 1);
            }
            let asked = std::sync::atomic::AtomicUsize::new(0);
            let read = |at: &[At]| {
                asked.fetch_add(at.len(), std::sync::atomic::Ordering::Relaxed);
                at.iter().map(|a| content.get(a).copied()).collect()
            };
            let tally = c.tally(16, &read).unwrap();
            assert_eq!(tally.duplicates, 50, "budget {budget}");
            assert_eq!(asked.into_inner(), 150, "budget {budget}");
            // Each event's different record, and the first of its two identical copies.
            let mut differing = tally.differing;
            differing.sort();
            let want: Vec<At> = (0..3)
                .step_by(2)
                .flat_map(|i| (0..50).map(move |n| (i, n)))
                .collect();
            assert_eq!(differing, want, "budget {budget}");
        }
    }

    /// Keys pushed from the reading threads at once (each thread's batches, runs written while
    /// others push) give the count a single thread gives: every copy is found across batches.
    #[test]
    fn keys_pushed_from_many_threads_are_counted_as_from_one() {
        use rayon::prelude::*;
        // 3 copies of each of 10,000 events, pushed in an order that scatters each event's
        // copies over the threads and the runs; every fifth event's third copy differs.
        let keys: Vec<((u64, At), u8)> = (0..30_000u64)
            .map(|n| {
                let event = (n * 7_919) % 10_000;
                let copy = n / 10_000;
                let body = u8::from(copy == 2 && event % 5 == 0);
                ((event, (copy as u32, event)), body)
            })
            .collect();
        let content: std::collections::HashMap<At, [u8; 32]> = keys
            .iter()
            .map(|((_, at), body)| (*at, [*body; 32]))
            .collect();
        let read = |at: &[At]| at.iter().map(|a| content.get(a).copied()).collect();
        for budget in [usize::MAX, 64 << 10, 1] {
            let c = CopyCount::new(budget, 3);
            keys.par_iter().for_each(|((id, at), _)| c.push(*id, *at));
            assert_eq!(
                c.tally(1000, &read).unwrap().duplicates,
                10_000 + 8_000,
                "budget {budget}"
            );
        }
    }

    #[test]
    fn a_record_that_cannot_be_read_again_is_not_a_copy() {
        let c = CopyCount::new(usize::MAX, 3);
        for input in 0..3 {
            c.push(9, (input, 0));
        }
        let read = |at: &[At]| at.iter().map(|a| (a.0 > 0).then_some([0; 32])).collect();
        let tally = c.tally(1, &read).unwrap();
        assert_eq!(tally.duplicates, 1);
        // Not compared, and said so: the count is partial.
        assert_eq!(tally.unread, BTreeMap::from([(0, 1)]));
    }

    /// Crafted evidence can put any number of different records under one key: the count
    /// looks each content up once, not against every other (a group of 100,000 took minutes
    /// that way, growing with the square), and still finds the copies among them.
    #[test]
    fn a_large_group_of_different_records_is_counted_in_one_look_each() {
        let c = CopyCount::new(1 << 20, 1);
        let n = 100_000u64;
        for index in 0..n {
            c.push(7, (0, index));
        }
        // The last thousand repeat the first thousand.
        let body = |index: u64| {
            let mut b = [0u8; 32];
            b[..8].copy_from_slice(&(index % (n - 1000)).to_le_bytes());
            b
        };
        let read = |at: &[At]| at.iter().map(|a| Some(body(a.1))).collect();
        assert_eq!(c.tally(1 << 16, &read).unwrap().duplicates, 1000);
    }

    /// A place packs into its key and back for any number of inputs, in (input, index) order;
    /// one that does not fit stops the count, which says so rather than count without it.
    #[test]
    fn places_pack_in_order_and_one_that_does_not_fit_is_an_error() {
        for inputs in [0usize, 1, 2, 3, 1000, 1 << 24, u32::MAX as usize] {
            let p = Packing::for_inputs(inputs);
            let last = inputs.saturating_sub(1) as u32;
            let mut places = [(0, 0), (0, 1 << 31), (last, 0), (last, (1 << 32) - 1)];
            places.sort();
            let packed: Vec<u64> = places.iter().map(|&a| p.pack(a).unwrap()).collect();
            assert!(packed.windows(2).all(|w| w[0] <= w[1]), "{inputs}");
            for (a, k) in places.iter().zip(&packed) {
                assert_eq!(p.unpack(*k), *a, "{inputs}");
            }
        }
        let c = CopyCount::new(usize::MAX, 2);
        c.push(1, (0, 1));
        c.push(1, (1, u64::MAX));
        let read = |at: &[At]| at.iter().map(|_| Some([0; 32])).collect();
        assert!(c.tally(16, &read).is_err());
    }
}
