//! The actor's account and the decoy's: a read across accounts is said as such (the JSON's
//! `cross_account`, the executive summary, the root cause), the deny goes in the caller's
//! account, and the decoy's account is told what trust to check, as a lead, not a fact. Built
//! on the KMS Developer Guide's record of `user/Alice` of account 111122223333
//! (`tests/data/shared/cloudtrail/awsdocs-kms-developer-guide/ct-decrypt-L161.json`, see
//! `tests/data/SOURCES.md`).

use crate::support;

use serde_json::{json, Value};
use support::*;

const SECRET: &str =
    "arn:aws:secretsmanager:us-east-2:123456789012:secret:Production_Database_Credentials-AbCdEf";
const READ_ID: &str = "98e89132-2938-4bca-3cbc-7deda845631b";

/// Alice's own Decrypt record (verbatim), and that record made a `GetSecretValue` of a secret of
/// account 123456789012, delivered to that account.
fn case(dir: &std::path::Path) {
    let alice = read_json(
        &shared_data().join("cloudtrail/awsdocs-kms-developer-guide/ct-decrypt-L161.json"),
    );
    let mut read = alice.clone();
    let r = read.as_object_mut().unwrap();
    r.insert("eventTime".into(), json!("2022-11-24T00:30:00Z"));
    r.insert("eventSource".into(), json!("secretsmanager.amazonaws.com"));
    r.insert("eventName".into(), json!("GetSecretValue"));
    r.insert("awsRegion".into(), json!("us-east-2"));
    r.insert("sourceIPAddress".into(), json!("192.0.2.0"));
    r.insert("requestParameters".into(), json!({"secretId": SECRET}));
    r.insert("eventID".into(), json!(READ_ID));
    r.insert("recipientAccountId".into(), json!("123456789012"));
    r.insert(
        "resources".into(),
        json!([{"ARN": SECRET, "accountId": "123456789012", "type": "AWS::SecretsManager::Secret"}]),
    );
    r.remove("additionalEventData");
    let evidence = dir.join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(
        evidence.join("records.json"),
        json!({"Records": [alice, read]}).to_string(),
    )
    .unwrap();
}

#[test]
fn a_read_across_accounts_names_both_and_cuts_in_the_callers() {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path());
    let doc: Value = timeline_of(&dir.path().join("evidence"));
    let inc = &doc["incidents"][0];
    assert_eq!(
        inc["cross_account"],
        json!({"actor_account": "111122223333", "honeytoken_account": "123456789012",
               "shown_by": "honeytoken_arn", "event_ids": [READ_ID]}),
        "{inc:#}"
    );
    let steps: Vec<&str> = inc["eradication"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert!(
        steps[0].starts_with(
            "Cut the access of arn:aws:iam::111122223333:user/Alice in its own AWS account 111122223333 (the caller's"
        ),
        "{steps:#?}"
    );
    assert!(
        steps.iter().any(|s| s.starts_with(
            "In AWS account 123456789012 (the decoy's), remove what lets account 111122223333 in: check the secret's resource policy"
        )),
        "{steps:#?}"
    );

    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[dir.path().join("evidence").to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("The credential of an IAM user of AWS account 111122223333 was used to read the decoy secret Production_Database_Credentials (of another AWS account, 123456789012) at 2022-11-24T00:30:00Z"),
        "{text}"
    );
    assert!(
        text.contains("What let account 111122223333 in is not in the records: check the secret's resource policy and the key policy of the KMS key that encrypts it for a statement trusting account 111122223333 (the likely cause, not established)"),
        "{text}"
    );
}

/// The same actor reading a secret of its own account: nothing is said across accounts.
#[test]
fn a_read_in_the_actors_own_account_is_not_cross_account() {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path());
    let path = dir.path().join("evidence/records.json");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("123456789012", "111122223333");
    std::fs::write(&path, text).unwrap();
    let doc = timeline_of(&dir.path().join("evidence"));
    let inc = &doc["incidents"][0];
    assert_eq!(inc["cross_account"], Value::Null);
    assert_eq!(
        inc["eradication"][0]["action"],
        "Cut the access of arn:aws:iam::111122223333:user/Alice: attach a deny-all policy"
    );
}

/// Two incidents, one of them a read across accounts: the summary of several incidents said
/// "In each, one identity of the AWS account read (or tried to read) a honeytoken", one account
/// for both. It now names both accounts of the read that crossed, as the summary of one
/// incident does.
#[test]
fn a_summary_of_several_incidents_names_both_accounts_of_a_cross_account_read() {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path());
    let path = dir.path().join("evidence/records.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut own = doc["Records"][1].clone();
    own["userIdentity"] = json!({"type": "IAMUser", "principalId": "AIDAEXAMPLEBOB",
        "arn": "arn:aws:iam::123456789012:user/Bob", "accountId": "123456789012",
        "accessKeyId": "AKIAEXAMPLEBOB000001", "userName": "Bob"});
    own["eventID"] = json!("98e89132-2938-4bca-3cbc-7deda8456399");
    own["eventTime"] = json!("2022-11-24T00:40:00Z");
    own["sourceIPAddress"] = json!("198.51.100.20");
    doc["Records"].as_array_mut().unwrap().push(own);
    std::fs::write(&path, doc.to_string()).unwrap();
    let evidence = dir.path().join("evidence");
    let timeline = timeline_of(&evidence);
    let incidents = timeline["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 2, "{timeline:#}");
    assert_eq!(incidents[1]["cross_account"], Value::Null);

    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[evidence.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(!text.contains("one identity of the AWS account"), "{text}");
    assert!(
        text.contains("In each, one identity read (or tried to read) a honeytoken: a decoy that no legitimate work is meant to read. Reads across accounts: INC-001 (an identity of AWS account 111122223333 read a decoy of AWS account 123456789012); in the others the identity is of the decoy's own account."),
        "{text}"
    );
}
