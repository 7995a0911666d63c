//! A change that failed for another reason than an access check is not a refusal. DynamoDB's
//! `ConditionalCheckFailedException` (the Amazon DynamoDB Developer Guide's `UpdateItem`,
//! `tests/data/records/ddb-update-item-L313.json`, tests/data/SOURCES.md) comes back only to a
//! caller the access check let through: the actor holds the permission. The impact keeps it
//! apart from the refused changes (`failed_changes`), the summary does not call it refused, its
//! timeline row is `actor_failed` (not `actor_denied`), and after containment it is no "denied
//! attempt" bearing the block out.

use crate::support;

use serde_json::{json, Value};
use support::*;

fn update_item() -> Value {
    read_json(&repo().join("tests/data/records/ddb-update-item-L313.json"))["Records"][0].clone()
}

#[test]
fn a_conditional_check_failure_is_a_failed_change_not_a_refused_one() {
    let update = update_item();
    // The same caller's read of the honeytoken a minute before its UpdateItem.
    let read = honeytoken_read_like(
        &update,
        "2020-09-03T22:26:15Z",
        "fa11ed00-0000-4000-8000-000000000001",
    );
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(
        evidence.join("records.json"),
        json!({ "Records": [read, update] }).to_string(),
    )
    .unwrap();
    let (doc, text) = timeline_and_unverifiable_report(&evidence, &[]);
    let impact = &doc["incidents"][0]["impact"];
    assert_eq!(impact["refused_changes"], json!([]));
    assert_eq!(impact["failed_changes"], json!(["dynamodb:UpdateItem"]));
    assert_eq!(
        impact["failed_change_event_ids"],
        json!(["a954451c-c2fc-4561-8aea-7a30ba1fdf52"])
    );
    assert_eq!(
        impact["failed_change_errors"],
        json!(["ConditionalCheckFailedException"])
    );
    assert!(!text.contains("(UpdateItem) was refused"), "{text}");
    // Its timeline row is the actor's failed call, not a denied one, and the chart says so.
    assert_eq!(kind_of_row(&doc, "dynamodb:UpdateItem"), "actor_failed");
    assert!(text.contains("UpdateItem failed"), "{text}");
    assert!(
        text.contains("its attempt to make a change (UpdateItem) failed (ConditionalCheckFailedException), an error that is not an access refusal, so the records do not show the actor lacked the permission."),
        "{text}"
    );
}

#[test]
fn a_failed_change_after_the_block_is_not_a_denied_attempt() {
    // The sample's actor, blocked at 14:02:48 and first refused at 14:03:05, with the guide's
    // failing UpdateItem made with its key at 14:02:55 (caller, time, account and region the
    // sample's; the call, its request and its error the guide's).
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let extra = dir.path().join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    let mut update = update_item();
    update["userIdentity"] = json!({"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT01",
        "arn": "arn:aws:iam::123456789012:user/svc-reporting", "accountId": "123456789012",
        "accessKeyId": "AKIA4EXAMPLESVCREPT7Q", "userName": "svc-reporting"});
    update["eventTime"] = json!("2026-11-20T14:02:55Z");
    update["recipientAccountId"] = json!("123456789012");
    update["awsRegion"] = json!("us-east-1");
    std::fs::write(
        extra.join("records.json"),
        json!({ "Records": [update] }).to_string(),
    )
    .unwrap();
    let run = trailcase([
        "timeline",
        "--quiet",
        case.to_str().unwrap(),
        extra.to_str().unwrap(),
    ]);
    assert!(run.code <= 1, "{}", run.stderr);
    let inc = &run.json()["incidents"][0];
    assert_eq!(
        inc["milestones"]["first_denied_after_containment"],
        "2026-11-20T14:03:05Z"
    );
    assert_eq!(
        inc["impact"]["refused_changes"],
        json!(["iam:CreateAccessKey"])
    );
    assert_eq!(
        inc["impact"]["failed_changes"],
        json!(["dynamodb:UpdateItem"])
    );
    assert_eq!(
        kind_of_row(&run.json(), "dynamodb:UpdateItem"),
        "actor_failed"
    );
    // The report's denied attempts after containment name the refusals only, and count the
    // failed call apart with its error and eventID.
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let r = report_pdf(&pdf, &[case.to_str().unwrap(), extra.to_str().unwrap()]);
    assert!(r.code <= 1, "{}", r.stderr);
    let text = pdf_text(&pdf);
    let denied = text
        .split("INC-001: denied attempts after containment")
        .nth(1)
        .expect(&text);
    let denied = &denied[..denied.find("The kill-switch's own account").expect(denied)];
    assert!(
        denied.contains("refused after containment started"),
        "{denied}"
    );
    assert!(!denied.contains("dynamodb:UpdateItem at"), "{denied}");
    assert!(
        denied.contains("1 other call(s) by the actor failed after it with an error that is not an access refusal (ConditionalCheckFailedException; eventID a954451c-c2fc-4561-8aea-7a30ba1fdf52)"),
        "{denied}"
    );
}

/// The `kind` of the one timeline row whose action is `action`.
fn kind_of_row(doc: &Value, action: &str) -> String {
    let rows: Vec<&Value> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action)
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows[0]["kind"].as_str().unwrap().to_string()
}
