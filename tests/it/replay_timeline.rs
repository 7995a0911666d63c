//! Detection replay in the timeline: both flows' own rules over every record of the sample case,
//! and a handmade case whose EventBridge rule names the wrong secret ARN and whose metric filter
//! watches eventName alone.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

const ACCESS: &str = "5ad7fe16-471c-489f-908c-61b0d4864cbb";
const DENIED: &str = "85a157a1-d87c-40ec-9c47-7bf1faabd1f2";

fn timeline(dir: &str) -> Value {
    let run = trailcase(["timeline", "--quiet", dir]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

fn flow<'a>(doc: &'a Value, kind: &str) -> &'a Value {
    replay_flow(doc, |f| f["flow"] == kind)
}

fn finding_kinds(findings: &Value) -> Vec<&str> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect()
}

#[test]
fn both_flows_match_the_sample_accesses_with_predicted_and_actual_times() {
    let doc = timeline("samples/incident-01");
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    let violations = schema_violations(&schema, &doc);
    assert!(violations.is_empty(), "{violations:#?}");
    assert_eq!(doc["replay"]["records_evaluated"], 2550);
    for kind in ["metric_filter", "event_rule"] {
        let f = flow(&doc, kind);
        assert_eq!(f["error"], Value::Null, "{kind}");
        assert_eq!(f["matched_accesses"], json!([ACCESS, DENIED]), "{kind}");
        assert_eq!(f["missed_accesses"], json!([]), "{kind}");
        assert_eq!(
            f["noise_count"], 0,
            "{kind}: the sample's own rule does not page on orders-api"
        );
        for a in f["accesses"].as_array().unwrap() {
            assert!(
                a["predicted"].is_string() && a["actual"].is_string(),
                "{kind}: {a}"
            );
        }
    }
    let f1 = flow(&doc, "metric_filter");
    assert_eq!(f1["resource"], "HoneytokenSecretAccess");
    assert_eq!(f1["alarm"], "HoneytokenSecretAccessAlarm");
    let first = &f1["accesses"][0];
    assert_eq!(
        first["predicted"], "2026-11-20T14:03:00Z",
        "end of the access's 60 s period"
    );
    assert_eq!(first["actual"], "2026-11-20T14:05:21.532Z", "alarm history");
    assert!(first["predicted"].as_str() <= first["actual"].as_str());
    assert!(first["actual"].as_str() <= first["predicted_latest"].as_str());
    assert!(f1["accesses"][1]["note"]
        .as_str()
        .unwrap()
        .contains("predicted, not observed: the replayed alarm would be already in ALARM"));
    assert_eq!(f1["predicted_pages"], 1);
    let f2 = flow(&doc, "event_rule");
    assert_eq!(f2["resource"], "HoneytokenSecretAccessRule");
    assert_eq!(f2["accesses"][0]["predicted"], "2026-11-20T14:02:17Z");
    assert_eq!(
        f2["accesses"][0]["actual"], "2026-11-20T14:02:46Z",
        "kill-switch call in the minute"
    );
    let kinds = finding_kinds(&doc["incidents"][0]["findings"]);
    assert!(!kinds.contains(&"access_missed_by_flow"), "{kinds:?}");
    assert!(!finding_kinds(&doc["findings"]).contains(&"flow_noise"));
}

fn record(id: &str, time: &str, arn: &str, secret: &str) -> Value {
    json!({
        "eventVersion": "1.08", "eventTime": time, "eventID": id,
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
        "eventType": "AwsApiCall", "awsRegion": "us-east-1", "recipientAccountId": "123456789012",
        "sourceIPAddress": "203.0.113.45", "userAgent": "aws-cli/2",
        "userIdentity": {"type": "IAMUser", "arn": arn, "accountId": "123456789012",
                         "principalId": "AIDAEXAMPLE", "accessKeyId": "AKIAEXAMPLE"},
        "requestParameters": {"secretId": secret}
    })
}

