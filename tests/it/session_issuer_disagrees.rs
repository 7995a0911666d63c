//! A role session whose records name, in `sessionContext.sessionIssuer.arn`, something that is
//! not the session's own role: the step that cuts the actor's access must not send the IAM
//! administrator to deny that. Two real records of AWS's guides do this
//! (`tests/data/records/`, tests/data/SOURCES.md): the DynamoDB Developer Guide's `PutItem` by
//! `assumed-role/users/bob` of account 111122223333, whose issuer is `role/admin-role` of
//! account 444455556666, and the Systems Manager User Guide's `StartConnection` by
//! `assumed-role/exampleRole`, whose issuer is that STS session ARN. Each test's read is the
//! record's caller reading the honeytoken a minute later.

use crate::support;

use serde_json::{json, Value};
use support::*;

/// The public record's own call and, a minute later, its caller's read of the honeytoken
/// (`source`, `name` and `request` of the read API): the timeline's incident and the report's
/// text.
fn case(
    record: &str,
    honeytoken: &str,
    source: &str,
    name: &str,
    request: Value,
) -> (Value, String) {
    let doc = read_json(&repo().join("tests/data/records").join(record));
    let call = doc.get("Records").map_or(doc.clone(), |r| r[0].clone());
    let mut read = call.clone();
    let time = call["eventTime"].as_str().unwrap();
    let (date, clock) = time.split_at(14);
    let minute: u32 = clock[..2].parse().unwrap();
    let o = read.as_object_mut().unwrap();
    o.insert(
        "eventTime".into(),
        json!(format!("{date}{:02}{}", minute + 1, &clock[2..])),
    );
    o.insert("eventSource".into(), json!(source));
    o.insert("eventName".into(), json!(name));
    o.insert("requestParameters".into(), request);
    o.insert("responseElements".into(), Value::Null);
    o.insert("readOnly".into(), json!(true));
    o.insert(
        "eventID".into(),
        json!("5e55101d-0000-4000-8000-000000000001"),
    );
    o.remove("resources");
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(
        evidence.join("records.json"),
        json!({ "Records": [call, read] }).to_string(),
    )
    .unwrap();
    let (doc, text) = timeline_and_unverifiable_report(&evidence, &["--honeytoken", honeytoken]);
    (doc["incidents"][0].clone(), text)
}

fn cut_step(inc: &Value) -> String {
    inc["eradication"][0]["action"]
        .as_str()
        .unwrap()
        .to_string()
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn an_issuer_of_another_role_and_account_is_not_the_role_to_deny() {
    let (inc, text) = case(
        "ddb-put-item-L246.json",
        "Production_Database_Credentials",
        "secretsmanager.amazonaws.com",
        "GetSecretValue",
        json!({"secretId": "Production_Database_Credentials"}),
    );
    assert_eq!(
        inc["actor"]["arn"],
        "arn:aws:sts::111122223333:assumed-role/users/bob"
    );
    let step = cut_step(&inc);
    assert!(
        !step.contains("deny-all policy to role arn:aws:iam::444455556666:role/admin-role"),
        "{step}"
    );
    assert!(
        step.contains("deny-all policy to role users of account 111122223333 (its ARN is not known: the records' sessionContext.sessionIssuer.arn arn:aws:iam::444455556666:role/admin-role names role admin-role of account 444455556666"),
        "{step}"
    );
    let unknowns = inc["unknowns"].to_string();
    assert!(
        unknowns.contains("role: the records' sessionContext.sessionIssuer.arn arn:aws:iam::444455556666:role/admin-role names role admin-role of account 444455556666, where the session's ARN arn:aws:sts::111122223333:assumed-role/users/bob names role users of account 111122223333: the records disagree on the session's role"),
        "{unknowns}"
    );
    let text = flat(&text);
    assert!(
        text.contains("the records disagree on the session's role"),
        "{text}"
    );
}

#[test]
fn an_issuer_that_is_the_session_arn_is_not_a_role_to_attach_a_policy_to() {
    let (inc, _) = case(
        "ssm-guiconnect-L85.json",
        "ssm:/prod/db-password",
        "ssm.amazonaws.com",
        "GetParameter",
        json!({"name": "/prod/db-password", "withDecryption": true}),
    );
    let step = cut_step(&inc);
    assert!(!step.contains("deny-all policy to arn:aws:sts::"), "{step}");
    assert!(
        step.contains("deny-all policy to role exampleRole of account 123456789012 (its ARN is not known: the records' sessionContext.sessionIssuer.arn arn:aws:sts::123456789012:assumed-role/exampleRole is not an IAM role's ARN"),
        "{step}"
    );
}

#[test]
fn an_issuer_that_is_the_sessions_role_is_still_named() {
    // The IAM User Guide's role session (`tests/it/actor_origins.rs` and the sample hold
    // more): here the DynamoDB record with its issuer made the session's own role, under a path.
    let (inc, _) = {
        let doc = read_json(&repo().join("tests/data/records/ddb-put-item-L246.json"));
        let mut call = doc["Records"][0].clone();
        call["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"] =
            json!("arn:aws:iam::111122223333:role/teams/users");
        call["userIdentity"]["sessionContext"]["sessionIssuer"]["accountId"] =
            json!("111122223333");
        let mut read = call.clone();
        read["eventTime"] = json!("2019-01-19T15:42:54Z");
        read["eventSource"] = json!("secretsmanager.amazonaws.com");
        read["eventName"] = json!("GetSecretValue");
        read["requestParameters"] = json!({"secretId": "Production_Database_Credentials"});
        read["eventID"] = json!("5e55101d-0000-4000-8000-000000000002");
        read.as_object_mut().unwrap().remove("resources");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("records.json"),
            json!({ "Records": [call, read] }).to_string(),
        )
        .unwrap();
        (timeline_of(dir.path())["incidents"][0].clone(), ())
    };
    assert!(
        cut_step(&inc)
            .contains("deny-all policy to role arn:aws:iam::111122223333:role/teams/users,"),
        "{}",
        cut_step(&inc)
    );
    assert!(!inc["unknowns"].to_string().contains("role: "));
}
