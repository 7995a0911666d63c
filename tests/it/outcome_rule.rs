//! Success and failure as AWS records them (issue #15): a call failed when it has an
//! `errorCode`, and also when AWS records the failure only in `responseElements` (console
//! sign-in: `{"ConsoleLogin": "Failure"}` with an `errorMessage` and no `errorCode`) or only in
//! `serviceEventDetails` (IAM Identity Center sign-in: `{"CredentialVerification": "Failure"}`).
//! Every place that says "succeeded" uses that one rule. Tested on the AWS documentation's own
//! sign-in records (`tests/data/signin` and
//! `tests/data/shared/cloudtrail/awsdocs-single-sign-on-user-guide`, see `tests/data/SOURCES.md`).

use crate::support;

use serde_json::{json, Value};
use support::*;

/// eventIDs of the documentation's records: failed IAM user, failed root, and two successes.
const FAILED_IAM_USER: &str = "d38ce1b3-4575-4cb8-a632-611b8243bfc3";

fn rows(format_all: &[&str]) -> Vec<Value> {
    let run = trailcase(format_all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn failed_console_sign_in_is_a_failure_in_every_export() {
    let dir = repo().join("tests/data/signin");
    let d = dir.to_str().unwrap();
    let rows = rows(&["timeline", d, "--all", "--format", "jsonl"]);
    assert_eq!(rows.len(), 4);
    let outcomes: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["event_id"].as_str().unwrap(),
                r["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        outcomes.iter().filter(|(_, o)| *o == "Failure").count(),
        2,
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes.iter().filter(|(_, o)| *o == "success").count(),
        2,
        "{outcomes:?}"
    );
    assert!(outcomes.contains(&(FAILED_IAM_USER, "Failure")));
    let csv = trailcase(["timeline", d, "--all", "--format", "csv"]).text();
    let line = csv.lines().find(|l| l.contains(FAILED_IAM_USER)).unwrap();
    assert!(line.contains("\"Failure\""), "{line}");
}

/// The honeytoken's reader later fails to sign in to the console: the failed sign-in is not
/// the actor's last successful call.
#[test]
fn failed_console_sign_in_is_not_the_actors_last_success() {
    let dir = tempfile::tempdir().unwrap();
    let read = json!({
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDACKCEVSQ6C2EXAMPLE",
                         "arn": "arn:aws:iam::111122223333:user/anaya", "accountId": "111122223333",
                         "accessKeyId": "AKIAEXAMPLEANAYA0001", "userName": "anaya"},
        "eventTime": "2022-11-10T16:20:00Z",
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
        "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.0", "userAgent": "aws-cli/2.9.0",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "responseElements": null,
        "eventID": "5f1a4a39-8a4d-4d39-9d7e-000000000001",
        "eventType": "AwsApiCall", "recipientAccountId": "111122223333"
    });
    let failed_login: Value = serde_json::from_slice(
        &std::fs::read(repo().join(
            "tests/data/signin/cloudtrail-event-reference-aws-console-sign-in-events-L102.json",
        ))
        .unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("records.json"),
        json!({"Records": [read, failed_login]}).to_string(),
    )
    .unwrap();
    let doc = trailcase(["timeline", dir.path().to_str().unwrap()]).json();
    let incident = &doc["incidents"][0];
    assert_eq!(
        incident["milestones"]["last_actor_success"], "2022-11-10T16:20:00Z",
        "{incident:#}"
    );
    let login = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_id"] == FAILED_IAM_USER)
        .expect("the failed sign-in is on the actor's timeline");
    assert_eq!(login["outcome"], "Failure");
}

/// An IAM Identity Center sign-in records its outcome only in `serviceEventDetails` (the IAM
/// Identity Center User Guide's failed password sign-in: `{"CredentialVerification":
/// "Failure"}`, no `errorCode`), and names the user only by `userName` (`arn` is empty and
/// `principalId` is the account's id): the failure is a failure, and the row names the user.
#[test]
fn failed_identity_center_credential_verification_is_a_failure_by_its_user() {
    let dir = shared_data().join("cloudtrail/awsdocs-single-sign-on-user-guide");
    let rows = rows(&[
        "timeline",
        dir.to_str().unwrap(),
        "--all",
        "--format",
        "jsonl",
    ]);
    let row = |id: &str| {
        rows.iter()
            .find(|r| r["event_id"] == id)
            .unwrap_or_else(|| panic!("{id} not in {rows:?}"))
    };
    // The wrong password (L556), and the challenge before it (L518), which succeeded.
    let verification = row("9160fe06-fc2a-474f-9b78-000ee067a09d");
    assert_eq!(verification["action"], "signin:CredentialVerification");
    assert_eq!(verification["outcome"], "Failure", "{verification}");
    assert_eq!(verification["actor"], "user1", "{verification}");
    let challenge = row("d96f1d6c-dbd9-4a0b-9a45-6a2b66078c78");
    assert_eq!(challenge["outcome"], "success", "{challenge}");
    assert_eq!(challenge["actor"], "user1", "{challenge}");
}
