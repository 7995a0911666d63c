//! `--all`'s copies, row by row as its merge writes them in (time, eventID) order: a row whose
//! content repeats a row of its (time, eventID) already written is a copy, dropped and counted;
//! rows that differ under one eventID are a conflict (possible tampering), named with where
//! each was read. As `correlate::copies`, an eventID is one event whatever its times: the rows
//! of an eventID read at more than one time (`id_times`, known before the merge) are gathered
//! across their groups, so a record whose eventTime was changed, or an eventID reused, is a
//! conflict too. Imports nothing of the crate outside `export`.

use super::copy_count::At;
use super::sorted_runs::KeyRef;
use std::collections::{HashMap, HashSet};

/// The run of rows sharing (time, eventID), as the merge delivers them, and the conflicts found.
pub struct CopyGroups {
    /// The time of the current group, and its eventID (the string reused from group to group).
    current: Option<i64>,
    current_id: String,
    /// Distinct contents of the current group and where each was first read (`None`: a
    /// content that could not be known, equal to no other).
    seen: Vec<(Option<[u8; 32]>, At)>,
    /// The known contents of `seen`, looked up in constant time: crafted evidence can put any
    /// number of different records under one eventID.
    contents: HashSet<[u8; 32]>,
    /// Copies identical to a row already admitted.
    pub duplicates: u64,
    /// eventIDs with more than one distinct record, and where each was read, in the order of
    /// their first rows (complete after [`CopyGroups::finish`]).
    pub conflicts: Vec<(String, Vec<At>)>,
    /// Hashes of the eventIDs read at more than one time, and the hash function.
    reused: (HashSet<u64>, fn(&str) -> u64),
    /// The rows admitted under each eventID of `reused` so far, with where its conflict goes:
    /// the number of `conflicts` when its first row was written, then the order of first rows.
    across: HashMap<String, (usize, usize, Vec<At>)>,
}

impl CopyGroups {
    /// Groups for rows whose eventIDs hashed by `hash` are in `reused` when read at more than
    /// one time (`IdTimes::reused`).
    pub fn new(reused: HashSet<u64>, hash: fn(&str) -> u64) -> CopyGroups {
        CopyGroups {
            current: None,
            current_id: String::new(),
            seen: Vec::new(),
            contents: HashSet::new(),
            duplicates: 0,
            conflicts: Vec::new(),
            reused: (reused, hash),
            across: HashMap::new(),
        }
    }

    /// Whether the row is new: false for a copy identical to one already admitted. A row that
    /// shares its (time, eventID) with another must come with its content; one whose content
    /// is `None` is distinct from every other.
    pub fn admit(&mut self, key: &KeyRef<'_>) -> bool {
        self.enter(key);
        if let Some(content) = key.content {
            if !self.contents.insert(content) {
                self.duplicates += 1;
                return false;
            }
        }
        self.seen.push((key.content, (key.input, key.index)));
        true
    }

    /// A row of a group of more than one whose content could not be read again (its input
    /// changed or became unreadable after the pass read it): written, since it may be a copy
    /// or not, but compared with none, so it drops no copy and makes no conflict (the caller
    /// names it in a gap: the numbers are a lower bound).
    pub fn admit_uncompared(&mut self, key: &KeyRef<'_>) {
        self.enter(key);
    }

    /// The row's group becomes the current one (the one before it, if another, is closed).
    fn enter(&mut self, key: &KeyRef<'_>) {
        let same = self.current == Some(key.time) && self.current_id == key.event_id;
        if !same {
            self.close();
            self.current = Some(key.time);
            self.current_id.clear();
            self.current_id.push_str(key.event_id);
        }
    }

    /// End the current group: a conflict of its own, or rows of an eventID read at other
    /// times too.
    fn close(&mut self) {
        if self.current.is_some() {
            let id = &self.current_id;
            let (reused, hash) = &self.reused;
            if !reused.is_empty() && reused.contains(&hash(id)) {
                let order = self.across.len();
                let at = self.conflicts.len();
                let rows = self.seen.iter().map(|(_, o)| *o);
                (self.across.entry(id.clone()))
                    .or_insert((at, order, Vec::new()))
                    .2
                    .extend(rows);
            } else if self.seen.len() > 1 {
                let at = self.seen.iter().map(|(_, o)| *o).collect();
                self.conflicts.push((id.clone(), at));
            }
        }
        self.current = None;
        self.seen.clear();
        self.contents.clear();
    }

