//! An UpdateTrail that makes CloudTrail record less (Multi-Region or global events off, the
//! CloudWatch Logs delivery removed, log file validation off, another S3 bucket) is
//! `logging_reduced` naming the setting, as StopLogging is; one that changes nothing of the kind
//! stays what it was. Records shaped as CloudTrail writes `aws cloudtrail update-trail` (the
//! user guide's UpdateTrail example, tests/data/shared/cloudtrail/awsdocs-cloudtrail-user-guide/
//! cloudtrail-log-file-examples-L253.json, and the OpenTelemetry collector's copy with
//! `isMultiRegionTrail`), built here with the parameters of the UpdateTrail API.

use crate::support::*;
use serde_json::Value;
use std::path::Path;

fn record(id: &str, time: &str, name: &str, req: &str, error: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.09","eventTime":"{time}","eventID":"{id}","eventSource":"{source}","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2.13.0 Python/3.11.4 command/cloudtrail.update-trail","requestParameters":{req},"responseElements":null,"readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/mallory","accountId":"123456789012","accessKeyId":"AKIAMALLORY"}}{error}}}"#,
        source = if name == "GetSecretValue" {
            "secretsmanager.amazonaws.com"
        } else {
            "cloudtrail.amazonaws.com"
        }
    )
}

/// The actor reads the honeytoken, then makes `calls` (name, requestParameters, error fields).
fn case(dir: &Path, calls: &[(&str, &str, &str)]) -> Value {
    let mut recs = vec![record(
        "read-1",
        "2024-10-09T14:40:00Z",
        "GetSecretValue",
        r#"{"secretId":"Production_Database_Credentials"}"#,
        "",
    )];
    for (n, (name, req, error)) in calls.iter().enumerate() {
        recs.push(record(
            &format!("call-{n}"),
            &format!("2024-10-09T14:4{}:00Z", n + 1),
            name,
            req,
            error,
        ));
    }
    std::fs::write(dir.join("trail.json"), format!("[{}]", recs.join(","))).unwrap();
    timeline_of(dir)
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

#[test]
fn an_update_trail_that_records_less_is_logging_reduced_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let doc = case(
        dir.path(),
        &[
            (
                "UpdateTrail",
                r#"{"name":"management-events","isMultiRegionTrail":false,"includeGlobalServiceEvents":false}"#,
                "",
            ),
            (
                "UpdateTrail",
                r#"{"name":"org-trail","cloudWatchLogsLogGroupArn":"","cloudWatchLogsRoleArn":""}"#,
                "",
            ),
        ],
    );
    assert_eq!(
        summaries(&doc, "logging_reduced"),
        [(
            "high".to_string(),
            "the actor stopped, deleted or narrowed a trail: cloudtrail:UpdateTrail on trail management-events (isMultiRegionTrail false: only the trail's home Region is recorded; includeGlobalServiceEvents false: global services' events (IAM, STS, CloudFront) are not recorded), cloudtrail:UpdateTrail on trail org-trail (cloudWatchLogsLogGroupArn removed: no delivery to CloudWatch Logs, so no metric filter sees the trail's events); no evidence shows that the trail feeds the detection pipeline, but CloudTrail records less either way".to_string()
        )]
    );
    assert_eq!(
        of_kind(&doc["incidents"][0]["findings"], "logging_reduced")[0]["event_ids"],
        serde_json::json!(["call-0", "call-1"])
    );
    assert_eq!(summaries(&doc, "monitoring_change"), Vec::new());
}

#[test]
fn a_refused_update_trail_that_would_record_less_changed_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let doc = case(
        dir.path(),
        &[(
            "UpdateTrail",
            r#"{"name":"management-events","enableLogFileValidation":false,"s3BucketName":"attacker-bucket"}"#,
            r#","errorCode":"AccessDenied","errorMessage":"User is not authorized to perform: cloudtrail:UpdateTrail""#,
        )],
    );
    assert_eq!(
        summaries(&doc, "logging_reduced"),
        [(
            "medium".to_string(),
            "the actor tried to stop, delete or narrow a trail and failed (nothing changed): cloudtrail:UpdateTrail on trail management-events (s3BucketName attacker-bucket: log files are delivered to that bucket from this call on (the record does not show the bucket before); enableLogFileValidation false: no digest files, so later log files cannot be verified) (AccessDenied)".to_string()
        )]
    );
}

/// The OpenTelemetry collector's UpdateTrail turns Multi-Region on; an SNS topic set and a
/// PutInsightSelectors turning Insights off record nothing less: what they were before.
#[test]
fn an_update_trail_that_records_no_less_stays_a_monitoring_change() {
    let dir = tempfile::tempdir().unwrap();
    let doc = case(
        dir.path(),
        &[
            (
                "UpdateTrail",
                r#"{"name":"myTrail2","isMultiRegionTrail":true}"#,
                "",
            ),
            (
                "UpdateTrail",
                r#"{"name":"myTrail2","snsTopicName":"trail-topic"}"#,
                "",
            ),
            (
                "PutInsightSelectors",
                r#"{"trailName":"myTrail2","insightSelectors":[]}"#,
                "",
            ),
        ],
    );
    assert_eq!(summaries(&doc, "logging_reduced"), Vec::new());
    let changes = summaries(&doc, "monitoring_change");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(
        changes[0].1.starts_with("the actor changed monitoring resources: cloudtrail:PutInsightSelectors on trail myTrail2 (insightSelectors empty: Insights turned off; the management events are still recorded), cloudtrail:UpdateTrail on trail myTrail2 (2 records); whether they are part of the detection pipeline is unknown"),
        "{changes:?}"
    );
}

/// The executive summary said "make a change (UpdateTrail)" for a trail's update (words 25): each
/// CloudTrail change has its plain words now.
#[test]
fn the_summary_names_trail_changes_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        &[
            (
                "UpdateTrail",
                r#"{"name":"management-events","isMultiRegionTrail":false}"#,
                "",
            ),
            (
                "PutEventSelectors",
                r#"{"trailName":"management-events","eventSelectors":[]}"#,
                "",
            ),
            (
                "PutInsightSelectors",
                r#"{"trailName":"management-events","insightSelectors":[]}"#,
                "",
            ),
            ("StopLogging", r#"{"name":"management-events"}"#, ""),
        ],
    );
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(&pdf, &[dir.path().to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("The actor managed to change an audit trail's settings, change which events an audit trail records, change an audit trail's Insights settings, stop an audit trail's logging"),
        "{text}"
    );
    assert!(!text.contains("make a change"), "{text}");
    assert!(!text.contains("changes of 3 kinds"), "{text}");
}
