//! An external merge sort for `--all`: rows arrive in input order and leave in time order, with
//! memory bounded by two runs while they arrive (and, as `run_merge` merges the runs at the end,
//! two 64 KiB blocks of each run written, and the rows after the last run, which are merged
//! from memory: at most one run's budget). Rows are held until they pass a byte budget; then a thread of
//! its own sorts them and writes them to an anonymous temporary file (a run) as LZ4 blocks while
//! the next rows arrive. Each row
//! is kept as the bytes it will be written as; the reading threads hand rows over in batches
//! (`RowBatch`: entries encoded back to back in one buffer), so no row is an allocation of its
//! own that the run's thread must free. LZ4 keeps a run to about a tenth of its rows'
//! size (CloudTrail rows repeat their keys, ARNs and user agents), so `--all` over a month of
//! evidence writes tens, not hundreds, of gigabytes to the temporary directory, which may well
//! be memory (tmpfs).

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::thread::JoinHandle;

/// Rows are packed into blocks of about this many bytes before compression (LZ4's window is
/// 64 KiB); the merge holds one block of each run.
const BLOCK: usize = 64 << 10;

/// A run written, and the emptied batches its rows came in.
type Written = (File, Vec<RowBatch>);

/// Where a row goes: by time, then eventID, then where it was read (input, record index), the
/// order of the timeline; copies of one event are next to each other. What
/// [`RowBatch::push_with`] encodes before the row, and what the merge gives back with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRef<'a> {
    /// Milliseconds since the Unix epoch.
    pub time: i64,
    pub event_id: &'a str,
    pub input: u32,
    pub index: u64,
    /// A hash of the record's eventID and canonical form (see `correlate::copies`): copies of
    /// one event are duplicates only when it is the same (last in the order, so it never
    /// reorders rows). `None` until known: it is computed only for a record that may have a
    /// copy, and for the others when the merge finds that they have one.
    pub content: Option<[u8; 32]>,
}

impl KeyRef<'_> {
    /// The order of rows: (time, eventID, input, index, content), `None` before any content.
    pub fn order(&self, other: &KeyRef<'_>) -> std::cmp::Ordering {
        (
            self.time,
            self.event_id,
            self.input,
            self.index,
            self.content,
        )
            .cmp(&(
                other.time,
                other.event_id,
                other.input,
                other.index,
                other.content,
            ))
    }
}

/// Rows of one thread encoded back to back as a run's entries, in one buffer: no allocation
/// per row, and nothing for another thread to free row by row.
#[derive(Debug, Default)]
pub struct RowBatch {
    bytes: Vec<u8>,
    starts: Vec<usize>,
}

impl RowBatch {
    /// Rows held.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// A row under `key`, its bytes appended by `write` (nothing kept if it fails).
    pub fn push_with(
        &mut self,
        key: KeyRef<'_>,
        write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        let start = self.bytes.len();
        let written = encode_key(&mut self.bytes, key).and_then(|()| {
            let at = self.bytes.len();
            self.bytes.extend_from_slice(&[0; 4]);
            write(&mut self.bytes)?;
            let n = u32_len(self.bytes.len() - at - 4)?;
            self.bytes[at..at + 4].copy_from_slice(&n.to_le_bytes());
            Ok(())
        });
        match written {
            Ok(()) => self.starts.push(start),
            Err(_) => self.bytes.truncate(start),
        }
        written
    }

    /// The entry of row `n`.
    pub(super) fn entry(&self, n: usize) -> &[u8] {
        let end = self.starts.get(n + 1).copied().unwrap_or(self.bytes.len());
        &self.bytes[self.starts[n]..end]
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.starts.clear();
    }
}

/// Rows in, sorted rows out.
pub struct Sorter {
    budget: usize,
    held_bytes: usize,
    /// The run being sorted and written (one at a time: the next waits for it); the thread
    /// gives back the emptied batches for the rows after the next.
    writing: Option<JoinHandle<io::Result<Written>>>,
    /// Batches of rows held, and emptied ones for the threads that fill them.
    batches: Vec<RowBatch>,
    spare_batches: Vec<RowBatch>,
    runs: Vec<File>,
}

