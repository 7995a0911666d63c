//! Copies of one event counted over every record read, not only over the records kept: rows
//! keyed by (time, eventID, content) go through the external sort of `sorted_runs` (sorted
//! runs in temporary files past a byte budget, merged at the end), so memory stays within one
//! run whatever the size of the evidence. Copies of one event come out of the merge next to
//! each other; [`CopyGroups`] drops those whose content repeats one already seen and counts
//! them. A different record under the same eventID is not a copy (see `correlate::copies`).

use super::sorted_runs::{RowKey, Sorter};
use std::io;
use std::sync::Mutex;

/// The run of rows sharing (time, eventID), as the merge delivers them.
#[derive(Default)]
pub struct CopyGroups {
    current: Option<(i64, String)>,
    /// Distinct contents of the current group and where each was first read.
    seen: Vec<([u8; 32], (u32, u64))>,
    /// Copies identical to a row already admitted.
    pub duplicates: u64,
    /// eventIDs with more than one distinct record, and where each was read.
    pub conflicts: Vec<(String, Vec<(u32, u64)>)>,
}

impl CopyGroups {
    /// Whether the row is new: false for a copy identical to one already admitted.
    pub fn admit(&mut self, key: &RowKey) -> bool {
        let same = self
            .current
            .as_ref()
            .is_some_and(|(t, id)| *t == key.time && *id == key.event_id);
        if !same {
            self.close();
            self.current = Some((key.time, key.event_id.clone()));
        }
        if self.seen.iter().any(|(c, _)| *c == key.content) {
            self.duplicates += 1;
            return false;
        }
        self.seen.push((key.content, (key.input, key.index)));
        true
    }

    /// End the last group (call once the rows are done).
    pub fn close(&mut self) {
        if self.seen.len() > 1 {
            if let Some((_, id)) = &self.current {
                let at = self.seen.iter().map(|(_, o)| *o).collect();
                self.conflicts.push((id.clone(), at));
            }
        }
        self.seen.clear();
    }
}

/// Every record's key, pushed from the reading threads; the copies counted at the end.
pub struct CopyCount {
    sorter: Mutex<Sorter>,
}

impl CopyCount {
    /// Hold at most about `budget` bytes of keys in memory before writing a sorted run.
    pub fn new(budget: usize) -> CopyCount {
        CopyCount {
            sorter: Mutex::new(Sorter::new(budget)),
        }
    }

    pub fn push(&self, key: RowKey) {
        let mut sorter = self.sorter.lock().unwrap_or_else(|e| e.into_inner());
        if sorter.push(key, Vec::new()).is_err() {
            // No temporary file: keep counting in memory rather than lose the count.
            sorter.hold_all();
        }
    }

    /// How many records repeat another record read (same eventID, time and content).
    pub fn duplicates(self) -> io::Result<u64> {
        let sorter = self.sorter.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut groups = CopyGroups::default();
        for row in sorter.finish()? {
            groups.admit(&row?.0);
        }
        Ok(groups.duplicates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(time: i64, id: &str, content: u8, index: u64) -> RowKey {
        RowKey {
            time,
            event_id: id.into(),
            input: 0,
            index,
            content: [content; 32],
        }
    }

    /// The count is the same whether the keys fit in memory or go through runs on disk.
    #[test]
    fn copies_are_counted_across_runs_and_different_records_are_not_copies() {
        for budget in [usize::MAX, 300, 1] {
            let c = CopyCount::new(budget);
            for n in 0..50u64 {
                // Every event three times: two identical copies and one different record.
                c.push(key(n as i64 % 7, &format!("e{n}"), 1, n));
                c.push(key(n as i64 % 7, &format!("e{n}"), 1, n + 100));
                c.push(key(n as i64 % 7, &format!("e{n}"), 2, n + 200));
            }
            assert_eq!(c.duplicates().unwrap(), 50, "budget {budget}");
        }
    }
}
