//! Evidence ids with a colon in a name (session 34): an alarm history item is cited as
//! `alarm:<name>:<item>:<time>` and a rule metric point as `metric:<series>:<minute>`. With a
//! name holding ':' (an ARN, `ops:cpu-high`) the parts could not be told apart, by a reader or
//! a program. A ':' or '%' in the name is now written %3A or %25, in the JSON and the PDF, so
//! each part ends at the next colon.

use crate::support;

use serde_json::json;
use support::*;

#[test]
fn an_alarm_name_with_a_colon_is_one_part_of_its_id() {
    let case = tempfile::tempdir().unwrap();
    let record = json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/ops",
                         "accountId": "111122223333"},
        "eventTime": "2026-03-10T09:00:00Z", "eventSource": "ec2.amazonaws.com",
        "eventName": "DescribeInstances", "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.17.0", "eventID": "e-1",
        "readOnly": true, "eventType": "AwsApiCall", "managementEvent": true,
        "recipientAccountId": "111122223333"
    });
    std::fs::write(
        case.path().join("trail.json"),
        json!({ "Records": [record] }).to_string(),
    )
    .unwrap();
    let data = json!({"version": "1.0", "oldState": {"stateValue": "OK"},
        "newState": {"stateValue": "ALARM", "stateReason": "Threshold Crossed"}});
    std::fs::write(
        case.path().join("alarm-history.json"),
        json!({"AlarmHistoryItems": [{"AlarmName": "ops:cpu-high", "Timestamp": "2026-03-10T09:05:00Z",
            "HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM",
            "HistoryData": data.to_string()}]})
        .to_string(),
    )
    .unwrap();
    // The alarm named as flow 1's: its transition to ALARM with no read before it is a finding.
    std::fs::write(
        case.path().join("trailcase.toml"),
        "[[honeytoken]]\nkind = \"secret\"\npattern = \"prod-db\"\n\n[detection]\nalarms = [\"ops:cpu-high\"]\n",
    )
    .unwrap();
    let (doc, text) = timeline_and_unverifiable_report(case.path(), &[]);
    let id = "alarm:ops%3Acpu-high:StateUpdate:2026-03-10T09:05:00Z";
    let whole = doc.to_string();
    assert!(whole.contains(id), "{whole}");
    assert!(!whole.contains("alarm:ops:cpu-high"), "{whole}");
    // Split at its first three colons, the id gives the name back.
    let parts: Vec<&str> = id.splitn(4, ':').collect();
    assert_eq!(parts[1].replace("%3A", ":"), "ops:cpu-high");
    assert_eq!(parts[3], "2026-03-10T09:05:00Z");
    // The PDF cites it the same way (a cell may wrap inside it: compared without spaces).
    let fold = |s: &str| s.replace(' ', "");
    assert!(fold(&text).contains(id), "{text}");
    assert!(!fold(&text).contains("alarm:ops:cpu-high"), "{text}");
}
