//! Flow 1's alarm linked by the definition in force at the first access, not the one collected
//! later: an Update's HistoryData records the fields it changed with their former values
//! (`originalUpdatedFields`) beside the new definition (`updatedAlarm`), so an alarm moved off
//! the honeytoken's metric after the read was linked then, and one moved onto it after the read
//! was not, whatever describe-alarms shows now.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const UPDATE: &str = "alarm:HoneytokenSecretAccessAlarm:ConfigurationUpdate:2026-11-20T15:00:00Z";

/// The sample with an Update at 15:00 (after the read at 14:02) that set `new` over the
/// created definition, recording `original` as the changed fields' former values; describe-alarms
/// then shows the updated definition, in force since 15:00. `keep_create`: whether the
/// history still holds the alarm's Create.
fn updated_after_the_read(dir: &Path, new: Value, original: Value, keep_create: bool) -> PathBuf {
    let case = sample_to_alter(dir);
    edit_history(&case, |items| {
        let mut updated = created_alarm(items);
        for (k, v) in new.as_object().unwrap() {
            updated[k] = v.clone();
        }
        if !keep_create {
            items.retain(|i| i["HistoryItemType"] != "ConfigurationUpdate");
        }
        items.push(alarm_update_item(
            "2026-11-20T15:00:00.000000+00:00",
            updated,
            original,
        ));
    });
    let alarms_path = case.join("cloudwatch/alarms.json");
    let mut alarms = read_json(&alarms_path);
    let alarm = &mut alarms["MetricAlarms"][0];
    for (k, v) in new.as_object().unwrap() {
        let key = match k.as_str() {
            "namespace" => "Namespace",
            "metricName" => "MetricName",
            other => other,
        };
        alarm[key] = v.clone();
    }
    alarm["AlarmConfigurationUpdatedTimestamp"] = "2026-11-20T15:00:00.000000+00:00".into();
    std::fs::write(&alarms_path, alarms.to_string()).unwrap();
    case
}

/// The sample with describe-alarms' definition in force since 15:00 (after the read at 14:02)
/// and no ConfigurationUpdate left in the alarm history.
fn described_after_the_read_without_history(dir: &Path) -> PathBuf {
    let case = sample_to_alter(dir);
    let alarms_path = case.join("cloudwatch/alarms.json");
    let mut alarms = read_json(&alarms_path);
    alarms["MetricAlarms"][0]["AlarmConfigurationUpdatedTimestamp"] =
        "2026-11-20T15:00:00.000000+00:00".into();
    std::fs::write(&alarms_path, alarms.to_string()).unwrap();
    edit_history(&case, |items| {
        items.retain(|i| i["HistoryItemType"] != "ConfigurationUpdate")
    });
    case
}

fn honeytoken_metric() -> Value {
    json!({"namespace": "CloudTrailMetrics", "metricName": "HoneytokenSecretAccessCount"})
}

fn cpu() -> Value {
    json!({"namespace": "AWS/EC2", "metricName": "CPUUtilization"})
}

#[test]
fn an_alarm_moved_off_the_honeytoken_metric_after_the_read_was_flow_1s_then() {
    let dir = tempfile::tempdir().unwrap();
    // Only the Update is left of the alarm's configuration history: its former values say
    // what it watched at the read.
    let case = updated_after_the_read(dir.path(), cpu(), honeytoken_metric(), false);
    let doc = timeline_of(&case);
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow1_alarm"], "2026-11-20T14:05:21.532Z", "{m}");
    let basis = m["flow1_alarm_basis"].as_str().unwrap();
    assert_eq!(
        basis,
        format!("alarm history ConfigurationUpdate at 2026-11-20T15:00:00Z ({UPDATE}), the alarm's first recorded change after the first access: its definition before that Update (the changed fields' former values, originalUpdatedFields, over the updated definition), watched CloudTrailMetrics/HoneytokenSecretAccessCount, the metric of the honeytoken metric filter HoneytokenSecretAccess (describe-metric-filters); describe-alarms shows its definition after a later change, not the one at the first access")
    );
    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("Flow 1's alarm is linked to the honeytoken by: alarm history ConfigurationUpdate at 2026-11-20T15:00:00Z"),
        "{text}"
    );
}

#[test]
fn an_alarm_moved_onto_the_honeytoken_metric_after_the_read_was_not_flow_1s_then() {
    let dir = tempfile::tempdir().unwrap();
    let case = updated_after_the_read(dir.path(), honeytoken_metric(), cpu(), false);
    let doc = timeline_of(&case);
    let i = &doc["incidents"][0];
    let m = &i["milestones"];
    assert_eq!(m["flow1_alarm"], Value::Null, "{m}");
    assert!(m.get("flow1_alarm_basis").is_none(), "{m}");
    assert_eq!(
        m["flow1_unlinked_alarms"][0]["definition"],
        format!("alarm history ConfigurationUpdate at 2026-11-20T15:00:00Z ({UPDATE}), the alarm's first recorded change after the first access: its definition before that Update (the changed fields' former values, originalUpdatedFields, over the updated definition), watched AWS/EC2/CPUUtilization with alarm action(s) arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email; no honeytoken metric filter of the evidence feeds it")
    );
    let text = report_text(dir.path(), &case);
    assert!(
        !text.contains("Flow 1's alarm is linked to the honeytoken by"),
        "{text}"
    );
    assert!(
        text.contains("alarm HoneytokenSecretAccessAlarm's describe-alarms definition watches the honeytoken metric filter's metric, but that is not its definition in force at the first access"),
        "{text}"
    );
}

