//! Calls that changed a honeytoken without reading it (`classify::changes`): a
//! `honeytoken_changed` finding per honeytoken, naming each call, its caller, its time and its
//! outcome as recorded. They open no incident (none returned the decoy's value, and an incident
//! is a read), but the decoy drew them: no sentence may say it drew no one. A batch delete on
//! an S3 decoy's bucket whose record names no key is a `decoy_bucket_batch_delete` finding:
//! whether the decoy was among the objects is unknown. Pure.

use super::index::EventIndex;
use crate::classify::{honeytoken_kind, Classifier};
use crate::model::{Event, Finding, FindingKind, HONEYTOKEN_CHANGED_ADVICE};
use crate::parse::RecordView;
use std::collections::BTreeMap;

/// Calls a finding names one by one; the rest are counted.
const CITED: usize = 20;

/// A finding per honeytoken some call changed (or tried to change), by its canonical name; and
/// one per S3 honeytoken whose bucket a batch delete naming no key was made on
/// ([`batch_deletes`]).
pub fn honeytoken_changes(index: &EventIndex<'_>, classifier: &Classifier) -> Vec<Finding> {
    let mut by: BTreeMap<String, Vec<(&Event, &'static str)>> = BTreeMap::new();
    let mut batches: BTreeMap<(String, String), Vec<&Event>> = BTreeMap::new();
    for e in index
        .events()
        .iter()
        .filter(|e| honeytoken_kind(&e.event_source).is_some())
    {
        let Ok(view) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        match classifier.change(&view) {
            Some(c) if c.keys_unknown => batches
                .entry((c.hit.name, c.hit.shown))
                .or_default()
                .push(e),
            Some(c) => by.entry(c.hit.name).or_default().push((e, c.verb)),
            None => {}
        }
    }
    let mut out = changed(by);
    out.extend(batch_deletes(batches));
    out
}

/// The `honeytoken_changed` findings.
fn changed(by: BTreeMap<String, Vec<(&Event, &'static str)>>) -> Vec<Finding> {
    by.into_iter()
        .map(|(name, mut calls)| {
            calls.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
            calls.dedup_by(|a, b| a.0.event_id == b.0.event_id);
            let ok = calls.iter().filter(|(e, _)| e.succeeded()).count();
            let listed = grouped(&calls[..calls.len().min(CITED)]);
            let more = match calls.len().saturating_sub(CITED) {
                0 => String::new(),
                n => format!("; and {n} more"),
            };
            Finding {
                kind: FindingKind::HoneytokenChanged,
                severity: if ok > 0 { "high" } else { "medium" },
                summary: format!(
                    "{} call(s) on honeytoken {name} that are not reads, {ok} of them with no error recorded: {}{more}. {HONEYTOKEN_CHANGED_ADVICE}",
                    calls.len(),
                    listed.join("; ")
                ),
                event_ids: calls
                    .iter()
                    .take(CITED)
                    .map(|(e, _)| e.event_id.clone())
                    .collect(),
            }
        })
        .collect()
}

/// The `decoy_bucket_batch_delete` findings: per honeytoken and bucket (its ARN), the
/// `DeleteObjects` calls on the bucket whose records name no key. Never "the decoy was
/// deleted", never "it was not".
fn batch_deletes(by: BTreeMap<(String, String), Vec<&Event>>) -> Vec<Finding> {
    by.into_iter()
        .map(|((name, bucket), mut calls)| {
            calls.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            calls.dedup_by(|a, b| a.event_id == b.event_id);
            let ok = calls.iter().filter(|e| e.succeeded()).count();
            let pairs: Vec<(&Event, &'static str)> = calls
                .iter()
                .take(CITED)
                .map(|e| (*e, BATCH_VERB))
                .collect();
            let more = match calls.len().saturating_sub(CITED) {
                0 => String::new(),
                n => format!("; and {n} more"),
            };
            Finding {
                kind: FindingKind::DecoyBucketBatchDelete,
                severity: if ok > 0 { "high" } else { "medium" },
                summary: format!(
                    "{} batch delete call(s) (s3:DeleteObjects) on {bucket}, the bucket of honeytoken {name}, {ok} of them with no error recorded: {}{more}. CloudTrail does not record the keys a DeleteObjects deletes, and these records name none: whether {name} was among the objects deleted is unknown. Check whether the decoy object is still in the bucket (and its versions, if versioning is on), and find out who made the calls",
                    calls.len(),
                    grouped(&pairs).join("; ")
                ),
                event_ids: calls
                    .iter()
                    .take(CITED)
                    .map(|e| e.event_id.clone())
                    .collect(),
            }
        })
        .collect()
}

/// A batch delete's verb phrase, its object the decoy's bucket.
const BATCH_VERB: &str = "deleted objects of it in one batch";

/// The calls in words, in time order, each run of calls by one caller with one verb and one
/// outcome said once with every time and event: `960312529846 wrote it (…) with s3:PutObject 3
/// times, at … (event …), … and … (event …), no error recorded`.
fn grouped(calls: &[(&Event, &'static str)]) -> Vec<String> {
    // (caller and verb phrase, outcome, the calls of the run)
    let mut runs: Vec<(String, String, Vec<&Event>)> = Vec::new();
    for (e, verb) in calls {
        let (what, outcome) = told(e, verb);
        let head = format!("{} {what}", e.identity.label());
        match runs.last_mut() {
            Some((h, o, es)) if *h == head && *o == outcome => es.push(e),
            _ => runs.push((head, outcome, vec![e])),
        }
    }
    runs.into_iter()
        .map(|(head, outcome, es)| {
            let at: Vec<String> = es
                .iter()
                .map(|e| format!("{} (event {})", e.time, e.event_id))
                .collect();
            match at.as_slice() {
                [rest @ .., last] if !rest.is_empty() => format!(
                    "{head} {} times, at {} and {last}, {outcome}",
                    at.len(),
                    rest.join(", ")
                ),
                _ => format!("{head} at {}, {outcome}", at.join("")),
            }
        })
        .collect()
}

/// One call's verb phrase and outcome: `wrote it (…) with s3:PutObject`, `no error recorded`;
/// refused, `tried s3:PutObject on it`, `refused: AccessDenied`.
fn told(e: &Event, verb: &str) -> (String, String) {
    match (&e.error_code, e.succeeded()) {
        (_, true) => (
            format!("{verb} with {}", e.action()),
            "no error recorded".to_string(),
        ),
        (Some(code), false) => (
            format!("tried {} on it", e.action()),
            format!("refused: {code}"),
        ),
        (None, false) => (format!("tried {} on it", e.action()), "failed".to_string()),
    }
}
