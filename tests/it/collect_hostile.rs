//! `trailcase collect` against evidence an attacker shaped, over real HTTP against moto's server:
//! keys that alias one another (`F`, `./F`, `//F`), a key with a control character, symbolic links
//! planted in the case directory, and no credentials at all. Each test is named after the attack
//! and checks what a responder would: exit code, stored bytes, manifest entries, stderr.

use crate::common;

use common::acquired::{assert_acquired, assert_consistent, manifest};
use common::bucket::{collect, run, serving, timeline_s3, WINDOW};
use serde_json::{json, Value};
use std::io::Write as _;
use std::process::Command;

const ACCOUNT: &str = "111122223333";
const DAY: &str = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20";
const NAME: &str = "111122223333_CloudTrail_us-east-1_20261120T1405Z_abcdEFGH12345678.json.gz";

fn gzip(text: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap()
}

/// A trail file holding one event: `name` on the honeytoken, or something benign.
fn trail_body(event_id: &str, name: &str, padding: usize) -> Vec<u8> {
    let secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:Production_Database_Credentials-Xy12Ab";
    let record = json!({"eventVersion": "1.09", "eventID": event_id,
        "eventTime": "2026-11-20T14:02:00Z", "eventSource": "secretsmanager.amazonaws.com",
        "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.45",
        "userAgent": "x".repeat(padding),
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "accountId": ACCOUNT,
            "arn": "arn:aws:iam::111122223333:user/intruder", "userName": "intruder"},
        "requestParameters": {"secretId": secret},
        "resources": [{"accountId": ACCOUNT, "type": "AWS::SecretsManager::Secret", "ARN": secret}],
        "eventType": "AwsApiCall", "recipientAccountId": ACCOUNT});
    gzip(&json!({ "Records": [record] }).to_string())
}

/// The event ids of a timeline JSON's rows.
fn event_ids(doc: &Value) -> Vec<String> {
    doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["event_id"].as_str().unwrap_or("").to_string())
        .collect()
}

fn timeline_json(mut c: Command) -> (Option<i32>, Value) {
    let out = c.output().expect("the trailcase binary runs");
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), doc)
}

/// Three distinct objects whose keys a path join takes for one: the honeytoken read is in the
/// canonical one, benign (and larger) twins are uploaded after it. Each is kept under its own
/// path, the canonical key keeps its plain path, and the read is in the timeline, whether the
/// case is analysed afterwards or straight from `s3://`.
#[test]
fn key_aliasing_dot_segment_cannot_replace_evidence() {
    let real = format!("{DAY}/{NAME}");
    let dot = format!("{DAY}/./{NAME}");
    let empty = format!("{DAY}//{NAME}");
    let objects = vec![
        (
            real.clone(),
            trail_body("ev-honeytoken-read", "GetSecretValue", 0),
        ),
        (
            dot.clone(),
            trail_body("ev-benign-dot", "ListSecrets", 200_000),
        ),
        (
            empty.clone(),
            trail_body("ev-benign-empty", "ListSecrets", 100_000),
        ),
    ];
    let (moto, dir, case) = serving(&objects, "trail-bucket", "us-east-1");
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(0), "{stderr}");
    let m = manifest(&case);
    assert_acquired(&case, &m, &real, &objects[0].1);
    assert_acquired(&case, &m, &format!("{DAY}/%2E/{NAME}"), &objects[1].1);
    assert_acquired(&case, &m, &format!("{DAY}/%/{NAME}"), &objects[2].1);
    let keys: Vec<&str> = m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["s3"]["key"].as_str())
        .collect();
    assert_eq!(keys.len(), 3);
    for k in [&real, &dot, &empty] {
        assert!(keys.contains(&k.as_str()), "{k} in {keys:?}");
    }
    assert!(stderr.contains("non-canonical"), "{stderr}");
    assert_consistent(&case);

    let mut c = Command::new(env!("CARGO_BIN_EXE_trailcase"));
    c.args(["timeline", "--quiet"]).arg(&case);
    let (_, doc) = timeline_json(c);
    let ids = event_ids(&doc);
    for id in ["ev-honeytoken-read", "ev-benign-dot", "ev-benign-empty"] {
        assert!(ids.iter().any(|i| i == id), "{id} in {ids:?}");
    }
    assert!(!doc["incidents"].as_array().unwrap().is_empty());

    let (_, direct) = timeline_json(timeline_s3(
        &moto,
        &dir.path().join("direct"),
        "trail-bucket",
    ));
    assert!(event_ids(&direct).iter().any(|i| i == "ev-honeytoken-read"));
    assert!(!direct["incidents"].as_array().unwrap().is_empty());
}

/// A key with `\x01` cannot be written in XML 1.0: without `EncodingType=url` the listing page
/// of its day is unreadable and every file of that day is lost. Now both files are collected
/// and the hostile key is stored under an escaped name, printed escaped.
#[test]
fn control_character_key_does_not_hide_its_day() {
    let plain = format!("{DAY}/{NAME}");
    let hostile = format!("{DAY}/{}", NAME.replace("abcd", "ab\u{1}cd"));
    let objects = vec![
        (plain.clone(), trail_body("ev-plain", "GetSecretValue", 0)),
        (hostile.clone(), trail_body("ev-hostile", "ListSecrets", 0)),
    ];
    let (moto, _dir, case) = serving(&objects, "trail-bucket", "us-east-1");
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(0), "{stderr}");
    let m = manifest(&case);
    assert_acquired(&case, &m, &plain, &objects[0].1);
    assert_acquired(&case, &m, &hostile.replace('\u{1}', "%01"), &objects[1].1);
    assert!(!stderr.contains('\u{1}'), "{stderr:?}");
    assert!(stderr.contains("\\u{1}"), "{stderr}");
}

/// `case/cloudtrail -> ../elsewhere`: collect refuses the case (one line, exit 2) and nothing is
/// written through the link.
#[cfg(unix)]
#[test]
fn symlink_in_the_case_cannot_send_evidence_elsewhere() {
    let objects = vec![(format!("{DAY}/{NAME}"), trail_body("ev", "ListSecrets", 0))];
    let (moto, dir, case) = serving(&objects, "trail-bucket", "us-east-1");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(&case).unwrap();
    std::os::unix::fs::symlink("../elsewhere", case.join("cloudtrail")).unwrap();
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(std::fs::read_dir(&elsewhere).unwrap().next().is_none());
    assert!(!case.join("manifest.json").exists());
}

/// Resuming sweeps `*.trailcase-partial` files: a link in the case to a folder outside it must
/// not lead the sweep there.
#[cfg(unix)]
#[test]
fn resuming_never_deletes_a_partial_file_outside_the_case() {
    let objects = vec![(format!("{DAY}/{NAME}"), trail_body("ev", "ListSecrets", 0))];
    let (moto, dir, case) = serving(&objects, "trail-bucket", "us-east-1");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let precious = outside.join("work.trailcase-partial");
    std::fs::write(&precious, b"not the case's").unwrap();
    std::fs::create_dir_all(&case).unwrap();
    std::os::unix::fs::symlink(&outside, case.join("logs")).unwrap();
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(std::fs::read(&precious).unwrap(), b"not the case's");
}

/// No credentials anywhere: one line naming the problem and exit 2, not a gap per request with
/// the SDK's error chain; the case is not created.
#[test]
fn collect_without_credentials_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args(["collect", "--case", case.to_str().unwrap()])
        .args(["--s3", "s3://trail-bucket/AWSLogs/"])
        .args(WINDOW)
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
        .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no AWS credentials"), "{stderr}");
    assert!(!case.join("manifest.json").exists());
}
