//! What the S3 data events among the records read show of the S3 honeytokens' buckets: a read of
//! an S3 decoy can show only in a data event on its bucket, and a trail's event selectors can log
//! the data events of some buckets and not others. Plain data: the scan fills one per file, the
//! analysis merges them, `correlate` and the report read the result.

use std::collections::{BTreeMap, BTreeSet};

/// At most this many other buckets are named (the first by name): enough to show that data
/// events were logged elsewhere.
pub const OTHER_BUCKETS_KEPT: usize = 8;

/// At most this many reads in records without a data event's fields are kept per decoy bucket
/// and kind (bucket-level, object-level), the first read; the rest are counted.
pub const UNMARKED_KEPT: usize = 16;

/// Reads on one decoy's bucket in records without a data event's fields: every API seen, the
/// first [`UNMARKED_KEPT`] records (API and eventID, each eventID once, in reading order), and
/// how many more were read and not kept (copies of one record not told apart).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UnmarkedReads {
    pub apis: BTreeSet<String>,
    pub kept: Vec<(String, String)>,
    pub more: u64,
}

impl UnmarkedReads {
    fn note(&mut self, api: &str, event_id: &str) {
        self.apis.insert(api.to_string());
        if self.kept.iter().any(|(_, id)| id == event_id) {
            return;
        }
        if self.kept.len() < UNMARKED_KEPT {
            self.kept.push((api.to_string(), event_id.to_string()));
        } else {
            self.more += 1;
        }
    }

    /// `other` (a later file's, or the other kind's) taken in after these.
    pub fn merge(&mut self, other: UnmarkedReads) {
        self.apis.extend(other.apis);
        for (api, id) in other.kept {
            if self.kept.iter().any(|(_, k)| *k == id) {
                continue;
            }
            if self.kept.len() < UNMARKED_KEPT {
                self.kept.push((api, id));
            } else {
                self.more += 1;
            }
        }
        self.more += other.more;
    }

    /// The kept records' eventIDs, in reading order.
    pub fn ids(&self) -> Vec<String> {
        self.kept.iter().map(|(_, id)| id.clone()).collect()
    }

    /// The first record's eventID.
    pub fn first(&self) -> Option<&str> {
        self.kept.first().map(|(_, id)| id.as_str())
    }

    /// How many records, in words: "1 record", "3 records", or "at most 20 records, copies of
    /// one record not told apart past the first 16".
    pub fn count_words(&self) -> String {
        match (self.kept.len(), self.more) {
            (1, 0) => "1 record".into(),
            (n, 0) => format!("{n} records"),
            (n, more) => format!(
                "at most {} records, copies of one record not told apart past the first {n}",
                n as u64 + more
            ),
        }
    }
}

/// The S3 data events read, as far as the S3 honeytokens need them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct S3DataEvents {
    /// Whether any S3 data event was read.
    pub any: bool,
    /// The S3 honeytoken rules (indices into `AnalysisSettings::honeytokens`) on whose bucket
    /// a read data event was read (any object of it; `readOnly` true, `GetObject` and the
    /// like): the trail logged reads of the bucket.
    pub decoy_rules: BTreeSet<usize>,
    /// The S3 honeytoken rules on whose bucket a write data event was read (`PutObject`,
    /// `readOnly` false), each with the eventID of the first one read: the trail logged writes
    /// of the bucket, which show nothing of its reads.
    pub decoy_writes: BTreeMap<usize, String>,
    /// The S3 honeytoken rules on whose bucket a bucket-level read that S3 logs only as a data
    /// event (`ListObjects`, `HeadBucket`...) was read in a record without the fields that mark
    /// a data event (an export that dropped them): it may be a trail's read data event; the
    /// record does not show it. Each with the APIs seen, the first such records and how many
    /// more.
    pub decoy_unmarked: BTreeMap<usize, UnmarkedReads>,
    /// The same for object-level reads (`GetObject`, `HeadObject`...) of other objects than the
    /// decoy on its bucket: by their names alone they would say the trail logged the bucket's
    /// reads; the record does not show it. (A `GetObject` of the decoy itself is its read, and
    /// the rule is in `decoy_rules`.)
    pub decoy_unmarked_objects: BTreeMap<usize, UnmarkedReads>,
    /// Other buckets a data event was read on, each with the eventID of the first one read:
    /// at most [`OTHER_BUCKETS_KEPT`], the first by name.
    pub other_buckets: BTreeMap<String, String>,
    /// More other buckets were seen than are kept.
    pub more_buckets: bool,
    /// Access points a data event was made through whose bucket neither the record nor
    /// trailcase.toml names (an ARN or alias in `bucketName`), each with the eventID of the
    /// first one read: at most [`OTHER_BUCKETS_KEPT`], the first by name. No bucket: they may
    /// serve a decoy's.
    pub access_points: BTreeMap<String, String>,
    /// More such access points were seen than are kept.
    pub more_access_points: bool,
    /// The kept records of an object-level read of an S3 decoy itself (its bucket and key)
    /// that carry none of a data event's fields, each as its API and eventID, in the kept
    /// records' order: a `GetObject` is the decoy's read all the same (an incident rests on
    /// it), a `HeadObject` (or `GetObjectAcl`...) returned what S3 keeps about it, not its
    /// value. Not filled by the scan: the analysis finds them among the kept records
    /// (`classify::unmarked_decoy_reads`), so that the report names each as what it is.
    pub decoy_unmarked_own: Vec<(String, String)>,
}

