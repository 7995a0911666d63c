//! A case for the redaction tests: the honeytoken read by alice, then calls of hers (every call
//! of an actor's is a timeline row, its record redacted), and the record of one of them as the
//! timeline writes it; a `GetSecretValue` by any user (`secret_read`), for the tests of
//! which secret a call names; and Cloud Custodian's console session reading the honeytoken
//! (`custodian_call_and_read`).

use serde_json::{json, Value};
use std::path::Path;

/// A record of alice's, the honeytoken reader: every call of hers is in the timeline.
pub fn call(n: u32, source: &str, name: &str, request: Value) -> Value {
    json!({
        "eventVersion": "1.09", "eventTime": format!("2026-11-20T14:{:02}:00Z", 2 + n),
        "eventID": format!("00000000-0000-4000-8000-{n:012}"),
        "eventSource": source, "eventName": name, "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.23", "userAgent": "aws-cli/2.15.0",
        "requestParameters": request, "responseElements": null,
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice",
                         "accountId": "123456789012", "accessKeyId": "AKIAEXAMPLEALICE01"}
    })
}

/// A case of the honeytoken read and `calls` after it.
pub fn case(dir: &Path, calls: &[(&str, &str, Value)]) {
    let mut records = vec![call(
        0,
        "secretsmanager.amazonaws.com",
        "GetSecretValue",
        json!({"secretId": "Production_Database_Credentials"}),
    )];
    for (n, (source, name, request)) in calls.iter().enumerate() {
        records.push(call(n as u32 + 1, source, name, request.clone()));
    }
    std::fs::create_dir_all(dir.join("cloudtrail")).unwrap();
    std::fs::write(
        dir.join("cloudtrail/trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
}

/// The `requestParameters` of one call of alice's (`source`, `name`, `request`) as the timeline's
/// JSON writes them, after checking that no `PLANTED` value is in any format (the timeline's
/// JSON, `--all` JSONL and CSV, JSONL) nor in the report's PDF and its timeline JSON, written
/// outside the evidence directory.
pub fn request_written(source: &str, name: &str, request: Value) -> Value {
    let evidence = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    case(evidence.path(), &[(source, name, request)]);
    let dir = evidence.path().to_str().unwrap();
    let formats = [
        ("json", false),
        ("jsonl", true),
        ("csv", true),
        ("jsonl", false),
    ];
    super::not_in_timelines(&[], dir, &formats, "PLANTED");
    let pdf = out.path().join("report.pdf");
    let json = out.path().join("timeline.json");
    let run = super::report_pdf(&pdf, &["--timeline-json", json.to_str().unwrap(), dir]);
    assert!(run.code <= 1, "{}", run.stderr);
    let report_json = std::fs::read_to_string(&json).unwrap();
    assert!(!report_json.contains("PLANTED"), "{report_json}");
    assert!(!super::pdf_text(&pdf).contains("PLANTED"));
    let doc = super::timeline_of(evidence.path());
    let service = source.split('.').next().unwrap_or(source);
    request_of(&doc, &format!("{service}:{name}")).clone()
}

/// The `requestParameters` of the timeline's record of `action`.
pub fn request_of<'a>(doc: &'a Value, action: &str) -> &'a Value {
    let row = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == action);
    &row.unwrap_or_else(|| panic!("no {action} row"))["record"]["requestParameters"]
}

/// A `GetSecretValue` by `user`, at `time`, naming `secret_id`, with `resources` as CloudTrail
/// writes them for the secret read (none when empty).
pub fn secret_read(id: &str, user: &str, time: &str, secret_id: &str, resources: &[&str]) -> Value {
    let mut r = json!({
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::123456789012:user/{user}"),
            "accountId": "123456789012", "accessKeyId": format!("AKIAEXAMPLE{user:0>9}"),
            "userName": user, "principalId": format!("AIDA{user}")},
        "eventTime": time,
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.66",
        "userAgent": "aws-cli/2.0",
        "requestParameters": {"secretId": secret_id},
        "responseElements": null,
        "eventID": id,
        "eventType": "AwsApiCall",
        "recipientAccountId": "123456789012"
    });
    if !resources.is_empty() {
        r["resources"] = json!(resources
            .iter()
            .map(|a| json!({"accountId": "123456789012", "type": "AWS::SecretsManager::Secret", "ARN": a}))
            .collect::<Vec<_>>());
    }
    r
}

/// Cloud Custodian's captured console-session `CreateStage` (tests/data/SOURCES.md), and the
/// same session reading the honeytoken two minutes later; `errorCode` and `errorMessage` on the
/// read when `error` is given.
pub fn custodian_call_and_read(error: Option<(&str, &str)>) -> (Value, Value) {
    let call = crate::support::read_json(
        &crate::support::repo()
            .join("tests/data/cloud-custodian/event-cloud-trail-create-rest-stage.json"),
    );
    let mut read = call.clone();
    read["eventTime"] = json!("2022-07-11T19:40:02Z");
    read["eventSource"] = json!("secretsmanager.amazonaws.com");
    read["eventName"] = json!("GetSecretValue");
    read["requestParameters"] = json!({"secretId": "Production_Database_Credentials"});
    read["responseElements"] = Value::Null;
    read["readOnly"] = json!(true);
    if let Some((code, message)) = error {
        read["errorCode"] = json!(code);
        read["errorMessage"] = json!(message);
    }
    read["eventID"] = json!("62a841f9-7601-4345-9181-dd5f31ec7501");
    read["requestID"] = json!("27cefd59-5d7c-4a52-98a5-f4f5ec72a701");
    (call, read)
}
