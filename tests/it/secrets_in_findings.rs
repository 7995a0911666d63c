//! The analysis writes its findings from the records as they are: a pipeline change names the
//! alarm, rule or log group its request named. A secret in such a name (a presigned URL's
//! signature, a `db_password=…`, a URL's password) was redacted in the row's `target` and kept
//! in the finding's summary, in the timeline JSON and the report. The finding says what its row
//! says, no more.

use crate::support;

use serde_json::{json, Value};
use support::honeytoken_calls::case;
use support::*;

/// The honeytoken read, then three deletions of monitoring resources whose names hold secrets.
fn planted(dir: &std::path::Path) {
    case(
        dir,
        &[
            (
                "monitoring.amazonaws.com",
                "DeleteAlarms",
                json!({"alarmNames": ["HoneytokenAlarm?X-Amz-Signature=PLANTED1abc"]}),
            ),
            (
                "events.amazonaws.com",
                "DeleteRule",
                json!({"name": "rule-db_password=PLANTED-2"}),
            ),
            (
                "logs.amazonaws.com",
                "DeleteLogGroup",
                json!({"logGroupName": "https://u:PLANTED-3@h/x"}),
            ),
        ],
    );
}

#[test]
fn a_finding_does_not_carry_a_secret_its_row_redacts() {
    let evidence = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    planted(evidence.path());
    let dir = evidence.path().to_str().unwrap();
    let run = trailcase(["timeline", "--quiet", dir]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(!run.text().contains("PLANTED"), "{}", run.text());
    let doc: Value = run.json();
    let changes = of_kind(&doc["findings"], "monitoring_change");
    let changes = if changes.is_empty() {
        of_kind(&doc["incidents"][0]["findings"], "monitoring_change")
    } else {
        changes
    };
    let summary = changes
        .first()
        .unwrap_or_else(|| panic!("no monitoring_change finding: {doc}"))["summary"]
        .as_str()
        .unwrap();
    // The names are said as the rows say them: the secrets replaced, the rest kept.
    for said in [
        "alarm HoneytokenAlarm?X-Amz-Signature=[REDACTED]",
        "rule rule-db_password=[REDACTED]",
        "log group https://u:[REDACTED]@h/x",
    ] {
        assert!(summary.contains(said), "{said}: {summary}");
    }

    let pdf = out.path().join("report.pdf");
    let json = out.path().join("timeline.json");
    let run = report_pdf(&pdf, &["--timeline-json", json.to_str().unwrap(), dir]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(!std::fs::read_to_string(&json).unwrap().contains("PLANTED"));
    let text = pdf_text(&pdf);
    assert!(!text.contains("PLANTED"), "{text}");
    assert!(text.contains("[REDACTED]"), "{text}");
}
