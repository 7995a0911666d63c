//! A document whose top-level object writes a key twice: `{"Records":[A,B],"Records":[C,D]}`
//! was read as four records with no remark, where jq and Python's json keep only the last value
//! and see two; a LookupEvents page writing `Events` (and `NextToken`) twice, an alarm history
//! writing `AlarmHistoryItems` twice, the same. Nothing is lost: every array's elements are still
//! read, so the case is the one the unsplit file gives; and the difference is a `repeated_key`
//! gap naming the file, the key and each value's size (exit 1), in `timeline` and `timeline
//! --all` alike.

use crate::common::{gunzip, gzip};
use crate::support::honeytoken_calls::secret_read;
use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const HONEYTOKEN: &str = "Production_Database_Credentials";

/// `{"<key>":[items before at],"<key>":[the rest]}`, written by hand (a `Value` cannot hold it).
fn written_twice(key: &str, items: &[Value], at: usize) -> String {
    format!(
        r#"{{"{key}":{},"{key}":{}}}"#,
        json!(items[..at]),
        json!(items[at..])
    )
}

/// The run's `repeated_key` gaps.
fn repeated_gaps(gaps: &Value) -> Vec<Value> {
    (gaps.as_array().unwrap().iter())
        .filter(|g| g["kind"] == "repeated_key")
        .cloned()
        .collect()
}

/// `timeline` and `timeline --all` of `case`: (exit codes, documents).
fn both(case: &Path) -> ((i32, i32), Value, Value) {
    let case = case.to_str().unwrap();
    let t = trailcase(["timeline", "--quiet", case]);
    let all = trailcase(["timeline", "--all", "--quiet", case]);
    ((t.code, all.code), t.json(), all.json())
}

/// The sample's trail file that holds the honeytoken's read.
fn trail_file_with_the_read(case: &Path) -> PathBuf {
    fn gz(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                gz(&p, out);
            } else if p.to_string_lossy().ends_with(".json.gz") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    gz(&case.join("cloudtrail/AWSLogs"), &mut files);
    files.sort();
    files
        .into_iter()
        .find(|f| {
            let text = String::from_utf8(gunzip(&std::fs::read(f).unwrap())).unwrap();
            text.contains("\"GetSecretValue\"") && text.contains(HONEYTOKEN)
        })
        .expect("the sample has a trail file with the read")
}

/// The sample's trail file holding the read, written with `Records` twice (the read in the
/// first array: the one jq and Python's json drop), reads as the sample does, plus the gap.
#[test]
fn records_written_twice_are_all_read_and_the_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let (codes, before, all_before) = both(&case);
    assert_eq!(codes, (0, 0), "{:#}", before["gaps"]);
    let file = trail_file_with_the_read(&case);
    let doc: Value = serde_json::from_slice(&gunzip(&std::fs::read(&file).unwrap())).unwrap();
    let records = doc["Records"].as_array().unwrap();
    let read = records
        .iter()
        .position(|r| r["eventName"] == "GetSecretValue")
        .unwrap();
    let at = read + 1;
    assert!(at < records.len(), "the read is not the last record");
    let text = written_twice("Records", records, at);
    std::fs::write(&file, gzip(text.as_bytes())).unwrap();

    let (codes, after, all_after) = both(&case);
    assert_eq!(codes, (1, 1), "{:#}", after["gaps"]);
    // No record lost: the same records, rows and incidents as the file written once.
    for key in ["records_read", "records_rejected", "duplicates_dropped"] {
        assert_eq!(after["summary"][key], before["summary"][key], "{key}");
        assert_eq!(
            all_after["summary"][key], all_before["summary"][key],
            "--all {key}"
        );
    }
    assert_eq!(after["timeline"], before["timeline"]);
    assert_eq!(after["incidents"], before["incidents"]);
    // One gap, of the file, naming the key and what each reader sees.
    let gaps = repeated_gaps(&after["gaps"]);
    assert_eq!(gaps.len(), 1, "{:#}", after["gaps"]);
    assert_eq!(after["gaps"].as_array().unwrap().len(), 1);
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(
        gaps[0]["path"].as_str().unwrap().ends_with(name),
        "{}",
        gaps[0]
    );
    assert_eq!(gaps[0]["index"], Value::Null);
    let reason = gaps[0]["reason"].as_str().unwrap();
    let (n, m) = (at, records.len() - at);
    for part in [
        format!("`Records` 2 times (an array of {n} element"),
        format!("an array of {m} element"),
        format!("were read ({} in all)", n + m),
        format!("keep only the last value ({m} elements)"),
    ] {
        assert!(reason.contains(&part), "{part}: {reason}");
    }
    assert_eq!(repeated_gaps(&all_after["summary"]["gaps"]), gaps);
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &after), Vec::<String>::new());
}

