//! An external merge sort for `--all`: rows arrive in input order and leave in time order, with
//! memory bounded by one run whatever the size of the evidence. Rows are held until they pass a
//! byte budget, then sorted and written to an anonymous temporary file (a run); at the end the
//! runs are merged. Each row is kept as the bytes it will be written as.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// Where a row goes: by time, then eventID, then where it was read (input, record index), the
/// order of the timeline. Copies of one event are next to each other.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowKey {
    /// Milliseconds since the Unix epoch.
    pub time: i64,
    pub event_id: String,
    pub input: u32,
    pub index: u64,
    /// A hash of the record's eventID and canonical form (see `correlate::copies`): copies of
    /// one event are duplicates only when it is the same (last in the order, so it never
    /// reorders rows). `None` until known: it is computed only for a record that may have a
    /// copy, and for the others when the merge finds that they have one.
    pub content: Option<[u8; 32]>,
}

/// Rows in, sorted rows out.
pub struct Sorter {
    budget: usize,
    held: Vec<(RowKey, Vec<u8>)>,
    held_bytes: usize,
    runs: Vec<File>,
}

impl Sorter {
    /// Hold at most about `budget` bytes of rows in memory before writing a run.
    pub fn new(budget: usize) -> Sorter {
        Sorter {
            budget,
            held: Vec::new(),
            held_bytes: 0,
            runs: Vec::new(),
        }
    }

    pub fn push(&mut self, key: RowKey, row: Vec<u8>) -> io::Result<()> {
        self.held_bytes += row.len() + key.event_id.len() + 96;
        self.held.push((key, row));
        if self.held_bytes >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Hold every further row in memory (when no temporary file can be written).
    pub fn hold_all(&mut self) {
        self.budget = usize::MAX;
    }

    /// Runs written so far.
    #[cfg(test)]
    fn runs(&self) -> usize {
        self.runs.len()
    }

    fn spill(&mut self) -> io::Result<()> {
        self.held.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut w = BufWriter::new(tempfile::tempfile()?);
        for (key, row) in self.held.drain(..) {
            write_entry(&mut w, &key, &row)?;
        }
        let mut file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        self.runs.push(file);
        self.held_bytes = 0;
        Ok(())
    }

    /// Every row pushed, in key order.
    pub fn finish(mut self) -> io::Result<Sorted> {
        if self.runs.is_empty() {
            self.held.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            return Ok(Sorted::Held(self.held.into_iter()));
        }
        if !self.held.is_empty() {
            self.spill()?;
        }
        let mut readers: Vec<BufReader<File>> = self
            .runs
            .into_iter()
            .map(|f| BufReader::with_capacity(64 << 10, f))
            .collect();
        let mut heads = BinaryHeap::new();
        for (n, r) in readers.iter_mut().enumerate() {
            if let Some((key, row)) = read_entry(r)? {
                heads.push(Reverse((key, n, row)));
            }
        }
        Ok(Sorted::Merging { readers, heads })
    }
}

/// The rows in order.
pub enum Sorted {
    Held(std::vec::IntoIter<(RowKey, Vec<u8>)>),
    Merging {
        readers: Vec<BufReader<File>>,
        heads: BinaryHeap<Reverse<(RowKey, usize, Vec<u8>)>>,
    },
}

impl Iterator for Sorted {
    type Item = io::Result<(RowKey, Vec<u8>)>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Sorted::Held(rows) => rows.next().map(Ok),
            Sorted::Merging { readers, heads } => {
                let Reverse((key, n, row)) = heads.pop()?;
                match read_entry(&mut readers[n]) {
                    Ok(Some((k, r))) => heads.push(Reverse((k, n, r))),
                    Ok(None) => {}
                    Err(e) => return Some(Err(e)),
                }
                Some(Ok((key, row)))
            }
        }
    }
}

fn write_entry(w: &mut impl Write, key: &RowKey, row: &[u8]) -> io::Result<()> {
    w.write_all(&key.time.to_le_bytes())?;
    w.write_all(&key.input.to_le_bytes())?;
    w.write_all(&key.index.to_le_bytes())?;
    match &key.content {
        Some(content) => {
            w.write_all(&[1])?;
            w.write_all(content)?;
        }
        None => w.write_all(&[0])?,
    }
    w.write_all(&(key.event_id.len() as u64).to_le_bytes())?;
    w.write_all(key.event_id.as_bytes())?;
    w.write_all(&(row.len() as u64).to_le_bytes())?;
    w.write_all(row)
}

fn read_entry(r: &mut impl Read) -> io::Result<Option<(RowKey, Vec<u8>)>> {
    let mut time = [0u8; 8];
    match r.read_exact(&mut time) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut input = [0u8; 4];
    r.read_exact(&mut input)?;
    let index = read_u64(r)?;
    let mut known = [0u8; 1];
    r.read_exact(&mut known)?;
    let content = match known[0] {
        0 => None,
        _ => {
            let mut content = [0u8; 32];
            r.read_exact(&mut content)?;
            Some(content)
        }
    };
    let id = read_bytes(r)?;
    let row = read_bytes(r)?;
    let event_id =
        String::from_utf8(id).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let key = RowKey {
        time: i64::from_le_bytes(time),
        event_id,
        input: u32::from_le_bytes(input),
        index,
        content,
    };
    Ok(Some((key, row)))
}

fn read_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn read_bytes(r: &mut impl Read) -> io::Result<Vec<u8>> {
    let n = read_u64(r)? as usize;
    let mut v = vec![0u8; n];
    r.read_exact(&mut v)?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(time: i64, id: &str, input: u32) -> RowKey {
        RowKey {
            time,
            event_id: id.into(),
            input,
            index: 0,
            content: (!input.is_multiple_of(3)).then_some([input as u8; 32]),
        }
    }

    /// The same rows come out in the same order whether they fit in memory or not.
    #[test]
    fn rows_come_out_in_key_order_from_memory_and_from_runs() {
        let rows: Vec<(RowKey, Vec<u8>)> = (0..500u32)
            .map(|n| {
                let t = i64::from((n * 7919) % 113);
                (
                    key(t, &format!("id-{}", n % 37), n),
                    format!("row {n}").into_bytes(),
                )
            })
            .collect();
        let mut expected = rows.clone();
        expected.sort();
        for budget in [usize::MAX, 2_000, 200] {
            let mut s = Sorter::new(budget);
            for (k, r) in rows.clone() {
                s.push(k, r).unwrap();
            }
            let spilled = s.runs();
            let got: Vec<_> = s.finish().unwrap().map(Result::unwrap).collect();
            assert_eq!(got, expected, "budget {budget}");
            assert_eq!(spilled > 0, budget != usize::MAX, "budget {budget}");
        }
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert_eq!(Sorter::new(1).finish().unwrap().count(), 0);
    }
}
