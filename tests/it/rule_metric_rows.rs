//! Rule metric rows as what they are (session 33): the flow-2 milestone's Source named "AWS/Events
//! metric" when only the kill-switch was cited, and its metric citation was split out of the row
//! id at ':' (a series label may be an ARN); a named FailedInvocations datapoint was a
//! `rule_triggered` row, as if the rule had fired. Checked on the sample or a copy altered for
//! the case, through the CLI's JSON (against the schema) and PDF.

use crate::support;

use serde_json::Value;
use support::*;
use trailcase::report::content::milestones::milestones;

const DENY: &str = "91229c3a-309d-46cd-b37b-0d4ff185f9f9";

fn flow2_row(t: &trailcase::model::Timeline) -> (String, Vec<String>) {
    let rows = milestones(t, &t.incidents[0]);
    let r = rows
        .into_iter()
        .find(|r| r.name == "Flow 2: EventBridge rule triggered")
        .unwrap();
    (r.source.to_string(), r.cites)
}

/// The flow-2 milestone's Source names only what it cites; a series labelled with the rule's
/// ARN (':' in the label) is cited whole, its minute last.
#[test]
fn the_flow2_milestone_names_only_what_it_cites() {
    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    let (source, cites) = flow2_row(&t);
    assert_eq!(
        source, "AWS/Events metric, CloudTrail (kill-switch)",
        "{cites:?}"
    );
    assert!(cites.contains(&DENY.to_string()), "{cites:?}");

    // No TriggeredRules datapoint: only the kill-switch's call is cited.
    let dir = tempfile::tempdir().unwrap();
    let case = sample_with_rule_state(
        dir.path(),
        Some("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
        false,
    );
    let (t, _) = model(&[&case]);
    let (source, cites) = flow2_row(&t);
    assert_eq!(cites, vec![DENY.to_string()]);
    assert_eq!(source, "CloudTrail (kill-switch)");
    let text = report_text(dir.path(), &case);
    assert!(!text.contains("AWS/Events metric, kill-switch"), "{text}");

    // Labelled with the rule's ARN.
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let label =
        "arn:aws:events:us-east-1:123456789012:rule/HoneytokenSecretAccessRule TriggeredRules";
    label_triggered_rules(&case, label);
    let (t, _) = model(&[&case]);
    let (_, cites) = flow2_row(&t);
    assert!(
        cites.contains(&format!("metric {label} 2026-11-20T14:02:00Z")),
        "{cites:?}"
    );
}

/// A named FailedInvocations datapoint is a row of its own kind, never the rule's firing or the
/// kill-switch's run; the report says what it is.
#[test]
fn a_failed_invocation_is_not_the_rule_firing() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let path = case.join("cloudwatch/metric-data.json");
    let mut data = read_json(&path);
    for m in data["MetricDataResults"].as_array_mut().unwrap() {
        if m["Id"] == "failedinvocations" {
            m["Timestamps"] = serde_json::json!(["2026-11-20T14:03:00+00:00"]);
            m["Values"] = serde_json::json!([1.0]);
        }
    }
    std::fs::write(&path, data.to_string()).unwrap();
    // timeline_of checks the JSON against the schema (the new kind is in its enum).
    let doc = timeline_of(&case);
    assert_eq!(doc["schema_version"], 4);
    let rows: Vec<&Value> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "AWS/Events:HoneytokenSecretAccessRule FailedInvocations")
        .collect();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0]["kind"], "rule_invocation_failed", "{:#}", rows[0]);
    assert_eq!(
        rows[0]["outcome"],
        "1 failed invocation(s) of a target in the minute starting 2026-11-20T14:03:00Z"
    );
    let triggered: Vec<&Value> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "rule_triggered")
        .collect();
    assert!(
        triggered
            .iter()
            .all(|r| r["action"].as_str().unwrap().ends_with("TriggeredRules")),
        "{triggered:#?}"
    );
    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("FailedInvocations above 0 (the minute(s) starting 2026-11-20T14:03:00Z): the rule matched an event but could not invoke one of its targets; the metric does not say which, so the kill-switch or the SNS topic may not have run for it."),
        "{text}"
    );
    assert!(text.contains("target invocation failed"), "{text}");
    assert!(
        text.contains("on the rule's lane, a target the rule could not invoke"),
        "{text}"
    );
}
