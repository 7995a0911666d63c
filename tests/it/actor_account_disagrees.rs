//! A caller whose records name two AWS accounts, `userIdentity.accountId` one and the
//! principal's own ARN another, was given the first as a fact: Cloud Custodian's recorded
//! `RunInstances` (tests/data/cloud-custodian/, tests/data/SOURCES.md) is by
//! `arn:aws:sts::03412312600:assumed-role/GR_Dev_Developer/Radiant` (its session issuer the role
//! of that same account) with `accountId` `076173845600`, delivered to `644160558196`. The
//! report said "The credential of a role session of AWS account 076173845600", that the read
//! crossed accounts from 076173845600, sent the responder to look for a statement trusting
//! 076173845600 and to cut the session "in its own AWS account 076173845600" with a policy on
//! the role of 03412312600. CloudTrail writes the principal's own account in both fields, so
//! the records disagree: which account the credential is of is not known, and is said so.
//!
//! The read is the record's caller reading the honeytoken a minute later (the record with
//! `eventSource`, `eventName`, `requestParameters`, `responseElements`, `readOnly`, time and
//! eventID changed; caller, key, address, user agent and delivery account unchanged).

use crate::support;

use serde_json::{json, Value};
use support::*;

/// The recorded call and its caller's read of the honeytoken a minute later.
fn custodian_call_and_read(file: &str, read_time: &str, event_id: &str) -> (Value, Value) {
    let call = read_json(&repo().join("tests/data/cloud-custodian").join(file));
    let mut read = call.clone();
    let o = read.as_object_mut().unwrap();
    o.insert("eventTime".into(), json!(read_time));
    o.insert("eventSource".into(), json!("secretsmanager.amazonaws.com"));
    o.insert("eventName".into(), json!("GetSecretValue"));
    o.insert(
        "requestParameters".into(),
        json!({"secretId": "Production_Database_Credentials"}),
    );
    o.insert("responseElements".into(), Value::Null);
    o.insert("readOnly".into(), json!(true));
    o.insert("eventID".into(), json!(event_id));
    (call, read)
}

fn write_case(records: Vec<Value>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("records.json"),
        serde_json::to_vec(&json!({ "Records": records })).unwrap(),
    )
    .unwrap();
    dir
}

const RADIANT: &str = "arn:aws:sts::03412312600:assumed-role/GR_Dev_Developer/Radiant";

#[test]
fn records_that_name_two_accounts_for_the_caller_establish_neither() {
    let (call, read) = custodian_call_and_read(
        "event-cloud-trail-run-instance-creator-assumed.json",
        "2016-07-24T10:58:13Z",
        "acc0d15a-0000-4000-8000-000000000001",
    );
    assert_eq!(call["userIdentity"]["accountId"], "076173845600");
    let dir = write_case(vec![call, read]);
    let (doc, text) = timeline_and_unverifiable_report(
        dir.path(),
        &["--honeytoken", "Production_Database_Credentials"],
    );
    let inc = &doc["incidents"][0];
    assert_eq!(inc["actor"]["arn"], RADIANT);
    // The field keeps what userIdentity.accountId says; nothing is built on it.
    assert_eq!(inc["actor"]["account_id"], "076173845600");
    assert_eq!(
        inc["cross_account"],
        Value::Null,
        "{:#}",
        inc["cross_account"]
    );
    let unknowns: Vec<&str> = inc["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|u| u.starts_with("account: "))
        .collect();
    assert_eq!(unknowns.len(), 1, "{:#}", inc["unknowns"]);
    assert!(
        unknowns[0].contains(&format!(
            "the records' userIdentity.accountId 076173845600 is not account 03412312600 of the principal's ARN {RADIANT}"
        )) && unknowns[0].contains("which AWS account the credential is of is not known"),
        "{}",
        unknowns[0]
    );
    let step = inc["eradication"][0]["action"].as_str().unwrap();
    assert!(!step.contains("076173845600"), "{step}");
    assert!(
        step.contains(
            "attach a deny-all policy to role arn:aws:iam::03412312600:role/GR_Dev_Developer"
        ),
        "{step}"
    );

    assert!(
        text.contains(
            "The credential of a role session of an AWS account the records disagree on was used to read"
        ),
        "{text}"
    );
    assert!(!text.contains("of AWS account 076173845600"), "{text}");
    assert!(!text.contains("crossed accounts"), "{text}");
    assert!(!text.contains("trusting account 076173845600"), "{text}");
    assert!(
        text.contains("the records disagree on the caller's account"),
        "{text}"
    );
}

#[test]
fn records_that_agree_on_the_account_name_it_and_raise_no_unknown() {
    let (call, read) = custodian_call_and_read(
        "event-cloud-trail-create-rest-stage.json",
        "2022-07-11T19:40:02Z",
        "acc0d15a-0000-4000-8000-000000000002",
    );
    let dir = write_case(vec![call, read]);
    let (doc, text) = timeline_and_unverifiable_report(
        dir.path(),
        &["--honeytoken", "Production_Database_Credentials"],
    );
    let inc = &doc["incidents"][0];
    assert_eq!(inc["actor"]["account_id"], "012345678901");
    assert!(
        !inc["unknowns"].to_string().contains("account: "),
        "{:#}",
        inc["unknowns"]
    );
    assert!(
        text.contains("The credential of a role session of AWS account 012345678901 was used"),
        "{text}"
    );
}

#[test]
fn several_incidents_say_whose_records_disagree_on_the_account() {
    let (radiant_call, radiant_read) = custodian_call_and_read(
        "event-cloud-trail-run-instance-creator-assumed.json",
        "2016-07-24T10:58:13Z",
        "acc0d15a-0000-4000-8000-000000000003",
    );
    let (bot_call, bot_read) = custodian_call_and_read(
        "event-cloud-trail-create-rest-stage.json",
        "2022-07-11T19:40:02Z",
        "acc0d15a-0000-4000-8000-000000000004",
    );
    let dir = write_case(vec![radiant_call, radiant_read, bot_call, bot_read]);
    let (doc, text) = timeline_and_unverifiable_report(
        dir.path(),
        &["--honeytoken", "Production_Database_Credentials"],
    );
    let incidents = doc["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 2, "{doc:#}");
    let disputed = incidents
        .iter()
        .find(|i| i["actor"]["arn"] == RADIANT)
        .unwrap()["id"]
        .as_str()
        .unwrap();
    assert!(
        text.contains("The identities' records name AWS account(s) 012345678901."),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "The records of {disputed} disagree on the identity's account"
        )),
        "{text}"
    );
    assert!(!text.contains("some name no account"), "{text}");
    assert!(!text.contains("076173845600 read a decoy"), "{text}");
}
