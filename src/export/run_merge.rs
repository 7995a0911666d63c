//! The end of `--all`'s external sort (`sorted_runs`): the rows in key order, from memory when
//! no run was written, else merged from the runs. The merge is the one part of `--all` that runs
//! on one thread after every record is read, so it does little per row: each row is lent from
//! the block it was read into (no allocation per row), the runs meet in a tournament of losers
//! (one comparison per level, the keys read in place), and a thread of its own reads and
//! decompresses each run's next block while the rows of its current one are merged.
//! Imports nothing of the crate outside `export`.

use super::sorted_runs::{
    fill_block, head_at, read_block, sorted_order, Finished, Head, KeyRef, Place, RowBatch, Sorter,
};
use std::cmp::Ordering;
use std::fs::File;
use std::io;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::JoinHandle;

/// Rows in key order, each lent until the next is asked for.
pub struct Sorted(Inner);

enum Inner {
    /// Every row fitted in memory: the batches, and their rows' order.
    Held {
        batches: Vec<RowBatch>,
        order: std::vec::IntoIter<Place>,
    },
    Merging(Merging),
}

impl Sorted {
    /// Every row pushed to `sorter`, in key order.
    pub fn new(sorter: Sorter) -> io::Result<Sorted> {
        Ok(Sorted(match sorter.finish()? {
            Finished::Held(batches, order) => Inner::Held {
                batches,
                order: order.into_iter(),
            },
            Finished::Runs(runs, last) => {
                let mut runs: Vec<Run> = runs.into_iter().map(Run::File).collect();
                if last.iter().any(|b| !b.is_empty()) {
                    runs.push(Run::Held(last));
                }
                Inner::Merging(Merging::new(runs)?)
            }
        }))
    }

    /// The next row and its key, or `None` after the last.
    #[allow(clippy::should_implement_trait)] // a lending iterator: the row is borrowed
    pub fn next(&mut self) -> io::Result<Option<(KeyRef<'_>, &[u8])>> {
        match &mut self.0 {
            Inner::Held { batches, order } => {
                let Some((.., b, n)) = order.next() else {
                    return Ok(None);
                };
                let entry = batches[b as usize].entry(n as usize);
                let head = head_at(entry, 0)?;
                Ok(Some((head.key(entry)?, &entry[head.row])))
            }
            Inner::Merging(m) => m.next(),
        }
    }
}

/// A run being merged: its current block, lent by the thread that reads the runs, and the
/// entry at the head of it.
struct Cursor {
    block: Vec<u8>,
    head: Option<Head>,
    /// The run's blocks, in order; an empty one after the last.
    blocks: Receiver<io::Result<Vec<u8>>>,
}

impl Cursor {
    /// The next block from the reading thread; its first entry at the head (`None` at the end
    /// of the run).
    fn next_block(&mut self) -> io::Result<()> {
        let block = self
            .blocks
            .recv()
            .map_err(|_| io::Error::other("the thread reading the sorted runs stopped"))??;
        self.block = block;
        self.head = match self.block.is_empty() {
            true => None,
            false => Some(head_at(&self.block, 0)?),
        };
        Ok(())
    }

    /// The key at the head, in [`KeyRef`]'s order (the eventID as bytes: their order is the
    /// string's), `None` at the end of the run.
    #[allow(clippy::type_complexity)]
    fn key(&self) -> Option<(i64, &[u8], u32, u64, Option<[u8; 32]>)> {
        let h = self.head.as_ref()?;
        Some((
            h.time,
            &self.block[h.id.clone()],
            h.input,
            h.index,
            h.content,
        ))
    }
}

/// Whether run `a`'s head comes before run `b`'s: by key, then by run (an ended run after all).
/// The heads' times and eventID prefixes settle most comparisons; the keys are read whole only
/// when those are equal.
fn before(runs: &[Cursor], a: usize, b: usize) -> bool {
    let (x, y) = match (&runs[a].head, &runs[b].head) {
        (Some(x), Some(y)) => (x, y),
        (Some(_), None) => return true,
        (None, Some(_)) => return false,
        (None, None) => return a < b,
    };
    match (x.time, x.prefix).cmp(&(y.time, y.prefix)) {
        Ordering::Equal => {}
        o => return o == Ordering::Less,
    }
    match runs[a].key().cmp(&runs[b].key()) {
        Ordering::Equal => a < b,
        o => o == Ordering::Less,
    }
}

/// A tournament of losers over `k` runs: `losers[p]` for `p` in `1..k` is the run that lost at
/// node `p` (run `i` is leaf `k + i`, node `p`'s children `2p` and `2p + 1`), `winner` the run
/// whose head comes first. When the winner's head moves on, one comparison per level finds
/// the next winner.
#[derive(Debug)]
struct Losers {
    losers: Vec<usize>,
    winner: usize,
}

