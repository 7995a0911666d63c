//! The replay judged every access by the rule as collected (describe-rule), even when the
//! evidence holds a `PutRule` that changed the rule between two accesses. Each access is now
//! judged by the pattern in force at its own time and its row names that definition (the
//! change's eventID, or that it is the pattern as collected).
//!
//! The `PutRule` records are the EventBridge User Guide's (`eb-logging-monitoring.md`, line 54;
//! tests/data/SOURCES.md) with the rule's name, pattern, account, time and eventID changed.

use crate::support::*;
use serde_json::{json, Value};
use std::path::Path;

const FIRST: &str = "5ad7fe16-471c-489f-908c-61b0d4864cbb";
const SECOND: &str = "85a157a1-d87c-40ec-9c47-7bf1faabd1f2";
const RULE: &str = "HoneytokenSecretAccessRule";

/// A trail file `name` added to `case` with two PutRule calls on the flow-2 rule: at 14:00:00
/// its pattern as collected (describe-rule) narrowed to another secret
/// (`Staging_Database_Credentials`), then `restored` (eventID, time) putting the collected
/// pattern back.
fn narrowed_then_restored(case: &Path, restored: (&str, &str), name: &str) {
    let rules = read_json(&case.join("events/rules.json"));
    let collected = rules["Rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["Name"] == RULE)
        .unwrap()["EventPattern"]
        .as_str()
        .unwrap()
        .to_string();
    let mut narrow: Value = serde_json::from_str(&collected).unwrap();
    narrow["detail"]["requestParameters"]["secretId"] =
        json!([{"prefix": "Staging_Database_Credentials"}]);
    let records = vec![
        put_rule(
            "putrule-narrow",
            "2026-11-20T14:00:00Z",
            &narrow.to_string(),
        ),
        put_rule(restored.0, restored.1, &collected),
    ];
    add_trail_file(case, "us-east-1", name, records);
}

fn put_rule(id: &str, time: &str, pattern: &str) -> Value {
    let mut r = guide_put_rule(id, time, pattern);
    r["userIdentity"]["accountId"] = "123456789012".into();
    r["userIdentity"]["arn"] = "arn:aws:iam::123456789012:root".into();
    r["userIdentity"]["principalId"] = "123456789012".into();
    r
}

#[test]
fn each_access_is_judged_by_the_rule_in_force_at_its_time_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    // Before the first read the rule watched another secret; between the reads (14:02:17 and
    // 14:03:05) it was put back to the pattern collected.
    narrowed_then_restored(
        &case,
        ("putrule-fixed", "2026-11-20T14:02:30Z"),
        "putRule01",
    );

    let doc = timeline_of(&case);
    let flow = replay_flow(&doc, |f| f["resource"] == RULE);
    let row = |id: &str| replay_row(flow, id);
    let (first, second) = (row(FIRST), row(SECOND));
    assert_eq!(first["matched"], false, "{first:#}");
    assert_eq!(
        first["definition"],
        "PutRule putrule-narrow at 2026-11-20T14:00:00Z"
    );
    assert_eq!(second["matched"], true, "{second:#}");
    assert_eq!(
        second["definition"],
        "PutRule putrule-fixed at 2026-11-20T14:02:30Z (the pattern as collected)"
    );
    assert_eq!(flow["missed_accesses"], json!([FIRST]));
    let said = doc["replay"]["assumptions"].to_string();
    assert!(
        said.contains("each access is judged by the pattern in force at its time"),
        "{said}"
    );
    // Flow 1's filter was not changed: its rows name no definition.
    let filter = replay_flow(&doc, |f| f["flow"] == "metric_filter");
    for a in filter["accesses"].as_array().unwrap() {
        assert!(a.get("definition").is_none(), "{a:#}");
    }

    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("judged by: PutRule putrule-narrow at 2026-11-20T14:00:00Z"),
        "{text}"
    );
    assert!(
        text.contains(
            "judged by: PutRule putrule-fixed at 2026-11-20T14:02:30Z (the pattern as collected)"
        ),
        "{text}"
    );
}

