//! Real records read right (issue 14, "Records"): CloudTrail Insights events, actors without an
//! ARN, failed changes to the monitoring pipeline, and secrets that are not the pipeline's.
//! Each test runs the binary on records AWS published (tests/data/records, see SOURCES.md) or
//! built exactly as AWS documents them, and checks what a responder reads.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

const RECORDS: &str = "tests/data/records";

fn timeline(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["timeline", "--quiet"];
    args.extend_from_slice(extra);
    args.push(dir.to_str().unwrap());
    trailcase(args)
}

/// The rows of `--all --format jsonl` that are records (not gap rows).
fn all_rows(dir: &Path, format: &str) -> Vec<Value> {
    let run = timeline(dir, &["--all", "--format", format]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.text()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["kind"] != "evidence_gap")
        .collect()
}

fn copy(files: &[&str], dir: &Path) {
    for f in files {
        let from = repo().join(RECORDS).join(f);
        std::fs::write(dir.join(f), std::fs::read(from).unwrap()).unwrap();
    }
}

fn schema_ok(doc: &Value) {
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, doc), Vec::<String>::new());
}

#[test]
fn insight_event_is_an_insight_row_not_an_unknown_call() {
    let dir = tempfile::tempdir().unwrap();
    // AWS's own example: `lookup-events --event-category insight` output, a Start and an End.
    copy(&["insights-lookup-L55.json"], dir.path());
    let rows = all_rows(dir.path(), "jsonl");
    assert_eq!(rows.len(), 2);
    for (row, state) in rows.iter().zip(["Start", "End"]) {
        assert_eq!(row["kind"], "insight");
        assert_eq!(row["action"], "autoscaling:CompleteLifecycleAction");
        assert_eq!(row["actor"], "CloudTrail Insights");
        assert_eq!(row["actor_type"], "AwsCloudTrailInsight");
        assert_eq!(row["outcome"], state);
        assert_eq!(
            row["target"],
            "ApiCallRateInsight: 0.6 calls/min against a baseline of 0.0000882145 (insight 5 min, baseline 11336 min)"
        );
    }
    // Timesketch: a message a user can read, and its own description.
    let sketch = all_rows(dir.path(), "timesketch");
    assert_eq!(
        sketch[0]["message"],
        "[insight] ApiCallRateInsight Start for autoscaling:CompleteLifecycleAction: 0.6 calls/min against a baseline of 0.0000882145 (insight 5 min, baseline 11336 min)"
    );
    assert_eq!(sketch[0]["timestamp_desc"], "CloudTrail Insight");
    assert_eq!(sketch[1]["data_type"], "aws:trailcase:insight");
    // The case timeline keeps insights too (rare, and a sign of unusual activity).
    let run = timeline(dir.path(), &[]);
    let doc = run.json();
    schema_ok(&doc);
    let kinds: Vec<&str> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["insight", "insight"]);
    // The report lists them too, among the context rows not attributed to an incident.
    // Beside the evidence, not in it (trailcase refuses to write into its evidence).
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[dir.path().to_str().unwrap()]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let text = pdf_text(&pdf);
    // (The action wraps after its `:` in the table cell.)
    assert_eq!(text.matches("CompleteLifecycleAction").count(), 2, "{text}");
    assert!(text.contains("ApiCallRateInsight: 0.6"), "{text}");
}

#[test]
fn insight_beside_calls_in_a_real_trail_file_is_not_an_unknown_actor() {
    let dir = tempfile::tempdir().unwrap();
    // OpenTelemetry's fixture: calls, an Insight record (no userIdentity, statistics without
    // durations), an IdentityCenterUser sign-in and an AwsServiceEvent without a `type`.
    copy(&["otel-cloudtrail_log.json"], dir.path());
    let rows = all_rows(dir.path(), "jsonl");
    assert_eq!(rows.len(), 7);
    let insight: Vec<&Value> = rows.iter().filter(|r| r["kind"] == "insight").collect();
    assert_eq!(insight.len(), 1);
    assert_eq!(insight[0]["action"], "ssm:UpdateInstanceInformation");
    assert_eq!(
        insight[0]["target"],
        "ApiCallRateInsight: 669 calls/min against a baseline of 84.410596421"
    );
    for r in &rows {
        assert_ne!(r["actor"], "unknown", "{r}");
        assert_ne!(r["action"], ":", "{r}");
    }
    let service = rows.iter().find(|r| r["action"] == "kms:RotateKey");
    assert_eq!(service.unwrap()["actor"], "AWS Internal");
}

