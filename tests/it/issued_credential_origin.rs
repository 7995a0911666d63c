//! The step on how the actor came to hold its credential said "the evidence shows the
//! credential's use, not how it was obtained" and sent the reader to "hosts, CI, code
//! repositories" while the evidence held the `AssumeRoleWithWebIdentity` that issued the key
//! (and `actor.key_origins` linked it): now it names the issuing call, whom it was issued to,
//! and where to look for a web identity token (audit 27).
//!
//! The issuing call is the IAM User Guide's `AssumeRoleWithWebIdentity` example
//! (`tests/data/records/web-identity-user-L421-fixed.json`, tests/data/SOURCES.md); the read is
//! a `GetSecretValue` of the honeytoken by the session it issued (its `assumedRoleUser` and
//! access key), written for this test.

use crate::support;

use serde_json::{json, Value};
use support::*;

const ISSUE: &str = "bEXAMPLE-0b30-4246-b28c-e3da3EXAMPLE";

#[test]
fn a_web_identity_credential_is_traced_to_its_issuing_call() {
    let issue: Value =
        read_json(&repo().join("tests/data/records/web-identity-user-L421-fixed.json"));
    let session = &issue["responseElements"]["assumedRoleUser"];
    let key = issue["responseElements"]["credentials"]["accessKeyId"].clone();
    let read = json!({
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "AssumedRole", "principalId": session["assumedRoleId"],
            "arn": session["arn"], "accountId": "444455556666", "accessKeyId": key,
            "sessionContext": {
                "sessionIssuer": {"type": "Role", "principalId": "AROACQRSTUVWRAOEXAMPLE",
                    "arn": "arn:aws:iam::444455556666:role/FederatedWebIdentityRole",
                    "accountId": "444455556666", "userName": "FederatedWebIdentityRole"},
                "webIdFederationData": {"federatedProvider": "accounts.google.com", "attributes": {}},
                "attributes": {"creationDate": "2016-03-23T01:39:51Z", "mfaAuthenticated": "false"}
            }
        },
        "eventTime": "2016-03-23T01:45:10Z", "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue", "awsRegion": "us-east-2", "sourceIPAddress": "198.51.100.23",
        "userAgent": "aws-cli/1.3.23 Python/2.7.6 Linux/2.6.18-164.el5",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "responseElements": null, "eventID": "7c1d2e3f-0000-4000-8000-000000000027",
        "readOnly": true, "eventType": "AwsApiCall", "recipientAccountId": "444455556666"
    });
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(
        evidence.join("records.json"),
        json!({ "Records": [issue, read] }).to_string(),
    )
    .unwrap();
    let doc = timeline_of(&evidence);
    let inc = &doc["incidents"][0];
    assert_eq!(inc["actor"]["key_origins"][0]["issued_by_event_id"], ISSUE);
    let steps = inc["eradication"].as_array().unwrap();
    let origin = steps
        .iter()
        .find(|s| s["action"].as_str().unwrap().starts_with("Find how"))
        .unwrap_or_else(|| panic!("{steps:#?}"));
    let action = origin["action"].as_str().unwrap();
    assert!(
        action.starts_with("Find how the web identity token came to be used: STS issued the credential ASIACQRSTUVWRAOEXAMPLE of arn:aws:sts::444455556666:assumed-role/FederatedWebIdentityRole/MyAssignedRoleSessionName at 2016-03-23T01:39:51Z by sts:AssumeRoleWithWebIdentity to accounts.google.com:"),
        "{action}"
    );
    assert_eq!(origin["event_ids"], json!([ISSUE]));
    let reason = origin["reason"].as_str().unwrap();
    assert!(!reason.contains("not how it was obtained"), "{reason}");

    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[evidence.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(!text.contains("not how it was obtained"), "{text}");
    assert!(
        text.contains("the web identity token came to be used"),
        "{text}"
    );
}
