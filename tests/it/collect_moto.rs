//! `trailcase collect` (and `timeline s3://...`) over real HTTP against moto's server: trail
//! files in the real S3 key layout (plain and organization trail, digests with their signature
//! metadata, files outside the window), metric filters, rules and targets, a trail; LookupEvents,
//! ListPublicKeys and the CBOR CloudWatch APIs come from the additions in tests/moto. The seeding
//! goes through the AWS SDK; the binary runs its real code path (SDK, pagination, retries,
//! error mapping).

mod failures;

use crate::common;
use crate::support::read_json;

use common::acquired::manifest;
use common::bucket::{trailcase_at as trailcase, WINDOW};
use common::moto::Moto;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::process::Command;

const ACCOUNT: &str = "111122223333";
const BUCKET: &str = "trail-bucket";
/// A digest's signature metadata: hex of an RSA-2048 signature (512 digits).
const SIGNATURE: &str = concat!(
    "6d2f1a0b9c8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f",
    "1a0b9c8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f6d2f",
    "0b9c8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f6d2f1a",
    "9c8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f6d2f1a0b",
    "8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f6d2f1a0b9c",
    "7d6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f6d2f1a0b9c8e",
    "6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f6d2f1a0b9c8e7d",
    "5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f6d2f1a0b9c8e7d6f",
);

fn gzip(v: &Value) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(v.to_string().as_bytes()).unwrap();
    e.finish().unwrap()
}

fn record(id: &str, time: &str, source: &str, name: &str, arn: &str, params: Value) -> Value {
    let (kind, key) = if arn.contains(":assumed-role/") {
        ("AssumedRole", "ASIAKILLSWITCH00001")
    } else {
        ("IAMUser", "AKIAMALLORY000000001")
    };
    json!({
        "eventVersion": "1.08", "eventID": id, "eventTime": time, "eventSource": source,
        "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.9",
        "userAgent": "aws-cli/2.15.0", "readOnly": name.starts_with("Get"),
        "eventType": "AwsApiCall", "recipientAccountId": ACCOUNT,
        "userIdentity": {"type": kind, "arn": arn, "accountId": ACCOUNT, "accessKeyId": key,
                         "principalId": "AIDAMALLORY", "userName": "mallory"},
        "requestParameters": params,
    })
}

fn honey_read(id: &str, time: &str) -> Value {
    record(
        id,
        time,
        "secretsmanager.amazonaws.com",
        "GetSecretValue",
        &format!("arn:aws:iam::{ACCOUNT}:user/mallory"),
        json!({"secretId": "Production_Database_Credentials"}),
    )
}

fn trail_key(region: &str, stamp: &str, tag: &str) -> String {
    let day = format!("{}/{}/{}", &stamp[0..4], &stamp[4..6], &stamp[6..8]);
    format!("AWSLogs/{ACCOUNT}/CloudTrail/{region}/{day}/{ACCOUNT}_CloudTrail_{region}_{stamp}Z_{tag}.json.gz")
}

struct Seeded {
    /// Objects that must be acquired, with their bytes.
    inside: Vec<(String, Vec<u8>)>,
    /// Objects that must not be.
    outside: Vec<String>,
    digest_key: String,
    /// What the moto additions were seeded with.
    extra: Value,
}

fn seed(moto: &Moto) -> Seeded {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(seed_async(moto))
}