    /// End the last group and add the conflicts across times (call once the rows are done).
    pub fn finish(&mut self) {
        self.close();
        let mut across: Vec<(usize, usize, String, Vec<At>)> = std::mem::take(&mut self.across)
            .into_iter()
            .filter(|(_, (.., rows))| rows.len() > 1)
            .map(|(id, (at, order, rows))| (at, order, id, rows))
            .collect();
        // Inserted from the last place back, each before the conflicts that came after it.
        across.sort_unstable_by_key(|a| std::cmp::Reverse((a.0, a.1)));
        for (at, _, id, rows) in across {
            self.conflicts.insert(at, (id, rows));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(time: i64, id: &str, index: u64, content: Option<u8>) -> KeyRef<'_> {
        KeyRef {
            time,
            event_id: id,
            input: 0,
            index,
            content: content.map(|c| [c; 32]),
        }
    }

    fn hash(id: &str) -> u64 {
        id.len() as u64
    }

    /// Crafted evidence can put any number of different records under one key: each row's
    /// content is looked up once, not against every other, and the copies among them are found.
    #[test]
    fn a_large_group_of_rows_is_admitted_in_one_look_each() {
        let mut groups = CopyGroups::new(HashSet::new(), hash);
        let n = 100_000u64;
        let mut admitted = 0;
        for index in 0..n {
            let mut content = [0u8; 32];
            content[..8].copy_from_slice(&(index % (n - 10)).to_le_bytes());
            let key = KeyRef {
                time: 1,
                event_id: "e",
                input: 0,
                index,
                content: Some(content),
            };
            admitted += u64::from(groups.admit(&key));
        }
        groups.finish();
        assert_eq!(admitted, n - 10);
        assert_eq!(groups.duplicates, 10);
        assert_eq!(groups.conflicts.len(), 1);
        assert_eq!(groups.conflicts[0].1.len() as u64, n - 10);
    }

    /// Rows of one eventID at several times are one conflict naming each, in the order of the
    /// first rows among the other conflicts; an eventID whose hash is shared by chance but read
    /// at one time is none.
    #[test]
    fn rows_of_one_event_id_at_several_times_are_one_conflict() {
        // Hashes: "aa" and "bb" 2 (reused), "c" 1 (not).
        let mut groups = CopyGroups::new(HashSet::from([2]), hash);
        let rows = [
            key(1, "aa", 0, None),
            key(2, "c", 1, Some(1)),
            key(2, "c", 2, Some(2)),
            key(3, "bb", 3, None),
            key(4, "aa", 4, Some(5)),
            key(4, "aa", 5, Some(5)),
            key(5, "aa", 6, None),
        ];
        for r in &rows {
            groups.admit(r);
        }
        groups.finish();
        assert_eq!(groups.duplicates, 1);
        assert_eq!(
            groups.conflicts,
            vec![
                ("aa".to_string(), vec![(0, 0), (0, 4), (0, 6)]),
                ("c".to_string(), vec![(0, 1), (0, 2)]),
            ]
        );
    }

    /// A row that could not be read again is written but compared with none: beside one known
    /// row it is no conflict, and it does not end its group (a copy after it is still found).
    #[test]
    fn a_row_not_read_again_makes_no_conflict_and_drops_no_copy() {
        let mut groups = CopyGroups::new(HashSet::from([2]), hash);
        assert!(groups.admit(&key(1, "e", 0, Some(1))));
        groups.admit_uncompared(&key(1, "e", 1, None));
        assert!(!groups.admit(&key(1, "e", 2, Some(1))));
        // Of an eventID read at two times, too.
        groups.admit_uncompared(&key(2, "aa", 3, None));
        assert!(groups.admit(&key(3, "aa", 4, Some(3))));
        groups.finish();
        assert_eq!(groups.duplicates, 1);
        assert_eq!(groups.conflicts, vec![]);
        // Where each row is known, the same rows are two conflicts.
        let mut groups = CopyGroups::new(HashSet::from([2]), hash);
        for k in [
            key(1, "e", 0, Some(1)),
            key(1, "e", 1, Some(2)),
            key(2, "aa", 3, Some(4)),
            key(3, "aa", 4, Some(3)),
        ] {
            groups.admit(&k);
        }
        groups.finish();
        assert_eq!(groups.conflicts.len(), 2);
    }
}
