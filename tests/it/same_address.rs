//! Other principals at the actor's address. The sample's actor assumed a role before it read the
//! honeytoken, and the role session kept working after the kill-switch blocked the user. When
//! the evidence begins after that AssumeRole (here: without the trail file that holds it),
//! nothing links the session to the actor, so its calls after containment are nobody's: the
//! report said "Contained" and left them out. They came from the address the honeytoken was
//! read from, and the case now says so, without calling them the actor's. With the AssumeRole
//! in the evidence they are the actor's own (no other principal); with more such records than
//! the analysis keeps, they are counted, and the case says what was not examined.

use crate::common;
use crate::support;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use support::*;

const SESSION: &str =
    "arn:aws:sts::123456789012:assumed-role/ReadOnlyAuditRole/svc-reporting-session";
const ADDRESS: &str = "203.0.113.45";

/// The sample without the trail file that holds the actor's AssumeRole (and its first look
/// around), as if the evidence began at 14:00.
fn without_the_assume_role(dir: &Path) -> PathBuf {
    let case = sample_to_alter(dir);
    let early = case.join(
        "cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/123456789012_CloudTrail_us-east-1_20261120T1402Z_05ih0A0YQ7Ox3Xpu.json.gz",
    );
    std::fs::remove_file(early).unwrap();
    case
}

#[test]
fn a_role_session_at_the_actors_address_after_containment_is_reported_not_attributed() {
    let dir = tempfile::tempdir().unwrap();
    let case = without_the_assume_role(dir.path());
    let doc = timeline_of(&case);
    let inc = &doc["incidents"][0];
    // Nothing links the session to the actor: not its own, not a live credential of its.
    assert!(inc["actor"]["derived_sessions"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(inc["live_credentials"].as_array().unwrap().is_empty());
    assert_eq!(inc["containment_status"], "contained");

    let same = &inc["same_address"];
    assert_eq!(same["addresses"], json!([ADDRESS]));
    assert_eq!(same["records_examined"], true);
    let peers = same["principals"].as_array().unwrap();
    assert_eq!(peers.len(), 1, "{same:#}");
    let p = &peers[0];
    assert_eq!(p["principal"], SESSION);
    assert_eq!(p["type"], "AssumedRole");
    assert_eq!(p["records"], 3);
    assert_eq!(p["after_containment"], 3);
    assert_eq!(p["succeeded_after_containment"], 3);
    assert_eq!(p["first"], "2026-11-20T14:06:30Z");
    assert_eq!(p["last"], "2026-11-20T14:09:00Z");
    assert_eq!(
        p["actions"],
        json!([
            "ec2:DescribeInstances",
            "s3:ListBuckets",
            "secretsmanager:ListSecrets"
        ])
    );
    // Its records are not the actor's: not among the incident's own records.
    let own: Vec<&str> = inc["event_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    for id in p["event_ids"].as_array().unwrap() {
        assert!(!own.contains(&id.as_str().unwrap()), "{id}");
    }

    let found = of_kind(&inc["findings"], "same_address_activity");
    assert_eq!(found.len(), 1, "{:#}", inc["findings"]);
    assert_eq!(found[0]["severity"], "high");
    let s = found[0]["summary"].as_str().unwrap();
    assert!(s.contains(SESSION), "{s}");
    assert!(
        s.contains("3 call(s) after containment, 3 of them succeeded"),
        "{s}"
    );
    assert!(
        s.contains("no record in the evidence links them to the actor"),
        "{s}"
    );
    assert_eq!(found[0]["event_ids"], p["event_ids"]);
    let steps: Vec<&str> = inc["eradication"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["plain"].as_str().unwrap())
        .collect();
    assert!(
        steps.contains(&"Check the other identity calling from the actor's address"),
        "{steps:?}"
    );

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Another identity kept calling AWS from the address the decoy was read from after the block: no record links it to the actor"),
        "{text}"
    );
    assert!(
        text.contains("Other principals at the actor's address 1 principal(s) that no record links to the actor made records from 203.0.113.45"),
        "{text}"
    );
    assert!(
        text.contains("3 (3)"),
        "the calls after containment: {text}"
    );
}

#[test]
fn with_the_assume_role_in_the_evidence_the_session_is_the_actors_own() {
    let doc = timeline_of(&repo().join("samples/incident-01"));
    let inc = &doc["incidents"][0];
    assert_eq!(inc["actor"]["derived_sessions"][0]["session_arn"], SESSION);
    assert_eq!(
        inc["same_address"],
        json!({"addresses": [ADDRESS], "records_examined": true, "principals": []})
    );
    assert!(of_kind(&inc["findings"], "same_address_activity").is_empty());

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    report_pdf(&pdf, &["samples/incident-01"]);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Other principals at the actor's address: no record of another principal in the evidence read came from 203.0.113.45, where the honeytoken reads came from."),
        "{text}"
    );
}

