//! CloudTrail may deliver a record again later with updated data: a new eventID and an
//! `addendum` {reason `UPDATED_DATA`, updatedFields, originalRequestID, originalEventID} (the
//! CloudTrail User Guide, "CloudTrail record contents"). The copy was counted as a second read
//! (`impact.reads_succeeded` 2 for one call; audit 27). It is now one read, both records kept
//! as rows, the copy tied to the record it updates in the JSON and the report.
//!
//! The read is Stratus Red Team's real `GetSecretValue` (tests/data/shared/SOURCES.md); the copy
//! is the same record with a new eventID and the addendum the User Guide describes.

use crate::support;

use serde_json::{json, Value};
use support::*;

fn case(addendum: Value) -> (tempfile::TempDir, String, String) {
    let records: Value = read_json(&shared_data().join(
        "cloudtrail/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json",
    ));
    let read = records[0].clone();
    assert_eq!(read["eventName"], "GetSecretValue");
    let secret = read["requestParameters"]["secretId"]
        .as_str()
        .unwrap()
        .to_string();
    let id = read["eventID"].as_str().unwrap().to_string();
    let copy_id = "0d6f2a31-9b4e-4e7c-8f55-3a0c1c2b9e11".to_string();
    let mut copy = read.clone();
    copy["eventID"] = json!(copy_id);
    let mut addendum = addendum;
    if addendum.get("originalEventID").is_some() {
        addendum["originalEventID"] = json!(id);
        addendum["originalRequestID"] = read["requestID"].clone();
    }
    copy["addendum"] = addendum;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.json"),
        json!({ "Records": [read] }).to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.json"),
        json!({ "Records": [copy] }).to_string(),
    )
    .unwrap();
    let name = secret.rsplit(':').next().unwrap().to_string();
    std::fs::write(
        dir.path().join("trailcase.toml"),
        format!("[[honeytoken]]\nkind = \"secret\"\npattern = \"{name}\"\n"),
    )
    .unwrap();
    (dir, id, copy_id)
}

#[test]
fn an_updated_copy_of_a_read_is_one_read_tied_to_the_record_it_updates() {
    let (dir, id, copy_id) = case(json!({
        "reason": "UPDATED_DATA",
        "updatedFields": "userIdentity",
        "originalEventID": "",
    }));
    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let incidents = doc["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{doc:#}");
    let i = &incidents[0];
    assert_eq!(i["impact"]["reads_succeeded"], 1, "{i:#}");
    assert_eq!(i["access_event_ids"], json!([id]));
    assert_eq!(
        i["deliveries"],
        json!([{"event_id": copy_id, "counted_as": id,
                "updates": {"reason": "UPDATED_DATA", "updated_fields": "userIdentity"}}])
    );
    assert_eq!(
        i["corroboration"],
        json!([{"read_event_id": id, "kind": "updated_copy", "event_id": copy_id}])
    );
    let attack_calls: u64 = i["attack"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["calls"].as_array().unwrap())
        .map(|c| c["succeeded"].as_u64().unwrap())
        .sum();
    assert_eq!(attack_calls, 1, "{:#}", i["attack"]);
    // Both records stay in the timeline; the copy's row says which record it is counted as.
    let rows: Vec<(&str, Option<&str>)> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["event_id"].as_str().unwrap(), r["counted_as"].as_str()))
        .collect();
    assert!(rows.contains(&(id.as_str(), None)), "{rows:?}");
    assert!(
        rows.contains(&(copy_id.as_str(), Some(id.as_str()))),
        "{rows:?}"
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!(
            "record {copy_id} is CloudTrail's later copy of read {id}"
        )),
        "{flat}"
    );
}

#[test]
fn a_late_delivery_naming_no_original_is_a_read_of_its_own() {
    let (dir, id, copy_id) = case(json!({ "reason": "DELIVERY_DELAY" }));
    let doc = timeline_of(dir.path());
    let i = &doc["incidents"][0];
    assert_eq!(i["impact"]["reads_succeeded"], 2, "{i:#}");
    let mut ids = vec![id, copy_id];
    ids.sort();
    assert_eq!(i["access_event_ids"], json!(ids));
    assert_eq!(i["deliveries"], json!([]));
}

