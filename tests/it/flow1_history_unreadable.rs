//! Flow 1 when the alarm history item that records the alarm's definition cannot be read:
//! CloudWatch cuts an item's HistoryData at 4,095 characters, mid-JSON. The alarm's link to the
//! honeytoken is then unknown, said as such (an evidence gap, `flow1_unlinked_alarms`, the
//! report), never silently dropped nor taken from an older definition.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const CREATE: &str =
    "alarm:HoneytokenSecretAccessAlarm:ConfigurationUpdate:2026-11-02T10:15:58.204Z";

/// HistoryData as CloudWatch returns a long one: its first 4,095 characters. The alarm's
/// description (a long runbook text) takes it past the limit.
fn cut(data: &Value) -> String {
    let whole = data.to_string();
    assert!(whole.len() > 4_095);
    whole[..4_095].to_string()
}

fn create_data() -> Value {
    json!({"type": "Create", "version": "1.0", "createdAlarm": {
        "alarmName": "HoneytokenSecretAccessAlarm",
        "alarmDescription": "Runbook: ".repeat(500),
        "namespace": "CloudTrailMetrics", "metricName": "HoneytokenSecretAccessCount",
        "alarmActions": ["arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email"]}})
}

/// The sample without its describe-alarms output, its alarm history's items changed by `edit`.
fn case_with_history(dir: &Path, edit: impl FnOnce(&mut Vec<Value>)) -> PathBuf {
    let case = sample_to_alter(dir);
    std::fs::remove_file(case.join("cloudwatch/alarms.json")).unwrap();
    edit_history(&case, edit);
    case
}

fn create_item(items: &mut [Value]) -> &mut Value {
    items
        .iter_mut()
        .find(|i| i["HistoryItemType"] == "ConfigurationUpdate")
        .unwrap()
}

fn flow1_unknowns(i: &Value) -> Vec<String> {
    unknowns_of(i, "flow1_alarm")
}

/// The incident's unknowns whose key (the text before the colon) is `key`.
fn unknowns_of(i: &Value, key: &str) -> Vec<String> {
    i["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u.as_str().filter(|u| u.starts_with(key)))
        .map(str::to_owned)
        .collect()
}

/// The run's `alarm_history_data_unreadable` gap (the first).
fn unreadable_gap(doc: &Value) -> Value {
    doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == "alarm_history_data_unreadable")
        .unwrap_or_else(|| panic!("{}", doc["gaps"]))
        .clone()
}

#[test]
fn a_cut_history_item_leaves_the_link_unknown_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let case = case_with_history(dir.path(), |items| {
        create_item(items)["HistoryData"] = cut(&create_data()).into();
    });
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let gap = unreadable_gap(&doc);
    // At the item's index in AlarmHistoryItems, as a record's gap names its record.
    assert_eq!(gap["index"], 4, "{gap}");
    assert_eq!(
        gap["reason"],
        "alarm history item 4 (HoneytokenSecretAccessAlarm ConfigurationUpdate at 2026-11-02T10:15:58.204Z): its HistoryData ends inside its JSON after 4095 characters: cut short, as CloudWatch cuts HistoryData at 4,095 characters; the alarm's definition it records (metric, namespace, actions) is unknown, so whether the alarm watched the honeytoken's metric from then on is unknown"
    );
    let i = &doc["incidents"][0];
    let m = &i["milestones"];
    assert_eq!(m["flow1_alarm"], Value::Null);
    let def = m["flow1_unlinked_alarms"][0]["definition"]
        .as_str()
        .unwrap_or_else(|| panic!("{m}"));
    assert!(
        def.starts_with(&format!("alarm history ConfigurationUpdate at 2026-11-02T10:15:58.204Z ({CREATE}): this alarm history item, the latest before the first access, records the alarm's definition, but it could not be read (its HistoryData ends inside its JSON after 4095 characters: cut short")),
        "{def}"
    );
    assert!(
        def.ends_with("whether the alarm watched the honeytoken's metric, is unknown"),
        "{def}"
    );

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("but it could not be read (its HistoryData ends inside its JSON after 4095 characters: cut short, as CloudWatch cuts HistoryData at 4,095 characters)"),
        "{text}"
    );
}