/// A record as AWS documents it for a call made on behalf of an IAM Identity Center user
/// (CloudTrail User Guide, "userIdentity element", the `IdentityCenterUser` example).
const IDENTITY_CENTER: &str = r#"{"eventVersion":"1.09","eventTime":"2026-11-20T14:00:00Z","eventID":"ic-1","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","userIdentity":{"type":"IdentityCenterUser","accountId":"123456789012","onBehalfOf":{"userId":"544894e8-80c1-707f-60e3-3ba6510dfac1","identityStoreArn":"arn:aws:identitystore::123456789012:identitystore/d-9067642ac7"},"credentialId":"EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE"}}"#;

#[test]
fn actor_without_an_arn_is_named_by_what_the_record_carries_not_by_its_type() {
    let dir = tempfile::tempdir().unwrap();
    copy(
        &[
            "saml-user-L349-fixed.json",
            "web-identity-user-L421-fixed.json",
            "aws-account-L180.json",
        ],
        dir.path(),
    );
    let built = [
        IDENTITY_CENTER.to_string(),
        // AWSService: only `invokedBy` (CloudTrail User Guide, "userIdentity element").
        r#"{"eventTime":"2026-11-20T14:00:01Z","eventID":"svc-1","eventSource":"kms.amazonaws.com","eventName":"Decrypt","userIdentity":{"type":"AWSService","invokedBy":"secretsmanager.amazonaws.com"}}"#.into(),
        // Only a userName, only a principalId, an AWSAccount with only its account.
        r#"{"eventTime":"2026-11-20T14:00:02Z","eventID":"name-1","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userIdentity":{"type":"IAMUser","userName":"carol"}}"#.into(),
        r#"{"eventTime":"2026-11-20T14:00:03Z","eventID":"pid-1","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userIdentity":{"type":"Unknown","principalId":"AIDAEXAMPLEPRINCIPAL","arn":""}}"#.into(),
        r#"{"eventTime":"2026-11-20T14:00:04Z","eventID":"acct-1","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"AWSAccount","accountId":"111122223333"}}"#.into(),
        // A WebIdentityUser with a provider and user but no principal id.
        r#"{"eventTime":"2026-11-20T14:00:05Z","eventID":"web-1","eventSource":"sts.amazonaws.com","eventName":"AssumeRoleWithWebIdentity","userIdentity":{"type":"WebIdentityUser","userName":"user-id","identityProvider":"accounts.google.com"}}"#.into(),
    ];
    std::fs::write(dir.path().join("built.jsonl"), built.join("\n")).unwrap();
    let rows = all_rows(dir.path(), "jsonl");
    let actor = |id: &str| -> String {
        let r = rows
            .iter()
            .find(|r| r["event_id"] == id)
            .unwrap_or_else(|| panic!("no row {id}"));
        r["actor"].as_str().unwrap().to_string()
    };
    let by_action = |action: &str| -> String {
        let r = rows.iter().find(|r| r["action"] == action).unwrap();
        r["actor"].as_str().unwrap().to_string()
    };
    assert_eq!(
        by_action("sts:AssumeRoleWithSAML"),
        "SampleUkh1i4+ExamplexL/jEvs=:SamlExample"
    );
    assert_eq!(
        by_action("sts:AssumeRoleWithWebIdentity"),
        "accounts.google.com:<id-of-application>.apps.googleusercontent.com:<id-of-user>"
    );
    assert_eq!(by_action("sts:AssumeRole"), "AIDAQRSTUVWXYZEXAMPLE");
    assert_eq!(
        actor("ic-1"),
        "arn:aws:identitystore:::user/544894e8-80c1-707f-60e3-3ba6510dfac1"
    );
    assert_eq!(actor("svc-1"), "secretsmanager.amazonaws.com");
    assert_eq!(actor("name-1"), "carol");
    assert_eq!(actor("pid-1"), "AIDAEXAMPLEPRINCIPAL");
    assert_eq!(actor("acct-1"), "111122223333");
    assert_eq!(actor("web-1"), "accounts.google.com:user-id");
    for r in &rows {
        assert_ne!(r["actor"], r["actor_type"], "{r}");
    }
}

