//! One time format (issue #18, "Auditors"): the JSON and the PDF state times in ISO 8601 UTC,
//! never in a locale format such as STS's `Nov 20, 2026, 3:59:30 PM`, which CloudTrail records
//! for a session's `credentials.expiration` (the sample's AssumeRole has one). The CloudTrail
//! records the JSON quotes (a timeline row's `record`) stay as recorded: they are the evidence.

use crate::support;

use support::*;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The locale-formatted times in `text`: a month name, a day, a comma and a year.
fn locale_times(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for m in MONTHS {
        let mut rest = text;
        while let Some(i) = rest.find(&format!("{m} ")) {
            let after = &rest[i + 4..];
            let day: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
            if !day.is_empty() && after[day.len()..].starts_with(", 20") {
                found.push(rest[i..(i + 40).min(rest.len())].to_string());
            }
            rest = &rest[i + 4..];
        }
    }
    found
}

#[test]
fn the_session_expiry_is_stated_in_iso_8601_in_the_json_and_the_report() {
    let run = trailcase(["timeline", "--quiet", "samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut doc = run.json();
    let mut quoted = 0;
    for row in doc["timeline"].as_array_mut().unwrap() {
        let record = row.as_object_mut().unwrap().remove("record");
        quoted += locale_times(&record.unwrap_or_default().to_string()).len();
    }
    assert_eq!(quoted, 1, "the AssumeRole record, quoted as recorded");
    assert_eq!(locale_times(&doc.to_string()), Vec::<String>::new());
    let finding = doc["incidents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "uncovered_session")
        .expect("the sample's live session is a finding");
    assert!(
        finding["summary"]
            .as_str()
            .unwrap()
            .ends_with("valid until 2026-11-20T15:59:30Z"),
        "{finding}"
    );

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert_eq!(locale_times(&text), Vec::<String>::new());
    assert!(text.contains("valid until 2026-11-20T15:59:30Z"), "{text}");
}

#[test]
fn the_detector_finds_what_sts_writes() {
    assert_eq!(
        locale_times("valid until Nov 20, 2026, 3:59:30 PM"),
        ["Nov 20, 2026, 3:59:30 PM"]
    );
    assert!(locale_times("2026-11-20T15:59:30Z; Nov 2026; Novel 3, 2026").is_empty());
}
