//! A LookupEvents item that writes `CloudTrailEvent` twice, or an EventBridge event that writes
//! `detail` twice, with different records: JSON readers disagree on which one counts (a `Value`
//! keeps the last, others the first), so crafted evidence could put a harmless record after the
//! honeytoken read and have it read alone. As for a record's own repeated key, it is a
//! `malformed_record` gap naming the key (exit 1), in `timeline`, `timeline --all` and the
//! report alike, and neither record is read; written twice the same, it is read once.

use crate::support::honeytoken_calls::secret_read;
use crate::support::{trailcase, REPORT_EPOCH};
use serde_json::{json, Value};
use std::path::Path;

const HONEYTOKEN: &str = "Production_Database_Credentials";

fn read() -> Value {
    secret_read("read-1", "mallory", "2026-11-20T14:02:17Z", HONEYTOKEN, &[])
}

fn harmless() -> Value {
    secret_read(
        "other-1",
        "mallory",
        "2026-11-20T14:02:18Z",
        "app/config",
        &[],
    )
}

/// An object written by hand: its members in order, one key possibly twice.
fn object(members: &[(&str, Value)]) -> String {
    let body: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}:{v}", json!(k)))
        .collect();
    format!("{{{}}}", body.join(","))
}

fn lookup_item(records: &[&Value]) -> String {
    let mut members = vec![("EventTime", json!("2026-11-20T14:02:17Z"))];
    members.extend(
        records
            .iter()
            .map(|r| ("CloudTrailEvent", json!(r.to_string()))),
    );
    format!(r#"{{"Events":[{}]}}"#, object(&members))
}

fn eventbridge(records: &[&Value]) -> String {
    let mut members = vec![
        ("version", json!("0")),
        ("id", json!("7bf73129-1428-4cd3-a780-95db273d1602")),
        ("detail-type", json!("AWS API Call via CloudTrail")),
        ("source", json!("aws.secretsmanager")),
        ("account", json!("123456789012")),
        ("time", json!("2026-11-20T14:02:17Z")),
        ("region", json!("us-east-1")),
        ("resources", json!([])),
    ];
    members.extend(records.iter().map(|r| ("detail", (*r).clone())));
    object(&members) + "\n"
}

/// `timeline` (JSON) and `timeline --all` on `file` holding `text`: (exit codes, the document).
fn run(dir: &Path, text: &str) -> ((i32, i32), Value, Value) {
    let evidence = dir.join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(evidence.join("events.json"), text).unwrap();
    let e = evidence.to_str().unwrap();
    let args = ["--quiet", "--honeytoken", HONEYTOKEN, e];
    let t = trailcase([&["timeline"][..], &args].concat());
    let all = trailcase([&["timeline", "--all"][..], &args].concat());
    ((t.code, all.code), t.json(), all.json())
}

fn gap_reasons(doc: &Value) -> Vec<String> {
    doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "malformed_record")
        .map(|g| g["reason"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_record_key_written_twice_in_an_envelope_is_a_gap_whichever_comes_last() {
    let (read, harmless) = (read(), harmless());
    for (form, key, make) in [
        (
            "LookupEvents",
            "CloudTrailEvent",
            lookup_item as fn(&[&Value]) -> String,
        ),
        ("EventBridge", "detail", eventbridge),
    ] {
        for order in [[&read, &harmless], [&harmless, &read]] {
            let dir = tempfile::tempdir().unwrap();
            let ((t, all), doc, all_doc) = run(dir.path(), &make(&order));
            assert_eq!((t, all), (1, 1), "{form}: {doc:#}");
            let reasons = gap_reasons(&doc);
            assert_eq!(reasons.len(), 1, "{form}: {:#}", doc["gaps"]);
            assert!(
                reasons[0].contains(&format!("`{key}` twice with different values")),
                "{form}: {}",
                reasons[0]
            );
            assert_eq!(doc["summary"]["records_read"], 0, "{form}");
            assert_eq!(doc["summary"]["records_rejected"], 1, "{form}");
            assert_eq!(doc["incidents"].as_array().unwrap().len(), 0, "{form}");
            // `--all` counts and tells it the same.
            assert_eq!(all_doc["summary"]["records_read"], 0, "{form}");
            assert_eq!(all_doc["summary"]["records_rejected"], 1, "{form}");
            assert_eq!(gap_reasons(&all_doc["summary"]), reasons, "{form}");
        }
        // The same record twice is read once, without a gap: the read is an incident.
        let dir = tempfile::tempdir().unwrap();
        let ((t, _), doc, _) = run(dir.path(), &make(&[&read, &read]));
        assert_eq!(t, 0, "{form}: {:#}", doc["gaps"]);
        assert_eq!(
            doc["incidents"][0]["access_event_ids"],
            json!(["read-1"]),
            "{form}"
        );
    }
}

#[test]
fn the_report_names_the_envelope_gap() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    std::fs::write(
        evidence.join("events.json"),
        lookup_item(&[&read(), &harmless()]),
    )
    .unwrap();
    let pdf = dir.path().join("report.pdf");
    let run = crate::support::trailcase_env(
        [
            "report",
            "--quiet",
            "--honeytoken",
            HONEYTOKEN,
            "--out",
            pdf.to_str().unwrap(),
            evidence.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", REPORT_EPOCH)],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = crate::support::pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("`CloudTrailEvent` twice with different values"),
        "{text}"
    );
}
