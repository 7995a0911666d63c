//! The AWS CLI outputs that describe the monitoring pipeline (`--output json` shapes):
//! describe-alarm-history, describe-alarms, get-metric-data, describe-metric-filters,
//! list-event-buses, list-rules / describe-rule, list-targets-by-rule, describe-trails, get-trail-status,
//! get-event-selectors, s3control list-access-points; plus outputs that are evidence but carry no records (public keys,
//! digests, trailcase manifests).

use super::time::value_time;
use crate::model::*;
use serde_json::{Map, Value};

type Obj = Map<String, Value>;

/// Recognise an AWS CLI output by its keys and lift what the analysis needs.
pub fn lift(obj: &Obj, input: u32, name_hint: &str) -> Option<(&'static str, ConfigEvidence)> {
    let origin = Origin { input, index: 0 };
    let mut c = ConfigEvidence::default();
    let kind = if let Some(items) = array(obj, "AlarmHistoryItems") {
        c.alarm_history = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| history_item(v, at(origin, i)))
            .collect();
        "alarm-history"
    } else if obj.contains_key("MetricAlarms") || obj.contains_key("CompositeAlarms") {
        let items = array(obj, "MetricAlarms").unwrap_or(&[]);
        c.alarms = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| alarm(v, at(origin, i)))
            .collect();
        "alarms"
    } else if let Some(items) = array(obj, "MetricDataResults") {
        c.metrics = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| metric(v, at(origin, i)))
            .collect();
        "metric-data"
    } else if let Some(items) = array(obj, "metricFilters") {
        c.metric_filters = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| metric_filter(v, at(origin, i)))
            .collect();
        "metric-filters"
    } else if let Some(items) = array(obj, "Rules") {
        c.rules = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| rule(v, at(origin, i)))
            .collect();
        "eventbridge-rules"
    } else if obj.contains_key("Name")
        && obj.contains_key("Arn")
        && obj.contains_key("EventBusName")
    {
        c.rules = rule(&Value::Object(obj.clone()), origin)
            .into_iter()
            .collect();
        "eventbridge-rule"
    } else if let Some(items) = array(obj, "Targets") {
        let rule_name = rule_from_file_name(name_hint);
        c.targets = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                Some(RuleTarget {
                    rule: rule_name.clone(),
                    id: str_of(v, "Id").unwrap_or_default(),
                    arn: str_of(v, "Arn")?,
                    origin: at(origin, i),
                })
            })
            .collect();
        "eventbridge-targets"
    } else if let Some(items) = array(obj, "trailList") {
        c.trails = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| trail(v, at(origin, i)))
            .collect();
        "trails"
    } else if obj.contains_key("IsLogging") {
        let mut fields: Vec<(String, String)> = obj
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                )
            })
            .collect();
        fields.sort();
        c.trail_status.push(TrailStatus {
            is_logging: obj.get("IsLogging").and_then(Value::as_bool),
            fields,
            origin,
        });
        "trail-status"
    } else if obj.contains_key("EventSelectors") || obj.contains_key("AdvancedEventSelectors") {
        c.event_selectors.push(Value::Object(obj.clone()));
        "event-selectors"
    } else if let Some(items) = array(obj, "AccessPointList") {
        c.access_points = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                Some(ListedAccessPoint {
                    name: str_of(v, "Name")?,
                    bucket: str_of(v, "Bucket")?,
                    arn: str_of(v, "AccessPointArn"),
                    alias: str_of(v, "Alias"),
                    origin: at(origin, i),
                })
            })
            .collect();
        "s3-access-points"
    } else if obj.contains_key("EventBuses") {
        // list-event-buses: which buses the rules were read from; nothing to lift.
        "eventbridge-buses"
    } else if obj.contains_key("PublicKeyList") {
        "cloudtrail-public-keys"
    } else if obj.contains_key("digestStartTime") && obj.contains_key("logFiles") {
        "cloudtrail-digest"
    } else if obj.contains_key("trailcase_manifest") {
        "trailcase-manifest"
    } else if obj.contains_key("QueryString") {
        // collect --athena's evidence of its searches (athena/): what was asked, how it ran, what
        // it answered. The files it led to are read as they are; these are for the reader.
        "athena-query"
    } else if obj.contains_key("QueryExecution") {
        "athena-query-execution"
    } else if obj.contains_key("ResultSet") {
        "athena-query-results"
    } else if obj.contains_key("trailcase_athena_selection") {
        "trailcase-athena-selection"
    } else if obj.contains_key("trailcase_athena_left_out") {
        "trailcase-athena-left-out"
    } else {
        return None;
    };
    Some((kind, c))
}

fn at(origin: Origin, i: usize) -> Origin {
    Origin {
        index: i as u64,
        ..origin
    }
}