fn record(
    id: &str,
    time: &str,
    source: &str,
    name: &str,
    req: &str,
    who: &str,
    err: &str,
) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventTime":"{time}","eventID":"{id}","eventSource":"{source}","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","requestParameters":{req},"userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/{who}","accountId":"123456789012","accessKeyId":"AKIA{who}"}}{err}}}"#
    )
}

const DENIED: &str = r#","errorCode":"AccessDenied","errorMessage":"User is not authorized to perform: cloudtrail:StopLogging""#;

fn entry<'d>(doc: &'d Value, id: &str) -> Option<&'d Value> {
    doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_id"] == id)
}

fn findings(doc: &Value) -> Vec<String> {
    let mut out: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "pipeline_tampering")
        .map(|f| f["summary"].as_str().unwrap().to_string())
        .collect();
    for i in doc["incidents"].as_array().unwrap() {
        for f in i["findings"].as_array().into_iter().flatten() {
            if f["kind"] == "pipeline_tampering" {
                out.push(f["summary"].as_str().unwrap().to_string());
            }
        }
    }
    out
}

#[test]
fn failed_pipeline_change_is_listed_as_an_attempt_not_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let trail = r#"{"name":"org-trail"}"#;
    let recs = [
        // The actor reads the honeytoken, then tries to stop the trail and is denied.
        record(
            "read-1",
            "2026-11-20T14:02:17Z",
            "secretsmanager.amazonaws.com",
            "GetSecretValue",
            r#"{"secretId":"Production_Database_Credentials"}"#,
            "mallory",
            "",
        ),
        record(
            "stop-1",
            "2026-11-20T14:03:00Z",
            "cloudtrail.amazonaws.com",
            "StopLogging",
            trail,
            "mallory",
            DENIED,
        ),
        // Someone else tries to delete the alarm (denied) and another deletes the trail.
        record(
            "alarm-1",
            "2026-11-20T15:00:00Z",
            "monitoring.amazonaws.com",
            "DeleteAlarms",
            r#"{"alarmNames":["HoneytokenSecretAccessAlarm"]}"#,
            "bob",
            r#","errorCode":"AccessDenied""#,
        ),
        record(
            "trail-1",
            "2026-11-20T15:01:00Z",
            "cloudtrail.amazonaws.com",
            "DeleteTrail",
            trail,
            "eve",
            "",
        ),
    ];
    std::fs::write(
        dir.path().join("trail.json"),
        format!("[{}]", recs.join(",")),
    )
    .unwrap();
    // The configuration names the pipeline's alarm and trail.
    std::fs::write(
        dir.path().join("trailcase.toml"),
        "[detection]\nalarms = [\"HoneytokenSecretAccessAlarm\"]\ntrails = [\"org-trail\"]\n",
    )
    .unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    schema_ok(&doc);
    assert_eq!(entry(&doc, "alarm-1").unwrap()["kind"], "pipeline_attempt");
    assert_eq!(entry(&doc, "trail-1").unwrap()["kind"], "pipeline_change");
    let f = findings(&doc);
    assert!(
        f.contains(
            &"1 change(s) to the monitoring pipeline by other principals: cloudtrail:DeleteTrail on trail org-trail"
                .to_string()
        ),
        "{f:?}"
    );
    assert!(
        f.contains(&"1 failed attempt(s) to change the monitoring pipeline by other principals (nothing changed): monitoring:DeleteAlarms on alarm HoneytokenSecretAccessAlarm (AccessDenied)".to_string()),
        "{f:?}"
    );
    assert!(
        f.contains(&"the actor tried to change the monitoring pipeline and failed (nothing changed): cloudtrail:StopLogging on trail org-trail (AccessDenied)".to_string()),
        "{f:?}"
    );
    assert!(
        !f.iter()
            .any(|s| s.starts_with("the actor changed the monitoring pipeline")),
        "a denied StopLogging changed nothing: {f:?}"
    );
    // `--all` says the same.
    let rows = all_rows(dir.path(), "jsonl");
    let kind = |id: &str| rows.iter().find(|r| r["event_id"] == id).unwrap()["kind"].clone();
    assert_eq!(kind("alarm-1"), "pipeline_attempt");
    assert_eq!(kind("trail-1"), "pipeline_change");
}

