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
    replay_flow(&doc, |f| f["flow"] == "event_rule").clone()
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

/// airbnb/streamalert's Insights record (tests/data/SOURCES.md), as a trail file holds it.
fn insight() -> Value {
    let tests = read_json(&repo().join("tests/data/streamalert/cloudtrail_insights.json"));
    let record = tests[0]["data"]["Records"][0].clone();
    assert_eq!(record["eventType"], "AwsCloudTrailInsight");
    record
}

fn insight_rule(dir: &Path, pattern: &Value) -> Value {
    std::fs::write(
        dir.join("trail.json"),
        json!({ "Records": [insight()] }).to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join("trailcase.toml"),
        "[detection]\nrules = [\"InsightRule\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("rules.json"),
        json!({"Rules": [{
            "Name": "InsightRule", "Arn": "arn:aws:events:eu-central-1:246337027688:rule/InsightRule",
            "EventPattern": pattern.to_string(), "State": "ENABLED", "EventBusName": "default"}]})
        .to_string(),
    )
    .unwrap();
    timeline_of(dir)["replay"].clone()
}

/// No AWS document gives the `source` of an Insights event on the bus (the EventBridge User
/// Guide gives its detail-type only; the record has no top-level `eventSource`). The replay
/// wrapped it with the made-up `source` "aws.", which a rule on "aws." matched. A rule that
/// tests `source` is no longer matched against an Insights event, and the replay says so; a
/// rule on the detail-type alone still matches it.
#[test]
fn an_insights_events_source_is_unknown_so_a_rule_on_source_is_not_matched_and_that_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let on_source = json!({"source": ["aws."], "detail-type": ["AWS Insight via CloudTrail"]});
    let replay = insight_rule(dir.path(), &on_source);
    let flow = &replay["flows"][0];
    assert_eq!(flow["matches"], 0, "{flow:#}");
    let said = replay["assumptions"].to_string();
    assert!(
        said.contains("flow 2 (EventBridge rule InsightRule): 1 Insights event record(s) were not matched against it: the rule tests source, and no AWS document gives the source EventBridge delivers an Insights event with"),
        "{said}"
    );

    let dir = tempfile::tempdir().unwrap();
    let on_kind = json!({"detail-type": ["AWS Insight via CloudTrail"]});
    let replay = insight_rule(dir.path(), &on_kind);
    assert_eq!(replay["flows"][0]["matches"], 1, "{replay:#}");
    assert!(
        !replay["assumptions"]
            .to_string()
            .contains("Insights event record(s)"),
        "{replay:#}"
    );

    // `rules replay` says it too, with --quiet: the rows cannot.
    let run = trailcase([
        "rules",
        "replay",
        "--quiet",
        "--event-pattern",
        &on_source.to_string(),
        dir.path().join("trail.json").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "no match: {}", run.stderr);
    assert!(
        run.stderr
            .contains("1 Insights event record(s) not matched: the rule tests source"),
        "{}",
        run.stderr
    );
}

/// The EventBridge User Guide spells the sign-in detail-type "AWS Console Signin via
/// CloudTrail"; the replay wrapped sign-ins as "AWS Console Sign In via CloudTrail" only, so a
/// rule written as the User Guide spells it matched no sign-in. AWS's Knowledge Center spells
/// it "Sign In", and the evidence does not show which EventBridge delivers: a rule written
/// either way matches the User Guide's `ConsoleLogin`, and the replay says when it matched by
/// the Knowledge Center's spelling.
#[test]
fn a_rule_on_sign_ins_matches_with_either_spelling_aws_has_written_and_says_which() {
    let replay_of = |detail_type: &str| {
        let dir = tempfile::tempdir().unwrap();
        case(dir.path(), sign_in(), "aws.signin", detail_type);
        timeline_of(dir.path())["replay"].clone()
    };
    let guide = replay_of("AWS Console Signin via CloudTrail");
    assert_eq!(guide["flows"][0]["matches"], 1, "{guide:#}");
    assert!(
        !guide["assumptions"]
            .to_string()
            .contains("console sign-in record(s)"),
        "{guide:#}"
    );
    let knowledge_center = replay_of("AWS Console Sign In via CloudTrail");
    assert_eq!(knowledge_center["flows"][0]["matches"], 1);
    let said = knowledge_center["assumptions"].to_string();
    assert!(
        said.contains("flow 2 (EventBridge rule SignInRule): 1 console sign-in record(s) matched by its detail-type \\\"AWS Console Sign In via CloudTrail\\\", as AWS's Knowledge Center spells it; the EventBridge User Guide"),
        "{said}"
    );

    // `rules replay` says it on stderr, even with --quiet.
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        sign_in(),
        "aws.signin",
        "AWS Console Sign In via CloudTrail",
    );
    let pattern = json!({"detail-type": ["AWS Console Sign In via CloudTrail"]});
    let run = trailcase([
        "rules",
        "replay",
        "--quiet",
        "--event-pattern",
        &pattern.to_string(),
        dir.path().join("trail.json").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.text().contains(SIGN_IN), "{}", run.text());
    assert!(
        run.stderr.contains("1 console sign-in record(s) matched by the detail-type \"AWS Console Sign In via CloudTrail\""),
        "{}",
        run.stderr
    );
}

/// `rules test` on a bare sign-in record wraps it as the replay does: a rule written with
/// either spelling AWS has used matches, and the Knowledge Center's is said on stderr.
#[test]
fn rules_test_matches_a_sign_in_with_either_spelling_as_the_replay_does() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("signin.json");
    std::fs::write(&record, sign_in().to_string()).unwrap();
    for (detail_type, said) in [
        ("AWS Console Signin via CloudTrail", false),
        ("AWS Console Sign In via CloudTrail", true),
    ] {
        let pattern = json!({"detail-type": [detail_type]});
        let run = trailcase([
            "rules",
            "test",
            "--event-pattern",
            &pattern.to_string(),
            "--event",
            record.to_str().unwrap(),
        ]);
        assert_eq!(
            (run.code, run.text().trim()),
            (0, "match"),
            "{detail_type}: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr.contains("as AWS's Knowledge Center spells it"),
            said,
            "{detail_type}: {}",
            run.stderr
        );
    }
}
