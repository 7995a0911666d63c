//! CloudWatch (flow 1 and the rule metrics of flow 2): DescribeAlarms for the detection alarms
//! (`cloudwatch/alarms.json`), DescribeAlarmHistory for them over the window
//! (`cloudwatch/alarm-history.json`; asked before anything slow, its retention is short), and
//! GetMetricData for the AWS/Events metrics of the detection rules at one minute
//! (`cloudwatch/metric-data.json`).

use super::config::RegionScope;
use super::error::{gap, record, Operation};
use super::json::{smithy_time, Obj};
use super::logs::DetectionMetric;
use super::plan::CollectPlan;
use super::sink::store_json;
use super::{AwsContext, Needles, Provenance, Sink};
use aws_sdk_cloudwatch::types::{
    Dimension, Metric, MetricAlarm, MetricDataQuery, MetricStat, ScanBy,
};
use serde_json::Value;
use std::collections::BTreeMap;

const DESCRIBE_ALARMS: Operation = Operation::new("cloudwatch", "DescribeAlarms");
const HISTORY: Operation = Operation::new("cloudwatch", "DescribeAlarmHistory");
const METRIC_DATA: Operation = Operation::new("cloudwatch", "GetMetricData");

/// The EventBridge metrics that show a rule fired and its targets ran.
pub const RULE_METRICS: [&str; 4] = [
    "TriggeredRules",
    "Invocations",
    "FailedInvocations",
    "MatchedEvents",
];

pub struct Detection<'a> {
    pub needles: &'a Needles,
    /// Metrics emitted by the detection metric filters.
    pub metrics: &'a [DetectionMetric],
    /// Names of the detection rules.
    pub rules: &'a [String],
}

pub async fn collect(
    ctx: &AwsContext,
    scope: &RegionScope,
    plan: &CollectPlan,
    d: &Detection<'_>,
    sink: &dyn Sink,
) {
    let client = ctx.cloudwatch(&scope.region);
    if let Some(alarms) = alarms(&client, scope, plan, d, sink).await {
        history(&client, scope, plan, &alarms, sink).await;
    }
    metric_data(&client, scope, plan, d.rules, sink).await;
}

/// Describe every metric alarm, keep and store the detection alarms, return their names
/// (`None` when the alarms could not be described).
async fn alarms(
    client: &aws_sdk_cloudwatch::Client,
    scope: &RegionScope,
    plan: &CollectPlan,
    d: &Detection<'_>,
    sink: &dyn Sink,
) -> Option<Vec<String>> {
    let region = scope.region.as_str();
    let mut all: Vec<MetricAlarm> = Vec::new();
    let mut pages = client.describe_alarms().into_paginator().send();
    while let Some(page) = pages.next().await {
        match record(sink, DESCRIBE_ALARMS, region, page) {
            Ok(p) => all.extend(p.metric_alarms().iter().cloned()),
            Err(e) => {
                gap(sink, &format!("aws:cloudwatch:DescribeAlarms:{region}"), &e);
                return None;
            }
        }
    }
    let is_detection = |a: &MetricAlarm| {
        d.metrics.iter().any(|m| {
            a.metric_name() == Some(m.name.as_str()) && a.namespace() == Some(m.namespace.as_str())
        }) || d.needles.any_in(a.alarm_name().unwrap_or_default())
    };
    let mut kept: Vec<&MetricAlarm> = all
        .iter()
        .filter(|a| plan.all_alarms || is_detection(a))
        .collect();
    if kept.is_empty() {
        // Nothing recognisable: keep them all rather than lose the detection alarm.
        kept = all.iter().collect();
    }
    let doc = Obj::new()
        .list("MetricAlarms", kept.iter().map(|a| alarm(a)))
        .list("CompositeAlarms", Vec::<Value>::new())
        .build();
    store_json(
        sink,
        &scope.path("cloudwatch", "alarms.json"),
        &doc,
        Provenance::api("cloudwatch", "DescribeAlarms", region),
    );
    Some(
        kept.iter()
            .filter_map(|a| a.alarm_name().map(str::to_owned))
            .collect(),
    )
}

async fn history(
    client: &aws_sdk_cloudwatch::Client,
    scope: &RegionScope,
    plan: &CollectPlan,
    alarms: &[String],
    sink: &dyn Sink,
) {
    let region = scope.region.as_str();
    let (_, to) = plan.window.delivery();
    let mut items: Vec<Value> = Vec::new();
    for name in alarms {
        let mut pages = client
            .describe_alarm_history()
            .alarm_name(name)
            .start_date(smithy_time(plan.window.from))
            .end_date(smithy_time(to))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match record(sink, HISTORY, region, page) {
                Ok(p) => items.extend(p.alarm_history_items().iter().map(|h| {
                    Obj::new()
                        .opt("AlarmName", h.alarm_name())
                        .opt("AlarmType", h.alarm_type().map(|t| t.as_str()))
                        .time("Timestamp", h.timestamp())
                        .opt("HistoryItemType", h.history_item_type().map(|t| t.as_str()))
                        .opt("HistorySummary", h.history_summary())
                        .opt("HistoryData", h.history_data())
                        .build()
                })),
                Err(e) => {
                    gap(
                        sink,
                        &format!("aws:cloudwatch:DescribeAlarmHistory:{region}:{name}"),
                        &e,
                    );
                    break;
                }
            }
        }
    }
    let doc = Obj::new().list("AlarmHistoryItems", items).build();
    store_json(
        sink,
        &scope.path("cloudwatch", "alarm-history.json"),
        &doc,
        Provenance::api("cloudwatch", "DescribeAlarmHistory", region),
    );
}