/// A LookupEvents page writing `Events` and `NextToken` twice: both items read (the read among
/// them), one gap naming both keys.
#[test]
fn a_lookup_page_writing_events_twice_reads_every_item() {
    let item = |record: Value| {
        json!({"EventId": record["eventID"], "EventName": "GetSecretValue",
            "EventTime": record["eventTime"], "CloudTrailEvent": record.to_string()})
    };
    let read = secret_read("read-1", "mallory", "2026-11-20T14:02:17Z", HONEYTOKEN, &[]);
    let other = secret_read(
        "other-1",
        "mallory",
        "2026-11-20T14:03:00Z",
        "app/config",
        &[],
    );
    let page = format!(
        r#"{{"Events":[{}],"NextToken":"t1","Events":[{}],"NextToken":"t2"}}"#,
        item(read),
        item(other)
    );
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir(&case).unwrap();
    std::fs::write(case.join("page.json"), page).unwrap();
    std::fs::write(
        case.join("trailcase.toml"),
        format!("[[honeytoken]]\nkind = \"secret\"\npattern = \"{HONEYTOKEN}\"\n"),
    )
    .unwrap();
    let (codes, doc, all) = both(&case);
    assert_eq!(codes, (1, 1), "{:#}", doc["gaps"]);
    assert_eq!(doc["summary"]["records_read"], 2);
    assert_eq!(all["summary"]["records_read"], 2);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1);
    let gaps = repeated_gaps(&doc["gaps"]);
    assert_eq!(gaps.len(), 1, "{:#}", doc["gaps"]);
    let reason = gaps[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("`Events` 2 times (an array of 1 element, an array of 1 element)"),
        "{reason}"
    );
    assert!(
        reason.contains(
            "`NextToken` 2 times (a value that is not an array, a value that is not an array)"
        ),
        "{reason}"
    );
    assert!(!reason.contains("t1") && !reason.contains("t2"), "{reason}");
    assert_eq!(repeated_gaps(&all["summary"]["gaps"]), gaps);
}

/// The sample's alarm history with `AlarmHistoryItems` written twice, its ALARM transition in
/// the first array (the one jq drops): flow 1's detection is the sample's, and the gap names it.
#[test]
fn an_alarm_history_writing_its_items_twice_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let (_, before, _) = both(&case);
    let path = case.join("cloudwatch/alarm-history.json");
    let items = read_json(&path)["AlarmHistoryItems"]
        .as_array()
        .unwrap()
        .clone();
    let alarm = items
        .iter()
        .rposition(|i| {
            i["HistorySummary"]
                .as_str()
                .is_some_and(|s| s.ends_with("to ALARM"))
        })
        .expect("the sample's alarm goes to ALARM");
    let at = alarm + 1;
    assert!(at < items.len());
    std::fs::write(&path, written_twice("AlarmHistoryItems", &items, at)).unwrap();
    let (codes, after, all) = both(&case);
    assert_eq!(codes, (1, 1), "{:#}", after["gaps"]);
    assert_eq!(after["timeline"], before["timeline"]);
    assert_eq!(after["incidents"], before["incidents"]);
    let gaps = repeated_gaps(&after["gaps"]);
    assert_eq!(gaps.len(), 1, "{:#}", after["gaps"]);
    assert!(gaps[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("alarm-history.json"));
    let reason = gaps[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains(&format!(
            "`AlarmHistoryItems` 2 times (an array of {at} element"
        )),
        "{reason}"
    );
    assert!(
        reason.contains(&format!("were read ({} in all)", items.len())),
        "{reason}"
    );
    assert_eq!(repeated_gaps(&all["summary"]["gaps"]), gaps);
}
