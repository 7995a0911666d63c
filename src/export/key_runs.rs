//! An external sort of small fixed-size keys, for the copy count: every record read leaves one
//! [`CopyKey`] (32 bytes in memory, 28 on disk), so the keys of a large case do not fit a
//! small budget; past it they are sorted and written to an anonymous temporary file (a run),
//! and the runs are merged at the end. Memory stays within one run whatever the size of the
//! evidence. No row bytes, no strings: see `sorted_runs` for `--all`'s rows.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// Where one record was read and what it claims to be: copies of one event share `time` and
/// `id` and come out of the sort next to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CopyKey {
    /// Milliseconds since the Unix epoch.
    pub time: i64,
    /// A hash of the eventID: two eventIDs may share it, so a group of equal `(time, id)` is
    /// only a candidate; its records' contents (which hold the eventID) decide.
    pub id: u64,
    pub input: u32,
    pub index: u64,
}

const ENTRY: usize = 28;

impl CopyKey {
    /// Same event by the key alone (`time` and `id`).
    pub fn same_event(&self, other: &CopyKey) -> bool {
        self.time == other.time && self.id == other.id
    }

    fn to_bytes(self) -> [u8; ENTRY] {
        let mut b = [0u8; ENTRY];
        b[..8].copy_from_slice(&self.time.to_le_bytes());
        b[8..16].copy_from_slice(&self.id.to_le_bytes());
        b[16..20].copy_from_slice(&self.input.to_le_bytes());
        b[20..].copy_from_slice(&self.index.to_le_bytes());
        b
    }

    fn from_bytes(b: &[u8; ENTRY]) -> CopyKey {
        let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
        CopyKey {
            time: u64_at(0) as i64,
            id: u64_at(8),
            input: u32::from_le_bytes(b[16..20].try_into().expect("4 bytes")),
            index: u64_at(20),
        }
    }
}

/// Keys in, sorted keys out.
pub struct KeyRuns {
    /// Keys held before a run is written.
    capacity: usize,
    held: Vec<CopyKey>,
    runs: Vec<File>,
}

impl KeyRuns {
    /// Hold at most about `budget` bytes of keys in memory before writing a run.
    pub fn new(budget: usize) -> KeyRuns {
        KeyRuns {
            capacity: (budget / std::mem::size_of::<CopyKey>()).max(1),
            held: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// One key (the copy count adds them in batches, with [`KeyRuns::extend`]).
    #[cfg(test)]
    fn push(&mut self, key: CopyKey) -> io::Result<()> {
        self.held.push(key);
        if self.held.len() >= self.capacity {
            self.spill()?;
        }
        Ok(())
    }

    /// Add `keys`; when the budget is reached, hand back the keys held for the caller to write
    /// as a run with [`write_run`] (outside any lock it holds) and give back with
    /// [`KeyRuns::add_run`].
    pub fn extend(&mut self, keys: &[CopyKey]) -> Option<Vec<CopyKey>> {
        self.held.extend_from_slice(keys);
        (self.held.len() >= self.capacity).then(|| std::mem::take(&mut self.held))
    }

    /// A run written by [`write_run`]; or, when it could not be written, its keys, held in
    /// memory from now on.
    pub fn add_run(&mut self, run: Result<File, Vec<CopyKey>>) {
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
    pub fn finish(mut self) -> io::Result<SortedKeys> {
        if self.runs.is_empty() {
            self.held.sort_unstable();
            return Ok(SortedKeys::Held(self.held.into_iter()));
        }
        // The keys still held are merged from memory: no run written only to be read back.
        self.held.sort_unstable();
        let mut readers: Vec<Run> = self
            .runs
            .into_iter()
            .map(|f| Run::File(BufReader::with_capacity(64 << 10, f)))
            .chain((!self.held.is_empty()).then(|| Run::Held(self.held.into_iter())))
            .collect();
        let mut heads = BinaryHeap::new();
        for (n, r) in readers.iter_mut().enumerate() {
            if let Some(key) = r.next_key()? {
                heads.push(Reverse((key, n)));
            }
        }
        Ok(SortedKeys::Merging { readers, heads })
    }
}

/// Sort `keys` and write them as a run; the keys back when no temporary file can be written.
pub fn write_run(mut keys: Vec<CopyKey>) -> Result<File, Vec<CopyKey>> {
    write_sorted(&mut keys).map_err(|_| keys)
}

fn write_sorted(keys: &mut [CopyKey]) -> io::Result<File> {
    keys.sort_unstable();
    let mut w = BufWriter::with_capacity(64 << 10, tempfile::tempfile()?);
    for key in keys.iter() {
        w.write_all(&key.to_bytes())?;
    }
    let mut file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.rewind()?;
    Ok(file)
}

/// The keys in order.
pub enum SortedKeys {
    Held(std::vec::IntoIter<CopyKey>),
    Merging {
        readers: Vec<Run>,
        heads: BinaryHeap<Reverse<(CopyKey, usize)>>,
    },
}

/// One sorted run being merged: written to a temporary file, or the last keys, held.
pub enum Run {
    File(BufReader<File>),
    Held(std::vec::IntoIter<CopyKey>),
}

impl Run {
    fn next_key(&mut self) -> io::Result<Option<CopyKey>> {
        match self {
            Run::File(r) => read_key(r),
            Run::Held(keys) => Ok(keys.next()),
        }
    }
}

impl Iterator for SortedKeys {
    type Item = io::Result<CopyKey>;

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

fn read_key(r: &mut impl Read) -> io::Result<Option<CopyKey>> {
    let mut b = [0u8; ENTRY];
    match r.read_exact(&mut b) {
        Ok(()) => Ok(Some(CopyKey::from_bytes(&b))),
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
        let keys: Vec<CopyKey> = (0..500u32)
            .map(|n| CopyKey {
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

    #[test]
    fn nothing_in_nothing_out() {
        assert_eq!(KeyRuns::new(1).finish().unwrap().count(), 0);
    }
}