async fn metric_data(
    client: &aws_sdk_cloudwatch::Client,
    scope: &RegionScope,
    plan: &CollectPlan,
    rules: &[String],
    sink: &dyn Sink,
) {
    if rules.is_empty() {
        return;
    }
    let region = scope.region.as_str();
    let (_, to) = plan.window.delivery();
    let queries = rule_queries(rules);
    // Results come back split across pages; join them by query id, in query order.
    let mut merged: BTreeMap<String, Series> = BTreeMap::new();
    let mut messages: Vec<Value> = Vec::new();
    for chunk in queries.chunks(500) {
        let mut pages = client
            .get_metric_data()
            .set_metric_data_queries(Some(chunk.to_vec()))
            .start_time(smithy_time(plan.window.from))
            .end_time(smithy_time(to))
            .scan_by(ScanBy::TimestampAscending)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = match record(sink, METRIC_DATA, region, page) {
                Ok(p) => p,
                Err(e) => return gap(sink, &format!("aws:cloudwatch:GetMetricData:{region}"), &e),
            };
            for r in page.metric_data_results() {
                let entry = merged
                    .entry(r.id().unwrap_or_default().to_string())
                    .or_default();
                entry.label = r.label().map(str::to_owned).or(entry.label.take());
                entry
                    .times
                    .extend(r.timestamps().iter().map(super::json::cli_time));
                entry.values.extend(r.values());
                entry.status = r.status_code().map(|s| s.as_str().to_owned());
            }
            messages.extend(page.messages().iter().map(|m| {
                Obj::new()
                    .opt("Code", m.code())
                    .opt("Value", m.value())
                    .build()
            }));
        }
    }
    let results: Vec<Value> = queries
        .iter()
        .filter_map(|q| {
            let id = q.id()?;
            let Series {
                label,
                times,
                values,
                status,
            } = merged.remove(id)?;
            Some(
                Obj::new()
                    .put("Id", id)
                    .opt("Label", label)
                    .list("Timestamps", times)
                    .list("Values", values)
                    .opt("StatusCode", status)
                    .build(),
            )
        })
        .collect();
    let doc = Obj::new()
        .list("MetricDataResults", results)
        .list("Messages", messages)
        .build();
    store_json(
        sink,
        &scope.path("cloudwatch", "metric-data.json"),
        &doc,
        Provenance::api("cloudwatch", "GetMetricData", region),
    );
}

/// One metric's results joined across pages.
#[derive(Default)]
struct Series {
    label: Option<String>,
    times: Vec<String>,
    values: Vec<f64>,
    status: Option<String>,
}

/// One query per rule and metric: the one-minute Sum of AWS/Events `<metric>` for `RuleName`.
pub fn rule_queries(rules: &[String]) -> Vec<MetricDataQuery> {
    let mut out = Vec::new();
    for (r, rule) in rules.iter().enumerate() {
        for (m, metric) in RULE_METRICS.iter().enumerate() {
            let stat = MetricStat::builder()
                .metric(
                    Metric::builder()
                        .namespace("AWS/Events")
                        .metric_name(*metric)
                        .dimensions(Dimension::builder().name("RuleName").value(rule).build())
                        .build(),
                )
                .period(60)
                .stat("Sum")
                .build();
            out.push(
                MetricDataQuery::builder()
                    .id(format!("r{r}m{m}"))
                    .label(format!("{rule} {metric}"))
                    .metric_stat(stat)
                    .return_data(true)
                    .build(),
            );
        }
    }
    out
}

fn alarm(a: &MetricAlarm) -> Value {
    let dims: Vec<Value> = a
        .dimensions()
        .iter()
        .map(|d| {
            Obj::new()
                .opt("Name", d.name())
                .opt("Value", d.value())
                .build()
        })
        .collect();
    let strs = |v: &[String]| {
        v.iter()
            .map(String::as_str)
            .map(Value::from)
            .collect::<Vec<_>>()
    };
    Obj::new()
        .opt("AlarmName", a.alarm_name())
        .opt("AlarmArn", a.alarm_arn())
        .opt("AlarmDescription", a.alarm_description())
        .time(
            "AlarmConfigurationUpdatedTimestamp",
            a.alarm_configuration_updated_timestamp(),
        )
        .opt("ActionsEnabled", a.actions_enabled())
        .list("OKActions", strs(a.ok_actions()))
        .list("AlarmActions", strs(a.alarm_actions()))
        .list(
            "InsufficientDataActions",
            strs(a.insufficient_data_actions()),
        )
        .opt("StateValue", a.state_value().map(|s| s.as_str()))
        .opt("StateReason", a.state_reason())
        .opt("StateReasonData", a.state_reason_data())
        .time("StateUpdatedTimestamp", a.state_updated_timestamp())
        .opt("MetricName", a.metric_name())
        .opt("Namespace", a.namespace())
        .opt("Statistic", a.statistic().map(|s| s.as_str()))
        .opt("ExtendedStatistic", a.extended_statistic())
        .list("Dimensions", dims)
        .opt("Period", a.period())
        .opt("Unit", a.unit().map(|u| u.as_str()))
        .opt("EvaluationPeriods", a.evaluation_periods())
        .opt("DatapointsToAlarm", a.datapoints_to_alarm())
        .opt("Threshold", a.threshold())
        .opt(
            "ComparisonOperator",
            a.comparison_operator().map(|c| c.as_str()),
        )
        .opt("TreatMissingData", a.treat_missing_data())
        .opt(
            "EvaluateLowSampleCountPercentile",
            a.evaluate_low_sample_count_percentile(),
        )
        .opt("ThresholdMetricId", a.threshold_metric_id())
        .opt("EvaluationState", a.evaluation_state().map(|s| s.as_str()))
        .time(
            "StateTransitionedTimestamp",
            a.state_transitioned_timestamp(),
        )
        .build()
}
