//! `incidents[].honeytoken.arn` held the decoy's name when the reads named it by name only
//! (`"arn": "Production_Database_Credentials"`): the field's name says ARN. It now holds an ARN
//! only when the reads' records give one, and is null otherwise, the name being in `name`.

use crate::support::*;
use serde_json::json;

/// The DynamoDB guide's `UpdateItem` caller's read of the honeytoken (tests/data/SOURCES.md),
/// by name; with `resources`, by ARN too.
fn read_case(resources: Option<serde_json::Value>) -> serde_json::Value {
    let call = read_json(&repo().join("tests/data/records/ddb-update-item-L313.json"))["Records"]
        [0]
    .clone();
    let mut read = honeytoken_read_like(
        &call,
        "2020-09-03T22:30:00Z",
        "5e55101d-0000-4000-8000-0000000000a6",
    );
    if let Some(r) = resources {
        read["resources"] = r;
    }
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(
        evidence.join("trail.json"),
        json!({ "Records": [read] }).to_string(),
    )
    .unwrap();
    let doc = timeline_of(&evidence);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1, "{doc:#}");
    doc["incidents"][0]["honeytoken"].clone()
}

#[test]
fn a_read_by_name_gives_no_arn_and_a_read_naming_the_arn_gives_it() {
    let by_name = read_case(None);
    assert_eq!(
        by_name,
        json!({"arn": null, "name": "Production_Database_Credentials",
               "rule": "secret:Production_Database_Credentials"})
    );
    let arn = "arn:aws:secretsmanager:us-west-2:111122223333:secret:Production_Database_Credentials-Ab12Cd";
    let by_arn = read_case(Some(
        json!([{"accountId": "111122223333", "type": "AWS::SecretsManager::Secret", "ARN": arn}]),
    ));
    assert_eq!(by_arn["arn"], arn, "{by_arn:#}");
    assert_eq!(by_arn["name"], "Production_Database_Credentials");
}
