//! S3's `kms:Decrypt` of an SSE-KMS decoy object for its caller (AWS KMS Developer Guide's own
//! example, `encryptionContext."aws:s3:arn"`): with no S3 data event in the evidence it is the
//! only trace of the read. It was nothing at all ("No honeytoken was read"); it is now an
//! incident whose read is told as indirect, and a Decrypt under an S3 Bucket Key (the bucket's
//! ARN, no object) says only that some object of the bucket was decrypted.
//!
//! The case helpers are here; the tests one file per seam: the indirect read itself
//! (`indirect_read`), whether S3 data events examined the decoy's reads (`data_events`), and the
//! actor's direct reads and keys beside the Decrypt (`direct_reads`).

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

mod data_events;
mod direct_reads;
mod indirect_read;

const KMS_DOCS: &str = "cloudtrail/awsdocs-kms-developer-guide";
const DECOY: &str = "s3:example_bucket/example_object";
const DECRYPT_ID: &str = "ae551b19-8a09-4cfc-a249-205ddba330e3";

/// The guide's GenerateDataKey (S3 writing the object) and Decrypt (S3 reading it for
/// `assumed-role/Admins/example-user`), verbatim.
fn doc_records() -> Vec<Value> {
    ["L24", "L74"]
        .iter()
        .map(|l| {
            read_json(&shared_data().join(format!(
                "{KMS_DOCS}/deleting-keys-determining-usage-{l}.json"
            )))
        })
        .collect()
}

fn write_case(dir: &Path, records: &[Value]) {
    let body = json!({ "Records": records }).to_string();
    std::fs::write(dir.join("trail.json"), body).unwrap();
}

fn timeline(dir: &Path) -> Value {
    let run = trailcase([
        "timeline",
        "--quiet",
        "--honeytoken",
        DECOY,
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    let bad = support::schema::schema_violations(&schema, &doc);
    assert!(bad.is_empty(), "{bad:?}");
    doc
}

fn report(case: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(&pdf, &["--honeytoken", DECOY, case.to_str().unwrap()]);
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(run.code, 1, "{}", run.stderr);
    pdf_text(&pdf)
}

/// A `GetObject` of `key` in the decoy's bucket by the Decrypt's caller, at its time.
fn get_object(decrypt: &Value, key: &str) -> Value {
    let mut identity = decrypt["userIdentity"].clone();
    identity.as_object_mut().unwrap().remove("invokedBy");
    let mut read = decrypt.clone();
    for (k, v) in [
        ("userIdentity", identity),
        ("eventSource", json!("s3.amazonaws.com")),
        ("eventName", json!("GetObject")),
        ("sourceIPAddress", json!("192.0.2.10")),
        ("userAgent", json!("aws-cli/2.15.0")),
        (
            "requestParameters",
            json!({"bucketName": "example_bucket", "key": key}),
        ),
        ("eventID", json!("11111111-2222-4333-8444-555555555555")),
        // A data event's field, as S3 writes into each: without one, a GetObject record shows
        // no more than its name (an export, a hand-written record), and counts as no data event.
        (
            "additionalEventData",
            json!({"bytesTransferredIn": 0.0, "bytesTransferredOut": 1024.0}),
        ),
    ] {
        read[k] = v;
    }
    read
}
