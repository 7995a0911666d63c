//! Flow 2's rule state: a rule in state ENABLED is not delivered read-only management events
//! sent through CloudTrail (GetSecretValue is one); only one in state
//! ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is (EventBridge User Guide, "Receiving read-only
//! management events from AWS services"). The replay on the sample's two reads: missed when the
//! collected state is ENABLED and nothing shows the rule firing; told, not denied, when the
//! evidence shows it firing; unknown without a state; delivered in the state that receives them.
//! A rule in state DISABLED is matched against no event: missed, or, when the evidence shows it
//! firing, its state must have changed.

use crate::support;

use serde_json::{json, Value};
use support::*;

const GUIDE: &str = "Receiving read-only management events from AWS services";

fn flow2(doc: &Value) -> Value {
    replay_flow(doc, |f| {
        f["flow"] == "event_rule" && f["resource"] == "HoneytokenSecretAccessRule"
    })
    .clone()
}

/// The summary of the incident's `access_missed_by_flow` finding on the flow-2 rule.
fn rule_missed_summary(doc: &Value) -> String {
    let missed = of_kind(&doc["incidents"][0]["findings"], "access_missed_by_flow");
    missed
        .iter()
        .filter_map(|m| m["summary"].as_str())
        .find(|s| s.contains("HoneytokenSecretAccessRule"))
        .unwrap_or_else(|| panic!("{missed:#?}"))
        .to_string()
}

#[test]
fn an_enabled_rule_misses_the_reads_and_the_case_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_with_rule_state(dir.path(), Some("ENABLED"), false);
    let doc = timeline_of(&case);
    let f = flow2(&doc);
    assert_eq!(f["missed_total"], 2, "{f:#}");
    assert_eq!(f["matched_total"], 0, "{f:#}");
    for a in f["accesses"].as_array().unwrap() {
        assert_eq!(a["matched"], false);
        assert_eq!(a["predicted"], Value::Null);
        let why = a["missed_because"].as_str().unwrap();
        assert!(why.contains("collected state is ENABLED"), "{why}");
        assert!(why.contains(GUIDE), "{why}");
        assert!(why.contains("though its pattern matches the read"), "{why}");
        assert!(
            why.contains("no call setting the rule's state is in the evidence"),
            "{why}"
        );
    }
    let missed = of_kind(&doc["incidents"][0]["findings"], "access_missed_by_flow");
    let finding = missed
        .iter()
        .find(|m| {
            m["summary"]
                .as_str()
                .unwrap()
                .contains("HoneytokenSecretAccessRule")
        })
        .unwrap_or_else(|| panic!("{missed:#?}"));
    let summary = finding["summary"].as_str().unwrap();
    assert!(
        summary.contains("its pattern matches 2 of the 2"),
        "{summary}"
    );
    assert!(summary.contains("collected state is ENABLED"), "{summary}");
    assert!(
        summary.contains("--state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
        "{summary}"
    );
    assert_eq!(finding["severity"], "high");
    let out = tempfile::tempdir().unwrap();
    let text = report_text(out.path(), &case);
    assert!(
        text.contains("rule HoneytokenSecretAccessRule's collected state is ENABLED"),
        "{text}"
    );
    assert!(
        text.contains("so it could not have fired for them"),
        "{text}"
    );
}

#[test]
fn an_enabled_rule_the_evidence_shows_firing_is_told_not_denied() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_with_rule_state(dir.path(), Some("ENABLED"), true);
    let doc = timeline_of(&case);
    let f = flow2(&doc);
    assert_eq!(f["matched_total"], 2, "{f:#}");
    for a in f["accesses"].as_array().unwrap() {
        assert!(a["actual"].is_string(), "{a:#}");
        assert!(a.get("missed_because").is_none(), "{a:#}");
        let note = a["note"].as_str().unwrap();
        assert!(
            note.contains(
                "the evidence shows rule HoneytokenSecretAccessRule firing after this read"
            ),
            "{note}"
        );
        assert!(
            note.contains("its state may have changed between the read and the collection"),
            "{note}"
        );
        assert!(note.contains(GUIDE), "{note}");
    }
    let out = tempfile::tempdir().unwrap();
    let text = report_text(out.path(), &case);
    assert!(
        text.contains("yet the evidence shows it firing after the read(s)"),
        "{text}"
    );
}

