//! The NIST rows on flow 1 when its alarm history items were cut (CloudWatch keeps the first
//! 4,095 characters of HistoryData): an Action item counts as a notification only when flow 1's
//! detection counts it (its outcome says it ran), and a transition or notification read from a
//! cut item's HistorySummary is said to rest on it, in the words the rest of the report uses.

use crate::support::*;
use serde_json::{json, Value};
use std::path::Path;

const ACTION: &str = "alarm:HoneytokenSecretAccessAlarm:Action:2026-11-20T14:05:21.618Z";
const STATE: &str = "alarm:HoneytokenSecretAccessAlarm:StateUpdate:2026-11-20T14:05:21.532Z";

/// `data` as CloudWatch returns a HistoryData too long for it: its first 4,095 characters.
fn cut(mut data: Value) -> String {
    data["padding"] = "x".repeat(5_000).into();
    data.to_string()[..4_095].to_string()
}

/// The report's text for the sample with its Action item cut and summarised as `summary`,
/// and, with `state_cut`, its StateUpdate to ALARM cut too.
fn report_text(dir: &Path, summary: &str, state_cut: bool) -> String {
    let case = sample_to_alter(dir);
    edit_history(&case, |items| {
        for item in items {
            if item["HistoryItemType"] == "Action" {
                item["HistoryData"] = cut(json!({"actionState": "Succeeded"})).into();
                item["HistorySummary"] = summary.into();
            } else if state_cut && item["HistorySummary"] == "Alarm updated from OK to ALARM" {
                item["HistoryData"] = cut(json!({"version": "1.0"})).into();
            }
        }
    });
    let pdf = dir.join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    pdf_text(&pdf)
}

/// `s` without spaces and hyphens: the NIST table's narrow cells break words and dates
/// ("2026-11-20" as "202611-20") where pdftotext cannot join them back.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

#[test]
fn a_cut_action_whose_summary_says_neither_is_no_notification_sent() {
    let dir = tempfile::tempdir().unwrap();
    let text = report_text(dir.path(), "Alarm action", false);
    assert!(
        !text.contains("The alarm's action published to"),
        "IR-6 counted the cut action: {text}"
    );
    assert!(
        text.contains("No alarm SNS action is in the evidence."),
        "{text}"
    );
}

#[test]
fn nist_rows_resting_on_a_cut_items_summary_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let ran =
        "Successfully executed action arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email";
    let text = report_text(dir.path(), ran, true);
    // IR-6 and RS.CO-02 count the action, saying what it rests on.
    let action = format!(
        "The alarm action at 2026-11-20T14:05:21.618Z ({ACTION}) rests on the item's HistorySummary (\"{ran}\") only: its HistoryData was cut."
    );
    let text = squeezed(&text);
    assert_eq!(text.matches(&squeezed(&action)).count(), 2, "{action}");
    // AU-6, SI-4, DE.CM-01 and DE.AE-03 rest on the transition.
    let transition = format!(
        "The transition to ALARM at 2026-11-20T14:05:21.532Z ({STATE}) rests on the item's HistorySummary (\"Alarm updated from OK to ALARM\") only: its HistoryData was cut, so the reason it records and the metric datapoint that crossed the threshold are unknown."
    );
    assert_eq!(
        text.matches(&squeezed(&transition)).count(),
        4,
        "{transition}"
    );
}
