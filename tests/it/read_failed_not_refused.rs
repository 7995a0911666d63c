//! A honeytoken read that failed with an error no access check gives (`ResourceNotFoundException`:
//! no secret of that name where it was asked for) was told as refused: "The one read of the
//! honeytoken was refused", "its one attempt was refused", "First honeytoken access (refused)",
//! SC-26 "every read refused", as if an access check had held. The JSON's
//! `impact.read_errors` now names the codes, and the report says the read failed, with its code;
//! an `AccessDeniedException` is still "refused" (audit 25).
//!
//! The caller is Cloud Custodian's captured `CreateStage` (tests/data/SOURCES.md): its session,
//! key, time and call kept as the actor's first call; the read is that record made a
//! `GetSecretValue` of the honeytoken two minutes later, from the same address and session.

use crate::support;

use crate::support::honeytoken_calls::custodian_call_and_read;
use serde_json::{json, Value};
use std::path::Path;
use support::*;

fn case(dir: &Path, error: &str, message: &str) {
    let (call, read) = custodian_call_and_read(Some((error, message)));
    write_records(dir, &[call, read]);
}

/// `records` as a trail file's `{"Records": [...]}` in `dir`.
fn write_records(dir: &Path, records: &[Value]) {
    std::fs::write(
        dir.join("records.json"),
        serde_json::to_vec(&json!({ "Records": records })).unwrap(),
    )
    .unwrap();
}

/// `read` again a minute later (19:41:02Z), as the event whose ID ends in `last`.
fn a_minute_later(read: &Value, last: char) -> Value {
    let mut again = read.clone();
    again["eventTime"] = json!("2022-07-11T19:41:02Z");
    again["eventID"] = json!(format!("62a841f9-7601-4345-9181-dd5f31ec750{last}"));
    again
}

/// The ATT&CK table's call of the honeytoken read in incident `i`.
fn attack_read(i: &Value) -> &Value {
    i["attack"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["calls"].as_array().unwrap())
        .find(|c| c["action"] == "secretsmanager:GetSecretValue")
        .expect("the read mapped to a technique")
}

#[test]
fn a_read_of_a_secret_not_found_is_told_failed_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
    );
    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let i = &doc["incidents"][0];
    assert_eq!(i["impact"]["reads_succeeded"], 0);
    assert_eq!(
        i["impact"]["read_errors"],
        json!(["ResourceNotFoundException"])
    );
    let basis = i["severity_basis"].as_str().unwrap();
    assert!(
        basis.contains("the one attempt to read the honeytoken failed (ResourceNotFoundException)"),
        "{basis}"
    );
    assert!(!basis.contains("refused"), "{basis}");

    assert!(
        text.contains("its one attempt failed (ResourceNotFoundException)"),
        "{text}"
    );
    assert!(text.contains("First honeytoken access (failed)"), "{text}");
    assert!(text.contains("every call to read it failed"), "{text}");
    // The chart labels the attempt failed, not denied.
    assert!(text.contains("GetSecretValue failed"), "{text}");
    assert!(!text.contains("GetSecretValue denied"), "{text}");
    for claim in [
        "was refused: its value",
        "its one attempt was refused",
        "First honeytoken access (refused)",
        "every read refused",
        "every call to read it refused",
    ] {
        assert!(!text.contains(claim), "{claim}: {text}");
    }
}

#[test]
fn a_read_denied_by_an_access_check_is_still_refused() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        "AccessDenied",
        "User: arn:aws:sts::012345678901:assumed-role/c7nbot/HarishAchappa is not authorized to perform: secretsmanager:GetSecretValue",
    );
    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let i = &doc["incidents"][0];
    assert_eq!(i["impact"]["read_errors"], json!(["AccessDenied"]));
    assert!(
        i["severity_basis"]
            .as_str()
            .unwrap()
            .contains("the one attempt to read the honeytoken was refused"),
        "{}",
        i["severity_basis"]
    );
    assert!(text.contains("its one attempt was refused"), "{text}");
    assert!(text.contains("First honeytoken access (refused)"), "{text}");
}

