//! Duplicates counted everywhere (issue 14, "Records"): `duplicates_dropped` counts every copy
//! of an event read more than once (the same trail file delivered twice, an S3 file and a
//! LookupEvents page), not only copies among the records the analysis keeps, and `timeline
//! --all` says how many it dropped, in its summary and on stderr. A different record under the
//! same eventID is not a copy (see tests/it/conflicting_copies.rs).

use crate::support;

use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use support::*;

const READ: &str = "6f1c2d3e-0000-4000-8000-0000000000a1";
const NOISE_1: &str = "6f1c2d3e-0000-4000-8000-0000000000b1";
const NOISE_2: &str = "6f1c2d3e-0000-4000-8000-0000000000b2";

fn record(id: &str, time: &str, name: &str, req: Value, who: &str) -> Value {
    json!({
        "eventVersion": "1.08", "eventTime": time, "eventID": id,
        "eventSource": "secretsmanager.amazonaws.com", "eventName": name,
        "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.66", "userAgent": "aws-cli/2",
        "requestParameters": req,
        "userIdentity": {"type": "IAMUser", "accountId": "123456789012",
                         "arn": format!("arn:aws:iam::123456789012:user/{who}")}
    })
}

fn read() -> Value {
    record(
        READ,
        "2026-11-20T14:02:17Z",
        "GetSecretValue",
        json!({"secretId": "Production_Database_Credentials"}),
        "mallory",
    )
}

/// Records by someone else, of no interest to the case: the analysis does not keep them.
fn noise(id: &str, secret: &str) -> Value {
    record(
        id,
        "2026-11-20T14:05:00Z",
        "DescribeSecret",
        json!({ "secretId": secret }),
        "bob",
    )
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn lookup_event(r: &Value) -> Value {
    // LookupEvents' CloudTrailEvent: the same record, serialised with other spacing.
    json!({"EventId": r["eventID"], "EventName": r["eventName"],
           "EventTime": r["eventTime"].as_str().unwrap().replace('Z', "+00:00"),
           "CloudTrailEvent": serde_json::to_string_pretty(r).unwrap()})
}

/// One trail file delivered under two keys, a LookupEvents page with two of its events, and a
/// different record under the eventID of a third (possible tampering, not a copy).
fn evidence(dir: &Path) {
    let file = json!({"Records": [read(), noise(NOISE_1, "prod/a"), noise(NOISE_2, "prod/b")]});
    let bytes = gzip(file.to_string().as_bytes());
    for sub in ["delivery-1", "delivery-2"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join("trail.json.gz"), &bytes).unwrap();
    }
    let page = json!({"Events": [lookup_event(&read()), lookup_event(&noise(NOISE_1, "prod/a"))]});
    std::fs::write(dir.join("lookup.json"), page.to_string()).unwrap();
    let other = json!({"Records": [noise(NOISE_2, "prod/OTHER")]});
    std::fs::write(dir.join("other.json"), other.to_string()).unwrap();
}

/// 3 + 3 + 2 + 1 records read: the read twice again, the first noise record twice again, the
/// second once again; its different record is no copy.
const READ_TOTAL: u64 = 9;
const COPIES: u64 = 5;

#[test]
fn copies_of_records_the_analysis_does_not_keep_are_counted_as_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    evidence(dir.path());
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["summary"]["records_read"], READ_TOTAL);
    assert_eq!(
        doc["summary"]["duplicates_dropped"], COPIES,
        "{}",
        doc["summary"]
    );
    let incidents = doc["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!(incidents[0]["access_event_ids"], json!([READ]));
}

#[test]
fn timeline_all_reports_the_copies_it_dropped_in_its_summary_and_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    evidence(dir.path());
    let run = trailcase([
        "timeline",
        "--all",
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let summary = &doc["summary"];
    assert_eq!(summary["records_read"], READ_TOTAL);
    assert_eq!(summary["duplicates_dropped"], COPIES, "{summary}");
    assert_eq!(summary["conflicting_copies"], 2, "{summary}");
    assert_eq!(summary["conflicts"][0]["event_id"], NOISE_2);
    // Every distinct record once: 3 events, and the different record beside its namesake.
    assert_eq!(doc["records"].as_array().unwrap().len(), 4);
    assert!(
        run.stderr
            .contains(&format!("{READ_TOTAL} records read, 0 rejected, {COPIES} duplicates dropped, 2 conflicting copies kept")),
        "{}",
        run.stderr
    );
    // The row formats have no summary: stderr is where the count is.
    let run = trailcase([
        "timeline",
        "--all",
        "--format",
        "csv",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{COPIES} duplicates dropped")),
        "{}",
        run.stderr
    );
}

/// The report's appendix gives the same count and says what it counts: copies of every record
/// read, not only of the events the analysis kept (it said "duplicate copies of kept events",
/// though 3 of these 5 copy records the analysis does not keep).
#[test]
fn the_report_says_the_copies_it_counts_are_of_every_record_read() {
    let dir = tempfile::tempdir().unwrap();
    let evidence_dir = dir.path().join("evidence");
    evidence(&evidence_dir);
    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[evidence_dir.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(&format!("{COPIES} duplicate copies dropped (records read that repeat another record read, the same eventID and content, whether the analysis kept it or not)")),
        "{text}"
    );
    assert!(!text.contains("copies of kept events"), "{text}");
}
