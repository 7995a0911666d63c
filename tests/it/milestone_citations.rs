//! Milestone rows cite the records they rest on (#15): each key moment of an incident (first
//! read, rule triggered, containment, alarm, notification, last call...) names its CloudTrail
//! eventIDs, alarm history items (alarm name, item type, timestamp) or rule metric minute, whole
//! and searchable in the PDF text; a moment with no record in the evidence says "unknown".

use crate::support;

use std::path::Path;
use support::*;
use trailcase::report::content::milestones::milestones;

/// The PDF text with line breaks and runs of spaces folded to one space, as a reader's search
/// sees it.
fn searchable(pdf: &Path) -> String {
    pdf_text(pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn milestone_rows_cite_the_records_they_rest_on() {
    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    let i = &t.incidents[0];
    let rows = milestones(&t, i);
    let cites = |name: &str| {
        rows.iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("{name}"))
            .cites
            .clone()
    };
    for r in &rows {
        assert!(r.time.is_some(), "{}", r.name);
        assert!(!r.cites.is_empty(), "{} cites nothing", r.name);
    }
    assert_eq!(
        cites("Containment started"),
        vec!["91229c3a-309d-46cd-b37b-0d4ff185f9f9"]
    );
    assert!(cites("First honeytoken read")
        .iter()
        .all(|id| i.access_event_ids.contains(id)));
    assert_eq!(
        cites("Flow 1: alarm entered ALARM"),
        vec!["alarm HoneytokenSecretAccessAlarm StateUpdate 2026-11-20T14:05:21.532Z"]
    );
    assert_eq!(
        cites("Flow 1: SNS notification sent"),
        vec!["alarm HoneytokenSecretAccessAlarm Action 2026-11-20T14:05:21.618Z"]
    );
    assert!(cites("Flow 2: EventBridge rule triggered").contains(
        &"metric HoneytokenSecretAccessRule TriggeredRules 2026-11-20T14:02:00Z".to_string()
    ));

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let raw = pdf_text(&pdf);
    let text = searchable(&pdf);
    assert!(text.contains("Rests on"), "{text}");
    for r in &rows {
        for c in &r.cites {
            // Every token of a citation (an eventID, an alarm name, a timestamp) is whole in the
            // PDF text, and an eventID is whole on one line.
            for token in c.split(' ') {
                assert!(raw.contains(token), "{}: {token} whole in the PDF", r.name);
            }
            assert!(text.contains(c), "{}: {c} in the PDF", r.name);
        }
    }
}

#[test]
fn a_milestone_without_a_record_says_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let (ok, out) = tool(
        "cp",
        &[
            "-r",
            repo().join("samples/incident-01").to_str().unwrap(),
            case.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}");
    std::fs::remove_file(case.join("cloudwatch/alarm-history.json")).unwrap();
    let (t, _) = model(&[&case]);
    let rows = milestones(&t, &t.incidents[0]);
    let alarm = rows
        .iter()
        .find(|r| r.name == "Flow 1: alarm entered ALARM")
        .unwrap();
    assert_eq!((alarm.time, alarm.cites.len()), (None, 0));

    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    // The case's manifest lists the deleted file: the evidence is incomplete.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = searchable(&pdf);
    assert!(
        text.contains(
            "Flow 1: alarm entered ALARM unknown alarm history unknown: no record in the evidence"
        ),
        "the milestone row says unknown"
    );
    assert!(!text.contains("alarm HoneytokenSecretAccessAlarm StateUpdate"));
}

/// A first honeytoken access that was refused (AccessDenied) is T, and is named as what it was:
/// "First honeytoken access (refused)", not "First honeytoken read"; the later read that returned
/// the value is a row of its own, and the JSON's `first_access` is the refused call's time.
#[test]
fn a_refused_first_access_is_named_refused_and_the_first_successful_read_has_its_own_row() {
    use serde_json::json;
    use support::honeytoken_calls::call;
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let secret = json!({"secretId": "Production_Database_Credentials"});
    let mut refused = call(
        0,
        "secretsmanager.amazonaws.com",
        "GetSecretValue",
        secret.clone(),
    );
    refused["errorCode"] = "AccessDenied".into();
    refused["errorMessage"] =
        "User is not authorized to perform secretsmanager:GetSecretValue".into();
    // call(3, ...) is at 14:05:00, three minutes after the refused call at 14:02:00.
    let read = call(3, "secretsmanager.amazonaws.com", "GetSecretValue", secret);
    std::fs::create_dir_all(case.join("cloudtrail")).unwrap();
    std::fs::write(
        case.join("cloudtrail/trail.json"),
        json!({ "Records": [refused, read] }).to_string(),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let json_out = out.path().join("t.json");
    let run = report_pdf(
        &pdf,
        &[
            "--timeline-json",
            json_out.to_str().unwrap(),
            case.to_str().unwrap(),
        ],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = read_json(&json_out);
    assert_eq!(
        doc["incidents"][0]["milestones"]["first_access"], "2026-11-20T14:02:00Z",
        "{}",
        doc["incidents"][0]["milestones"]
    );
    let text = searchable(&pdf);
    assert!(
        text.contains(
            "First honeytoken access (refused) 2026-11-20T14:02:00Z T+00:00 CloudTrail 00000000-0000-4000-8000-000000000000"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "First successful honeytoken read 2026-11-20T14:05:00Z T+03:00 CloudTrail 00000000-0000-4000-8000-000000000003"
        ),
        "{text}"
    );
    assert!(
        text.contains("T is the first honeytoken access, a refused call, 2026-11-20T14:02:00Z."),
        "{text}"
    );
    assert!(!text.contains("First honeytoken read "), "{text}");
    // The executive summary states the read when it happened, not at the refused call.
    assert!(
        text.contains("read the decoy secret Production_Database_Credentials at 2026-11-20T14:05:00Z (a first attempt at 2026-11-20T14:02:00Z was refused)"),
        "{text}"
    );
    assert!(
        text.contains("The read. At 2026-11-20T14:02:00Z it tried to read the decoy secret Production_Database_Credentials and was refused; at 2026-11-20T14:05:00Z it read it."),
        "{text}"
    );
    assert!(
        !text.contains("Production_Database_Credentials at 2026-11-20T14:02:00Z"),
        "{text}"
    );
    // The latency section and the chart's marker name T for what it was, not "first read".
    assert!(
        text.contains("INC-001: seconds after the first access (refused)"),
        "{text}"
    );
    assert!(!text.contains("seconds after the first read"), "{text}");
    assert!(
        text.contains("T is the first honeytoken access (refused)."),
        "{text}"
    );
    assert!(!text.contains("T is the first honeytoken read"), "{text}");
    assert!(!text.contains("INC-001 first read"), "{text}");
}

/// The alarm's offset after the read (T+03:04.5, 184.5 s) was printed to a tenth of a second
/// though the read's eventTime is recorded to the second: the milestones and the latency table
/// now say an offset across the two clocks is exact only to within a second.
#[test]
fn an_offset_across_clock_resolutions_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let text = sample_report_text(dir.path());
    let note = "T is CloudTrail's eventTime, recorded to the second, and the alarm history's times have milliseconds: an offset between them (T+03:04.5, T+03:04.6) is exact only to within a second.";
    assert_eq!(
        text.matches(note).count(),
        2,
        "milestones and latency: {text}"
    );
}