#[test]
fn without_a_state_delivery_is_unknown_and_in_the_right_state_it_is_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let doc = timeline_of(&sample_with_rule_state(dir.path(), None, false));
    for a in flow2(&doc)["accesses"].as_array().unwrap() {
        let note = a["note"].as_str().unwrap();
        assert!(
            note.contains("is unknown: its State is not in the evidence"),
            "{note}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let doc = timeline_of(&sample_with_rule_state(
        dir.path(),
        Some("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
        true,
    ));
    let f = flow2(&doc);
    assert_eq!(f["matched_total"], 2, "{f:#}");
    for a in f["accesses"].as_array().unwrap() {
        assert_eq!(a["note"], Value::Null, "{a:#}");
        assert!(a.get("missed_because").is_none(), "{a:#}");
    }
}

#[test]
fn the_sample_rule_is_in_the_state_that_receives_the_reads() {
    let sample = repo().join("samples/incident-01");
    let rule = read_json(&sample.join("events/describe-rule-HoneytokenSecretAccessRule.json"));
    assert_eq!(
        rule["State"],
        "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
    );
    let doc = timeline_of(&sample);
    let f = flow2(&doc);
    assert_eq!(f["matched_total"], 2, "{f:#}");
    for a in f["accesses"].as_array().unwrap() {
        assert_eq!(a["note"], Value::Null, "{a:#}");
        assert!(a["actual"].is_string(), "{a:#}");
    }
    // The assumption that flow 2 fires at the event time names the state it holds in.
    let said = doc["replay"]["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|a| a.starts_with("flow 2:"))
        .unwrap()
        .to_string();
    for part in [
        "only in a state that receives it",
        "a read-only management event such as GetSecretValue only in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
        "no event in state DISABLED",
        "assumed to reach the rule within seconds",
    ] {
        assert!(said.contains(part), "{part} in {said}");
    }
    // Its posture result reads as `trailcase posture` words a pass today (samplegen writes it):
    // the rule's state, not "is enabled".
    let posture = read_json(&sample.join("posture/posture.json"));
    let reason = posture_check(&posture, "flow2.rule")["reason"].clone();
    assert_eq!(
        reason,
        "rule HoneytokenSecretAccessRule is ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS and catches the honeytoken by name and by ARN, not other secrets"
    );
    assert!(!posture.to_string().contains("is enabled and matches"));
    // The sample stays verifiable: its manifest hashes the changed rule files.
    let run = trailcase(["verify", "--quiet", sample.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_read_not_named_get_is_unknown_for_an_enabled_rule() {
    // BatchGetSecretValue is read-only but not named Describe/Get/List: the guide says such
    // events may reach a rule in state ENABLED, and which do not is on a page not in the
    // evidence. The sample's reads renamed so, with a pattern on that name.
    let dir = tempfile::tempdir().unwrap();
    let case = sample_with_rule_state(dir.path(), Some("ENABLED"), false);
    let changed = alter_records(&case, |r| {
        if r["eventName"] == "GetSecretValue"
            && r["requestParameters"]["secretId"]
                .as_str()
                .is_some_and(|s| s.contains("Production_Database_Credentials"))
        {
            r["eventName"] = json!("BatchGetSecretValue");
        }
        true
    });
    assert!(changed > 0);
    for file in [
        "events/describe-rule-HoneytokenSecretAccessRule.json",
        "events/rules.json",
    ] {
        let path = case.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace(
                "[\\\"GetSecretValue\\\"]",
                "[\\\"GetSecretValue\\\",\\\"BatchGetSecretValue\\\"]",
            ),
        )
        .unwrap();
    }
    let doc = timeline_of(&case);
    let f = flow2(&doc);
    let rows: Vec<&Value> = f["accesses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["matched"] == true)
        .collect();
    assert!(!rows.is_empty(), "{f:#}");
    for a in rows {
        let note = a["note"].as_str().unwrap();
        assert!(note.contains("is unknown"), "{note}");
        assert!(
            note.contains("do not start with Describe, Get or List"),
            "{note}"
        );
    }
}

#[test]
fn a_disabled_rule_misses_the_reads_and_is_never_told_as_matching() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_with_rule_state(dir.path(), Some("DISABLED"), false);
    let doc = timeline_of(&case);
    let f = flow2(&doc);
    assert_eq!(f["matched_total"], 0, "{f:#}");
    assert_eq!(f["missed_total"], 2, "{f:#}");
    for a in f["accesses"].as_array().unwrap() {
        assert_eq!(a["matched"], false, "{a:#}");
        assert_eq!(a["predicted"], Value::Null, "{a:#}");
        assert_eq!(a["rule_state"], "DISABLED", "{a:#}");
        let why = a["missed_because"].as_str().unwrap();
        for part in [
            "collected state is DISABLED, in which EventBridge matches no event against the rule",
            "so it could not have fired for this read",
            "no call setting the rule's state is in the evidence",
        ] {
            assert!(why.contains(part), "{part} in {why}");
        }
    }
    let summary = rule_missed_summary(&doc);
    assert!(
        summary.contains("its collected state is DISABLED"),
        "{summary}"
    );
    assert!(
        summary.contains("this flow would not have fired for the incident"),
        "{summary}"
    );
    assert!(!summary.contains("state ENABLED does not"), "{summary}");
    let out = tempfile::tempdir().unwrap();
    let text = report_text(out.path(), &case);
    assert!(
        text.contains("rule HoneytokenSecretAccessRule's collected state is DISABLED"),
        "{text}"
    );
}

#[test]
fn a_disabled_rule_the_evidence_shows_firing_must_have_changed_state() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_with_rule_state(dir.path(), Some("DISABLED"), true);
    let doc = timeline_of(&case);
    for a in flow2(&doc)["accesses"].as_array().unwrap() {
        assert!(a["actual"].is_string(), "{a:#}");
        let note = a["note"].as_str().unwrap();
        for part in [
            "the evidence shows rule HoneytokenSecretAccessRule firing after this read",
            "its collected state is DISABLED",
            "its state must have changed between the read and the collection",
            "no call setting the rule's state is in the evidence",
        ] {
            assert!(note.contains(part), "{part} in {note}");
        }
    }
    let out = tempfile::tempdir().unwrap();
    let text = report_text(out.path(), &case);
    assert!(
        text.contains("yet the evidence shows it firing after the access(es)"),
        "{text}"
    );
}

/// With a single flow-2 rule, a TriggeredRules series that does not name it (labelled
/// "TriggeredRules" only, as a CLI export without a label of one's own) was taken for its
/// firing, and a disabled rule's reads told as "fired anyway". Only evidence naming the rule
/// says it fired: the reads are missed, and the row says what the series shows and that it is
/// not this rule's firing.
#[test]
fn a_firing_the_evidence_does_not_name_the_rule_in_is_not_taken_for_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_with_rule_state(dir.path(), Some("DISABLED"), true);
    label_triggered_rules(&case, "TriggeredRules");
    let doc = timeline_of(&case);
    let f = flow2(&doc);
    assert_eq!(f["missed_total"], 2, "{f:#}");
    for a in f["accesses"].as_array().unwrap() {
        assert_eq!(a["matched"], false, "{a:#}");
        assert!(a["note"].is_null(), "{a:#}");
        let why = a["missed_because"].as_str().unwrap();
        for part in [
            "collected state is DISABLED",
            "; AWS/Events TriggeredRules series \"TriggeredRules\", which names no flow-2 rule (the account's rules together, or another rule): 1 in the minute starting 2026-11-20T14:0",
            ": not evidence that rule HoneytokenSecretAccessRule fired",
        ] {
            assert!(why.contains(part), "{part} in {why}");
        }
    }
    let summary = rule_missed_summary(&doc);
    assert!(
        summary.contains("nothing in the evidence that names the rule shows it firing for them"),
        "{summary}"
    );
    let out = tempfile::tempdir().unwrap();
    let text = report_text(out.path(), &case);
    assert!(!text.contains("yet the evidence shows it firing"), "{text}");
}
