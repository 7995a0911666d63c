//! Each incident's milestone table: when each key moment happened, how long after the first
//! honeytoken access (T; named "(refused)" when the calls at T were refused, with the first
//! successful read a row of its own), and the records it rests on, cited whole (CloudTrail eventIDs; alarm history items by
//! alarm name, item type and timestamp; rule metric datapoints by metric and minute), or
//! "unknown" where the evidence holds none. Pure: reads the timeline.

use super::fmt;
use crate::model::{EntryKind, Incident, Timeline, TimelineEntry, Timestamp};
use crate::report::{Block, Cell, Column, Table};

/// One milestone: its name, its time, where such evidence comes from, what it cites.
pub struct Milestone {
    pub name: &'static str,
    pub time: Option<Timestamp>,
    /// What its citations are (`CloudTrail`, `CloudTrail (kill-switch)`, `AWS/Events metric`,
    /// `alarm history`): only what `cites` holds, or where such evidence would come from when
    /// it cites nothing.
    pub source: &'static str,
    /// The records it rests on, each a whole searchable token or a few space-separated ones.
    pub cites: Vec<String>,
}

/// How a timeline row is cited: its eventID for CloudTrail; `alarm <name> <item type> <time>`
/// for an alarm history item; `metric <series> <minute>` for a rule metric datapoint, built
/// from the row's own fields (its series label, its minute) and never split back out of its
/// row id (`metric:<series>:<minute>`): a series label may hold ':' (an ARN), and the minute
/// always does. The minute is the citation's last word.
pub fn cite(e: &TimelineEntry) -> String {
    match e.kind {
        EntryKind::Alarm => format!(
            "alarm {} {} {}",
            e.actor,
            e.action.rsplit(':').next().unwrap_or_default(),
            e.time
        ),
        EntryKind::RuleTriggered | EntryKind::RuleInvocationFailed => format!(
            "metric {} {}",
            e.action.strip_prefix("AWS/Events:").unwrap_or(&e.action),
            e.time
        ),
        _ => e.event_id.clone(),
    }
}

/// What flow 2's milestone cites: the rule's metric minute, the kill-switch's call, both, or
/// (citing nothing) where either would come from.
fn flow2_source(cites: &[String]) -> &'static str {
    let metric = cites.iter().any(|c| c.starts_with("metric "));
    let call = cites.iter().any(|c| !c.starts_with("metric "));
    match (metric, call) {
        (true, true) => "AWS/Events metric, CloudTrail (kill-switch)",
        (true, false) => "AWS/Events metric",
        (false, true) => "CloudTrail (kill-switch)",
        (false, false) => "AWS/Events metric or kill-switch",
    }
}