/// A readable Create, then an Update before the read whose HistoryData is cut: the definition
/// in force at the read is the Update's, unknown, not the Create's.
#[test]
fn a_cut_update_before_the_read_is_not_passed_over_for_an_older_definition() {
    let dir = tempfile::tempdir().unwrap();
    let update = json!({"type": "Update", "version": "1.0", "updatedAlarm": create_data()["createdAlarm"],
        "originalUpdatedFields": {"alarmDescription": ""}});
    let case = case_with_history(dir.path(), |items| {
        items.push(json!({
            "AlarmName": "HoneytokenSecretAccessAlarm",
            "AlarmType": "MetricAlarm",
            "Timestamp": "2026-11-10T09:00:00.000000+00:00",
            "HistoryItemType": "ConfigurationUpdate",
            "HistorySummary": "Alarm \"HoneytokenSecretAccessAlarm\" updated",
            "HistoryData": cut(&update),
        }));
    });
    let doc = timeline_of(&case);
    let i = &doc["incidents"][0];
    assert_eq!(
        i["milestones"]["flow1_alarm"],
        Value::Null,
        "{}",
        i["milestones"]
    );
    assert!(i["milestones"].get("flow1_alarm_basis").is_none());
    let u = flow1_unknowns(i);
    assert!(
        u.iter().any(|u| u.contains("HoneytokenSecretAccessAlarm: alarm history ConfigurationUpdate at 2026-11-10T09:00:00Z (alarm:HoneytokenSecretAccessAlarm:ConfigurationUpdate:2026-11-10T09:00:00Z): this alarm history item, the latest before the first access, records the alarm's definition, but it could not be read")),
        "{u:?}"
    );
}

/// The sample's OK -> ALARM StateUpdate with its HistoryData cut (a long stateReasonData): its
/// transition is still flow 1's, taken from HistorySummary, with the gap kept and what is lost
/// (the reason, the datapoint) said.
#[test]
fn a_cut_state_update_keeps_its_alarm_transition_from_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    edit_history(&case, |items| {
        let item = items
            .iter_mut()
            .find(|i| i["HistorySummary"] == "Alarm updated from OK to ALARM")
            .unwrap();
        let mut data: Value = serde_json::from_str(item["HistoryData"].as_str().unwrap()).unwrap();
        data["newState"]["stateReasonData"]["evaluatedDatapoints"] = (0..200)
            .map(|n| json!({"timestamp": format!("2026-11-20T12:{:02}:00.000+0000", n % 60), "value": 0.0}))
            .collect();
        item["HistoryData"] = cut(&data).into();
    });

    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let gap = unreadable_gap(&doc);
    assert!(
        gap["reason"].as_str().unwrap().ends_with("its states are taken from its HistorySummary (\"Alarm updated from OK to ALARM\"); the reason it records and the metric datapoints that crossed the threshold are unknown"),
        "{gap}"
    );
    let i = &doc["incidents"][0];
    assert_eq!(i["milestones"]["flow1_alarm"], "2026-11-20T14:05:21.532Z");
    let u = flow1_unknowns(i);
    assert!(
        u.contains(&"flow1_alarm: the transition to ALARM at 2026-11-20T14:05:21.532Z (alarm:HoneytokenSecretAccessAlarm:StateUpdate:2026-11-20T14:05:21.532Z) rests on the item's HistorySummary (\"Alarm updated from OK to ALARM\") only: its HistoryData was cut, so the reason it records and the metric datapoint that crossed the threshold are unknown".to_string()),
        "{u:?}"
    );

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains(
            "rests on the item's HistorySummary (\"Alarm updated from OK to ALARM\") only"
        ),
        "{text}"
    );
}

/// The sample with its alarm's Action item (the SNS notification) cut as CloudWatch cuts a long
/// HistoryData, and its HistorySummary set to `summary`: the timeline's incident.
fn with_cut_action(dir: &Path, summary: &str) -> Value {
    cut_action_timeline(dir, summary)["incidents"][0].clone()
}

/// The timeline of the sample with its Action item cut and summarised as `summary`.
fn cut_action_timeline(dir: &Path, summary: &str) -> Value {
    let case = sample_to_alter(dir);
    edit_history(&case, |items| {
        let item = items
            .iter_mut()
            .find(|i| i["HistoryItemType"] == "Action")
            .unwrap();
        let mut data: Value = serde_json::from_str(item["HistoryData"].as_str().unwrap()).unwrap();
        data["publishedMessage"] = "x".repeat(5_000).into();
        item["HistoryData"] = cut(&data).into();
        item["HistorySummary"] = summary.into();
    });
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.json()
}

