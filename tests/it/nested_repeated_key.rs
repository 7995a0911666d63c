//! A record that writes a key twice inside one of its nested objects (`requestParameters`,
//! `userIdentity`, `resources`...) with different values: readers disagree on which one counts
//! (serde_json's `Value` and Python keep the last), so the honeytoken's name followed by another
//! secret's read as a call on the other secret, no incident and exit 0, while a top-level key
//! written twice was already a gap. It is now a `malformed_record` gap naming the key's path, in
//! `timeline`, `timeline --all` and LookupEvents pages alike; the same value twice is read.

use crate::support::honeytoken_calls::secret_read;
use crate::support::trailcase;
use serde_json::{json, Value};
use std::path::Path;

const HONEYTOKEN: &str = "Production_Database_Credentials";

/// The honeytoken read (no `resources`: the name is only in `requestParameters`) as text, its
/// `secretId` written twice: the honeytoken and `second`.
fn read_with_second_secret_id(first: &str, second: &str) -> String {
    let text =
        secret_read("read-1", "mallory", "2026-11-20T14:02:17Z", HONEYTOKEN, &[]).to_string();
    let once = format!(r#""secretId":"{HONEYTOKEN}""#);
    assert!(text.contains(&once));
    text.replace(
        &once,
        &format!(r#""secretId":"{first}","secretId":"{second}""#),
    )
}

fn run(dir: &Path, name: &str, text: &str) -> (i32, i32, Value, Value) {
    let evidence = dir.join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(evidence.join(name), text).unwrap();
    let args = [
        "--quiet",
        "--honeytoken",
        HONEYTOKEN,
        evidence.to_str().unwrap(),
    ];
    let t = trailcase([&["timeline"][..], &args].concat());
    let all = trailcase([&["timeline", "--all"][..], &args].concat());
    (t.code, all.code, t.json(), all.json())
}

#[test]
fn a_nested_key_written_twice_differently_is_a_gap_in_every_form() {
    for (first, second) in [(HONEYTOKEN, "app/config"), ("app/config", HONEYTOKEN)] {
        let record = read_with_second_secret_id(first, second);
        let item = json!({"EventTime": "2026-11-20T14:02:17Z", "CloudTrailEvent": record});
        for (name, text) in [
            ("trail.json", format!(r#"{{"Records":[{record}]}}"#)),
            ("lines.jsonl", format!("{record}\n")),
            ("lookup.json", json!({"Events": [item]}).to_string()),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let (t, all, doc, all_doc) = run(dir.path(), name, &text);
            assert_eq!((t, all), (1, 1), "{name}: {:#}", doc["gaps"]);
            let gaps: Vec<&Value> = doc["gaps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|g| g["kind"] == "malformed_record")
                .collect();
            assert_eq!(gaps.len(), 1, "{name}: {:#}", doc["gaps"]);
            let reason = gaps[0]["reason"].as_str().unwrap();
            assert!(
                reason.contains("`requestParameters.secretId` twice with different values"),
                "{name}: {reason}"
            );
            assert!(
                !reason.contains(HONEYTOKEN),
                "values are not quoted: {reason}"
            );
            assert_eq!(doc["summary"]["records_read"], 0, "{name}");
            assert_eq!(doc["summary"]["records_rejected"], 1, "{name}");
            assert_eq!(doc["incidents"].as_array().unwrap().len(), 0, "{name}");
            assert_eq!(all_doc["summary"]["records_read"], 0, "{name}");
            assert_eq!(all_doc["summary"]["records_rejected"], 1, "{name}");
            let all_gaps = all_doc["summary"]["gaps"].as_array().unwrap();
            assert!(
                all_gaps.iter().any(|g| g["reason"] == reason),
                "{name}: {all_gaps:#?}"
            );
        }
    }
    // The same value twice is read: the honeytoken read is an incident.
    let record = read_with_second_secret_id(HONEYTOKEN, HONEYTOKEN);
    let dir = tempfile::tempdir().unwrap();
    let (t, all, doc, _) = run(
        dir.path(),
        "trail.json",
        &format!(r#"{{"Records":[{record}]}}"#),
    );
    assert_eq!((t, all), (0, 0), "{:#}", doc["gaps"]);
    assert_eq!(doc["incidents"][0]["access_event_ids"], json!(["read-1"]));
}

/// The honeytoken read with `pair` written right after `anchor` (a key and value, twice).
fn read_with(anchor: &str, pair: &str) -> String {
    let text =
        secret_read("read-1", "mallory", "2026-11-20T14:02:17Z", HONEYTOKEN, &[]).to_string();
    assert!(text.contains(anchor), "{text}");
    text.replacen(anchor, &format!("{anchor}{pair}"), 1)
}

/// A key the record's view does not read, written twice with different values at the record's
/// top level (`requestID`, as `sharedEventID` could be) or inside `userIdentity`, was read with
/// no gap on every path (serde ignores a key it does not read, and the fast reader checked only
/// the fields it keeps), while the same inside `requestParameters` was a gap. Now the same rule
/// holds wherever the key is; the same value twice is read.
#[test]
fn a_key_the_view_does_not_read_written_twice_differently_is_a_gap_too() {
    for (anchor, pair, path) in [
        (
            r#""eventID":"read-1""#,
            r#","requestID":"a","requestID":"b""#,
            "`requestID`",
        ),
        (
            r#""userIdentity":{"#,
            r#""extra":"a","extra":"b","#,
            "`userIdentity.extra`",
        ),
    ] {
        let record = read_with(anchor, pair);
        for (name, text) in [
            ("trail.json", format!(r#"{{"Records":[{record}]}}"#)),
            ("lines.jsonl", format!("{record}\n")),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let (t, all, doc, _) = run(dir.path(), name, &text);
            assert_eq!((t, all), (1, 1), "{name} {path}: {:#}", doc["gaps"]);
            let gap = doc["gaps"]
                .as_array()
                .unwrap()
                .iter()
                .find(|g| g["kind"] == "malformed_record")
                .unwrap_or_else(|| panic!("{name} {path}: {:#}", doc["gaps"]));
            let reason = gap["reason"].as_str().unwrap();
            assert!(
                reason.contains(&format!("{path} twice with different values")),
                "{name}: {reason}"
            );
            assert_eq!(doc["summary"]["records_rejected"], 1, "{name}");
        }
        let same = read_with(anchor, &pair.replace("\"b\"", "\"a\""));
        let dir = tempfile::tempdir().unwrap();
        let (t, all, doc, _) = run(
            dir.path(),
            "trail.json",
            &format!(r#"{{"Records":[{same}]}}"#),
        );
        assert_eq!((t, all), (0, 0), "{path}: {:#}", doc["gaps"]);
        assert_eq!(doc["incidents"][0]["access_event_ids"], json!(["read-1"]));
    }
}