fn write(dir: &Path, name: &str, v: Value) {
    std::fs::write(dir.join(name), serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

/// A rule pinned to an ARN the access did not use, and a filter on eventName alone.
fn handmade_case(dir: &Path) {
    write(
        dir,
        "trail.json",
        json!({"Records": [
            record("access-1", "2026-11-20T14:02:17Z", "arn:aws:iam::123456789012:user/svc-reporting",
                   "Production_Database_Credentials"),
            record("app-1", "2026-11-20T14:00:05Z", "arn:aws:iam::123456789012:user/orders-api",
                   "prod/orders/api-key"),
        ]}),
    );
    let wrong_arn = json!({"source": ["aws.secretsmanager"], "detail": {
        "eventName": ["GetSecretValue"],
        "requestParameters": {"secretId": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:Production_Database_Credentials-AbCdEf"]}}});
    write(
        dir,
        "rules.json",
        json!({"Rules": [{
        "Name": "HoneytokenRule", "Arn": "arn:aws:events:us-east-1:123456789012:rule/HoneytokenRule",
        "EventPattern": wrong_arn.to_string(), "State": "ENABLED", "EventBusName": "default"}]}),
    );
    write(
        dir,
        "metric-filters.json",
        json!({"metricFilters": [{
        "filterName": "SecretReads", "filterPattern": "{ $.eventName = \"GetSecretValue\" }",
        "logGroupName": "trail",
        "metricTransformations": [{"metricName": "SecretReads", "metricNamespace": "CloudTrailMetrics", "metricValue": "1"}]}]}),
    );
    write(
        dir,
        "alarms.json",
        json!({"MetricAlarms": [{
        "AlarmName": "SecretReadsAlarm", "MetricName": "SecretReads", "Namespace": "CloudTrailMetrics",
        "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "DatapointsToAlarm": 1,
        "Threshold": 1.0, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching", "AlarmActions": [], "StateValue": "OK"}]}),
    );
}

#[test]
fn a_rule_with_the_wrong_arn_misses_the_access_and_an_event_name_filter_pages_on_noise() {
    let dir = tempfile::tempdir().unwrap();
    handmade_case(dir.path());
    let doc = timeline(dir.path().to_str().unwrap());
    let f2 = flow(&doc, "event_rule");
    assert_eq!(f2["missed_accesses"], json!(["access-1"]));
    assert_eq!(f2["matches"], 0);
    assert_eq!(f2["accesses"][0]["predicted"], Value::Null);
    let f1 = flow(&doc, "metric_filter");
    assert_eq!(f1["matched_accesses"], json!(["access-1"]));
    assert_eq!(f1["noise_count"], 1);
    assert_eq!(f1["noise_examples"][0]["event_id"], "app-1");
    assert_eq!(f1["accesses"][0]["predicted"], "2026-11-20T14:03:00Z");
    assert_eq!(f1["predicted_pages"], 2, "the app's read pages too");
    let incident = &doc["incidents"][0];
    let missed: Vec<&Value> = incident["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "access_missed_by_flow")
        .collect();
    assert_eq!(missed.len(), 1, "{}", incident["findings"]);
    assert_eq!(missed[0]["severity"], "high");
    assert!(missed[0]["summary"]
        .as_str()
        .unwrap()
        .contains("HoneytokenRule"));
    assert_eq!(missed[0]["event_ids"], json!(["access-1"]));
    let noise: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "flow_noise")
        .collect();
    assert_eq!(noise.len(), 1, "{}", doc["findings"]);
    assert_eq!(noise[0]["event_ids"], json!(["app-1"]));
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert!(schema_violations(&schema, &doc).is_empty());
}

/// Pipeline outputs the pre-pass skips (gzip) are still replayed, by a pass of their own.
#[test]
fn a_compressed_pipeline_output_is_replayed_too() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    handmade_case(dir.path());
    let rules = std::fs::read(dir.path().join("rules.json")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&rules).unwrap();
    std::fs::write(dir.path().join("rules.json.gz"), gz.finish().unwrap()).unwrap();
    std::fs::remove_file(dir.path().join("rules.json")).unwrap();
    let doc = timeline(dir.path().to_str().unwrap());
    assert_eq!(
        flow(&doc, "event_rule")["missed_accesses"],
        json!(["access-1"])
    );
    assert_eq!(flow(&doc, "metric_filter")["noise_count"], 1);
    assert_eq!(doc["replay"]["records_evaluated"], 2);
}

/// The filter's `defaultValue` publishes 0 for every minute without a match: an alarm on the
/// Average over 5 minutes then sees the access diluted below its threshold, while the same
/// filter without a default value gives one datapoint of 1 and fires.
#[test]
fn a_filter_default_value_dilutes_an_average_alarm() {
    let predicted_with = |default: Option<f64>| {
        let dir = tempfile::tempdir().unwrap();
        handmade_case(dir.path());
        let mut transform = json!({"metricName": "SecretReads", "metricNamespace": "CloudTrailMetrics", "metricValue": "1"});
        if let Some(v) = default {
            transform["defaultValue"] = json!(v);
        }
        write(
            dir.path(),
            "metric-filters.json",
            json!({"metricFilters": [{
            "filterName": "SecretReads",
            "filterPattern": "{ $.requestParameters.secretId = \"Production_Database_Credentials\" }",
            "logGroupName": "trail", "metricTransformations": [transform]}]}),
        );
        write(
            dir.path(),
            "alarms.json",
            json!({"MetricAlarms": [{
            "AlarmName": "SecretReadsAlarm", "MetricName": "SecretReads", "Namespace": "CloudTrailMetrics",
            "Statistic": "Average", "Period": 300, "EvaluationPeriods": 1, "DatapointsToAlarm": 1,
            "Threshold": 1.0, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching", "AlarmActions": [], "StateValue": "OK"}]}),
        );
        let doc = timeline(dir.path().to_str().unwrap());
        let f1 = flow(&doc, "metric_filter").clone();
        assert_eq!(f1["matched_accesses"], json!(["access-1"]));
        let assumption = doc["replay"]["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .find(|a| a.starts_with("flow 1 (SecretReads)"))
            .unwrap_or_else(|| panic!("{}", doc["replay"]["assumptions"]))
            .to_string();
        (
            f1["accesses"][0]["predicted"].clone(),
            f1["predicted_pages"].clone(),
            assumption,
        )
    };
    let (predicted, pages, assumption) = predicted_with(None);
    assert_eq!(
        predicted, "2026-11-20T14:05:00Z",
        "end of the 5-minute period"
    );
    assert_eq!(pages, 1);
    assert!(assumption.contains("no defaultValue"), "{assumption}");
    let (predicted, pages, assumption) = predicted_with(Some(0.0));
    assert_eq!(predicted, Value::Null, "average 1/5 = 0.2 < 1: no ALARM");
    assert_eq!(pages, 0);
    assert!(assumption.contains("defaultValue 0"), "{assumption}");
}

/// Audit (auditor31, 13): the sample's flow-1 row for the access at 14:03:05Z printed
/// "predicted 2026-11-20T14:03:00Z", a firing five seconds before the access it was predicted
/// for. That time is when the replayed alarm entered ALARM for an earlier access (the row's note
/// says so): the cell now names it "in ALARM since", and a row whose prediction follows its
/// access still says "predicted".
#[test]
fn a_time_before_the_access_is_named_in_alarm_since_not_predicted() {
    let dir = tempfile::tempdir().unwrap();
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/incident-01");
    let doc = timeline_of(&case);
    let rows: Vec<&Value> = doc["replay"]["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["flow"] == "metric_filter")
        .flat_map(|f| f["accesses"].as_array().unwrap())
        .collect();
    let earlier = rows
        .iter()
        .find(|a| a["time"] == "2026-11-20T14:03:05Z")
        .expect("the sample's access at 14:03:05Z");
    assert_eq!(earlier["predicted"], "2026-11-20T14:03:00Z");
    let text = sample_report_text(dir.path());
    let row = &text[text
        .find("2026-11-20T14:03:05Z 85a157a1")
        .expect("the row of the access at 14:03:05Z")..];
    assert!(
        row.contains("in ALARM since 2026-11-20T14:03:00Z")
            && !row[..200].contains("predicted 2026-11-20T14:03:00Z"),
        "{}",
        &row[..300]
    );
    // The table's caption says what the name means.
    assert!(
        text.contains(
            "(in ALARM since: the replayed alarm was already in ALARM for an earlier access)"
        ),
        "{text}"
    );
    // The first read's own row (14:02:17Z, in the minute that breaches at 14:03:00Z) predicts.
    assert!(text.contains("predicted 2026-11-20T14:03:00Z"), "{text}");
}
