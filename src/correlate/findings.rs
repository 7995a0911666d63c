//! Findings a responder must see, each with the evidence it rests on.

use super::actor::ActorPlan;
use super::detection::Flows;
use super::index::EventIndex;
use super::pipeline_findings::{self, Whose};
use crate::classify::Classifier;
use crate::model::ConfigEvidence;
use crate::model::{
    AlarmHistoryItem, ContainmentAction, ContainmentKind, Event, Finding, FindingKind, Gap,
    Incident, Milestones, Origin, Timestamp,
};
use std::collections::{HashMap, HashSet};

fn ids(events: &[&Event]) -> Vec<String> {
    events.iter().map(|e| e.event_id.clone()).collect()
}

fn actions(events: &[&Event]) -> String {
    let mut v: Vec<String> = events.iter().map(|e| e.action()).collect();
    v.sort();
    v.dedup();
    v.join(", ")
}

#[allow(clippy::too_many_arguments)]
pub fn incident_findings(
    m: &Milestones,
    own: &[&Event],
    derived: &[&Event],
    containment: &[ContainmentAction],
    deny_time: Option<Timestamp>,
    plan: &ActorPlan,
    flows: &Flows<'_>,
    classifier: &Classifier,
    who: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(deny) = deny_time {
        let after: Vec<&Event> = own
            .iter()
            .copied()
            .filter(|e| e.time > deny && e.succeeded())
            .collect();
        if let Some(last) = after.iter().map(|e| e.time).max() {
            // IAM's eventual consistency (IAM User Guide, "Changes that I make are not always
            // immediately visible") explains a call in the seconds after the deny, not one long
            // after it: the sentence gives the lag and leaves the cause to the reader.
            let lag = super::response::span((last.millis() - deny.millis()) as f64 / 1000.0);
            out.push(Finding {
                kind: FindingKind::SuccessAfterContainment,
                severity: "high",
                summary: format!(
                    "{} call(s) by {} succeeded after the kill-switch's first call to cut its access, at {deny}, the last {lag} after it (IAM applies a policy change after a delay, so a call within seconds of the deny can still succeed; one later points to a credential or call the deny does not cover): {}",
                    after.len(),
                    plan.group.actor_key,
                    actions(&after)
                ),
                event_ids: ids(&after),
            });
        }
    }
    for d in super::credentials::not_reached(&plan.derived, containment, deny_time) {
        let after: Vec<&Event> = super::credentials::used_after(
            &d.access_key_id,
            d.session_arn.as_deref(),
            derived,
            deny_time,
        )
        .collect();
        let session = d
            .session_arn
            .clone()
            .unwrap_or_else(|| d.access_key_id.clone());
        // The ISO 8601 time of STS's `expiration` (CloudTrail records it in a locale format);
        // the text as recorded when it does not parse.
        let expiry = match d.expiration.as_deref() {
            Some(text) => match super::credentials::expiration_time(text) {
                Some(t) => t.to_string(),
                None => format!("\"{text}\" (as recorded)"),
            },
            None => "an unknown time".into(),
        };
        let mut refused: Vec<&Event> = super::credentials::refused_after(
            &d.access_key_id,
            d.session_arn.as_deref(),
            derived,
            deny_time,
        )
        .collect();
        refused.sort_by(|a, b| a.time.cmp(&b.time).then(a.event_id.cmp(&b.event_id)));
        let mut evidence = vec![d.event_id.clone()];
        evidence.extend(ids(&after));
        // With no success after containment, the refused attempts are what the evidence shows
        // of its use: said with the first one cited, never as "no use".
        if after.is_empty() {
            evidence.extend(refused.first().map(|e| e.event_id.clone()));
        }
        out.push(Finding {
            kind: FindingKind::UncoveredSession,
            severity: if after.is_empty() { "medium" } else { "high" },
            summary: if deny_time.is_none() {
                // No deny on the actor in the evidence: nothing "before containment" to say.
                format!(
                    "{session} ({}, issued {}) keeps its role's permissions until {expiry}, and no containment of it is in the evidence; {} call(s) succeeded with it{}",
                    d.action,
                    d.time,
                    after.len(),
                    if after.is_empty() { String::new() } else { format!(" ({})", actions(&after)) }
                )
            } else if after.is_empty() && !refused.is_empty() {
                format!(
                    "{session} ({}, issued {}) was obtained before containment and keeps its role's permissions until {expiry}; no call with it succeeded after containment: {} attempt(s) were refused (first: eventID {})",
                    d.action,
                    d.time,
                    refused.len(),
                    refused[0].event_id
                )
            } else if after.is_empty() {
                format!("{session} ({}, issued {}) was obtained before containment and keeps its role's permissions until {expiry}; no use after containment is in the evidence", d.action, d.time)
            } else {
                format!(
                    "{session} ({}, issued {}) was obtained before containment and kept working: {} call(s) succeeded after it ({}); issued to expire at {expiry}",
                    d.action,
                    d.time,
                    after.len(),
                    actions(&after)
                )
            },
            event_ids: evidence,
        });
    }
    if containment.iter().all(|c| {
        matches!(
            c.kind,
            ContainmentKind::Notification | ContainmentKind::Other
        )
    }) {
        out.push(Finding {
            kind: FindingKind::NoContainment,
            severity: "high",
            summary: format!(
                "no call by {who} contained {} in the evidence",
                plan.group.actor_key
            ),
            event_ids: Vec::new(),
        });
    }
    for c in containment.iter().filter(|c| c.outcome != "success") {
        let benign = c.outcome.contains("NoSuchEntity");
        out.push(Finding {
            kind: FindingKind::ContainmentStepFailed,
            severity: if benign { "info" } else { "high" },
            summary: if benign {
                format!(
                    "{} ({}) found nothing to remove: {}",
                    c.action,
                    c.kind.describe(),
                    c.outcome
                )
            } else {
                format!("{} ({}) failed: {}", c.action, c.kind.describe(), c.outcome)
            },
            event_ids: vec![c.event_id.clone()],
        });
    }
    if m.first_access.is_some()
        && m.flow1_alarm.is_none()
        && flows.detection_history().next().is_some()
    {
        out.push(Finding {
            kind: FindingKind::AccessWithoutAlarm,
            severity: "medium",
            summary: "flow 1: the detection alarm's history shows no ALARM after this access"
                .into(),
            event_ids: Vec::new(),
        });
    }
    let mine: Vec<&Event> = own.iter().chain(derived.iter()).copied().collect();
    out.extend(pipeline_findings::findings(&mine, classifier, Whose::Actor));
    out
}