impl Sorter {
    /// Hold at most about `budget` bytes of rows in memory (and as many being written to a run)
    /// before writing a run.
    pub fn new(budget: usize) -> Sorter {
        Sorter {
            budget,
            held_bytes: 0,
            writing: None,
            batches: Vec::new(),
            spare_batches: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// Take the rows of `batch`; an empty batch comes back (one given back earlier, when there
    /// is one) for the next rows.
    pub fn push_batch(&mut self, batch: RowBatch) -> io::Result<RowBatch> {
        self.held_bytes += batch.bytes.len() + 64 * batch.len();
        self.batches.push(batch);
        if self.held_bytes >= self.budget {
            self.spill()?;
        }
        Ok(self.spare_batches.pop().unwrap_or_default())
    }

    /// Runs written or being written so far.
    #[cfg(test)]
    pub(super) fn runs(&self) -> usize {
        self.runs.len() + usize::from(self.writing.is_some())
    }

    /// Rows held, not yet in a run.
    #[cfg(test)]
    pub(super) fn held(&self) -> usize {
        self.batches.iter().map(RowBatch::len).sum()
    }

    /// Hand the rows held to a thread that sorts them and writes them as a run.
    fn spill(&mut self) -> io::Result<()> {
        self.wait()?;
        let batches = std::mem::take(&mut self.batches);
        self.held_bytes = 0;
        self.writing = Some(std::thread::spawn(move || write_run(batches)));
        Ok(())
    }

    /// The run being written, written.
    fn wait(&mut self) -> io::Result<()> {
        if let Some(writing) = self.writing.take() {
            let (run, batches) = writing
                .join()
                .map_err(|_| io::Error::other("the thread writing a sorted run panicked"))??;
            self.runs.push(run);
            self.spare_batches.extend(batches);
        }
        Ok(())
    }

    /// Every row pushed: in memory with their order when no run was written, else in runs
    /// and the rows after the last run, still in memory (`run_merge::Sorted` gives them in
    /// order).
    pub(super) fn finish(mut self) -> io::Result<Finished> {
        if self.runs.is_empty() && self.writing.is_none() {
            let batches = std::mem::take(&mut self.batches);
            let order = sorted_order(&batches);
            return Ok(Finished::Held(batches, order));
        }
        // The rows after the last run are not written as one: they are within the budget
        // already, and writing them is work every other thread waits for (the merge cannot
        // start before), so the merge takes them from memory as its last run.
        self.wait()?;
        let last = std::mem::take(&mut self.batches);
        Ok(Finished::Runs(std::mem::take(&mut self.runs), last))
    }
}

/// The rows of a finished sort.
pub(super) enum Finished {
    /// Every row fitted in memory: the batches, and the order of their rows.
    Held(Vec<RowBatch>, Vec<Place>),
    /// The sorted runs, and the rows pushed after the last of them, not sorted yet (none, when
    /// the last push ended a run).
    Runs(Vec<File>, Vec<RowBatch>),
}

impl Drop for Sorter {
    fn drop(&mut self) {
        // A run still being written when the sort is abandoned: its error no longer matters.
        if let Some(writing) = self.writing.take() {
            let _ = writing.join();
        }
    }
}

/// Sort the rows of `batches` and write them to a new anonymous temporary file, rewound;
/// `batches` come back empty.
fn write_run(mut batches: Vec<RowBatch>) -> io::Result<Written> {
    let order = sorted_order(&batches);
    let entry = |b: u32, n: u32| batches[b as usize].entry(n as usize);
    let mut w = BlockWriter {
        out: BufWriter::with_capacity(256 << 10, tempfile::tempfile()?),
        block: Vec::with_capacity(BLOCK + (4 << 10)),
        packed: Vec::new(),
    };
    for (.., b, n) in order {
        w.block.extend_from_slice(entry(b, n));
        if w.block.len() >= BLOCK {
            w.pack()?;
        }
    }
    w.pack()?;
    let mut file = w.out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.rewind()?;
    for batch in &mut batches {
        batch.clear();
    }
    Ok((file, batches))
}

/// A row's place in a sort: its time and the first eight bytes of its eventID (see
/// [`id_prefix`]), then where it is held (batch, row in the batch).
pub(super) type Place = (i64, u64, u32, u32);

/// The first eight bytes of an eventID as a number (big-endian, zeros past a shorter one): two
/// eventIDs whose numbers differ are in the order of their numbers, so comparing the numbers
/// settles most comparisons of rows of one time (CloudTrail's times are whole seconds, so many
/// rows share one), and only equal numbers need the eventIDs' bytes.
pub(super) fn id_prefix(id: &[u8]) -> u64 {
    u64::from_be_bytes(fixed(id))
}

/// The rows of `batches` in key order: the place of each.
pub(super) fn sorted_order(batches: &[RowBatch]) -> Vec<Place> {
    // Each entry's time and eventID prefix are read once: most pairs differ there, and only
    // rows of the same time and prefix have their keys read whole.
    let entry = |b: u32, n: u32| batches[b as usize].entry(n as usize);
    let mut order: Vec<Place> = Vec::with_capacity(batches.iter().map(RowBatch::len).sum());
    for (b, batch) in batches.iter().enumerate() {
        order.extend((0..batch.len() as u32).map(|n| {
            let (time, id, ..) = key_of_entry(entry(b as u32, n));
            (time, id_prefix(id), b as u32, n)
        }));
    }
    order.sort_unstable_by(|x, y| {
        (x.0, x.1)
            .cmp(&(y.0, y.1))
            .then_with(|| key_order(entry(x.2, x.3), entry(y.2, y.3)))
    });
    order
}

/// Two encoded entries in [`KeyRef`]'s order (time, eventID, input, index, content).
fn key_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    key_of_entry(a).cmp(&key_of_entry(b))
}

/// An encoded entry's key, as a tuple ordered as [`KeyRef`] is.
fn key_of_entry(e: &[u8]) -> (i64, &[u8], u32, u64, Option<&[u8]>) {
    let int = |at: usize, n: usize| e.get(at..at + n).unwrap_or_default();
    let time = i64::from_le_bytes(fixed(int(0, 8)));
    let input = u32::from_le_bytes(fixed(int(8, 4)));
    let index = u64::from_le_bytes(fixed(int(12, 8)));
    let (content, id_at) = match e.get(20) {
        Some(0) => (None, 21),
        _ => (Some(int(21, 32)), 53),
    };
    let id_len = u32::from_le_bytes(fixed(int(id_at, 4))) as usize;
    let id = int(id_at + 4, id_len);
    (time, id, input, index, content)
}

/// A run's file: blocks of entries, each `[raw length u32][packed length u32][LZ4 block]`.
struct BlockWriter {
    out: BufWriter<File>,
    block: Vec<u8>,
    packed: Vec<u8>,
}

impl BlockWriter {
    fn pack(&mut self) -> io::Result<()> {
        if self.block.is_empty() {
            return Ok(());
        }
        let raw = u32_len(self.block.len())?;
        self.packed.resize(
            lz4_flex::block::get_maximum_output_size(self.block.len()),
            0,
        );
        let n = lz4_flex::block::compress_into(&self.block, &mut self.packed)
            .map_err(io::Error::other)?;
        self.out.write_all(&raw.to_le_bytes())?;
        self.out.write_all(&u32_len(n)?.to_le_bytes())?;
        self.out.write_all(&self.packed[..n])?;
        self.block.clear();
        Ok(())
    }
}

/// The next block of rows held in `batches` whose order is `order` (see [`sorted_order`]),
/// from its `next` row on, into `block`, as [`write_run`] packs a run's blocks (without
/// compressing them); `false` once every row is given.
pub(super) fn fill_block(
    batches: &[RowBatch],
    order: &[Place],
    next: &mut usize,
    block: &mut Vec<u8>,
) -> bool {
    block.clear();
    while let Some(&(.., b, n)) = order.get(*next) {
        block.extend_from_slice(batches[b as usize].entry(n as usize));
        *next += 1;
        if block.len() >= BLOCK {
            break;
        }
    }
    !block.is_empty()
}

/// The next block of a run's `file` into `block` (its packed bytes read into `packed`); `false`
/// at the end of the run.
pub(super) fn read_block(
    file: &mut File,
    packed: &mut Vec<u8>,
    block: &mut Vec<u8>,
) -> io::Result<bool> {
    let mut head = [0u8; 8];
    match file.read_exact(&mut head) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    let [r0, r1, r2, r3, p0, p1, p2, p3] = head;
    let raw = u32::from_le_bytes([r0, r1, r2, r3]) as usize;
    let n = u32::from_le_bytes([p0, p1, p2, p3]) as usize;
    packed.resize(n, 0);
    file.read_exact(packed)?;
    block.resize(raw, 0);
    let n = lz4_flex::block::decompress_into(packed, block).map_err(invalid)?;
    if n != raw || raw == 0 {
        return Err(invalid("a sorted run's block is not the length it says"));
    }
    Ok(true)
}

fn u32_len(n: usize) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| io::Error::other("a row past 4 GiB cannot be sorted"))
}

