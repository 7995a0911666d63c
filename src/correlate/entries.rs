//! Timeline rows: the records that matter to the incidents, the alarm transitions and the rule
//! metrics, in one total order.

use super::detection::Flows;
use super::index::EventIndex;
use crate::classify::{is_credential_issue, is_iam_change, is_insight, Classifier};
use crate::model::{
    ConfigEvidence, EntryKind, Incident, KillSwitchRun, Origin, TimelineEntry, Timestamp,
};
use crate::parse::RecordView;
use std::collections::HashMap;

const PAD_MS: i64 = 15 * 60_000;

/// The incidents' time windows, merged into sorted disjoint intervals (milliseconds, inclusive).
struct Windows(Vec<(i64, i64)>);

impl Windows {
    fn merge(mut w: Vec<(i64, i64)>) -> Windows {
        w.sort_unstable();
        let mut out: Vec<(i64, i64)> = Vec::with_capacity(w.len());
        for (a, b) in w {
            match out.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        Windows(out)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn contains(&self, t: i64) -> bool {
        let n = self.0.partition_point(|(a, _)| *a <= t);
        n > 0 && t <= self.0[n - 1].1
    }
}

pub fn build(
    incidents: &[Incident],
    index: &EventIndex<'_>,
    classifier: &Classifier,
    evidence: &ConfigEvidence,
    flows: &Flows<'_>,
) -> Vec<TimelineEntry> {
    // By where the record was read: conflicting copies of one eventID belong to the incidents
    // that rest on each.
    let mut owner: HashMap<Origin, Vec<String>> = HashMap::new();
    let mut windows: Vec<(i64, i64)> = Vec::new();
    for inc in incidents {
        for o in &inc.origins {
            owner.entry(*o).or_default().push(inc.id.clone());
        }
        let times: Vec<Timestamp> = inc
            .origins
            .iter()
            .filter_map(|o| index.at(*o))
            .map(|e| e.time)
            .collect();
        if let (Some(a), Some(b)) = (times.iter().min(), times.iter().max()) {
            windows.push((a.millis() - PAD_MS, b.millis() + PAD_MS));
        }
    }
    let windows = Windows::merge(windows);
    // Another account's delivery of a call an incident counts under another record: its row
    // says which, so that a reader counting rows counts the call once.
    let counted_as: HashMap<&str, &str> = incidents
        .iter()
        .flat_map(|i| &i.deliveries)
        .map(|d| (d.event_id.as_str(), d.counted_as.as_str()))
        .collect();
    // A call of no incident delivered twice: its later delivery's row says so too, by the same
    // rule (`--all` marks the same rows).
    let others = super::deliveries::later_deliveries(index.events());
    let read_by_decrypt: std::collections::HashSet<Origin> = incidents
        .iter()
        .flat_map(|i| &i.access_records)
        .filter(|r| {
            index
                .at(r.origin)
                .is_some_and(|e| e.event_source == "kms.amazonaws.com")
        })
        .map(|r| r.origin)
        .collect();
    let in_window = |t: Timestamp| windows.is_empty() || windows.contains(t.millis());
    let mut rows = Vec::new();
    for e in index.events() {
        let Ok(view) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        let incidents_of = owner.get(&e.origin).cloned().unwrap_or_default();
        // S3's Decrypt that an incident counts as its read (known only from it) is a read row.
        let kind = if classifier.honeytoken(&view).is_some_and(|h| h.read)
            || read_by_decrypt.contains(&e.origin)
        {
            EntryKind::HoneytokenAccess
        } else if classifier.is_killswitch(&view) {
            EntryKind::Containment
        } else if e.passed_endpoint() {
            // The actor's, or one on the pipeline or a honeytoken: shown for what it is.
            if incidents_of.is_empty()
                && !classifier.is_pipeline_call(&view)
                && classifier.honeytoken(&view).is_none()
            {
                continue;
            }
            EntryKind::NetworkActivity
        } else if !incidents_of.is_empty() && is_credential_issue(&view) {
            EntryKind::CredentialIssued
        } else if !incidents_of.is_empty() {
            if e.succeeded() {
                EntryKind::ActorActivity
            } else if e.denied() {
                EntryKind::ActorDenied
            } else {
                EntryKind::ActorFailed
            }
        } else if let Some(kind) = classifier.monitoring_kind(&view) {
            kind
        } else if is_insight(&view) {
            EntryKind::Insight
        } else if is_iam_change(&view) {
            if !in_window(e.time) {
                continue;
            }
            EntryKind::IamChange
        } else if classifier.honeytoken(&view).is_some() {
            EntryKind::Other
        } else {
            continue;
        };
        let mut row = TimelineEntry::from_event(e, kind, incidents_of);
        let counted = if row.incidents.is_empty() {
            others.get(e.event_id.as_str())
        } else {
            counted_as.get(e.event_id.as_str())
        };
        if let Some(counted) = counted {
            row.counted_as = (*counted).to_string();
        }
        rows.push(row);
    }
    // Which incidents cite each alarm history item, looked up once per item.
    let mut citing: HashMap<&str, Vec<String>> = HashMap::new();
    for i in incidents {
        for a in &i.alarm_evidence {
            let ids = citing.entry(a.as_str()).or_default();
            if ids.last() != Some(&i.id) {
                ids.push(i.id.clone());
            }
        }
    }
    for h in &evidence.alarm_history {
        let detection = flows.is_alarm(&h.alarm_name);
        if !detection && !in_window(h.time) {
            continue;
        }
        let outcome = match (&h.old_state, &h.new_state, &h.action_state) {
            (Some(a), Some(b), _) => format!("{a} -> {b}"),
            (_, _, Some(s)) => s.clone(),
            _ => h.summary.clone(),
        };
        let event_id = h.id();
        rows.push(TimelineEntry {
            time: h.time,
            event_id: event_id.clone(),
            source: "alarm-history".into(),
            actor: h.alarm_name.clone(),
            actor_type: "CloudWatchAlarm".into(),
            action: format!("cloudwatch:{}", h.item_type),
            target: h.action_arn.clone().unwrap_or_else(|| h.alarm_name.clone()),
            outcome,
            source_ip: String::new(),
            user_agent: String::new(),
            region: String::new(),
            kind: EntryKind::Alarm,
            incidents: citing.get(event_id.as_str()).cloned().unwrap_or_default(),
            input: h.origin.input,
            index: h.origin.index,
            tie: false,
            counted_as: String::new(),
        });
    }
    for m in &evidence.metrics {
        let label = if m.label.is_empty() { &m.id } else { &m.label };
        let l = label.to_ascii_lowercase();
        if !(l.contains("triggered") || l.contains("failedinvocations")) {
            continue;
        }
        // Only a series naming a flow-2 rule is that rule's; one naming none is a row of its
        // own kind, counted for no rule and claimed by no incident.
        let named = m.named_rules(&flows.rules);
        let (kind, actor, actor_type, target) = if named.is_empty() {
            (
                EntryKind::RuleMetricUnnamed,
                "AWS/Events".to_string(),
                "CloudWatchMetric",
                format!(
                    "series \"{label}\", which {}",
                    crate::model::SERIES_NAMES_NO_RULE
                ),
            )
        } else {
            let rules = rule_names(&named);
            (
                // A failed invocation: the rule matched, a target could not be invoked; not
                // the rule's firing as flow 2 times it, nor the kill-switch's run.
                if l.contains("failedinvocations") {
                    EntryKind::RuleInvocationFailed
                } else {
                    EntryKind::RuleTriggered
                },
                rules.clone(),
                "EventBridgeRule",
                rules,
            )
        };
        for (t, v) in m.points.iter().filter(|(_, v)| *v > 0.0) {
            rows.push(TimelineEntry {
                time: *t,
                event_id: crate::model::metric_point_id(label, *t),
                source: "metric-data".into(),
                actor: actor.clone(),
                actor_type: actor_type.into(),
                action: format!("AWS/Events:{label}"),
                target: target.clone(),
                outcome: if kind == EntryKind::RuleInvocationFailed {
                    format!("{v} failed invocation(s) of a target in the minute starting {t}")
                } else {
                    format!("{v} in the minute starting {t}")
                },
                source_ip: String::new(),
                user_agent: String::new(),
                region: String::new(),
                kind,
                incidents: if named.is_empty() {
                    Vec::new()
                } else {
                    incidents_triggered_in(incidents, index, *t)
                },
                input: m.origin.input,
                index: m.origin.index,
                tie: false,
                counted_as: String::new(),
            });
        }
    }
    sort_and_mark_ties(&mut rows);
    rows
}

/// Rule metric rows name the detection rules their series names: the first `RULES_NAMED` and
/// how many more (a row per datapoint naming thousands of rules grew with rules x datapoints).
const RULES_NAMED: usize = 5;

fn rule_names(rules: &[&str]) -> String {
    let mut out = rules
        .iter()
        .take(RULES_NAMED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if rules.len() > RULES_NAMED {
        out.push_str(&format!(
            " and {} more detection rules",
            rules.len() - RULES_NAMED
        ));
    }
    out
}

/// The incidents with a honeytoken read, or their flow 2 trigger (`milestones.flow2_triggered`),
/// in the rule metric's minute starting at `minute`: the reads the datapoint counts.
fn incidents_triggered_in(
    incidents: &[Incident],
    index: &EventIndex<'_>,
    minute: Timestamp,
) -> Vec<String> {
    let inside = |t: Timestamp| minute <= t && t.millis() < minute.millis() + 60_000;
    incidents
        .iter()
        .filter(|i| {
            i.milestones.flow2_triggered.is_some_and(inside)
                || i.access_records
                    .iter()
                    .filter_map(|c| index.at(c.origin))
                    .any(|e| inside(e.time))
        })
        .map(|i| i.id.clone())
        .collect()
}

/// One row per kill-switch run (its published result), then the whole order again.
pub fn add_killswitch_rows(rows: &mut Vec<TimelineEntry>, runs: &[KillSwitchRun]) {
    for run in runs {
        let r = &run.report;
        let mut outcome = r.decision.as_str().to_string();
        if r.dry_run {
            outcome.push_str(" (dry run)");
        }
        rows.push(TimelineEntry {
            time: r.at,
            event_id: run.id.clone(),
            source: r.via.to_string(),
            actor: "trailcase-killswitch".into(),
            actor_type: "KillSwitch".into(),
            action: "killswitch:ContainmentResult".into(),
            target: r.caller_label(),
            outcome,
            source_ip: String::new(),
            user_agent: String::new(),
            region: String::new(),
            kind: EntryKind::KillswitchResult,
            incidents: run.incidents.clone(),
            input: r.origin.input,
            index: r.origin.index,
            tie: false,
            counted_as: String::new(),
        });
    }
    sort_and_mark_ties(rows);
}

/// Sort by time, then event id, then origin; flag rows that share their time with another.
pub fn sort_and_mark_ties(rows: &mut [TimelineEntry]) {
    rows.sort_by(|a, b| {
        (a.time, &a.event_id, a.input, a.index).cmp(&(b.time, &b.event_id, b.input, b.index))
    });
    for i in 0..rows.len() {
        let prev = i > 0 && rows[i - 1].time == rows[i].time;
        let next = i + 1 < rows.len() && rows[i + 1].time == rows[i].time;
        rows[i].tie = prev || next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_row_names_five_rules_and_counts_the_rest() {
        let owned: Vec<String> = (0..8).map(|i| format!("r{i}")).collect();
        let rules: Vec<&str> = owned.iter().map(String::as_str).collect();
        assert_eq!(
            rule_names(&rules),
            "r0, r1, r2, r3, r4 and 3 more detection rules"
        );
        assert_eq!(rule_names(&rules[..2]), "r0, r1");
    }
}