fn array<'a>(obj: &'a Obj, key: &str) -> Option<&'a [Value]> {
    obj.get(key).and_then(Value::as_array).map(Vec::as_slice)
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The strings of the array under `key` (an alarm's actions); none when it is absent.
fn strings_of(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn u64_of(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

fn history_item(v: &Value, origin: Origin) -> Option<AlarmHistoryItem> {
    let raw = str_of(v, "HistoryData");
    let (data, data_unreadable) = match raw.as_deref().map(serde_json::from_str::<Value>) {
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
    // A StateUpdate whose HistoryData is cut still says its states in HistorySummary.
    let from_summary = (data_unreadable.is_some() && item_type == "StateUpdate")
        .then(|| summary_states(&summary))
        .flatten();
    let state = |key: &str| {
        data.pointer(&format!("/{key}/stateValue"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Some(AlarmHistoryItem {
        alarm_name: str_of(v, "AlarmName")?,
        time: v.get("Timestamp").and_then(value_time)?,
        states_from_summary: from_summary.is_some(),
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
            .map(str::to_owned),
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

/// The evidence gap of an alarm history item whose HistoryData is not read, naming the item
/// (its index in AlarmHistoryItems, alarm, type and time) and what is unknown for it.
pub fn unreadable_gap(h: &AlarmHistoryItem) -> Option<(Option<u64>, GapKind, String)> {
    let why = h.data_unreadable.as_deref()?;
    let unknown = match h.item_type.as_str() {
        "ConfigurationUpdate" => "the alarm's definition it records (metric, namespace, actions) is unknown, so whether the alarm watched the honeytoken's metric from then on is unknown".to_string(),
        "StateUpdate" if h.states_from_summary => format!(
            "its states are taken from its HistorySummary (\"{}\"); the reason it records and the metric datapoints that crossed the threshold are unknown",
            h.summary
        ),
        "StateUpdate" => "the states it records are unknown".to_string(),
        _ => "what it records is unknown".to_string(),
    };
    Some((
        None,
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

/// The names of an alarm's metric dimensions (`[{"Name": .., "Value": ..}]`), sorted; `None`
/// when the list is not recorded.
fn dimension_names(v: &Value, key: &str, name: &str) -> Option<Vec<String>> {
    let mut names: Vec<String> = v
        .get(key)?
        .as_array()?
        .iter()
        .filter_map(|d| str_of(d, name))
        .collect();
    names.sort();
    Some(names)
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
        origin,
    }
}

fn alarm(v: &Value, origin: Origin) -> Option<AlarmDefinition> {
    Some(AlarmDefinition {
        name: str_of(v, "AlarmName")?,
        arn: str_of(v, "AlarmArn"),
        namespace: str_of(v, "Namespace"),
        metric_name: str_of(v, "MetricName"),
        statistic: str_of(v, "Statistic").or_else(|| str_of(v, "ExtendedStatistic")),
        period: u64_of(v, "Period"),
        evaluation_periods: u64_of(v, "EvaluationPeriods"),
        datapoints_to_alarm: u64_of(v, "DatapointsToAlarm"),
        threshold: v.get("Threshold").and_then(Value::as_f64),
        comparison_operator: str_of(v, "ComparisonOperator"),
        treat_missing_data: str_of(v, "TreatMissingData"),
        alarm_actions: strings_of(v, "AlarmActions"),
        state_value: str_of(v, "StateValue"),
        dimensions: dimension_names(v, "Dimensions", "Name"),
        config_updated: v
            .get("AlarmConfigurationUpdatedTimestamp")
            .and_then(value_time),
        origin,
    })
}

fn metric(v: &Value, origin: Origin) -> Option<MetricSeries> {
    let times = v.get("Timestamps")?.as_array()?;
    let values = v.get("Values")?.as_array()?;
    let mut points: Vec<(Timestamp, f64)> = times
        .iter()
        .zip(values)
        .filter_map(|(t, x)| Some((value_time(t)?, x.as_f64()?)))
        .collect();
    points.sort_by_key(|p| p.0);
    Some(MetricSeries {
        id: str_of(v, "Id").unwrap_or_default(),
        label: str_of(v, "Label").unwrap_or_default(),
        points,
        origin,
    })
}

fn metric_filter(v: &Value, origin: Origin) -> Option<MetricFilter> {
    let t = v.get("metricTransformations").and_then(|t| t.get(0));
    Some(MetricFilter {
        name: str_of(v, "filterName")?,
        pattern: str_of(v, "filterPattern").unwrap_or_default(),
        log_group: str_of(v, "logGroupName"),
        metric_name: t.and_then(|t| str_of(t, "metricName")),
        metric_namespace: t.and_then(|t| str_of(t, "metricNamespace")),
        metric_value: t.and_then(|t| str_of(t, "metricValue")),
        default_value: t
            .and_then(|t| t.get("defaultValue"))
            .and_then(Value::as_f64),
        metric_dimensions: {
            let mut names: Vec<String> = t
                .and_then(|t| t.get("dimensions"))
                .and_then(Value::as_object)
                .map(|d| d.keys().cloned().collect())
                .unwrap_or_default();
            names.sort();
            names
        },
        origin,
    })
}

fn rule(v: &Value, origin: Origin) -> Option<EventRule> {
    Some(EventRule {
        name: str_of(v, "Name")?,
        arn: str_of(v, "Arn"),
        event_pattern: str_of(v, "EventPattern"),
        state: str_of(v, "State"),
        description: str_of(v, "Description"),
        event_bus: str_of(v, "EventBusName"),
        origin,
    })
}

fn trail(v: &Value, origin: Origin) -> Option<TrailConfig> {
    let b = |k: &str| v.get(k).and_then(Value::as_bool);
    Some(TrailConfig {
        name: str_of(v, "Name")?,
        arn: str_of(v, "TrailARN"),
        s3_bucket: str_of(v, "S3BucketName"),
        home_region: str_of(v, "HomeRegion"),
        multi_region: b("IsMultiRegionTrail"),
        include_global_events: b("IncludeGlobalServiceEvents"),
        log_file_validation: b("LogFileValidationEnabled"),
        cloudwatch_log_group_arn: str_of(v, "CloudWatchLogsLogGroupArn"),
        organization_trail: b("IsOrganizationTrail"),
        origin,
    })
}

/// `targets-<rule>.json` (the case layout) names the rule that `list-targets-by-rule` omits.
fn rule_from_file_name(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".gz").unwrap_or(name);
    let stem = stem.strip_suffix(".json").unwrap_or(stem);
    stem.strip_prefix("targets-")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}
