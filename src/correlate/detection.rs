//! The two detection flows as the evidence shows them: flow 1 (metric filter -> alarm -> SNS)
//! from alarm history, flow 2 (EventBridge rule -> SNS / kill-switch) from AWS/Events metrics
//! or, failing those, the kill-switch's first call (`detection/flow2.rs`). An alarm is flow 1's
//! when named in `[detection].alarms` (where the evidence disagrees or holds nothing of it,
//! said in `unknowns`: `detection/configured.rs`), else when its definition in force at the
//! first access watches a honeytoken metric filter's metric (`metric_match`: name, namespace,
//! dimensions): describe-alarms' definition, or its alarm history's where that records a change
//! after the first access or describe-alarms lacks the alarm (`alarm_links`, `alarm_at`). With
//! none linked at the first access, what is said instead is `detection/unlinked.rs`'s.

use crate::model::{
    AlarmDefinition, AlarmHistoryItem, ConfigEvidence, EventRule, MetricFilter, Timestamp,
    UnlinkedAlarm,
};
use crate::model::{AnalysisSettings, HoneytokenRule};
use std::collections::HashSet;

use super::alarm_links::{cite, Described, HistoryDefinitions};
use crate::rules::metric_match::{self, AlarmMetric, MetricMatch};

mod configured;
mod flow2;
mod unlinked;

/// The configuration pieces that make up the two detection flows.
pub struct DetectionResources<'e> {
    pub filters: Vec<&'e MetricFilter>,
    pub alarms: Vec<&'e AlarmDefinition>,
    pub rules: Vec<&'e EventRule>,
}

/// The metric filters, alarms and rules that watch the honeytokens (configured, or recognised by
/// what their patterns name).
pub fn detection_resources<'e>(
    settings: &AnalysisSettings,
    evidence: &'e ConfigEvidence,
) -> DetectionResources<'e> {
    let flows = Flows::new(settings, evidence, &settings.honeytokens);
    DetectionResources {
        filters: detection_filters(settings, evidence, &settings.honeytokens),
        alarms: evidence
            .alarms
            .iter()
            .filter(|a| flows.is_alarm(&a.name))
            .collect(),
        rules: evidence
            .rules
            .iter()
            .filter(|r| flows.is_rule(&r.name))
            .collect(),
    }
}

/// The `alarm_basis` when neither `[detection].alarms` nor a metric filter links an alarm to
/// the honeytoken: no alarm of the evidence is taken for flow 1's.
pub const ALARMS_UNLINKED: &str = "none linked to the honeytoken";

/// Which alarms and rules are the detection flows, and on what basis.
pub struct Flows<'e> {
    evidence: &'e ConfigEvidence,
    pub alarm_basis: &'static str,
    pub rules: Vec<String>,
    /// The detection alarms, and `rules` again, to look names up in: an account's history can
    /// hold thousands of alarms, each of its items looked up.
    alarm_set: HashSet<String>,
    rule_set: HashSet<String>,
    /// The honeytoken metric filters, for saying what links a describe-alarms definition.
    filters: Vec<&'e MetricFilter>,
    /// The definitions the alarm history records for alarms describe-alarms does not define
    /// (empty when `[detection].alarms` names the alarms).
    history: HistoryDefinitions<'e>,
}

pub struct Flow1 {
    pub alarm: Option<Timestamp>,
    pub notification: Option<Timestamp>,
    /// What links `alarm`'s alarm to the honeytoken, with what it rests on.
    pub basis: Option<String>,
    /// With no alarm linked to the honeytoken: the alarms that entered ALARM in the window.
    pub unlinked: Vec<UnlinkedAlarm>,
    /// With no alarm linked: those describe-alarms links now, and why not at the first access.
    pub linked_now: Vec<String>,
    /// With `linked_now`: what the evidence lacks to settle their link at the first access.
    pub link_missing: Option<String>,
    pub unknown: Vec<String>,
}

pub struct Flow2 {
    pub time: Option<Timestamp>,
    pub evidence: Option<String>,
    pub unknown: Vec<String>,
}

/// Text that marks a filter or rule as watching the honeytoken.
fn needles(rules: &[HoneytokenRule]) -> Vec<String> {
    let mut v: Vec<String> = rules
        .iter()
        .map(|r| r.pattern.replace(['*', '?'], ""))
        .filter(|s| s.len() >= 3)
        .collect();
    v.extend(["GetSecretValue", "GetObject", "GetParameter"].map(String::from));
    v
}

/// The metric filters of flow 1: the configured ones, else those whose pattern names the
/// honeytoken or a read API.
pub fn detection_filters<'e>(
    settings: &AnalysisSettings,
    evidence: &'e ConfigEvidence,
    rules: &[HoneytokenRule],
) -> Vec<&'e MetricFilter> {
    let needles = needles(rules);
    let det = &settings.detection;
    evidence
        .metric_filters
        .iter()
        .filter(|f| {
            if det.metric_filters.is_empty() {
                needles.iter().any(|n| f.pattern.contains(n.as_str()))
            } else {
                det.metric_filters.contains(&f.name)
            }
        })
        .collect()
}

