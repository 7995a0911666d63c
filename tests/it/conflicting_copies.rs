//! Conflicting copies of one event (issue 13, item 3): two inputs holding records with the same
//! eventID but different content are both evidence. Copies are duplicates only when their
//! content is the same (compared in canonical form, so an S3 copy and a LookupEvents copy of one
//! event still count once); different copies are both kept, raised as a finding, and each
//! incident says which copy it rests on.

use crate::support;

use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use support::*;

const ID: &str = "6f1c2d3e-0000-4000-8000-00000000c0de";

fn read(arn: &str, ip: &str) -> Value {
    json!({
        "eventVersion": "1.08", "eventTime": "2026-11-20T14:02:17Z", "eventID": ID,
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
        "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": "aws-cli/2",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "userIdentity": {"type": "IAMUser", "arn": arn, "accountId": "123456789012"}
    })
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn trail_file(dir: &Path, name: &str, records: &[Value]) {
    let body = json!({ "Records": records }).to_string();
    std::fs::write(dir.join(name), gzip(body.as_bytes())).unwrap();
}

const MALLORY: &str = "arn:aws:iam::123456789012:user/mallory";
const ALICE: &str = "arn:aws:iam::123456789012:user/alice";

/// The attacker writes a forged copy of their own honeytoken read into the trail bucket, under
/// a key that sorts first, naming an innocent principal and address.
fn forged_case(dir: &Path) {
    trail_file(dir, "a-forged.json.gz", &[read(ALICE, "192.0.2.10")]);
    trail_file(dir, "b-real.json.gz", &[read(MALLORY, "203.0.113.66")]);
}

fn timeline(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["timeline", "--quiet"];
    args.extend_from_slice(extra);
    args.push(dir.to_str().unwrap());
    trailcase(args)
}

#[test]
fn a_forged_copy_of_a_honeytoken_read_cannot_replace_the_real_one() {
    let dir = tempfile::tempdir().unwrap();
    forged_case(dir.path());
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
    assert_eq!(doc["summary"]["records_read"], 2);
    assert_eq!(doc["summary"]["duplicates_dropped"], 0);
    assert_eq!(doc["summary"]["conflicting_copies"], 2);

    // Both copies are evidence: two timeline rows with the eventID, one per input.
    let rows: Vec<&Value> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["event_id"] == ID)
        .collect();
    assert_eq!(rows.len(), 2);
    let ips: Vec<&str> = rows
        .iter()
        .map(|r| r["source_ip"].as_str().unwrap())
        .collect();
    assert!(
        ips.contains(&"203.0.113.66") && ips.contains(&"192.0.2.10"),
        "{ips:?}"
    );
    for r in &rows {
        assert_eq!(
            r["record"]["sourceIPAddress"], r["source_ip"],
            "each row shows its own copy"
        );
    }

    // The real reader is an incident, resting on the copy that names it.
    let incidents = doc["incidents"].as_array().unwrap();
    let mallory = incidents
        .iter()
        .find(|i| i["actor"]["arn"] == MALLORY)
        .expect("the real reader's incident");
    assert_eq!(mallory["actor"]["source_ips"], json!(["203.0.113.66"]));
    let copy = &mallory["access_records"][0];
    assert_eq!(copy["event_id"], ID);
    assert!(
        copy["input"].as_str().unwrap().ends_with("b-real.json.gz"),
        "{copy}"
    );
    assert_eq!(copy["record_index"], 0);
    assert_eq!(copy["conflicting"], true);
    let said = mallory["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "conflicting_copies")
        .expect("the incident says its read has a conflicting copy");
    let text = said["summary"].as_str().unwrap();
    assert!(text.contains("b-real.json.gz record 0"), "{text}");
    assert!(
        text.contains("a-forged.json.gz record 0") && text.contains(ALICE),
        "{text}"
    );

    // The case finding names every copy, first among the findings.
    let f = &doc["findings"][0];
    assert_eq!(f["kind"], "conflicting_copies", "{}", doc["findings"]);
    assert_eq!(f["severity"], "high");
    assert_eq!(f["event_ids"], json!([ID]));
    let text = f["summary"].as_str().unwrap();
    for needle in [
        "a-forged.json.gz",
        "b-real.json.gz",
        "203.0.113.66",
        "192.0.2.10",
        MALLORY,
        ALICE,
        "possible tampering",
    ] {
        assert!(text.contains(needle), "{needle} missing from: {text}");
    }
}

/// The S3 copy and the LookupEvents copy of one event differ in key order and whitespace only:
/// they are one event, counted once as a duplicate, and no conflict is raised.
#[test]
fn legitimate_copies_in_another_serialisation_still_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let record = read(MALLORY, "203.0.113.66");
    trail_file(dir.path(), "trail.json.gz", std::slice::from_ref(&record));
    // Keys reversed and pretty-printed, as another serialiser would write the same event.
    let mut reversed = serde_json::Map::new();
    for (k, v) in record.as_object().unwrap().iter().rev() {
        reversed.insert(k.clone(), v.clone());
    }
    let pretty = serde_json::to_string_pretty(&Value::Object(reversed)).unwrap();
    let lookup = json!({"Events": [{"EventId": ID, "EventName": "GetSecretValue",
        "EventTime": "2026-11-20T14:02:17+00:00", "CloudTrailEvent": pretty}]});
    std::fs::write(dir.path().join("lookup.json"), lookup.to_string()).unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["summary"]["records_read"], 2);
    assert_eq!(doc["summary"]["duplicates_dropped"], 1);
    assert_eq!(doc["summary"]["conflicting_copies"], 0);
    assert!(
        !doc["findings"].to_string().contains("conflicting_copies"),
        "{}",
        doc["findings"]
    );
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(
        doc["incidents"][0]["access_records"][0]["conflicting"],
        false
    );
}

