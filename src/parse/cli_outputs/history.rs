//! describe-alarm-history's items: an alarm's state changes, actions and configuration changes,
//! with what a cut HistoryData (CloudWatch keeps its first 4,095 characters) still lets be read
//! from the item's HistorySummary. Reads the item's JSON only; the evidence gap of a cut item is
//! made here too.

use super::super::json_text::value_of;
use super::super::time::value_time;
use super::{dimension_names, str_of, strings_of, u64_of};
use crate::model::*;
use serde_json::Value;

pub(super) fn history_item(v: &Value, origin: Origin) -> Option<AlarmHistoryItem> {
    let raw = str_of(v, "HistoryData");
    let (data, data_unreadable) = match raw.as_deref().map(value_of) {
        Some(Ok(data)) => (data, None),
        Some(Err(e)) => (
            Value::Null,
            Some(unreadable(raw.as_deref().unwrap_or(""), &e)),
        ),
        None => (Value::Null, None),
    };
    let summary = str_of(v, "HistorySummary").unwrap_or_default();
    let action_arn = data
        .get("notificationResource")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            summary
                .split_whitespace()
                .find(|w| w.starts_with("arn:"))
                .map(str::to_owned)
        });
    let item_type = str_of(v, "HistoryItemType").unwrap_or_default();
    // A StateUpdate or Action whose HistoryData is cut still says its outcome in
    // HistorySummary.
    let cut = data_unreadable.is_some();
    let from_summary = (cut && item_type == "StateUpdate")
        .then(|| summary_states(&summary))
        .flatten();
    let action_from_summary = (cut && item_type == "Action")
        .then(|| summary_action_state(&summary))
        .flatten();
    let state = |key: &str| {
        data.pointer(&format!("/{key}/stateValue"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Some(AlarmHistoryItem {
        alarm_name: str_of(v, "AlarmName")?,
        time: v.get("Timestamp").and_then(value_time)?,
        from_summary: from_summary.is_some() || action_from_summary.is_some(),
        old_state: state("oldState").or_else(|| from_summary.map(|s| s.0.to_owned())),
        new_state: state("newState").or_else(|| from_summary.map(|s| s.1.to_owned())),
        item_type,
        reason: data
            .pointer("/newState/stateReason")
            .and_then(Value::as_str)
            .map(str::to_owned),
        action_state: data
            .get("actionState")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| action_from_summary.map(str::to_owned)),
        definition: history_definition(&data, origin),
        data_unreadable,
        action_arn,
        summary,
        origin,
    })
}

/// The states a StateUpdate's HistorySummary names, in CloudWatch's words: "Alarm updated from
/// OK to ALARM" (the AWS CLI's describe-alarm-history example). Only CloudWatch's three states
/// are taken; any other wording is not read.
fn summary_states(summary: &str) -> Option<(&str, &str)> {
    const STATES: [&str; 3] = ["OK", "ALARM", "INSUFFICIENT_DATA"];
    let (old, new) = summary
        .strip_prefix("Alarm updated from ")?
        .split_once(" to ")?;
    (STATES.contains(&old) && STATES.contains(&new)).then_some((old, new))
}

/// The `actionState` an Action's HistorySummary says, in CloudWatch's words: "Successfully
/// executed action <arn>" (`Succeeded`), "Failed to execute action <arn>" (`Failed`). Any other
/// wording is not read.
fn summary_action_state(summary: &str) -> Option<&'static str> {
    if summary.starts_with("Successfully executed action") {
        Some("Succeeded")
    } else if summary.starts_with("Failed to execute action") {
        Some("Failed")
    } else {
        None
    }
}

/// The longest HistoryData CloudWatch returns (the API's AlarmHistoryItem: at most 4,095
/// characters); a longer one is cut there, mid-JSON.
pub const HISTORY_DATA_MAX: usize = 4_095;

/// Why an item's HistoryData is not read: cut short (it ends inside its JSON, as CloudWatch
/// leaves a long one), or not JSON. The text is not quoted: it is the evidence's.
fn unreadable(raw: &str, e: &serde_json::Error) -> String {
    let n = raw.chars().count();
    if e.is_eof() {
        format!(
            "its HistoryData ends inside its JSON after {n} characters: cut short{}",
            if n >= HISTORY_DATA_MAX {
                ", as CloudWatch cuts HistoryData at 4,095 characters"
            } else {
                ""
            }
        )
    } else {
        format!("its HistoryData, {n} characters, is not valid JSON: {e}")
    }
}

