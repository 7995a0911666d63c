//! A flow-1 alarm transition read from a cut alarm history item's HistorySummary (CloudWatch
//! keeps the first 4,095 characters of HistoryData) says it rests on the summary only wherever
//! it is shown: for flow 1's alarm, for the other alarms of the history (not linked to the
//! honeytoken) and in the replay's actual time.

use crate::support::*;
use serde_json::json;
use std::path::{Path, PathBuf};

const SUMMARY_ONLY: &str = "rests on the item's HistorySummary (\"Alarm updated from OK to ALARM\") only: its HistoryData was cut, so the reason it records and the metric datapoint that crossed the threshold are unknown";

/// A StateUpdate's HistoryData, OK -> ALARM, too long for CloudWatch: its first 4,095
/// characters, as CloudWatch returns it.
fn cut_state_update() -> String {
    let data = json!({"version": "1.0", "oldState": {"stateValue": "OK"},
        "newState": {"stateValue": "ALARM", "stateReason": "Threshold Crossed",
            "stateReasonData": {"evaluatedDatapoints": (0..200)
                .map(|n| json!({"timestamp": format!("2026-11-20T12:{:02}:00.000+0000", n % 60), "value": 0.0}))
                .collect::<Vec<_>>()}}});
    let whole = data.to_string();
    assert!(whole.len() > 4_095);
    whole[..4_095].to_string()
}

/// The sample without its metric filters and alarm definitions (no alarm linked to the
/// honeytoken), and a CPU alarm entering ALARM 43 s after the first read whose item is cut.
fn unlinked_cut_case(dir: &Path) -> PathBuf {
    let case = sample_to_alter(dir);
    for gone in ["logs/metric-filters.json", "cloudwatch/alarms.json"] {
        std::fs::remove_file(case.join(gone)).unwrap();
    }
    edit_history(&case, |items| {
        items.push(json!({
            "AlarmName": "HighCPU-web",
            "AlarmType": "MetricAlarm",
            "Timestamp": "2026-11-20T14:03:00.000000+00:00",
            "HistoryItemType": "StateUpdate",
            "HistorySummary": "Alarm updated from OK to ALARM",
            "HistoryData": cut_state_update(),
        }))
    });
    case
}

#[test]
fn an_unlinked_alarms_transition_from_a_cut_item_says_it_rests_on_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let case = unlinked_cut_case(dir.path());
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let i = &doc["incidents"][0];
    let unlinked = &i["milestones"]["flow1_unlinked_alarms"];
    assert_eq!(unlinked[0]["alarm"], "HighCPU-web", "{unlinked}");
    assert_eq!(
        unlinked[0]["transition"],
        format!("the transition to ALARM {SUMMARY_ONLY}")
    );
    // The honeytoken's own alarm, read whole, says nothing of the kind.
    assert!(unlinked[1].get("transition").is_none(), "{unlinked}");
    let unknowns = i["unknowns"].to_string();
    assert!(
        unknowns.contains(&format!(
            "HighCPU-web at 2026-11-20T14:03:00Z (alarm:HighCPU-web:StateUpdate:2026-11-20T14:03:00Z: the transition to ALARM {SUMMARY_ONLY}), HoneytokenSecretAccessAlarm at 2026-11-20T14:05:21.532Z;"
        ).replace('"', "\\\"")),
        "{unknowns}"
    );

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains(&format!(
            "HighCPU-web at 2026-11-20T14:03:00Z (the transition to ALARM {SUMMARY_ONLY}), HoneytokenSecretAccessAlarm at 2026-11-20T14:05:21.532Z entered ALARM after it but are not linked"
        )),
        "{text}"
    );
}

#[test]
fn the_replays_actual_alarm_from_a_cut_item_says_it_rests_on_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    edit_history(&case, |items| {
        let item = items
            .iter_mut()
            .find(|i| i["HistorySummary"] == "Alarm updated from OK to ALARM")
            .unwrap();
        item["HistoryData"] = cut_state_update().into();
    });
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let access = &doc["replay"]["flows"][0]["accesses"][0];
    assert_eq!(access["actual"], "2026-11-20T14:05:21.532Z");
    assert_eq!(
        access["actual_evidence"],
        format!("alarm history: HoneytokenSecretAccessAlarm entered ALARM; the transition (alarm:HoneytokenSecretAccessAlarm:StateUpdate:2026-11-20T14:05:21.532Z) {SUMMARY_ONLY}")
    );

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    // The replay table's narrow cell breaks the alarm's name and the cite: its words are
    // checked around them.
    assert!(
        text.contains("entered ALARM; the transition (alarm:")
            && text.contains("unknown predicted, not observed"),
        "{text}"
    );
}