#[test]
fn changing_an_unrelated_secret_or_parameter_is_not_a_pipeline_change() {
    let dir = tempfile::tempdir().unwrap();
    let recs = [
        // The account's own secrets and parameters, changed by their owner.
        record(
            "app-secret",
            "2026-11-20T15:00:00Z",
            "secretsmanager.amazonaws.com",
            "UpdateSecret",
            r#"{"secretId":"prod/orders/api-key"}"#,
            "dev",
            "",
        ),
        record(
            "app-rotate",
            "2026-11-20T15:00:01Z",
            "secretsmanager.amazonaws.com",
            "RotateSecret",
            r#"{"secretId":"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/orders/db-AbC123"}"#,
            "dev",
            "",
        ),
        record(
            "app-param",
            "2026-11-20T15:00:02Z",
            "ssm.amazonaws.com",
            "PutParameter",
            r#"{"name":"/prod/orders/feature-flag","type":"String","overwrite":true}"#,
            "dev",
            "",
        ),
        // The honeytoken: a change to the bait (honeytoken_changed), not to the pipeline. The
        // kill-switch's own parameter: the pipeline's.
        record(
            "honey-policy",
            "2026-11-20T15:00:03Z",
            "secretsmanager.amazonaws.com",
            "PutResourcePolicy",
            r#"{"secretId":"Production_Database_Credentials"}"#,
            "eve",
            "",
        ),
        record(
            "ks-param",
            "2026-11-20T15:00:04Z",
            "ssm.amazonaws.com",
            "DeleteParameter",
            r#"{"name":"/HoneytokenKillSwitch/allow-list"}"#,
            "eve",
            "",
        ),
    ];
    std::fs::write(
        dir.path().join("trail.json"),
        format!("[{}]", recs.join(",")),
    )
    .unwrap();
    let run = timeline(dir.path(), &[]);
    let doc = run.json();
    schema_ok(&doc);
    for id in ["app-secret", "app-rotate", "app-param"] {
        assert!(
            entry(&doc, id).is_none_or(|e| e["kind"] != "pipeline_change"),
            "{id}: {doc}"
        );
    }
    assert_eq!(entry(&doc, "honey-policy").unwrap()["kind"], "other");
    assert_eq!(
        of_kind(&doc["findings"], "honeytoken_changed")[0]["event_ids"],
        json!(["honey-policy"])
    );
    assert_eq!(entry(&doc, "ks-param").unwrap()["kind"], "pipeline_change");
    let f = findings(&doc);
    assert_eq!(
        f,
        ["1 change(s) to the monitoring pipeline: ssm:DeleteParameter"],
    );
}

