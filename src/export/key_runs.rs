//! An external sort of small fixed-size keys ([`RunKey`]), for the copy count and `--all`'s
//! eventID times: every record read leaves one key, so the keys of a large case do not fit a
//! small budget; past it they are sorted and written to an anonymous temporary file (a run),
//! and the runs are merged at the end. Memory stays within one run whatever the size of the
//! evidence. No row bytes, no strings: see `sorted_runs` for `--all`'s rows.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// `--all`'s eventID-times key (`id_times`): four fields sorted in turn, `id_times` putting an
/// eventID hash in `time`, the time in `id`, whether the record is an updated copy in `input`
/// and its call's hash in `index`. 28 bytes on disk. (The copy count has a key of its own,
/// `copy_count::EventKey`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IdTimeKey {
    /// Sorted first: a time in milliseconds, or `id_times`' eventID hash.
    pub time: i64,
    /// Sorted second.
    pub id: u64,
    pub input: u32,
    pub index: u64,
}

/// A key the runs sort: ordered as the keys must come out, `SIZE` bytes on disk.
pub trait RunKey: Copy + Ord + Send + 'static {
    /// Bytes of one key in a run file (at most [`MAX_ENTRY`]).
    const SIZE: usize;
    fn put(&self, out: &mut [u8]);
    fn get(b: &[u8]) -> Self;
    /// The part of the key [`KeyRuns::finish_in_parts`] cuts at, ordered as the keys are: keys
    /// with one value of it stay in one piece.
    fn piece(&self) -> u64;

    /// Sort a run's keys in place.
    fn sort(keys: &mut [Self]) {
        keys.sort_unstable();
    }
}

/// The largest [`RunKey::SIZE`].
const MAX_ENTRY: usize = 32;

impl RunKey for IdTimeKey {
    const SIZE: usize = 28;

    fn put(&self, b: &mut [u8]) {
        b[..8].copy_from_slice(&self.time.to_le_bytes());
        b[8..16].copy_from_slice(&self.id.to_le_bytes());
        b[16..20].copy_from_slice(&self.input.to_le_bytes());
        b[20..28].copy_from_slice(&self.index.to_le_bytes());
    }

    fn get(b: &[u8]) -> IdTimeKey {
        let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
        IdTimeKey {
            time: u64_at(0) as i64,
            id: u64_at(8),
            input: u32::from_le_bytes(b[16..20].try_into().expect("4 bytes")),
            index: u64_at(20),
        }
    }

    /// `time`, its sign bit flipped so that the unsigned order is the signed one.
    fn piece(&self) -> u64 {
        (self.time as u64) ^ (1 << 63)
    }
}

/// Keys in, sorted keys out.
pub struct KeyRuns<K: RunKey = IdTimeKey> {
    /// Keys held before a run is written.
    capacity: usize,
    held: Vec<K>,
    runs: Vec<File>,
}

