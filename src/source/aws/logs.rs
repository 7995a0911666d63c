//! CloudWatch Logs: DescribeMetricFilters, stored as `logs/metric-filters.json`. The filters
//! that count honeytoken reads tell which alarms are the detection alarms (flow 1).

use super::config::RegionScope;
use super::error::{gap, record, Operation};
use super::json::Obj;
use super::sink::store_json;
use super::{AwsContext, Needles, Provenance, Sink};
use serde_json::Value;

const DESCRIBE: Operation = Operation::new("logs", "DescribeMetricFilters");

/// The metric a detection filter emits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectionMetric {
    pub namespace: String,
    pub name: String,
}

/// Store every metric filter; return the metrics of those that mention the honeytoken.
pub async fn collect(
    ctx: &AwsContext,
    scope: &RegionScope,
    needles: &Needles,
    sink: &dyn Sink,
) -> Vec<DetectionMetric> {
    let region = scope.region.as_str();
    let client = ctx.logs(region);
    let mut filters: Vec<Value> = Vec::new();
    let mut detection = Vec::new();
    let mut pages = client.describe_metric_filters().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = match record(sink, DESCRIBE, region, page) {
            Ok(p) => p,
            Err(e) => {
                gap(
                    sink,
                    &format!("aws:logs:DescribeMetricFilters:{region}"),
                    &e,
                );
                return detection;
            }
        };
        for f in page.metric_filters() {
            if needles.any_in(f.filter_pattern().unwrap_or_default())
                || needles.any_in(f.filter_name().unwrap_or_default())
            {
                detection.extend(f.metric_transformations().iter().map(|t| DetectionMetric {
                    namespace: t.metric_namespace().to_string(),
                    name: t.metric_name().to_string(),
                }));
            }
            filters.push(metric_filter(f));
        }
    }
    let doc = Obj::new().list("metricFilters", filters).build();
    let path = scope.path("logs", "metric-filters.json");
    store_json(
        sink,
        &path,
        &doc,
        Provenance::api("logs", "DescribeMetricFilters", region),
    );
    detection
}

fn metric_filter(f: &aws_sdk_cloudwatchlogs::types::MetricFilter) -> Value {
    let transformations: Vec<Value> = f
        .metric_transformations()
        .iter()
        .map(|t| {
            let dims = t.dimensions().map(|d| {
                let sorted: std::collections::BTreeMap<_, _> = d.iter().collect();
                serde_json::to_value(sorted).unwrap_or_default()
            });
            Obj::new()
                .put("metricName", t.metric_name())
                .put("metricNamespace", t.metric_namespace())
                .put("metricValue", t.metric_value())
                .opt("defaultValue", t.default_value())
                .opt("dimensions", dims)
                .opt("unit", t.unit().map(|u| u.as_str()))
                .build()
        })
        .collect();
    Obj::new()
        .opt("filterName", f.filter_name())
        .opt("filterPattern", f.filter_pattern())
        .list("metricTransformations", transformations)
        .opt("creationTime", f.creation_time())
        .opt("logGroupName", f.log_group_name())
        .put("applyOnTransformedLogs", f.apply_on_transformed_logs())
        .build()
}
