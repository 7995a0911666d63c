//! Trail files synced from the trail's bucket (`aws s3 sync s3://BUCKET DIR`: `AWSLogs/` at the
//! top of the folder, no `cloudtrail/` folder, no manifest) carry the S3 key layout all the same:
//! the hours of the window between two trail files that hold none are a `no_trail_coverage` gap
//! (exit 1), in the timeline and the report, as under a case's `cloudtrail/`. Before, such a
//! folder's coverage was "not examined (inputs carry no trail key layout)", the silent hours no
//! gap, exit 0 beside "No honeytoken was read" (audit 25).

use crate::support;

use flate2::{write::GzEncoder, Compression};
use serde_json::json;
use std::io::Write as _;
use std::path::Path;
use support::*;

const DAY: &str = "AWSLogs/111111111111/CloudTrail/eu-central-1/2017/12/11";
/// trailscraper's test trail file, as CloudTrail named it (tests/data/SOURCES.md): delivered at
/// 15:05Z, records of 15:01Z and 15:04Z.
const REAL: &str = "111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz";

/// A synced bucket: the real file at 15:05Z and a delivery of the same region at 19:05Z.
fn synced_bucket(top: &Path) {
    let day = top.join(DAY);
    std::fs::create_dir_all(&day).unwrap();
    std::fs::copy(
        repo().join("tests/data/trailscraper").join(REAL),
        day.join(REAL),
    )
    .unwrap();
    let later = json!({"Records": [{
        "eventVersion": "1.05",
        "userIdentity": {"type": "AWSService", "invokedBy": "config.amazonaws.com"},
        "eventTime": "2017-12-11T19:01:51Z",
        "eventSource": "sts.amazonaws.com",
        "eventName": "AssumeRole",
        "awsRegion": "eu-central-1",
        "sourceIPAddress": "config.amazonaws.com",
        "userAgent": "config.amazonaws.com",
        "requestParameters": {"roleArn": "arn:aws:iam::111111111111:role/someRole", "roleSessionName": "AutoScalingDescribeHandlerSession"},
        "responseElements": null,
        "requestID": "7955d159-cbf6-11e7-b30f-095c9db61900",
        "eventID": "b25ff7e3-f1cf-4b7f-883d-b09168c41900",
        "eventType": "AwsApiCall",
        "recipientAccountId": "111111111111"
    }]});
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(&serde_json::to_vec(&later).unwrap()).unwrap();
    std::fs::write(
        day.join("111111111111_CloudTrail_eu-central-1_20171211T1905Z_Zz12Cd34Ef56Gh78.json.gz"),
        gz.finish().unwrap(),
    )
    .unwrap();
}

const SILENT: &str = "111111111111 eu-central-1: 2017-12-11T16:00Z–19:00Z: no trail file";

#[test]
fn a_synced_trail_bucket_names_its_silent_hours_as_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().join("synced");
    synced_bucket(&top);

    let run = trailcase(["timeline", top.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(SILENT), "{}", run.stderr);
    let doc = run.json();
    let coverage = &doc["coverage"];
    assert_eq!(coverage["status"], "examined", "{coverage}");
    let silent = coverage["not_covered"].as_array().unwrap();
    assert_eq!(silent.len(), 1, "{coverage}");
    assert_eq!(silent[0]["account"], "111111111111");
    assert_eq!(silent[0]["region"], "eu-central-1");
    assert_eq!(silent[0]["from"], "2017-12-11T16:00:00Z");
    assert_eq!(silent[0]["to"], "2017-12-11T19:00:00Z");
    assert_eq!(silent[0]["hours"], 3);
    assert!(doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["kind"] == "no_trail_coverage" && g["reason"] == SILENT));

    // Beside the evidence, not in it.
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[top.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains(SILENT), "{text}");
    assert!(!text.contains("every input was read in full"), "{text}");
    assert!(
        !text.contains("coverage by region-hour not examined"),
        "{text}"
    );
}

/// `verify` on the same folder said "coverage: no window (no trail file or LookupEvents record
/// in the case ...)" and counted 0 log files: it now reads the `AWSLogs/` keys for the coverage
/// (the silent hours a problem) and says its digests are not checked, and why.
#[test]
fn verify_reads_a_synced_trail_buckets_coverage_and_says_its_digests_are_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().join("synced");
    synced_bucket(&top);
    let run = trailcase(["verify", top.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out = run.text();
    assert!(
        out.contains("coverage no_evidence: account 111111111111: 2017-12-11T16:00:00Z to 2017-12-11T19:00:00Z (3 hour(s))"),
        "{out}"
    );
    assert!(
        out.contains("log files: 0 of 2 verified by a digest"),
        "{out}"
    );
    assert!(
        out.contains("the AWSLogs/ folder at its top gives the coverage by region-hour; its digests are not checked"),
        "{out}"
    );
    assert!(
        !out.contains("no trail file or LookupEvents record"),
        "{out}"
    );
}