/// The incident's milestones, in time order (unknown ones last).
pub fn milestones(t: &Timeline, i: &Incident) -> Vec<Milestone> {
    let m = &i.milestones;
    let ours = |e: &&TimelineEntry| e.incidents.contains(&i.id);
    let actor_row = |e: &&TimelineEntry| {
        matches!(
            e.kind,
            EntryKind::ActorActivity
                | EntryKind::ActorDenied
                | EntryKind::ActorFailed
                | EntryKind::CredentialIssued
                | EntryKind::HoneytokenAccess
        )
    };
    let succeeded = |e: &TimelineEntry| t.event_at(e.origin()).map(|ev| ev.succeeded());
    let denied = |e: &TimelineEntry| t.event_at(e.origin()).is_some_and(|ev| ev.denied());
    let at = |time: Option<Timestamp>, keep: &dyn Fn(&TimelineEntry) -> bool| -> Vec<String> {
        let Some(time) = time else {
            return Vec::new();
        };
        t.entries
            .iter()
            .filter(|e| e.time == time && keep(e))
            .map(cite)
            .collect()
    };
    let containment_at = |time: Option<Timestamp>| -> Vec<String> {
        i.containment
            .iter()
            .filter(|c| Some(c.time) == time)
            .map(|c| c.event_id.clone())
            .collect()
    };
    let flow2 = {
        // The metric minute holding the trigger, then the kill-switch call at that moment.
        let mut cites: Vec<String> = match m.flow2_triggered {
            Some(time) => t
                .entries
                .iter()
                .filter(|e| e.kind == EntryKind::RuleTriggered)
                .filter(|e| e.time <= time && time.millis() < e.time.millis() + 60_000)
                .map(cite)
                .collect(),
            None => Vec::new(),
        };
        cites.extend(containment_at(m.flow2_triggered));
        cites
    };
    let first = first_access(t, i);
    let mut rows = vec![
        Milestone {
            name: "First activity by the actor in the evidence",
            time: m.first_actor_activity,
            source: "CloudTrail",
            cites: at(m.first_actor_activity, &|e| ours(&e) && actor_row(&e)),
        },
        Milestone {
            name: first.name,
            time: m.first_access,
            source: "CloudTrail",
            cites: at(m.first_access, &|e| {
                e.kind == EntryKind::HoneytokenAccess && i.access_event_ids.contains(&e.event_id)
            }),
        },
        Milestone {
            name: "Flow 2: EventBridge rule triggered",
            time: m.flow2_triggered,
            source: flow2_source(&flow2),
            cites: flow2,
        },
        Milestone {
            name: "Containment started",
            time: m.containment_start,
            source: "CloudTrail (kill-switch)",
            cites: containment_at(m.containment_start),
        },
        Milestone {
            // The kill-switch's calls, not the actor: a partially contained actor kept a
            // credential they did not reach.
            name: "Kill-switch's containment calls complete",
            time: m.containment_complete,
            source: "CloudTrail (kill-switch)",
            cites: containment_at(m.containment_complete),
        },
        Milestone {
            name: "First denied attempt after containment",
            time: m.first_denied_after_containment,
            source: "CloudTrail",
            cites: at(m.first_denied_after_containment, &|e| {
                ours(&e) && actor_row(&e) && denied(e)
            }),
        },
        Milestone {
            name: "Flow 1: alarm entered ALARM",
            time: m.flow1_alarm,
            source: "alarm history",
            cites: at(m.flow1_alarm, &|e| {
                e.kind == EntryKind::Alarm && e.outcome.ends_with("-> ALARM")
            }),
        },
        Milestone {
            name: "Flow 1: SNS notification sent",
            time: m.flow1_notification,
            source: "alarm history",
            cites: at(m.flow1_notification, &|e| {
                e.kind == EntryKind::Alarm && e.action.ends_with(":Action")
            }),
        },
        Milestone {
            name: "Last successful call by the actor",
            time: m.last_actor_success,
            source: "CloudTrail",
            cites: at(m.last_actor_success, &|e| {
                ours(&e) && actor_row(&e) && succeeded(e) == Some(true)
            }),
        },
    ];
    if first.refused && first.first_success.is_some() {
        // T is a refused call: when the value was first returned is a moment of its own.
        rows.push(Milestone {
            name: "First successful honeytoken read",
            time: first.first_success,
            source: "CloudTrail",
            cites: at(first.first_success, &|e| {
                e.kind == EntryKind::HoneytokenAccess
                    && i.access_event_ids.contains(&e.event_id)
                    && succeeded(e) == Some(true)
            }),
        });
    }
    for r in &mut rows {
        r.cites.sort();
        r.cites.dedup();
    }
    rows.sort_by_key(|r| r.time.map_or(i64::MAX, |t| t.millis()));
    rows
}

/// What the first honeytoken access (`milestones.first_access`, T) was: a refused call counts as
/// an access, so the row and T are named for what the records at that moment show.
pub(super) struct FirstAccess {
    pub name: &'static str,
    /// The same in a few words, for labels: `first read`, `first access (refused)`, `first
    /// access (outcome unknown)`.
    pub short: &'static str,
    /// Every honeytoken call at T was refused (AccessDenied or another error).
    pub refused: bool,
    /// Of those, one failed with an error no access check gives (`ResourceNotFoundException`):
    /// T is named a failed access, not a refused one.
    pub failed: bool,
    /// The first honeytoken call that succeeded, if any.
    pub first_success: Option<Timestamp>,
    /// How the calls at T ended when every one failed, in `model::failures`' words: `was
    /// refused`, `failed (ResourceNotFoundException)`, `was refused or failed: 1 refused
    /// (AccessDenied), 1 failed (…)`; empty otherwise.
    pub failed_words: String,
}

