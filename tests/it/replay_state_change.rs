//! Flow 2's rule state at each read, not only as collected: with PutRule (`state`), EnableRule
//! or DisableRule records for the rule in the evidence, each honeytoken read is judged by the
//! state the last of them before it set, and its row names that record's eventID (JSON
//! `rule_state_basis`, the replay table, the flow comparison); before the first such record the
//! state is unknown, and so is it after a last one the collected state disagrees with.
//!
//! The records are the EventBridge User Guide's `PutRule` (`eb-logging-monitoring.md`, line 54;
//! tests/data/SOURCES.md) with the rule's name, state, account, time and eventID changed; the
//! DisableRule is the same record renamed, with DisableRule's request (`name` only), as no
//! public DisableRule record is at hand.

use crate::support::*;
use serde_json::{json, Value};
use std::path::Path;

const FIRST: &str = "5ad7fe16-471c-489f-908c-61b0d4864cbb";
const SECOND: &str = "85a157a1-d87c-40ec-9c47-7bf1faabd1f2";
const RULE: &str = "HoneytokenSecretAccessRule";
const ALL: &str = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

/// The guide's PutRule on the honeytoken rule at `time`, setting `state`; `None`: turned into
/// a DisableRule of the rule.
fn state_call(id: &str, time: &str, state: Option<&str>, pattern: &str) -> Value {
    let mut r = guide_put_rule(id, time, pattern);
    match state {
        Some(s) => r["requestParameters"]["state"] = s.into(),
        None => {
            r["eventName"] = "DisableRule".into();
            r["requestParameters"] = json!({ "name": RULE });
            r["responseElements"] = Value::Null;
        }
    }
    r
}

/// The sample with the rule collected in `collected`, no TriggeredRules (nothing shows the
/// rule firing) and `records` added in a trail file of their own.
fn case_with(dir: &Path, collected: &str, records: Vec<Value>) -> std::path::PathBuf {
    let case = sample_with_rule_state(dir, Some(collected), false);
    add_trail_file(&case, "us-east-1", "ruleState1", records);
    case
}

fn collected_pattern() -> String {
    let rule = read_json(
        &repo().join("samples/incident-01/events/describe-rule-HoneytokenSecretAccessRule.json"),
    );
    rule["EventPattern"].as_str().unwrap().to_string()
}

fn rows(doc: &Value) -> (Value, Value) {
    let flow = replay_flow(doc, |f| f["flow"] == "event_rule" && f["resource"] == RULE);
    let row = |id: &str| replay_row(flow, id);
    (row(FIRST), row(SECOND))
}

#[test]
fn a_disable_rule_between_two_reads_misses_the_second_and_names_the_record() {
    // The reads are at 14:02:17 and 14:03:05; the rule was put in the state that receives
    // reads before the first and disabled between them, and is collected DISABLED.
    let pattern = collected_pattern();
    let dir = tempfile::tempdir().unwrap();
    let case = case_with(
        dir.path(),
        "DISABLED",
        vec![
            state_call("putrule-all", "2026-11-20T14:00:00Z", Some(ALL), &pattern),
            state_call("disablerule-1", "2026-11-20T14:02:40Z", None, &pattern),
        ],
    );
    let doc = timeline_of(&case);
    let (first, second) = rows(&doc);
    assert_eq!(first["matched"], true, "{first:#}");
    assert_eq!(first["rule_state"], ALL, "{first:#}");
    assert!(
        first["rule_state_basis"]
            .as_str()
            .unwrap()
            .starts_with("PutRule putrule-all at 2026-11-20T14:00:00Z"),
        "{first:#}"
    );
    assert!(first.get("missed_because").is_none(), "{first:#}");
    assert_eq!(second["matched"], false, "{second:#}");
    assert_eq!(second["rule_state"], "DISABLED", "{second:#}");
    let basis = second["rule_state_basis"].as_str().unwrap();
    assert!(
        basis.starts_with("DisableRule disablerule-1 at 2026-11-20T14:02:40Z (state DISABLED), the last call setting the rule's state before this access"),
        "{basis}"
    );
    let why = second["missed_because"].as_str().unwrap();
    assert!(
        why.contains("was in state DISABLED at this access, as DisableRule disablerule-1"),
        "{why}"
    );
    let missed = of_kind(&doc["incidents"][0]["findings"], "access_missed_by_flow");
    let summary = missed
        .iter()
        .filter_map(|m| m["summary"].as_str())
        .find(|s| s.contains(RULE))
        .unwrap_or_else(|| panic!("{missed:#?}"));
    assert!(summary.contains("matches 1 of the 2"), "{summary}");
    assert!(
        summary.contains(
            "its state at them was DISABLED, as the last call setting it before each set it"
        ),
        "{summary}"
    );
    let said = doc["replay"]["assumptions"].to_string();
    assert!(
        said.contains("each access is judged by the state the last of them before it set"),
        "{said}"
    );

    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("rule state DISABLED: DisableRule disablerule-1"),
        "{text}"
    );
    assert!(
        text.contains("state set by DisableRule disablerule-1"),
        "{text}"
    );
}

