//! The replay of flow 1 evaluates the alarm by the definition in force at the first access, the
//! rule flow 1's detection links it by (an Update's `originalUpdatedFields` read backwards), not
//! by the latest one describe-alarms shows; with no access, the latest, said as such.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The sample with its alarm's threshold raised from 1 to 5 at 15:00, after the read at 14:02:
/// an Update in the history recording the former threshold, describe-alarms showing the new
/// one, in force since 15:00.
fn threshold_raised_after_the_read(dir: &Path) -> PathBuf {
    let case = sample_to_alter(dir);
    edit_history(&case, |items| {
        let mut updated = created_alarm(items);
        assert_eq!(updated["threshold"], 1.0);
        updated["threshold"] = 5.0.into();
        items.push(alarm_update_item(
            "2026-11-20T15:00:00.000000+00:00",
            updated,
            json!({"threshold": 1.0}),
        ));
    });
    let alarms_path = case.join("cloudwatch/alarms.json");
    let mut alarms = read_json(&alarms_path);
    alarms["MetricAlarms"][0]["Threshold"] = 5.0.into();
    alarms["MetricAlarms"][0]["AlarmConfigurationUpdatedTimestamp"] =
        "2026-11-20T15:00:00.000000+00:00".into();
    std::fs::write(&alarms_path, alarms.to_string()).unwrap();
    case
}

fn flow1_replay(doc: &Value) -> Value {
    replay_flow(doc, |f| f["flow"] == "metric_filter").clone()
}

#[test]
fn the_replay_uses_the_alarm_definition_in_force_at_the_first_access() {
    let dir = tempfile::tempdir().unwrap();
    let case = threshold_raised_after_the_read(dir.path());
    let doc = timeline_of(&case);
    // Flow 1's detection and the replay agree: the alarm at the read fired at one read.
    assert_eq!(
        doc["incidents"][0]["milestones"]["flow1_alarm"],
        "2026-11-20T14:05:21.532Z"
    );
    let f = flow1_replay(&doc);
    assert_eq!(f["alarm"], "HoneytokenSecretAccessAlarm");
    assert_eq!(
        f["alarm_basis"],
        "its definition is the one in force at the first access (2026-11-20T14:02:17Z), as the alarm history ConfigurationUpdate at 2026-11-02T10:15:58.204Z (alarm:HoneytokenSecretAccessAlarm:ConfigurationUpdate:2026-11-02T10:15:58.204Z) records it; describe-alarms shows a later definition"
    );
    assert_eq!(f["predicted_pages"], 1, "{f}");
    assert_eq!(f["accesses"][0]["predicted"], "2026-11-20T14:03:00Z", "{f}");
    assert!(
        !f.to_string()
            .contains("the alarm would not enter ALARM for it"),
        "{f}"
    );

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Alarm HoneytokenSecretAccessAlarm, replayed on the metric of HoneytokenSecretAccess: its definition is the one in force at the first access (2026-11-20T14:02:17Z)"),
        "{text}"
    );
}

/// With no honeytoken access there is no time to take a definition at: the latest is replayed
/// and said to be.
#[test]
fn with_no_access_the_replay_says_it_used_the_latest_definition() {
    let dir = tempfile::tempdir().unwrap();
    let case = threshold_raised_after_the_read(dir.path());
    let toml = case.join("trailcase.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("\n[[honeytoken]]\nkind = \"secret\"\npattern = \"Nothing_Reads_This\"\n");
    std::fs::write(&toml, config).unwrap();
    let doc = timeline_of(&case);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 0);
    let f = flow1_replay(&doc);
    assert_eq!(
        f["alarm_basis"],
        "no honeytoken access gives a time to take its definition in force at, so the latest definition in the evidence is replayed: the one recorded by describe-alarms"
    );
}

/// An alarm moved onto the honeytoken's metric after the read (its Update records the CPU
/// metric it watched before; no older item): flow 1's detection does not link it, and the
/// replay does not replay it as flow 1's alarm, saying why.
#[test]
fn an_alarm_on_the_metric_only_after_the_read_is_not_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let case = threshold_raised_after_the_read(dir.path());
    edit_history(&case, |items| {
        items.retain(|i| {
            !(i["HistoryItemType"] == "ConfigurationUpdate"
                && i["Timestamp"] != "2026-11-20T15:00:00.000000+00:00")
        });
        let update = items
            .iter_mut()
            .find(|i| i["HistoryItemType"] == "ConfigurationUpdate")
            .unwrap();
        let mut data: Value =
            serde_json::from_str(update["HistoryData"].as_str().unwrap()).unwrap();
        data["originalUpdatedFields"] =
            json!({"namespace": "AWS/EC2", "metricName": "CPUUtilization"});
        update["HistoryData"] = data.to_string().into();
    });
    let doc = timeline_of(&case);
    assert_eq!(
        doc["incidents"][0]["milestones"]["flow1_alarm"],
        Value::Null
    );
    let f = flow1_replay(&doc);
    assert_eq!(f["alarm"], Value::Null, "{f}");
    assert_eq!(
        f["error"],
        "no alarm watched the filter's metric at the first access (2026-11-20T14:02:17Z) by the definition then in force (the rule of flow 1's detection); HoneytokenSecretAccessAlarm is on it only by a later definition, not replayed"
    );
    assert_eq!(f["predicted_pages"], Value::Null);
}