impl FirstAccess {
    /// T in a sentence that times something from it ("29 s after the read"): `the read`; `the
    /// attempt` when it was refused and no later read succeeded, `the first, refused attempt` (or
    /// `failed`, by its code)
    /// when one did; `the first access` when its outcome is unknown.
    pub fn noun(&self) -> &'static str {
        match (self.refused, self.first_success, self.short) {
            (true, Some(_), _) if self.failed => "the first, failed attempt",
            (true, Some(_), _) => "the first, refused attempt",
            (true, None, _) => "the attempt",
            (false, _, "first read") => "the read",
            _ => "the first access",
        }
    }
}

pub(super) fn first_access(t: &Timeline, i: &Incident) -> FirstAccess {
    let accesses = t.entries.iter().filter(|e| {
        e.kind == EntryKind::HoneytokenAccess && i.access_event_ids.contains(&e.event_id)
    });
    let mut at_t_codes: Vec<String> = Vec::new();
    let mut at_t_refusals = 0;
    let reads: Vec<(Timestamp, Option<bool>, bool)> = accesses
        .map(|e| {
            let event = t.event_at(e.origin());
            if Some(e.time) == i.milestones.first_access {
                if let Some(code) = event.and_then(|ev| ev.error_code.as_deref()) {
                    if crate::model::refusal_code(code) {
                        at_t_refusals += 1;
                    }
                    if !at_t_codes.iter().any(|c| c == code) {
                        at_t_codes.push(code.to_string());
                    }
                }
            }
            // An error that is no access check's (ResourceNotFoundException): failed, not refused.
            let not_refusal = event
                .and_then(|ev| ev.error_code.as_deref())
                .is_some_and(|c| !crate::model::refusal_code(c));
            (e.time, event.map(|ev| ev.succeeded()), not_refusal)
        })
        .collect();
    let at_first: Vec<(Option<bool>, bool)> = reads
        .iter()
        .filter(|(time, _, _)| Some(*time) == i.milestones.first_access)
        .map(|(_, ok, other)| (*ok, *other))
        .collect();
    let refused = !at_first.is_empty() && at_first.iter().all(|(ok, _)| *ok == Some(false));
    let failed = refused && at_first.iter().any(|(_, other)| *other);
    let failed_words = if refused {
        match crate::model::failures(at_first.len(), at_t_refusals, &at_t_codes) {
            crate::model::Failures::Refused => "was refused".to_string(),
            crate::model::Failures::Failed(codes) => format!("failed ({codes})"),
            crate::model::Failures::Mixed(split) => format!("was refused or failed: {split}"),
        }
    } else {
        String::new()
    };
    let at_first: Vec<Option<bool>> = at_first.into_iter().map(|(ok, _)| ok).collect();
    let (name, short) = if failed {
        ("First honeytoken access (failed)", "first access (failed)")
    } else if refused {
        (
            "First honeytoken access (refused)",
            "first access (refused)",
        )
    } else if at_first.contains(&Some(true)) {
        ("First honeytoken read", "first read")
    } else {
        (
            "First honeytoken access (outcome unknown)",
            "first access (outcome unknown)",
        )
    };
    FirstAccess {
        name,
        short,
        refused,
        failed,
        first_success: reads
            .iter()
            .filter(|(_, ok, _)| *ok == Some(true))
            .map(|(time, _, _)| *time)
            .min(),
        failed_words,
    }
}

