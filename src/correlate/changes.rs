//! Calls that changed a honeytoken without reading it (`classify::changes`): a
//! `honeytoken_changed` finding per honeytoken, naming each call, its caller, its time and its
//! outcome as recorded. They open no incident (none returned the decoy's value, and an incident
//! is a read), but the decoy drew them: no sentence may say it drew no one. Pure.

use super::index::EventIndex;
use crate::classify::{honeytoken_kind, Classifier};
use crate::model::{Event, Finding, FindingKind};
use crate::parse::RecordView;
use std::collections::BTreeMap;

/// Calls a finding names one by one; the rest are counted.
const CITED: usize = 20;

/// A finding per honeytoken some call changed (or tried to change), by its canonical name.
pub fn honeytoken_changes(index: &EventIndex<'_>, classifier: &Classifier) -> Vec<Finding> {
    let mut by: BTreeMap<String, Vec<(&Event, &'static str)>> = BTreeMap::new();
    for e in index
        .events()
        .iter()
        .filter(|e| honeytoken_kind(&e.event_source).is_some())
    {
        let Ok(view) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        if let Some(c) = classifier.change(&view) {
            by.entry(c.hit.name).or_default().push((e, c.verb));
        }
    }
    by.into_iter()
        .map(|(name, mut calls)| {
            calls.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
            calls.dedup_by(|a, b| a.0.event_id == b.0.event_id);
            let ok = calls.iter().filter(|(e, _)| e.succeeded()).count();
            let listed: Vec<String> = calls.iter().take(CITED).map(|(e, v)| told(e, v)).collect();
            let more = match calls.len().saturating_sub(CITED) {
                0 => String::new(),
                n => format!("; and {n} more"),
            };
            Finding {
                kind: FindingKind::HoneytokenChanged,
                severity: if ok > 0 { "high" } else { "medium" },
                summary: format!(
                    "{} call(s) on honeytoken {name} that are not reads, {ok} of them with no error recorded: {}{more}. None returned the decoy's value, so trailcase opens no incident for them (its incidents are reads); but the decoy drew them (no workload is meant to touch it): investigate them as a security event, find out who made them, and whether the decoy still holds what it held (a write or delete replaces or removes it)",
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

/// One call in words: `960312529846 wrote it (…) with s3:PutObject at …, event …, no error
/// recorded`, or, refused, `… tried s3:PutObject on it at …, event …, refused: AccessDenied`.
fn told(e: &Event, verb: &str) -> String {
    let (what, outcome) = match (&e.error_code, e.succeeded()) {
        (_, true) => (
            format!("{verb} with {}", e.action()),
            "no error recorded".to_string(),
        ),
        (Some(code), false) => (
            format!("tried {} on it", e.action()),
            format!("refused: {code}"),
        ),
        (None, false) => (format!("tried {} on it", e.action()), "failed".to_string()),
    };
    format!(
        "{} {what} at {}, event {}, {outcome}",
        e.identity.label(),
        e.time,
        e.event_id
    )
}
