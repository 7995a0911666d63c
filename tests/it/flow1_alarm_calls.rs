//! Flow 1's alarm was replayed with the definition in force at the first access for every
//! access, even when a PutMetricAlarm in the evidence changed it between two accesses. Each
//! access after such a call is now predicted by the definition the call set, and its row (JSON
//! `alarm_definition`, the replay table) names the call's eventID.
//!
//! The PutMetricAlarm record is written by hand in CloudTrail's shape (requestParameters in
//! camelCase, as CloudTrail records a CloudWatch API call): no public PutMetricAlarm record is
//! at hand.

use crate::support::*;
use serde_json::{json, Value};

const FIRST: &str = "5ad7fe16-471c-489f-908c-61b0d4864cbb";
const SECOND: &str = "85a157a1-d87c-40ec-9c47-7bf1faabd1f2";
const ALARM: &str = "HoneytokenSecretAccessAlarm";

pub(crate) fn put_metric_alarm(id: &str, time: &str, threshold: f64) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLEADMIN00001",
            "arn": "arn:aws:iam::123456789012:user/admin", "accountId": "123456789012",
            "userName": "admin"},
        "eventTime": time,
        "eventSource": "monitoring.amazonaws.com",
        "eventName": "PutMetricAlarm",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {
            "alarmName": ALARM,
            "actionsEnabled": true,
            "alarmActions": ["arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email"],
            "metricName": "HoneytokenSecretAccessCount",
            "namespace": "CloudTrailMetrics",
            "statistic": "Sum",
            "dimensions": [],
            "period": 60,
            "evaluationPeriods": 1,
            "datapointsToAlarm": 1,
            "threshold": threshold,
            "comparisonOperator": "GreaterThanOrEqualToThreshold",
            "treatMissingData": "notBreaching"
        },
        "responseElements": null,
        "requestID": format!("req-{id}"),
        "eventID": id,
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management"
    })
}

#[test]
fn an_alarm_changed_between_two_reads_predicts_each_by_its_own_definition() {
    // The reads are at 14:02:17 and 14:03:05; at 14:02:40 the alarm's threshold became 5.
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let records = vec![put_metric_alarm(
        "putalarm-five",
        "2026-11-20T14:02:40Z",
        5.0,
    )];
    add_trail_file(&case, "us-east-1", "putAlarm01", records);
    let doc = timeline_of(&case);
    let flow = replay_flow(&doc, |f| f["flow"] == "metric_filter");
    let row = |id: &str| replay_row(flow, id);
    let (first, second) = (row(FIRST), row(SECOND));
    // The first read's minute is evaluated at 14:03:00, after the change: by threshold 5.
    assert_eq!(first["predicted"], Value::Null, "{first:#}");
    assert!(
        first["note"].as_str().unwrap().contains(
            "PutMetricAlarm putalarm-five at 2026-11-20T14:02:40Z (Sum >= 5 over 60 s, 1 of 1 evaluation periods) replaced the alarm's definition before the periods holding this access were all evaluated"
        ),
        "{first:#}"
    );
    assert!(
        first["alarm_definition"]
            .as_str()
            .unwrap()
            .starts_with("the alarm as defined at the first access"),
        "{first:#}"
    );
    assert_eq!(second["matched"], true, "{second:#}");
    assert_eq!(second["predicted"], Value::Null, "{second:#}");
    let def = second["alarm_definition"].as_str().unwrap();
    assert!(
        def.starts_with("PutMetricAlarm putalarm-five at 2026-11-20T14:02:40Z (Sum >= 5 over 60 s, 1 of 1 evaluation periods), the last PutMetricAlarm on the alarm before this access"),
        "{def}"
    );
    assert!(
        second["note"]
            .as_str()
            .unwrap()
            .contains("the alarm would not enter ALARM for it"),
        "{second:#}"
    );
    let said = doc["replay"]["assumptions"].to_string();
    assert!(
        said.contains(
            "the evidence records PutMetricAlarm calls on it (PutMetricAlarm putalarm-five"
        ),
        "{said}"
    );
    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("alarm judged by: PutMetricAlarm putalarm-five at 2026-11-20T14:02:40Z"),
        "{text}"
    );
}

/// Flow 1's predicted notifications counted the ALARM transitions of the alarm as defined at
/// the first access over the whole evidence, even after a PutMetricAlarm replaced it: here the
/// sample's alarm (Sum >= 1 over 60 s) would enter ALARM at 14:03:00, but from 14:02:40 the
/// alarm needs 5 reads a minute and never does. Each transition is now counted by the
/// definition in force at its time.
#[test]
fn predicted_notifications_count_the_definition_in_force_at_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let before = replay_flow(&timeline_of(&case), |f| f["flow"] == "metric_filter")
        ["predicted_pages"]
        .clone();
    assert_eq!(before, 1, "the sample's alarm pages once");
    let records = vec![put_metric_alarm(
        "putalarm-five",
        "2026-11-20T14:02:40Z",
        5.0,
    )];
    add_trail_file(&case, "us-east-1", "putAlarm02", records);
    let doc = timeline_of(&case);
    let flow = replay_flow(&doc, |f| f["flow"] == "metric_filter");
    assert_eq!(flow["predicted_pages"], 0, "{flow:#}");
    let said = doc["replay"]["assumptions"].to_string();
    assert!(
        said.contains("the flow's predicted notifications count each ALARM transition by the definition in force at its time"),
        "{said}"
    );
}

/// A PutMetricAlarm that updates an alarm leaves its state unchanged (CloudWatch API
/// Reference, PutMetricAlarm: "When you update an existing alarm, its state is left unchanged,
/// but the update completely overwrites the previous configuration of the alarm"). The replay
/// re-evaluated the new definition from no state: here the sample's alarm enters ALARM at
/// 14:03:00 for the first read, at 14:03:02 its period becomes 120 s, and the new definition
/// replayed alone enters ALARM at 14:04:00, a second notification for the 14:03:05 read. The
/// alarm being already in ALARM, that evaluation sends none: the read is now predicted as
/// covered by the ALARM since 14:03:00, and the flow pages once.
#[test]
fn an_update_keeps_the_alarm_s_state_and_does_not_notify_again() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let mut call = put_metric_alarm("putalarm-120", "2026-11-20T14:03:02Z", 1.0);
    call["requestParameters"]["period"] = json!(120);
    add_trail_file(&case, "us-east-1", "putAlarm03", vec![call]);
    let doc = timeline_of(&case);
    let flow = replay_flow(&doc, |f| f["flow"] == "metric_filter");
    let second = replay_row(flow, SECOND);
    assert!(
        second["alarm_definition"].as_str().unwrap().starts_with(
            "PutMetricAlarm putalarm-120 at 2026-11-20T14:03:02Z (Sum >= 1 over 120 s"
        ),
        "{second:#}"
    );
    assert_eq!(second["predicted"], "2026-11-20T14:03:00Z", "{second:#}");
    assert!(
        second["note"]
            .as_str()
            .is_some_and(|n| n.contains("already in ALARM since 2026-11-20T14:03:00Z")),
        "{second:#}"
    );
    assert_eq!(flow["predicted_pages"], 1, "{flow:#}");
    let said = doc["replay"]["assumptions"].to_string();
    assert!(
        said.contains(
            "an update leaves the alarm's state unchanged (CloudWatch API Reference, PutMetricAlarm)"
        ),
        "{said}"
    );
}