impl Losers {
    fn new(k: usize, before: impl Fn(usize, usize) -> bool) -> Losers {
        // Winners of every node, bottom up.
        let mut wins = vec![0; 2 * k];
        let mut losers = vec![0; k];
        for i in 0..k {
            wins[k + i] = i;
        }
        for p in (1..k).rev() {
            let (a, b) = (wins[2 * p], wins[2 * p + 1]);
            (wins[p], losers[p]) = if before(b, a) { (b, a) } else { (a, b) };
        }
        let winner = if k >= 2 { wins[1] } else { 0 };
        Losers { losers, winner }
    }

    /// The winner's head has moved on: play its way up again.
    fn replay(&mut self, k: usize, before: impl Fn(usize, usize) -> bool) {
        let mut win = self.winner;
        let mut p = (k + win) / 2;
        while p >= 1 {
            if before(self.losers[p], win) {
                std::mem::swap(&mut self.losers[p], &mut win);
            }
            p /= 2;
        }
        self.winner = win;
    }
}

/// A sorted run to merge: written to a file, or the rows after the last run written, held in
/// their batches (sorted by the thread that reads the runs).
enum Run {
    File(File),
    Held(Vec<RowBatch>),
}

struct Merging {
    runs: Vec<Cursor>,
    losers: Losers,
    /// The run whose head was lent last: it moves on at the next call.
    lent: Option<usize>,
    /// Emptied blocks back to the reading thread, with their run.
    give_back: Option<Sender<(usize, Vec<u8>)>>,
    reading: Option<JoinHandle<()>>,
}

impl Merging {
    fn new(runs: Vec<Run>) -> io::Result<Merging> {
        let (give_back, given_back) = channel();
        let (senders, receivers): (Vec<_>, Vec<_>) = runs.iter().map(|_| channel()).unzip();
        let reading = std::thread::spawn(move || read_runs(runs, senders, &given_back));
        let mut runs: Vec<Cursor> = receivers
            .into_iter()
            .map(|blocks| Cursor {
                block: Vec::new(),
                head: None,
                blocks,
            })
            .collect();
        for run in &mut runs {
            run.next_block()?;
        }
        let losers = Losers::new(runs.len(), |a, b| before(&runs, a, b));
        Ok(Merging {
            runs,
            losers,
            lent: None,
            give_back: Some(give_back),
            reading: Some(reading),
        })
    }

    fn next(&mut self) -> io::Result<Option<(KeyRef<'_>, &[u8])>> {
        if self.runs.is_empty() {
            return Ok(None);
        }
        if let Some(n) = self.lent.take() {
            self.advance(n)?;
            let runs = &self.runs;
            self.losers.replay(runs.len(), |a, b| before(runs, a, b));
        }
        let n = self.losers.winner;
        let run = &self.runs[n];
        let Some(head) = &run.head else {
            return Ok(None);
        };
        self.lent = Some(n);
        Ok(Some((head.key(&run.block)?, &run.block[head.row.clone()])))
    }

    /// Run `n`'s head moves to its next entry, in the next block past the end of this one.
    fn advance(&mut self, n: usize) -> io::Result<()> {
        let run = &mut self.runs[n];
        let Some(head) = &run.head else {
            return Ok(());
        };
        let at = head.row.end;
        if at < run.block.len() {
            run.head = Some(head_at(&run.block, at)?);
            return Ok(());
        }
        let emptied = std::mem::take(&mut run.block);
        if let Some(give_back) = &self.give_back {
            // The reading thread reads the block after the next into it (a send fails only
            // once that thread stopped, and then the next block says why).
            let _ = give_back.send((n, emptied));
        }
        run.next_block()
    }
}

impl Drop for Merging {
    fn drop(&mut self) {
        // The reading thread stops once nothing can give it a block back.
        self.give_back = None;
        self.runs.clear();
        if let Some(reading) = self.reading.take() {
            let _ = reading.join();
        }
    }
}

/// A run as the reading thread reads it: a file, or rows held with their order and the next
/// row to give.
enum Source {
    File(File),
    Held {
        batches: Vec<RowBatch>,
        order: Vec<Place>,
        next: usize,
    },
}

