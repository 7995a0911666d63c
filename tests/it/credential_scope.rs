//! A read made with an EC2 instance's role credentials: CloudTrail states the instance they
//! were issued to (`userIdentity.inScopeOf`, `issuerType` `AWS::EC2::Instance`,
//! `credentialsIssuedTo` the instance's ARN), but the incident's actor did not name it and the
//! origin step sent the reader to "hosts, CI, code repositories", saying the evidence shows
//! the credential's use only (audit 27, on the AWS Security Blog's ML-KEM `GetSecretValue`
//! example). The actor now lists `credentials_issued_to` and the step names the instance. A
//! source identity the records state (`sessionContext.sourceIdentity`) was likewise only in the
//! raw record: the actor lists `source_identities` and the step starts from it.
//!
//! The read is Stratus Red Team's real `GetSecretValue` (tests/data/shared/SOURCES.md) with its
//! `userIdentity` an EC2 instance role session with `inScopeOf` as the CloudTrail User Guide's
//! "userIdentity element" page documents it, and `secretId` the honeytoken; written for the test.

use crate::support;

use serde_json::{json, Value};
use support::*;

const INSTANCE: &str = "arn:aws:ec2:cn-centraleast-1r:903144391865:instance/i-0c1a23fc456b7ab89";

#[test]
fn credentials_issued_to_an_instance_name_it_as_the_place_to_look() {
    let records: Value = read_json(&shared_data().join(
        "cloudtrail/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json",
    ));
    let mut read = records[0].clone();
    let id = read["eventID"].as_str().unwrap().to_string();
    read["userIdentity"] = json!({
        "type": "AssumedRole",
        "principalId": "AROA123456789EXAMPLE:i-0c1a23fc456b7ab89",
        "arn": "arn:aws:sts::903144391865:assumed-role/app-instance-profile/i-0c1a23fc456b7ab89",
        "accountId": "903144391865",
        "accessKeyId": "ASIAIOSFODNN7EXAMPLE",
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": "AROA123456789EXAMPLE",
                "arn": "arn:aws:iam::903144391865:role/app-instance-profile",
                "accountId": "903144391865", "userName": "app-instance-profile"},
            "attributes": {"creationDate": "2024-07-31T12:00:00Z", "mfaAuthenticated": "false"},
            "ec2RoleDelivery": "2.0"
        },
        "inScopeOf": {"issuerType": "AWS::EC2::Instance", "credentialsIssuedTo": INSTANCE}
    });
    read["requestParameters"] = json!({"secretId": "Production_Database_Credentials"});
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(
        evidence.join("records.json"),
        json!({ "Records": [read] }).to_string(),
    )
    .unwrap();

    let doc = timeline_of(&evidence);
    let actor = &doc["incidents"][0]["actor"];
    assert_eq!(
        actor["credentials_issued_to"],
        json!([{"issuer_type": "AWS::EC2::Instance", "resource": INSTANCE, "records": 1, "first_event_id": id}])
    );
    let steps = doc["incidents"][0]["eradication"].as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| {
            s["action"]
                .as_str()
                .unwrap()
                .starts_with("Examine EC2 instance")
        })
        .unwrap_or_else(|| panic!("{steps:#?}"));
    let action = step["action"].as_str().unwrap();
    assert!(action.contains(&format!("Examine EC2 instance {INSTANCE}: the records state the credentials of arn:aws:sts::903144391865:assumed-role/app-instance-profile/i-0c1a23fc456b7ab89 were issued to it")), "{action}");
    assert!(
        action.contains("compare the calls' addresses (253.201.144.253) with the instance's"),
        "{action}"
    );
    assert_eq!(step["event_ids"], json!([id]));
    assert!(!steps.iter().any(|s| s["reason"]
        .as_str()
        .unwrap()
        .contains("not how it was obtained")));

    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[evidence.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("Examine EC2 instance"), "{text}");
    assert!(!text.contains("not how it was obtained"), "{text}");
}

/// A role session whose records state a source identity (`sessionContext.sourceIdentity`, as
/// the IAM User Guide documents it): the actor lists it and the origin step starts from it.
#[test]
fn a_source_identity_is_named_where_to_start() {
    let records: Value = read_json(&shared_data().join(
        "cloudtrail/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json",
    ));
    let mut read = records[0].clone();
    read["userIdentity"] = json!({
        "type": "AssumedRole",
        "principalId": "AROA123456789EXAMPLE:deploy",
        "arn": "arn:aws:sts::903144391865:assumed-role/ops-admin/deploy",
        "accountId": "903144391865",
        "accessKeyId": "ASIAIOSFODNN7EXAMPLE",
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": "AROA123456789EXAMPLE",
                "arn": "arn:aws:iam::903144391865:role/ops-admin",
                "accountId": "903144391865", "userName": "ops-admin"},
            "attributes": {"creationDate": "2024-07-31T12:00:00Z", "mfaAuthenticated": "false"},
            "sourceIdentity": "alice@example.com"
        }
    });
    read["requestParameters"] = json!({"secretId": "Production_Database_Credentials"});
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("records.json"),
        json!({ "Records": [read] }).to_string(),
    )
    .unwrap();
    let doc = timeline_of(dir.path());
    let inc = &doc["incidents"][0];
    assert_eq!(
        inc["actor"]["source_identities"],
        json!(["alice@example.com"])
    );
    let steps = inc["eradication"].as_array().unwrap();
    assert!(
        steps.iter().any(|s| s["action"].as_str().unwrap().contains(
            "The records state the session's source identity alice@example.com (sessionContext.sourceIdentity)"
        )),
        "{steps:#?}"
    );
}
