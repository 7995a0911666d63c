//! The flow comparison's "Path" row states flow 1's alarm by its own definition (statistic,
//! comparison, threshold, period, evaluation periods), not a fixed ">= 1 in 1 min", and says
//! when no definition is in the evidence.

use crate::support::*;
use serde_json::Value;
use std::path::Path;

/// `s` without spaces and hyphens: table cells break words where pdftotext cannot join them.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// The report's text, squeezed, for `case`; the run exits with `code` (an altered copy of the
/// sample has no manifest: its exit is 1).
fn report_text(dir: &Path, case: &Path, code: i32) -> String {
    let pdf = dir.join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, code, "{}", run.stderr);
    squeezed(&pdf_text(&pdf))
}

fn path(alarm: &str) -> String {
    squeezed(&format!(
        "Path CloudTrail -> CloudWatch Logs -> metric filter -> {alarm} -> SNS CloudTrail -> EventBridge rule"
    ))
}

/// The sample's JSON file `rel` changed by `edit`.
fn edit(case: &Path, rel: &str, edit: impl FnOnce(&mut Value)) {
    let p = case.join(rel);
    let mut v = read_json(&p);
    edit(&mut v);
    std::fs::write(&p, v.to_string()).unwrap();
}

#[test]
fn the_sample_path_names_its_alarms_definition() {
    let dir = tempfile::tempdir().unwrap();
    let text = report_text(dir.path(), &repo().join("samples/incident-01"), 0);
    let want =
        path("alarm HoneytokenSecretAccessAlarm (Sum >= 1 over 60 s, 1 of 1 evaluation periods)");
    assert!(text.contains(&want), "{want}");
}

/// The comparison's opening states the flows' design as design: that both watch the same call
/// is what the configuration shows (or not), not a fact of every evidence set.
#[test]
fn the_comparison_says_the_same_call_is_the_design_not_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let text = report_text(dir.path(), &repo().join("samples/incident-01"), 0);
    assert!(!text.contains(&squeezed("The two flows watch the same API call")));
    assert!(text.contains(&squeezed(
        "The two flows are designed to watch the same API call, the honeytoken's read; whether \
         the deployed filter and rule do is shown under \"The monitoring pipeline as built\""
    )));
}

#[test]
fn an_alarm_of_five_over_five_minutes_is_said_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    edit(&case, "cloudwatch/alarms.json", |v| {
        let a = &mut v["MetricAlarms"][0];
        assert_eq!(a["AlarmName"], "HoneytokenSecretAccessAlarm");
        a["Threshold"] = 5.0.into();
        a["Period"] = 300.into();
    });
    let text = report_text(dir.path(), &case, 1);
    let want =
        path("alarm HoneytokenSecretAccessAlarm (Sum >= 5 over 300 s, 1 of 1 evaluation periods)");
    assert!(text.contains(&want), "{want}");
    assert!(!text.contains(&squeezed(">= 1 in 1 min")));
}

#[test]
fn an_alarm_defined_in_its_history_only_cites_it_and_none_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    std::fs::remove_file(case.join("cloudwatch/alarms.json")).unwrap();
    let text = report_text(dir.path(), &case, 1);
    let want = path("alarm HoneytokenSecretAccessAlarm (Sum >= 1 over 60 s, 1 of 1 evaluation periods, as the alarm history's ConfigurationUpdate at 2026-11-02T10:15:58.204Z records it)");
    assert!(text.contains(&want), "{want}");

    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    std::fs::remove_file(case.join("cloudwatch/alarms.json")).unwrap();
    std::fs::remove_file(case.join("cloudwatch/alarm-history.json")).unwrap();
    let text = report_text(dir.path(), &case, 1);
    let want = path("alarm (definition not in the evidence)");
    assert!(text.contains(&want), "{want}");
}

/// The "What drives the delay" row said "the alarm's period and evaluation" and "EventBridge
/// receives CloudTrail management events within seconds" whatever the case. It now gives the
/// collected alarm's period and evaluation periods, and the rule's signal after the read as
/// the evidence times it, or says unknown.
#[test]
fn what_drives_the_delay_is_this_cases_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    edit(&case, "cloudwatch/alarms.json", |v| {
        let a = &mut v["MetricAlarms"][0];
        a["Period"] = 300.into();
        a["EvaluationPeriods"] = 3.into();
    });
    let text = report_text(dir.path(), &case, 1);
    assert!(
        !text.contains(&squeezed(
            "EventBridge receives CloudTrail management events within seconds"
        )),
        "{text}"
    );
    let want = squeezed("What drives the delay CloudTrail's delivery to the log group (its time is not in the evidence), then the alarm's period and evaluation periods: alarm HoneytokenSecretAccessAlarm: a period of 300 s, 1 of 3 evaluation periods (describe-alarms) CloudTrail's delivery of the event to EventBridge (its time is not in the records). In this case: 29 s after the first access, timed by the kill-switch's first call after the read (upper bound: the rule fired before it), inside the minute starting 2026-11-20T14:02:00Z in which AWS/Events TriggeredRules > 0");
    assert!(text.contains(&want), "{want}\n{text}");

    // Neither the alarm's definition nor the rule's signal in the evidence: unknown.
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    for f in ["cloudwatch/alarms.json", "cloudwatch/alarm-history.json"] {
        std::fs::remove_file(case.join(f)).unwrap();
    }
    let text = report_text(dir.path(), &case, 1);
    let want =
        squeezed("evaluation periods: unknown: no detection alarm's definition is in the evidence");
    assert!(text.contains(&want), "{want}");
}
