//! A cross-account call is delivered to each account involved (its own eventID, one
//! `sharedEventID`); the JSON marks the second delivery in `incidents[].deliveries`, but the
//! row exports (CSV, Timesketch, JSON lines, and `--all`) carried no mark of it, so a reader
//! counting rows counted the call twice. Each row of such a delivery now says which eventID the
//! call is counted under (`counted_as`: the CSV's last column, empty otherwise; in the JSON
//! formats only on the marked row).
//!
//! `--all` marked only the later deliveries of an incident's calls: the same pair with no
//! honeytoken read was two unmarked rows, counted as two calls. It now marks every later
//! delivery, noted as the stream reads the records (no record read again), and `timeline` its
//! rows of no incident by the same rule.
//!
//! Records: AWS's IAM User Guide pair of deliveries of one `AssumeRole` and a Secrets Manager
//! User Guide `GetSecretValue`, from `tests/data/shared` (as `honeytoken_reads.rs` builds them).

use crate::support::*;
use serde_json::{json, Value};
use std::path::Path;

const COUNTED: &str = "dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPL01";
const SECOND: &str = "0EXAMPLE-ac7f-466c-a608-4ac8dEXAMPL02";
const READ: &str = "5EXAMPLE-0000-4000-8000-000000000005";

fn shared(path: &str) -> Value {
    read_json(&shared_data().join("cloudtrail").join(path))
}

/// The honeytoken read by JohnDoe, then his cross-account `AssumeRole` in both deliveries.
fn evidence(dir: &Path) -> std::path::PathBuf {
    evidence_of(dir, true)
}

/// JohnDoe's cross-account `AssumeRole` in both deliveries, after his honeytoken read if
/// `read`.
fn evidence_of(dir: &Path, with_read: bool) -> std::path::PathBuf {
    let mut full = shared("awsdocs-iam-user-guide/cloudtrail-integration-L128.json");
    full["eventID"] = json!(COUNTED);
    let mut by_account = shared("awsdocs-iam-user-guide/cloudtrail-integration-L180.json");
    by_account["eventID"] = json!(SECOND);
    by_account["recipientAccountId"] = json!("777788889999");
    let mut read = shared(
        "awsdocs-secrets-manager-user-guide/vpc-endpoint-overview-d933544d48-L162-GetSecretValue.json",
    );
    read["userIdentity"] = full["userIdentity"].clone();
    read["eventTime"] = json!("2014-07-18T15:01:00Z");
    read["awsRegion"] = json!("us-east-2");
    read["requestParameters"] = json!({"secretId": "test-secret"});
    read["eventID"] = json!(READ);
    let evidence = dir.join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    let records = if with_read {
        vec![read, full, by_account]
    } else {
        vec![full, by_account]
    };
    let body = json!({ "Records": records }).to_string();
    std::fs::write(evidence.join("trail.json"), body).unwrap();
    evidence
}

fn export(evidence: &Path, format: &str, all: bool) -> String {
    let mut args = vec![
        "timeline",
        "--quiet",
        "--honeytoken",
        "secret:test-secret",
        "--format",
        format,
        evidence.to_str().unwrap(),
    ];
    if all {
        args.push("--all");
    }
    let run = trailcase(&args);
    assert_eq!(run.code, 0, "{format} {all}: {}", run.stderr);
    run.text()
}

/// Each CSV row as (event_id, counted_as), and the header.
fn csv_marks(text: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let id = header.iter().position(|h| h == "event_id").unwrap();
    let mark = header.iter().position(|h| h == "counted_as").unwrap();
    let rows = r
        .records()
        .map(|row| {
            let row = row.unwrap();
            (row[id].to_string(), row[mark].to_string())
        })
        .collect();
    (header, rows)
}

