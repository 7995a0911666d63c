//! A CloudTrail Insights event as EventBridge delivers it (`detail-type` "AWS Insight via
//! CloudTrail", `detail` the Insights record) was rejected as "an EventBridge event of type
//! "AWS Insight via CloudTrail" without a CloudTrail record", and the run said nothing was
//! examined: the record names its API inside `insightDetails`, not in `eventName`. It is now
//! read as the same record in a trail file is (audit 27).
//!
//! The record is airbnb/streamalert's Insights test record (tests/data/SOURCES.md), its
//! `insightDetails` as published, in the envelope EventBridge puts around it.

use crate::support;

use serde_json::{json, Value};
use support::*;

#[test]
fn an_insights_event_from_eventbridge_is_read_as_its_record() {
    let tests: Value = read_json(&repo().join("tests/data/streamalert/cloudtrail_insights.json"));
    let record = tests[0]["data"]["Records"][0].clone();
    assert_eq!(record["eventType"], "AwsCloudTrailInsight");
    let event = json!({
        "version": "0", "id": "0e7f3a52-27c1-4d2b-9a43-000000000027",
        "detail-type": "AWS Insight via CloudTrail", "source": "aws.cloudtrail",
        "account": record["recipientAccountId"], "time": record["eventTime"],
        "region": record["awsRegion"], "resources": [], "detail": record
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("eventbridge")).unwrap();
    std::fs::create_dir_all(dir.path().join("trail")).unwrap();
    std::fs::write(
        dir.path().join("eventbridge/insight.json"),
        event.to_string(),
    )
    .unwrap();
    let run = trailcase([
        "timeline",
        "--quiet",
        "--all",
        "--format",
        "jsonl",
        dir.path().join("eventbridge").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<Value> = run
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let row = &rows[0];
    assert_eq!(row["kind"], "insight");
    assert_eq!(row["source"], "eventbridge");
    assert_eq!(row["event_id"], "49dfd327-5991-494b-98bf-6fe1eb3e3732");
    assert_eq!(row["action"], "autoscaling:CompleteLifecycleAction");

    // The same record in a trail file reads the same.
    std::fs::write(
        dir.path().join("trail/records.json"),
        json!({ "Records": [event["detail"].clone()] }).to_string(),
    )
    .unwrap();
    let trail = trailcase([
        "timeline",
        "--quiet",
        "--all",
        "--format",
        "jsonl",
        dir.path().join("trail").to_str().unwrap(),
    ]);
    let trail_row: Value = serde_json::from_str(trail.text().lines().next().unwrap()).unwrap();
    for key in [
        "time", "kind", "actor", "action", "target", "outcome", "region",
    ] {
        assert_eq!(trail_row[key], row[key], "{key}");
    }
}
