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

/// A page item whose record is `text` (the record as written, not as a `Value` writes it).
fn item_of_text(r: &Value, text: &str) -> Value {
    json!({"EventId": r["eventID"], "EventName": r["eventName"],
           "EventTime": r["@timestamp"], "CloudTrailEvent": text})
}

/// The `not_lookup_events` gaps' indexes when `page`'s items are read.
fn gap_indexes(items: Vec<Value>) -> (i32, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lookup.json"),
        json!({ "Events": items }).to_string(),
    )
    .unwrap();
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    let doc = run.json();
    assert_eq!(doc["summary"]["records_read"], 2, "{}", run.stderr);
    let at = (doc["gaps"].as_array().unwrap().iter())
        .filter(|g| g["kind"] == "not_lookup_events")
        .map(|g| g["index"].clone())
        .collect();
    (run.code, at)
}

/// Only the record's own `eventCategory` counts, however its key is written: the same key in
/// `requestParameters` (the call's data, written before it) neither hides the data event nor
/// makes a management event one, and `"event\u0043ategory"` is `eventCategory` (each was read
/// from the first `"eventCategory"` in the text).
#[test]
fn a_nested_or_escaped_event_category_does_not_mislead() {
    let management = record("ListBuckets");
    let mut data = record("GetObject");
    // A data event whose request names the other category first.
    data["requestParameters"]["eventCategory"] = json!("Management");
    let text = data.to_string();
    assert!(text.find("\"Management\"").unwrap() < text.find("\"Data\"").unwrap());
    let (code, at) = gap_indexes(vec![item(&management), item_of_text(&data, &text)]);
    assert_eq!((code, at), (1, vec![json!(1)]));
    // Its own key escaped (and no `managementEvent` to tell it otherwise).
    let mut data = record("GetObject");
    data.as_object_mut()
        .unwrap()
        .remove("managementEvent")
        .unwrap();
    let escaped = data.to_string().replace(
        r#""eventCategory":"Data""#,
        r#""event\u0043ategory":"Data""#,
    );
    assert!(escaped.contains(r"event\u0043ategory"));
    let (code, at) = gap_indexes(vec![item(&management), item_of_text(&data, &escaped)]);
    assert_eq!((code, at), (1, vec![json!(1)]));
    // A management event whose request says Data is no data event.
    let mut named = management.clone();
    named["requestParameters"] = json!({"eventCategory": "Data", "managementEvent": false});
    let (code, at) = gap_indexes(vec![item(&management), item(&named)]);
    assert_eq!((code, at), (0, vec![]));
}
