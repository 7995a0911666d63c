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

/// A kill-switch result is cited as `killswitch:<time>:<about>`, `about` its trigger's eventID or,
/// without one, its caller's ARN (session 35): an ARN's colons made the id six parts after the
/// time. The ARN is now one part, its ':' written %3A, in the JSON and the PDF alike.
#[test]
fn a_killswitch_result_cited_by_its_callers_arn_is_one_part_of_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let path =
        case.join("notifications/killswitch-result-6da3a841-d760-4c21-92d6-36a0199acac4.json");
    let mut sns = read_json(&path);
    let mut result: serde_json::Value =
        serde_json::from_str(sns["Message"].as_str().unwrap()).unwrap();
    result["trigger"]
        .as_object_mut()
        .unwrap()
        .remove("event_id")
        .expect("the sample's trigger names its eventID");
    sns["Message"] = result.to_string().into();
    std::fs::write(&path, sns.to_string()).unwrap();

    let doc = trailcase(["timeline", "--quiet", case.to_str().unwrap()]).json();
    let id =
        "killswitch:2026-11-20T14:03:33Z:arn%3Aaws%3Aiam%3A%3A123456789012%3Auser/svc-reporting";
    let ids: Vec<&str> = doc["killswitch"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&id), "{ids:?}");
    let rows: Vec<&serde_json::Value> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "killswitch_result")
        .collect();
    assert!(rows.iter().any(|r| r["event_id"] == id), "{rows:?}");
    let whole = doc.to_string();
    assert!(
        !whole.contains("killswitch:2026-11-20T14:03:33Z:arn:aws"),
        "{whole}"
    );
    // Split at its first and last colon, the id gives the time and the ARN back.
    let (head, about) = id.rsplit_once(':').unwrap();
    assert_eq!(head.split_once(':').unwrap().1, "2026-11-20T14:03:33Z");
    assert_eq!(
        about.replace("%3A", ":"),
        "arn:aws:iam::123456789012:user/svc-reporting"
    );
    // The PDF cites it the same way (a cell may wrap inside it: compared without spaces).
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf).replace(' ', "");
    assert!(text.contains(id), "{text}");
}
