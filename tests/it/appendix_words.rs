//! Words a reader meets, not the JSON's identifiers alone (session 33): the appendix's input kinds
//! (`cloudtrail-records`) and gap kinds (`invalid_json`) read as English with the identifier on the
//! line under; the replay's assumptions no longer say "its row's rule_state" as prose; the alarm
//! history caption no longer says every datapoint time reads day/month/year (an AWS example in
//! the shared data writes month/day); and with no incident RC.RP-01 no longer says "there is
//! nothing to recover from" (no incident found is not no incident) nor the kill-switch paragraph
//! that containment "is known"; nor the summary that the alarm history "shows no detection alarm
//! that fired without a read" when nothing in the evidence makes any alarm a detection alarm. The indicators' caption said a LIVE credential "stays valid
//! until" its expiry in a report made after it.

use crate::support;

use serde_json::json;
use support::*;

#[test]
fn the_samples_appendix_and_captions_read_as_english() {
    let dir = tempfile::tempdir().unwrap();
    let text = sample_report_text(dir.path());
    for said in [
        "CloudTrail records cloudtrail-records",
        "kill-switch result via SNS killswitch-result-sns",
        "acquisition manifest trailcase-manifest",
        "CloudTrail digest cloudtrail-digest",
        "each access judged by the rule's state at its time (its replay row's rule_state in the JSON)",
        "a datapoint time in it is UTC, with a two-digit year and day and month in the order AWS wrote them",
        // Made days after the session expired, the report does not say it "stays valid".
        "A credential marked LIVE was not reached by the containment, and neither the records nor the time this report was made are past its recorded expiry; the time shown under its first and last sight (LIVE until) is when it expires as issued, unless revoked earlier. One marked \"not cut, expired\" was not reached either, and its recorded expiry, shown under \"expired\", has passed: the records run past it (their last eventTime shown under it), or else it is before this report was made.",
    ] {
        // Table cells wrap inside an identifier (pdftotext drops the hyphen at a break):
        // compared without spaces and hyphens.
        let fold = |s: &str| s.replace([' ', '-'], "");
        assert!(fold(&text).contains(&fold(said)), "{said}\n{text}");
    }
    assert!(
        !text.contains("judged by being its row's rule_state"),
        "{text}"
    );
    assert!(!text.contains("reads day/month/year"), "{text}");
    assert!(!text.contains("stays valid until the time shown"), "{text}");
}

#[test]
fn with_no_incident_the_words_claim_no_more_than_the_records() {
    let case = tempfile::tempdir().unwrap();
    crate::default_honeytoken::case_with(case.path(), None);
    std::fs::write(case.path().join("notes.txt"), "written by hand\n").unwrap();
    // An alarm of the account's that no evidence links to the honeytoken.
    let data = json!({"version": "1.0", "oldState": {"stateValue": "OK"},
        "newState": {"stateValue": "ALARM", "stateReason": "Threshold Crossed"}});
    std::fs::write(
        case.path().join("alarm-history.json"),
        json!({"AlarmHistoryItems": [{"AlarmName": "cpu-high", "Timestamp": "2026-03-10T09:05:00Z",
            "HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM",
            "HistoryData": data.to_string()}]})
        .to_string(),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.path().to_str().unwrap()]);
    // A gap (and no manifest or digest): the run is incomplete.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("not JSON invalid_json"), "{text}");
    assert!(
        text.contains("Not shown by this evidence: no incident was found in the 1 records examined, so no recovery from one is shown."),
        "{text}"
    );
    assert!(!text.contains("nothing to recover from"), "{text}");
    // No honeytoken filter or detection alarm is in the evidence: the alarm history's silence
    // shows nothing about detection.
    assert!(
        text.contains("The alarm history holds no alarm known to watch the honeytoken (no honeytoken metric filter or detection alarm definition is in the evidence): whether a detection alarm fired without a read is not shown."),
        "{text}"
    );
    assert!(
        !text.contains("shows no detection alarm that fired without a read"),
        "{text}"
    );
    assert!(
        text.contains("is in the evidence: any containment is known from CloudTrail alone."),
        "{text}"
    );
}
