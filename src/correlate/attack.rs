//! An incident's MITRE ATT&CK techniques: each call of the actor (its own principal and the
//! sessions and keys derived from it) looked up in `classify::attack`'s table, grouped by
//! technique with the calls, their outcomes and the records they rest on.
//!
//! Calls an AWS service made on the actor's behalf (`userIdentity.invokedBy`, e.g. the
//! `kms:Decrypt` behind a `GetSecretValue`) are not the actor's steps and are not mapped.

use crate::classify::attack;
use crate::model::{AttackCall, AttackTechnique, Event, Timestamp};
use std::collections::{BTreeMap, HashSet};

struct Seen<'e> {
    technique: &'static attack::Technique,
    calls: Vec<AttackCall>,
    records: Vec<(Timestamp, &'e str)>,
}

/// The techniques the actor's records show, ordered by first record, then ID.
pub fn collect<'e>(events: impl IntoIterator<Item = &'e Event>) -> Vec<AttackTechnique> {
    let mut by: BTreeMap<&'static str, Seen<'e>> = BTreeMap::new();
    let mut once = HashSet::new();
    let mut events: Vec<&Event> = events
        .into_iter()
        .filter(|e| e.identity.invoked_by.is_none() && !e.event_name.is_empty())
        // A request the VPC endpoint let through is recorded again, with its outcome, by the
        // service: that record is the call.
        .filter(|e| !e.passed_endpoint())
        .filter(|e| once.insert((e.time, e.event_id.as_str())))
        .collect();
    events.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    for e in events {
        let action = e.action();
        for t in attack::techniques(&action) {
            let seen = by.entry(t.id).or_insert_with(|| Seen {
                technique: t,
                calls: Vec::new(),
                records: Vec::new(),
            });
            let call = match seen.calls.iter_mut().position(|c| c.action == action) {
                Some(i) => &mut seen.calls[i],
                None => {
                    seen.calls.push(AttackCall {
                        action: action.clone(),
                        succeeded: 0,
                        failed: 0,
                        refused: 0,
                        errors: Vec::new(),
                    });
                    seen.calls.last_mut().expect("just pushed")
                }
            };
            if e.succeeded() {
                call.succeeded += 1;
            } else {
                call.failed += 1;
                if e.error_code
                    .as_deref()
                    .is_some_and(crate::model::refusal_code)
                {
                    call.refused += 1;
                }
                if let Some(code) = &e.error_code {
                    if let Err(at) = call.errors.binary_search(code) {
                        call.errors.insert(at, code.clone());
                    }
                }
            }
            seen.records.push((e.time, e.event_id.as_str()));
        }
    }
    let mut out: Vec<AttackTechnique> = by
        .into_values()
        .map(|s| {
            let first = s.records.first().map(|r| r.0).unwrap_or_default();
            let last = s.records.last().map(|r| r.0).unwrap_or_default();
            AttackTechnique {
                id: s.technique.id.into(),
                name: s.technique.name.into(),
                tactics: s.technique.tactics.iter().map(|t| t.to_string()).collect(),
                succeeded: s.calls.iter().any(|c| c.succeeded > 0),
                calls: s.calls,
                first_seen: first,
                last_seen: last,
                event_ids: s.records.into_iter().map(|r| r.1.to_string()).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| (a.first_seen, &a.id).cmp(&(b.first_seen, &b.id)));
    out
}
