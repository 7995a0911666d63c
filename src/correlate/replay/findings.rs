//! Replay findings: accesses a flow's own rule would miss (incident findings) and matches that are
//! not honeytoken accesses, which the flow would page on (case findings).

use crate::model::{Finding, FindingKind, FlowKind, FlowReplay, Incident, Replay};

fn flow_name(f: &FlowReplay) -> String {
    match f.flow {
        FlowKind::MetricFilter => format!("flow 1 (metric filter {})", f.resource),
        FlowKind::EventRule => format!("flow 2 (EventBridge rule {})", f.resource),
    }
}

/// Add the replay's findings to the incidents they concern and to the case findings.
pub fn add_findings(replay: &Replay, incidents: &mut [Incident], case: &mut Vec<Finding>) {
    for f in replay
        .flows
        .iter()
        .filter(|f| f.error.is_none() || (f.flow == FlowKind::MetricFilter && f.matches > 0))
    {
        let mut by_incident: std::collections::HashMap<&str, Vec<&crate::model::AccessReplay>> =
            std::collections::HashMap::new();
        for a in &f.accesses {
            by_incident.entry(a.incident.as_str()).or_default().push(a);
        }
        for inc in incidents.iter_mut() {
            let Some(mine) = by_incident.get(inc.id.as_str()) else {
                continue;
            };
            let missed: Vec<String> = mine
                .iter()
                .filter(|a| !a.matched)
                .map(|a| a.event_id.clone())
                .collect();
            if !missed.is_empty() {
                let all = missed.len() == mine.len();
                inc.findings.push(Finding {
                    kind: FindingKind::AccessMissedByFlow,
                    severity: if all { "high" } else { "medium" },
                    summary: format!(
                        "{}: its pattern does not match {} of the {} honeytoken access(es){}",
                        flow_name(f),
                        missed.len(),
                        mine.len(),
                        if all {
                            ": this flow would not have fired for the incident"
                        } else {
                            ""
                        }
                    ),
                    event_ids: missed,
                });
            }
            let silent: Vec<String> = mine
                .iter()
                .filter(|a| a.matched && a.predicted.is_none() && f.error.is_none())
                .filter(|_| f.flow == FlowKind::MetricFilter)
                .map(|a| a.event_id.clone())
                .collect();
            if !silent.is_empty() {
                inc.findings.push(Finding {
                    kind: FindingKind::AccessMissedByFlow,
                    severity: "high",
                    summary: format!(
                        "{}: the filter matches {} access(es), but alarm {} would not enter ALARM for them",
                        flow_name(f),
                        silent.len(),
                        f.alarm.as_deref().unwrap_or_default()
                    ),
                    event_ids: silent,
                });
            }
        }
        if f.noise_count > 0 {
            let sample: Vec<String> = f
                .noise_examples
                .iter()
                .take(10)
                .map(|m| m.event_id.clone())
                .collect();
            let what = f
                .noise_examples
                .first()
                .map(|m| format!(", e.g. {} by {} on {}", m.action, m.actor, m.target))
                .unwrap_or_default();
            let pages = match f.flow {
                FlowKind::MetricFilter => format!("{} ALARM transition(s)", f.predicted_pages),
                FlowKind::EventRule => format!("{} notification(s)", f.predicted_pages),
            };
            case.push(Finding {
                kind: FindingKind::FlowNoise,
                severity: "medium",
                summary: format!(
                    "{} also matches {} event(s) that are not honeytoken accesses{what}; over the evidence it would send {pages}",
                    flow_name(f),
                    f.noise_count
                ),
                event_ids: sample,
            });
        }
    }
}
