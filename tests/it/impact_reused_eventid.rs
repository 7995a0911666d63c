//! The impact dropped a change whose eventID another record of the actor carried just before
//! it: the Amazon DynamoDB Developer Guide's `DeleteTable` (2015), `PutItem` (2019) and
//! `UpdateItem` (2020) share one eventID (tests/data/SOURCES.md), and `impact.changes` had no
//! `PutItem`, the actor's calls being made unique by eventID. Different records under one
//! eventID are each a call the records show (the case's `conflicting_copies` finding names
//! them); only the same record reached twice is one.

use crate::support::*;
use serde_json::{json, Value};

const REUSED: &str = "a954451c-c2fc-4561-8aea-7a30ba1fdf52";

fn record(name: &str) -> Value {
    read_json(&repo().join("tests/data/records").join(name))["Records"][0].clone()
}

#[test]
fn a_change_under_an_eventid_another_call_carries_is_in_the_impact() {
    let delete = record("ddb-delete-table-L117.json");
    let put = record("ddb-put-item-L246.json");
    let update = record("ddb-update-item-L313.json");
    // The same caller (assumed-role/users/bob) reads the honeytoken after its calls.
    let read = honeytoken_read_like(
        &update,
        "2020-09-03T22:30:00Z",
        "5e55101d-0000-4000-8000-0000000000a3",
    );
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(
        evidence.join("trail.json"),
        json!({ "Records": [delete, put, update, read] }).to_string(),
    )
    .unwrap();
    let (doc, text) = timeline_and_unverifiable_report(&evidence, &[]);
    let incidents = doc["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{doc:#}");
    let impact = &incidents[0]["impact"];
    assert_eq!(
        impact["changes"],
        json!(["dynamodb:DeleteTable", "dynamodb:PutItem"]),
        "{impact:#}"
    );
    assert_eq!(impact["change_event_ids"], json!([REUSED, REUSED]));
    assert_eq!(impact["failed_changes"], json!(["dynamodb:UpdateItem"]));
    assert_eq!(doc["summary"]["conflicting_copies"], 3);
    assert!(
        text.contains("The actor managed to make changes of 2 kinds (DeleteTable and PutItem)"),
        "{text}"
    );
}