/// The calls among `events` that changed the monitoring pipeline, and those that tried and
/// failed (by `RecordView::failure`, the one rule of success and failure); the kill-switch's
/// own calls are neither.
/// An alarm's transitions to ALARM each their own finding up to this many; past it, one.
const EACH_ALARM_UP_TO: usize = 5;
/// Past this many alarms with such transitions, one finding for all of them.
const ALARMS_UP_TO: usize = 10;
/// A combined finding cites this many history items and counts the rest.
const CITED_ITEMS: usize = 10;

/// `shown` (the first of `total` names) joined by commas, and how many more: "a, b and 3 more".
pub(in crate::correlate) fn first_and_more(
    total: usize,
    shown: impl Iterator<Item = impl AsRef<str>>,
) -> String {
    let mut n = 0;
    let mut s = String::new();
    for name in shown {
        if n > 0 {
            s.push_str(", ");
        }
        s.push_str(name.as_ref());
        n += 1;
    }
    if total > n {
        s.push_str(&format!(" and {} more", total - n));
    }
    s
}

/// The alarm transitions to ALARM that no honeytoken read explains: each its own finding, or,
/// for a flapping alarm (one a minute for a day is 1,440) or thousands of alarms, one finding
/// per alarm or for all that counts them, names the first and last and cites the first ten.
/// `items` in order, each its own finding (`each`), except that the items sharing a `key` with
/// more than `up_to` others become one finding (`all`, given them in order) where the first of
/// them was: a flapping alarm or a loop of kill-switch runs is one finding, not thousands.
pub(in crate::correlate) fn each_or_combined<T, K: Eq + std::hash::Hash>(
    items: &[T],
    key: impl Fn(&T) -> K,
    up_to: usize,
    each: impl Fn(&T) -> Finding,
    all: impl Fn(&[&T]) -> Finding,
) -> Vec<Finding> {
    let mut groups: HashMap<K, Vec<&T>> = HashMap::new();
    for item in items {
        groups.entry(key(item)).or_default().push(item);
    }
    let mut out = Vec::new();
    for item in items {
        let group = &groups[&key(item)];
        if group.len() <= up_to {
            out.push(each(item));
        } else if std::ptr::eq(group[0], item) {
            out.push(all(group));
        }
    }
    out
}

