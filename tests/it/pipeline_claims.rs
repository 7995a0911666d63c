//! "The actor changed the monitoring pipeline" only when a record names a piece of it (audit 24,
//! item 04): deleting an alarm, a rule and a log group that the configuration does not name is
//! not a pipeline change; where nothing names the pipeline's resources of that kind, the change
//! is stated with its resource and "whether ... is part of the detection pipeline is unknown",
//! at a lower severity; stopping any trail stays serious. Records shaped as CloudTrail writes
//! these calls (the Elastic/grimoire captures of the audit: `alarmNames`, rule `name`,
//! `logGroupName`), built here.

use crate::support;

use serde_json::Value;
use std::path::Path;
use support::*;

fn record(id: &str, time: &str, source: &str, name: &str, req: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.10","eventTime":"{time}","eventID":"{id}","eventSource":"{source}","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2.17.60 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0","requestParameters":{req},"responseElements":null,"eventType":"AwsApiCall","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/mallory","accountId":"123456789012","accessKeyId":"AKIAMALLORY"}}}}"#
    )
}

/// The actor reads the honeytoken, then deletes `alarm`, the rule `DailyLambdaFunction`, the
/// log group `cloudtrail-log-group-test` and stops the trail `trail`.
fn case(dir: &Path, alarm: &str, trail: &str, config: Option<&str>) {
    let recs = [
        record(
            "read-1",
            "2024-10-09T14:40:00Z",
            "secretsmanager.amazonaws.com",
            "GetSecretValue",
            r#"{"secretId":"Production_Database_Credentials"}"#,
        ),
        record(
            "del-alarm",
            "2024-10-09T14:43:35Z",
            "monitoring.amazonaws.com",
            "DeleteAlarms",
            &format!(r#"{{"alarmNames":["{alarm}"]}}"#),
        ),
        record(
            "del-rule",
            "2024-10-09T14:44:00Z",
            "events.amazonaws.com",
            "DeleteRule",
            r#"{"force":false,"name":"DailyLambdaFunction"}"#,
        ),
        record(
            "del-group",
            "2024-10-09T14:45:00Z",
            "logs.amazonaws.com",
            "DeleteLogGroup",
            r#"{"logGroupName":"cloudtrail-log-group-test"}"#,
        ),
        record(
            "stop",
            "2024-10-09T14:46:00Z",
            "cloudtrail.amazonaws.com",
            "StopLogging",
            &format!(r#"{{"name":"{trail}"}}"#),
        ),
    ];
    std::fs::write(dir.join("trail.json"), format!("[{}]", recs.join(","))).unwrap();
    if let Some(c) = config {
        std::fs::write(dir.join("trailcase.toml"), c).unwrap();
    }
}

fn summaries(doc: &Value, kind: &str) -> Vec<(String, String)> {
    of_kind(&doc["incidents"][0]["findings"], kind)
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["summary"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const CONFIG: &str = "[detection]\nalarms = [\"HoneytokenSecretAccessAlarm\"]\nrules = [\"HoneytokenSecretAccessRule\"]\ntrails = [\"honeytoken-trail\"]\n";

#[test]
fn deleting_resources_the_configuration_does_not_name_is_not_a_pipeline_change() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    case(&evidence, "cpu-mon", "management-events", Some(CONFIG));
    let doc = timeline_of(&evidence);
    assert_eq!(summaries(&doc, "pipeline_tampering"), Vec::new(), "{doc}");
    // The log group: no log group is configured or collected, so it may be the pipeline's.
    assert_eq!(
        summaries(&doc, "monitoring_change"),
        [(
            "medium".to_string(),
            "the actor changed monitoring resources: logs:DeleteLogGroup on log group cloudtrail-log-group-test; whether they are part of the detection pipeline is unknown (neither trailcase.toml's [detection] nor the collected configuration names the pipeline's log groups)".to_string()
        )]
    );
    // Stopping a trail that is not the pipeline's is still CloudTrail recording less.
    assert_eq!(
        summaries(&doc, "logging_reduced"),
        [(
            "high".to_string(),
            "the actor stopped, deleted or narrowed a trail: cloudtrail:StopLogging on trail management-events; no evidence shows that the trail feeds the detection pipeline, but CloudTrail records less either way".to_string()
        )]
    );
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[evidence.to_str().unwrap()]);
    // No manifest or digest in the case: the verdict is "not verifiable", exit code 1.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(!text.contains("changed the monitoring pipeline"), "{text}");
    assert!(
        !text.contains("Investigate the change to the detection pipeline"),
        "{text}"
    );
    assert!(
        text.contains(
            "Check whether the changed monitoring resources belong to the detection pipeline"
        ),
        "{text}"
    );
}

#[test]
fn without_a_configured_pipeline_the_change_is_named_and_its_membership_unknown() {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path(), "cpu-mon", "management-events", None);
    let doc = timeline_of(dir.path());
    assert_eq!(summaries(&doc, "pipeline_tampering"), Vec::new(), "{doc}");
    let unknown = summaries(&doc, "monitoring_change");
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert_eq!(unknown[0].0, "medium");
    assert!(
        unknown[0].1.starts_with("the actor changed monitoring resources: events:DeleteRule on rule DailyLambdaFunction, logs:DeleteLogGroup on log group cloudtrail-log-group-test, monitoring:DeleteAlarms on alarm cpu-mon; whether they are part of the detection pipeline is unknown"),
        "{unknown:?}"
    );
}

#[test]
fn deleting_the_configured_alarm_and_stopping_the_configured_trail_is_a_pipeline_change() {
    let dir = tempfile::tempdir().unwrap();
    // The trail named by its ARN, as StopLogging may name it.
    case(
        dir.path(),
        "HoneytokenSecretAccessAlarm",
        "arn:aws:cloudtrail:us-east-1:123456789012:trail/honeytoken-trail",
        Some(CONFIG),
    );
    let doc = timeline_of(dir.path());
    assert_eq!(
        summaries(&doc, "pipeline_tampering"),
        [(
            "high".to_string(),
            "the actor changed the monitoring pipeline: cloudtrail:StopLogging on trail arn:aws:cloudtrail:us-east-1:123456789012:trail/honeytoken-trail, monitoring:DeleteAlarms on alarm HoneytokenSecretAccessAlarm".to_string()
        )]
    );
    assert_eq!(summaries(&doc, "logging_reduced"), Vec::new());
}

/// The sample case's collected configuration names the pipeline (its alarm fed by the
/// honeytoken's metric filter, its rule, their topics, the trail delivering to the filter's log
/// group): the actor's deletion of that alarm and of that log group is a pipeline change; the
/// deletion of `RootAccountUsage`, an alarm the case holds that no detection filter feeds, is
/// not.
#[test]
fn the_collected_configuration_names_the_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let actor = r#"{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/svc-reporting","accountId":"123456789012"}"#;
    let call = |id: &str, source: &str, name: &str, req: &str| {
        format!(
            r#"{{"eventVersion":"1.10","eventTime":"2026-11-20T14:02:30Z","eventID":"{id}","eventSource":"{source}","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","requestParameters":{req},"eventType":"AwsApiCall","userIdentity":{actor}}}"#
        )
    };
    let recs = [
        call(
            "del-own-alarm",
            "monitoring.amazonaws.com",
            "DeleteAlarms",
            r#"{"alarmNames":["HoneytokenSecretAccessAlarm"]}"#,
        ),
        call(
            "del-other-alarm",
            "monitoring.amazonaws.com",
            "DeleteAlarms",
            r#"{"alarmNames":["RootAccountUsage"]}"#,
        ),
        call(
            "del-group",
            "logs.amazonaws.com",
            "DeleteLogGroup",
            r#"{"logGroupName":"aws-cloudtrail-logs-123456789012-honeytoken"}"#,
        ),
    ];
    std::fs::write(case.join("extra.json"), format!("[{}]", recs.join(","))).unwrap();
    let doc = timeline_of(&case);
    assert_eq!(
        summaries(&doc, "pipeline_tampering"),
        [(
            "high".to_string(),
            "the actor changed the monitoring pipeline: logs:DeleteLogGroup on log group aws-cloudtrail-logs-123456789012-honeytoken, monitoring:DeleteAlarms on alarm HoneytokenSecretAccessAlarm".to_string()
        )]
    );
    assert_eq!(summaries(&doc, "monitoring_change"), Vec::new());
}
