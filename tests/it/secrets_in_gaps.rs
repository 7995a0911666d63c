//! A gap describes a value that is not what was expected; what an attacker wrote there (an
//! object's keys, a kill-switch result's fields, an EventBridge `detail-type`) may be a planted credential, and the gap's
//! reason reaches the terminal, every export and the report: it is counted, never quoted.

use crate::support;

use serde_json::json;
use std::path::Path;
use support::*;

const PLANTED_KEY: &str = "AKIAPLANTED0EXAMPLE/wJalrXUtnFEMIK7MDENG";
const PLANTED_AT: &str = "PLANTEDsecretXUtnFEMIK7";

fn case(dir: &Path) {
    let read = json!({
        "eventVersion": "1.09", "eventTime": "2026-11-20T14:02:17Z",
        "eventID": "0b0e6c0a-1b8d-4d3a-9d59-2b1f0c9e7a11",
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
        "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.23", "userAgent": "aws-cli/2.15",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice",
                         "accountId": "123456789012", "accessKeyId": "AKIAEXAMPLEALICE01"}
    });
    let files = [
        ("trail.json", json!({ "Records": [read] })),
        ("odd.json", json!({ PLANTED_KEY: 1, "other": 2 })),
        (
            "version.json",
            json!({"schema_version": {PLANTED_KEY: 1}, "at": "x", "decision": "contained", "steps": []}),
        ),
        (
            "envelope.json",
            json!({"detail-type": PLANTED_AT, "source": "aws.ec2", "detail": {"state": "x"}}),
        ),
        (
            "at.json",
            json!({"schema_version": 1, "tool": "trailcase-killswitch", "at": PLANTED_AT,
                   "dry_run": false, "decision": "contained", "steps": []}),
        ),
    ];
    for (name, body) in files {
        std::fs::write(dir.join(name), body.to_string()).unwrap();
    }
}

fn planted(text: &str) -> bool {
    text.contains("AKIAPLANTED") || text.contains("wJalr") || text.contains("PLANTEDsecret")
}

#[test]
fn keys_and_values_planted_where_a_gap_describes_them_reach_no_output() {
    let evidence = tempfile::tempdir().unwrap();
    case(evidence.path());
    let d = evidence.path().to_str().unwrap();

    let json = trailcase(["timeline", d, "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    assert!(
        !planted(&json.text()) && !planted(&json.stderr),
        "{}",
        json.stderr
    );
    let doc = json.json();
    let reason = |file: &str| {
        doc["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["path"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no gap for {file}"))["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        reason("odd.json"),
        "not CloudTrail or AWS CLI evidence: an object with 2 keys, among them other; \
         1 not shown (a key is shown only when it reads as a name, in letters: a planted secret is never printed)"
    );
    assert!(
        reason("version.json")
            .contains("unsupported schema_version an object with 1 key; 1 not shown"),
        "{}",
        reason("version.json")
    );
    assert!(
        reason("at.json")
            .contains("`at` of 23 characters (not quoted: not written as a time) is not a time"),
        "{}",
        reason("at.json")
    );

    assert_eq!(
        reason("envelope.json"),
        // Its length only, said as such (words 25: it read "of type a string of 23 characters").
        "an EventBridge event without a CloudTrail record, its detail-type not quoted (23 characters: only a detail-type written as words is quoted)"
    );

    for args in [
        &["--format", "csv", "--all"][..],
        &["--format", "jsonl", "--all"],
        &["--format", "timesketch"],
    ] {
        let run = trailcase([&["timeline", d][..], args].concat());
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.text().contains("odd.json"), "{args:?}: the gap's row");
        assert!(!planted(&run.text()) && !planted(&run.stderr), "{args:?}");
    }

    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(&pdf, &[d]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("odd.json"), "the gap is in the report");
    assert!(!planted(&text), "the report quotes a planted key");
}
