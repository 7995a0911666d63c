//! An AWS/Events TriggeredRules series that names no flow-2 rule (labelled "TriggeredRules"
//! alone: the account's rules together, or a rule the export does not name) is never evidence
//! that the rule fired: not the replay's actual time nor the basis of its delay, not a timeline
//! row of the rule's, not a "Flow 2: rule" bar on the incident chart, not what the flow-2
//! milestone rests on. It is shown as what it is. The sample's series names the rule, as
//! `trailcase collect` labels it (`<rule> TriggeredRules`), and keeps that meaning; relabelled
//! here by its Id to "TriggeredRules", it names none.

use crate::support;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use support::*;
use trailcase::model::EntryKind;
use trailcase::report::content::milestones::milestones;
use trailcase::report::content::IntegrityStatement;

const RULE: &str = "HoneytokenSecretAccessRule";
const FLOW2: &str = "Flow 2: EventBridge rule triggered";
/// The kill-switch's first call (14:02:46), which the flow-2 milestone rests on either way.
const KILL_SWITCH_FIRST_CALL: &str = "91229c3a-309d-46cd-b37b-0d4ff185f9f9";

fn sample() -> PathBuf {
    repo().join("samples/incident-01")
}

/// The sample with its TriggeredRules series labelled "TriggeredRules" alone.
fn unnamed(dir: &Path) -> PathBuf {
    let case = sample_to_alter(dir);
    label_triggered_rules(&case, "TriggeredRules");
    case
}

fn flow2_rows(doc: &Value) -> Vec<Value> {
    replay_flow(doc, |f| f["flow"] == "event_rule" && f["resource"] == RULE)["accesses"]
        .as_array()
        .unwrap()
        .clone()
}

/// The timeline's rows from the metric data, as (kind, actor, target, outcome, incidents).
fn metric_rows(doc: &Value) -> Vec<(String, String, String, String, Value)> {
    doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["source"] == "metric-data")
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            (
                s("kind"),
                s("actor"),
                s("target"),
                s("outcome"),
                r["incidents"].clone(),
            )
        })
        .collect()
}

/// The replay times flow 2 from a series naming the rule (the sample: the kill-switch's call
/// inside each read's TriggeredRules minute); from an unnamed one it gives no actual time and
/// no delay, and each row says what the series shows and that it is not the rule's firing.
#[test]
fn the_replay_takes_no_time_and_no_delay_from_an_unnamed_series() {
    let named = flow2_rows(&timeline_of(&sample()));
    let want = [
        (
            "2026-11-20T14:02:17Z",
            "2026-11-20T14:02:46Z",
            29.0,
            "14:02",
        ),
        (
            "2026-11-20T14:03:05Z",
            "2026-11-20T14:03:33Z",
            28.0,
            "14:03",
        ),
    ];
    assert_eq!(named.len(), 2, "{named:#?}");
    for (a, (time, actual, delay, minute)) in named.iter().zip(want) {
        assert_eq!(a["time"], time, "{a:#}");
        assert_eq!(a["actual"], actual, "{a:#}");
        assert_eq!(a["delay_seconds"], delay, "{a:#}");
        assert_eq!(
            a["actual_evidence"],
            format!("the kill-switch's first call after the access, inside the TriggeredRules minute starting 2026-11-20T{minute}:00Z"),
            "{a:#}"
        );
        assert!(a["note"].is_null(), "{a:#}");
    }

    let dir = tempfile::tempdir().unwrap();
    let rows = flow2_rows(&timeline_of(&unnamed(dir.path())));
    assert_eq!(rows.len(), 2, "{rows:#?}");
    for (a, (time, _, _, minute)) in rows.iter().zip(want) {
        assert_eq!(a["matched"], true, "{a:#}");
        assert_eq!(a["predicted"], time, "{a:#}");
        assert!(a["actual"].is_null(), "{a:#}");
        assert!(a["actual_evidence"].is_null(), "{a:#}");
        assert!(a["delay_seconds"].is_null(), "{a:#}");
        assert_eq!(
            a["note"],
            format!("AWS/Events TriggeredRules series \"TriggeredRules\", which names no flow-2 rule (the account's rules together, or another rule): 1 in the minute starting 2026-11-20T{minute}:00Z: not evidence that rule {RULE} fired, so when it fired for this access, and the delay, are unknown"),
            "{a:#}"
        );
    }
}

