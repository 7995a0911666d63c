//! A metric-math alarm (describe-alarms' `Metrics`, a list of MetricDataQuery with `MetricStat`
//! or `Expression`, in place of `MetricName` / `Namespace`): linked to the honeytoken only when
//! one of its `MetricStat` queries reads the honeytoken metric filter's metric (name,
//! namespace, dimensions), and then the link says its threshold applies to an expression whose
//! value was not evaluated; never replayed as firing at a threshold of the filter's metric.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The sample with its alarm turned into a metric-math alarm whose `MetricStat` query reads
/// `metric` (namespace, name), its threshold on the expression `RATE(m1) * 60`.
fn math_alarm_case(dir: &Path, namespace: &str, name: &str) -> PathBuf {
    let case = sample_to_alter(dir);
    let path = case.join("cloudwatch/alarms.json");
    let mut alarms = read_json(&path);
    let a = alarms["MetricAlarms"][0].as_object_mut().unwrap();
    for k in [
        "Namespace",
        "MetricName",
        "Dimensions",
        "Statistic",
        "Period",
    ] {
        a.remove(k);
    }
    a.insert(
        "Metrics".into(),
        json!([
            {"Id": "m1", "MetricStat": {"Metric": {"Namespace": namespace, "MetricName": name,
                "Dimensions": []}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
            {"Id": "e1", "Expression": "RATE(m1) * 60", "Label": "reads per minute",
                "ReturnData": true}
        ]),
    );
    std::fs::write(&path, alarms.to_string()).unwrap();
    case
}

#[test]
fn a_metric_math_alarm_on_the_honeytokens_metric_is_linked_with_its_expression_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let case = math_alarm_case(
        dir.path(),
        "CloudTrailMetrics",
        "HoneytokenSecretAccessCount",
    );
    let doc = timeline_of(&case);
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow1_alarm"], "2026-11-20T14:05:21.532Z", "{m}");
    assert_eq!(
        m["flow1_alarm_basis"],
        "its definition (describe-alarms) watches a metric-math expression over HoneytokenSecretAccessCount, the metric of the honeytoken metric filter HoneytokenSecretAccess (describe-metric-filters); the alarm is a metric-math alarm: it reads the filter's metric in its query m1, but its threshold applies to the expression e1: RATE(m1) * 60, whose value was not evaluated, so whether a read takes it across the threshold is unknown"
    );
    let f = replay_flow(&doc, |f| f["flow"] == "metric_filter").clone();
    assert_eq!(f["alarm"], "HoneytokenSecretAccessAlarm");
    assert_eq!(
        f["error"],
        "alarm HoneytokenSecretAccessAlarm: its threshold applies to a metric-math expression (e1: RATE(m1) * 60), whose value is not evaluated, so whether and when a read takes it across the threshold is unknown"
    );
    assert_eq!(f["predicted_pages"], Value::Null);
    assert!(f["accesses"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["predicted"].is_null()));

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("NOT REPLAYED: alarm HoneytokenSecretAccessAlarm: its threshold applies to a metric-math expression"),
        "{text}"
    );
    // The pipeline's alarm box gives the expression's threshold, not one over the filter's
    // metric.
    assert!(
        !text.contains("HoneytokenSecretAccessAlarm >= 1 over 0 s"),
        "{text}"
    );
    assert!(
        text.contains("metric math e1: RATE(m1) * 60 >= 1"),
        "{text}"
    );
}

#[test]
fn a_metric_math_alarm_reading_another_metric_is_not_linked() {
    let dir = tempfile::tempdir().unwrap();
    let case = math_alarm_case(dir.path(), "AWS/EC2", "CPUUtilization");
    let doc = timeline_of(&case);
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow1_alarm"], Value::Null, "{m}");
    assert!(m.get("flow1_alarm_basis").is_none(), "{m}");
    assert_eq!(
        m["flow1_unlinked_alarms"][0]["alarm"], "HoneytokenSecretAccessAlarm",
        "{m}"
    );
}
