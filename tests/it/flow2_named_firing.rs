//! One standard for "the rule fired": only an AWS/Events TriggeredRules series that names the
//! flow-2 rule (its `RuleName`) says it fired, for the incident's `flow2_triggered` milestone as
//! for the replay's "fired anyway". The sample's series is labelled as `trailcase collect`
//! labels it (`HoneytokenSecretAccessRule TriggeredRules`); relabelled "TriggeredRules" alone (a
//! CLI export without a label of one's own) it names no rule. Both claims are checked here on
//! one evidence set, with the series unnamed and then named.

use crate::support;

use serde_json::Value;
use std::path::Path;
use support::*;

const RULE: &str = "HoneytokenSecretAccessRule";

fn flow2_rows(doc: &Value) -> Vec<Value> {
    replay_flow(doc, |f| f["flow"] == "event_rule" && f["resource"] == RULE)["accesses"]
        .as_array()
        .unwrap()
        .clone()
}

fn flow2_unknowns(doc: &Value) -> Vec<String> {
    doc["incidents"][0]["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u.as_str())
        .filter(|u| u.starts_with("flow2_triggered"))
        .map(str::to_owned)
        .collect()
}

/// The sample with its rule DISABLED and its TriggeredRules series (by its Id) labelled `label`.
fn case(dir: &Path, label: &str) -> std::path::PathBuf {
    let case = sample_with_rule_state(dir, Some("DISABLED"), true);
    label_triggered_rules(&case, label);
    case
}

/// Unnamed: the replay says the disabled rule missed the reads, and the milestone no longer
/// says the rule fired in the series' minute: it rests on the kill-switch's first call, and
/// says why the series is not taken.
#[test]
fn an_unnamed_series_is_neither_the_replays_firing_nor_the_milestones() {
    let dir = tempfile::tempdir().unwrap();
    let doc = timeline_of(&case(dir.path(), "TriggeredRules"));
    // Each read's own minute (14:02:17 and 14:03:05), said as what the series is.
    for (a, minute) in flow2_rows(&doc).iter().zip(["14:02", "14:03"]) {
        assert_eq!(a["matched"], false, "{a:#}");
        assert!(a["note"].is_null(), "{a:#}");
        assert!(
            a["actual"].is_null() && a["delay_seconds"].is_null(),
            "{a:#}"
        );
        let why = a["missed_because"].as_str().unwrap();
        assert!(
            why.contains(&format!("; AWS/Events TriggeredRules series \"TriggeredRules\", which names no flow-2 rule (the account's rules together, or another rule): 1 in the minute starting 2026-11-20T{minute}:00Z: not evidence that rule {RULE} fired")),
            "{why}"
        );
    }
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow2_triggered"], "2026-11-20T14:02:46Z", "{m:#}");
    let evidence = m["flow2_evidence"].as_str().unwrap();
    assert!(
        evidence.starts_with("the kill-switch's first call after the read; the AWS/Events"),
        "{evidence}"
    );
    assert!(
        !evidence.contains("in which AWS/Events TriggeredRules > 0"),
        "{evidence}"
    );
    assert!(
        evidence.contains(&format!("\"TriggeredRules\" shows a rule firing in the minute starting 2026-11-20T14:02:00Z, but it does not name rule {RULE} (no RuleName in its label or id), so it is not evidence that the rule fired")),
        "{evidence}"
    );
    let unknowns = flow2_unknowns(&doc);
    assert_eq!(unknowns.len(), 1, "{unknowns:?}");
    assert!(
        unknowns[0].ends_with("inferred from the kill-switch"),
        "{unknowns:?}"
    );
}

/// Named: both take it, the replay as "fired anyway" for the disabled rule, the milestone as
/// the TriggeredRules minute (narrowed by the kill-switch's call in it).
#[test]
fn a_series_naming_the_rule_is_both_the_replays_firing_and_the_milestones() {
    let dir = tempfile::tempdir().unwrap();
    let doc = timeline_of(&case(dir.path(), &format!("{RULE} TriggeredRules")));
    let rows = flow2_rows(&doc);
    // "Fired anyway": the disabled rule's reads have a note that the rule fired after them.
    assert!(
        rows.iter().any(
            |a| a["note"].as_str().is_some_and(|n| n.starts_with(&format!(
                "the evidence shows rule {RULE} firing after this read"
            )))
        ),
        "{rows:#?}"
    );
    let m = &doc["incidents"][0]["milestones"];
    assert_eq!(m["flow2_triggered"], "2026-11-20T14:02:46Z", "{m:#}");
    assert!(
        m["flow2_evidence"]
            .as_str()
            .unwrap()
            .ends_with("inside the minute starting 2026-11-20T14:02:00Z in which AWS/Events TriggeredRules > 0"),
        "{m:#}"
    );
    assert_eq!(flow2_unknowns(&doc), Vec::<String>::new());
}

/// Unnamed and no kill-switch call: the milestone is unknown, says why, and the flow counts as
/// not examined (the report states no miss on it as if the evidence could show one).
#[test]
fn an_unnamed_series_without_a_kill_switch_call_leaves_the_milestone_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let case = case(dir.path(), "TriggeredRules");
    let dropped = alter_records(&case, |r| {
        !r["userIdentity"]["arn"]
            .as_str()
            .is_some_and(|a| a.contains("HoneytokenKillSwitchRole"))
    });
    assert!(dropped > 0);
    let doc = timeline_of(&case);
    let m = &doc["incidents"][0]["milestones"];
    assert!(m["flow2_triggered"].is_null(), "{m:#}");
    let unknowns = flow2_unknowns(&doc);
    assert_eq!(unknowns.len(), 1, "{unknowns:?}");
    assert!(
        unknowns[0].starts_with(&format!("flow2_triggered: no AWS/Events TriggeredRules series in the evidence names rule {RULE}: ")),
        "{unknowns:?}"
    );
    assert!(
        unknowns[0].ends_with("and no kill-switch call is in the evidence"),
        "{unknowns:?}"
    );
}
