//! CloudTrail network activity events (`eventType` `AwsVpceEvent`, `eventCategory`
//! `NetworkActivity`): a request through a VPC endpoint, let through or denied there. One the
//! endpoint let through does not record whether the call succeeded (the service's own event
//! does): it was read as a successful call, so the actor's requests through the endpoint after
//! the block read as "succeeded after the kill-switch cut its access", and a read of the
//! honeytoken through it counted twice. One the endpoint denied (`VpceAccessDenied`) is the only
//! record of a refused request: a refused read of the honeytoken. The incident chart drew the
//! requests it let through as denied attempts; it now draws them as activity, outcome not recorded.

use crate::common;
use crate::support;

use serde_json::{json, Value};
use support::*;
use trailcase::report::content::IntegrityStatement;
use trailcase::report::MarkerShape;

const ACTOR_KEY: &str = "AKIA4EXAMPLESVCREPT7Q";

/// A network activity event of the sample's actor, as AWS writes one (the shape of a VPC
/// endpoint's event: no responseElements, `vpcEndpointId`).
fn network_event(id: &str, time: &str, source: &str, name: &str, extra: Value) -> Value {
    let mut r = json!({
        "eventVersion": "1.11",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT7Q",
            "arn": "arn:aws:iam::123456789012:user/svc-reporting", "accountId": "123456789012",
            "accessKeyId": ACTOR_KEY, "userName": "svc-reporting"},
        "eventTime": time, "eventSource": source, "eventName": name,
        "awsRegion": "us-east-1", "sourceIPAddress": "10.0.141.54",
        "requestID": format!("req-{id}"), "eventID": id, "eventType": "AwsVpceEvent",
        "recipientAccountId": "123456789012", "sharedEventID": format!("shared-{id}"),
        "vpcEndpointId": "vpce-03y53r4ukkkuygzg0", "vpcEndpointAccountId": "123456789012",
        "eventCategory": "NetworkActivity"
    });
    for (k, v) in extra.as_object().unwrap() {
        r[k] = v.clone();
    }
    r
}

#[test]
fn network_activity_is_no_call_outcome_and_a_denied_read_at_the_endpoint_is_a_refused_read() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let secret = json!({"requestParameters": {"secretId": "Production_Database_Credentials"}});
    let records = vec![
        network_event(
            "net-list",
            "2026-11-20T14:25:00Z",
            "s3.amazonaws.com",
            "ListBuckets",
            json!({}),
        ),
        network_event(
            "net-read",
            "2026-11-20T14:25:05Z",
            "secretsmanager.amazonaws.com",
            "GetSecretValue",
            secret.clone(),
        ),
        network_event(
            "net-denied",
            "2026-11-20T14:25:09Z",
            "secretsmanager.amazonaws.com",
            "GetSecretValue",
            json!({"requestParameters": secret["requestParameters"],
                   "errorCode": "VpceAccessDenied",
                   "errorMessage": "The request was denied due to a VPC endpoint policy"}),
        ),
    ];
    let file = case.join("cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/123456789012_CloudTrail_us-east-1_20261120T1430Z_vpceNetwork01.json.gz");
    std::fs::write(
        &file,
        common::gzip(json!({ "Records": records }).to_string().as_bytes()),
    )
    .unwrap();
    let doc = timeline_of(&case);
    let inc = &doc["incidents"][0];

    // The endpoint's events that let the request through are no successful call.
    assert_eq!(
        inc["milestones"]["last_actor_success"],
        "2026-11-20T14:09:00Z"
    );
    let text = inc["findings"].to_string();
    assert!(
        !text.contains("net-list") && !text.contains("net-read"),
        "{text}"
    );
    assert_eq!(inc["impact"]["reads_succeeded"], 1);
    let rows: Vec<&Value> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event_id"].as_str().unwrap().starts_with("net-"))
        .collect();
    let kinds: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|e| {
            (
                e["event_id"].as_str().unwrap(),
                e["kind"].as_str().unwrap(),
                e["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "net-list",
                "network_activity",
                "not recorded (network activity event)"
            ),
            (
                "net-read",
                "network_activity",
                "not recorded (network activity event)"
            ),
            ("net-denied", "honeytoken_access", "VpceAccessDenied"),
        ]
    );
    for r in &rows {
        assert_eq!(r["incidents"], json!(["INC-001"]), "{r}");
    }

    // The read the endpoint denied is a refused read of the honeytoken; the one it let through
    // is not a second read (the service's own record would be).
    let access = inc["access_event_ids"].as_array().unwrap();
    assert!(access.contains(&json!("net-denied")), "{access:?}");
    assert!(!access.contains(&json!("net-read")), "{access:?}");
    assert_eq!(inc["impact"]["reads_with_error"], 2);
    let attack = inc["attack"].to_string();
    assert!(!attack.contains("net-list"), "{attack}");

    // The incident chart draws the requests the endpoint let through as the actor's activity,
    // outcome not recorded, never as denied attempts; the one it denied as a denied read.
    let (t, config) = model(&[&case]);
    let report = report_doc(&t, &config, IntegrityStatement::default());
    let chart = timeline_chart(&report);
    let drawn = |id: &str| {
        let time = t.entries.iter().find(|e| e.event_id == id).unwrap().time;
        let p = chart
            .points
            .iter()
            .find(|p| p.time == time.secs())
            .unwrap_or_else(|| panic!("{id} drawn: {:?}", chart.points));
        (
            chart.lanes[p.lane].as_str(),
            p.marker,
            p.label.clone().unwrap_or_default(),
        )
    };
    assert_eq!(
        drawn("net-list"),
        (
            "Actor activity",
            MarkerShape::Dot,
            "ListBuckets (outcome not recorded)".to_string()
        )
    );
    assert_eq!(
        drawn("net-denied"),
        (
            "Honeytoken reads",
            MarkerShape::Cross,
            "GetSecretValue denied".to_string()
        )
    );

    // `--all` tells the same.
    let all = trailcase([
        "timeline",
        "--quiet",
        "--all",
        "--format",
        "jsonl",
        case.to_str().unwrap(),
    ]);
    let outcomes: Vec<(String, String)> = all
        .text()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| {
            r["event_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("net-"))
        })
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    assert_eq!(
        outcomes[0],
        (
            "network_activity".to_string(),
            "not recorded (network activity event)".to_string()
        )
    );
    assert_eq!(
        outcomes[2],
        (
            "honeytoken_access".to_string(),
            "VpceAccessDenied".to_string()
        )
    );
}

