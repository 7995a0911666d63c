//! A LookupEvents page that holds a data event: LookupEvents returns management events and
//! Insights events only (CloudTrail's event history records no data events), so such a page is
//! not what LookupEvents answered. Its records are read and analysed; the data event is a
//! `not_lookup_events` gap at its index (exit 1), naming the record's eventName and eventID.
//! The records are real (OTRF Security-Datasets, tests/data/shared/SOURCES.md), put in a page as
//! `aws cloudtrail lookup-events` writes one.

use crate::support::{shared_data, trailcase};
use serde_json::{json, Value};

const RECORDS: &str =
    "cloudtrail/otrf-security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.json";

/// The first record of the dataset named `name`.
fn record(name: &str) -> Value {
    std::fs::read_to_string(shared_data().join(RECORDS))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["eventName"] == name)
        .unwrap()
}

/// The record as a LookupEvents item (the dataset's export moved its time to `@timestamp`).
fn item(r: &Value) -> Value {
    json!({"EventId": r["eventID"], "EventName": r["eventName"],
           "EventTime": r["@timestamp"], "CloudTrailEvent": r.to_string()})
}

#[test]
fn a_data_event_in_a_lookup_events_page_is_a_named_gap() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    let management = record("ListBuckets");
    let data = record("GetObject");
    assert_eq!(data["eventCategory"], "Data");
    let page = json!({"Events": [item(&management), item(&data)]});
    std::fs::write(evidence.join("lookup.json"), page.to_string()).unwrap();

    let run = trailcase(["timeline", "--quiet", evidence.to_str().unwrap()]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let doc = run.json();
    let input = &doc["inputs"][0];
    assert_eq!(input["kind"], "lookup-events", "{input}");
    // Both are read: the page's provenance is in question, not the record.
    assert_eq!(input["records_read"], 2, "{input}");
    assert_eq!(input["records_rejected"], 0, "{input}");
    let gaps: Vec<&Value> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "not_lookup_events")
        .collect();
    assert_eq!(gaps.len(), 1, "{:#}", doc["gaps"]);
    assert_eq!(gaps[0]["index"], 1);
    let reason = gaps[0]["reason"].as_str().unwrap();
    for part in [
        "GetObject",
        data["eventID"].as_str().unwrap(),
        "data event",
        "LookupEvents returns no data events",
    ] {
        assert!(reason.contains(part), "{part} in {reason}");
    }

    // A page of management events only is no gap.
    std::fs::write(
        evidence.join("lookup.json"),
        json!({"Events": [item(&management)]}).to_string(),
    )
    .unwrap();
    let run = trailcase(["timeline", "--quiet", evidence.to_str().unwrap()]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
}