/// The ATT&CK table headed its column "(succeeded / refused)" and marked the technique "every call
/// refused" for a read that failed with ResourceNotFoundException (words 25): it now says failed,
/// with the code, as the JSON's call does.
#[test]
fn the_attack_table_says_a_read_of_a_secret_not_found_failed() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
    );
    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let read = attack_read(&doc["incidents"][0]);
    assert_eq!(read["failed"], 1);
    assert_eq!(read["errors"], json!(["ResourceNotFoundException"]));
    for said in [
        "Calls (succeeded / refused or failed)",
        "secretsmanager:GetSecretValue (0 / 1 failed: ResourceNotFoundException)",
        "attempt only: every call refused or failed",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    assert!(!text.contains("Calls (succeeded / refused) "), "{text}");
    // The section's rule says what the table marks: refused or failed, not refused alone.
    assert!(
        text.contains("refused and failed calls included (a technique whose every call was refused or failed is marked as an attempt)"),
        "{text}"
    );
    assert!(!text.contains("every call refused ("), "{text}");

    let dir = tempfile::tempdir().unwrap();
    case(dir.path(), "AccessDenied", "User: arn:aws:sts::012345678901:assumed-role/c7nbot/HarishAchappa is not authorized to perform: secretsmanager:GetSecretValue");
    let (_, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    assert!(text.contains("Calls (succeeded / refused)"), "{text}");
    assert!(
        text.contains("attempt only: every call refused ("),
        "{text}"
    );
}

/// Two reads of the honeytoken by the same session, one refused (`AccessDenied`) and one failed
/// (`ResourceNotFoundException`): the impact said "all 2 attempts failed (AccessDenied,
/// ResourceNotFoundException)" and the ATT&CK table "(0 / 2 failed: AccessDenied,
/// ResourceNotFoundException)", calling the refusal a failure and counting neither kind. Each now
/// counts each kind with its codes, as the JSON's `impact.reads_denied` and the call's `refused`.
/// The JSON counted both reads as `impact.reads_refused`, a name that says refused: it has them
/// as `impact.reads_with_error` (`reads_refused` kept, deprecated, with the same value).
#[test]
fn a_refused_read_and_a_failed_read_are_each_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (call, denied) = custodian_call_and_read(Some(("AccessDenied", "User: arn:aws:sts::012345678901:assumed-role/c7nbot/HarishAchappa is not authorized to perform: secretsmanager:GetSecretValue")));
    let mut missing = a_minute_later(&denied, '2');
    missing["errorCode"] = json!("ResourceNotFoundException");
    missing["errorMessage"] = json!("Secrets Manager can't find the specified secret.");
    write_records(dir.path(), &[call, denied, missing]);
    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let i = &doc["incidents"][0];
    assert_eq!(i["impact"]["reads_with_error"], 2);
    assert_eq!(i["impact"]["reads_refused"], 2);
    assert_eq!(i["impact"]["reads_denied"], 1);
    let read = attack_read(i);
    assert_eq!(
        (read["failed"].as_u64(), read["refused"].as_u64()),
        (Some(2), Some(1))
    );
    let split = "1 refused (AccessDenied), 1 failed (ResourceNotFoundException)";
    let basis = i["severity_basis"].as_str().unwrap();
    assert!(
        basis.contains(&format!(
            "all 2 attempts to read the honeytoken were refused or failed: {split}"
        )),
        "{basis}"
    );
    for said in [
        format!("all 2 attempts were refused or failed: {split}"),
        format!("secretsmanager:GetSecretValue (0 / 2: {split})"),
        "every call to read it refused or failed".to_string(),
    ] {
        assert!(text.contains(&said), "{said}: {text}");
    }
    assert!(
        !text.contains("failed (AccessDenied, ResourceNotFoundException)"),
        "{text}"
    );
    assert!(!text.contains("failed: AccessDenied"), "{text}");
}

/// A first read that failed with `ResourceNotFoundException`, then a read that returned the
/// value: the times from T said "after the first, refused attempt", the summary "(a first
/// attempt at … was refused)" and the story "tried to read … and was refused", though no access
/// check refused it. They now say "failed" (the T milestone already said "(failed)").
/// The report's text on a first read that failed with `ResourceNotFoundException` at
/// 19:40:02Z, then a read that returned the value at 19:41:02Z.
fn failed_then_read_report() -> String {
    let dir = tempfile::tempdir().unwrap();
    let (call, failed) = custodian_call_and_read(Some((
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
    )));
    let mut read = a_minute_later(&failed, '3');
    let obj = read.as_object_mut().unwrap();
    obj.remove("errorCode");
    obj.remove("errorMessage");
    write_records(dir.path(), &[call, failed, read]);
    timeline_and_unverifiable_report(dir.path(), &[]).1
}

#[test]
fn a_failed_first_read_before_a_read_is_not_called_refused() {
    let text = failed_then_read_report();
    assert!(!text.contains("refused attempt"), "{text}");
    assert!(!text.contains("19:40:02Z was refused"), "{text}");
    assert!(!text.contains("and was refused; at"), "{text}");
    for said in [
        "(a first attempt at 2022-07-11T19:40:02Z failed",
        "and failed",
        "First honeytoken access (failed)",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
}

/// The summary said "(a first attempt at T failed)" and the story "and failed; at …" with no
/// error code, where every other sentence on a failed read names it: they now give it, in the
/// words of the impact and the ATT&CK table ("failed (ResourceNotFoundException)").
#[test]
fn a_failed_first_attempt_names_its_error_code() {
    let text = failed_then_read_report();
    for said in [
        "(a first attempt at 2022-07-11T19:40:02Z failed (ResourceNotFoundException))",
        "and failed (ResourceNotFoundException); at 2022-07-11T19:41:02Z it read it.",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
}