/// Each JSON line's (event_id, counted_as or "").
fn json_marks(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| {
            (
                v["event_id"].as_str().unwrap().to_string(),
                v["counted_as"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn expected() -> Vec<(String, String)> {
    [(READ, ""), (SECOND, COUNTED), (COUNTED, "")]
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .to_vec()
}

#[test]
fn every_row_export_marks_the_second_delivery_of_a_cross_account_call() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = evidence(dir.path());
    for all in [false, true] {
        // CSV: the existing columns in place, `counted_as` appended.
        let (header, rows) = csv_marks(&export(&evidence, "csv", all));
        assert_eq!(
            header,
            [
                "time",
                "event_id",
                "kind",
                "source",
                "actor",
                "actor_type",
                "action",
                "target",
                "outcome",
                "source_ip",
                "user_agent",
                "region",
                "incidents",
                "input",
                "record_index",
                "tie",
                "counted_as"
            ]
        );
        assert_eq!(rows, expected(), "csv, --all {all}");
        for format in ["jsonl", "timesketch"] {
            let rows = json_marks(&export(&evidence, format, all));
            assert_eq!(rows, expected(), "{format}, --all {all}");
        }
    }
    // The JSON document: the row says what `incidents[].deliveries` says, and is valid.
    let doc: Value = serde_json::from_str(&export(&evidence, "json", false)).unwrap();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    let bad = schema::schema_violations(&schema, &doc);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(
        doc["incidents"][0]["deliveries"],
        json!([{"event_id": SECOND, "counted_as": COUNTED}])
    );
    let marked: Vec<(&str, &str)> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some((r["event_id"].as_str()?, r["counted_as"].as_str()?)))
        .collect();
    assert_eq!(marked, [(SECOND, COUNTED)]);
}

/// No incident: `--all` marks the later delivery of the `AssumeRole` in every format, as it
/// does for an incident's call.
#[test]
fn all_marks_the_second_delivery_of_a_call_of_no_incident() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = evidence_of(dir.path(), false);
    let pair = [(SECOND, COUNTED), (COUNTED, "")].map(|(a, b)| (a.to_string(), b.to_string()));
    let (_, rows) = csv_marks(&export(&evidence, "csv", true));
    assert_eq!(rows, pair, "csv");
    for format in ["jsonl", "timesketch"] {
        let rows = json_marks(&export(&evidence, format, true));
        assert_eq!(rows, pair, "{format}");
    }
    let doc: Value = serde_json::from_str(&export(&evidence, "json", true)).unwrap();
    let records: Vec<String> = doc["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::to_string)
        .collect();
    assert_eq!(json_marks(&records.join("\n")), pair, "json");
    assert_eq!(doc["summary"]["incidents"], json!([]));
}

/// No incident, and rows of `timeline` too: two deliveries of one IAM call (the records say so:
/// one `sharedEventID`, time and API, the first naming its caller by principal id only). Both
/// `timeline` and `--all` mark the delivery that names the caller by principal id only.
#[test]
fn timeline_and_all_mark_the_same_row_of_a_call_of_no_incident() {
    let dir = tempfile::tempdir().unwrap();
    let delivery = |id: &str, recipient: &str, identity: Value| {
        json!({
            "eventVersion": "1.09", "eventTime": "2026-03-10T09:00:00Z", "eventID": id,
            "sharedEventID": "11111111-2222-4333-8444-555555555555",
            "eventSource": "iam.amazonaws.com", "eventName": "UpdateAssumeRolePolicy",
            "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
            "userAgent": "aws-cli/2.17.0", "eventType": "AwsApiCall",
            "requestParameters": {"roleName": "deploy"}, "responseElements": null,
            "recipientAccountId": recipient, "userIdentity": identity
        })
    };
    let by_id = delivery(
        "0EXAMPLE-0000-4000-8000-000000000001",
        "777788889999",
        json!({"type": "AWSAccount", "principalId": "AIDAEXAMPLEOPS", "accountId": "111122223333"}),
    );
    let by_arn = delivery(
        "1EXAMPLE-0000-4000-8000-000000000002",
        "111122223333",
        json!({"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/ops",
               "principalId": "AIDAEXAMPLEOPS", "accountId": "111122223333"}),
    );
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    let body = json!({ "Records": [by_id, by_arn] }).to_string();
    std::fs::write(evidence.join("trail.json"), body).unwrap();
    let pair = [
        (
            "0EXAMPLE-0000-4000-8000-000000000001",
            "1EXAMPLE-0000-4000-8000-000000000002",
        ),
        ("1EXAMPLE-0000-4000-8000-000000000002", ""),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    for all in [false, true] {
        let (_, rows) = csv_marks(&export(&evidence, "csv", all));
        assert_eq!(rows, pair, "csv, --all {all}");
        let rows = json_marks(&export(&evidence, "jsonl", all));
        assert_eq!(rows, pair, "jsonl, --all {all}");
    }
}