/// AWS's own example of a GetSecretValue through a VPC endpoint (Secrets Manager User Guide)
/// has no `requestParameters`: it names no secret. The case said "No honeytoken was read in the
/// evidence examined", which the record cannot show either way; it now says the read names no
/// resource, cites it, and does not claim no honeytoken was read.
#[test]
fn a_read_that_names_no_secret_is_not_taken_for_no_read() {
    let file = repo().join("tests/data/shared/cloudtrail/awsdocs-secrets-manager-user-guide/vpc-endpoint-overview-d933544d48-L162-GetSecretValue.json");
    let run = trailcase(["timeline", "--quiet", file.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = run.json();
    schema_ok(&doc);
    let found: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "unnamed_read")
        .collect();
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    assert_eq!(
        found[0]["event_ids"],
        serde_json::json!(["EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE"])
    );
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[file.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(!text.contains("No honeytoken was read in the evidence examined"));
    assert!(
        text.contains("No call in the evidence examined is known to have read a honeytoken, but some reads do not name what they read"),
        "{text}"
    );
}

/// AWS's own Organizations example writes `readOnly` and `eventType` twice each, with the same
/// values. It was an `unrecognised_content` gap, "not CloudTrail or AWS CLI evidence". It is read
/// now; and a record whose repeated key holds two different values is a gap that names the key.
#[test]
fn a_record_that_repeats_a_key_is_read_or_named_for_it() {
    let file = repo().join("tests/data/shared/cloudtrail/awsdocs-organizations-docs/orgs_security_incident-response-L90.json");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&file, dir.path().join("same.json")).unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    schema_ok(&doc);
    assert_eq!(doc["summary"]["records_read"], 1);
    assert_eq!(doc["gaps"], serde_json::json!([]));
    let rows = all_rows(dir.path(), "jsonl");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["action"], "organizations:CloseAccountResult");
    assert_eq!(rows[0]["event_id"], "EXAMPLE8-90ab-cdef-fedc-ba987EXAMPLE");

    // The second `readOnly` says otherwise: which one AWS wrote is not known.
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.rfind("\"readOnly\": false").unwrap();
    let differ = format!("{}\"readOnly\": true{}", &text[..at], &text[at + 17..]);
    std::fs::write(dir.path().join("same.json"), differ).unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    schema_ok(&doc);
    assert_eq!(doc["summary"]["records_rejected"], 1);
    let reasons: Vec<(&str, &str)> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["kind"].as_str().unwrap(), g["reason"].as_str().unwrap()))
        .collect();
    assert!(
        reasons.contains(&(
            "malformed_record",
            "a CloudTrail record that writes the key `readOnly` twice with different values: which one AWS wrote is not known, so the record is not read"
        )),
        "{reasons:?}"
    );
}

/// The target column names what the record names (audit 24, item 07): the object a PutObject
/// gives only in `resources[]` (type `AWS::S3::Object`), and the alarms of a DeleteAlarms
/// (`alarmNames`), as the Elastic/grimoire captures record them.
#[test]
fn target_names_the_object_in_resources_and_the_deleted_alarms() {
    let dir = tempfile::tempdir().unwrap();
    let put = r#"{"eventVersion":"1.10","eventTime":"2024-10-09T14:44:00Z","eventID":"put-1","eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","requestParameters":{"bucketName":"elastic-cspm-cloudtrail-test-bucket","Host":"elastic-cspm-cloudtrail-test-bucket.s3.us-east-1.amazonaws.com"},"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::elastic-cspm-cloudtrail-test-bucket/test.json"},{"accountId":"123456789012","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::elastic-cspm-cloudtrail-test-bucket"}],"eventType":"AwsApiCall","managementEvent":false,"eventCategory":"Data","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/mallory","accountId":"123456789012","accessKeyId":"AKIAmallory"}}"#;
    let recs = [
        record(
            "read-1",
            "2024-10-09T14:43:00Z",
            "secretsmanager.amazonaws.com",
            "GetSecretValue",
            r#"{"secretId":"Production_Database_Credentials"}"#,
            "mallory",
            "",
        ),
        record(
            "del-alarm",
            "2024-10-09T14:43:35Z",
            "monitoring.amazonaws.com",
            "DeleteAlarms",
            r#"{"alarmNames":["cpu-mon"]}"#,
            "mallory",
            "",
        ),
        put.to_string(),
    ];
    std::fs::write(
        dir.path().join("trail.json"),
        format!("[{}]", recs.join(",")),
    )
    .unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(entry(&doc, "del-alarm").unwrap()["target"], "cpu-mon");
    assert_eq!(
        entry(&doc, "put-1").unwrap()["target"],
        "s3://elastic-cspm-cloudtrail-test-bucket/test.json"
    );
    let rows = all_rows(dir.path(), "jsonl");
    let target = |id: &str| rows.iter().find(|r| r["event_id"] == id).unwrap()["target"].clone();
    assert_eq!(target("del-alarm"), "cpu-mon");
    assert_eq!(
        target("put-1"),
        "s3://elastic-cspm-cloudtrail-test-bucket/test.json"
    );
}
