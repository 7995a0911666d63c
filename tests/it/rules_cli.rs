//! `trailcase rules test` and `trailcase rules replay`: verdicts, exit codes (0 match, 1 no match,
//! 2 invalid pattern with AWS's reason), wrapping of bare CloudTrail records, plain-text messages
//! for filter patterns, and replay over the sample case.

use crate::support;

use serde_json::json;
use std::path::Path;
use support::*;

const RULE_FILE: &str = "samples/incident-01/events/describe-rule-HoneytokenSecretAccessRule.json";
const ACCESS: &str = "5ad7fe16-471c-489f-908c-61b0d4864cbb";
const DENIED: &str = "85a157a1-d87c-40ec-9c47-7bf1faabd1f2";

fn secret_read() -> serde_json::Value {
    json!({
        "eventVersion": "1.08", "eventTime": "2026-11-20T14:02:17Z", "eventID": "e1",
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
        "eventType": "AwsApiCall", "awsRegion": "us-east-1", "recipientAccountId": "123456789012",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/svc"},
        "requestParameters": {"secretId": "Production_Database_Credentials"}
    })
}

fn write_json(dir: &Path, name: &str, v: &serde_json::Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec_pretty(v).unwrap()).unwrap();
    p.to_str().unwrap().to_string()
}

/// `trailcase rules test --event-pattern PATTERN --event EVENT EXTRA...`.
fn rules_test(pattern: &str, event: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "rules",
        "test",
        "--event-pattern",
        pattern,
        "--event",
        event,
    ];
    args.extend(extra);
    trailcase(args)
}

/// What a user sees of a `rules test`: its exit code and its one line.
fn said(run: &Run) -> (i32, &str) {
    (run.code, std::str::from_utf8(&run.stdout).unwrap())
}

#[test]
fn a_bare_record_is_wrapped_as_eventbridge_would() {
    let dir = tempfile::tempdir().unwrap();
    let event = write_json(dir.path(), "record.json", &secret_read());
    let pattern = r#"{"source": ["aws.secretsmanager"], "detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventName": ["GetSecretValue"]}}"#;
    let run = rules_test(pattern, &event, &[]);
    assert_eq!(said(&run), (0, "match\n"), "{}", run.stderr);
    // The sample's own rule, from its describe-rule output, matches the record too.
    let run = rules_test(RULE_FILE, &event, &[]);
    assert_eq!(said(&run), (0, "match\n"), "{}", run.stderr);
}

#[test]
fn a_full_envelope_is_matched_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let envelope = json!({"version": "0", "id": "x", "detail-type": "GuardDuty Finding",
        "source": "aws.guardduty", "account": "1", "time": "2026-11-20T14:02:17Z",
        "region": "us-east-1", "resources": [], "detail": {"severity": 8}});
    let event = write_json(dir.path(), "event.json", &envelope);
    let hit = r#"{"source": ["aws.guardduty"], "detail": {"severity": [{"numeric": [">=", 7]}]}}"#;
    let run = trailcase(["rules", "test", "--event-pattern", hit, "--event", &event]);
    assert_eq!((run.code, run.text().as_str()), (0, "match\n"));
    let miss = r#"{"source": ["aws.guardduty"], "detail": {"severity": [{"numeric": [">", 8]}]}}"#;
    let run = trailcase(["rules", "test", "--event-pattern", miss, "--event", &event]);
    assert_eq!((run.code, run.text().as_str()), (1, "no match\n"));
}

#[test]
fn no_match_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let event = write_json(dir.path(), "record.json", &secret_read());
    let pattern = r#"{"detail": {"eventName": ["DescribeSecret"]}}"#;
    let run = rules_test(pattern, &event, &[]);
    assert_eq!((run.code, run.text().as_str()), (1, "no match\n"));
}

