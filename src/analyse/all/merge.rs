//! `--all`'s merge: the pass's rows in time order, a group of rows under one (time, eventID)
//! held until its records' contents are known, copies identical to a row written dropped, and
//! the correlation's rows written in between.

use super::incidents;
use crate::export::{self, CopyGroups, Format, KeyRef};
use crate::model::{Gap, GapKind, InputSummary, Origin, TimelineEntry};
use std::collections::{HashMap, HashSet};
use std::io::{Result, Write};

/// A row of the current group held: where it was read, its content when known, and its bytes'
/// place in [`Merge::held`].
#[derive(Debug, Clone)]
pub(super) struct Held {
    input: u32,
    index: u64,
    content: Option<[u8; 32]>,
    bytes: std::ops::Range<usize>,
}

/// The merge: rows in time order, held per (time, eventID) until the contents of a group of
/// more than one are known; copies identical to a row written are dropped; the correlation's
/// rows go in between. The rows held are copied into buffers reused from group to group: no
/// allocation per row.
pub(super) struct Merge<'a, 'o, F> {
    pub(super) rows: Rows<'a>,
    pub(super) copies: CopyGroups,
    pub(super) others: std::iter::Peekable<std::slice::Iter<'o, TimelineEntry>>,
    pub(super) owners: &'o incidents::Owners,
    /// The later deliveries of a call, by eventID, with the eventID it is counted under.
    pub(super) later: &'o HashMap<String, String>,
    /// Reads records again for their contents (`analyse::copy_count::contents`), and for a
    /// group past one part, the contents of more of its records (`contents_ahead`).
    pub(super) reread: F,
    /// The contents of the current group's records read ahead.
    pub(super) read_ahead: HashMap<(u32, u64), [u8; 32]>,
    /// The current group's time and eventID, and its rows held.
    pub(super) group_time: i64,
    pub(super) group_id: String,
    pub(super) group: Vec<Held>,
    /// The bytes of the rows of `group`.
    pub(super) held: Vec<u8>,
    /// Parts of the current group already written (a group past `part` rows).
    pub(super) group_parts: usize,
    /// Rows of one group held at most ([`GROUP_PART`]).
    pub(super) part: usize,
    /// Rows of the rows being written whose content could not be read again: compared with
    /// none (see [`CopyGroups::admit_uncompared`]).
    pub(super) uncompared: HashSet<(u32, u64)>,
    /// Every such row, in the merge's order: each is named in a `copy_count_incomplete` gap.
    pub(super) not_read_again: Vec<(u32, u64)>,
}

