//! Flow 1 when no alarm is linked to the honeytoken (no `[detection].alarms`, no alarm
//! definition fed by a honeytoken metric filter): an alarm of the history going to ALARM after
//! the read is named as unlinked, never timed as flow 1's detection.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The sample without its metric filters and alarm definitions (nothing links its alarm to the
/// honeytoken), and a CPU alarm of the same account going to ALARM 43 s after the first read.
fn unlinked_case(dir: &Path) -> PathBuf {
    let case = sample_to_alter(dir);
    for gone in ["logs/metric-filters.json", "cloudwatch/alarms.json"] {
        std::fs::remove_file(case.join(gone)).unwrap();
    }
    let data = json!({"version": "1.0", "oldState": {"stateValue": "OK"}, "newState": {"stateValue": "ALARM", "stateReason": "Threshold Crossed: 1 datapoint [93.0] was greater than the threshold (80.0)."}});
    edit_history(&case, |items| {
        items.push(json!({
            "AlarmName": "HighCPU-web",
            "AlarmType": "MetricAlarm",
            "Timestamp": "2026-11-20T14:03:00.000000+00:00",
            "HistoryItemType": "StateUpdate",
            "HistorySummary": "Alarm updated from OK to ALARM",
            "HistoryData": data.to_string(),
        }))
    });
    case
}

#[test]
fn an_unrelated_alarm_after_the_read_is_not_a_flow_1_detection() {
    let dir = tempfile::tempdir().unwrap();
    let case = unlinked_case(dir.path());
    let doc = timeline_of(&case);
    let i = &doc["incidents"][0];
    assert_eq!(i["milestones"]["flow1_alarm"], Value::Null);
    assert_eq!(i["latency_seconds"]["flow1_detect"], Value::Null);
    let unlinked: Vec<(&str, &str)> = i["milestones"]["flow1_unlinked_alarms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["alarm"].as_str().unwrap(), u["time"].as_str().unwrap()))
        .collect();
    assert_eq!(
        unlinked,
        [
            ("HighCPU-web", "2026-11-20T14:03:00Z"),
            ("HoneytokenSecretAccessAlarm", "2026-11-20T14:05:21.532Z")
        ]
    );
    let unknowns: Vec<&str> = i["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert!(
        unknowns.iter().any(|u| u.starts_with(
            "flow1_alarm: unknown: no alarm linked to the honeytoken in the evidence; alarm(s) that entered ALARM within 60 minutes of the first access, not linked to it (they may or may not watch it): HighCPU-web at 2026-11-20T14:03:00Z"
        ) && u.contains("[detection].alarms")),
        "{unknowns:?}"
    );
    // No incident cites the CPU alarm as its detection evidence.
    assert!(!i["alarm_evidence"].to_string().contains("HighCPU-web"));

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("whether the log-based alarm detected the read is unknown: no alarm in the evidence is linked to the honeytoken; HighCPU-web at 2026-11-20T14:03:00Z, HoneytokenSecretAccessAlarm at 2026-11-20T14:05:21.532Z entered ALARM after it but are not linked to the honeytoken and may or may not watch it"),
        "{text}"
    );
    for wrong in [
        "an alarm entered ALARM 43 s",
        "the alarm followed after 43 s",
        "the log-based alarm fired",
        "Both flows reviewed the records",
        "Find why the metric filter and alarm did not detect",
    ] {
        assert!(!text.contains(wrong), "{wrong}: {text}");
    }
    assert!(
        text.contains("Flow 1: alarm entered ALARM unknown"),
        "{text}"
    );
    // The history holds a record of the alarm: the milestone's cell says why it is not flow 1's,
    // not that there is no record.
    assert!(
        text.contains("unknown: no alarm in the evidence is linked to the honeytoken"),
        "{text}"
    );
    assert!(
        !text.contains("unknown: no record in the evidence"),
        "{text}"
    );
    assert!(
        text.contains("unknown (no alarm in the evidence is linked to the honeytoken)"),
        "{text}"
    );
    assert!(
        text.contains("No flow-1 metric filter is in the evidence (describe-metric-filters): flow 1 was not replayed."),
        "{text}"
    );
    assert!(
        text.contains("Link flow 1's alarm to the honeytoken: name the detection alarm in trailcase.toml ([detection].alarms)"),
        "{text}"
    );
}

/// Named in `[detection].alarms`, the same alarm is flow 1's again and times the detection.
#[test]
fn a_configured_alarm_is_flow_1s() {
    let dir = tempfile::tempdir().unwrap();
    let case = unlinked_case(dir.path());
    let toml = case.join("trailcase.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("\n[detection]\nalarms = [\"HoneytokenSecretAccessAlarm\"]\n");
    std::fs::write(&toml, config).unwrap();
    let doc = timeline_of(&case);
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow1_alarm"], "2026-11-20T14:05:21.532Z");
    assert!(m.get("flow1_unlinked_alarms").is_none(), "{m}");
}
