//! A read of the S3 decoy that S3 logs under another `eventSource` than `s3.amazonaws.com`: a
//! `GetObject` from a directory bucket (S3 Express One Zone) is `s3express.amazonaws.com`
//! (AWS S3 User Guide, "CloudTrail log file examples for directory buckets"). It was no read at
//! all: with any ordinary S3 data event beside it the report said "No honeytoken was read". It
//! is now the incident's read, and an S3 data event.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

const DECOY: &str = "s3:finance-exports--use1-az4--x-s3/payroll/2026-02.csv";
const READ_ID: &str = "5d2e8c1f-3a4b-4d6e-8f90-EXAMPLE0dir1";

/// The re-created directory-bucket `GetObject` (`tests/data/SOURCES.md`).
fn directory_read() -> Value {
    read_json(&repo().join("tests/data/s3-decoy/directory-bucket-getobject.json"))
}

/// An ordinary S3 `GetObject` of another bucket's object by the same caller: an S3 data event
/// that names no honeytoken.
fn other_read() -> Value {
    let mut r = directory_read();
    r["eventSource"] = json!("s3.amazonaws.com");
    r["eventID"] = json!("5d2e8c1f-3a4b-4d6e-8f90-EXAMPLE0oth1");
    r["requestParameters"] = json!({"bucketName": "app-assets", "key": "logo.png"});
    r["resources"] =
        json!([{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::app-assets/logo.png"}]);
    r
}

fn write_case(dir: &Path, records: &[Value]) {
    let body = json!({ "Records": records }).to_string();
    std::fs::write(dir.join("trail.json"), body).unwrap();
}

fn timeline(case: &Path) -> Value {
    let run = trailcase([
        "timeline",
        "--quiet",
        "--honeytoken",
        DECOY,
        case.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

#[test]
fn a_getobject_of_the_decoy_in_a_directory_bucket_is_a_read() {
    for records in [vec![directory_read()], vec![directory_read(), other_read()]] {
        let case = tempfile::tempdir().unwrap();
        write_case(case.path(), &records);
        let doc = timeline(case.path());
        let inc = doc["incidents"].as_array().unwrap();
        assert_eq!(inc.len(), 1, "{doc:#}");
        assert_eq!(
            inc[0]["actor"]["arn"],
            "arn:aws:sts::444455556666:assumed-role/ReportExporter/nightly-export"
        );
        assert_eq!(inc[0]["access_event_ids"], json!([READ_ID]));
        // The directory bucket's GetObject is an S3 data event: reads were examined.
        assert!(
            of_kind(&doc["findings"], "reads_not_examined").is_empty(),
            "{:#}",
            doc["findings"]
        );

        let out = tempfile::tempdir().unwrap();
        let pdf = out.path().join("r.pdf");
        let run = report_pdf(
            &pdf,
            &["--honeytoken", DECOY, case.path().to_str().unwrap()],
        );
        // No manifest or digest in the case: the verdict is "not verifiable", exit code 1.
        assert_eq!(run.code, 1, "{}", run.stderr);
        let text = pdf_text(&pdf);
        assert!(!text.contains("No honeytoken was read"), "{text}");
        assert!(text.contains(READ_ID), "{text}");
        assert!(text.contains("s3express:GetObject"), "{text}");
    }
}
