//! A citation must let a reader find the record: where a cited eventID is carried by several
//! different records (hand-made records share "1" in public samples; a tampered or replayed
//! trail could do the same), the finding's summary in the JSON says how many records share it,
//! and the PDF cites it as "1 (one of N records with that eventID)" wherever the finding's
//! eventIDs are printed. A unique eventID is cited bare, as before. Records shaped as
//! CloudTrail writes these calls, built here (as in `pipeline_claims`).

use crate::support;

use support::*;

fn record(id: &str, time: &str, source: &str, name: &str, req: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.10","eventTime":"{time}","eventID":"{id}","eventSource":"{source}","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2.17.60","requestParameters":{req},"responseElements":null,"eventType":"AwsApiCall","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/mallory","accountId":"123456789012","accessKeyId":"AKIAMALLORY"}}}}"#
    )
}

/// A trail stopped by a record whose eventID "1" two other, different records carry; a trail
/// deleted by a record whose eventID is its own.
fn case(dir: &std::path::Path) {
    let recs = [
        record(
            "1",
            "2024-10-09T14:46:00Z",
            "cloudtrail.amazonaws.com",
            "StopLogging",
            r#"{"name":"management-events"}"#,
        ),
        record(
            "1",
            "2024-10-09T14:47:00Z",
            "iam.amazonaws.com",
            "ListUsers",
            "null",
        ),
        record(
            "1",
            "2024-10-09T14:48:00Z",
            "s3.amazonaws.com",
            "ListBuckets",
            "null",
        ),
        record(
            "5d2c7f4e-0000-4000-8000-00000000d001",
            "2024-10-09T14:49:00Z",
            "cloudtrail.amazonaws.com",
            "DeleteTrail",
            r#"{"name":"other-trail"}"#,
        ),
    ];
    std::fs::write(dir.join("trail.json"), format!("[{}]", recs.join(","))).unwrap();
}

#[test]
fn a_cited_eventid_that_several_records_carry_says_how_many_in_the_json_and_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    case(&evidence);
    let doc = timeline_of(&evidence);
    let reduced = of_kind(&doc["findings"], "logging_reduced");
    assert_eq!(reduced.len(), 1, "{reduced:?}");
    assert_eq!(
        reduced[0]["event_ids"],
        serde_json::json!(["1", "5d2c7f4e-0000-4000-8000-00000000d001"])
    );
    let summary = reduced[0]["summary"].as_str().unwrap();
    assert!(
        summary.ends_with(" (eventID 1 is shared by 3 different records: an eventID alone does not say which of them this rests on; the JSON timeline's conflicts lists where each was read)"),
        "{summary}"
    );
    // The JSON's conflicts says where each of the three was read.
    let conflict = doc["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["event_id"] == "1")
        .expect("eventID 1 among the conflicts");
    assert_eq!(conflict["copies"].as_array().unwrap().len(), 3);

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[evidence.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains(
            "eventID 1 (one of 3 records with that eventID), 5d2c7f4e-0000-4000-8000-00000000d001"
        ),
        "{text}"
    );
    // No citation of the bare "1" is left in a sentence, and the summary's clause is not
    // printed twice beside the marked citations.
    assert!(!text.contains("eventID 1,"), "{text}");
    assert!(!text.contains("eventID 1)"), "{text}");
    assert!(!text.contains("an eventID alone does not say"), "{text}");
    // The unique eventID is cited bare.
    assert!(
        !text.contains("5d2c7f4e-0000-4000-8000-00000000d001 (one of"),
        "{text}"
    );
}
