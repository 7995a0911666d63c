//! A case for the redaction tests: the honeytoken read by alice, then calls of hers (every call
//! of an actor's is a timeline row, its record redacted), and the record of one of them as the
//! timeline writes it; and a `GetSecretValue` by any user (`secret_read`), for the tests of
//! which secret a call names.

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