pub(super) fn invalid(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// An entry is `[time i64][input u32][index u64][0 | 1 + content 32][id length u32][id][row
/// length u32][row]`; this writes it up to its row's length.
fn encode_key(b: &mut Vec<u8>, key: KeyRef<'_>) -> io::Result<()> {
    b.extend_from_slice(&key.time.to_le_bytes());
    b.extend_from_slice(&key.input.to_le_bytes());
    b.extend_from_slice(&key.index.to_le_bytes());
    match &key.content {
        Some(content) => {
            b.push(1);
            b.extend_from_slice(content);
        }
        None => b.push(0),
    }
    b.extend_from_slice(&u32_len(key.event_id.len())?.to_le_bytes());
    b.extend_from_slice(key.event_id.as_bytes());
    Ok(())
}

/// An entry's key, its eventID and row as places in the bytes read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Head {
    pub(super) time: i64,
    pub(super) input: u32,
    pub(super) index: u64,
    pub(super) content: Option<[u8; 32]>,
    /// The eventID's [`id_prefix`].
    pub(super) prefix: u64,
    pub(super) id: std::ops::Range<usize>,
    pub(super) row: std::ops::Range<usize>,
}

/// The entry at `at` of `b` (it ends where its row does).
pub(super) fn head_at(b: &[u8], at: usize) -> io::Result<Head> {
    let mut at = at;
    let mut take = |n: usize| -> io::Result<std::ops::Range<usize>> {
        let range = at..at + n;
        b.get(range.clone())
            .ok_or_else(|| invalid("a sorted run's entry is cut short"))?;
        at += n;
        Ok(range)
    };
    let int = |r: std::ops::Range<usize>| &b[r];
    let time = i64::from_le_bytes(fixed(int(take(8)?)));
    let input = u32::from_le_bytes(fixed(int(take(4)?)));
    let index = u64::from_le_bytes(fixed(int(take(8)?)));
    let content = match b[take(1)?.start] {
        0 => None,
        _ => Some(fixed(int(take(32)?))),
    };
    let n = u32::from_le_bytes(fixed(int(take(4)?))) as usize;
    let id = take(n)?;
    let n = u32::from_le_bytes(fixed(int(take(4)?))) as usize;
    let row = take(n)?;
    Ok(Head {
        time,
        input,
        index,
        content,
        prefix: id_prefix(&b[id.clone()]),
        id,
        row,
    })
}