impl<F> Merge<'_, '_, F>
where
    F: FnMut(&[(u32, u64)], Option<(i64, &str)>) -> HashMap<(u32, u64), [u8; 32]>,
{
    pub(super) fn row(&mut self, key: KeyRef<'_>, bytes: &[u8]) -> Result<()> {
        let same = self.group_time == key.time && self.group_id == key.event_id;
        if !self.group.is_empty() && !same {
            self.flush(0)?;
            self.group_parts = 0;
            self.read_ahead.clear();
        }
        if self.group.is_empty() && !same {
            self.group_time = key.time;
            self.group_id.clear();
            self.group_id.push_str(key.event_id);
        }
        let start = self.held.len();
        self.held.extend_from_slice(bytes);
        self.group.push(Held {
            input: key.input,
            index: key.index,
            content: key.content,
            bytes: start..self.held.len(),
        });
        if self.group.len() >= self.part {
            // The last row stays: it marks the group the next row may belong to.
            self.flush(1)?;
            self.group_parts += 1;
        }
        Ok(())
    }

    /// Write the rows held but the last `keep`: of a group of more than one, each with its
    /// content (read again where the pass did not hash it).
    fn flush(&mut self, keep: usize) -> Result<()> {
        if self.group.len() > 1 || self.group_parts > 0 {
            let mut unknown: Vec<&mut Held> = Vec::new();
            for row in self.group.iter_mut().filter(|r| r.content.is_none()) {
                match self.read_ahead.get(&(row.input, row.index)) {
                    Some(c) => row.content = Some(*c),
                    None => unknown.push(row),
                }
            }
            if !unknown.is_empty() {
                let at: Vec<(u32, u64)> = unknown.iter().map(|r| (r.input, r.index)).collect();
                // A group past one part reads ahead: its next parts find their contents.
                let large = self.group_parts > 0 || keep > 0;
                let id = self.group_id.as_str();
                let found = (self.reread)(&at, large.then_some((self.group_time, id)));
                for row in unknown.iter_mut() {
                    row.content = found.get(&(row.input, row.index)).copied();
                    // Its input changed or became unreadable since the pass read it.
                    if row.content.is_none() {
                        self.uncompared.insert((row.input, row.index));
                        self.not_read_again.push((row.input, row.index));
                    }
                }
                if large {
                    self.read_ahead = found;
                }
            }
        }
        let written = self.group.len().saturating_sub(keep);
        // The buffers (and what they hold) stay for the next group.
        let (group, mut held, id) = (
            std::mem::take(&mut self.group),
            std::mem::take(&mut self.held),
            std::mem::take(&mut self.group_id),
        );
        let time = self.group_time;
        let key = |row: &Held| KeyRef {
            time,
            event_id: &id,
            input: row.input,
            index: row.index,
            content: row.content,
        };
        let result = match &group[..] {
            // A group of one row (most are), its bytes all of `held`: they change places with
            // the row the output held, not copied again.
            [row] if written == 1 => self.write(&key(row), Bytes::Whole(&mut held)),
            _ => group[..written]
                .iter()
                .try_for_each(|row| self.write(&key(row), Bytes::Lent(&held[row.bytes.clone()]))),
        };
        (self.group, self.held, self.group_id) = (group, held, id);
        result?;
        // The rows kept move to the front.
        let from = (self.group.get(written)).map_or(self.held.len(), |r| r.bytes.start);
        self.group.drain(..written);
        self.held.drain(..from);
        for row in &mut self.group {
            row.bytes = row.bytes.start - from..row.bytes.end - from;
        }
        // Only the rows kept are held: the merge's memory is a group's, not the stream's.
        debug_assert_eq!(
            self.held.len(),
            self.group.iter().map(|r| r.bytes.len()).sum::<usize>()
        );
        Ok(())
    }

    fn write(&mut self, key: &KeyRef<'_>, bytes: Bytes<'_>) -> Result<()> {
        if !self.uncompared.is_empty() && self.uncompared.remove(&(key.input, key.index)) {
            self.copies.admit_uncompared(key);
        } else if !self.copies.admit(key) {
            return Ok(());
        }
        let at = (key.time, key.event_id, key.input, key.index);
        while let Some(o) = self
            .others
            .next_if(|o| (o.time.millis(), o.event_id.as_str(), o.input, o.index) < at)
        {
            self.rows.entry(o)?;
        }
        let origin = Origin {
            input: key.input,
            index: key.index,
        };
        let later = match self.later.is_empty() {
            true => None,
            false => self.later.get(key.event_id),
        };
        match (self.owners.record(origin), later) {
            (Some(entry), _) => self.rows.entry(entry),
            (None, Some(counted)) => {
                let mut row = bytes.get().to_vec();
                export::mark_counted(self.rows.format, &mut row, counted)?;
                self.rows.bytes(key.time, Bytes::Whole(&mut row))
            }
            (None, None) => self.rows.bytes(key.time, bytes),
        }
    }

    /// The last rows, and the correlation's rows after them.
    pub(super) fn finish(&mut self) -> Result<()> {
        self.flush(0)?;
        for o in self.others.by_ref() {
            self.rows.entry(o)?;
        }
        self.rows.finish()?;
        self.copies.finish();
        Ok(())
    }
}