/// An address many principals share (a NAT gateway): more records there than the analysis keeps.
/// Each principal's are counted, its calls after the block counted from their times, and the
/// case says what it did not examine: the role session's three calls after the block are not
/// lost among the workers'.
#[test]
fn past_the_bound_the_records_at_the_address_are_counted_not_examined() {
    const RECORDS: usize = 20_001;
    let dir = tempfile::tempdir().unwrap();
    let case = without_the_assume_role(dir.path());
    let records: Vec<Value> = (0..RECORDS)
        .map(|i| {
            json!({
                "eventVersion": "1.09",
                "eventTime": format!("2026-11-20T14:{:02}:{:02}Z", 10 + i / 3600 % 40, i / 60 % 60),
                "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets",
                "awsRegion": "us-east-1", "sourceIPAddress": ADDRESS,
                "userAgent": "aws-sdk-java/2.20", "eventID": format!("nat-{i:05}"),
                "readOnly": true, "eventType": "AwsApiCall", "recipientAccountId": "123456789012",
                "userIdentity": {"type": "AssumedRole", "accountId": "123456789012",
                    "arn": format!("arn:aws:sts::123456789012:assumed-role/Batch/worker-{}", i % 4),
                    "principalId": format!("AROABATCH:worker-{}", i % 4)},
            })
        })
        .collect();
    let nat = case.join("cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/123456789012_CloudTrail_us-east-1_20261120T1455Z_natGatewayBusy.json.gz");
    std::fs::write(
        &nat,
        common::gzip(json!({ "Records": records }).to_string().as_bytes()),
    )
    .unwrap();
    let doc = timeline_of(&case);
    let same = &doc["incidents"][0]["same_address"];
    assert_eq!(same["records_examined"], false);
    let peers = same["principals"].as_array().unwrap();
    // The four workers, and the role session: every record counted.
    assert_eq!(peers.len(), 5, "{same:#}");
    let total: u64 = peers.iter().map(|p| p["records"].as_u64().unwrap()).sum();
    assert_eq!(total, RECORDS as u64 + 3);
    // Every worker record is after the block (14:10 on): all counted, the latest 20 cited.
    for p in peers.iter().filter(|p| p["principal"] != SESSION) {
        assert_eq!(p["after_containment"], p["records"], "{p}");
        assert_eq!(p["succeeded_after_containment"], p["records"], "{p}");
        assert_eq!(p["event_ids"].as_array().unwrap().len(), 20, "{p}");
        assert!(
            p["actions"].as_array().unwrap().is_empty(),
            "not examined: {p}"
        );
    }
    let session = peers.iter().find(|p| p["principal"] == SESSION).unwrap();
    assert_eq!(session["after_containment"], 3, "{session}");
    assert_eq!(session["succeeded_after_containment"], 3);
    assert_eq!(
        session["event_ids"],
        json!([
            "2518d29e-ee63-4c07-95f3-410e62aea7a0",
            "351cbd41-51c8-4692-9612-d92e69d09a13",
            "6549dea5-26d7-4f75-ae9c-f56cdb6d268a"
        ])
    );
    let found = of_kind(&doc["incidents"][0]["findings"], "same_address_activity");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["severity"], "high");
    let s = found[0]["summary"].as_str().unwrap();
    assert!(
        s.starts_with("After containment, 5 other principal(s) called AWS from 203.0.113.45"),
        "{s}"
    );
    assert!(
        s.contains("(20004 records by 5 other principal(s) came from 203.0.113.45, where the honeytoken was read from: too many to examine one by one"),
        "{s}"
    );
    assert!(
        found[0]["event_ids"]
            .as_array()
            .unwrap()
            .contains(&json!("6549dea5-26d7-4f75-ae9c-f56cdb6d268a")),
        "the session's calls are cited"
    );
    // The report prints the principals whose calls after the block succeeded most first.
    let pdf = dir.path().join("nat.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("their calls after the containment's block counted from the records' times"),
        "{text}"
    );
    let worker = text
        .find("assumed-role/Batch/worker-0")
        .expect("a worker printed");
    let role = text
        .find("svc-reporting-session (AssumedRole)")
        .expect("the session printed");
    assert!(
        worker < role,
        "worker-0 (5,001 calls after the block) before the session (3)"
    );
}