/// describe-alarms' definition, in force only since after the read, with no history of the
/// change: the definition at the read is unknown, and the alarm is not taken as linked.
#[test]
fn a_described_definition_set_after_the_read_is_not_taken_for_the_one_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let case = described_after_the_read_without_history(dir.path());
    let doc = timeline_of(&case);
    let i = &doc["incidents"][0];
    assert_eq!(i["milestones"]["flow1_alarm"], Value::Null);
    let unknowns = i["unknowns"].to_string();
    assert!(
        unknowns.contains("its describe-alarms definition is in force since 2026-11-20T15:00:00Z (AlarmConfigurationUpdatedTimestamp), after the first access, and the alarm history records no definition in force before it: the definition in force at the first access, and so whether the alarm watched the honeytoken's metric, is unknown"),
        "{unknowns}"
    );
}

/// describe-alarms links the alarm now, but it was moved onto the honeytoken's metric after
/// the read: the case says so, not that no alarm of the evidence is linked.
#[test]
fn an_alarm_linked_only_now_is_said_as_such_not_as_no_alarm_linked() {
    let dir = tempfile::tempdir().unwrap();
    let case = updated_after_the_read(dir.path(), honeytoken_metric(), cpu(), false);
    let doc = timeline_of(&case);
    let u = doc["incidents"][0]["unknowns"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        u.starts_with(&format!("flow1_alarm: unknown: no alarm linked to the honeytoken at the first access: alarm HoneytokenSecretAccessAlarm's describe-alarms definition watches the honeytoken metric filter's metric, but that is not its definition in force at the first access (alarm history ConfigurationUpdate at 2026-11-20T15:00:00Z ({UPDATE})")),
        "{u}"
    );
    assert!(
        !doc.to_string()
            .contains("no alarm linked to the honeytoken in the evidence"),
        "{u}"
    );
    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("is unknown: an alarm watches the honeytoken's metric now, but not by a definition shown in force at the first access (alarm HoneytokenSecretAccessAlarm's describe-alarms definition"),
        "{text}"
    );
    assert!(
        !text.contains("no alarm in the evidence is linked to the honeytoken"),
        "{text}"
    );
    // describe-alarms and the filters are in the evidence, and the history records the
    // definition at the read: no advice to collect them, nothing is missing.
    let lacks = format!("what the evidence lacks to link it at the first access: nothing for alarm HoneytokenSecretAccessAlarm: its definition in force at the first access is recorded (alarm history ConfigurationUpdate at 2026-11-20T15:00:00Z ({UPDATE})) and did not watch the honeytoken's metric, so it was not flow 1's for this read");
    assert!(u.ends_with(&lacks), "{u}");
    assert!(!u.contains("to link one"), "{u}");
    assert!(
        !text.contains("or collect its definition (describe-alarms)"),
        "{text}"
    );
    assert!(
        text.contains("Settle flow 1's alarm at the first access (an alarm watches the honeytoken's metric now, not by a definition shown in force then); what the evidence lacks: nothing for alarm HoneytokenSecretAccessAlarm"),
        "{text}"
    );
}

/// describe-alarms links the alarm now, in force only since after the read, with no history of
/// the change: whether it was linked at the read is unknown, and said so.
#[test]
fn an_alarm_linked_now_whose_definition_at_the_read_is_unknown_says_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let case = described_after_the_read_without_history(dir.path());
    let doc = timeline_of(&case);
    let u = doc["incidents"][0]["unknowns"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        u.starts_with("flow1_alarm: unknown: no alarm linked to the honeytoken at the first access: alarm HoneytokenSecretAccessAlarm's describe-alarms definition watches the honeytoken metric filter's metric, but whether that is its definition in force at the first access is unknown (its describe-alarms definition is in force since 2026-11-20T15:00:00Z"),
        "{u}"
    );
    // What is missing is the definition at the read (the history's ConfigurationUpdate items),
    // not describe-alarms, which is in the evidence.
    assert!(
        u.ends_with("what the evidence lacks to link it at the first access: alarm HoneytokenSecretAccessAlarm's definition in force at the first access: describe-alarms shows only the one in force since 2026-11-20T15:00:00Z; collect its alarm history's ConfigurationUpdate items from before the first access (describe-alarm-history --alarm-name HoneytokenSecretAccessAlarm --history-item-type ConfigurationUpdate; CloudWatch keeps two weeks of it by its command-line reference (mon-describe-alarm-history); its API reference states no period), or name it in trailcase.toml ([detection].alarms) if it is known to have watched the honeytoken's metric then"),
        "{u}"
    );
    assert!(!u.contains("to link one"), "{u}");
}