async fn seed_async(moto: &Moto) -> Seeded {
    let conf = moto.sdk_config("us-east-1").await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&conf)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket().bucket(BUCKET).send().await.unwrap();
    let killer =
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/HoneytokenKillSwitchRole/KillSwitchFn");
    let mut inside = vec![
        (trail_key("us-east-1", "20261120T1405", "a"), gzip(&json!({"Records": [honey_read("ev-read-1", "2026-11-20T14:02:17Z")]}))),
        (trail_key("us-east-1", "20261120T1420", "b"), gzip(&json!({"Records": [record("ev-contain-1", "2026-11-20T14:03:05Z", "iam.amazonaws.com", "PutUserPolicy", &killer, json!({"userName": "mallory", "policyName": "deny-all"}))]}))),
        (trail_key("eu-west-1", "20261120T1000", "c"), gzip(&json!({"Records": [record("ev-eu-1", "2026-11-20T09:58:00Z", "s3.amazonaws.com", "ListBuckets", &format!("arn:aws:iam::{ACCOUNT}:user/alice"), json!({}))]}))),
        // An organization trail's layout.
        ("AWSLogs/o-abc123def4/444455556666/CloudTrail/us-east-1/2026/11/20/444455556666_CloudTrail_us-east-1_20261120T1200Z_d.json.gz".to_string(),
         gzip(&json!({"Records": [record("ev-org-1", "2026-11-20T11:58:00Z", "s3.amazonaws.com", "ListBuckets", "arn:aws:iam::444455556666:user/bob", json!({}))]}))),
    ];
    // Just before the window but within the delivery margin.
    inside.push((
        trail_key("us-east-1", "20261119T2350", "e"),
        gzip(&json!({"Records": []})),
    ));
    let outside = vec![
        trail_key("us-east-1", "20261118T1000", "old"),
        trail_key("us-east-1", "20261121T0300", "late"),
        format!("AWSLogs/{ACCOUNT}/CloudTrail-Insight/us-east-1/2026/11/20/{ACCOUNT}_CloudTrail-Insight_us-east-1_20261120T1000Z_i.json.gz"),
    ];
    for (k, bytes) in &inside {
        s3.put_object()
            .bucket(BUCKET)
            .key(k)
            .body(bytes.clone().into())
            .send()
            .await
            .unwrap();
    }
    for k in &outside {
        s3.put_object()
            .bucket(BUCKET)
            .key(k)
            .body(gzip(&json!({"Records": []})).into())
            .send()
            .await
            .unwrap();
    }
    let digest_key = format!("AWSLogs/{ACCOUNT}/CloudTrail-Digest/us-east-1/2026/11/20/{ACCOUNT}_CloudTrail-Digest_us-east-1_main_us-east-1_20261120T150512Z.json.gz");
    let digest = gzip(
        &json!({"awsAccountId": ACCOUNT, "digestStartTime": "2026-11-20T14:05:12Z", "digestEndTime": "2026-11-20T15:05:12Z", "logFiles": []}),
    );
    s3.put_object()
        .bucket(BUCKET)
        .key(&digest_key)
        .body(digest.clone().into())
        .metadata("signature", SIGNATURE)
        .metadata("signature-algorithm", "SHA256withRSA")
        .send()
        .await
        .unwrap();
    inside.push((digest_key.clone(), digest));

    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    logs.create_log_group()
        .log_group_name("cloudtrail-logs")
        .send()
        .await
        .unwrap();
    logs.put_metric_filter()
        .log_group_name("cloudtrail-logs")
        .filter_name("HoneytokenRead")
        .filter_pattern(r#"{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }"#)
        .metric_transformations(aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
            .metric_name("HoneytokenReads").metric_namespace("Security").metric_value("1").build().unwrap())
        .send().await.unwrap();
    let events = aws_sdk_eventbridge::Client::new(&conf);
    events
        .put_rule()
        .name("HoneytokenRule")
        .event_pattern(
            r#"{"source":["aws.secretsmanager"],"detail":{"eventName":["GetSecretValue"]}}"#,
        )
        .send()
        .await
        .unwrap();
    events
        .put_rule()
        .name("Nightly")
        .schedule_expression("rate(1 day)")
        .send()
        .await
        .unwrap();
    events
        .put_targets()
        .rule("HoneytokenRule")
        .targets(
            aws_sdk_eventbridge::types::Target::builder()
                .id("kill")
                .arn(format!(
                    "arn:aws:lambda:us-east-1:{ACCOUNT}:function:KillSwitchFn"
                ))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    s3.create_bucket()
        .bucket("ct-delivery")
        .send()
        .await
        .unwrap();
    aws_sdk_cloudtrail::Client::new(&conf)
        .create_trail()
        .name("main")
        .s3_bucket_name("ct-delivery")
        .is_multi_region_trail(true)
        .send()
        .await
        .unwrap();

    let mut lookup: Vec<Value> = (0..4)
        .map(|i| {
            record(
                &format!("lk-{i}"),
                &format!("2026-11-20T0{i}:00:00Z"),
                "s3.amazonaws.com",
                "ListBuckets",
                &format!("arn:aws:iam::{ACCOUNT}:user/alice"),
                json!({}),
            )
        })
        .collect();
    lookup.push(honey_read("ev-read-1", "2026-11-20T14:02:17Z"));
    lookup.push(honey_read("lk-before", "2026-11-19T10:00:00Z"));
    let extra = json!({
        "page_size": 2,
        "throttle_first": {"us-east-1": 4},
        "lookup": {"us-east-1": lookup},
        "public_keys": {"us-east-1": [{"Value": "AAECAw==", "ValidityStartTime": "2026-11-01T00:00:00Z",
                                         "ValidityEndTime": "2026-12-01T00:00:00Z", "Fingerprint": "8eb5f7d1"}]},
        "cloudwatch": {"us-east-1": {
            "alarms": [
                {"AlarmName": "HoneytokenAccessAlarm", "AlarmArn": format!("arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:HoneytokenAccessAlarm"),
                 "MetricName": "HoneytokenReads", "Namespace": "Security", "Statistic": "Sum", "Period": 60,
                 "EvaluationPeriods": 1, "DatapointsToAlarm": 1, "Threshold": 1.0, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                 "AlarmActions": [format!("arn:aws:sns:us-east-1:{ACCOUNT}:alerts")], "StateValue": "OK",
                 "StateUpdatedTimestamp": "2026-11-20T14:10:00Z"},
                {"AlarmName": "CPUHigh", "MetricName": "CPUUtilization", "Namespace": "AWS/EC2", "StateValue": "OK"}
            ],
            "history": [
                {"AlarmName": "HoneytokenAccessAlarm", "AlarmType": "MetricAlarm", "Timestamp": "2026-11-20T14:04:01.512Z",
                 "HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM",
                 "HistoryData": "{\"version\":\"1.0\",\"oldState\":{\"stateValue\":\"OK\"},\"newState\":{\"stateValue\":\"ALARM\",\"stateReason\":\"Threshold Crossed\"}}"}
            ],
            "metrics": {"HoneytokenRule TriggeredRules": [["2026-11-20T14:02:00Z", 1.0]],
                        "HoneytokenRule Invocations": [["2026-11-20T14:02:00Z", 1.0]]}
        }}
    });
    moto.seed(&extra);
    Seeded {
        inside,
        outside,
        digest_key,
        extra,
    }
}

#[test]
fn collect_acquires_the_window_byte_for_byte_resumes_and_feeds_the_timeline() {
    let moto = Moto::start();
    let seeded = seed(&moto);
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let case_s = case.to_str().unwrap();
    let mut args = vec![
        "collect",
        "--case",
        case_s,
        "--s3",
        "s3://trail-bucket/AWSLogs/",
        "--lookup",
    ];
    args.extend(WINDOW);
    let out = trailcase(&args, &moto.endpoint);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    // Every object of the window, byte for byte, with its hash and S3 facts in the manifest.
    let m = manifest(&case);
    assert!(m["gaps"].as_array().unwrap().is_empty(), "{m:#}");
    for (key, bytes) in &seeded.inside {
        let path = format!("cloudtrail/{key}");
        assert_eq!(&std::fs::read(case.join(&path)).unwrap(), bytes, "{path}");
        let e = m["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == path.as_str())
            .unwrap_or_else(|| panic!("{path} in manifest"));
        assert_eq!(e["sha256"], hex::encode(Sha256::digest(bytes)));
        assert_eq!(e["size"], bytes.len());
        assert_eq!(e["source"], format!("s3://{BUCKET}/{key}"));
        assert_eq!(e["s3"]["bucket"], BUCKET);
        assert_eq!(e["s3"]["key"], key.as_str());
        let md5 = hex::encode(md5::Md5::digest(bytes));
        assert_eq!(e["s3"]["etag"], format!("\"{md5}\""));
        assert!(e["s3"]["last_modified"].as_str().unwrap().ends_with('Z'));
    }
    for key in &seeded.outside {
        assert!(
            !case.join("cloudtrail").join(key).exists(),
            "{key} is outside the window"
        );
    }
    let sig =
        std::fs::read_to_string(case.join(format!("cloudtrail/{}.signature", seeded.digest_key)))
            .unwrap();
    assert_eq!(sig, SIGNATURE);
    assert_eq!(
        read_json(&case.join("cloudtrail/public-keys.json"))["PublicKeyList"][0]["Fingerprint"],
        "8eb5f7d1"
    );

    // LookupEvents: the window only, two events a page; the first request stays throttled past
    // the SDK's own retries and is tried again after a pause.
    let mut events = Vec::new();
    for n in 1..=3 {
        let page = read_json(&case.join(format!("lookup-events/us-east-1-page-{n}.json")));
        assert_eq!(page.get("NextToken").is_some(), n < 3, "page {n}");
        for e in page["Events"].as_array().unwrap() {
            assert!(e["EventTime"].as_str().unwrap().ends_with("+00:00"));
            let inner: Value =
                serde_json::from_str(e["CloudTrailEvent"].as_str().unwrap()).unwrap();
            events.push(inner["eventID"].as_str().unwrap().to_string());
        }
    }
    assert!(!case.join("lookup-events/us-east-1-page-4.json").exists());
    assert_eq!(events.len(), 5);
    assert!(!events.contains(&"lk-before".to_string()));
    let calls = m["api_calls"].as_array().unwrap();
    // Read-only: every API the acquisition called only reads (nothing in AWS is changed).
    for c in calls {
        let op = c["operation"].as_str().unwrap();
        assert!(
            ["List", "Get", "Describe", "Lookup", "Head"]
                .iter()
                .any(|p| op.starts_with(p)),
            "collect called {op}, which is not a read"
        );
    }
    let lookups = calls
        .iter()
        .find(|c| c["operation"] == "LookupEvents")
        .unwrap();
    // One request failed after the SDK's retries (the errors count), then the pause got it through.
    assert_eq!(lookups["errors"], 1, "{lookups}");
    assert_eq!(lookups["calls"], 4, "{lookups}");

    // The pipeline's configuration in the CLI's shapes.
    let alarms = read_json(&case.join("cloudwatch/alarms.json"));
    let names: Vec<&str> = alarms["MetricAlarms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AlarmName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["HoneytokenAccessAlarm"],
        "only the alarm fed by the honeytoken filter"
    );
    assert_eq!(
        alarms["MetricAlarms"][0]["StateUpdatedTimestamp"],
        "2026-11-20T14:10:00+00:00"
    );
    let history = read_json(&case.join("cloudwatch/alarm-history.json"));
    assert_eq!(
        history["AlarmHistoryItems"][0]["Timestamp"],
        "2026-11-20T14:04:01.512000+00:00"
    );
    assert!(history["AlarmHistoryItems"][0]["HistoryData"].is_string());
    let metrics = read_json(&case.join("cloudwatch/metric-data.json"));
    assert_eq!(metrics["MetricDataResults"].as_array().unwrap().len(), 4);
    assert_eq!(
        metrics["MetricDataResults"][0]["Label"],
        "HoneytokenRule TriggeredRules"
    );
    assert_eq!(metrics["MetricDataResults"][0]["Values"][0], 1.0);
    assert_eq!(
        read_json(&case.join("logs/metric-filters.json"))["metricFilters"][0]["filterName"],
        "HoneytokenRead"
    );
    assert_eq!(
        read_json(&case.join("events/rules.json"))["Rules"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        read_json(&case.join("events/describe-rule-HoneytokenRule.json"))["Name"],
        "HoneytokenRule"
    );
    assert!(!case.join("events/describe-rule-Nightly.json").exists());
    assert_eq!(
        read_json(&case.join("events/targets-HoneytokenRule.json"))["Targets"][0]["Id"],
        "kill"
    );
    assert_eq!(
        read_json(&case.join("trail/trails.json"))["trailList"][0]["Name"],
        "main"
    );
    assert!(read_json(&case.join("trail/trail-status.json"))["IsLogging"].is_boolean());
    assert!(case.join("trail/event-selectors.json").is_file());

    // A second run fetches nothing again and says how much it skipped.
    let out = trailcase(&args, &moto.endpoint);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let skipped = seeded.inside.len();
    assert!(
        stderr.contains(&format!("{skipped} object(s) skipped")),
        "{stderr}"
    );
    let m2 = manifest(&case);
    assert!(
        !m2["api_calls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["operation"] == "GetObject"),
        "{m2:#}"
    );
    // The trail files' entries are kept as they were (the API outputs are acquired again).
    for (key, _) in &seeded.inside {
        let path = format!("cloudtrail/{key}");
        let find = |m: &Value| {
            m["entries"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["path"] == path.as_str())
                .cloned()
        };
        assert_eq!(find(&m), find(&m2));
    }

    // trailcase's own parser reads the case: the incident, its detection and containment.
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args(["timeline", case_s])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The seeded trail files cover a few hours of each region only, and no digest vouches for
    // the rest: those region-hours are not covered, each range a gap (exit 1); nothing else is.
    let (coverage, other): (Vec<&Value>, Vec<&Value>) = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .partition(|g| g["kind"] == "no_trail_coverage");
    assert!(other.is_empty(), "{:#}", doc["gaps"]);
    assert_eq!(
        coverage.len(),
        doc["coverage"]["not_covered"].as_array().unwrap().len()
    );
    assert_eq!(out.status.code(), Some(1), "{:#}", doc["gaps"]);
    assert_eq!(
        doc["incidents"].as_array().unwrap().len(),
        1,
        "{:#}",
        doc["incidents"]
    );
    let pipeline = &doc["pipeline"];
    assert_eq!(
        pipeline["alarm_history"].as_array().unwrap().len(),
        1,
        "{pipeline:#}"
    );
    assert_eq!(pipeline["rules"][0]["name"], "HoneytokenRule");
    assert!(doc["summary"]["records_read"].as_u64().unwrap() >= 9);

    // The same straight from AWS: one analysis path through a temporary case.
    let mut args = vec![
        "timeline",
        "s3://trail-bucket/AWSLogs/111122223333/",
        "--lookup",
        "--quiet",
    ];
    args.extend(WINDOW);
    let out = trailcase(&args, &moto.endpoint);
    // Incomplete for the same reason only: region-hours no trail file or digest covers.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let direct: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(direct["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["kind"] == "no_trail_coverage"));
    assert_eq!(direct["incidents"].as_array().unwrap().len(), 1);

    // And the report, straight from AWS: the acquired case carries a manifest, so its integrity
    // is checked and stated.
    let pdf = case.join("..").join("direct-report.pdf");
    let pdf_s = pdf.to_str().unwrap().to_string();
    let mut args = vec![
        "report",
        "s3://trail-bucket/AWSLogs/111122223333/",
        "--lookup",
        "--quiet",
        "--out",
        &pdf_s,
    ];
    args.extend(WINDOW);
    let out = trailcase(&args, &moto.endpoint);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the uncovered region-hours: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
}
