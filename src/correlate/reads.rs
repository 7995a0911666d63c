//! One read, told right. A `BatchGetSecretValue` is one read of each secret it returns, however
//! many per-secret `GetSecretValue` entries AWS writes for it (the API reference: "Secrets
//! Manager generates CloudTrail GetSecretValue log entries for each secret you request"); the
//! service's `kms:Decrypt` of a honeytoken bears out the read it served; and a Decrypt with no
//! read in the evidence is a finding: the read's record may be missing. Pure: no I/O.
//!
//! AWS documents no field that names the batch in its per-secret entries, so an entry is the
//! batch's when the same principal read the same secret through both within
//! [`BATCH_ENTRY_MS`] (one request: the same second, give or take the clock of two writers).
//!
//! Here: the batch's entries and the reads that name no resource; `decrypt`: what the
//! service's Decrypts bear out; `s3`: the decoys whose reads the evidence cannot show.

mod decrypt;
mod s3;

pub use decrypt::{bucket_decrypts, corroborate, indirect};
pub use s3::{copies_out, reads_not_examined};

use super::index::EventIndex;
use super::plan::AccessGroup;
use crate::classify::Classifier;
use crate::model::{Event, Finding, FindingKind, Timestamp};
use crate::parse::RecordView;
use std::collections::BTreeSet;

/// A per-secret `GetSecretValue` entry this close to a `BatchGetSecretValue` of the same
/// principal and secret is that batch's entry.
pub const BATCH_ENTRY_MS: i64 = 2_000;
/// A `kms:Decrypt` of the honeytoken this close to a read of it is the decryption for that read.
pub const DECRYPT_MS: i64 = 60_000;

/// One read of a group as [`fold_batch_entries`] needs it, in the group's order.
#[derive(Debug, Clone)]
pub struct ReadCall {
    pub time: Timestamp,
    pub api: String,
    pub ok: bool,
}

fn near(a: Timestamp, b: Timestamp, ms: i64) -> bool {
    (a.millis() - b.millis()).abs() <= ms
}

/// Fold the per-secret `GetSecretValue` entries into the group's `BatchGetSecretValue` reads.
/// A batch succeeds as a whole even when it could not return a secret (the API reference: each
/// secret's failure is in the response's `Errors`, which CloudTrail does not record); the
/// secret's own entry tells. When it was refused, the batch did not return the honeytoken: the
/// entry stays the read, and the batch is not one.
pub fn fold_batch_entries(g: &mut AccessGroup, calls: &[ReadCall]) {
    let batches: Vec<(usize, Timestamp)> = calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.api == "BatchGetSecretValue" && c.ok)
        .map(|(n, c)| (n, c.time))
        .collect();
    if batches.is_empty() {
        return;
    }
    let batch_of: Vec<Option<usize>> = calls
        .iter()
        .map(|c| {
            (c.api == "GetSecretValue")
                .then(|| {
                    batches
                        .iter()
                        .find(|(_, t)| near(*t, c.time, BATCH_ENTRY_MS))
                        .map(|b| b.0)
                })
                .flatten()
        })
        .collect();
    let refused: BTreeSet<usize> = calls
        .iter()
        .zip(&batch_of)
        .filter(|(c, _)| !c.ok)
        .filter_map(|(_, b)| *b)
        .collect();
    let mut keep = Vec::new();
    let mut folded = Vec::new();
    let mut refused_in_batch = Vec::new();
    for (n, b) in batch_of.iter().enumerate() {
        match b {
            Some(b) if refused.contains(b) => {
                refused_in_batch.push((g.accesses[n].clone(), g.accesses[*b].clone()));
                keep.push(n);
            }
            Some(b) => folded.push((g.accesses[*b].clone(), g.accesses[n].clone())),
            None if refused.contains(&n) => {}
            None => keep.push(n),
        }
    }
    g.first_read = keep
        .iter()
        .map(|&n| calls[n].time)
        .min()
        .unwrap_or(g.first_read);
    g.accesses = keep.iter().map(|&n| g.accesses[n].clone()).collect();
    g.origins = keep.iter().map(|&n| g.origins[n]).collect();
    folded.sort();
    folded.dedup();
    g.folded = folded;
    refused_in_batch.sort();
    refused_in_batch.dedup();
    g.refused_in_batch = refused_in_batch;
}

/// eventIDs a finding about unnamed reads cites; the rest are counted.
const UNNAMED_CITED: usize = 20;

/// The reads of a honeytoken's kind of resource that name none (CloudTrail left out their
/// `requestParameters`), by API: a finding each, since "no honeytoken was read" would say more
/// than the evidence shows.
pub fn unnamed(index: &EventIndex<'_>, classifier: &Classifier) -> Vec<Finding> {
    let mut by: std::collections::BTreeMap<String, Vec<&Event>> = Default::default();
    // Only a call to a service a honeytoken can be in is parsed again.
    for e in index
        .events()
        .iter()
        .filter(|e| crate::classify::honeytoken_kind(&e.event_source).is_some())
    {
        let Ok(view) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        if classifier.unnamed_read(&view) {
            by.entry(e.action()).or_default().push(e);
        }
    }
    by.into_iter()
        .map(|(action, mut reads)| {
            reads.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            reads.dedup_by(|a, b| a.event_id == b.event_id);
            let ok = reads.iter().filter(|e| e.succeeded()).count();
            let summary = match reads.as_slice() {
                [one] => format!(
                    "1 {action} record names no resource (CloudTrail recorded no requestParameters), {}, at {}: whether it read a honeytoken is not known (eventID {})",
                    if ok == 1 { "successful" } else { "not successful" },
                    one.time,
                    one.event_id
                ),
                _ => format!(
                    "{} {action} records name no resource (CloudTrail recorded no requestParameters), {ok} of them successful, from {} to {}: whether they read a honeytoken is not known ({})",
                    reads.len(),
                    reads[0].time,
                    reads[reads.len() - 1].time,
                    if reads.len() <= 3 {
                        format!(
                            "eventID {}",
                            reads.iter().map(|e| e.event_id.as_str()).collect::<Vec<_>>().join(", ")
                        )
                    } else if reads.len() <= UNNAMED_CITED {
                        "the \"Reads that name no resource\" finding cites each".to_string()
                    } else {
                        format!("the \"Reads that name no resource\" finding cites the first {UNNAMED_CITED}")
                    }
                ),
            };
            Finding {
                kind: FindingKind::UnnamedRead,
                severity: "medium",
                summary,
                event_ids: reads
                    .iter()
                    .take(UNNAMED_CITED)
                    .map(|e| e.event_id.clone())
                    .collect(),
            }
        })
        .collect()
}