/// An access before the first change the evidence records has no definition in the evidence:
/// said as unknown, judged by the pattern as collected.
#[test]
fn an_access_before_the_first_recorded_change_says_its_definition_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let records = vec![put_rule(
        "putrule-later",
        "2026-11-20T14:02:30Z",
        r#"{"source":["aws.secretsmanager"]}"#,
    )];
    add_trail_file(&case, "us-east-1", "putRule02", records);
    let doc = timeline_of(&case);
    let flow = replay_flow(&doc, |f| f["resource"] == RULE);
    let first = flow["accesses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["event_id"] == FIRST)
        .unwrap();
    let def = first["definition"].as_str().unwrap();
    assert!(
        def.starts_with("unknown: the rule's first change in the evidence (PutRule putrule-later at 2026-11-20T14:02:30Z) is after this access"),
        "{def}"
    );
    assert_eq!(first["matched"], true, "judged by the pattern as collected");
    let second = flow["accesses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["event_id"] == SECOND)
        .unwrap();
    assert_eq!(
        second["definition"],
        "PutRule putrule-later at 2026-11-20T14:02:30Z"
    );
    assert_eq!(second["matched"], true, "{second:#}");
}

/// A PutMetricFilter on the sample's filter: the guide's PutRule record made into CloudWatch
/// Logs' call (no public PutMetricFilter record is at hand), on `group`, setting `pattern`.
fn put_metric_filter(id: &str, time: &str, group: &str, pattern: &str) -> Value {
    let mut r = put_rule(id, time, pattern);
    r["eventSource"] = "logs.amazonaws.com".into();
    r["eventName"] = "PutMetricFilter".into();
    r["requestParameters"] = json!({
        "logGroupName": group,
        "filterName": "HoneytokenSecretAccess",
        "filterPattern": pattern,
        "metricTransformations": [{"metricName": "HoneytokenSecretAccessCount", "metricNamespace": "CloudTrailMetrics", "metricValue": "1"}]
    });
    r["responseElements"] = Value::Null;
    r
}

/// A metric filter is named within its log group: a PutMetricFilter of the same name on another
/// log group was taken for the honeytoken filter's, and the reads after it judged by its
/// pattern. Only a change on the filter's own log group counts.
#[test]
fn a_same_named_filter_on_another_log_group_does_not_change_flow_1() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let nothing = r#"{ $.eventName = "NoSuchCall" }"#;
    let records = vec![
        put_metric_filter("pmf-other", "2026-11-20T14:00:00Z", "app-logs", nothing),
        put_metric_filter(
            "pmf-own",
            "2026-11-20T14:02:40Z",
            "aws-cloudtrail-logs-123456789012-honeytoken",
            nothing,
        ),
    ];
    add_trail_file(&case, "us-east-1", "putFilter1", records);
    let doc = timeline_of(&case);
    let filter = replay_flow(&doc, |f| f["flow"] == "metric_filter");
    let first = replay_row(filter, FIRST);
    let second = replay_row(filter, SECOND);
    // The first read is before the own log group's change: judged as collected (the pattern
    // then being unknown), not by the other log group's filter.
    assert_eq!(first["matched"], true, "{first:#}");
    let basis = first["definition"].as_str().unwrap();
    assert!(
        basis.contains("first change in the evidence (PutMetricFilter pmf-own at 2026-11-20T14:02:40Z) is after this access"),
        "{basis}"
    );
    assert!(
        !doc["replay"].to_string().contains("pmf-other"),
        "{}",
        doc["replay"]
    );
    assert!(
        second["definition"]
            .as_str()
            .is_some_and(|d| d.starts_with("PutMetricFilter pmf-own at 2026-11-20T14:02:40Z")),
        "{second:#}"
    );
}

/// CloudTrail's eventTime is to the second: a PutRule in the same second as a read is not
/// ordered with it. The read was judged by the pattern that call set, as if it came first,
/// while the rule's state in the same case was called unknown. Now the definition is unknown,
/// naming both records, the read is judged by the pattern before the call, and the finding
/// and the report say which pattern was in force is unknown.
#[test]
fn a_change_in_the_same_second_as_a_read_leaves_its_definition_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    // The first read is at 14:02:17; the rule was put back to the collected pattern then.
    narrowed_then_restored(&case, ("putrule-same", "2026-11-20T14:02:17Z"), "putRule03");

    let doc = timeline_of(&case);
    let flow = replay_flow(&doc, |f| f["resource"] == RULE);
    let first = replay_row(flow, FIRST);
    let def = first["definition"].as_str().unwrap();
    assert!(
        def.starts_with(&format!("unknown: PutRule putrule-same at 2026-11-20T14:02:17Z is in the same second as this access ({FIRST})")),
        "{def}"
    );
    assert!(
        def.contains(
            "judged by the pattern before it, PutRule putrule-narrow at 2026-11-20T14:00:00Z"
        ),
        "{def}"
    );
    assert_eq!(first["matched"], false, "{first:#}");
    let second = replay_row(flow, SECOND);
    assert_eq!(second["matched"], true, "{second:#}");
    let missed = of_kind(&doc["incidents"][0]["findings"], "access_missed_by_flow");
    let finding = missed
        .iter()
        .find(|f| f["summary"].as_str().unwrap().contains(RULE))
        .unwrap()["summary"]
        .as_str()
        .unwrap();
    assert!(
        finding.contains("for 1 of them which pattern was in force is unknown"),
        "{finding}"
    );

    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("judged by: unknown: PutRule putrule-same at 2026-11-20T14:02:17Z is in the same second as this access"),
        "{text}"
    );
}

/// describe-metric-filters gives a filter's log group but not its region, and a PutMetricFilter
/// in another region on a log group of the same name changes another filter: the replay took
/// it for the honeytoken filter's without saying it could not tell. The row's definition and
/// the assumptions now say so, naming the change's region.
#[test]
fn a_filter_change_in_another_region_cannot_be_told_apart_and_is_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let mut change = put_metric_filter(
        "pmf-eu",
        "2026-11-20T14:02:40Z",
        "aws-cloudtrail-logs-123456789012-honeytoken",
        r#"{ $.eventName = "NoSuchCall" }"#,
    );
    change["awsRegion"] = json!("eu-west-1");
    add_trail_file(&case, "eu-west-1", "putFilter2", vec![change]);
    let doc = timeline_of(&case);
    let filter = replay_flow(&doc, |f| f["flow"] == "metric_filter");
    let second = replay_row(filter, SECOND);
    let def = second["definition"].as_str().unwrap();
    assert!(
        def.starts_with("PutMetricFilter pmf-eu at 2026-11-20T14:02:40Z"),
        "{def}"
    );
    assert!(
        def.contains("the collected filter's region is not in the evidence (describe-metric-filters gives none), so a log group of the same name in another region could not be told apart: this change was made in eu-west-1"),
        "{def}"
    );
    let said = doc["replay"]["assumptions"].to_string();
    assert!(
        said.contains("a log group of the same name in another region could not be told apart"),
        "{said}"
    );
}