#[test]
fn before_the_first_state_call_or_against_the_collected_state_it_is_unknown() {
    // Only the DisableRule between the reads, and the rule collected in the state that receives
    // reads: the first read's state is not in the evidence, and a call not in the evidence
    // enabled the rule again after the DisableRule, before or after the second read.
    let pattern = collected_pattern();
    let dir = tempfile::tempdir().unwrap();
    let case = case_with(
        dir.path(),
        ALL,
        vec![state_call(
            "disablerule-1",
            "2026-11-20T14:02:40Z",
            None,
            &pattern,
        )],
    );
    let doc = timeline_of(&case);
    let (first, second) = rows(&doc);
    for row in [&first, &second] {
        assert_eq!(row["matched"], true, "{row:#}");
        assert!(row.get("rule_state").is_none(), "{row:#}");
        assert!(row.get("missed_because").is_none(), "{row:#}");
        let note = row["note"].as_str().unwrap();
        assert!(
            note.contains("is unknown: its state at the access is unknown"),
            "{note}"
        );
    }
    let basis = first["rule_state_basis"].as_str().unwrap();
    assert!(
        basis.contains("the first call setting the rule's state in the evidence (DisableRule disablerule-1 at 2026-11-20T14:02:40Z (state DISABLED)) is after this access"),
        "{basis}"
    );
    let basis = second["rule_state_basis"].as_str().unwrap();
    assert!(
        basis.contains(&format!("but its state as collected is {ALL}: a call not in the evidence changed it after that one")),
        "{basis}"
    );
}

/// A rule is named within its region, account and bus: a DisableRule of a same-named rule in
/// another region (a multi-region trail records it) or on another bus was taken for the
/// honeytoken rule's, and its reads judged as made to a disabled rule. Only the calls in the
/// collected rule's region, account and bus (its ARN) count.
#[test]
fn a_same_named_rule_elsewhere_does_not_set_the_state() {
    let pattern = collected_pattern();
    let dir = tempfile::tempdir().unwrap();
    let mut other_region = state_call("disablerule-west", "2026-11-20T14:02:40Z", None, &pattern);
    other_region["awsRegion"] = "us-west-2".into();
    let mut other_bus = state_call("disablerule-bus", "2026-11-20T14:02:41Z", None, &pattern);
    other_bus["requestParameters"]["eventBusName"] = "ops-bus".into();
    let mut other_account = state_call("disablerule-acct", "2026-11-20T14:02:42Z", None, &pattern);
    other_account["recipientAccountId"] = "210987654321".into();
    let case = case_with(
        dir.path(),
        ALL,
        vec![
            state_call("putrule-all", "2026-11-20T14:00:00Z", Some(ALL), &pattern),
            other_region,
            other_bus,
            other_account,
        ],
    );
    let doc = timeline_of(&case);
    let (first, second) = rows(&doc);
    for row in [&first, &second] {
        assert_eq!(row["matched"], true, "{row:#}");
        assert_eq!(row["rule_state"], ALL, "{row:#}");
        let basis = row["rule_state_basis"].as_str().unwrap();
        assert!(basis.starts_with("PutRule putrule-all"), "{basis}");
        assert!(row.get("missed_because").is_none(), "{row:#}");
    }
}
