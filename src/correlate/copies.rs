//! Copies of one event. The same record read from two inputs (an S3 trail file and a
//! LookupEvents page, or a file delivered twice) is one event: the later copies are dropped and
//! counted. Two *different* records under one eventID are both evidence: both are kept, the
//! incidents say which copy they rest on, and a finding names every copy (possible tampering).
//!
//! Copies are compared by a hash of their canonical form: the record parsed and written again
//! with object keys sorted and no whitespace, so key order and spacing (which differ between
//! CloudTrail's S3 files and LookupEvents' `CloudTrailEvent` strings) do not make a conflict,
//! and any change of a value does. Pure: no I/O.

pub use super::canonical::content_hash;
pub use crate::model::Conflict;
use crate::model::{Event, Finding, FindingKind, Incident, InputSummary, Origin};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Copies a finding names at most; the JSON's `conflicts` names every one. Crafted evidence
/// can put thousands of different records under one eventID: naming each in every incident's
/// finding made the output grow with the square of their number.
const NAMED: usize = 10;

/// What [`dedup`] did.
#[derive(Debug, Default)]
pub struct Copies {
    /// Copies identical to a kept one, dropped.
    pub dropped: u64,
    pub conflicts: Vec<Conflict>,
}

impl Copies {
    /// Records kept beside another record with their eventID.
    pub fn conflicting_records(&self) -> u64 {
        self.conflicts.iter().map(|c| c.copies.len() as u64).sum()
    }
}

/// Drop the copies that repeat a kept record; keep every distinct record. `events` sorted by
/// [`Event::sort_key`]. The same record read twice by the two passes (same origin) is one
/// record, not a copy.
pub fn dedup(events: &mut Vec<Event>) -> Copies {
    // Sorted by (time, eventID, origin): the two passes' copies of one record are adjacent.
    events.dedup_by(|b, a| a.event_id == b.event_id && a.origin == b.origin);
    let mut count: HashMap<&str, u32> = HashMap::new();
    for e in events.iter() {
        *count.entry(e.event_id.as_str()).or_default() += 1;
    }
    let mut keep = vec![true; events.len()];
    let mut kept: HashMap<&str, Vec<Origin>> = HashMap::new();
    // Every (eventID, content) kept, looked up in constant time: crafted evidence can put any
    // number of different records under one eventID.
    let mut contents: HashSet<(&str, [u8; 32])> = HashSet::new();
    let mut order: Vec<&str> = Vec::new();
    for (n, e) in events.iter().enumerate() {
        if count[e.event_id.as_str()] < 2 {
            continue;
        }
        let hash = content_hash(e.raw.get());
        let copies = kept.entry(e.event_id.as_str()).or_default();
        if copies.is_empty() {
            order.push(e.event_id.as_str());
        }
        if contents.insert((e.event_id.as_str(), hash)) {
            copies.push(e.origin);
        } else {
            keep[n] = false;
        }
    }
    let conflicts: Vec<Conflict> = order
        .into_iter()
        .filter(|id| kept[id].len() > 1)
        .map(|id| Conflict {
            event_id: id.to_string(),
            copies: kept[id].clone(),
        })
        .collect();
    let before = events.len();
    let mut n = 0;
    events.retain(|_| {
        n += 1;
        keep[n - 1]
    });
    Copies {
        dropped: (before - events.len()) as u64,
        conflicts,
    }
}

/// Add the conflicts the copy count found over every record read, kept or not (`differing`:
/// eventID, content hash as [`content_hash`] gives it, where read): a record the case cites
/// may differ from a copy nobody kept. Each distinct content counts once, a kept record's
/// first; `events` are the kept records, after [`dedup`].
pub fn add_differing(
    copies: &mut Copies,
    events: &[Event],
    differing: &[(String, [u8; 32], Origin)],
) {
    let ids: HashSet<&str> = differing.iter().map(|(id, ..)| id.as_str()).collect();
    let mut by_id: BTreeMap<&str, Vec<([u8; 32], Origin)>> = BTreeMap::new();
    for e in events.iter().filter(|e| ids.contains(e.event_id.as_str())) {
        by_id
            .entry(e.event_id.as_str())
            .or_default()
            .push((content_hash(e.raw.get()), e.origin));
    }
    for (id, hash, origin) in differing {
        by_id.entry(id.as_str()).or_default().push((*hash, *origin));
    }
    for (id, found) in by_id {
        let mut seen = HashSet::new();
        let distinct: Vec<Origin> = found
            .into_iter()
            .filter(|(hash, _)| seen.insert(*hash))
            .map(|(_, origin)| origin)
            .collect();
        if distinct.len() < 2 {
            continue;
        }
        match copies.conflicts.iter_mut().find(|c| c.event_id == id) {
            Some(known) => known.copies = distinct,
            None => copies.conflicts.push(Conflict {
                event_id: id.to_string(),
                copies: distinct,
            }),
        }
    }
}

