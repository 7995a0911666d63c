//! The alarm the replay evaluates on flow 1's metric filter, and the alarm flow 1 is timed by,
//! agree with `[detection].alarms`, describe-alarms and the alarm history, or the disagreement
//! is said: an alarm known only from its history is replayed by the definition it records; a
//! configured alarm the evidence does not show on the honeytoken's metric, and an alarm the
//! evidence links that the configuration does not name, are named in the JSON and the report.

use crate::support::*;
use serde_json::{json, Value};

fn flow1_replay(doc: &Value) -> &Value {
    replay_flow(doc, |f| f["flow"] == "metric_filter")
}

#[test]
fn an_alarm_defined_only_in_its_history_is_the_one_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    std::fs::remove_file(case.join("cloudwatch/alarms.json")).unwrap();
    let doc = timeline_of(&case);
    let f = flow1_replay(&doc);
    assert_eq!(f["alarm"], "HoneytokenSecretAccessAlarm", "{f}");
    assert_eq!(f["error"], Value::Null, "{f}");
    assert_eq!(
        f["alarm_basis"],
        "its definition is the one in force at the first access (2026-11-20T14:02:17Z), as the alarm history ConfigurationUpdate at 2026-11-02T10:15:58.204Z (alarm:HoneytokenSecretAccessAlarm:ConfigurationUpdate:2026-11-02T10:15:58.204Z) records it; no describe-alarms entry for it is in the evidence"
    );
    assert_eq!(f["accesses"][0]["predicted"], "2026-11-20T14:03:00Z");
    assert_eq!(f["accesses"][0]["actual"], "2026-11-20T14:05:21.532Z");
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Alarm HoneytokenSecretAccessAlarm, replayed on the metric of HoneytokenSecretAccess: its definition is the one in force at the first access (2026-11-20T14:02:17Z), as the alarm history ConfigurationUpdate"),
        "{text}"
    );
    assert!(
        !text.contains("no alarm on the filter's metric in the evidence"),
        "{text}"
    );
}

/// `[detection].alarms` names an alarm describe-alarms shows on a CPU metric, while the
/// sample's alarm is the one on the honeytoken metric filter's metric.
#[test]
fn a_configured_alarm_the_evidence_contradicts_is_said_not_swapped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let path = case.join("cloudwatch/alarms.json");
    let mut alarms = read_json(&path);
    alarms["MetricAlarms"].as_array_mut().unwrap().push(json!({
        "AlarmName": "HighCPU-web", "Namespace": "AWS/EC2", "MetricName": "CPUUtilization",
        "Dimensions": [], "Statistic": "Average", "Period": 300, "EvaluationPeriods": 1,
        "Threshold": 80.0, "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": []}));
    std::fs::write(&path, alarms.to_string()).unwrap();
    let toml = case.join("trailcase.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("\n[detection]\nalarms = [\"HighCPU-web\"]\n");
    std::fs::write(&toml, config).unwrap();

    let doc = timeline_of(&case);
    let f = flow1_replay(&doc);
    assert_eq!(f["alarm"], "HoneytokenSecretAccessAlarm");
    assert_eq!(
        f["alarm_basis"],
        "[detection].alarms names HighCPU-web, none of which the evidence shows on this filter's metric; HoneytokenSecretAccessAlarm is on it (describe-alarms) and is the alarm replayed: which alarm is flow 1's, the configured or this one, the evidence does not settle"
    );
    let i = &doc["incidents"][0];
    let unknowns = i["unknowns"].to_string();
    for said in [
        "flow1_alarm: [detection].alarms names HighCPU-web, but the evidence does not show it watching a honeytoken metric filter's metric at the first access (its definition (describe-alarms) watches AWS/EC2/CPUUtilization); it is taken as flow 1's because it is named there",
        "flow1_alarm: the evidence links alarm HoneytokenSecretAccessAlarm to the honeytoken (its definition (describe-alarms) watches CloudTrailMetrics/HoneytokenSecretAccessCount, the metric of the honeytoken metric filter HoneytokenSecretAccess (describe-metric-filters)), but [detection].alarms does not name it: its transitions are not taken for flow 1's",
    ] {
        assert!(unknowns.contains(said), "{said}\n{unknowns}");
    }
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("[detection].alarms names HighCPU-web, none of which the evidence shows on this filter's metric"),
        "{text}"
    );
    assert!(
        text.contains(
            "but [detection].alarms does not name it: its transitions are not taken for flow 1's"
        ),
        "{text}"
    );
}

/// `[detection].alarms` names an alarm the evidence holds nothing of (no describe-alarms
/// entry, no history item): it is named as not examined, not passed over.
#[test]
fn a_configured_alarm_absent_from_the_evidence_is_named_as_not_examined() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let toml = case.join("trailcase.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str(
        "\n[detection]\nalarms = [\"HoneytokenSecretAccessAlarm\", \"HoneytokenParamAlarm\"]\n",
    );
    std::fs::write(&toml, config).unwrap();

    let doc = timeline_of(&case);
    let i = &doc["incidents"][0];
    assert_eq!(i["milestones"]["flow1_alarm"], "2026-11-20T14:05:21.532Z");
    let said = "flow1_alarm: [detection].alarms names HoneytokenParamAlarm, but the evidence holds nothing of it (no describe-alarms entry, no alarm history item): its definition and its transitions are not in the evidence, not examined; collect them (describe-alarms, describe-alarm-history --alarm-name HoneytokenParamAlarm)";
    assert!(
        i["unknowns"].as_array().unwrap().iter().any(|u| u == said),
        "{}",
        i["unknowns"]
    );
    assert!(!i["unknowns"]
        .to_string()
        .contains("names HoneytokenSecretAccessAlarm, but"));
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains(
            "[detection].alarms names HoneytokenParamAlarm, but the evidence holds nothing of it"
        ),
        "{text}"
    );
}
