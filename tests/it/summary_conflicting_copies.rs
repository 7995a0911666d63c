//! The executive summary, which a reader takes as the verdict, says when the evidence holds
//! different records under one eventID (possible tampering), whatever else it concludes: "no
//! honeytoken was read" and a count of reads both rest on them. The five CloudTrail examples of
//! the Amazon SQS Developer Guide share one eventID and one eventTime with different callers and
//! APIs (`tests/data/records/sqs-L*.json`, tests/data/SOURCES.md); the DynamoDB guide's
//! `PutItem` (`ddb-put-item-L246.json`) made a read of the honeytoken gives an incident that
//! rests on two differing copies.

use crate::support;

use serde_json::{json, Value};
use support::*;

/// The executive summary of `trailcase report` on `evidence`, on one line.
fn summary(evidence: &std::path::Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(&pdf, &[evidence.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    let end = text
        .find("Completeness:")
        .expect("the summary's completeness line");
    let start = text[..end].rfind("Executive summary").unwrap();
    text[start..end].to_string()
}

#[test]
fn no_read_beside_records_that_share_an_eventid_is_said_with_them() {
    let dir = tempfile::tempdir().unwrap();
    for n in [45, 86, 122, 156, 191] {
        let name = format!("sqs-L{n}.json");
        std::fs::copy(
            repo().join("tests/data/records").join(&name),
            dir.path().join(&name),
        )
        .unwrap();
    }
    let doc = timeline_of(dir.path());
    assert_eq!(doc["summary"]["conflicting_copies"], 5);
    let s = summary(dir.path());
    assert!(
        s.contains("No honeytoken was read in the evidence examined."),
        "{s}"
    );
    assert!(
        s.contains("Different records share an eventID in the evidence (possible tampering). 1 eventID carries records that differ: 0987g654-32f1-09e8-d765-c4f3fb2109fa (5 records)."),
        "{s}"
    );
    assert!(s.contains("which is the original is not known"), "{s}");
}

#[test]
fn reads_counted_from_differing_copies_say_so_in_the_summary() {
    let put =
        read_json(&repo().join("tests/data/records/ddb-put-item-L246.json"))["Records"][0].clone();
    let read = honeytoken_read_like(
        &put,
        "2019-01-19T15:42:54Z",
        "5e55101d-0000-4000-8000-00000000c0b1",
    );
    // The same read in a second file, its eventTime an hour later.
    let mut later = read.clone();
    later["eventTime"] = json!("2019-01-19T16:42:54Z");
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, records: Vec<Value>| {
        std::fs::write(
            dir.path().join(name),
            json!({ "Records": records }).to_string(),
        )
        .unwrap()
    };
    write("a.json", vec![put, read]);
    write("b.json", vec![later]);
    let doc = timeline_of(dir.path());
    assert_eq!(doc["incidents"][0]["impact"]["reads_succeeded"], 2);
    let s = summary(dir.path());
    assert!(
        s.contains("1 eventID carries records that differ: 5e55101d-0000-4000-8000-00000000c0b1 (2 records)."),
        "{s}"
    );
    assert!(
        s.contains("the reads of INC-001 (2 of its 2 honeytoken read records) rest on such records, so a count of reads may count one call more than once, or a changed record."),
        "{s}"
    );
}