impl Head {
    /// The key of this entry of `b`.
    pub(super) fn key<'b>(&self, b: &'b [u8]) -> io::Result<KeyRef<'b>> {
        Ok(KeyRef {
            time: self.time,
            event_id: std::str::from_utf8(&b[self.id.clone()]).map_err(invalid)?,
            input: self.input,
            index: self.index,
            content: self.content,
        })
    }
}

/// `bytes` (of length `N`, as `take` gives) as an array (zeros past a shorter slice).
fn fixed<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    let n = bytes.len().min(N);
    a[..n].copy_from_slice(&bytes[..n]);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The order of a sort's places is the order of the rows' keys, with eventIDs that share
    /// their first eight bytes, are shorter than eight, end in zero bytes or are prefixes of
    /// one another, at one time and at several.
    #[test]
    fn places_sort_as_the_keys_do() {
        let ids = [
            "",
            "a",
            "a\0",
            "a\0\0",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefgha",
            "abcdefgi",
            "abcdefg",
            "abcdefg\0",
            "b",
            "\u{7f}",
            "\u{e9}t\u{e9}",
            "12345678-aaaa",
            "12345678-aaab",
        ];
        let mut keys = Vec::new();
        for (n, id) in ids.iter().enumerate() {
            for time in [0i64, 1000, -1000] {
                for input in [0u32, 1] {
                    let content = (n % 3 == 0).then_some([n as u8; 32]);
                    keys.push((time, *id, input, (n % 2) as u64, content));
                }
            }
        }
        // In three batches, in an order unlike the sorted one.
        let mut batches = vec![
            RowBatch::default(),
            RowBatch::default(),
            RowBatch::default(),
        ];
        for (n, k) in keys.iter().enumerate().rev() {
            let key = KeyRef {
                time: k.0,
                event_id: k.1,
                input: k.2,
                index: k.3,
                content: k.4,
            };
            batches[n % 3]
                .push_with(key, |out| write!(out, "{n}"))
                .unwrap();
        }
        let got: Vec<_> = sorted_order(&batches)
            .into_iter()
            .map(|(.., b, n)| {
                let e = batches[b as usize].entry(n as usize);
                let (time, id, input, index, content) = key_of_entry(e);
                (time, id.to_vec(), input, index, content.map(<[u8]>::to_vec))
            })
            .collect();
        let mut expected: Vec<_> = (keys.iter())
            .map(|k| {
                (
                    k.0,
                    k.1.as_bytes().to_vec(),
                    k.2,
                    k.3,
                    k.4.map(|c| c.to_vec()),
                )
            })
            .collect();
        expected.sort();
        assert_eq!(got, expected);
    }

    /// A row whose writing fails leaves nothing behind in its batch.
    #[test]
    fn a_row_that_cannot_be_written_is_not_kept() {
        let mut batch = RowBatch::default();
        let key = KeyRef {
            time: 1,
            event_id: "id",
            input: 0,
            index: 0,
            content: None,
        };
        batch
            .push_with(key, |out| {
                out.extend_from_slice(b"kept");
                Ok(())
            })
            .unwrap();
        let kept = batch.bytes.clone();
        let failed = batch.push_with(key, |out| {
            out.extend_from_slice(b"half a row");
            Err(io::Error::other("cannot render"))
        });
        assert!(failed.is_err());
        assert_eq!((batch.len(), &batch.bytes), (1, &kept));
    }
}
