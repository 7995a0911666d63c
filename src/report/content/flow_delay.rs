//! The flow comparison's alarm definitions and its "What drives the delay" row, as this case's
//! evidence shows them: flow 1's alarm period and evaluation periods as collected
//! (describe-alarms, else the alarm history's ConfigurationUpdate an incident's alarm rests on),
//! flow 2's signal after each read as the records time it; "unknown" where the evidence holds
//! neither. Pure: reads the timeline.

use super::fmt;
use crate::model::{AlarmDefinition, Timeline, Timestamp};

/// Flow 1's detection alarms as collected: each describe-alarms defines, else each alarm an
/// incident cites whose definition only the alarm history records (its latest in force), with
/// the time of the ConfigurationUpdate that records it (`None`: describe-alarms').
pub(super) fn flow1_alarms(t: &Timeline) -> Vec<(&AlarmDefinition, Option<Timestamp>)> {
    if !t.detection.alarms.is_empty() {
        return t.detection.alarms.iter().map(|a| (a, None)).collect();
    }
    let mut cited: Vec<&str> = t
        .entries
        .iter()
        .filter(|e| e.kind == crate::model::EntryKind::Alarm && !e.incidents.is_empty())
        .map(|e| e.actor.as_str())
        .collect();
    cited.sort_unstable();
    cited.dedup();
    cited
        .iter()
        .filter_map(|name| {
            t.config
                .alarm_history
                .iter()
                .rev()
                .filter(|h| h.alarm_name == *name)
                .find_map(|h| {
                    let d = h.definition.as_ref().filter(|d| d.in_force())?;
                    Some((&*d.alarm, Some(h.time)))
                })
        })
        .collect()
}

/// Flow 1's cell: CloudTrail's delivery to the log group (not in the evidence), then each
/// alarm's period and evaluation periods as collected, or unknown.
pub(super) fn flow1(t: &Timeline) -> String {
    let alarms: Vec<String> = flow1_alarms(t)
        .into_iter()
        .map(|(a, at)| {
            let period = match (a.period, &a.math) {
                (Some(p), _) => format!("a period of {p} s"),
                (None, Some(_)) => "its period in its MetricStat queries (not read)".into(),
                (None, None) => "its period not recorded".into(),
            };
            let evaluations = match (a.evaluation_periods, a.datapoints_to_alarm) {
                (Some(n), Some(m)) if m != n => format!("{m} of {n} evaluation periods"),
                (Some(n), _) => format!("{n} evaluation period{}", if n == 1 { "" } else { "s" }),
                (None, _) => "evaluation periods not recorded".into(),
            };
            let source = match at {
                None => "describe-alarms".to_string(),
                Some(at) => format!("the alarm history's ConfigurationUpdate at {at}"),
            };
            format!("alarm {}: {period}, {evaluations} ({source})", a.name)
        })
        .collect();
    let alarms = if alarms.is_empty() {
        "unknown: no detection alarm's definition is in the evidence".to_string()
    } else {
        alarms.join("; ")
    };
    format!("CloudTrail's delivery to the log group (its time is not in the evidence), then the alarm's period and evaluation periods: {alarms}")
}

/// Flow 2's cell: what the records show of the rule's signal after each incident's first
/// access (how long, and what it rests on: `flow2_evidence`, the kill-switch's first call or
/// the rule's TriggeredRules minute), or unknown.
pub(super) fn flow2(t: &Timeline) -> String {
    let each: Vec<String> = t
        .incidents
        .iter()
        .map(|i| {
                    let m = &i.milestones;
            let what = match (i.latency_seconds.flow2_detect, m.flow2_evidence.as_deref()) {
                // The evidence's own words hold parentheses (`(upper bound: …)`): said after a
                // comma, not inside parentheses of the cell's.
                (Some(s), Some(evidence)) => {
                    format!("{} after the first access, timed by {evidence}", fmt::duration(s))
                }
                (Some(s), None) => format!("{} after the first access", fmt::duration(s)),
                (None, _) => "unknown: no rule metric or kill-switch call after the first access is in the evidence".into(),
            };
            if t.incidents.len() == 1 {
                what
            } else {
                format!("{}: {what}", i.id)
            }
        })
        .collect();
    let shown = if each.is_empty() {
        "no honeytoken read in the evidence to time it from".to_string()
    } else {
        each.join("; ")
    };
    format!("CloudTrail's delivery of the event to EventBridge (its time is not in the records). In this case: {shown}")
}
