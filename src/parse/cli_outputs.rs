//! The AWS CLI outputs that describe the monitoring pipeline (`--output json` shapes):
//! describe-alarm-history, describe-alarms, get-metric-data, describe-metric-filters,
//! list-event-buses, list-rules / describe-rule, list-targets-by-rule, describe-trails, get-trail-status,
//! get-event-selectors, s3control list-access-points; plus outputs that are evidence but carry no records (public keys,
//! digests, trailcase manifests).

mod history;

use super::time::value_time;
use crate::model::*;
use history::history_item;
pub use history::unreadable_gap;
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
        math: metric_math(v),
        origin,
    })
}

/// A metric-math alarm's `Metrics` (describe-alarms): each query's `MetricStat.Metric`, and the
/// query with `ReturnData` true (the only one when none says), as `<id>: <expression>`.
fn metric_math(v: &Value) -> Option<MetricMath> {
    metric_math_keyed(v, &|k| k.to_string())
}

/// The same read of an alarm history `ConfigurationUpdate`'s `metrics` (its keys in
/// camelCase: `metricStat`, `metric`, `metricName`, `returnData` …).
pub(super) fn history_metric_math(v: &Value) -> Option<MetricMath> {
    metric_math_keyed(v, &|k| {
        let mut c = k.chars();
        c.next()
            .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
            .unwrap_or_default()
    })
}

/// A metric-math alarm's queries, its keys spelt by `key` from describe-alarms' PascalCase.
fn metric_math_keyed(v: &Value, key: &dyn Fn(&str) -> String) -> Option<MetricMath> {
    let str_at = |v: &Value, k: &str| str_of(v, &key(k));
    let metric = |q: &Value| q.get(key("MetricStat"))?.get(key("Metric")).cloned();
    let queries = v
        .get(key("Metrics"))?
        .as_array()
        .filter(|q| !q.is_empty())?;
    let stats = queries
        .iter()
        .filter_map(|q| {
            let m = metric(q)?;
            Some(MathStat {
                id: str_at(q, "Id").unwrap_or_default(),
                namespace: str_at(&m, "Namespace"),
                name: str_at(&m, "MetricName"),
                dimensions: dimension_names(&m, &key("Dimensions"), &key("Name"))
                    .unwrap_or_default(),
            })
        })
        .collect();
    let returned = queries
        .iter()
        .find(|q| q.get(key("ReturnData")).and_then(Value::as_bool) == Some(true))
        .or((queries.len() == 1).then(|| &queries[0]))
        .map(|q| {
            let what = str_at(q, "Expression").unwrap_or_else(|| {
                let m = metric(q);
                format!(
                    "{}/{}",
                    m.as_ref()
                        .and_then(|m| str_at(m, "Namespace"))
                        .unwrap_or_default(),
                    m.as_ref()
                        .and_then(|m| str_at(m, "MetricName"))
                        .unwrap_or_default()
                )
            });
            format!("{}: {what}", str_at(q, "Id").unwrap_or_default())
        });
    Some(MetricMath { stats, returned })
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
