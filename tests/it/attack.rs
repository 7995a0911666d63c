//! MITRE ATT&CK techniques (issue #18, "Responders"): each incident lists the techniques its
//! actor's calls are consistent with, by the documented table (`docs/attack.md`), each citing
//! its calls, their outcomes and its eventIDs, in the JSON and in the report.
//!
//! Records: the bundled sample, and Stratus Red Team's real captures (`tests/data/shared`,
//! see its SOURCES.md): the honeytoken reads of `secretsmanager-retrieve-secrets` and the calls
//! of other Stratus techniques made by the same tester's user in other accounts, their
//! `userIdentity` and account set to the reader's so that one actor made them all.

use crate::support;

use serde_json::{json, Value};
use support::*;

const STRATUS: &str = "cloudtrail/stratus-red-team";

fn technique<'a>(inc: &'a Value, id: &str) -> &'a Value {
    inc["attack"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {:#}", inc["attack"]))
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_sample_actor_s_calls_map_to_techniques_citing_their_event_ids() {
    let run = trailcase(["timeline", "--quiet", "samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let inc = &doc["incidents"][0];
    let rows = doc["timeline"].as_array().unwrap();
    let event_of = |action: &str, outcome_ok: bool| -> Vec<String> {
        rows.iter()
            .filter(|r| {
                r["action"] == action
                    && r["incidents"] == json!(["INC-001"])
                    && (r["outcome"] == "success") == outcome_ok
                    && r["kind"] != "containment"
            })
            .map(|r| r["event_id"].as_str().unwrap().to_string())
            .collect()
    };

    // The persistence attempt after containment: refused, so an attempt only.
    let t = technique(inc, "T1098.001");
    assert_eq!(t["succeeded"], false, "{t}");
    assert_eq!(
        t["calls"],
        json!([{"action": "iam:CreateAccessKey", "succeeded": 0, "failed": 1, "refused": 1, "errors": ["AccessDenied"]}])
    );
    assert_eq!(ids(&t["event_ids"]), event_of("iam:CreateAccessKey", false));

    // The honeytoken reads and the secrets reconnaissance before them.
    let t = technique(inc, "T1555.006");
    assert_eq!(t["succeeded"], true);
    assert_eq!(t["tactics"], json!(["Credential Access"]));
    let calls = t["calls"].as_array().unwrap();
    let get = calls
        .iter()
        .find(|c| c["action"] == "secretsmanager:GetSecretValue")
        .unwrap();
    assert_eq!(
        (get["succeeded"].as_u64(), get["failed"].as_u64()),
        (Some(1), Some(1))
    );
    for id in inc["access_event_ids"].as_array().unwrap() {
        assert!(t["event_ids"].as_array().unwrap().contains(id), "{id}");
    }
    // ListSecrets by the actor and later by its role session: both cited.
    assert_eq!(
        calls
            .iter()
            .find(|c| c["action"] == "secretsmanager:ListSecrets")
            .unwrap()["succeeded"],
        2
    );

    // Discovery, including the derived role session's DescribeInstances.
    assert_eq!(
        ids(&technique(inc, "T1087.004")["event_ids"]),
        event_of("sts:GetCallerIdentity", true)
    );
    technique(inc, "T1069.003");
    let infra = technique(inc, "T1580");
    let describe = infra["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "ec2:DescribeInstances")
        .unwrap();
    assert_eq!(
        (describe["succeeded"].as_u64(), describe["failed"].as_u64()),
        (Some(1), Some(1))
    );
    technique(inc, "T1078.004");

    // The kill-switch's calls are not the actor's: its PutUserPolicy is no T1098.003; the
    // service's kms:Decrypt on the actor's behalf is not mapped either.
    assert!(inc["attack"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["id"] != "T1098.003"));
    let all_ids: Vec<String> = inc["attack"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| ids(&t["event_ids"]))
        .collect();
    for r in rows.iter().filter(|r| r["kind"] == "containment") {
        assert!(!all_ids.contains(&r["event_id"].as_str().unwrap().to_string()));
    }

    // In order of first record.
    let firsts: Vec<&str> = inc["attack"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["first_seen"].as_str().unwrap())
        .collect();
    let mut sorted = firsts.clone();
    sorted.sort();
    assert_eq!(firsts, sorted);
}

fn stratus(name: &str) -> Vec<Value> {
    match read_json(&shared_data().join(format!("{STRATUS}/aws.{name}.json"))) {
        Value::Array(a) => a,
        v => v["Records"].as_array().unwrap().clone(),
    }
}

#[test]
fn real_stratus_red_team_calls_of_one_actor_map_to_their_techniques() {
    let reads = stratus("credential-access.secretsmanager-retrieve-secrets");
    let who = reads[0]["userIdentity"].clone();
    let account = who["accountId"].clone();
    let mut records = reads.clone();
    let others = [
        (
            "defense-evasion.cloudtrail-stop",
            "cloudtrail:StopLogging",
            "T1562.008",
        ),
        (
            "defense-evasion.cloudtrail-delete",
            "cloudtrail:DeleteTrail",
            "T1562.008",
        ),
        (
            "persistence.iam-create-admin-user",
            "iam:CreateUser",
            "T1136.003",
        ),
        (
            "persistence.iam-create-admin-user",
            "iam:AttachUserPolicy",
            "T1098.003",
        ),
        (
            "persistence.iam-backdoor-user",
            "iam:CreateAccessKey",
            "T1098.001",
        ),
        (
            "exfiltration.ec2-share-ebs-snapshot",
            "ec2:ModifySnapshotAttribute",
            "T1537",
        ),
        ("execution.ssm-send-command", "ssm:SendCommand", "T1651"),
    ];
    let mut expected = Vec::new();
    for (file, action, id) in others {
        for mut r in stratus(file) {
            if r["userIdentity"]["arn"]
                .as_str()
                .unwrap_or("")
                .ends_with(":user/christophe")
            {
                r["userIdentity"] = who.clone();
                r["recipientAccountId"] = account.clone();
                let a = format!(
                    "{}:{}",
                    r["eventSource"]
                        .as_str()
                        .unwrap()
                        .trim_end_matches(".amazonaws.com"),
                    r["eventName"].as_str().unwrap()
                );
                if a == action {
                    expected.push((id, action, r["eventID"].as_str().unwrap().to_string()));
                }
                records.push(r);
            }
        }
    }
    assert_eq!(expected.len(), others.len(), "one record per technique");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    let secret = reads
        .iter()
        .find(|r| r["eventName"] == "GetSecretValue")
        .unwrap()["requestParameters"]["secretId"]
        .as_str()
        .unwrap()
        .to_string();
    let run = trailcase([
        "timeline",
        "--quiet",
        "--honeytoken",
        &format!("secret:{secret}"),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    let bad = support::schema::schema_violations(&schema, &doc);
    assert!(bad.is_empty(), "{bad:?}");
    let inc = &doc["incidents"][0];
    for (id, action, event_id) in expected {
        let t = technique(inc, id);
        assert!(
            t["calls"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["action"] == action),
            "{id}: {t}"
        );
        assert!(
            ids(&t["event_ids"]).contains(&event_id),
            "{id} does not cite {event_id}"
        );
    }
    let t = technique(inc, "T1555.006");
    let calls = t["calls"].as_array().unwrap();
    assert!(calls
        .iter()
        .any(|c| c["action"] == "secretsmanager:ListSecrets"));
}

#[test]
fn the_report_prints_the_techniques_with_their_event_ids() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("MITRE ATT&CK techniques"), "{text}");
    assert!(
        text.contains("T1098.001 Account Manipulation: Additional Cloud Credentials attempt only: every call refused"),
        "{text}"
    );
    let doc = trailcase(["timeline", "--quiet", "samples/incident-01"]).json();
    let t = technique(&doc["incidents"][0], "T1098.001");
    let id = t["event_ids"][0].as_str().unwrap();
    assert!(text.contains(id), "the PDF does not cite {id}");
}

#[test]
fn no_incident_means_no_technique_and_the_report_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let records = stratus("persistence.iam-create-admin-user");
    std::fs::write(
        dir.path().join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    // Beside the evidence, not in it (trailcase refuses to write into its evidence).
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[dir.path().to_str().unwrap()]);
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains(
            "No incident, so no technique: no honeytoken read is in the evidence examined."
        ),
        "{text}"
    );
}

#[test]
fn nothing_examined_is_unknown_not_no_technique() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let run = report_pdf(&pdf, &[empty.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Unknown: nothing was examined (the evidence holds no CloudTrail record), so no call can be mapped."),
        "{text}"
    );
    assert!(!text.contains("No incident, so no technique"));
}

/// CloudTrail records CloudWatch's alarm calls under `monitoring.amazonaws.com` and Lambda's
/// with their API version (audit 24, item 05): the table's `cloudwatch:DeleteAlarms`,
/// `cloudwatch:DescribeAlarms` and `lambda:ListFunctions` match them. Records: OTRF's real
/// `DescribeAlarms` (ec2_proxy_s3_exfiltration, MIT) and Panther's real `ListFunctions20150331`
/// (57b719ad-..., Apache-2.0), both in `tests/data/shared`, their caller made the reader; a
/// `DeleteAlarms` shaped as CloudTrail writes it (`alarmNames`).
#[test]
fn cloudwatch_alarm_and_versioned_lambda_calls_map_to_their_techniques() {
    let shared = shared_data().join("cloudtrail");
    let otrf = std::fs::read_to_string(
        shared.join("otrf-security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.json"),
    )
    .unwrap();
    let mut describe: Value = otrf
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["eventName"] == "DescribeAlarms")
        .unwrap();
    assert_eq!(describe["eventSource"], "monitoring.amazonaws.com");
    let who = describe["userIdentity"].clone();
    describe["eventTime"] = json!("2020-09-14T00:44:22Z");
    let panther =
        std::fs::read_to_string(shared.join("panther-analysis/panther_rule_tests.jsonl")).unwrap();
    let found: Value = panther
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["eventID"] == "57b719ad-f2fa-4d18-bd84-29fee11799b1")
        .unwrap();
    assert_eq!(found["eventName"], "ListFunctions20150331");
    // Its CloudTrail fields only (Panther adds `p_*` ones), at a time CloudTrail writes.
    let mut list: Value = json!({});
    for (k, v) in found.as_object().unwrap() {
        if !k.starts_with("p_") {
            list[k] = v.clone();
        }
    }
    list["eventTime"] = json!("2020-09-14T00:45:00Z");
    list["userIdentity"] = who.clone();
    list["recipientAccountId"] = json!("123456789123");
    let read = json!({
        "eventVersion": "1.08", "eventTime": "2020-09-14T00:40:00Z", "eventID": "read-1",
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
        "awsRegion": "us-east-1", "sourceIPAddress": "1.2.3.4", "eventType": "AwsApiCall",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "userIdentity": who,
    });
    let mut delete = read.clone();
    delete["eventID"] = json!("del-alarm");
    delete["eventTime"] = json!("2020-09-14T00:46:00Z");
    delete["eventSource"] = json!("monitoring.amazonaws.com");
    delete["eventName"] = json!("DeleteAlarms");
    delete["requestParameters"] = json!({"alarmNames": ["HoneytokenSecretAccessAlarm"]});
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    std::fs::write(
        evidence.join("trail.json"),
        serde_json::to_vec(&json!({"Records": [read, describe, list, delete]})).unwrap(),
    )
    .unwrap();
    let doc = timeline_of(&evidence);
    let inc = &doc["incidents"][0];
    assert_eq!(
        technique(inc, "T1562.001")["calls"],
        json!([{"action": "monitoring:DeleteAlarms", "succeeded": 1, "failed": 0, "refused": 0}])
    );
    assert_eq!(
        ids(&technique(inc, "T1562.001")["event_ids"]),
        ["del-alarm"]
    );
    assert_eq!(
        technique(inc, "T1518.001")["calls"],
        json!([{"action": "monitoring:DescribeAlarms", "succeeded": 1, "failed": 0, "refused": 0}])
    );
    assert_eq!(
        ids(&technique(inc, "T1518.001")["event_ids"]),
        ["c4c3837f-8613-49f9-b1b0-e71306f4a71d"]
    );
    assert_eq!(
        technique(inc, "T1580")["calls"],
        json!([{"action": "lambda:ListFunctions20150331", "succeeded": 0, "failed": 1, "refused": 1, "errors": ["AccessDenied"]}])
    );
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[evidence.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("T1562.001"), "{text}");
}
