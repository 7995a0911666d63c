//! A trail that logs only WRITE data events of the S3 decoy's bucket (`ReadWriteType`
//! `WriteOnly`, advanced `readOnly` `false`): its `PutObject` on the bucket is an S3 data event,
//! and it counted as having examined the decoy's reads, so the report said "No honeytoken was
//! read". Only a read data event on the bucket (`readOnly` true, `GetObject` and the like) now
//! counts; with writes only, the `reads_not_examined` finding says so and cites one of them.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

const DECOY: &str = "s3:finance-exports/payroll/2026-02.csv";
const WRITE_ID: &str = "5d2e8c1f-3a4b-4d6e-8f90-EXAMPLE0put1";
const READ_ID: &str = "5d2e8c1f-3a4b-4d6e-8f90-EXAMPLE0get1";

/// An ordinary S3 data event on the decoy's bucket, another object of it.
fn data_event(id: &str, name: &str, read_only: Option<bool>) -> Value {
    let mut r = read_json(&repo().join("tests/data/s3-decoy/directory-bucket-getobject.json"));
    r["eventSource"] = json!("s3.amazonaws.com");
    r["eventName"] = json!(name);
    r["eventID"] = json!(id);
    r["requestParameters"] = json!({"bucketName": "finance-exports", "key": "payroll/README.txt"});
    r["resources"] = json!([{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::finance-exports/payroll/README.txt"}]);
    match read_only {
        Some(b) => r["readOnly"] = json!(b),
        None => {
            r.as_object_mut().unwrap().remove("readOnly");
        }
    }
    r
}

fn run(case: &Path, records: &[Value]) -> (Value, String) {
    std::fs::write(
        case.join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    let t = trailcase([
        "timeline",
        "--quiet",
        "--honeytoken",
        DECOY,
        case.to_str().unwrap(),
    ]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let r = report_pdf(&pdf, &["--honeytoken", DECOY, case.to_str().unwrap()]);
    assert!(pdf.exists(), "{}", r.stderr);
    (t.json(), pdf_text(&pdf))
}

#[test]
fn write_data_events_on_the_decoys_bucket_leave_its_reads_not_examined() {
    // With `readOnly` false, and in an older record without the field (by its API).
    for read_only in [Some(false), None] {
        let case = tempfile::tempdir().unwrap();
        let (doc, text) = run(case.path(), &[data_event(WRITE_ID, "PutObject", read_only)]);
        let f = of_kind(&doc["findings"], "reads_not_examined");
        assert_eq!(f.len(), 1, "{read_only:?}: {:#}", doc["findings"]);
        assert_eq!(f[0]["event_ids"], json!([WRITE_ID]));
        let summary = f[0]["summary"].as_str().unwrap();
        assert!(summary.contains("write data events only"), "{summary}");
        assert!(!text.contains("No honeytoken was read"), "{text}");
        assert!(
            text.contains("Whether a honeytoken was read is unknown"),
            "{text}"
        );
        assert!(
            text.contains("SC-26 Decoys Detect (DE) Not examined"),
            "{text}"
        );
    }
}

/// The decoy itself overwritten: a `honeytoken_changed` finding, and its reads still not
/// examined, which SC-26 says beside the change.
#[test]
fn a_write_of_the_decoy_itself_does_not_examine_its_reads() {
    let case = tempfile::tempdir().unwrap();
    let mut put = data_event(WRITE_ID, "PutObject", Some(false));
    put["requestParameters"]["key"] = json!("payroll/2026-02.csv");
    put["resources"] = json!([{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::finance-exports/payroll/2026-02.csv"}]);
    let (doc, text) = run(case.path(), &[put]);
    assert_eq!(of_kind(&doc["findings"], "honeytoken_changed").len(), 1);
    assert_eq!(
        of_kind(&doc["findings"], "reads_not_examined")[0]["event_ids"],
        json!([WRITE_ID])
    );
    assert!(
        text.contains("Whether a honeytoken was read is unknown"),
        "{text}"
    );
    assert!(
        text.contains("its reads were not examined: no S3 read data event on the decoy's bucket"),
        "{text}"
    );
}

#[test]
fn a_read_data_event_on_the_decoys_bucket_examines_its_reads() {
    for (name, read_only) in [("GetObject", Some(true)), ("HeadObject", None)] {
        let case = tempfile::tempdir().unwrap();
        let (doc, text) = run(
            case.path(),
            &[
                data_event(WRITE_ID, "PutObject", Some(false)),
                data_event(READ_ID, name, read_only),
            ],
        );
        assert!(
            of_kind(&doc["findings"], "reads_not_examined").is_empty(),
            "{name}: {:#}",
            doc["findings"]
        );
        assert!(text.contains("No honeytoken was read"), "{text}");
    }
}
