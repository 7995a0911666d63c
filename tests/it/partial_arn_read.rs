//! A read naming the honeytoken by a partial ARN (`…:secret:NAME`, without the random suffix
//! AWS adds) whose name ends in `-` and six characters (`payroll-reader`) was not taken for a
//! read: the six characters were cut as if they were the suffix, leaving `payroll`, and the
//! report said "No honeytoken was read in the evidence examined" (a false all-clear; audit 27,
//! found on the AWS Security Blog's `GetSecretValue` example `…:secret:your-secret`).
//!
//! The read is Stratus Red Team's real `GetSecretValue` (tests/data/shared/SOURCES.md) with its
//! `secretId` made a partial ARN of the honeytoken `payroll-reader`; caller, key, address, user
//! agent, time and eventID unchanged.

use crate::support;

use serde_json::{json, Value};
use support::*;

#[test]
fn a_partial_arn_whose_name_ends_in_six_characters_is_a_read_of_the_honeytoken() {
    let records: Value = read_json(&shared_data().join(
        "cloudtrail/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json",
    ));
    let mut read = records[0].clone();
    assert_eq!(read["eventName"], "GetSecretValue");
    let partial = "arn:aws:secretsmanager:cn-centraleast-1r:903144391865:secret:payroll-reader";
    read["requestParameters"] = json!({ "secretId": partial });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("records.json"),
        serde_json::to_vec(&json!({ "Records": [read] })).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("trailcase.toml"),
        "[[honeytoken]]\nkind = \"secret\"\npattern = \"payroll-reader\"\n",
    )
    .unwrap();

    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let incidents = doc["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{doc:#}");
    let i = &incidents[0];
    assert_eq!(
        i["honeytoken"]["name"], "payroll-reader",
        "{:#}",
        i["honeytoken"]
    );
    assert_eq!(
        i["access_event_ids"],
        json!(["b9c3d881-1e77-426c-abd3-5ca20d903380"])
    );
    assert_eq!(
        i["actor"]["arn"],
        "arn:aws:iam::903144391865:user/christophe"
    );
    assert!(!text.contains("No honeytoken was read"), "{text}");
    assert!(text.contains("payroll-reader"), "{text}");
    // The ARN could also be the full ARN of a secret named `payroll` (suffix `reader`): said.
    let unknowns: Vec<&str> = i["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|u| u.contains("could name the honeytoken or another resource"))
        .collect();
    assert_eq!(unknowns.len(), 1, "{:#}", i["unknowns"]);
    assert!(
        unknowns[0].contains(partial) && unknowns[0].contains("a secret named payroll"),
        "{}",
        unknowns[0]
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("could name the honeytoken or another resource"),
        "{flat}"
    );
}

#[test]
fn a_secret_named_by_its_name_leaves_no_unknown_about_its_arn() {
    let records: Value = read_json(&shared_data().join(
        "cloudtrail/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json",
    ));
    let mut read = records[0].clone();
    read["requestParameters"] = json!({ "secretId": "payroll-reader" });
    read.as_object_mut().unwrap().remove("resources");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("records.json"),
        serde_json::to_vec(&json!({ "Records": [read] })).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("trailcase.toml"),
        "[[honeytoken]]\nkind = \"secret\"\npattern = \"payroll-reader\"\n",
    )
    .unwrap();
    let doc = timeline_of(dir.path());
    let i = &doc["incidents"][0];
    assert!(
        !i["unknowns"]
            .to_string()
            .contains("could name the honeytoken"),
        "{:#}",
        i["unknowns"]
    );
}
