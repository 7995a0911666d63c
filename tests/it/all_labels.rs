//! `timeline --all` labels each record as `timeline` does. A `GetSecretValue` of
//! `…:secret:Production_Database_Credentials-backup` is another secret when the evidence gives
//! the honeytoken's full ARN (its own suffix, `-Xy12Ab`): `timeline` knew it, but `--all`
//! labelled the row `honeytoken_access`, classifying each record before the honeytoken's suffix
//! was learnt from the others.

use crate::support::honeytoken_calls::secret_read;
use crate::support::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";
const HONEYTOKEN: &str = "secret:Production_Database_Credentials";
const BY_NAME: &str = "11111111-2222-3333-4444-000000000001";
const BACKUP: &str = "11111111-2222-3333-4444-555555555556";

/// The kind of each row by eventID, from `timeline --format jsonl` with or without `--all`.
fn kinds(evidence: &std::path::Path, all: bool) -> BTreeMap<String, String> {
    let mut args = vec!["timeline", "--quiet", "--format", "jsonl"];
    if all {
        args.push("--all");
    }
    args.extend(["--honeytoken", HONEYTOKEN, evidence.to_str().unwrap()]);
    let run = trailcase(args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.text()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["event_id"].is_string())
        .map(|r| {
            let kind = r["kind"].as_str().unwrap_or_default().to_string();
            (r["event_id"].as_str().unwrap().to_string(), kind)
        })
        .collect()
}

#[test]
fn all_labels_a_read_of_another_secret_as_timeline_does() {
    let own = format!("{ARN}Production_Database_Credentials-Xy12Ab");
    let backup = format!("{ARN}Production_Database_Credentials-backup");
    let dir = tempfile::tempdir().unwrap();
    let records = [
        // The other secret's read first: the stream labels it before it reads the full ARN.
        secret_read(BACKUP, "u", "2026-11-20T16:16:00Z", &backup, &[]),
        secret_read(
            BY_NAME,
            "w",
            "2026-11-20T15:00:00Z",
            "Production_Database_Credentials",
            &[&own],
        ),
    ];
    std::fs::write(
        dir.path().join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    let timeline = kinds(dir.path(), false);
    let all = kinds(dir.path(), true);
    assert_ne!(timeline[BACKUP], "honeytoken_access", "{timeline:?}");
    assert_eq!(
        all[BACKUP], timeline[BACKUP],
        "--all {all:?}, timeline {timeline:?}"
    );
    // The honeytoken's own read is still one, in both.
    assert_eq!(timeline[BY_NAME], "honeytoken_access", "{timeline:?}");
    assert_eq!(all[BY_NAME], "honeytoken_access", "{all:?}");
    // Every row `timeline` has is labelled the same by `--all`.
    for (id, kind) in &timeline {
        assert_eq!(all.get(id), Some(kind), "{id}: --all {all:?}");
    }
}

/// A `DeleteAlarms` of the detection alarm, in a case whose collected configuration (the AWS
/// CLI's `describe-metric-filters` and `describe-alarms`) shows the alarm is fed by the
/// honeytoken's metric filter, and no `[detection]` names it: `timeline` labelled the row
/// `pipeline_change` (and found `pipeline_tampering`), `--all` `monitoring_change`, judging the
/// pipeline by the configuration file alone.
#[test]
fn all_labels_a_change_to_the_collected_pipeline_as_timeline_does() {
    const DELETE: &str = "00000000-0000-4000-8000-000000000001";
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, v: Value| {
        std::fs::write(dir.path().join(name), v.to_string()).unwrap();
    };
    write(
        "metric-filters.json",
        json!({"metricFilters": [{
            "filterName": "HoneytokenSecretAccess", "logGroupName": "CloudTrail/Management",
            "filterPattern": "{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") && ($.requestParameters.secretId = \"*Production_Database_Credentials*\") }",
            "metricTransformations": [{"metricName": "HoneytokenSecretAccessCount",
                                       "metricNamespace": "CloudTrailMetrics", "metricValue": "1"}]
        }]}),
    );
    write(
        "alarms.json",
        json!({"MetricAlarms": [{
            "AlarmName": "HoneytokenSecretAccessAlarm",
            "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:HoneytokenSecretAccessAlarm",
            "MetricName": "HoneytokenSecretAccessCount", "Namespace": "CloudTrailMetrics",
            "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "DatapointsToAlarm": 1,
            "Threshold": 1.0, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "ActionsEnabled": true, "AlarmActions": [], "StateValue": "OK"
        }], "CompositeAlarms": []}),
    );
    write(
        "trail.json",
        json!({"Records": [{
            "eventVersion": "1.09", "eventTime": "2026-11-20T09:30:00Z", "eventID": DELETE,
            "eventSource": "monitoring.amazonaws.com", "eventName": "DeleteAlarms",
            "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
            "userAgent": "aws-cli/2.17.0", "eventType": "AwsApiCall",
            "requestParameters": {"alarmNames": ["HoneytokenSecretAccessAlarm"]},
            "responseElements": null, "recipientAccountId": "123456789012",
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/ops",
                             "accountId": "123456789012", "accessKeyId": "AKIAEXAMPLEOPS000001"}
        }]}),
    );
    let timeline = kinds(dir.path(), false);
    assert_eq!(timeline[DELETE], "pipeline_change", "{timeline:?}");
    let all = kinds(dir.path(), true);
    assert_eq!(all[DELETE], "pipeline_change", "--all {all:?}");
    let doc = timeline_of(dir.path());
    assert_eq!(
        of_kind(&doc["findings"], "pipeline_tampering")[0]["event_ids"],
        json!([DELETE])
    );
}