/// The reading thread: the held rows sorted, two blocks of each run read ahead, then, for
/// each block given back, the block after its run's next one read into it. A run's end is an
/// empty block; a run that cannot be read sends its error and nothing more.
fn read_runs(
    runs: Vec<Run>,
    blocks: Vec<Sender<io::Result<Vec<u8>>>>,
    given_back: &Receiver<(usize, Vec<u8>)>,
) {
    let mut sources: Vec<Source> = (runs.into_iter())
        .map(|run| match run {
            Run::File(file) => Source::File(file),
            Run::Held(batches) => Source::Held {
                order: sorted_order(&batches),
                batches,
                next: 0,
            },
        })
        .collect();
    let mut packed = Vec::new();
    let mut ended = vec![false; sources.len()];
    let mut read = |n: usize, mut block: Vec<u8>, ended: &mut [bool]| {
        if ended[n] {
            return;
        }
        let next_block = match &mut sources[n] {
            Source::File(file) => read_block(file, &mut packed, &mut block),
            Source::Held {
                batches,
                order,
                next,
            } => Ok(fill_block(batches, order, next, &mut block)),
        };
        let result = match next_block {
            Ok(true) => Ok(block),
            Ok(false) => {
                ended[n] = true;
                Ok(Vec::new())
            }
            Err(e) => {
                ended[n] = true;
                Err(e)
            }
        };
        // The merge may have stopped: nothing is waiting then.
        let _ = blocks[n].send(result);
    };
    for _ in 0..2 {
        for n in 0..ended.len() {
            read(n, Vec::new(), &mut ended);
        }
    }
    for (n, block) in given_back {
        read(n, block, &mut ended);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key, owned, as a tuple in [`KeyRef`]'s order.
    type Key = (i64, String, u32, u64, Option<[u8; 32]>);

    fn key(time: i64, id: &str, input: u32) -> Key {
        let content = (!input.is_multiple_of(3)).then_some([input as u8; 32]);
        (time, id.into(), input, 0, content)
    }

    /// Every row of `sorted`, in its order, with its key owned.
    fn all(mut sorted: Sorted) -> Vec<(Key, Vec<u8>)> {
        let mut rows = Vec::new();
        while let Some((k, row)) = sorted.next().unwrap() {
            let key = (k.time, k.event_id.to_string(), k.input, k.index, k.content);
            rows.push((key, row.to_vec()));
        }
        rows
    }

    /// The same rows come out in the same order whether they fit in memory or not, from runs
    /// of one row to runs of several compressed blocks.
    #[test]
    fn rows_come_out_in_key_order_from_memory_and_from_runs() {
        let rows: Vec<(Key, Vec<u8>)> = (0..500u32)
            .map(|n| {
                let t = i64::from((n * 7919) % 113);
                (
                    key(t, &format!("id-{}", n % 37), n),
                    // Up to 6 KB (1.3 MB in all): runs of several blocks.
                    format!("row {n} ")
                        .repeat((n % 97) as usize * 7)
                        .into_bytes(),
                )
            })
            .collect();
        let mut expected = rows.clone();
        expected.sort();
        let mut ways = Vec::new();
        for budget in [usize::MAX, 400_000, 2_000, 200, 1] {
            let mut s = Sorter::new(budget);
            // In batches of one and of seven (as the reading threads hand them over), by turns.
            let mut batch = RowBatch::default();
            for (n, (k, r)) in rows.clone().into_iter().enumerate() {
                let key = KeyRef {
                    time: k.0,
                    event_id: &k.1,
                    input: k.2,
                    index: k.3,
                    content: k.4,
                };
                batch
                    .push_with(key, |out| {
                        out.extend_from_slice(&r);
                        Ok(())
                    })
                    .unwrap();
                if batch.len() >= if n % 16 < 8 { 1 } else { 7 } {
                    batch = s.push_batch(batch).unwrap();
                    assert!(batch.is_empty());
                }
            }
            s.push_batch(batch).unwrap();
            let (spilled, held) = (s.runs(), s.held());
            let got = all(Sorted::new(s).unwrap());
            assert_eq!(got, expected, "budget {budget}");
            assert_eq!(spilled > 0, budget != usize::MAX, "budget {budget}");
            ways.push((spilled > 0, held > 0));
        }
        // Runs and the rows after them merged from memory, and runs only (the last push
        // having ended one), were both met.
        assert!(
            ways.contains(&(true, true)) && ways.contains(&(true, false)),
            "{ways:?}"
        );
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert_eq!(all(Sorted::new(Sorter::new(1)).unwrap()), vec![]);
    }

    /// Runs of sorted numbers with repeats, merged by the tournament, come out as one sort of
    /// them all; equal numbers in the order of their runs (a stable sort of the runs one after
    /// the other). From one run to runs of every length up to 33 (no power of two needed).
    #[test]
    fn the_tournament_merges_as_a_sort_does() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for k in 1..=33usize {
            for _ in 0..20 {
                let runs: Vec<Vec<u64>> = (0..k)
                    .map(|_| {
                        let len = next(12) as usize;
                        let mut run: Vec<u64> = (0..len).map(|_| next(25)).collect();
                        run.sort_unstable();
                        run
                    })
                    .collect();
                let mut at = vec![0usize; k];
                let head = |at: &[usize], r: usize| runs[r].get(at[r]).copied();
                let before = |at: &[usize], a: usize, b: usize| match (head(at, a), head(at, b)) {
                    (Some(x), Some(y)) => (x, a) < (y, b),
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => a < b,
                };
                let mut losers = Losers::new(k, |a, b| before(&at, a, b));
                let mut merged = Vec::new();
                while let Some(x) = head(&at, losers.winner) {
                    merged.push((x, losers.winner));
                    at[losers.winner] += 1;
                    losers.replay(k, |a, b| before(&at, a, b));
                }
                let mut expected: Vec<(u64, usize)> = (runs.iter().enumerate())
                    .flat_map(|(r, run)| run.iter().map(move |&x| (x, r)))
                    .collect();
                expected.sort();
                assert_eq!(merged, expected, "{runs:?}");
            }
        }
    }
}