impl<K: RunKey> KeyRuns<K> {
    /// Hold at most about `budget` bytes of keys in memory before writing a run.
    pub fn new(budget: usize) -> KeyRuns<K> {
        KeyRuns {
            capacity: (budget / std::mem::size_of::<K>()).max(1),
            held: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// One key (the copy count adds them in batches, with [`KeyRuns::extend`]).
    #[cfg(test)]
    fn push(&mut self, key: K) -> io::Result<()> {
        self.held.push(key);
        if self.held.len() >= self.capacity {
            self.spill()?;
        }
        Ok(())
    }

    /// Add `keys`; when the budget is reached, hand back the keys held for the caller to write
    /// as a run with [`write_run`] (outside any lock it holds) and give back with
    /// [`KeyRuns::add_run`].
    pub fn extend(&mut self, keys: &[K]) -> Option<Vec<K>> {
        self.held.extend_from_slice(keys);
        (self.held.len() >= self.capacity).then(|| std::mem::take(&mut self.held))
    }

    /// A run written by [`write_run`]; or, when it could not be written, its keys, held in
    /// memory from now on.
    pub fn add_run(&mut self, run: Result<File, Vec<K>>) {
        match run {
            Ok(file) => self.runs.push(file),
            Err(keys) => {
                self.hold_all();
                self.held.extend(keys);
            }
        }
    }

    /// Hold every further key in memory (when no temporary file can be written).
    fn hold_all(&mut self) {
        self.capacity = usize::MAX;
    }

    /// Runs written so far.
    #[cfg(test)]
    fn runs(&self) -> usize {
        self.runs.len()
    }

    #[cfg(test)]
    fn spill(&mut self) -> io::Result<()> {
        let file = write_sorted(&mut self.held)?;
        self.runs.push(file);
        // Nothing held between runs: the budget is the peak, not a floor.
        self.held = Vec::new();
        Ok(())
    }

    /// Every key pushed, in order.
    pub fn finish(mut self) -> io::Result<SortedKeys<K>> {
        if self.runs.is_empty() {
            K::sort(&mut self.held);
            return Ok(SortedKeys::Held(self.held.into_iter()));
        }
        // The keys still held are merged from memory: no run written only to be read back.
        K::sort(&mut self.held);
        let readers: Vec<Run<K>> = self
            .runs
            .into_iter()
            .map(|f| Run::File(BufReader::with_capacity(64 << 10, Box::new(f))))
            .chain((!self.held.is_empty()).then(|| Run::Held(self.held.into_iter())))
            .collect();
        merging(readers)
    }

    /// Every key pushed, in order, in up to `parts` pieces to be merged side by side (one per
    /// core): each piece's keys all come before the next piece's, and the keys of one time are
    /// in one piece (copies of one event share their time). The pieces are cut at times that
    /// share the keys about evenly, found from a sample of each run and a binary search in it.
    #[cfg(unix)]
    pub fn finish_in_parts(mut self, parts: usize) -> io::Result<Vec<SortedKeys<K>>> {
        use std::sync::Arc;
        if parts < 2 || self.runs.is_empty() {
            return Ok(vec![self.finish()?]);
        }
        K::sort(&mut self.held);
        let runs: Vec<(Arc<File>, u64)> = self
            .runs
            .into_iter()
            .map(|f| {
                let len = f.metadata()?.len() / K::SIZE as u64;
                Ok((Arc::new(f), len))
            })
            .collect::<io::Result<_>>()?;
        let cuts = cut_times(&runs, &self.held, parts)?;
        // Where each cut falls in each run and in the held keys: the first key of its time or later.
        let mut bounds: Vec<Vec<u64>> = Vec::with_capacity(runs.len());
        for (file, len) in &runs {
            let mut at = vec![0];
            for &t in &cuts {
                at.push(first_at_or_after::<K>(file, *len, t)?);
            }
            at.push(*len);
            bounds.push(at);
        }
        // The held keys cut the same way, moved into their pieces (split from the end).
        let mut held = std::mem::take(&mut self.held);
        let mut held_pieces: Vec<Vec<K>> = Vec::with_capacity(cuts.len() + 1);
        for &t in cuts.iter().rev() {
            let at = held.partition_point(|k| k.piece() < t);
            held_pieces.push(held.split_off(at));
        }
        held_pieces.push(held);
        held_pieces.reverse();
        let mut pieces = Vec::with_capacity(cuts.len() + 1);
        for (p, held) in held_pieces.into_iter().enumerate() {
            let mut readers: Vec<Run<K>> = Vec::with_capacity(runs.len() + 1);
            for ((file, _), at) in runs.iter().zip(&bounds) {
                if at[p] < at[p + 1] {
                    let range = RunRange {
                        file: Arc::clone(file),
                        at: at[p] * K::SIZE as u64,
                        end: at[p + 1] * K::SIZE as u64,
                    };
                    readers.push(Run::File(BufReader::with_capacity(
                        64 << 10,
                        Box::new(range),
                    )));
                }
            }
            if !held.is_empty() {
                readers.push(Run::Held(held.into_iter()));
            }
            pieces.push(merging(readers)?);
        }
        Ok(pieces)
    }

    /// Without positioned reads, one piece.
    #[cfg(not(unix))]
    pub fn finish_in_parts(self, _parts: usize) -> io::Result<Vec<SortedKeys<K>>> {
        Ok(vec![self.finish()?])
    }
}

/// The merge of sorted `readers`.
fn merging<K: RunKey>(mut readers: Vec<Run<K>>) -> io::Result<SortedKeys<K>> {
    let mut heads = BinaryHeap::new();
    for (n, r) in readers.iter_mut().enumerate() {
        if let Some(key) = r.next_key()? {
            heads.push(Reverse((key, n)));
        }
    }
    Ok(SortedKeys::Merging { readers, heads })
}

/// Keys sampled from each run (and the held keys), each standing for its share of its run.
const SAMPLES: u64 = 64;

/// Up to `parts - 1` distinct [`RunKey::piece`] values that cut the keys of `runs` and `held` into about equal
/// pieces, in order.
#[cfg(unix)]
fn cut_times<K: RunKey>(
    runs: &[(std::sync::Arc<File>, u64)],
    held: &[K],
    parts: usize,
) -> io::Result<Vec<u64>> {
    // (piece, how many keys the sample stands for)
    let mut samples: Vec<(u64, u64)> = Vec::new();
    for (file, len) in runs {
        let n = SAMPLES.min(*len);
        for i in 0..n {
            samples.push((key_at::<K>(file, i * len / n)?.piece(), len / n));
        }
    }
    let n = SAMPLES.min(held.len() as u64);
    for i in 0..n {
        let at = (i * held.len() as u64 / n) as usize;
        samples.push((held[at].piece(), held.len() as u64 / n));
    }
    samples.sort_unstable();
    let total: u64 = samples.iter().map(|s| s.1).sum();
    let mut cuts = Vec::new();
    let (mut seen, mut next) = (0, 1);
    for &(time, weight) in &samples {
        seen += weight;
        while next < parts && seen * parts as u64 >= total * next as u64 {
            // A cut at a time is the start of the piece that holds that time.
            if cuts.last() != Some(&time) && samples[0].0 != time {
                cuts.push(time);
            }
            next += 1;
        }
    }
    Ok(cuts)
}

/// The key at position `i` of a run.
#[cfg(unix)]
fn key_at<K: RunKey>(file: &File, i: u64) -> io::Result<K> {
    use std::os::unix::fs::FileExt;
    let mut b = [0u8; MAX_ENTRY];
    file.read_exact_at(&mut b[..K::SIZE], i * K::SIZE as u64)?;
    Ok(K::get(&b[..K::SIZE]))
}

/// The position of the first key of a run of `len` keys whose piece is `piece` or later.
#[cfg(unix)]
fn first_at_or_after<K: RunKey>(file: &File, len: u64, piece: u64) -> io::Result<u64> {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if key_at::<K>(file, mid)?.piece() < piece {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}

/// Part of a run file, read by position: pieces of one run are read side by side without
/// sharing a file offset.
#[cfg(unix)]
struct RunRange {
    file: std::sync::Arc<File>,
    at: u64,
    end: u64,
}

#[cfg(unix)]
impl Read for RunRange {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let want = buf.len().min((self.end - self.at) as usize);
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// Sort `keys` and write them as a run; the keys back when no temporary file can be written.
pub fn write_run<K: RunKey>(mut keys: Vec<K>) -> Result<File, Vec<K>> {
    write_sorted(&mut keys).map_err(|_| keys)
}

fn write_sorted<K: RunKey>(keys: &mut [K]) -> io::Result<File> {
    K::sort(keys);
    let mut w = BufWriter::with_capacity(64 << 10, tempfile::tempfile()?);
    let mut b = [0u8; MAX_ENTRY];
    for key in keys.iter() {
        key.put(&mut b[..K::SIZE]);
        w.write_all(&b[..K::SIZE])?;
    }
    let mut file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.rewind()?;
    Ok(file)
}

/// The keys in order.
pub enum SortedKeys<K: RunKey = IdTimeKey> {
    Held(std::vec::IntoIter<K>),
    Merging {
        readers: Vec<Run<K>>,
        heads: BinaryHeap<Reverse<(K, usize)>>,
    },
}

/// One sorted run being merged: written to a temporary file (or a piece of one), or the last
/// keys, held.
pub enum Run<K: RunKey> {
    File(BufReader<Box<dyn Read + Send>>),
    Held(std::vec::IntoIter<K>),
}

impl<K: RunKey> Run<K> {
    fn next_key(&mut self) -> io::Result<Option<K>> {
        match self {
            Run::File(r) => read_key(r),
            Run::Held(keys) => Ok(keys.next()),
        }
    }
}

impl<K: RunKey> Iterator for SortedKeys<K> {
    type Item = io::Result<K>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            SortedKeys::Held(keys) => keys.next().map(Ok),
            SortedKeys::Merging { readers, heads } => {
                let Reverse((key, n)) = heads.pop()?;
                match readers[n].next_key() {
                    Ok(Some(k)) => heads.push(Reverse((k, n))),
                    Ok(None) => {}
                    Err(e) => return Some(Err(e)),
                }
                Some(Ok(key))
            }
        }
    }
}

fn read_key<K: RunKey>(r: &mut impl Read) -> io::Result<Option<K>> {
    let mut b = [0u8; MAX_ENTRY];
    match r.read_exact(&mut b[..K::SIZE]) {
        Ok(()) => Ok(Some(K::get(&b[..K::SIZE]))),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same keys come out in the same order whether they fit in memory or not.
    #[test]
    fn keys_come_out_in_order_from_memory_and_from_runs() {
        let keys: Vec<IdTimeKey> = (0..500u32)
            .map(|n| IdTimeKey {
                time: i64::from((n * 7919) % 113) - 50,
                id: u64::from(n % 37) << 60,
                input: n % 5,
                index: u64::from(n) << 33,
            })
            .collect();
        let mut expected = keys.clone();
        expected.sort();
        for budget in [usize::MAX, 2_000, 1] {
            let mut s = KeyRuns::new(budget);
            for k in &keys {
                s.push(*k).unwrap();
            }
            let spilled = s.runs();
            let got: Vec<_> = s.finish().unwrap().map(Result::unwrap).collect();
            assert_eq!(got, expected, "budget {budget}");
            assert_eq!(spilled > 0, budget != usize::MAX, "budget {budget}");
        }
    }

    /// Cut into pieces, the keys come out as they do whole: each piece in order, the pieces one
    /// after the other, and no time in two pieces; with keys bunched at a few times (one time
    /// may hold most of them) and spread over many, in runs and held, for 1 to 5 pieces.
    #[cfg(unix)]
    #[test]
    fn pieces_follow_each_other_and_split_no_time() {
        for times in [1u32, 3, 50, 100_000] {
            let keys: Vec<IdTimeKey> = (0..20_000u32)
                .map(|n| IdTimeKey {
                    // Half the keys at time 0 when there are few times.
                    time: i64::from(if n % 2 == 0 && times < 10 {
                        0
                    } else {
                        (n * 7919) % times
                    }),
                    id: u64::from(n % 37),
                    input: n % 5,
                    index: u64::from(n),
                })
                .collect();
            let mut expected = keys.clone();
            expected.sort();
            for budget in [usize::MAX, 64 << 10, 5_000] {
                for parts in 1..=5 {
                    let mut s = KeyRuns::new(budget);
                    for k in &keys {
                        s.push(*k).unwrap();
                    }
                    let pieces: Vec<Vec<IdTimeKey>> = s
                        .finish_in_parts(parts)
                        .unwrap()
                        .into_iter()
                        .map(|p| p.map(Result::unwrap).collect())
                        .collect();
                    assert!(pieces.len() <= parts);
                    if budget != usize::MAX && parts > 1 && times > 10 {
                        assert!(pieces.len() > 1, "{times} {budget} {parts}");
                    }
                    for w in pieces.windows(2) {
                        let (a, b) = (w[0].last().unwrap(), w[1].first().unwrap());
                        assert!(a.time < b.time, "{times} {budget} {parts}");
                    }
                    assert_eq!(pieces.concat(), expected, "{times} {budget} {parts}");
                }
            }
        }
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert_eq!(KeyRuns::<IdTimeKey>::new(1).finish().unwrap().count(), 0);
    }
}