#[test]
fn an_invalid_pattern_exits_two_with_aws_reason() {
    let dir = tempfile::tempdir().unwrap();
    let event = write_json(dir.path(), "record.json", &secret_read());
    let pattern = r#"{"detail": {"eventName": [{"prefix": 1}]}}"#;
    let run = rules_test(pattern, &event, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("Event pattern is not valid. Reason: prefix match pattern must be a string"),
        "{}",
        run.stderr
    );
    let run = trailcase([
        "rules",
        "test",
        "--filter-pattern",
        "{ $.a = ",
        "--event",
        &event,
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("Invalid metric filter pattern"),
        "{}",
        run.stderr
    );
    let run = trailcase([
        "rules",
        "replay",
        "--event-pattern",
        "{}",
        "samples/incident-01",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("Empty objects are not allowed"),
        "{}",
        run.stderr
    );
}

#[test]
fn filter_patterns_take_any_log_message() {
    let dir = tempfile::tempdir().unwrap();
    let msg = dir.path().join("message.txt");
    std::fs::write(&msg, "2026-11-20 ERROR payment failed for order 42\n").unwrap();
    let msg = msg.to_str().unwrap();
    let run = trailcase([
        "rules",
        "test",
        "--filter-pattern",
        "ERROR -WARN",
        "--event",
        msg,
    ]);
    assert_eq!((run.code, run.text().as_str()), (0, "match\n"));
    let run = trailcase([
        "rules",
        "test",
        "--filter-pattern",
        "\"order 43\"",
        "--event",
        msg,
    ]);
    assert_eq!((run.code, run.text().as_str()), (1, "no match\n"));
    // A JSON pattern never matches a message that is not JSON.
    let run = trailcase([
        "rules",
        "test",
        "--filter-pattern",
        "{ $.a = 1 }",
        "--event",
        msg,
    ]);
    assert_eq!(run.code, 1);
    let event = write_json(dir.path(), "record.json", &secret_read());
    let pattern =
        r#"{ $.eventName = "GetSecretValue" && $.requestParameters.secretId = "Production_*" }"#;
    let run = trailcase([
        "rules",
        "test",
        "--filter-pattern",
        pattern,
        "--event",
        &event,
    ]);
    assert_eq!((run.code, run.text().as_str()), (0, "match\n"));
}

fn rows(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect()
}

#[test]
fn replay_of_the_sample_rule_lists_the_two_accesses() {
    let run = trailcase([
        "rules",
        "replay",
        "-q",
        "--event-pattern",
        RULE_FILE,
        "samples/incident-01",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    assert!(
        text.starts_with("time\tevent_id\taction\tactor\ttarget\toutcome\thoneytoken\tdelivered\n")
    );
    let rows = rows(&text);
    let ids: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    assert_eq!(ids, [ACCESS, DENIED], "once each, though delivered twice");
    assert_eq!(rows[0][0], "2026-11-20T14:02:17Z");
    assert_eq!(rows[1][5], "AccessDenied");
    assert!(rows.iter().all(|r| r[6] == "yes"));
}

#[test]
fn a_looser_filter_reports_the_orders_api_reads() {
    let run = trailcase([
        "rules",
        "replay",
        "-q",
        "--filter-pattern",
        r#"{ $.eventName = "GetSecretValue" }"#,
        "samples/incident-01",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    let rows = rows(&text);
    let orders = rows
        .iter()
        .filter(|r| r[3].contains("orders-api-role"))
        .count();
    assert!(orders > 20, "{orders} orders-api reads");
    let honeytoken: Vec<&str> = rows
        .iter()
        .filter(|r| r[6] == "yes")
        .map(|r| r[1])
        .collect();
    assert_eq!(honeytoken, [ACCESS, DENIED]);
}

#[test]
fn replay_without_a_match_exits_one() {
    let pattern = r#"{"detail": {"eventName": ["DeleteSecret"]}}"#;
    let run = trailcase([
        "rules",
        "replay",
        "-q",
        "--event-pattern",
        pattern,
        "samples/incident-01",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(rows(&run.text()).len(), 0);
}

#[test]
fn replay_escapes_control_characters_so_no_row_or_terminal_state_is_forged() {
    let dir = tempfile::tempdir().unwrap();
    let mut read = secret_read();
    read["eventID"] = json!("e1\u{9b}2J");
    read["errorCode"] = json!("Denied\n2026-11-20T14:00:00Z\tforged\tx\ty\tz\tw\tyes");
    read["userIdentity"]["arn"] = json!("arn:aws:iam::123456789012:user/svc\u{1b}]0;owned\u{7}");
    let input = write_json(dir.path(), "records.json", &json!({"Records": [read]}));
    let run = trailcase([
        "rules",
        "replay",
        "-q",
        "--filter-pattern",
        r#"{ $.eventName = "GetSecretValue" }"#,
        &input,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    assert!(!text.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{text:?}");
    let rows = rows(&text);
    assert_eq!(rows.len(), 1, "one row, none forged: {text:?}");
    assert_eq!(rows[0].len(), 7, "{text:?}");
    assert_eq!(rows[0][1], "e1\\u{9b}2J");
    assert_eq!(
        rows[0][3],
        "arn:aws:iam::123456789012:user/svc\\u{1b}]0;owned\\u{7}"
    );
    assert!(rows[0][5].starts_with("Denied\\u{a}2026"), "{text:?}");
}

/// A rule's state decides whether EventBridge delivers it a read-only management event
/// (GetSecretValue): `rules replay` does not know the state, so without `--state` each read is
/// listed with what its delivery depends on, and stderr says so even with --quiet; with
/// `--state ENABLED` or `DISABLED` the reads are not the rule's and are counted, not listed
/// (exit 1); `--state` cannot apply to a filter pattern (exit 2).
#[test]
fn replay_says_a_read_depends_on_the_rules_state_and_takes_it() {
    let replay = |extra: &[&str]| {
        let mut args = vec!["rules", "replay", "-q", "--event-pattern", RULE_FILE];
        args.extend_from_slice(extra);
        args.push("samples/incident-01");
        trailcase(args)
    };
    let run = replay(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    let listed = rows(&text);
    assert_eq!(listed.len(), 2, "{text}");
    for r in &listed {
        assert_eq!(
            r[7], "only in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
            "{text}"
        );
    }
    assert!(
        run.stderr.contains("2 listed record(s) are read-only management events")
            && run.stderr.contains("the rule's state is not given (--state), so whether the rule receives them is unknown"),
        "{}",
        run.stderr
    );

    for state in ["ENABLED", "DISABLED"] {
        let run = replay(&["--state", state]);
        assert_eq!(run.code, 1, "{state}: {}", run.stderr);
        assert_eq!(rows(&run.text()).len(), 0, "{state}");
        assert!(
            run.stderr
                .contains("2 record(s) the pattern matches not listed"),
            "{state}: {}",
            run.stderr
        );
    }
    let run = replay(&["--state", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    assert!(rows(&text).iter().all(|r| r[7] == "yes"), "{text}");
    assert!(run.stderr.is_empty(), "{}", run.stderr);

    let run = trailcase([
        "rules",
        "replay",
        "-q",
        "--filter-pattern",
        r#"{ $.eventName = "GetSecretValue" }"#,
        "--state",
        "ENABLED",
        "samples/incident-01",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

/// `rules test` said "match" for a GetSecretValue whatever the rule's state, though EventBridge
/// does not deliver a read-only management event to a rule in state ENABLED (nor any event to
/// a DISABLED one). `--state` now decides, and without it the match is said to depend on it.
#[test]
fn test_says_a_read_depends_on_the_rules_state_and_takes_it() {
    let dir = tempfile::tempdir().unwrap();
    let event = write_json(dir.path(), "record.json", &secret_read());
    let test = |state: Option<&str>| {
        let mut args = vec![
            "rules",
            "test",
            "--event-pattern",
            RULE_FILE,
            "--event",
            &event,
        ];
        if let Some(s) = state {
            args.extend(["--state", s]);
        }
        trailcase(args)
    };
    let run = test(None);
    assert_eq!(said(&run), (0, "match\n"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "the rule's state is not given (--state), so whether the rule receives it is unknown"
        ),
        "{}",
        run.stderr
    );
    let run = test(Some("ENABLED"));
    assert_eq!(said(&run), (1, "no match\n"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("EventBridge does not deliver to a rule in state ENABLED"),
        "{}",
        run.stderr
    );
    let run = test(Some("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"));
    assert_eq!(said(&run), (0, "match\n"), "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let run = test(Some("DISABLED"));
    assert_eq!(said(&run), (1, "no match\n"), "{}", run.stderr);

    // A change (not read-only) reaches a rule in state ENABLED.
    let mut change = secret_read();
    change["eventName"] = json!("PutSecretValue");
    let event = write_json(dir.path(), "change.json", &change);
    let pattern = r#"{"detail": {"eventName": ["PutSecretValue"]}}"#;
    let run = rules_test(pattern, &event, &["--state", "ENABLED"]);
    assert_eq!(said(&run), (0, "match\n"), "{}", run.stderr);

    // The state of an EventBridge rule says nothing of a filter pattern.
    let run = trailcase([
        "rules",
        "test",
        "--filter-pattern",
        "{ $.eventName = \"GetSecretValue\" }",
        "--event",
        &event,
        "--state",
        "ENABLED",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