/// The honeytoken metric filter whose metric an alarm's describe-alarms definition watches.
pub fn described_feeding<'f>(
    filters: &[&'f MetricFilter],
    a: &AlarmDefinition,
) -> Option<(&'f MetricFilter, MetricMatch)> {
    if let Some(math) = &a.math {
        return filters
            .iter()
            .find_map(|f| Some((*f, metric_match::math_matches(f, math, "describe-alarms")?)));
    }
    metric_match::feeding(
        filters,
        &AlarmMetric {
            name: a.metric_name.as_deref(),
            namespace: a.namespace.as_deref(),
            dimensions: a.dimensions.as_deref(),
            source: "describe-alarms",
        },
    )
}

impl<'e> Flows<'e> {
    pub fn new(
        settings: &AnalysisSettings,
        evidence: &'e ConfigEvidence,
        rules: &[HoneytokenRule],
    ) -> Self {
        let needles = needles(rules);
        let mentions = |text: &str| needles.iter().any(|n| text.contains(n.as_str()));
        let det = &settings.detection;
        let filters = detection_filters(settings, evidence, rules);
        let fed = |a: &AlarmDefinition| described_feeding(&filters, a).is_some();
        let (alarms, alarm_basis) = if !det.alarms.is_empty() {
            (det.alarms.clone(), "configured")
        } else {
            let linked: Vec<String> = evidence
                .alarms
                .iter()
                .filter(|a| fed(a))
                .map(|a| a.name.clone())
                .collect();
            if !linked.is_empty() {
                (linked, "fed by a honeytoken metric filter")
            } else {
                // No alarm is linked to the honeytoken: none is a detection alarm. Those of the
                // history are named per incident as unlinked (see `flow1`), never timed as
                // flow 1.
                (Vec::new(), ALARMS_UNLINKED)
            }
        };
        let rules_named = if !det.rules.is_empty() {
            det.rules.clone()
        } else {
            evidence
                .rules
                .iter()
                .filter(|r| r.event_pattern.as_deref().is_some_and(mentions))
                .map(|r| r.name.clone())
                .collect()
        };
        // Built with `[detection].alarms` too: where it names alarms, the history and
        // describe-alarms only say where they disagree with it (`configured_disagreements`).
        let history = {
            let described = evidence
                .alarms
                .iter()
                .map(|a| {
                    (
                        a.name.as_str(),
                        Described {
                            links: fed(a),
                            since: a.config_updated,
                        },
                    )
                })
                .collect();
            HistoryDefinitions::new(
                &evidence.alarm_history,
                described,
                &filters,
                !evidence.metric_filters.is_empty(),
                !det.metric_filters.is_empty(),
            )
        };
        Flows {
            evidence,
            filters,
            history,
            alarm_set: alarms.into_iter().collect(),
            rule_set: rules_named.iter().cloned().collect(),
            alarm_basis,
            rules: rules_named,
        }
    }

    /// Whether the alarm named `name` is a detection (flow 1) alarm.
    pub fn is_alarm(&self, name: &str) -> bool {
        self.alarm_set.contains(name)
    }

    /// Whether the rule named `name` is a detection (flow 2) rule.
    pub fn is_rule(&self, name: &str) -> bool {
        self.rule_set.contains(name)
    }

    fn in_window(t: Timestamp, from: Timestamp, window_ms: i64) -> bool {
        t >= from && t.millis() <= from.millis() + window_ms
    }

    /// Alarm history items of the detection alarms: those linked by the configuration or
    /// describe-alarms, and those of an alarm whose history's definition at the item's time
    /// links it.
    pub fn detection_history(&self) -> impl Iterator<Item = &AlarmHistoryItem> {
        self.evidence.alarm_history.iter().filter(|h| {
            self.is_alarm(&h.alarm_name)
                || (!self.configured() && self.history.links(&h.alarm_name, h.time))
        })
    }

    fn configured(&self) -> bool {
        self.alarm_basis == "configured"
    }

    /// The alarms linked to the honeytoken for an incident whose first access is `t`: those
    /// named in `[detection].alarms`, else those whose definition in force at `t` (describe-alarms,
    /// or the history where it records a change after `t` or describe-alarms lacks the alarm)
    /// watches a honeytoken filter's metric.
    fn linked_at(&self, t: Timestamp) -> Vec<&str> {
        if self.configured() {
            let mut v: Vec<&str> = self.alarm_set.iter().map(String::as_str).collect();
            v.sort_unstable();
            v
        } else {
            self.history.linked_at(t)
        }
    }

    /// Whether the history item is a detection alarm's for an incident whose first access is
    /// `t`: its alarm linked at `t` (`linked`), and still linked at the item's time.
    fn detection_item(&self, h: &AlarmHistoryItem, linked: &[&str]) -> bool {
        linked.contains(&h.alarm_name.as_str())
            && (self.configured() || self.history.links(&h.alarm_name, h.time))
    }