/// The timeline's rows: a datapoint of the named series is the rule's (actor and target the
/// rule, claimed by the incident whose reads are in its minute); of an unnamed one, a row of
/// its own kind, of AWS/Events, naming what the series is, claimed by no incident.
#[test]
fn an_unnamed_series_rows_name_no_rule_and_belong_to_no_incident() {
    let minutes = ["2026-11-20T14:02:00Z", "2026-11-20T14:03:00Z"];
    let named = metric_rows(&timeline_of(&sample()));
    let want: Vec<_> = minutes
        .iter()
        .map(|m| {
            (
                "rule_triggered".to_string(),
                RULE.to_string(),
                RULE.to_string(),
                format!("1 in the minute starting {m}"),
                json!(["INC-001"]),
            )
        })
        .collect();
    assert_eq!(named, want);

    let dir = tempfile::tempdir().unwrap();
    let unnamed = metric_rows(&timeline_of(&unnamed(dir.path())));
    let want: Vec<_> = minutes
        .iter()
        .map(|m| {
            (
                "rule_metric_unnamed".to_string(),
                "AWS/Events".to_string(),
                "series \"TriggeredRules\", which names no flow-2 rule (the account's rules together, or another rule)".to_string(),
                format!("1 in the minute starting {m}"),
                json!([]),
            )
        })
        .collect();
    assert_eq!(unnamed, want);
}

/// The report: no "Flow 2: rule" bar and no legend entry for an unnamed series, the chart's
/// paragraph saying what is not drawn and why; the flow-2 milestone rests on the kill-switch's
/// call alone. The named sample draws its bars and cites its datapoint.
#[test]
fn the_report_draws_no_rule_bar_and_cites_no_datapoint_for_an_unnamed_series() {
    let dir = tempfile::tempdir().unwrap();
    let case = unnamed(dir.path());
    for (path, named) in [(sample(), true), (case.clone(), false)] {
        let (t, config) = model(&[&path]);
        let doc = report_doc(&t, &config, IntegrityStatement::default());
        let chart = timeline_chart(&doc);
        let lane = chart
            .lanes
            .iter()
            .position(|l| l == "Flow 2: rule")
            .unwrap();
        let bars = chart.spans.iter().filter(|s| s.lane == lane).count();
        assert_eq!(bars, if named { 2 } else { 0 }, "named: {named}");
        assert_eq!(
            chart
                .legend
                .iter()
                .any(|e| e.text.starts_with("the rule fired in this interval")),
            named
        );
        let unnamed_rows = t
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::RuleMetricUnnamed)
            .count();
        assert_eq!(unnamed_rows, if named { 0 } else { 2 });
        let rows = milestones(&t, &t.incidents[0]);
        let flow2 = rows.iter().find(|r| r.name == FLOW2).unwrap();
        let mut want = vec![KILL_SWITCH_FIRST_CALL.to_string()];
        if named {
            want.push(format!("metric {RULE} TriggeredRules 2026-11-20T14:02:00Z"));
        }
        assert_eq!(flow2.cites, want, "named: {named}");
    }
    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("Not drawn: 2 AWS/Events datapoint(s), the timeline's rows of kind rule_metric_unnamed, whose series names no flow-2 rule (the account's rules together, or another rule): not evidence that the flow-2 rule fired."),
        "{text}"
    );
    assert!(!text.contains("metric TriggeredRules"), "{text}");
    assert!(
        text.contains("The series \"TriggeredRules\" names no flow-2 rule (the account's rules together, or another rule): not evidence that the detection rule fired."),
        "{text}"
    );
    let sample = sample_report_text(dir.path());
    assert!(!sample.contains("Not drawn:"), "{sample}");
    assert!(
        sample.contains("AWS/Events metrics for the detection rule, one-minute resolution"),
        "{sample}"
    );
}
