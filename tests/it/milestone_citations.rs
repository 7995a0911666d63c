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
    assert!(cites("Flow 2: EventBridge rule triggered")
        .contains(&"metric TriggeredRules 2026-11-20T14:02:00Z".to_string()));

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
