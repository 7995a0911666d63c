//! What an input is (issue 14, "Input kinds"): an empty array or trail file is a recognised
//! input with no records; a JSON shape no evidence has is a gap (exit 1); binary content is
//! named by what it looks like, never quoted into the gap's reason.

use crate::support;

use serde_json::Value;
use std::path::Path;
use support::*;

const RECORD: &str = r#"{"eventVersion":"1.08","eventTime":"2026-11-20T14:00:00Z","eventID":"r-1","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-east-1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"}}"#;

fn timeline(dir: &Path) -> Run {
    trailcase(["timeline", "--quiet", dir.to_str().unwrap()])
}

fn name(path: &Value) -> String {
    let p = Path::new(path.as_str().unwrap());
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// `(file, kind, records_read)` of each input.
fn inputs(doc: &Value) -> Vec<(String, String, u64)> {
    let mut v: Vec<_> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                name(&i["path"]),
                i["kind"].as_str().unwrap().to_string(),
                i["records_read"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// `(file, gap kind, reason)` of each gap of one file (the run-wide `no_records` gap aside).
fn file_gaps(doc: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] != "no_records")
        .map(|g| {
            (
                name(&g["path"]),
                g["kind"].as_str().unwrap().to_string(),
                g["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn empty_array_or_empty_trail_file_is_a_recognised_input_not_unrecognised() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty-array.json"), "[]\n").unwrap();
    std::fs::write(dir.path().join("empty-trail.json"), r#"{"Records": []}"#).unwrap();
    std::fs::write(dir.path().join("trail.json"), format!("[{RECORD}]")).unwrap();
    let run = timeline(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(
        inputs(&doc),
        [
            ("empty-array.json".into(), "json-array".into(), 0),
            ("empty-trail.json".into(), "cloudtrail-records".into(), 0),
            ("trail.json".into(), "json-array".into(), 1),
        ]
    );
    assert_eq!(doc["gaps"], serde_json::json!([]));
}

#[test]
fn only_empty_inputs_still_say_no_record_was_examined() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty-array.json"), "[]").unwrap();
    std::fs::write(dir.path().join("empty-trail.json"), r#"{"Records":[]}"#).unwrap();
    let run = timeline(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let kinds: Vec<&str> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["no_records"]);
    assert_eq!(inputs(&doc)[0].1, "json-array");
}

#[test]
fn unrecognised_json_shape_is_a_gap_not_a_silent_skip() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trail.json"), format!("[{RECORD}]")).unwrap();
    std::fs::write(dir.path().join("empty-object.json"), "{}").unwrap();
    std::fs::write(dir.path().join("number.json"), "42\n").unwrap();
    std::fs::write(dir.path().join("string.json"), r#""Records""#).unwrap();
    std::fs::write(dir.path().join("other.json"), r#"{"Items": [1, 2]}"#).unwrap();
    let run = timeline(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let not_value =
        "not CloudTrail or AWS CLI evidence: a JSON value that is not an object or an array";
    assert_eq!(
        file_gaps(&doc),
        [
            (
                "empty-object.json".into(),
                "unrecognised_content".into(),
                "not CloudTrail or AWS CLI evidence: an empty JSON object".into()
            ),
            (
                "number.json".into(),
                "unrecognised_content".into(),
                not_value.into()
            ),
            (
                "other.json".into(),
                "unrecognised_content".into(),
                "not CloudTrail or AWS CLI evidence: an object with keys Items".into()
            ),
            (
                "string.json".into(),
                "unrecognised_content".into(),
                not_value.into()
            ),
        ]
    );
    assert_eq!(doc["summary"]["records_read"], 1);
}

#[test]
fn binary_content_is_named_in_the_gap_never_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, b: &[u8]| std::fs::write(dir.path().join(n), b).unwrap();
    w("trail.json", format!("[{RECORD}]").as_bytes());
    w(
        "evidence.json",
        b"PK\x03\x04\x14\x00\x08\x00\x08\x00CloudTrail/\x00\x1b\x9c\xff",
    );
    w(
        "report.json",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n",
    );
    w(
        "blob.json",
        b"\x00\x01\x02\x03\xff\xfe\x80\x81 AKIA\x1b[31m",
    );
    // A gzip stream inside a gzip stream: the inner one is what the parser sees.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(
        &mut enc,
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\x00",
    )
    .unwrap();
    w("double.json.gz", &enc.finish().unwrap());
    let mut tar = vec![0u8; 1024];
    tar[..10].copy_from_slice(b"trail.json");
    tar[257..263].copy_from_slice(b"ustar\x00");
    w("bundle.json", &tar);
    let run = timeline(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let gaps = file_gaps(&doc);
    let reason = |f: &str| {
        gaps.iter()
            .find(|g| g.0 == f)
            .unwrap_or_else(|| panic!("no gap for {f}: {gaps:?}"))
            .2
            .clone()
    };
    // Archives are read as archives (tests/it/archives.rs); one that cannot be is named so.
    assert!(
        reason("evidence.json")
            .starts_with("not JSON: looks like a ZIP archive, but cannot be read as one"),
        "{}",
        reason("evidence.json")
    );
    assert_eq!(reason("report.json"), "not JSON: looks like a PDF");
    assert_eq!(reason("blob.json"), "not JSON: looks like binary data");
    assert_eq!(
        reason("double.json.gz"),
        "not JSON: looks like a gzip stream"
    );
    assert!(
        reason("bundle.json").starts_with("not JSON: looks like a tar archive"),
        "{}",
        reason("bundle.json")
    );
    for (_, _, r) in &gaps {
        assert!(
            r.chars().all(|c| !c.is_control() && c != '\u{FFFD}'),
            "binary bytes in a reason: {r:?}"
        );
    }
    assert_eq!(doc["summary"]["records_read"], 1);
}

/// A file that is not JSON may hold anything: its first 20 characters were quoted in the gap
/// (`not JSON (starts with PLANTEDrawSECRETkey3)`) on the terminal, in every export and in the
/// report. Text is described by its shape, size and lines, never quoted.
#[test]
fn text_content_is_described_in_the_gap_never_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir(&case).unwrap();
    let w = |n: &str, b: &str| std::fs::write(case.join(n), b).unwrap();
    w("trail.json", &format!("[{RECORD}]"));
    w("key.json", "PLANTEDrawSECRETkey3and-more");
    w(
        "app.env",
        "DB_PASS=PLANTEDenvSECRET\nAPI_KEY=PLANTEDapiKEY\n",
    );
    w("tail.json", &format!("[{RECORD}]\nPLANTEDtailSECRET"));
    let run = trailcase(["timeline", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let gaps = file_gaps(&doc);
    let reason = |f: &str| {
        gaps.iter()
            .find(|g| g.0 == f)
            .unwrap_or_else(|| panic!("no gap for {f}: {gaps:?}"))
            .2
            .clone()
    };
    assert_eq!(
        reason("key.json"),
        "not JSON: text, 28 bytes in 1 line, starting with a letter"
    );
    assert_eq!(
        reason("app.env"),
        "not JSON: NAME=value lines (an environment file?), 47 bytes in 2 lines, starting with a letter"
    );
    assert!(
        reason("tail.json").ends_with("not JSON: text, 17 bytes in 1 line, starting with a letter"),
        "{}",
        reason("tail.json")
    );
    assert!(!run.text().contains("PLANTED"), "{}", run.text());
    assert!(!run.stderr.contains("PLANTED"), "{}", run.stderr);
    let csv = trailcase(["timeline", case.to_str().unwrap(), "--format", "csv"]);
    assert!(csv.text().contains("28 bytes in 1 line"), "{}", csv.text());
    assert!(!csv.text().contains("PLANTED") && !csv.stderr.contains("PLANTED"));
    let pdf = dir.path().join("r.pdf");
    let report = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(report.code, 1, "{}", report.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("28 bytes in 1 line"), "{text}");
    assert!(!text.contains("PLANTED"), "{text}");
}

/// serde's error quotes the value it did not expect: a line of a JSON-lines file that is a bare
/// string (a secret pasted into the export) reached the gap's reason as
/// `invalid type: string "…"`. The reason names the kind of value only.
#[test]
fn json_errors_in_gaps_do_not_quote_the_value() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lines.json"),
        format!("{RECORD}\n\"PLANTEDjsonLine\"\n"),
    )
    .unwrap();
    let run = trailcase(["timeline", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("invalid type: string, expected a JSON object at line 1 column 17"),
        "{}",
        run.stderr
    );
    assert!(!run.text().contains("PLANTED"), "{}", run.text());
    assert!(!run.stderr.contains("PLANTED"), "{}", run.stderr);
}
