//! Flow 1's alarm linked to the honeytoken's metric filter only by the same metric: name,
//! namespace and dimension names (describe-alarms and the alarm history alike). A metric of the
//! same name in another namespace, or without the filter's dimensions, is another metric; what
//! describe-alarms does not record (the namespace) is said to be what the link does not rest on.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The sample with its describe-alarms entry changed by `edit`, and its metric filters by
/// `edit_filter`.
fn altered(
    dir: &Path,
    edit: impl FnOnce(&mut Value),
    edit_filter: impl FnOnce(&mut Value),
) -> PathBuf {
    let case = sample_to_alter(dir);
    let path = case.join("cloudwatch/alarms.json");
    let mut alarms = read_json(&path);
    edit(&mut alarms["MetricAlarms"][0]);
    std::fs::write(&path, alarms.to_string()).unwrap();
    let path = case.join("logs/metric-filters.json");
    let mut filters = read_json(&path);
    edit_filter(&mut filters["metricFilters"][0]);
    std::fs::write(&path, filters.to_string()).unwrap();
    case
}

#[test]
fn the_same_metric_name_in_another_namespace_is_not_the_honeytokens_metric() {
    let dir = tempfile::tempdir().unwrap();
    let case = altered(
        dir.path(),
        |a| a["Namespace"] = "Custom/Other".into(),
        |_| {},
    );
    let doc = timeline_of(&case);
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow1_alarm"], Value::Null, "{m}");
    assert_eq!(
        m["flow1_unlinked_alarms"][0]["definition"],
        "its definition (describe-alarms) watches Custom/Other/HoneytokenSecretAccessCount; the honeytoken metric filter HoneytokenSecretAccess publishes a metric of that name with namespace CloudTrailMetrics, not Custom/Other: not the alarm's metric"
    );
    let text = report_text(dir.path(), &case);
    assert!(
        text.contains(
            "publishes a metric of that name with namespace CloudTrailMetrics, not Custom/Other"
        ),
        "{text}"
    );
}

#[test]
fn without_a_namespace_in_describe_alarms_the_link_says_it_rests_on_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let case = altered(
        dir.path(),
        |a| {
            a.as_object_mut().unwrap().remove("Namespace");
        },
        |_| {},
    );
    let doc = timeline_of(&case);
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow1_alarm"], "2026-11-20T14:05:21.532Z", "{m}");
    assert_eq!(
        m["flow1_alarm_basis"],
        "its definition (describe-alarms) watches HoneytokenSecretAccessCount, the metric of the honeytoken metric filter HoneytokenSecretAccess (describe-metric-filters); describe-alarms records no namespace for the alarm's metric: the link rests on the metric name only"
    );
    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("describe-alarms records no namespace for the alarm's metric: the link rests on the metric name only"),
        "{text}"
    );
}

/// A filter with dimensions publishes one metric per value; the alarm on the metric without
/// dimensions watches none of them.
#[test]
fn an_alarm_without_the_filters_dimensions_is_not_linked() {
    let dir = tempfile::tempdir().unwrap();
    let case = altered(
        dir.path(),
        |_| {},
        |f| f["metricTransformations"][0]["dimensions"] = json!({"EventName": "$.eventName"}),
    );
    let doc = timeline_of(&case);
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow1_alarm"], Value::Null, "{m}");
    assert_eq!(
        m["flow1_unlinked_alarms"][0]["definition"],
        "its definition (describe-alarms) watches CloudTrailMetrics/HoneytokenSecretAccessCount; the honeytoken metric filter HoneytokenSecretAccess publishes a metric of that name with dimensions EventName, not none: not the alarm's metric"
    );
}
