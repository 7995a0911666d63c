//! `trailcase collect` of API evidence over real HTTP against moto's server: `--lookup-attr`
//! repeated, with the LookupEvents of tests/moto/trailcase_moto.py (which, as the real API,
//! refuses more than one attribute a request): one series of pages per attribute, kept as
//! returned, each event counted once, and the timeline keeping each event once; and EventBridge
//! rules on every event bus, not only the default one.

use crate::common;

use common::acquired::{assert_consistent, manifest};
use common::bucket::isolated;
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
    // A timeline of the case on disk acquires nothing: `--endpoint-url` would be refused there.
    let endpoint: &[&str] = if args.first() == Some(&"timeline") {
        &[]
    } else {
        &["--endpoint-url", &moto.endpoint]
    };
    let out = isolated(
        Command::new(env!("CARGO_BIN_EXE_trailcase"))
            .args(args)
            .args(endpoint),
    )
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

#[test]
fn rules_are_read_from_every_event_bus() {
    let moto = Moto::start();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let conf = moto.sdk_config("us-east-1").await;
        let events = aws_sdk_eventbridge::Client::new(&conf);
        events
            .create_event_bus()
            .name("security")
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
            .put_rule()
            .name("HoneyOnSecurity")
            .event_bus_name("security")
            .event_pattern(
                r#"{"source":["aws.secretsmanager"],"detail":{"eventName":["GetSecretValue"]}}"#,
            )
            .send()
            .await
            .unwrap();
        events
            .put_targets()
            .rule("HoneyOnSecurity")
            .event_bus_name("security")
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
    });
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let case_s = case.to_str().unwrap();
    let (code, stderr, _) = trailcase(
        &moto,
        &[
            "collect",
            "--case",
            case_s,
            "--from",
            "2026-11-20T00:00Z",
            "--to",
            "2026-11-21T00:00Z",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let read = |p: &str| -> Value {
        serde_json::from_slice(&std::fs::read(case.join(p)).unwrap_or_else(|e| panic!("{p}: {e}")))
            .unwrap()
    };
    let buses: Vec<Value> = read("events/event-buses.json")["EventBuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["Name"].clone())
        .collect();
    assert_eq!(buses, [json!("default"), json!("security")]);
    assert_eq!(read("events/rules.json")["Rules"][0]["Name"], "Nightly");
    let on_security = read("events/bus-security/rules.json");
    assert_eq!(on_security["Rules"][0]["Name"], "HoneyOnSecurity");
    assert_eq!(on_security["Rules"][0]["EventBusName"], "security");
    // The detection rule is the one on the custom bus; the schedule on the default bus is not.
    let described = read("events/bus-security/describe-rule-HoneyOnSecurity.json");
    assert_eq!(described["EventBusName"], "security");
    assert_eq!(
        read("events/bus-security/targets-HoneyOnSecurity.json")["Targets"][0]["Id"],
        "kill"
    );
    assert!(!case.join("events/describe-rule-Nightly.json").exists());
    assert_consistent(&case);

    // The timeline reads every file of it, the bus list included, and finds the rule.
    let (_, stderr, stdout) = trailcase(&moto, &["timeline", case_s, "--quiet"]);
    let doc: Value = serde_json::from_slice(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let gaps = doc["gaps"].as_array().unwrap();
    assert!(
        !gaps
            .iter()
            .any(|g| g["path"].as_str().unwrap().contains("events/")),
        "{gaps:#?}"
    );
    let rules: Vec<&str> = doc["pipeline"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(rules.contains(&"HoneyOnSecurity"), "{rules:?}");
}