/// The evidence gap of an alarm history item whose HistoryData is not read, at the item's index
/// in AlarmHistoryItems (the gap's record index), naming the item (alarm, type and time) and
/// what is unknown for it.
pub fn unreadable_gap(h: &AlarmHistoryItem) -> Option<(Option<u64>, GapKind, String)> {
    let why = h.data_unreadable.as_deref()?;
    let unknown = match h.item_type.as_str() {
        "ConfigurationUpdate" => "the alarm's definition it records (metric, namespace, actions) is unknown, so whether the alarm watched the honeytoken's metric from then on is unknown".to_string(),
        "StateUpdate" if h.from_summary => format!(
            "its states are taken from its HistorySummary (\"{}\"); the reason it records and the metric datapoints that crossed the threshold are unknown",
            h.summary
        ),
        "StateUpdate" => "the states it records are unknown".to_string(),
        "Action" if h.from_summary => format!(
            "its action's outcome ({}) is taken from its HistorySummary (\"{}\"); the rest of what it records (the message published) is unknown",
            h.action_state.as_deref().unwrap_or_default(),
            h.summary
        ),
        "Action" => "whether its action ran is unknown (its HistorySummary does not say)".to_string(),
        _ => "what it records is unknown".to_string(),
    };
    Some((
        Some(h.origin.index),
        GapKind::AlarmHistoryDataUnreadable,
        format!(
            "alarm history item {} ({} {} at {}): {why}; {unknown}",
            h.origin.index, h.alarm_name, h.item_type, h.time
        ),
    ))
}

/// A `ConfigurationUpdate` item's HistoryData: `{"type":"Create","createdAlarm":{...}}`,
/// `{"type":"Update","updatedAlarm":{...},"originalUpdatedFields":{...}}` (the definition after
/// the update), `{"type":"Delete","deletedAlarm":{...}}`; the alarm's fields in camelCase.
fn history_definition(data: &Value, origin: Origin) -> Option<HistoryDefinition> {
    let change = data.get("type").and_then(Value::as_str)?;
    let key = match change {
        "Create" => "createdAlarm",
        "Update" => "updatedAlarm",
        "Delete" => "deletedAlarm",
        _ => return None,
    };
    let alarm = data.get(key).unwrap_or(&Value::Null);
    let before = match change {
        "Update" => data
            .get("originalUpdatedFields")
            .and_then(Value::as_object)
            .map(|original| {
                let mut prior = alarm.as_object().cloned().unwrap_or_default();
                prior.extend(original.iter().map(|(k, v)| (k.clone(), v.clone())));
                defined_as(
                    &format!("{}Update", HistoryDefinition::BEFORE),
                    &Value::Object(prior),
                    None,
                    origin,
                )
            }),
        "Delete" => Some(defined_as(
            &format!("{}Delete", HistoryDefinition::BEFORE),
            alarm,
            None,
            origin,
        )),
        _ => None,
    };
    Some(defined_as(change, alarm, before, origin))
}

fn defined_as(
    change: &str,
    alarm: &Value,
    before: Option<HistoryDefinition>,
    origin: Origin,
) -> HistoryDefinition {
    HistoryDefinition {
        alarm: Box::new(history_alarm(alarm, origin)),
        change: change.to_string(),
        metric_name: str_of(alarm, "metricName"),
        namespace: str_of(alarm, "namespace"),
        alarm_actions: strings_of(alarm, "alarmActions"),
        dimensions: dimension_names(alarm, "dimensions", "name"),
        before: before.map(Box::new),
    }
}

/// The alarm a `ConfigurationUpdate` item records (`createdAlarm`, camelCase), in
/// describe-alarms' terms.
fn history_alarm(v: &Value, origin: Origin) -> AlarmDefinition {
    AlarmDefinition {
        name: str_of(v, "alarmName").unwrap_or_default(),
        arn: str_of(v, "alarmArn"),
        namespace: str_of(v, "namespace"),
        metric_name: str_of(v, "metricName"),
        statistic: str_of(v, "statistic").or_else(|| str_of(v, "extendedStatistic")),
        period: u64_of(v, "period"),
        evaluation_periods: u64_of(v, "evaluationPeriods"),
        datapoints_to_alarm: u64_of(v, "datapointsToAlarm"),
        threshold: v.get("threshold").and_then(Value::as_f64),
        comparison_operator: str_of(v, "comparisonOperator"),
        treat_missing_data: str_of(v, "treatMissingData"),
        alarm_actions: strings_of(v, "alarmActions"),
        state_value: None,
        dimensions: dimension_names(v, "dimensions", "name"),
        config_updated: None,
        math: super::history_metric_math(v),
        origin,
    }
}