/// The milestone table of one incident.
pub fn table(t: &Timeline, i: &Incident) -> Block {
    let m = &i.milestones;
    let first = first_access(t, i);
    let refused = first.refused;
    let since = |x: Option<Timestamp>| match (m.first_access, x) {
        (Some(a), Some(b)) => fmt::offset(a.seconds_until(b)),
        _ => String::new(),
    };
    Block::Table(Table {
        columns: vec![
            Column::new("Milestone", 2.4),
            Column::new("Time (UTC)", 2.0),
            Column::right(
                if refused {
                    "After first access (T)"
                } else {
                    "After first read (T)"
                },
                1.2,
            ),
            Column::new("Source", 1.5),
            Column::new("Rests on (eventID, alarm history item, metric)", 3.3),
        ],
        rows: milestones(t, i)
            .into_iter()
            .map(|r| {
                vec![
                    Cell::text(r.name),
                    match r.time {
                        Some(t) => Cell::mono(fmt::time(t)),
                        None => Cell::alert("unknown"),
                    },
                    Cell::text(since(r.time)),
                    Cell::text(r.source),
                    match (r.time, r.cites.is_empty()) {
                        // An alarm went to ALARM, but the evidence links none to the
                        // honeytoken: there is a record, not one that shows flow 1.
                        (None, _)
                            if r.name.starts_with("Flow 1")
                                && !m.flow1_unlinked_alarms.is_empty() =>
                        {
                            Cell::alert(if m.flow1_linked_now.is_empty() {
                                "unknown: no alarm in the evidence is linked to the honeytoken"
                            } else {
                                "unknown: no alarm is shown linked to the honeytoken at the first access (one is now)"
                            })
                        }
                        // The kill-switch's rows: its calls may be there under a caller the
                        // configuration does not name (the unknowns say what the evidence holds).
                        (None, _) if r.source == "CloudTrail (kill-switch)" => Cell::alert(
                            "unknown: no configured kill-switch call",
                        ),
                        (None, _) => Cell::alert("unknown: no record in the evidence"),
                        (Some(_), true) => Cell::alert("unknown: no single record identified"),
                        (Some(_), false) => Cell::mono(r.cites.join("\n")),
                    },
                ]
            })
            .collect(),
        caption: caption(
            m.first_access,
            &first,
            m.flow2_evidence.as_deref(),
            m.flow1_alarm_basis.as_deref(),
            resolution_note(m.first_access, &[m.flow1_alarm, m.flow1_notification]),
        ),
    })
}

/// When T is to the second (CloudTrail's eventTime) and a time measured from it has
/// milliseconds (the alarm history's), the offset is exact only to within a second: said, with
/// the offsets it concerns. `None` otherwise.
pub fn resolution_note(
    first_access: Option<Timestamp>,
    finer: &[Option<Timestamp>],
) -> Option<String> {
    let t = first_access.filter(|t| t.millis() % 1000 == 0)?;
    let offsets: Vec<String> = finer
        .iter()
        .flatten()
        .filter(|x| x.millis() % 1000 != 0)
        .map(|x| fmt::offset(t.seconds_until(*x)))
        .collect();
    (!offsets.is_empty()).then(|| {
        format!(
            "T is CloudTrail's eventTime, recorded to the second, and the alarm history's times have milliseconds: an offset between them ({}) is exact only to within a second.",
            offsets.join(", ")
        )
    })
}

/// What T is, and where flow 2's time comes from.
fn caption(
    first_access: Option<Timestamp>,
    first: &FirstAccess,
    flow2: Option<&str>,
    flow1_basis: Option<&str>,
    resolution: Option<String>,
) -> Option<String> {
    let what = if first.failed {
        "the first honeytoken access, a call that failed with an error no access check gives (the error is in the evidence table)"
    } else if first.refused {
        "the first honeytoken access, a refused call"
    } else {
        "the first honeytoken read"
    };
    let t = first_access.map(|a| format!("T is {what}, {}.", fmt::time(a)));
    let f2 = flow2.map(|e| format!("Flow 2 timing: {e}."));
    let f1 = flow1_basis.map(|b| format!("Flow 1's alarm is linked to the honeytoken by: {b}."));
    let parts: Vec<String> = [t, resolution, f2, f1].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}