    /// What links the alarm named `name`, linked for an incident whose first access is `t`.
    fn basis(&self, name: &str, t: Timestamp) -> Option<String> {
        if self.configured() {
            return Some("named in trailcase.toml ([detection].alarms)".to_string());
        }
        if self.history.decides(name, t) || !self.is_alarm(name) {
            return self.history.basis(name, t);
        }
        self.described_basis(name)
    }

    /// The basis of a link describe-alarms gives.
    fn described_basis(&self, name: &str) -> Option<String> {
        let a = self.evidence.alarms.iter().find(|a| a.name == name)?;
        let (f, how) = described_feeding(&self.filters, a)?;
        let metric = match (&a.math, a.metric_name.as_deref()) {
            (Some(_), _) => format!(
                "a metric-math expression over {}",
                f.metric_name.as_deref().unwrap_or_default()
            ),
            (None, Some(m)) => format!(
                "{}{m}",
                a.namespace
                    .as_deref()
                    .map(|n| format!("{n}/"))
                    .unwrap_or_default()
            ),
            (None, None) => return None,
        };
        Some(format!(
            "its definition (describe-alarms) watches {metric}, the metric of the honeytoken metric filter {} (describe-metric-filters){}",
            f.name,
            how.rests_on()
        ))
    }

    pub fn flow1(&self, first_access: Timestamp, window_ms: i64) -> Flow1 {
        let mut unknown = Vec::new();
        let none = |unknown| Flow1 {
            alarm: None,
            notification: None,
            basis: None,
            unlinked: Vec::new(),
            linked_now: Vec::new(),
            link_missing: None,
            unknown,
        };
        unknown.extend(self.configured_absent());
        if self.evidence.alarm_history.is_empty() {
            unknown.push(crate::model::NO_ALARM_HISTORY.to_string());
            return none(unknown);
        }
        let linked = self.linked_at(first_access);
        if linked.is_empty() {
            // The alarms describe-alarms links now are said in the first entry (`flow1_unlinked`).
            return self.flow1_unlinked(first_access, window_ms);
        }
        let until = Timestamp(first_access.millis() + window_ms);
        if !self.configured() {
            for a in &linked {
                unknown.extend(self.history.unlinking_changes(a, first_access, until));
            }
        }
        unknown.extend(
            self.described_not_in_force(first_access)
                .into_iter()
                .map(|u| format!("flow1_alarm: {u}")),
        );
        unknown.extend(self.links_unknown(first_access, window_ms));
        if self.configured() {
            unknown.extend(self.configured_disagreements(first_access));
        }
        let alarm = self
            .evidence
            .alarm_history
            .iter()
            .filter(|h| self.detection_item(h, &linked))
            .filter(|h| h.item_type == "StateUpdate" && h.new_state.as_deref() == Some("ALARM"))
            .find(|h| Self::in_window(h.time, first_access, window_ms));
        let Some(alarm) = alarm else {
            unknown.push(format!(
                "flow1_alarm: no detection alarm entered ALARM within {} minutes of the first access",
                window_ms / 60_000
            ));
            return none(unknown);
        };
        if let Some(rests) = alarm.transition_from_summary() {
            unknown.push(format!(
                "flow1_alarm: the transition to ALARM at {} ({}) {rests}",
                alarm.time,
                cite(alarm),
            ));
        }
        let actions: Vec<_> = self
            .evidence
            .alarm_history
            .iter()
            .filter(|h| h.alarm_name == alarm.alarm_name && h.item_type == "Action")
            .filter(|h| Self::in_window(h.time, alarm.time, window_ms))
            .collect();
        // A cut action item whose summary does not say whether its action ran is not counted
        // as the notification, and is named: it may be the one.
        for h in actions.iter().filter(|h| h.action_ran().is_none()) {
            unknown.push(format!(
                "flow1_notification: the alarm action item at {} ({}) could not be read (its HistoryData was cut) and its summary (\"{}\") does not say whether the action ran: not counted as the notification",
                h.time,
                cite(h),
                h.summary
            ));
        }
        let sent = actions.into_iter().find(|h| h.action_ran() == Some(true));
        if let Some((h, rests)) = sent.and_then(|h| Some((h, h.action_from_summary()?))) {
            unknown.push(format!(
                "flow1_notification: the notification at {} ({}) {rests}",
                h.time,
                cite(h),
            ));
        }
        let notification = sent.map(|h| h.time);
        if notification.is_none() {
            unknown
                .push("flow1_notification: no successful alarm action in the history".to_string());
        }
        Flow1 {
            alarm: Some(alarm.time),
            notification,
            basis: self.basis(&alarm.alarm_name, first_access),
            unlinked: Vec::new(),
            linked_now: Vec::new(),
            link_missing: None,
            unknown,
        }
    }

    /// Alarm history items that cite this incident: the detection alarms in its window.
    pub fn alarm_evidence(&self, first_access: Option<Timestamp>, window_ms: i64) -> Vec<String> {
        let Some(t) = first_access else {
            return Vec::new();
        };
        let linked = self.linked_at(t);
        self.evidence
            .alarm_history
            .iter()
            .filter(|h| self.detection_item(h, &linked))
            .filter(|h| Self::in_window(h.time, t, window_ms))
            .map(cite)
            .collect()
    }
}
