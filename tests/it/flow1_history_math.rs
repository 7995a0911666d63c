//! A metric-math alarm recorded only in the alarm history (a `ConfigurationUpdate` whose
//! `createdAlarm` has `metrics`, MetricDataQuery items in camelCase, in place of `metricName`)
//! is read as describe-alarms' metric-math alarms are: linked when a `metricStat` query reads
//! the honeytoken metric filter's metric, its threshold on an expression not evaluated, and
//! never replayed as a threshold on the filter's metric.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The sample without describe-alarms, its alarm's Create item turned into a metric-math
/// alarm whose `metricStat` query reads `namespace`/`name`.
fn history_math_case(dir: &Path, namespace: &str, name: &str) -> PathBuf {
    let case = sample_to_alter(dir);
    std::fs::remove_file(case.join("cloudwatch/alarms.json")).unwrap();
    edit_history(&case, |items| {
        let item = items
            .iter_mut()
            .find(|i| i["HistoryItemType"] == "ConfigurationUpdate")
            .unwrap();
        let mut data: Value = serde_json::from_str(item["HistoryData"].as_str().unwrap()).unwrap();
        let a = data["createdAlarm"].as_object_mut().unwrap();
        for k in [
            "namespace",
            "metricName",
            "dimensions",
            "statistic",
            "period",
        ] {
            a.remove(k);
        }
        a.insert(
            "metrics".into(),
            json!([
                {"id": "m1", "metricStat": {"metric": {"namespace": namespace, "metricName": name,
                    "dimensions": []}, "period": 60, "stat": "Sum"}, "returnData": false},
                {"id": "e1", "expression": "RATE(m1) * 60", "label": "reads per minute",
                    "returnData": true}
            ]),
        );
        item["HistoryData"] = data.to_string().into();
    });
    case
}

#[test]
fn a_history_only_metric_math_alarm_on_the_honeytokens_metric_is_linked() {
    let dir = tempfile::tempdir().unwrap();
    let case = history_math_case(
        dir.path(),
        "CloudTrailMetrics",
        "HoneytokenSecretAccessCount",
    );
    let doc = timeline_of(&case);
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow1_alarm"], "2026-11-20T14:05:21.532Z", "{m}");
    let basis = m["flow1_alarm_basis"].as_str().unwrap();
    assert!(
        basis.contains("watches a metric-math expression over HoneytokenSecretAccessCount, the metric of the honeytoken metric filter HoneytokenSecretAccess")
            && basis.contains("the alarm is a metric-math alarm: it reads the filter's metric in its query m1, but its threshold applies to the expression e1: RATE(m1) * 60, whose value was not evaluated"),
        "{basis}"
    );
    let f = replay_flow(&doc, |f| f["flow"] == "metric_filter").clone();
    assert_eq!(f["predicted_pages"], Value::Null, "{f}");
    assert!(
        f["error"]
            .as_str()
            .unwrap()
            .contains("its threshold applies to a metric-math expression (e1: RATE(m1) * 60)"),
        "{f}"
    );
}

#[test]
fn a_history_only_metric_math_alarm_reading_another_metric_is_not_linked() {
    let dir = tempfile::tempdir().unwrap();
    let case = history_math_case(dir.path(), "AWS/EC2", "CPUUtilization");
    let doc = timeline_of(&case);
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow1_alarm"], Value::Null, "{m}");
    assert_eq!(
        m["flow1_unlinked_alarms"][0]["alarm"], "HoneytokenSecretAccessAlarm",
        "{m}"
    );
    // Why it is not linked: it is a metric-math alarm, its expression and the metric its
    // query reads, none the honeytoken's (it said "watches no single metric").
    let all = doc.to_string();
    assert!(!all.contains("no single metric"), "{all}");
    let unknowns = doc["incidents"][0]["unknowns"].to_string();
    assert!(
        unknowns.contains("its definition (Create) is a metric-math alarm (its expression e1: RATE(m1) * 60) whose MetricStat query reads m1: AWS/EC2/CPUUtilization")
            && unknowns.contains("none of them reads the honeytoken metric filter's metric (name, namespace and dimension names)"),
        "{unknowns}"
    );
}