impl S3DataEvents {
    /// A bucket-level read of the decoy rule `rule`'s bucket in a record without a data
    /// event's fields (`api`, `event_id`: its API and eventID).
    pub fn note_unmarked(&mut self, rule: usize, api: &str, event_id: &str) {
        let map = if is_object_read(api) {
            &mut self.decoy_unmarked_objects
        } else {
            &mut self.decoy_unmarked
        };
        map.entry(rule).or_default().note(api, event_id);
    }

    /// A data event on `bucket`, none of the decoys' (`event_id`: its eventID).
    pub fn note_other(&mut self, bucket: &str, event_id: &str) {
        if self.other_buckets.contains_key(bucket) {
            return;
        }
        self.other_buckets
            .insert(bucket.to_string(), event_id.to_string());
        self.cap();
    }

    /// A data event through `access_point`, whose bucket is not named (`event_id`: its
    /// eventID).
    pub fn note_access_point(&mut self, access_point: &str, event_id: &str) {
        if self.access_points.contains_key(access_point) {
            return;
        }
        self.access_points
            .insert(access_point.to_string(), event_id.to_string());
        self.cap();
    }

    /// `other` (a later file's) taken in: a bucket keeps the eventID of its first file.
    pub fn merge(&mut self, other: S3DataEvents) {
        self.any |= other.any;
        self.decoy_rules.extend(other.decoy_rules);
        for (rule, id) in other.decoy_writes {
            self.decoy_writes.entry(rule).or_insert(id);
        }
        for (rule, seen) in other.decoy_unmarked {
            self.decoy_unmarked.entry(rule).or_default().merge(seen);
        }
        for (rule, seen) in other.decoy_unmarked_objects {
            self.decoy_unmarked_objects
                .entry(rule)
                .or_default()
                .merge(seen);
        }
        self.more_buckets |= other.more_buckets;
        for (bucket, id) in other.other_buckets {
            self.other_buckets.entry(bucket).or_insert(id);
        }
        self.more_access_points |= other.more_access_points;
        for (ap, id) in other.access_points {
            self.access_points.entry(ap).or_insert(id);
        }
        self.cap();
    }

    fn cap(&mut self) {
        while self.other_buckets.len() > OTHER_BUCKETS_KEPT {
            self.other_buckets.pop_last();
            self.more_buckets = true;
        }
        while self.access_points.len() > OTHER_BUCKETS_KEPT {
            self.access_points.pop_last();
            self.more_access_points = true;
        }
    }
}

/// Whether `api` reads an object (`GetObject`, `HeadObject`, `SelectObjectContent`...) rather
/// than a bucket (`ListObjects`, `HeadBucket`).
fn is_object_read(api: &str) -> bool {
    api.contains("Object") && !api.starts_with("ListObject")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmarked_reads_keep_the_first_and_count_the_rest() {
        let mut a = S3DataEvents::default();
        for i in 0..UNMARKED_KEPT {
            a.note_unmarked(0, "HeadObject", &format!("e-{i}"));
        }
        a.note_unmarked(0, "HeadObject", "e-0");
        let mut b = S3DataEvents::default();
        b.note_unmarked(0, "GetObject", "e-late");
        a.merge(b);
        let seen = &a.decoy_unmarked_objects[&0];
        assert_eq!(seen.kept.len(), UNMARKED_KEPT);
        assert_eq!(seen.first(), Some("e-0"));
        assert_eq!(seen.more, 1);
        assert!(seen.apis.contains("GetObject"));
        assert_eq!(
            seen.count_words(),
            "at most 17 records, copies of one record not told apart past the first 16"
        );
    }

    #[test]
    fn other_buckets_are_capped_by_name_and_keep_their_first_event() {
        let mut a = S3DataEvents::default();
        a.note_other("b", "1");
        a.note_other("b", "2");
        let mut b = S3DataEvents::default();
        b.note_other("b", "3");
        for i in 0..OTHER_BUCKETS_KEPT {
            b.note_other(&format!("z{i}"), "4");
        }
        a.merge(b);
        assert_eq!(a.other_buckets["b"], "1");
        assert_eq!(a.other_buckets.len(), OTHER_BUCKETS_KEPT);
        assert!(a.more_buckets);
    }
}
