//! Figures the report states, derived once from the timeline so that every section (prose,
//! charts, tables) says the same thing.

use super::fmt;
use crate::model::{
    ContainmentKind, Corroboration, EntryKind, Event, FindingKind, Incident, Timeline,
    TimelineEntry, Timestamp,
};
use serde_json::{json, Value};

/// What the report says about one incident.
pub struct IncidentFacts<'t> {
    pub incident: &'t Incident,
    pub reads: usize,
    pub denied_reads: usize,
    pub success_after: usize,
    pub uncovered_sessions: usize,
    pub session_calls: usize,
    pub denied_after: usize,
    pub failed_steps: usize,
    /// When the trail delivered the file holding the first read (from its name), if known.
    pub delivered: Option<Timestamp>,
}

impl<'t> IncidentFacts<'t> {
    pub fn new(t: &'t Timeline, incident: &'t Incident) -> Self {
        let entries: Vec<&TimelineEntry> = t
            .entries
            .iter()
            .filter(|e| e.incidents.contains(&incident.id))
            .collect();
        let reads: Vec<&&TimelineEntry> = entries
            .iter()
            .filter(|e| e.kind == EntryKind::HoneytokenAccess)
            .collect();
        let of = |k: FindingKind| incident.findings.iter().filter(move |f| f.kind == k);
        let success_after = of(FindingKind::SuccessAfterContainment)
            .map(|f| f.event_ids.len())
            .sum();
        let uncovered = of(FindingKind::UncoveredSession).count();
        let session_calls = of(FindingKind::UncoveredSession)
            .map(|f| f.event_ids.len().saturating_sub(1))
            .sum();
        let deny = incident.milestones.containment_start;
        let denied_after = entries
            .iter()
            .filter(|e| {
                crate::model::refusal_code(&e.outcome)
                    && !matches!(
                        e.kind,
                        EntryKind::Containment
                            | EntryKind::KillswitchResult
                            | EntryKind::NetworkActivity
                    )
                    && deny.is_some_and(|d| e.time >= d)
            })
            .count();
        let failed_steps = incident
            .containment
            .iter()
            .filter(|c| c.outcome != "success" && !c.outcome.contains("NoSuchEntity"))
            .count();
        let delivered = incident
            .access_records
            .first()
            .and_then(|c| t.event_at(c.origin))
            .and_then(|e| t.deliveries.get(&e.origin.input).copied());
        IncidentFacts {
            incident,
            reads: reads.len(),
            denied_reads: reads.iter().filter(|e| e.outcome != "success").count(),
            success_after,
            uncovered_sessions: uncovered,
            session_calls,
            denied_after,
            failed_steps,
            delivered,
        }
    }

    pub fn first_user_agent(&self, t: &Timeline) -> Option<String> {
        let copy = self.incident.access_records.first()?;
        t.event_at(copy.origin)
            .and_then(|e: &Event| e.user_agent.clone())
    }

    /// The template context for this incident.
    pub fn context(&self, t: &Timeline) -> Value {
        let i = self.incident;
        let m = &i.milestones;
        let l = &i.latency_seconds;
        let unknown = |prefix: &str| {
            i.unknowns
                .iter()
                .find(|u| u.starts_with(prefix))
                .map(|u| {
                    u.split_once(": ")
                        .map_or(u.as_str(), |(_, r)| r)
                        .to_string()
                })
                .unwrap_or_else(|| "not in the evidence".into())
        };
        let mut kinds: Vec<&str> = i
            .containment
            .iter()
            .filter(|c| {
                c.outcome == "success"
                    && !matches!(
                        c.kind,
                        ContainmentKind::Notification | ContainmentKind::Other
                    )
            })
            .map(|c| c.kind.describe())
            .collect();
        kinds.dedup();
        json!({
            "id": i.id,
            "actor": i.actor.arn,
            "actor_type": i.actor.kind,
            "honeytoken": i.honeytoken_name,
            // What a record of its read names: "which secret", "which object"...
            "which": super::bottom_line::which(&i.honeytoken_rule),
            "source_ips": i.actor.source_ips.join(", "),
            "user_agent": self.first_user_agent(t).map(|u| fmt::shorten(&u, 60)),
            "first_access": fmt::opt_time(m.first_access),
            // T as a sentence names it: "the read", or "the attempt" when it was refused.
            "t_noun": super::milestones::first_access(t, i).noun(),
            "reads": self.reads,
            "denied_reads": self.denied_reads,
            "flow1_alarm": m.flow1_alarm.map(fmt::time),
            "flow1_detect": l.flow1_detect.map(fmt::duration),
            "flow1_notify": m.first_access.zip(m.flow1_notification).map(|(a, b)| fmt::duration(a.seconds_until(b))),
            "flow1_unknown": unknown("flow1"),
            "flow2_detect": l.flow2_detect.map(fmt::duration),
            "flow2_unknown": unknown("flow2"),
            "flow1_examined": i.flow_examined(crate::model::FlowKind::MetricFilter),
            "flow2_examined": i.flow_examined(crate::model::FlowKind::EventRule),
            "key_deactivated": kinds.contains(&ContainmentKind::AccessKeyDeactivated.describe()),
            "keys_not_deactivated": i.long_term_keys().iter().filter(|k| k.active()).map(|k| k.key).collect::<Vec<_>>().join(", "),
            "contain": l.contain.map(fmt::duration),
            "containment_kinds": kinds.join(", "),
            "exposure": fmt::opt_duration(l.exposure),
            "exposure_open_ended": i.unknowns.iter().any(|u| u.starts_with("exposure: open-ended")),
            "status": i.containment_status.describe(),
            "live_credentials": i.live_credentials.iter().map(|c| json!({
                "key": c.access_key_id,
                "session": c.session_arn.as_deref().unwrap_or("a session the issuing call does not name"),
                "issued": fmt::time(c.issued_at),
                "expires": c.expires.map(fmt::time).unwrap_or_else(|| "an unknown time (not in the evidence)".into()),
            })).collect::<Vec<_>>(),
            "success_after": self.success_after,
            "uncovered_sessions": self.uncovered_sessions,
            "session_calls": self.session_calls,
            "last_actor_success": fmt::opt_time(m.last_actor_success),
            "denied_after": self.denied_after,
            "failed_steps": self.failed_steps,
            "killswitch": killswitch_facts(t, &i.id),
        })
    }
}

