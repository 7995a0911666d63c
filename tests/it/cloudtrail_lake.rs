//! CloudTrail Lake query results (`aws cloudtrail get-query-results`: `QueryResultRows`, each a
//! list of one-column objects, `eventJson` the whole record as a JSON string) were not evidence:
//! "not CloudTrail or AWS CLI evidence: an object with keys QueryStatus, QueryStatistics,
//! QueryResultRows", and a read of the honeytoken in them was never examined (audit 27). A row
//! with `eventJson` is now read as its record; a row of other columns only is a gap saying the
//! query did not select the record.
//!
//! The record is Stratus Red Team's real `GetSecretValue` (tests/data/shared/SOURCES.md) with
//! `secretId` the honeytoken, in the output shape of `get-query-results` (AWS CLI reference)
//! written for the test.

use crate::support;

use serde_json::{json, Value};
use support::*;

#[test]
fn a_lake_query_result_row_with_event_json_is_read_as_its_record() {
    let records: Value = read_json(&shared_data().join(
        "cloudtrail/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json",
    ));
    let mut read = records[0].clone();
    read["requestParameters"] = json!({"secretId": "Production_Database_Credentials"});
    let id = read["eventID"].as_str().unwrap().to_string();
    let results = json!({
        "QueryStatus": "FINISHED",
        "QueryStatistics": {"ResultsCount": 2, "TotalResultsCount": 2, "BytesScanned": 2048},
        "QueryResultRows": [
            [{"eventJson": read.to_string()}],
            [{"eventName": "GetSecretValue"}, {"eventTime": "2024-07-31 12:36:52.000"}]
        ]
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lake-results.json"), results.to_string()).unwrap();

    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let incidents = doc["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{doc:#}");
    assert_eq!(incidents[0]["access_event_ids"], json!([id]));
    let gaps = doc["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1, "{gaps:#?}");
    let reason = gaps[0]["reason"].as_str().unwrap();
    assert!(reason.contains("without eventJson"), "{reason}");
    // The second row is record 1 of the file (0-based, as a trail file's records), the first
    // row record 0: the results object around them is no record of its own.
    assert_eq!(gaps[0]["index"], 1, "{:#}", gaps[0]);
    assert!(
        doc["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["event_id"] == id.as_str()
                && r["source"] == "cloudtrail-lake"
                && r["record_index"] == 0),
        "{:#}",
        doc["timeline"]
    );
}

/// CloudWatch Logs subscription envelopes in a JSON array are indexed the same way: their log
/// events are records 0 and 1 of the file, the envelopes no records of their own (the second
/// event was reported as record 3).
#[test]
fn log_events_of_cloudwatch_logs_envelopes_are_indexed_from_0() {
    let records: Value = read_json(&shared_data().join(
        "cloudtrail/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json",
    ));
    let mut read = records[0].clone();
    read["requestParameters"] = json!({"secretId": "Production_Database_Credentials"});
    let envelope = |message: String| {
        json!({"messageType": "DATA_MESSAGE", "owner": "123456789012",
            "logGroup": "g", "logStream": "s", "subscriptionFilters": ["f"],
            "logEvents": [{"id": "1", "timestamp": 1793614477912_i64, "message": message}]})
        .to_string()
    };
    let bad = json!({"eventVersion": "1.08", "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue", "eventTime": "yesterday"});
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("subs.json"),
        format!(
            "[{},{}]",
            envelope(read.to_string()),
            envelope(bad.to_string())
        ),
    )
    .unwrap();
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let gaps = doc["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1, "{gaps:#?}");
    assert_eq!(gaps[0]["index"], 1, "{:#}", gaps[0]);
    let rows = doc["timeline"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["event_id"] == read["eventID"] && r["record_index"] == 0),
        "{rows:#?}"
    );
}