/// Mark the incidents' reads that have a conflicting copy, tell each incident which copy it rests
/// on, and name every conflict in a case finding (each with its first `NAMED` copies).
pub fn report(
    conflicts: &[Conflict],
    events: &[Event],
    inputs: &[InputSummary],
    incidents: &mut [Incident],
    findings: &mut Vec<Finding>,
) {
    if conflicts.is_empty() {
        return;
    }
    let at: HashMap<Origin, &Event> = events.iter().map(|e| (e.origin, e)).collect();
    let path = |o: Origin| {
        inputs
            .get(o.input as usize)
            .map(|i| i.path.to_string())
            .unwrap_or_else(|| format!("input {}", o.input))
    };
    let describe = |o: Origin| match at.get(&o) {
        Some(e) => format!(
            "{} record {} (time {}, principal {}, source IP {})",
            path(o),
            o.index,
            e.time,
            e.identity.label(),
            e.source_ip.as_deref().unwrap_or("none")
        ),
        None => format!("{} record {}", path(o), o.index),
    };
    let conflicted: HashMap<&str, &Conflict> =
        conflicts.iter().map(|c| (c.event_id.as_str(), c)).collect();
    let mut resting: HashMap<Origin, Vec<String>> = HashMap::new();
    for inc in incidents.iter_mut() {
        for o in &inc.origins {
            resting.entry(*o).or_default().push(inc.id.clone());
        }
        let mut rests: Vec<(String, Origin)> = Vec::new();
        for copy in inc.access_records.iter_mut() {
            if conflicted.contains_key(copy.event_id.as_str()) {
                copy.conflicting = true;
                rests.push((copy.event_id.clone(), copy.origin));
            }
        }
        let mut seen = HashSet::new();
        for (id, o) in rests {
            if !seen.insert(id.clone()) {
                continue;
            }
            let others: Vec<Origin> = conflicted[id.as_str()]
                .copies
                .iter()
                .filter(|c| **c != o)
                .copied()
                .collect();
            let which = if others.len() == 1 {
                "another record with the same eventID differs from it".to_string()
            } else {
                format!(
                    "{} other records with the same eventID differ from it",
                    others.len()
                )
            };
            inc.findings.push(Finding {
                kind: FindingKind::ConflictingCopies,
                severity: "high",
                summary: format!(
                    "this incident rests on the copy of honeytoken read {id} in {}; {which} (possible tampering): {}",
                    describe(o),
                    named(&others, describe)
                ),
                event_ids: vec![id],
            });
        }
        // The calls that issued the actor's temporary keys: how it got the credential it used.
        let mut cited = HashSet::new();
        for k in inc.actor.key_origins.iter() {
            let Some(c) = conflicted.get(k.issued_by_event_id.as_str()) else {
                continue;
            };
            if !cited.insert(k.issued_by_event_id.clone()) {
                continue;
            }
            inc.findings.push(Finding {
                kind: FindingKind::ConflictingCopies,
                severity: "high",
                summary: format!(
                    "this incident cites {} {} as the call that issued its access key {}; {} different records share that eventID (possible tampering), so which of them is the call is not settled: {}",
                    k.issued_by_action,
                    k.issued_by_event_id,
                    k.access_key_id,
                    c.copies.len(),
                    named(&c.copies, describe)
                ),
                event_ids: vec![k.issued_by_event_id.clone()],
            });
        }
    }
    let mut case = Vec::new();
    for c in conflicts {
        let copies = named(&c.copies, |o| {
            let on = resting
                .get(&o)
                .map(|v| format!(", incidents {}", v.join(", ")))
                .unwrap_or_default();
            format!("{}{on}", describe(o))
        });
        case.push(Finding {
            kind: FindingKind::ConflictingCopies,
            severity: "high",
            summary: format!(
                "{} different records share eventID {} (possible tampering); each is evidence: {copies}",
                c.copies.len(),
                c.event_id,
            ),
            event_ids: vec![c.event_id.clone()],
        });
    }
    // A finding that cites an eventID different records share says so: the eventID alone
    // points at no single record.
    for f in findings
        .iter_mut()
        .chain(incidents.iter_mut().flat_map(|i| i.findings.iter_mut()))
    {
        shared_cited(f, &conflicted);
    }
    // First: whatever else the case says rests on records an attacker may have replaced.
    findings.splice(0..0, case);
}