/// What the kill-switch's own results say about an incident, for the templates: its runs, the
/// first run's decision, and how many steps CloudTrail agrees with (confirmed, or nothing to
/// see) or not (missing, contradicted, or a call no step reports).
fn killswitch_facts(t: &Timeline, incident: &str) -> Value {
    let runs: Vec<_> = t
        .killswitch
        .iter()
        .filter(|r| r.incidents.iter().any(|i| i == incident))
        .collect();
    let steps = || runs.iter().flat_map(|r| r.steps.iter());
    let count = |c: Corroboration| steps().filter(|s| s.corroboration == c).count();
    let unreported: usize = runs.iter().map(|r| r.unreported_event_ids.len()).sum();
    json!({
        "runs": runs.len(),
        "decision": runs.first().map(|r| crate::model::decision_words(r.report.decision)),
        "dry_run": runs.iter().any(|r| r.report.dry_run),
        "steps": steps().count(),
        "agreeing": steps().filter(|s| !s.corroboration.is_mismatch()).count(),
        "mismatches": steps().filter(|s| s.corroboration.is_mismatch()).count() + unreported,
        "cross_check": cross_check(
            steps().count(),
            count(Corroboration::Confirmed),
            count(Corroboration::NotInCloudtrail),
            count(Corroboration::Contradicted) + unreported,
        ),
    })
}

/// What CloudTrail shows of the kill-switch's steps, in words: confirmed, changing nothing (no
/// call to look for), not in CloudTrail (which the trail may not cover: not a disagreement),
/// contradicted (with the calls no step reports).
fn cross_check(steps: usize, confirmed: usize, missing: usize, contradicted: usize) -> String {
    if missing == 0 && contradicted == 0 {
        // Every step is confirmed or reports no change (nothing to look for).
        let nothing = steps - confirmed;
        return if confirmed == steps {
            format!("CloudTrail bears out all {steps} of its steps")
        } else if confirmed == 0 {
            format!("none of its {steps} steps reports a change, and CloudTrail shows none")
        } else {
            format!("CloudTrail bears out {confirmed} of its {steps} steps; the other {nothing} report no change, and CloudTrail shows none")
        };
    }
    let mut parts = Vec::new();
    if contradicted > 0 {
        parts.push(format!(
            "CloudTrail contradicts it on {contradicted} point(s)"
        ));
    }
    if missing > 0 {
        parts.push(format!(
            "{missing} of its {steps} steps changed something CloudTrail does not show by the configured kill-switch, perhaps because the trail does not cover the calls or the configuration does not name its caller"
        ));
    }
    format!("{} (see the kill-switch evidence)", parts.join("; "))
}

/// The incident window: first actor activity to the last incident row.
pub fn incident_window(t: &Timeline) -> Option<(Timestamp, Timestamp)> {
    let mut lo = None::<Timestamp>;
    let mut hi = None::<Timestamp>;
    for e in t.entries.iter().filter(|e| !e.incidents.is_empty()) {
        lo = Some(lo.map_or(e.time, |l| l.min(e.time)));
        hi = Some(hi.map_or(e.time, |h| h.max(e.time)));
    }
    for i in &t.incidents {
        for m in [
            i.milestones.flow1_alarm,
            i.milestones.flow1_notification,
            i.milestones.flow2_triggered,
        ]
        .into_iter()
        .flatten()
        {
            hi = Some(hi.map_or(m, |h| h.max(m)));
        }
    }
    Some((lo?, hi?))
}
