//! `collect --athena` searched only for the honeytokens' reads: a write, a batch delete or a
//! value put on a decoy (the calls `classify/changes.rs` recognises) was never fetched, so a
//! report built from an Athena collection could not show `honeytoken_changed`. The find query
//! now asks for those calls too (their files are fetched; their callers are not followed as
//! actors), against moto's Athena, which runs the SQL with DuckDB.

use crate::athena_collect::{
    create_table, fetched_trail_files, gzip_json, put, run_cmd, trailcase,
};
use crate::common::moto::Moto;
use crate::support;

use serde_json::{json, Value};
use std::process::Command;

const ACCOUNT: &str = "111122223333";
const DECOY: &str = "s3:finance-exports/payroll/2026-02.csv";

fn key(hhmm: &str, tag: &str) -> String {
    format!("AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2026/03/10/{ACCOUNT}_CloudTrail_us-east-1_20260310T{hhmm}Z_{tag}.json.gz")
}

/// A call by `user/ops` at `time`.
fn call(
    id: &str,
    time: &str,
    source: &str,
    name: &str,
    request: Value,
    resources: Value,
    data: bool,
) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLEOPS0000001",
                         "arn": format!("arn:aws:iam::{ACCOUNT}:user/ops"), "accountId": ACCOUNT,
                         "accessKeyId": "AKIAEXAMPLEOPS00001", "userName": "ops"},
        "eventTime": time, "eventSource": source, "eventName": name, "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.17.0",
        "requestParameters": request, "responseElements": null,
        "requestID": format!("req-{id}"), "eventID": id, "readOnly": false,
        "resources": resources, "eventType": "AwsApiCall", "managementEvent": !data,
        "recipientAccountId": ACCOUNT, "eventCategory": if data { "Data" } else { "Management" }
    })
}

