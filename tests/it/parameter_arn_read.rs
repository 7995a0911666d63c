//! A Parameter Store read naming the honeytoken parameter `db-password` (no leading `/`) by its
//! ARN (`…:parameter/db-password`, as a call must for a parameter shared from another account)
//! was not a read: the name was taken from the ARN as `/db-password`, which the configured
//! name does not match, and the call was an ordinary row (audit 27). The ARN now names either.
//!
//! The read is Stratus Red Team's real `GetParameters` (tests/data/shared/SOURCES.md) with its
//! `names` the honeytoken's ARN in the record's account and region; caller, key, address, time
//! and eventID unchanged.

use crate::support;

use serde_json::{json, Value};
use support::*;

#[test]
fn a_parameter_named_by_its_arn_without_a_leading_slash_is_a_read() {
    let records: Value = read_json(&shared_data().join(
        "cloudtrail/stratus-red-team/aws.credential-access.ssm-retrieve-securestring-parameters.json",
    ));
    let mut read = records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["eventName"] == "GetParameters")
        .unwrap()
        .clone();
    let id = read["eventID"].as_str().unwrap().to_string();
    let arn = format!(
        "arn:aws:ssm:{}:{}:parameter/db-password",
        read["awsRegion"].as_str().unwrap(),
        read["recipientAccountId"].as_str().unwrap()
    );
    read["requestParameters"] = json!({"names": [arn], "withDecryption": true});
    read.as_object_mut().unwrap().remove("resources");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("records.json"),
        json!({ "Records": [read] }).to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("trailcase.toml"),
        "[[honeytoken]]\nkind = \"ssm-parameter\"\npattern = \"db-password\"\n",
    )
    .unwrap();

    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let incidents = doc["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{doc:#}");
    assert_eq!(incidents[0]["access_event_ids"], json!([id]));
    assert!(!text.contains("No honeytoken was read"), "{text}");
    // The ARN writes `/db-password` the same way: that it may be that parameter is said.
    let said = incidents[0]["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|u| u.contains("could name the honeytoken or another resource"))
        .unwrap_or_else(|| panic!("{:#}", incidents[0]["unknowns"]));
    assert!(
        said.contains(&arn) && said.contains("the parameter /db-password"),
        "{said}"
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("the parameter /db-password"), "{flat}");
}