/// `--all` streams every record: a forged copy is written beside the real one and named in the
/// summary's `conflicts`; an identical copy is still dropped and counted.
#[test]
fn a_forged_copy_is_kept_beside_the_real_one_in_the_all_stream() {
    let dir = tempfile::tempdir().unwrap();
    forged_case(dir.path());
    // The real file delivered twice: an identical copy.
    trail_file(
        dir.path(),
        "c-again.json.gz",
        &[read(MALLORY, "203.0.113.66")],
    );
    let run = timeline(dir.path(), &["--all", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let records: Vec<&Value> = doc["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["event_id"] == ID)
        .collect();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(doc["summary"]["duplicates_dropped"], 1);
    assert_eq!(doc["summary"]["conflicting_copies"], 2);
    let conflict = &doc["summary"]["conflicts"][0];
    assert_eq!(conflict["event_id"], ID);
    let inputs: Vec<&str> = conflict["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["input"].as_str().unwrap())
        .collect();
    assert_eq!(inputs.len(), 2);
    assert!(inputs[0].ends_with("a-forged.json.gz"), "{inputs:?}");
    assert!(inputs[1].ends_with("b-real.json.gz"), "{inputs:?}");
}

/// The report states the conflict: the security analysis lists it as a high case finding naming
/// both copies, and each incident's own finding says which copy it rests on.
#[test]
fn the_report_names_both_copies_of_a_forged_read() {
    let dir = tempfile::tempdir().unwrap();
    forged_case(dir.path());
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("report.pdf");
    let run = report_pdf(&pdf, &[dir.path().to_str().unwrap()]);
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    // A cell may wrap inside the eventID (pdftotext drops the hyphen at a break): compared
    // without spaces and hyphens.
    let fold = |s: &str| s.replace([' ', '-'], "");
    assert!(
        fold(&text).contains(&fold(&format!(
            "2 different records share eventID {ID} (possible tampering)"
        ))),
        "{text}"
    );
    assert!(text.contains("this incident rests on the copy of honeytoken read"));
    assert!(text.contains("b-real.json.gz record 0") && text.contains("a-forged.json.gz record 0"));
}

/// Crafted evidence: one small file of 300 honeytoken reads by 300 principals, all under one
/// eventID, each different. Every copy stays evidence and is listed once in `conflicts`; each
/// finding names the first ten copies and counts the rest, so the document grows with the
/// records, not with their square (before, each incident's finding named every other copy: 3,000
/// such reads made a JSON document of 1.2 GB).
#[test]
fn hundreds_of_different_records_under_one_event_id_are_listed_once() {
    let dir = tempfile::tempdir().unwrap();
    let n = 300;
    let records: Vec<Value> = (0..n)
        .map(|i| read(&format!("arn:aws:iam::123456789012:user/u{i}"), "192.0.2.7"))
        .collect();
    trail_file(dir.path(), "crafted.json.gz", &records);
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
    assert_eq!(doc["summary"]["conflicting_copies"], n);
    assert_eq!(doc["summary"]["incidents"], n);

    let conflicts = doc["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0]["event_id"], ID);
    let indices: Vec<u64> = conflicts[0]["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["record_index"].as_u64().unwrap())
        .collect();
    assert_eq!(indices, (0..n as u64).collect::<Vec<_>>());

    let case = &doc["findings"][0];
    assert_eq!(case["kind"], "conflicting_copies");
    let text = case["summary"].as_str().unwrap();
    assert!(
        text.starts_with(&format!("{n} different records share eventID {ID}")),
        "{text}"
    );
    assert!(
        text.contains("crafted.json.gz record 9 ") && !text.contains("record 10 "),
        "{text}"
    );
    assert!(
        text.contains("and 290 more, every one listed under `conflicts`"),
        "{text}"
    );
    for incident in doc["incidents"].as_array().unwrap() {
        let said: Vec<&str> = incident["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == "conflicting_copies")
            .map(|f| f["summary"].as_str().unwrap())
            .collect();
        assert_eq!(said.len(), 1, "{}", incident["id"]);
        assert!(
            said[0].contains("299 other records with the same eventID differ from it"),
            "{}",
            said[0]
        );
        assert!(said[0].contains("and 289 more"), "{}", said[0]);
        assert!(said[0].len() < 4000, "{}", said[0].len());
    }
}

/// `timeline --all` on a group far larger than the merge holds at once (4,096 rows): every
/// different record is a row, the identical copies among them are dropped, and the summary
/// names the conflict with every copy. (Each part of the group once read the whole input
/// again: 300,000 such records took 17 s, where the default timeline takes under 2.)
#[test]
fn a_group_larger_than_the_merge_holds_is_streamed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let n = 10_000;
    let mut records: Vec<Value> = (0..n)
        .map(|i| read(MALLORY, &format!("198.51.{}.{}", i / 250, i % 250)))
        .collect();
    // The last hundred repeat the first hundred exactly.
    records.extend_from_within(..100);
    trail_file(dir.path(), "crafted.json.gz", &records);
    let run = timeline(dir.path(), &["--all", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let rows = doc["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["event_id"] == ID)
        .count();
    assert_eq!(rows, n);
    let summary = &doc["summary"];
    assert_eq!(summary["records_read"], n + 100);
    assert_eq!(summary["duplicates_dropped"], 100);
    assert_eq!(summary["conflicting_copies"], n);
    let copies = summary["conflicts"][0]["copies"].as_array().unwrap();
    let mut indices: Vec<u64> = copies
        .iter()
        .map(|c| c["record_index"].as_u64().unwrap())
        .collect();
    indices.sort_unstable();
    assert_eq!(indices, (0..n as u64).collect::<Vec<_>>());
}

/// A record the case does not keep (a sign-in of someone else, no incident's record) and a
/// different record under its eventID: counted and named as a conflict all the same, as
/// `--all` does, not only when the case happens to keep the records.
#[test]
fn differing_copies_of_a_record_the_case_does_not_keep_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let login = |ip: &str| {
        json!({
            "eventVersion": "1.08", "eventTime": "2026-11-20T09:00:00Z",
            "eventID": "9d4ca355-a7d3-4422-96ae-dbe2c3431609",
            "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
            "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": "Mozilla/5.0",
            "responseElements": {"ConsoleLogin": "Success"},
            "userIdentity": {"type": "Root", "arn": "arn:aws:iam::123456789012:root",
                             "accountId": "123456789012"}
        })
    };
    trail_file(dir.path(), "a.json.gz", &[login("192.0.2.1")]);
    trail_file(dir.path(), "b.json.gz", &[login("9.9.9.9")]);
    let run = timeline(dir.path(), &[]);
    let doc = run.json();
    assert_eq!(doc["summary"]["conflicting_copies"], 2, "{doc:#}");
    let finding = *of_kind(&doc["findings"], "conflicting_copies")
        .first()
        .expect("a conflicting_copies finding");
    let text = finding["summary"].as_str().unwrap();
    assert!(
        text.contains("a.json.gz record 0") && text.contains("b.json.gz record 0"),
        "{text}"
    );
    // The stream of every record says the same.
    let all = trailcase([
        "timeline",
        "--all",
        "--out",
        "/dev/null",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        all.stderr.contains("2 conflicting copies kept"),
        "{}",
        all.stderr
    );
}

/// The call that issued the actor's temporary key has two different records under its eventID:
/// the incident that cites it as its key's origin says that which one is the call is not
/// settled, even though neither record is a row of the incident.
#[test]
fn an_incident_whose_key_origin_has_a_differing_copy_says_so() {
    let dir = tempfile::tempdir().unwrap();
    const ISSUE: &str = "bcf6f457-76bc-4e8c-8a7b-8a2451481675";
    let role = "arn:aws:iam::123456789012:role/fn-role";
    let session = "arn:aws:sts::123456789012:assumed-role/fn-role/fn";
    let assume = |ip: &str| {
        json!({
            "eventVersion": "1.08", "eventTime": "2026-11-20T12:03:12Z", "eventID": ISSUE,
            "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole",
            "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": ip,
            "userIdentity": {"type": "AWSService", "invokedBy": "lambda.amazonaws.com"},
            "requestParameters": {"roleArn": role, "roleSessionName": "fn"},
            "responseElements": {
                "credentials": {"accessKeyId": "ASIAEXAMPLEKEY000001",
                                "expiration": "Nov 21, 2026, 12:03:12 AM"},
                "assumedRoleUser": {"arn": session, "assumedRoleId": "AROAEXAMPLE:fn"}
            }
        })
    };
    let mut stolen = read(session, "203.0.113.66");
    stolen["eventID"] = json!("11111111-2222-4333-8444-555555555555");
    stolen["userIdentity"] = json!({
        "type": "AssumedRole", "arn": session, "accountId": "123456789012",
        "principalId": "AROAEXAMPLE:fn", "accessKeyId": "ASIAEXAMPLEKEY000001",
        "sessionContext": {"sessionIssuer": {"type": "Role", "arn": role}}
    });
    trail_file(dir.path(), "a.json.gz", &[assume("lambda.amazonaws.com")]);
    trail_file(dir.path(), "b.json.gz", &[assume("198.51.100.9"), stolen]);
    let doc = timeline(dir.path(), &[]).json();
    let incident = &doc["incidents"][0];
    assert_eq!(
        incident["actor"]["key_origins"][0]["issued_by_event_id"], ISSUE,
        "{incident:#}"
    );
    let finding = *of_kind(&incident["findings"], "conflicting_copies")
        .first()
        .unwrap_or_else(|| panic!("no conflicting_copies finding: {incident:#}"));
    let text = finding["summary"].as_str().unwrap();
    assert!(
        text.contains(ISSUE) && text.contains("ASIAEXAMPLEKEY000001"),
        "{text}"
    );
    assert!(text.contains("not settled"), "{text}");
    assert_eq!(doc["summary"]["conflicting_copies"], 2);
}