/// The `copy_count_incomplete` gap of each record of a group of more than one (its eventID
/// and time shared with another record read) that could not be read again for its content.
pub(super) fn not_read_again(at: &[(u32, u64)], inputs: &[InputSummary]) -> Vec<Gap> {
    at.iter()
        .map(|&(input, index)| Gap {
            path: inputs
                .get(input as usize)
                .map_or_else(|| format!("(input {input})"), |i| i.path.to_string()),
            index: Some(index),
            kind: GapKind::CopyCountIncomplete,
            reason: "this record shares its eventID and eventTime with another record read, but could not be read again to compare their contents (its input changed or became unreadable after the first pass read it): whether it is a copy of that record or a different record under its eventID is unknown; its row is written and compared with none, so summary.duplicates_dropped and summary.conflicting_copies are a lower bound".to_string(),
        })
        .collect()
}

/// A row's bytes as the merge has them: lent, or all of a buffer whose contents may be taken
/// (it is left holding other bytes, which the lender clears).
enum Bytes<'b> {
    Lent(&'b [u8]),
    Whole(&'b mut Vec<u8>),
}

impl Bytes<'_> {
    fn get(&self) -> &[u8] {
        match self {
            Bytes::Lent(b) => b,
            Bytes::Whole(b) => b,
        }
    }
}

/// The merge's output: rows rendered in the pass, or rendered now from the correlation. Each
/// row is held until the next is known, so that a row sharing its time with the row before or
/// after it says so (`tie`), as `timeline`'s rows do (`correlate::entries::sort_and_mark_ties`).
pub(super) struct Rows<'a> {
    pub(super) out: &'a mut dyn Write,
    pub(super) format: Format,
    pub(super) inputs: &'a [InputSummary],
    pub(super) written: bool,
    /// The row held (rendered as a first row), its time (milliseconds), and whether it shares
    /// its time with the row written before it.
    pub(super) held: Option<(i64, bool)>,
    pub(super) held_bytes: Vec<u8>,
}

impl Rows<'_> {
    /// A row rendered in the pass (as a first row: the JSON array's comma is added here), at
    /// `time` (milliseconds).
    fn bytes(&mut self, time: i64, bytes: Bytes<'_>) -> Result<()> {
        let tied = self.next(time)?;
        match bytes {
            Bytes::Lent(b) => {
                self.held_bytes.clear();
                self.held_bytes.extend_from_slice(b);
            }
            Bytes::Whole(b) => std::mem::swap(&mut self.held_bytes, b),
        }
        self.held = Some((time, tied));
        Ok(())
    }

    /// A row of the default timeline (its `tie` is decided here, among `--all`'s rows).
    fn entry(&mut self, e: &TimelineEntry) -> Result<()> {
        let time = e.time.millis();
        let tied = self.next(time)?;
        let mut row = export::Row::from_entry(e, self.inputs, None);
        row.tie = false;
        self.held_bytes.clear();
        export::write_row(&mut self.held_bytes, self.format, &row, true)?;
        self.held = Some((time, tied));
        Ok(())
    }

    /// Write the row held, told whether the next row is at `time` (`None`: there is none);
    /// whether that next row shares its time with the one held.
    fn next(&mut self, time: i64) -> Result<bool> {
        let tied = self.held.is_some_and(|(t, _)| t == time);
        self.write_held(tied)?;
        Ok(tied)
    }

    fn write_held(&mut self, tied_next: bool) -> Result<()> {
        let Some((_, tied_before)) = self.held.take() else {
            return Ok(());
        };
        if tied_before || tied_next {
            export::mark_tie(self.format, &mut self.held_bytes)?;
        }
        if self.format == Format::Json && self.written {
            self.out.write_all(b",\n")?;
        }
        self.written = true;
        self.out.write_all(&self.held_bytes)
    }

    /// The last row held.
    fn finish(&mut self) -> Result<()> {
        self.write_held(false)
    }
}
