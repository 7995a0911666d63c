//! EventBridge delivers each kind of CloudTrail record under its own `detail-type` (the
//! EventBridge User Guide, "AWS service events delivered via AWS CloudTrail"): a console sign-in
//! is not an "AWS API Call via CloudTrail". Flow 2's replay wraps each record as EventBridge
//! would, so a rule on sign-ins matches a `ConsoleLogin` and a rule on API calls does not.
//!
//! The sign-in is the CloudTrail User Guide's `ConsoleLogin` (tests/data/signin, line 66); the
//! network activity event (`AwsVpceEvent`, "AWS Network Activity Event via CloudTrail", which was
//! wrapped as an API call) is panther-analysis's (tests/data/shared/SOURCES.md).

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

const SIGN_IN: &str = "fed06f42-cb12-4764-8c69-121063dc79b9";

fn sign_in() -> Value {
    let sign_in: Value =
        read_json(&repo().join(
            "tests/data/signin/cloudtrail-event-reference-aws-console-sign-in-events-L66.json",
        ));
    assert_eq!(sign_in["eventID"], SIGN_IN);
    sign_in
}

fn network_activity() -> Value {
    let lines = std::fs::read_to_string(
        shared_data().join("cloudtrail/panther-analysis/panther_rule_tests.jsonl"),
    )
    .unwrap();
    lines
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["eventType"] == "AwsVpceEvent")
        .expect("a network activity event")
}

fn case(dir: &Path, record: Value, source: &str, detail_type: &str) {
    let name = record["eventName"].clone();
    std::fs::write(
        dir.join("trail.json"),
        json!({ "Records": [record] }).to_string(),
    )
    .unwrap();
    // The rule names no honeytoken: it is flow 2's by the configuration.
    std::fs::write(
        dir.join("trailcase.toml"),
        "[detection]\nrules = [\"SignInRule\"]\n",
    )
    .unwrap();
    let pattern = json!({
        "source": [source],
        "detail-type": [detail_type],
        "detail": {"eventName": [name]}
    });
    std::fs::write(
        dir.join("rules.json"),
        json!({"Rules": [{
            "Name": "SignInRule", "Arn": "arn:aws:events:us-east-1:111122223333:rule/SignInRule",
            "EventPattern": pattern.to_string(), "State": "ENABLED", "EventBusName": "default"}]})
        .to_string(),
    )
    .unwrap();
}

fn event_rule(record: Value, source: &str, detail_type: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path(), record, source, detail_type);
    let doc = timeline_of(dir.path());
    doc["replay"]["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["flow"] == "event_rule")
        .unwrap_or_else(|| panic!("no event_rule flow in {}", doc["replay"]))
        .clone()
}

#[test]
fn a_rule_on_console_sign_ins_matches_a_console_login_and_one_on_api_calls_does_not() {
    let sign_ins = event_rule(
        sign_in(),
        "aws.signin",
        "AWS Console Sign In via CloudTrail",
    );
    assert_eq!(sign_ins["matches"], 1, "{sign_ins:#}");
    let api_calls = event_rule(sign_in(), "aws.signin", "AWS API Call via CloudTrail");
    assert_eq!(api_calls["matches"], 0, "{api_calls:#}");
}

#[test]
fn a_rule_on_network_activity_matches_a_vpc_endpoint_event_and_one_on_api_calls_does_not() {
    let detail_type = "AWS Network Activity Event via CloudTrail";
    let network = event_rule(network_activity(), "aws.s3", detail_type);
    assert_eq!(network["matches"], 1, "{network:#}");
    let api_calls = event_rule(network_activity(), "aws.s3", "AWS API Call via CloudTrail");
    assert_eq!(api_calls["matches"], 0, "{api_calls:#}");
}
