//! `trailcase collect --lookup --lookup-attr ...` over real HTTP against moto's server with the
//! LookupEvents of tests/moto/trailcase_moto.py (which, as the real API, refuses more than one
//! attribute a request): one series of pages per attribute, kept as returned, each event
//! counted once, and the timeline reading the case keeps each event once.

mod common;

use common::acquired::{assert_consistent, manifest};
use common::moto::Moto;
use serde_json::{json, Value};
use std::process::Command;

const ACCOUNT: &str = "111122223333";

fn event(id: &str, time: &str, name: &str, user: &str) -> Value {
    json!({
        "eventVersion": "1.08", "eventID": id, "eventTime": time, "eventName": name,
        "eventSource": if name == "GetSecretValue" { "secretsmanager.amazonaws.com" } else { "s3.amazonaws.com" },
        "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.9", "eventType": "AwsApiCall",
        "readOnly": true, "recipientAccountId": ACCOUNT,
        "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::{ACCOUNT}:user/{user}"),
                         "accountId": ACCOUNT, "userName": user, "accessKeyId": "AKIAMALLORY000000001"},
        "requestParameters": if name == "GetSecretValue" {
            json!({"secretId": "Production_Database_Credentials"})
        } else {
            json!({})
        },
    })
}

fn trailcase(moto: &Moto, args: &[&str]) -> (Option<i32>, String, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args(args)
        .args(["--endpoint-url", &moto.endpoint])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("the trailcase binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.stdout,
    )
}

/// The EventIds of every page of one series, in page order.
fn series_ids(case: &std::path::Path, series: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 1.. {
        let path = case.join(format!("lookup-events/{series}-page-{n}.json"));
        if !path.exists() {
            break;
        }
        let page: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        for e in page["Events"].as_array().unwrap() {
            ids.push(e["EventId"].as_str().unwrap().to_string());
        }
    }
    ids
}

#[test]
fn each_lookup_attribute_is_its_own_series_and_an_event_found_twice_counts_once() {
    let moto = Moto::start();
    moto.seed(&json!({
        "page_size": 1,
        "lookup": {"us-east-1": [
            event("ev-read", "2026-11-20T14:02:17Z", "GetSecretValue", "mallory"),
            event("ev-list", "2026-11-20T14:05:00Z", "ListBuckets", "mallory"),
            event("ev-alice", "2026-11-20T15:00:00Z", "ListBuckets", "alice"),
        ]},
    }));
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let case_s = case.to_str().unwrap();
    let (code, stderr, _) = trailcase(
        &moto,
        &[
            "collect",
            "--case",
            case_s,
            "--lookup",
            "--lookup-attr",
            "EventName=GetSecretValue",
            "--lookup-attr",
            "Username=mallory",
            "--from",
            "2026-11-20T00:00Z",
            "--to",
            "2026-11-21T00:00Z",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        series_ids(&case, "us-east-1-EventName-GetSecretValue"),
        ["ev-read"]
    );
    // One event a page, newest first, as the API pages them.
    assert_eq!(
        series_ids(&case, "us-east-1-Username-mallory"),
        ["ev-list", "ev-read"]
    );
    assert!(!case.join("lookup-events/us-east-1-page-1.json").exists());
    // ev-read came back in both series: two events, not three.
    assert!(stderr.contains("2 LookupEvents event(s)"), "{stderr}");
    let m = manifest(&case);
    let sources: Vec<&str> = m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["source"].as_str())
        .filter(|s| s.contains("LookupEvents"))
        .collect();
    assert!(
        sources.contains(&"aws:cloudtrail:LookupEvents:us-east-1:Username=mallory:page 2"),
        "{sources:?}"
    );
    let lookups: u64 = m["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["operation"] == "LookupEvents")
        .map(|c| c["calls"].as_u64().unwrap())
        .sum();
    assert_eq!(lookups, 3);
    assert_consistent(&case);

    // The analysis keeps each event once.
    let (code, stderr, stdout) = trailcase(&moto, &["timeline", case_s, "--quiet"]);
    assert!(code == Some(0) || code == Some(1), "{stderr}");
    let doc: Value = serde_json::from_slice(&stdout).unwrap();
    // Three records read (ev-read in both series, ev-list), the repeated one dropped: one
    // incident, whose honeytoken access is ev-read once.
    assert_eq!(doc["summary"]["records_read"], 3, "{:#}", doc["summary"]);
    assert_eq!(
        doc["summary"]["duplicates_dropped"], 1,
        "{:#}",
        doc["summary"]
    );
    assert_eq!(doc["incidents"][0]["access_event_ids"], json!(["ev-read"]));
}