/// A read of the honeytoken refused at a VPC endpoint is recorded only as a network activity
/// event, which EventBridge delivers as "AWS Network Activity Event via CloudTrail", not as an
/// API call. The sample's flow-2 rule matches API calls: it misses the read, and the case said
/// only "its pattern does not match 1 of the 3 honeytoken access(es)", as if the rule had failed
/// on the call. The replay row, the finding, the replay table and the flow comparison now say
/// that EventBridge does not deliver the record as an API call, so the rule could not have seen it.
#[test]
fn a_read_refused_at_a_vpc_endpoint_is_not_told_as_a_bare_miss_of_flow_2() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let denied = network_event(
        "net-denied",
        "2026-11-20T14:25:09Z",
        "secretsmanager.amazonaws.com",
        "GetSecretValue",
        json!({"requestParameters": {"secretId": "Production_Database_Credentials"},
               "errorCode": "VpceAccessDenied",
               "errorMessage": "The request was denied due to a VPC endpoint policy"}),
    );
    let file = case.join("cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/123456789012_CloudTrail_us-east-1_20261120T1430Z_vpceDenied01.json.gz");
    std::fs::write(
        &file,
        common::gzip(json!({ "Records": [denied] }).to_string().as_bytes()),
    )
    .unwrap();
    let doc = timeline_of(&case);
    let rule = replay_flow(&doc, |f| f["flow"] == "event_rule");
    let rows = rule["accesses"].as_array().unwrap();
    let row = rows.iter().find(|a| a["event_id"] == "net-denied").unwrap();
    assert_eq!(row["matched"], false, "{row:#}");
    let why = row["missed_because"].as_str().expect("missed_because");
    for said in [
        "EventBridge does not deliver this record as \"AWS API Call via CloudTrail\"",
        "network activity event",
        "vpce-03y53r4ukkkuygzg0",
        "VpceAccessDenied",
        "\"AWS Network Activity Event via CloudTrail\"",
        "could not have seen this access",
    ] {
        assert!(why.contains(said), "{said:?} in {why}");
    }
    // The reads the rule matched say nothing of it.
    for a in rows.iter().filter(|a| a["event_id"] != "net-denied") {
        assert!(a.get("missed_because").is_none(), "{a:#}");
    }
    let missed = of_kind(&doc["incidents"][0]["findings"], "access_missed_by_flow");
    let flow2: Vec<&&Value> = missed
        .iter()
        .filter(|f| f["summary"].as_str().unwrap().starts_with("flow 2"))
        .collect();
    assert_eq!(flow2.len(), 1, "{missed:#?}");
    let summary = flow2[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains(
            "EventBridge does not deliver their records as the kind of event the rule matches"
        ) && summary.contains("could not have seen them"),
        "{summary}"
    );

    let text = report_text(dir.path(), &case);
    assert!(
        text.contains("rule HoneytokenSecretAccessRule could not have seen the honeytoken access net-denied (2026-11-20T14:25:09Z): EventBridge does not deliver its record as \"AWS API Call via CloudTrail\""),
        "flow comparison: {text}"
    );
    assert!(
        text.contains("so the rule could not have seen this access"),
        "replay table: {text}"
    );
}
