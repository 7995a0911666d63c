//! A honeytoken read an AWS service made on the caller's behalf (`userIdentity.invokedBy`,
//! `sourceIPAddress` the service's name) was told as the caller's own: "The actor obtained the
//! decoy secret's value", "the honeytoken's value was returned to the actor", "Did the value
//! leave AWS? ... returned to the actor", "The decoy's value is in the actor's hands". The
//! records show the value returned to the service. The incident's new `impact.service_reads`
//! lists such reads, and the report names the service (audit 25).
//!
//! The caller is trailscraper's real record of AWS Config calling through an assumed role
//! (`invokedBy` `config.amazonaws.com`; tests/data/SOURCES.md), kept as the actor's first call;
//! the read is that record made a `GetSecretValue` of the honeytoken.

use crate::support;

use serde_json::{json, Value};
use std::io::Read as _;
use support::*;

#[test]
fn a_read_a_service_made_on_the_actors_behalf_names_the_service() {
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(repo().join(
            "tests/data/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz",
        ))
        .unwrap(),
    )
    .read_to_string(&mut text)
    .unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let call = doc["Records"][0].clone();
    assert_eq!(call["userIdentity"]["invokedBy"], "config.amazonaws.com");
    let mut read = call.clone();
    read["eventTime"] = json!("2017-12-11T15:02:30Z");
    read["eventSource"] = json!("secretsmanager.amazonaws.com");
    read["eventName"] = json!("GetSecretValue");
    read["requestParameters"] = json!({"secretId": "Production_Database_Credentials"});
    read["eventID"] = json!("a0ed971f-389f-406a-9fcf-887c5ca69002");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("records.json"),
        serde_json::to_vec(&json!({"Records": [call, read]})).unwrap(),
    )
    .unwrap();

    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let i = &doc["incidents"][0];
    assert_eq!(
        i["impact"]["service_reads"],
        json!([{"event_id": "a0ed971f-389f-406a-9fcf-887c5ca69002", "invoked_by": "config.amazonaws.com"}])
    );
    let basis = i["severity_basis"].as_str().unwrap();
    assert!(
        basis.contains(
            "returned to the AWS service config.amazonaws.com calling on the actor's behalf"
        ),
        "{basis}"
    );
    assert!(!basis.contains("returned to the actor"), "{basis}");

    assert!(
        text.contains("The AWS service config.amazonaws.com obtained the decoy secret's value, calling on the actor's behalf"),
        "{text}"
    );
    assert!(
        text.contains("it had the AWS service config.amazonaws.com read (userIdentity.invokedBy) the decoy secret"),
        "{text}"
    );
    for claim in [
        "The actor obtained the decoy secret's value",
        "the value was returned to the actor",
        "The decoy's value is in the actor's hands",
    ] {
        assert!(!text.contains(claim), "{claim}: {text}");
    }
}