/// A cut Action item counts as flow 1's notification only when its summary says the action ran;
/// when the summary does not say, it is not counted and is named.
#[test]
fn a_cut_action_item_is_the_notification_only_by_its_summary() {
    let item = "alarm:HoneytokenSecretAccessAlarm:Action:2026-11-20T14:05:21.618Z";

    let dir = tempfile::tempdir().unwrap();
    let ran =
        "Successfully executed action arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email";
    let i = with_cut_action(dir.path(), ran);
    assert_eq!(
        i["milestones"]["flow1_notification"],
        "2026-11-20T14:05:21.618Z"
    );
    let u = unknowns_of(&i, "flow1_notification");
    assert!(
        u.contains(&format!("flow1_notification: the notification at 2026-11-20T14:05:21.618Z ({item}) rests on the item's HistorySummary (\"{ran}\") only: its HistoryData was cut")),
        "{u:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let i = with_cut_action(dir.path(), "Alarm action");
    assert_eq!(i["milestones"]["flow1_notification"], Value::Null, "{i}");
    let u = unknowns_of(&i, "flow1_notification");
    assert!(
        u.contains(&format!("flow1_notification: the alarm action item at 2026-11-20T14:05:21.618Z ({item}) could not be read (its HistoryData was cut) and its summary (\"Alarm action\") does not say whether the action ran: not counted as the notification")),
        "{u:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let failed =
        "Failed to execute action arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email";
    let i = with_cut_action(dir.path(), failed);
    assert_eq!(i["milestones"]["flow1_notification"], Value::Null, "{i}");
    assert!(
        !unknowns_of(&i, "flow1_notification")
            .iter()
            .any(|u| u.contains("could not be read (its HistoryData was cut)")),
        "{i}"
    );
}

/// A cut Action item's outcome, read from its summary, is the same for every reader: the
/// pipeline's `action_state`, the timeline row's outcome and its gap say it.
#[test]
fn a_cut_action_items_outcome_is_read_once_for_every_reader() {
    let action = |doc: &Value| {
        doc["pipeline"]["alarm_history"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["item_type"] == "Action")
            .unwrap()
            .clone()
    };
    let row = |doc: &Value| {
        doc["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["action"] == "cloudwatch:Action")
            .unwrap()["outcome"]
            .clone()
    };
    for (summary, state) in [
        ("Successfully executed action arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email", json!("Succeeded")),
        ("Failed to execute action arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email", json!("Failed")),
        ("Alarm action", Value::Null),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let doc = cut_action_timeline(dir.path(), summary);
        assert_eq!(action(&doc)["action_state"], state, "{summary}");
        let outcome = if state.is_null() { json!(summary) } else { state.clone() };
        assert_eq!(row(&doc), outcome, "{summary}");
        let gap = unreadable_gap(&doc)["reason"].as_str().unwrap().to_string();
        let said = match state.as_str() {
            Some(s) => format!("its action's outcome ({s}) is taken from its HistorySummary (\"{summary}\"); the rest of what it records (the message published) is unknown"),
            None => "whether its action ran is unknown (its HistorySummary does not say)".to_string(),
        };
        assert!(gap.ends_with(&said), "{gap}");
    }
}

/// describe-alarms links the alarm now, by a definition in force only since after the read;
/// the one in force at the first access is recorded only by a ConfigurationUpdate whose
/// HistoryData was cut. The unlinked alarm's entry said "the alarm history records no
/// definition in force before it" (it records one, unreadable), and what the evidence lacks
/// (`missing_at`, the response step's words; its cut-item wording had no test) advised
/// collecting the history again. Both now name the cut item and its gap, and say collecting it
/// again gives the same item. With a change recorded after the read as well, the history
/// decides, in the same words.
#[test]
fn a_cut_definition_at_the_read_says_collecting_again_gives_the_same_item() {
    let lacks = format!("alarm HoneytokenSecretAccessAlarm's definition in force at the first access is recorded only by an alarm history item whose HistoryData could not be read ({CREATE}, the alarm_history_data_unreadable gap)");
    let again = "so only trailcase.toml ([detection].alarms) can name the alarm flow 1's";
    for later_update in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let case = sample_to_alter(dir.path());
        // describe-alarms' definition in force only since after the read.
        let alarms = case.join("cloudwatch/alarms.json");
        let mut v = read_json(&alarms);
        v["MetricAlarms"][0]["AlarmConfigurationUpdatedTimestamp"] =
            "2026-11-21T09:00:00.000Z".into();
        std::fs::write(&alarms, v.to_string()).unwrap();
        edit_history(&case, |items| {
            create_item(items)["HistoryData"] = cut(&create_data()).into();
            if later_update {
                let mut update = create_item(items).clone();
                update["Timestamp"] = "2026-11-21T09:00:00.000Z".into();
                update["HistorySummary"] = "Alarm \"HoneytokenSecretAccessAlarm\" updated".into();
                update["HistoryData"] = json!({"type": "Update", "version": "1.0",
                    "updatedAlarm": {"alarmName": "HoneytokenSecretAccessAlarm",
                        "namespace": "CloudTrailMetrics", "metricName": "HoneytokenSecretAccessCount",
                        "alarmActions": ["arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email"]}})
                .to_string()
                .into();
                items.push(update);
            }
        });
        let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let i = run.json()["incidents"][0].clone();
        let all = i.to_string();
        assert!(all.contains(&lacks), "{later_update}: {lacks}\n{all}");
        assert!(all.contains(again), "{later_update}: {all}");
        assert!(
            !all.contains("collect its alarm history's ConfigurationUpdate items from before the first access"),
            "{later_update}: {all}"
        );
        assert!(
            !all.contains("the alarm history records no definition in force before it"),
            "{later_update}: {all}"
        );
    }
}