/// A copy whose addendum updates `userIdentity` names the caller differently from the record it
/// updates (here the earlier record named an account only, as an `AWSAccount` identity; the
/// copy names the IAM user and its access key). The actor was the earlier record's identity, so
/// the report named the account as the actor; it is now the copy's user, and the report says
/// why.
#[test]
fn a_copy_that_updates_user_identity_names_the_actor() {
    let (dir, id, copy_id) = case(json!({
        "reason": "UPDATED_DATA",
        "updatedFields": "userIdentity",
        "originalEventID": "",
    }));
    // The earlier record names the account only; the copy keeps the real record's identity.
    let a = dir.path().join("a.json");
    let mut records: Value = read_json(&a);
    let user = records["Records"][0]["userIdentity"].clone();
    let account = user["accountId"].clone();
    records["Records"][0]["userIdentity"] = json!({
        "type": "AWSAccount",
        "principalId": "",
        "accountId": account,
    });
    std::fs::write(&a, records.to_string()).unwrap();
    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let incidents = doc["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{doc:#}");
    let i = &incidents[0];
    assert_eq!(
        i["access_event_ids"],
        json!([id]),
        "counted under the earlier record"
    );
    assert_eq!(i["actor"]["arn"], user["arn"], "{:#}", i["actor"]);
    assert_eq!(
        i["actor"]["access_key_ids"],
        json!([user["accessKeyId"]]),
        "{:#}",
        i["actor"]
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!("record {copy_id} is CloudTrail's later copy of read {id} with updated data (its addendum names {id} as originalEventID and updates userIdentity: the actor is as the copy names it: one read)")),
        "{flat}"
    );
    // Both records are the incident's reads, not another principal's call.
    let reads = &flat[flat.find("INC-001: honeytoken reads").unwrap()..];
    let reads = &reads[..reads.find("Corroboration:").unwrap()];
    assert!(reads.contains(&id) && reads.contains(&copy_id), "{reads}");
}

/// `timeline --all` (JSON lines) of `dir`, written outside it: each row's eventID and
/// `counted_as`.
fn all_rows(dir: &std::path::Path) -> Vec<(String, Option<String>)> {
    let out = tempfile::tempdir().unwrap();
    let jsonl = out.path().join("all.jsonl");
    let run = trailcase([
        "timeline",
        dir.to_str().unwrap(),
        "--all",
        "--format",
        "jsonl",
        "--out",
        jsonl.to_str().unwrap(),
    ]);
    assert!(run.code <= 1, "{}", run.stderr);
    std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["event_id"].is_string())
        .map(|r| {
            let counted = r["counted_as"].as_str().map(str::to_string);
            (r["event_id"].as_str().unwrap().to_string(), counted)
        })
        .collect()
}

/// `--all` marked no updated copy: its rows counted such a call twice where `timeline`'s
/// count it once. The copy's row now says under which record it is counted, whether the call
/// is an incident's read or a call of no incident (no honeytoken configured); a copy naming a
/// record of another API is not tied to it, as in `timeline`.
#[test]
fn all_marks_an_updated_copy_counted_as_the_record_it_updates() {
    let (dir, id, copy_id) = case(json!({
        "reason": "UPDATED_DATA",
        "updatedFields": "responseElements",
        "originalEventID": "",
    }));
    let expected = vec![(id.clone(), None), (copy_id.clone(), Some(id.clone()))];
    let mut rows = all_rows(dir.path());
    rows.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(rows, want, "an incident's read");
    // The timeline's rows say the same.
    let doc = timeline_of(dir.path());
    let timeline: Vec<(String, Option<String>)> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let counted = r["counted_as"].as_str().map(str::to_string);
            (r["event_id"].as_str().unwrap().to_string(), counted)
        })
        .filter(|(e, _)| *e == id || *e == copy_id)
        .collect();
    assert_eq!(timeline.len(), 2, "{timeline:?}");
    assert!(timeline.contains(&(copy_id.clone(), Some(id.clone()))));

    std::fs::remove_file(dir.path().join("trailcase.toml")).unwrap();
    let mut rows = all_rows(dir.path());
    rows.sort();
    assert_eq!(rows, want, "a call of no incident");

    // A copy naming a record of another API is a call of its own.
    let b = dir.path().join("b.json");
    let mut records: Value = read_json(&b);
    records["Records"][0]["eventName"] = json!("DescribeSecret");
    std::fs::write(&b, records.to_string()).unwrap();
    let rows = all_rows(dir.path());
    assert!(rows.iter().all(|(_, c)| c.is_none()), "{rows:?}");
}
