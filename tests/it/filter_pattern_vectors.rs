//! Runs the CloudWatch Logs filter-pattern cases under `tests/data/shared/cloudwatch-logs-filter-patterns/`: the
//! doc-stated pattern/message/expected cases, the syntax-only doc examples (must parse), and the 19 real
//! CloudTrail metric-filter patterns (must parse, and are exercised on sample records).
//!
//! A case we believe differs for a stated reason goes in `KNOWN_DIFFERENCES`; the test fails if a listed case
//! starts passing or an unlisted one fails.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use trailcase::rules::filter_pattern::FilterPattern;

/// (case id, why our outcome differs from the documented one).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shared/cloudwatch-logs-filter-patterns")
}

fn read_json(name: &str) -> Value {
    serde_json::from_str(&fs::read_to_string(data().join(name)).unwrap()).unwrap()
}

/// (id, outcome problem or None).
fn outcomes() -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let doc = read_json("awsdocs_filter_pattern_cases.json");
    for (i, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        let pattern = case["pattern"].as_str().unwrap();
        let message = case["message"].as_str().unwrap();
        let expected = case["expected_match"].as_bool().unwrap();
        let id = format!("case {i}: {pattern}");
        let problem = match FilterPattern::parse(pattern) {
            Err(e) => Some(format!("does not parse: {e}")),
            Ok(p) => {
                let got = p.matches_message(message);
                (got != expected)
                    .then(|| format!("matched={got}, documented {expected} for {message:?}"))
            }
        };
        out.push((id, problem));
    }
    for case in doc["syntax_only_examples"].as_array().unwrap() {
        let pattern = case["pattern"].as_str().unwrap();
        let problem = FilterPattern::parse(pattern)
            .err()
            .map(|e| format!("does not parse: {e}"));
        out.push((format!("syntax: {pattern}"), problem));
    }
    let real = read_json("cloudtrail_metric_filter_patterns.json");
    let patterns = real["patterns"].as_array().unwrap();
    assert_eq!(patterns.len(), 19);
    for case in patterns {
        let pattern = case["pattern"].as_str().unwrap();
        let problem = FilterPattern::parse(pattern)
            .err()
            .map(|e| format!("does not parse: {e}"));
        out.push((format!("cloudtrail: {pattern}"), problem));
    }
    out
}

#[test]
fn every_filter_pattern_vector() {
    let known: BTreeMap<&str, &str> = KNOWN_DIFFERENCES.iter().copied().collect();
    let cases = outcomes();
    let (mut passed, mut listed, mut failures) = (0, 0, Vec::new());
    for (id, problem) in &cases {
        match (problem, known.get(id.as_str())) {
            (None, None) => passed += 1,
            (None, Some(_)) => {
                failures.push(format!("{id}: listed as a known difference but passes"))
            }
            (Some(_), Some(_)) => listed += 1,
            (Some(p), None) => failures.push(format!("{id}: {p}")),
        }
    }
    for id in known.keys() {
        if !cases.iter().any(|(c, _)| c == id) {
            failures.push(format!(
                "{id}: listed as a known difference but no such case"
            ));
        }
    }
    println!(
        "filter pattern vectors: {passed} passed, {listed} listed as known differences, {} in all",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} failing vectors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The real CIS / Security Hub patterns on records they are written to catch, and on ones they must not.
#[test]
fn cloudtrail_metric_filters_on_records() {
    let root = FilterPattern::parse(
        r#"{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}"#,
    )
    .unwrap();
    assert!(
        root.matches_json(&json!({"userIdentity": {"type": "Root"}, "eventType": "AwsApiCall"}))
    );
    assert!(!root.matches_json(
        &json!({"userIdentity": {"type": "Root", "invokedBy": "s3.amazonaws.com"},
        "eventType": "AwsApiCall"})
    ));
    assert!(!root
        .matches_json(&json!({"userIdentity": {"type": "IAMUser"}, "eventType": "AwsApiCall"})));

    let unauthorized = FilterPattern::parse(
        r#"{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}"#,
    )
    .unwrap();
    assert!(unauthorized.matches_json(&json!({"errorCode": "Client.UnauthorizedOperation"})));
    assert!(unauthorized.matches_json(&json!({"errorCode": "AccessDeniedException"})));
    assert!(!unauthorized.matches_json(&json!({"errorCode": "ThrottlingException"})));
    assert!(!unauthorized.matches_json(&json!({"eventName": "GetObject"})));

    let kms = FilterPattern::parse(
        "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",
    )
    .unwrap();
    assert!(kms.matches_message(
        r#"{"eventSource":"kms.amazonaws.com","eventName":"ScheduleKeyDeletion"}"#
    ));
    assert!(!kms.matches_message(r#"{"eventSource":"kms.amazonaws.com","eventName":"Decrypt"}"#));
    assert!(!kms.matches_message("eventSource=kms.amazonaws.com eventName=DisableKey"));
}

/// Truncating every vector pattern at every byte must give an error or a pattern, never a panic.
#[test]
fn parse_never_panics_on_truncated_or_mangled_vectors() {
    let doc = read_json("awsdocs_filter_pattern_cases.json");
    let real = read_json("cloudtrail_metric_filter_patterns.json");
    let patterns: Vec<&str> = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .chain(doc["syntax_only_examples"].as_array().unwrap())
        .chain(real["patterns"].as_array().unwrap())
        .map(|c| c["pattern"].as_str().unwrap())
        .collect();
    let record = json!({"a": [1, {"b": null}], "eventName": "x"});
    for pattern in patterns {
        for (end, _) in pattern.char_indices().chain([(pattern.len(), ' ')]) {
            if let Ok(p) = FilterPattern::parse(&pattern[..end]) {
                let _ = p.matches_json(&record);
                let _ = p.matches_message("x y [z] \"w\"");
            }
        }
        for (i, c) in pattern.char_indices() {
            for replacement in [
                "", "(", ")", "\"", "$", "$.", "[", "]", "&&", "||", "...", "é",
            ] {
                let mut mangled = pattern.to_string();
                mangled.replace_range(i..i + c.len_utf8(), replacement);
                if let Ok(p) = FilterPattern::parse(&mangled) {
                    let _ = p.matches_json(&record);
                    let _ = p.matches_message("x \"y");
                }
            }
        }
    }
}