fn alarms_without_access(items: &[&AlarmHistoryItem], window_ms: i64) -> Vec<Finding> {
    let id = |h: &AlarmHistoryItem| h.id();
    let minutes = window_ms / 60_000;
    let combined = |what: String, list: &[&&AlarmHistoryItem]| {
        Finding {
        kind: FindingKind::AlarmWithoutAccess,
        severity: "medium",
        summary: format!(
            "{what} entered ALARM {} times from {} to {} with no honeytoken read in the {minutes} minutes before each (the first {} cited; every one in the timeline)",
            list.len(),
            list[0].time,
            list[list.len() - 1].time,
            list.len().min(CITED_ITEMS)
        ),
        event_ids: list.iter().take(CITED_ITEMS).map(|h| id(h)).collect(),
    }
    };
    let alarms: HashSet<&str> = items.iter().map(|h| h.alarm_name.as_str()).collect();
    if alarms.len() > ALARMS_UP_TO {
        let mut all: Vec<&&AlarmHistoryItem> = items.iter().collect();
        all.sort_by_key(|h| h.time);
        return vec![combined(format!("{} detection alarms", alarms.len()), &all)];
    }
    each_or_combined(
        items,
        |h| h.alarm_name.as_str(),
        EACH_ALARM_UP_TO,
        |h| {
            Finding {
            kind: FindingKind::AlarmWithoutAccess,
            severity: "medium",
            summary: format!("alarm {} entered ALARM at {} with no honeytoken read in the {minutes} minutes before it", h.alarm_name, h.time),
            event_ids: vec![id(h)],
        }
        },
        |list| combined(format!("alarm {}", list[0].alarm_name), list),
    )
}

/// Findings about the case as a whole: alarms without an access, pipeline changes by others,
/// evidence gaps.
pub fn case_findings(
    incidents: &[Incident],
    index: &EventIndex<'_>,
    classifier: &Classifier,
    flows: &Flows<'_>,
    evidence: &ConfigEvidence,
    gaps: &[Gap],
    window_ms: i64,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut reads: Vec<Timestamp> = incidents
        .iter()
        .flat_map(|i| i.access_records.iter())
        .filter_map(|c| index.at(c.origin).map(|e| e.time))
        .collect();
    reads.sort_unstable();
    let unexplained: Vec<&AlarmHistoryItem> = flows
        .detection_history()
        .filter(|h| h.item_type == "StateUpdate" && h.new_state.as_deref() == Some("ALARM"))
        .filter(|h| {
            // The last read at or before the alarm explains it if any read does.
            let upto = reads.partition_point(|t| *t <= h.time);
            !(upto > 0 && h.time.millis() - reads[upto - 1].millis() <= window_ms)
        })
        .collect();
    out.extend(alarms_without_access(&unexplained, window_ms));
    let actor_events: HashSet<Origin> = incidents
        .iter()
        .flat_map(|i| i.origins.iter().copied())
        .collect();
    let others: Vec<&Event> = index
        .events()
        .iter()
        .filter(|e| !actor_events.contains(&e.origin))
        .collect();
    // With no incident there is no actor: the calls are everyone's, not "other principals'".
    let whose = if incidents.is_empty() {
        Whose::Anyone
    } else {
        Whose::Others
    };
    out.extend(pipeline_findings::findings(&others, classifier, whose));
    for shared in index.shared_identifiers() {
        let n = shared.arns.len();
        let shown: Vec<&str> = shared.arns.iter().take(3).copied().collect();
        out.push(Finding {
            kind: FindingKind::SharedIdentifier,
            severity: "medium",
            summary: format!(
                "{} {} appears under {n} different ARNs ({}{}): CloudTrail gives each principal its own, so some of these records were forged or altered; a principal id or access key links a record to an incident's actor only when the record names no ARN",
                shared.what,
                shared.value,
                shown.join(", "),
                if n > shown.len() { ", ..." } else { "" }
            ),
            event_ids: shared.event_ids.iter().map(|s| s.to_string()).collect(),
        });
    }
    if !gaps.is_empty() {
        out.push(Finding {
            kind: FindingKind::EvidenceGaps,
            severity: "medium",
            summary: format!(
                "{} evidence gap(s): some evidence could not be read (see gaps)",
                gaps.len()
            ),
            event_ids: Vec::new(),
        });
    }
    if evidence.alarm_history.is_empty() && !incidents.is_empty() {
        out.push(Finding {
            kind: FindingKind::EvidenceGaps,
            severity: "info",
            summary: "no alarm history in the evidence: flow 1 cannot be timed (collect describe-alarm-history first: its retention is short)".into(),
            event_ids: Vec::new(),
        });
    }
    out
}

/// A failing or unreadable check in a `trailcase posture` result of the case.
pub fn posture_findings(evidence: &ConfigEvidence) -> Vec<Finding> {
    use crate::model::PostureStatus;
    let Some(p) = evidence.posture.last() else {
        return Vec::new();
    };
    let bad: Vec<String> = p
        .checks
        .iter()
        .filter(|c| c.status != PostureStatus::Pass)
        .map(|c| {
            format!(
                "{} in {}: {}: {}",
                c.status.as_str(),
                c.region,
                c.named(),
                c.reason
            )
        })
        .collect();
    if bad.is_empty() {
        return Vec::new();
    }
    vec![Finding {
        kind: FindingKind::PostureCheckFailed,
        severity: "medium",
        summary: format!(
            "The pipeline's posture checked at {} has {} check(s) not passing: {}",
            p.checked_at,
            bad.len(),
            bad.join("; ")
        ),
        event_ids: vec![format!("posture:{}", p.checked_at)],
    }]
}
