//! Which definition of flow 1's alarm predicts each honeytoken access when the evidence records
//! `PutMetricAlarm` calls on the alarm. The replay's alarm is the definition in force at the
//! first access (`spec::in_force_at`); a successful PutMetricAlarm on it later replaces the
//! whole definition (CloudWatch API Reference, PutMetricAlarm: an update overwrites the previous
//! configuration), so an access after such a call is predicted by the definition that call set,
//! named by its eventID. An access before the first call keeps the first access's definition;
//! one in the same second as a call is predicted by the definition before it and said so (the
//! records do not order them). A call that puts the alarm on another metric, or on metric math,
//! predicts nothing for the access, with why.
//!
//! Pure: reads the change records already in memory.

use super::same_second::{self, At};
use crate::model::{AlarmDefinition, Event, Timestamp};
use serde_json::Value;

/// One successful PutMetricAlarm on the alarm, with the definition it set.
pub struct AlarmCall {
    pub event_id: String,
    pub time: Timestamp,
    pub alarm: AlarmDefinition,
}

impl AlarmCall {
    /// `PutMetricAlarm <eventID> at <time> (Sum >= 5 over 60 s, 1 of 1 evaluation periods)`.
    pub fn label(&self) -> String {
        format!(
            "PutMetricAlarm {} at {} ({})",
            self.event_id,
            self.time,
            rule(&self.alarm)
        )
    }

    /// Why this definition cannot predict an access of the filter whose alarm at the first
    /// access is `first`: another metric, or metric math; `None` when it can.
    pub fn not_on_metric(&self, first: &AlarmDefinition) -> Option<String> {
        let a = &self.alarm;
        if a.math.is_some() {
            return Some(format!("{} set a metric-math definition, which the replay does not evaluate per access: whether the alarm fired for this access is not predicted", self.label()));
        }
        let same = a.metric_name == first.metric_name
            && a.namespace == first.namespace
            && (a.dimensions.is_none() || a.dimensions == first.dimensions);
        (!same).then(|| format!(
            "{} put the alarm on metric {} (namespace {}), not the filter's metric {} (namespace {}): the alarm does not see this access",
            self.label(),
            a.metric_name.as_deref().unwrap_or("(none)"),
            a.namespace.as_deref().unwrap_or("(none)"),
            first.metric_name.as_deref().unwrap_or("(none)"),
            first.namespace.as_deref().unwrap_or("(none)"),
        ))
    }
}

/// An alarm's rule in words: `Sum >= 5 over 60 s, 1 of 1 evaluation periods` (`?` where the
/// definition does not record a field).
fn rule(a: &AlarmDefinition) -> String {
    let op = match a.comparison_operator.as_deref() {
        Some("GreaterThanOrEqualToThreshold") => ">=",
        Some("GreaterThanThreshold") => ">",
        Some("LessThanThreshold") => "<",
        Some("LessThanOrEqualToThreshold") => "<=",
        Some(other) => other,
        None => "?",
    };
    let n = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
    format!(
        "{} {op} {} over {} s, {} of {} evaluation periods",
        a.statistic.as_deref().unwrap_or("?"),
        a.threshold.map_or("?".to_string(), |t| t.to_string()),
        n(a.period),
        n(a.datapoints_to_alarm.or(a.evaluation_periods)),
        n(a.evaluation_periods)
    )
}

/// The successful PutMetricAlarm calls on alarm `name`, in time order (eventID breaks ties; a
/// copy of one record once).
pub fn calls(events: &[Event], name: &str) -> Vec<AlarmCall> {
    let mut out: Vec<AlarmCall> = events
        .iter()
        .filter(|e| {
            e.event_source == "monitoring.amazonaws.com" && e.event_name == "PutMetricAlarm"
        })
        .filter(|e| e.error_code.is_none())
        .filter_map(|e| {
            let record: Value = serde_json::from_str(e.raw.get()).ok()?;
            let p = record.get("requestParameters")?;
            (p.get("alarmName").and_then(Value::as_str) == Some(name)).then(|| AlarmCall {
                event_id: e.event_id.clone(),
                time: e.time,
                alarm: alarm_of(p, name, e),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.time, &a.event_id).cmp(&(b.time, &b.event_id)));
    out.dedup_by(|a, b| a.event_id == b.event_id);
    out
}

/// The definition a PutMetricAlarm request sets (its parameters in camelCase, as CloudTrail
/// records them), in describe-alarms' terms. Metric math is kept only as present.
fn alarm_of(p: &Value, name: &str, e: &Event) -> AlarmDefinition {
    let text = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
    let num = |k: &str| {
        p.get(k)
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
    };
    let dimensions = p.get("dimensions").and_then(Value::as_array).map(|d| {
        let mut names: Vec<String> = d
            .iter()
            .filter_map(|x| x.get("name").and_then(Value::as_str).map(str::to_string))
            .collect();
        names.sort();
        names
    });
    AlarmDefinition {
        name: name.to_string(),
        arn: None,
        namespace: text("namespace"),
        metric_name: text("metricName"),
        statistic: text("statistic").or_else(|| text("extendedStatistic")),
        period: num("period"),
        evaluation_periods: num("evaluationPeriods"),
        datapoints_to_alarm: num("datapointsToAlarm"),
        threshold: p
            .get("threshold")
            .and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok())),
        comparison_operator: text("comparisonOperator"),
        treat_missing_data: text("treatMissingData"),
        alarm_actions: p
            .get("alarmActions")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        state_value: None,
        dimensions,
        config_updated: Some(e.time),
        math: p
            .get("metrics")
            .filter(|m| !m.is_null())
            .map(|_| Default::default()),
        origin: e.origin,
    }
}

/// Which definition predicts an access at `t`.
pub enum AlarmAt<'c> {
    /// No call before it: the definition in force at the first access.
    First,
    /// The last call before it.
    Call(usize, &'c AlarmCall),
    /// A call in the same second: predicted by the definition before it (`Some(n)`: call `n`).
    SameSecond(Option<usize>, &'c AlarmCall),
}

/// The definition that predicts an access at `t`, given the `calls` in time order
/// (`same_second`: a call in the access's second is not ordered with it).
pub fn at(calls: &[AlarmCall], t: Timestamp) -> AlarmAt<'_> {
    match same_second::at(calls, |c| c.time, t) {
        At::BeforeAll => AlarmAt::First,
        At::After(n, c) => AlarmAt::Call(n, c),
        At::SameSecond { before, same } => AlarmAt::SameSecond(before, same),
    }
}
