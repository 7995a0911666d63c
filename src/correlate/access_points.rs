//! Reads through an S3 access point whose bucket the evidence does not name
//! (`Classifier::access_point_read`): an `unnamed_read` finding per access point, since "no
//! honeytoken was read" would say more than the evidence shows. Pure.

use super::index::EventIndex;
use crate::classify::{is_s3_source, Classifier};
use crate::model::{Event, Finding, FindingKind, HoneytokenKind};
use crate::parse::RecordView;
use std::collections::{BTreeMap, BTreeSet};

/// eventIDs a finding cites; the rest are counted.
const CITED: usize = 20;

/// A finding per access point some read went through without the record naming its bucket.
pub fn unknown_bucket_reads(index: &EventIndex<'_>, classifier: &Classifier) -> Vec<Finding> {
    let mut by: BTreeMap<String, Vec<&Event>> = BTreeMap::new();
    for e in index
        .events()
        .iter()
        .filter(|e| is_s3_source(&e.event_source))
    {
        let Ok(view) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        if let Some(ap) = classifier.access_point_read(&view) {
            by.entry(ap).or_default().push(e);
        }
    }
    let decoys: Vec<String> = classifier
        .rules()
        .iter()
        .filter(|h| h.kind == HoneytokenKind::S3)
        .map(|h| h.describe())
        .collect();
    by.into_iter()
        .map(|(ap, mut reads)| {
            reads.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            reads.dedup_by(|a, b| a.event_id == b.event_id);
            let ok = reads.iter().filter(|e| e.succeeded()).count();
            let apis: BTreeSet<String> = reads.iter().map(|e| e.action()).collect();
            Finding {
                kind: FindingKind::UnnamedRead,
                severity: "medium",
                summary: format!(
                    "{} {} record(s) read through the access point {ap}, {ok} of them successful, from {} to {}, name no bucket (neither the records nor trailcase.toml, a honeytoken's access_points, say which bucket the access point serves): whether they read {} is unknown (the first {} cited)",
                    reads.len(),
                    apis.into_iter().collect::<Vec<_>>().join(", "),
                    reads[0].time,
                    reads[reads.len() - 1].time,
                    decoys.join(", "),
                    reads.len().min(CITED)
                ),
                event_ids: reads.iter().take(CITED).map(|e| e.event_id.clone()).collect(),
            }
        })
        .collect()
}
