//! `timeline --all` compared copies only within one (eventTime, eventID): three different
//! records of the Amazon DynamoDB Developer Guide under one eventID at three times
//! (`DeleteTable` 2015, `PutItem` 2019, `UpdateItem` 2020; tests/data/SOURCES.md) were "0
//! conflicting copies", while `timeline`'s correlation (`correlate::copies`), which compares by
//! eventID alone, calls such records possible tampering. `--all` now does too.

use crate::support::*;
use serde_json::Value;
use std::path::Path;

const REUSED: &str = "a954451c-c2fc-4561-8aea-7a30ba1fdf52";

/// The guide's three records under one eventID, and its `UpdateTable` (an eventID of its own),
/// one trail file each, copied into `dir`.
fn evidence(dir: &Path) {
    for name in [
        "ddb-delete-table-L117.json",
        "ddb-put-item-L246.json",
        "ddb-update-item-L313.json",
        "ddb-update-table-L33.json",
    ] {
        std::fs::copy(repo().join("tests/data/records").join(name), dir.join(name)).unwrap();
    }
}

/// `timeline --all` (JSON) of `evidence`, written outside it.
fn all_of(evidence: &Path) -> (Value, String) {
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("all.json");
    let run = trailcase([
        "timeline",
        evidence.to_str().unwrap(),
        "--all",
        "--out",
        json.to_str().unwrap(),
    ]);
    assert!(run.code <= 1, "{}", run.stderr);
    (read_json(&json), run.stderr)
}

#[test]
fn records_under_one_eventid_at_different_times_are_conflicting_copies() {
    let dir = tempfile::tempdir().unwrap();
    evidence(dir.path());
    let (doc, stderr) = all_of(dir.path());
    let summary = &doc["summary"];
    assert_eq!(summary["conflicting_copies"], 3, "{summary}");
    assert_eq!(summary["duplicates_dropped"], 0);
    let conflicts = summary["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["event_id"], REUSED);
    let inputs: Vec<&str> = conflicts[0]["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["input"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        inputs,
        [
            "ddb-delete-table-L117.json",
            "ddb-put-item-L246.json",
            "ddb-update-item-L313.json"
        ]
    );
    let found = of_kind(&summary["findings"], "conflicting_copies");
    assert_eq!(found.len(), 1, "{}", summary["findings"]);
    let text = found[0]["summary"].as_str().unwrap();
    assert!(
        text.starts_with(&format!(
            "3 different records share eventID {REUSED} (possible tampering)"
        )),
        "{text}"
    );
    assert!(stderr.contains("3 conflicting copies kept"), "{stderr}");
    // Every record is still a row of its own.
    let rows = doc["records"].as_array().unwrap();
    assert_eq!(rows.iter().filter(|r| r["event_id"] == REUSED).count(), 3);
}

/// The same record read twice (a trail file delivered again) is still one copy dropped, not a
/// conflict, beside the eventID reused at other times.
#[test]
fn an_identical_copy_beside_a_reused_eventid_is_dropped_not_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    evidence(dir.path());
    std::fs::copy(
        dir.path().join("ddb-put-item-L246.json"),
        dir.path().join("ddb-put-item-again.json"),
    )
    .unwrap();
    let (doc, _) = all_of(dir.path());
    let summary = &doc["summary"];
    assert_eq!(summary["duplicates_dropped"], 1, "{summary}");
    assert_eq!(summary["conflicting_copies"], 3, "{summary}");
}

/// The guide's `DeleteTable` names its table only in `requestParameters.tableName`, and the SQS
/// guide's calls their queue only in `queueUrl`: `--all` rows (and `timeline`'s) gave them an
/// empty `target`. They now name the table and the queue.
#[test]
fn a_call_naming_its_table_or_queue_only_in_its_parameters_has_a_target() {
    let dir = tempfile::tempdir().unwrap();
    evidence(dir.path());
    std::fs::copy(
        repo().join("tests/data/records/sqs-L45.json"),
        dir.path().join("sqs-L45.json"),
    )
    .unwrap();
    let (doc, _) = all_of(dir.path());
    let rows = doc["records"].as_array().unwrap();
    let target = |api: &str| {
        rows.iter()
            .find(|r| r["action"].as_str().is_some_and(|a| a.ends_with(api)))
            .map(|r| r["target"].clone())
            .unwrap_or_else(|| panic!("no {api} row in {rows:?}"))
    };
    assert_eq!(target(":DeleteTable"), "Music");
    assert_eq!(
        target(":AddPermission"),
        "https://sqs.us-east-2.amazon.com/123456789012/MyQueue"
    );
    // A data event's resource ARN stays the more precise target.
    let put = target(":PutItem");
    assert!(
        put.as_str()
            .is_some_and(|t| t.starts_with("arn:aws:dynamodb:")),
        "{put}"
    );
}
