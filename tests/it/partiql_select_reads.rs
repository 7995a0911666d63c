//! A DynamoDB PartiQL `SELECT` reads: CloudTrail marks every `ExecuteStatement` `readOnly`
//! false, whatever its statement, so the record's flag alone made the summary say the actor
//! changed something. The Amazon DynamoDB Developer Guide's `ExecuteStatement` of a `SELECT`
//! and `BatchExecuteStatement` of an `UPDATE` and an `INSERT`
//! (`tests/data/records/ddb-execute-statement-L621.json`, `ddb-batch-execute-statement-L678.json`,
//! tests/data/SOURCES.md), each after its caller's read of the honeytoken.

use crate::support;

use serde_json::{json, Value};
use support::*;

/// The guide's call in `record` after its caller's read of the honeytoken a minute before: the
/// incident's impact and the report's text.
fn after_a_read(record: &str) -> (Value, String) {
    let call = read_json(&repo().join("tests/data/records").join(record))["Records"][0].clone();
    let time = call["eventTime"].as_str().unwrap();
    let minute: u32 = time[14..16].parse().unwrap();
    let read = honeytoken_read_like(
        &call,
        &format!("{}{:02}{}", &time[..14], minute - 1, &time[16..]),
        "5e1ec700-0000-4000-8000-000000000001",
    );
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(
        evidence.join("records.json"),
        json!({ "Records": [read, call] }).to_string(),
    )
    .unwrap();
    let (doc, text) = timeline_and_unverifiable_report(&evidence, &[]);
    (doc["incidents"][0]["impact"].clone(), text)
}

#[test]
fn a_partiql_select_is_a_read_not_a_change() {
    let (impact, text) = after_a_read("ddb-execute-statement-L621.json");
    assert_eq!(impact["changes"], json!([]));
    assert_eq!(impact["read_only_calls"], 2);
    assert_eq!(impact["look_ups"], 1);
    assert!(!text.contains("(ExecuteStatement)"), "{text}");
    assert!(
        text.contains("The records show no change made by the actor"),
        "{text}"
    );
}

#[test]
fn partiql_updates_and_inserts_are_still_changes() {
    let (impact, text) = after_a_read("ddb-batch-execute-statement-L678.json");
    assert_eq!(impact["changes"], json!(["dynamodb:BatchExecuteStatement"]));
    assert!(
        text.contains("The actor managed to make a change (BatchExecuteStatement)"),
        "{text}"
    );
}