#[test]
fn the_search_fetches_the_calls_that_changed_a_decoy() {
    let put_object = call(
        "put-1",
        "2026-03-10T09:01:00Z",
        "s3.amazonaws.com",
        "PutObject",
        json!({"bucketName": "finance-exports", "Host": "finance-exports.s3.us-east-1.amazonaws.com", "key": "payroll/2026-02.csv"}),
        json!([{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::finance-exports/payroll/2026-02.csv"},
               {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::finance-exports"}]),
        true,
    );
    let batch = call(
        "batch-1",
        "2026-03-10T09:02:00Z",
        "s3.amazonaws.com",
        "DeleteObjects",
        json!({"bucketName": "finance-exports", "Host": "finance-exports.s3.us-east-1.amazonaws.com", "delete": "", "x-id": "DeleteObjects"}),
        json!([{"type": "AWS::S3::Object", "ARNPrefix": "arn:aws:s3:::finance-exports/"},
               {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::finance-exports"}]),
        true,
    );
    let secret = call(
        "secret-put-1",
        "2026-03-10T10:01:00Z",
        "secretsmanager.amazonaws.com",
        "PutSecretValue",
        json!({"secretId": "Production_Database_Credentials"}),
        Value::Null,
        false,
    );
    let noise = call(
        "noise-1",
        "2026-03-10T11:01:00Z",
        "s3.amazonaws.com",
        "PutObject",
        json!({"bucketName": "other-bucket", "key": "x.csv"}),
        json!([{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::other-bucket/x.csv"}]),
        true,
    );
    let (s3_file, secret_file, noise_file) =
        (key("0905", "s3"), key("1005", "sm"), key("1105", "noise"));
    let moto = Moto::start();
    put(
        &moto,
        &[
            (
                s3_file.clone(),
                gzip_json(&json!({"Records": [put_object, batch]})),
                None,
            ),
            (
                secret_file.clone(),
                gzip_json(&json!({"Records": [secret]})),
                None,
            ),
            (noise_file, gzip_json(&json!({"Records": [noise]})), None),
        ],
    );
    create_table(&moto, "cloudtrail.changes");

    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let mut c = trailcase(
        &moto,
        &[
            "collect",
            "--case",
            case.to_str().unwrap(),
            "--athena",
            "cloudtrail.changes",
            "--honeytoken",
            DECOY,
            "--honeytoken",
            "Production_Database_Credentials",
            "--from",
            "2026-03-10T08:00Z",
            "--to",
            "2026-03-10T12:00Z",
            "--quiet",
        ],
    );
    let (_, err) = run_cmd(&mut c);
    let mut want = vec![s3_file, secret_file];
    want.sort();
    assert_eq!(fetched_trail_files(&case), want, "{err}");
    // The callers of the changes are not followed as actors.
    let selection: Value =
        serde_json::from_slice(&std::fs::read(case.join("athena/selection.json")).unwrap())
            .unwrap();
    assert_eq!(selection["actors"]["arns"], json!([]), "{selection:#}");

    // The report built from the collection shows them.
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args([
            "timeline",
            case.to_str().unwrap(),
            "--honeytoken",
            DECOY,
            "--honeytoken",
            "Production_Database_Credentials",
            "--format",
            "json",
            "--quiet",
        ])
        .output()
        .unwrap();
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    let changed = support::of_kind(&t["findings"], "honeytoken_changed");
    let ids: Vec<&Value> = changed
        .iter()
        .flat_map(|f| f["event_ids"].as_array().unwrap())
        .collect();
    assert_eq!(
        ids,
        // By honeytoken name: the secret's sorts first.
        [&json!("secret-put-1"), &json!("put-1")],
        "{:#}",
        t["findings"]
    );
    let batch = support::of_kind(&t["findings"], "decoy_bucket_batch_delete");
    assert_eq!(batch.len(), 1, "{:#}", t["findings"]);
    assert_eq!(batch[0]["event_ids"], json!(["batch-1"]));
}

/// A `GetObject` of the decoy whose record has no `resources` (older records, some exports)
/// names the bucket and the key apart, as `requestParameters.bucketName` and `.key`: the find
/// query sought reads only as `bucket/key`, so the read was never fetched and the case built
/// from the collection said no honeytoken was read. It now matches them apart, as the changes
/// already were, in the same one query.
#[test]
fn the_search_fetches_a_read_whose_record_names_bucket_and_key_apart() {
    let mut read = call(
        "get-1",
        "2026-03-10T09:01:00Z",
        "s3.amazonaws.com",
        "GetObject",
        json!({"bucketName": "finance-exports", "Host": "finance-exports.s3.us-east-1.amazonaws.com", "key": "payroll/2026-02.csv"}),
        Value::Null,
        true,
    );
    read["readOnly"] = json!(true);
    read.as_object_mut().unwrap().remove("resources");
    // Another object of the bucket, read by someone else from elsewhere: not the decoy, nor
    // its reader (whose calls and address the collection follows).
    let mut other = read.clone();
    other["eventID"] = json!("get-other-1");
    other["requestParameters"]["key"] = json!("payroll/README.txt");
    other["userIdentity"] = json!({"type": "IAMUser", "principalId": "AIDAEXAMPLEAPP0000001",
        "arn": format!("arn:aws:iam::{ACCOUNT}:user/app"), "accountId": ACCOUNT,
        "accessKeyId": "AKIAEXAMPLEAPP00001", "userName": "app"});
    other["sourceIPAddress"] = json!("203.0.113.80");
    let (read_file, other_file) = (key("0905", "read"), key("0910", "other"));
    let moto = Moto::start();
    put(
        &moto,
        &[
            (
                read_file.clone(),
                gzip_json(&json!({"Records": [read]})),
                None,
            ),
            (other_file, gzip_json(&json!({"Records": [other]})), None),
        ],
    );
    create_table(&moto, "cloudtrail.reads");

    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let mut c = trailcase(
        &moto,
        &[
            "collect",
            "--case",
            case.to_str().unwrap(),
            "--athena",
            "cloudtrail.reads",
            "--honeytoken",
            DECOY,
            "--from",
            "2026-03-10T08:00Z",
            "--to",
            "2026-03-10T12:00Z",
            "--quiet",
        ],
    );
    let (_, err) = run_cmd(&mut c);
    assert_eq!(fetched_trail_files(&case), [read_file], "{err}");
    // The reader is an actor the collection follows.
    let selection: Value =
        serde_json::from_slice(&std::fs::read(case.join("athena/selection.json")).unwrap())
            .unwrap();
    assert_eq!(
        selection["actors"]["arns"],
        json!([format!("arn:aws:iam::{ACCOUNT}:user/ops")]),
        "{selection:#}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args([
            "timeline",
            case.to_str().unwrap(),
            "--honeytoken",
            DECOY,
            "--format",
            "json",
            "--quiet",
        ])
        .output()
        .unwrap();
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(t["incidents"].as_array().unwrap().len(), 1, "{t:#}");
    assert_eq!(t["incidents"][0]["access_event_ids"], json!(["get-1"]));
}