/// Say in `f`'s summary which of its cited eventIDs different records share: the eventID alone
/// points at no single record. Nothing for the conflicting-copies findings (they name the
/// copies) or for a finding whose eventIDs are each one record's.
fn shared_cited(f: &mut Finding, conflicted: &HashMap<&str, &Conflict>) {
    if f.kind == FindingKind::ConflictingCopies {
        return;
    }
    let mut seen = HashSet::new();
    let shared: Vec<(String, usize)> = f
        .event_ids
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .filter_map(|id| {
            conflicted
                .get(id.as_str())
                .map(|c| (id.clone(), c.copies.len()))
        })
        .collect();
    let shared: Vec<(&str, usize)> = shared.iter().map(|(id, n)| (id.as_str(), *n)).collect();
    f.cite_shared(&shared);
}

/// The first [`NAMED`] copies described, and how many more the JSON's `conflicts` lists.
fn named(copies: &[Origin], describe: impl Fn(Origin) -> String) -> String {
    let mut text: Vec<String> = copies.iter().take(NAMED).map(|o| describe(*o)).collect();
    if copies.len() > NAMED {
        text.push(format!(
            "and {} more, every one listed under `conflicts` in the JSON timeline",
            copies.len() - NAMED
        ));
    }
    text.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;
    use serde_json::Value;

    fn event(raw: &str, input: u32) -> Event {
        let v: Value = serde_json::from_str(raw).unwrap();
        let mut e = Event::for_test(
            Timestamp::from_secs(0),
            v["eventID"].as_str().unwrap(),
            "",
            "",
            raw,
        );
        e.region = String::new();
        e.origin = Origin { input, index: 0 };
        e
    }

    #[test]
    fn key_order_and_whitespace_do_not_change_the_content_hash_and_a_value_does() {
        let a = r#"{"eventID":"e","b":[1,{"y":2,"x":"s"}]}"#;
        let b = "{ \"b\" : [ 1 , { \"x\" : \"s\", \"y\" : 2 } ],\n \"eventID\" : \"e\" }";
        let c = r#"{"eventID":"e","b":[1,{"y":3,"x":"s"}]}"#;
        assert_eq!(content_hash(a), content_hash(b));
        assert_ne!(content_hash(a), content_hash(c));
    }

    #[test]
    fn identical_copies_are_dropped_and_different_ones_kept_as_a_conflict() {
        let same = r#"{"eventID":"e","ip":"1"}"#;
        let other = r#"{"eventID":"e","ip":"2"}"#;
        // Input 0 read twice by the two passes (same origin), input 1 identical, input 2 different.
        let mut events = vec![
            event(same, 0),
            event(same, 0),
            event(same, 1),
            event(other, 2),
        ];
        let copies = dedup(&mut events);
        assert_eq!(copies.dropped, 1);
        assert_eq!(events.len(), 2);
        assert_eq!(
            copies.conflicts,
            vec![Conflict {
                event_id: "e".into(),
                copies: vec![Origin { input: 0, index: 0 }, Origin { input: 2, index: 0 }],
            }]
        );
        assert_eq!(copies.conflicting_records(), 2);
    }

    /// Crafted evidence can put any number of different records under one eventID: each is
    /// compared with the ones kept in one look, not with each in turn (30,000 records here
    /// took over a second that way in a release build, and grow with the square).
    #[test]
    fn many_different_records_under_one_event_id_are_one_conflict_and_copies_still_drop() {
        let n = 20_000u32;
        let mut events: Vec<Event> = (0..n)
            .map(|i| event(&format!(r#"{{"eventID":"e","n":{}}}"#, i % (n - 100)), i))
            .collect();
        let copies = dedup(&mut events);
        assert_eq!(copies.dropped, 100, "the last hundred repeat the first");
        assert_eq!(events.len(), (n - 100) as usize);
        assert_eq!(copies.conflicts.len(), 1);
        let kept = &copies.conflicts[0].copies;
        assert_eq!(kept.len(), (n - 100) as usize);
        assert!(kept.iter().enumerate().all(|(i, o)| o.input == i as u32));
    }
}
