//! Flow 1's alarm linked to the honeytoken by its own alarm history: with no describe-alarms
//! entry for the alarm, the definition its `ConfigurationUpdate` item records (the latest
//! before the first access) links it to a honeytoken metric filter, and the JSON and report say
//! so; without the metric filters, the alarm stays unlinked but its definition is named.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The sample without its describe-alarms output: the alarm history's Create item (2026-11-02)
/// is the only definition of HoneytokenSecretAccessAlarm left.
fn no_describe_alarms(dir: &Path) -> PathBuf {
    let case = sample_to_alter(dir);
    std::fs::remove_file(case.join("cloudwatch/alarms.json")).unwrap();
    case
}

const CREATE: &str =
    "alarm:HoneytokenSecretAccessAlarm:ConfigurationUpdate:2026-11-02T10:15:58.204Z";

fn valid(doc: &Value) {
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    let violations = schema::schema_violations(&schema, doc);
    assert!(violations.is_empty(), "{violations:?}");
}

fn unknowns(i: &Value) -> Vec<&str> {
    i["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect()
}

#[test]
fn an_alarm_defined_only_in_its_history_is_linked_and_cited() {
    let dir = tempfile::tempdir().unwrap();
    let case = no_describe_alarms(dir.path());
    let doc = timeline_of(&case);
    valid(&doc);
    let i = &doc["incidents"][0];
    let m = &i["milestones"];
    assert_eq!(m["flow1_alarm"], "2026-11-20T14:05:21.532Z", "{m}");
    assert!(m.get("flow1_unlinked_alarms").is_none(), "{m}");
    let basis = m["flow1_alarm_basis"].as_str().unwrap();
    assert!(
        basis.starts_with(&format!(
            "alarm history ConfigurationUpdate at 2026-11-02T10:15:58.204Z ({CREATE}): the alarm's definition (Create), the latest before the first access, watches CloudTrailMetrics/HoneytokenSecretAccessCount, the metric of the honeytoken metric filter"
        )),
        "{basis}"
    );
    assert!(i["latency_seconds"]["flow1_detect"].is_number());
    assert!(
        !unknowns(i).iter().any(|u| u.starts_with("flow1_alarm")),
        "{:?}",
        unknowns(i)
    );

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Flow 1's alarm is linked to the honeytoken by: alarm history ConfigurationUpdate at 2026-11-02T10:15:58.204Z"),
        "{text}"
    );
}

/// A later Update pointing the alarm at another metric is not the definition at the time of
/// the read: the alarm stays linked, but its transitions after the change are not flow 1's.
#[test]
fn an_update_after_the_read_does_not_relink_the_alarm() {
    let dir = tempfile::tempdir().unwrap();
    let case = no_describe_alarms(dir.path());
    let path = case.join("cloudwatch/alarm-history.json");
    let mut history = read_json(&path);
    let data = json!({"version": "1.0", "type": "Update",
        "updatedAlarm": {"alarmName": "HoneytokenSecretAccessAlarm", "namespace": "AWS/EC2", "metricName": "CPUUtilization", "alarmActions": []},
        "originalUpdatedFields": {"namespace": "CloudTrailMetrics", "metricName": "HoneytokenSecretAccessCount"}});
    history["AlarmHistoryItems"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "AlarmName": "HoneytokenSecretAccessAlarm",
            "AlarmType": "MetricAlarm",
            "Timestamp": "2026-11-20T14:03:30.000000+00:00",
            "HistoryItemType": "ConfigurationUpdate",
            "HistorySummary": "Alarm \"HoneytokenSecretAccessAlarm\" updated",
            "HistoryData": data.to_string(),
        }));
    std::fs::write(&path, history.to_string()).unwrap();
    let doc = timeline_of(&case);
    let i = &doc["incidents"][0];
    assert_eq!(i["milestones"]["flow1_alarm"], Value::Null);
    let u = unknowns(i);
    assert!(
        u.iter().any(|u| u.starts_with("flow1_alarm: alarm HoneytokenSecretAccessAlarm's definition changed to watch AWS/EC2/CPUUtilization at 2026-11-20T14:03:30Z (alarm:HoneytokenSecretAccessAlarm:ConfigurationUpdate:2026-11-20T14:03:30Z), after the first access")),
        "{u:?}"
    );
}

/// Without the metric filters, the history's definition names a metric but nothing in the
/// evidence says what feeds it: flow 1 stays unknown, the alarm's definition is named.
#[test]
fn without_metric_filters_the_history_definition_is_named_not_linked() {
    let dir = tempfile::tempdir().unwrap();
    let case = no_describe_alarms(dir.path());
    std::fs::remove_file(case.join("logs/metric-filters.json")).unwrap();
    let doc = timeline_of(&case);
    valid(&doc);
    let i = &doc["incidents"][0];
    let m = &i["milestones"];
    assert_eq!(m["flow1_alarm"], Value::Null);
    assert!(m.get("flow1_alarm_basis").is_none(), "{m}");
    let def = m["flow1_unlinked_alarms"][0]["definition"]
        .as_str()
        .unwrap();
    assert_eq!(
        def,
        format!("alarm history ConfigurationUpdate at 2026-11-02T10:15:58.204Z ({CREATE}): its definition (Create) watches CloudTrailMetrics/HoneytokenSecretAccessCount with alarm action(s) arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email; no metric filter is in the evidence to say whether the honeytoken's feeds it: collect the log group's metric filters (describe-metric-filters) to link it")
    );
    let u = unknowns(i);
    assert!(
        u.iter().any(|u| u.starts_with(
            "flow1_alarm: unknown: no alarm linked to the honeytoken in the evidence"
        ) && u.contains(&format!(
            "what the alarm history says they watched: HoneytokenSecretAccessAlarm: {def}"
        ))),
        "{u:?}"
    );
}

/// The NIST rows counted an alarm row as flow 1's when an incident cites it or describe-alarms
/// defines the alarm: an alarm defined only in its history whose transition no incident cites
/// (here no read of the honeytoken is left in the records: the alarm_without_access case) was
/// left out, AU-6 saying no alarm transition shows flow 1. Its history definition in force at
/// the transition watches the honeytoken filter's metric, as flow 1's rule links alarms: it
/// counts.
#[test]
fn nist_counts_a_history_defined_alarms_transition_no_incident_cites() {
    let dir = tempfile::tempdir().unwrap();
    let case = no_describe_alarms(dir.path());
    let dropped = alter_records(&case, |r| {
        !r.to_string().contains("Production_Database_Credentials")
    });
    assert!(dropped > 0);
    let (t, _) = model(&[&case]);
    assert!(t.incidents.is_empty());
    assert!(
        t.entries
            .iter()
            .any(|e| e.kind == trailcase::model::EntryKind::Alarm
                && e.incidents.is_empty()
                && e.outcome.ends_with("-> ALARM")),
        "no uncited alarm row"
    );
    let rows = trailcase::report::content::nist::rows(
        &t,
        &trailcase::report::content::IntegrityStatement::default(),
    );
    let au6 = rows.iter().find(|r| r.id == "AU-6").unwrap();
    assert!(
        au6.statement
            .starts_with("Both flows reviewed the records automatically")
            || au6
                .statement
                .starts_with("Flow 1 reviewed the records automatically"),
        "{}",
        au6.statement
    );
    assert!(
        au6.evidence
            .iter()
            .any(|e| e.starts_with("alarm:HoneytokenSecretAccessAlarm:StateUpdate:")),
        "{:?}",
        au6.evidence
    );
}
