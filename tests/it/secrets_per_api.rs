//! Secrets whose key says nothing (rule 4, per API): Fleet Manager's `ssm-guiconnect`
//! `StartConnection` returns the `ConnectionKey` of the remote-desktop connection it opened; it
//! was written as recorded in every output that carries the record. The AWS Systems Manager User
//! Guide's record (`tests/data/records/ssm-guiconnect-L85.json`) followed by its caller's read of
//! a honeytoken parameter, so that it is an incident row.

use crate::support;

use serde_json::{json, Value};
use support::*;

/// The guide's connection key.
const KEY: &str = "71f9629f-0f9a-4b35-92f2-2d253EXAMPLE";

/// The guide's StartConnection, then its caller's GetParameter of `/prod/db-password`.
pub fn guiconnect_case(dir: &std::path::Path) {
    let call = read_json(&repo().join("tests/data/records/ssm-guiconnect-L85.json"));
    let mut read = honeytoken_read_like(
        &call,
        "2021-12-13T16:52:41Z",
        "fc514f57-0000-4000-8000-000000000002",
    );
    read["eventSource"] = json!("ssm.amazonaws.com");
    read["eventName"] = json!("GetParameter");
    read["requestParameters"] = json!({"name": "/prod/db-password", "withDecryption": true});
    read["responseElements"] = Value::Null;
    std::fs::write(
        dir.join("trail.json"),
        json!({ "Records": [call, read] }).to_string(),
    )
    .unwrap();
}

#[test]
fn a_fleet_manager_connection_key_is_redacted_in_every_output() {
    let evidence = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    guiconnect_case(evidence.path());
    let dir = evidence.path().to_str().unwrap();
    let formats = [
        ("json", false),
        ("jsonl", false),
        ("csv", false),
        ("timesketch", false),
        ("json", true),
        ("jsonl", true),
        ("csv", true),
    ];
    not_in_timelines(
        &["--honeytoken", "ssm:/prod/db-password"],
        dir,
        &formats,
        KEY,
    );
    let run = trailcase([
        "timeline",
        "--quiet",
        "--honeytoken",
        "ssm:/prod/db-password",
        dir,
    ]);
    let doc = run.json();
    let row = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "ssm-guiconnect:StartConnection")
        .expect("the connection is a row of the incident");
    let response = &row["record"]["responseElements"];
    assert_eq!(response["ConnectionKey"], "[REDACTED]", "{response}");
    // The connection's ARN and the request's token are evidence, kept.
    assert_eq!(
        response["ConnectionArn"],
        "arn:aws:ssm-guiconnect:us-east-2:123456789012:connection/fcb810cd-241f-4aae-9ee4-02d59EXAMPLE"
    );
    assert_eq!(
        response["ClientToken"],
        "49af0f92-d637-4d47-9c54-ea51aEXAMPLE"
    );

    let pdf = out.path().join("report.pdf");
    let json = out.path().join("timeline.json");
    let run = report_pdf(
        &pdf,
        &[
            "--honeytoken",
            "ssm:/prod/db-password",
            "--timeline-json",
            json.to_str().unwrap(),
            dir,
        ],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(!std::fs::read_to_string(&json).unwrap().contains(KEY));
    assert!(!pdf_text(&pdf).contains(KEY));
    let attached = pdf_attachments(&pdf, &out.path().join("attached"));
    for f in std::fs::read_dir(attached).unwrap() {
        let f = f.unwrap().path();
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        assert!(!text.contains(KEY), "{}", f.display());
    }
}
