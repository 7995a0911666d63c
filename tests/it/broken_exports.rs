//! Evidence as a broken exporter writes it: what is whole is read, and the gap says exactly
//! what is not (never "truncated" of a stream read to its end, never a whole document lost for
//! one bad item).

use crate::support::*;

use serde_json::Value;
use std::io::Write;
use std::path::Path;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn record(id: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventTime":"2026-11-20T14:00:00Z","eventID":"{id}","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-east-1","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"}}}}"#
    )
}

/// (file name, index, kind, reason) of every gap.
fn gaps(doc: &Value) -> Vec<(String, Option<u64>, String, String)> {
    (doc["gaps"].as_array().unwrap().iter())
        .map(|g| {
            let path = Path::new(g["path"].as_str().unwrap());
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                g["index"].as_u64(),
                g["kind"].as_str().unwrap().to_string(),
                g["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn records_read(doc: &Value, file: &str) -> u64 {
    (doc["inputs"].as_array().unwrap().iter())
        .find(|i| i["path"].as_str().unwrap().ends_with(file))
        .unwrap()["records_read"]
        .as_u64()
        .unwrap()
}

/// Bytes after the last whole gzip member that are not gzip (garbage, zero padding): the gap
/// said "gzip stream is truncated after 285 inflated bytes" of a stream read to its end. Every
/// member's records are read, and the gap says what was not.
#[test]
fn bytes_after_the_last_gzip_member_are_named_not_called_a_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let a = format!(r#"{{"Records":[{}]}}"#, record("first"));
    let b = format!(r#"{{"Records":[{}]}}"#, record("second"));
    let members = [gzip(a.as_bytes()), gzip(b.as_bytes())].concat();
    let write = |name: &str, tail: &[u8]| {
        std::fs::write(dir.path().join(name), [&members[..], tail].concat()).unwrap()
    };
    write("garbage.json.gz", b"garbage!");
    write("padded.json.gz", &[0; 512]);
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let inflated = a.len() + b.len();
    let want: Vec<_> = [("garbage.json.gz", 8), ("padded.json.gz", 512)]
        .into_iter()
        .map(|(file, rest)| (
            file.to_string(),
            None,
            "truncated_gzip".to_string(),
            format!("the gzip stream is whole (2 members, {inflated} inflated bytes, all read), but the {rest} bytes after it are not gzip: they are not read"),
        ))
        .collect();
    assert_eq!(gaps(&doc), want);
    for file in ["garbage.json.gz", "padded.json.gz"] {
        assert_eq!(records_read(&doc, file), 2, "{file}");
    }
}

/// One alarm history item with a syntax error (`"AlarmType": NaN`) cost every transition of
/// the alarm: the whole `describe-alarm-history` output was an `invalid_json` gap. Now it costs
/// that item, named at its index in `AlarmHistoryItems`; the others are rows of the timeline.
#[test]
fn one_bad_alarm_history_item_costs_that_item_only() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let path = case.join("cloudwatch/alarm-history.json");
    let mut history = read_json(&path);
    history["AlarmHistoryItems"][3]["AlarmType"] = "NAN-HERE".into();
    let text = serde_json::to_string_pretty(&history)
        .unwrap()
        .replace(r#""NAN-HERE""#, "NaN");
    std::fs::write(&path, &text).unwrap();
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let found = gaps(&doc);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (file, index, kind, reason) = &found[0];
    assert_eq!(
        (file.as_str(), *index, kind.as_str()),
        ("alarm-history.json", Some(3), "malformed_record")
    );
    let line = text.lines().position(|l| l.contains("NaN")).unwrap();
    assert!(
        reason.starts_with("AlarmHistoryItems[3] is not JSON: expected value at line ")
            && reason.contains(" of the item (bytes ")
            && reason.ends_with("; it is not read, the document's other items are"),
        "{reason} (line {line} of the file)"
    );
    let rows: Vec<u64> = (doc["timeline"].as_array().unwrap().iter())
        .filter(|r| r["source"] == "alarm-history")
        .map(|r| r["record_index"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [4, 2, 1, 0]);
}

/// CloudTrail Lake results (`get-query-results`) with a row that is not JSON: the row is a
/// record's gap at its index, the rows around it are read.
#[test]
fn one_bad_lake_row_costs_that_row_only() {
    let dir = tempfile::tempdir().unwrap();
    let row = |id: &str| {
        format!(
            r#"[{{"eventJson":{}}}]"#,
            serde_json::to_string(&record(id)).unwrap()
        )
    };
    std::fs::write(
        dir.path().join("lake.json"),
        format!(
            r#"{{"QueryStatus":"FINISHED","QueryResultRows":[{},[{{"eventJson":NaN}}],{}]}}"#,
            row("l0"),
            row("l2")
        ),
    )
    .unwrap();
    let run = trailcase(["timeline", "--quiet", "--all", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let ids: Vec<(&str, u64)> = (doc["records"].as_array().unwrap().iter())
        .map(|r| {
            (
                r["event_id"].as_str().unwrap(),
                r["record_index"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ids, [("l0", 0), ("l2", 2)]);
    let found = gaps(&doc["summary"]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].1, found[0].2.as_str()),
        (Some(1), "malformed_record")
    );
    assert!(found[0]
        .3
        .starts_with("QueryResultRows[1] is not JSON: expected value at line 1 column "));
}

/// A zero-length file, `{"Records": null}` and `{"Records": []}`: none holds a record, and
/// none is an all-clear. `"Records": null` was named a trail file with one rejected record.
#[test]
fn documents_with_no_records_say_so_and_reject_none() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("empty.json", "");
    w("null.json", r#"{"Records": null}"#);
    w("none.json", r#"{"Records": []}"#);
    w("good.json", &format!(r#"{{"Records":[{}]}}"#, record("r0")));
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(
        gaps(&doc),
        [
            ("empty.json", "the file is empty"),
            (
                "null.json",
                "not CloudTrail or AWS CLI evidence: an object with keys Records"
            ),
        ]
        .map(|(f, r)| (
            f.to_string(),
            None,
            "unrecognised_content".to_string(),
            r.to_string()
        ))
    );
    let inputs: Vec<(String, &str, u64, u64)> = (doc["inputs"].as_array().unwrap().iter())
        .map(|i| {
            (
                Path::new(i["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                i["kind"].as_str().unwrap(),
                i["records_read"].as_u64().unwrap(),
                i["records_rejected"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        inputs,
        [
            ("empty.json", "unrecognised", 0, 0),
            ("good.json", "cloudtrail-records", 1, 0),
            ("none.json", "cloudtrail-records", 0, 0),
            ("null.json", "unrecognised", 0, 0),
        ]
        .map(|(f, k, r, j)| (f.to_string(), k, r, j))
    );
}

/// 100,000 `[` in a record's requestParameters, on every path that reads records: no crash
/// (the stack), each record read (named as not exportable) or, where the document is one
/// object read whole (an EventBridge event), a gap that says it is nested too deep, not that it
/// is invalid. (Each deep record costs seconds in a debug build: one of each shape.)
#[test]
fn records_nested_100000_deep_are_read_or_named_on_every_path() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let rec = |id: &str| {
        record(id).replace(
            r#""awsRegion""#,
            &format!(r#""requestParameters":{{"x":{deep}}},"awsRegion""#),
        )
    };
    let w = |name: &str, text: String| std::fs::write(dir.path().join(name), text).unwrap();
    w("trail.json", format!(r#"[{},{}]"#, record("a"), rec("t")));
    w(
        "page.json",
        serde_json::json!({"Events": [{"EventId": "p", "CloudTrailEvent": rec("p")}]}).to_string(),
    );
    w("lines.json", format!("{}\n{}\n", record("l1"), rec("l2")));
    w(
        "event.json",
        format!(
            r#"{{"version":"0","id":"e","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","time":"2026-11-20T14:00:00Z","detail":{}}}"#,
            rec("e")
        ),
    );
    let run = trailcase([
        "timeline",
        "--quiet",
        "-f",
        "csv",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = trailcase(["timeline", "--quiet", "--all", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let mut ids: Vec<&str> = (doc["records"].as_array().unwrap().iter())
        .map(|r| r["event_id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["a", "l1", "l2", "p", "t"]);
    let gaps = gaps(&doc["summary"]);
    assert_eq!(gaps.len(), 4, "{gaps:#?}");
    for (file, index, kind, reason) in gaps {
        if file == "event.json" {
            assert_eq!((index, kind.as_str()), (None, "invalid_json"));
            assert!(
                reason.starts_with(
                    "nested too deep to read (past 128 levels): recursion limit exceeded"
                ),
                "{reason}"
            );
        } else {
            assert_eq!(kind, "record_not_exportable", "{file}: {reason}");
        }
    }
}

/// A lone surrogate escape (`\ud800`, as Python's json writes one) in an alarm's HistoryData is
/// valid JSON: the item was an `alarm_history_data_unreadable` gap saying its HistoryData "is not
/// valid JSON", its states taken from the summary. It is read, as a record's would be.
#[test]
fn a_lone_surrogate_in_history_data_is_read_not_called_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    edit_history(&case, |items| {
        let data = items[2]["HistoryData"].as_str().unwrap();
        let mut data: Value = serde_json::from_str(data).unwrap();
        data["newState"]["stateReason"] = "SURROGATE".into();
        items[2]["HistoryData"] = data.to_string().replace("SURROGATE", "x\\ud800y").into();
    });
    let text = std::fs::read_to_string(case.join("cloudwatch/alarm-history.json")).unwrap();
    assert!(text.contains(r#"x\\ud800y"#), "the escape is in the file");
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.json()["gaps"].as_array().unwrap().is_empty());
}

/// A byte order mark and blank lines, then a trail file, then text that is not JSON: the records
/// are read, and the text is a gap at its offset (or line) in the file; they were counted from
/// after the mark and the blank lines.
#[test]
fn text_after_a_document_is_named_at_its_place_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let lead = "\u{feff}\n\n ";
    let one = format!("{lead}{{\"Records\":[{}]}} not json", record("r0"));
    let lines = format!("{lead}{{\"Records\":[{}]}}\nnot json\n", record("r1"));
    std::fs::write(dir.path().join("one.json"), &one).unwrap();
    std::fs::write(dir.path().join("lines.json"), &lines).unwrap();
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(records_read(&doc, "one.json"), 1);
    assert_eq!(records_read(&doc, "lines.json"), 1);
    let at = one.find("not json").unwrap();
    assert_eq!(
        gaps(&doc),
        [
            (
                "lines.json".to_string(),
                Some(1),
                "invalid_json".to_string(),
                "line 4: invalid JSON: expected ident at line 1 column 2".to_string()
            ),
            (
                "one.json".to_string(),
                None,
                "invalid_json".to_string(),
                format!("after a whole JSON document, at byte {at}: not JSON: text, 8 bytes in 1 line, starting with a letter")
            ),
        ]
    );
}
