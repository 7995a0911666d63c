//! Honeytoken reads through every read API (issue 14, "Honeytoken reads"): a path that covers a
//! honeytoken parameter, a batch of secrets by list or by filters (one read, however many
//! per-secret entries AWS writes for it), and the service's `kms:Decrypt` of the value, which
//! bears out the read and, alone, says a read's record may be missing.
//!
//! Records: AWS's own examples and real captures from `tests/data/shared` (see its SOURCES.md),
//! and records built from them as AWS documents the APIs (see tests/data/SOURCES.md,
//! "honeytoken_reads.rs").

mod accounts;
mod arns;
mod batches;
mod parameters;
mod s3_copies;

use crate::support;

use serde_json::{json, Value};

use support::honeytoken_calls::secret_read;
use support::*;

const SM_DOCS: &str = "cloudtrail/awsdocs-secrets-manager-user-guide";
const STRATUS: &str = "cloudtrail/stratus-red-team";

fn shared(path: &str) -> Value {
    read_json(&shared_data().join(path))
}

fn records(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        one => vec![one],
    }
}

fn case(records: &[Value], honeytoken: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let body = json!({ "Records": records }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let run = trailcase([
        "timeline",
        "--quiet",
        "--honeytoken",
        honeytoken,
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    let bad = support::schema::schema_violations(&schema, &doc);
    assert!(bad.is_empty(), "{bad:?}");
    doc
}

fn incidents(doc: &Value) -> &Vec<Value> {
    doc["incidents"].as_array().unwrap()
}

fn with(mut record: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        record[k] = v.clone();
    }
    record
}

/// The caller of AWS's Decrypt example (Secrets Manager User Guide, security-encryption.md).
fn doc_decrypt() -> Value {
    shared(&format!(
        "{SM_DOCS}/security-encryption-c3b51ccd07-L229-Decrypt.json"
    ))
}

/// The GetSecretValue call the Decrypt example served: AWS's GetSecretValue example
/// (vpc-endpoint-overview.md) made by the Decrypt example's caller, at its time, for its secret.
fn read_for_doc_decrypt() -> Value {
    let decrypt = doc_decrypt();
    let mut identity = decrypt["userIdentity"].clone();
    identity.as_object_mut().unwrap().remove("invokedBy");
    with(
        shared(&format!(
            "{SM_DOCS}/vpc-endpoint-overview-d933544d48-L162-GetSecretValue.json"
        )),
        json!({
            "userIdentity": identity,
            "eventTime": decrypt["eventTime"],
            "awsRegion": "us-east-2",
            "requestParameters": {"secretId": "test-secret"},
        }),
    )
}

#[test]
fn service_decrypt_of_the_honeytoken_corroborates_the_read_and_alone_is_a_finding() {
    let decrypt = doc_decrypt();
    let read = read_for_doc_decrypt();
    let doc = case(&[read.clone(), decrypt.clone()], "secret:test-secret");
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 1, "{doc}");
    assert_eq!(inc[0]["access_event_ids"], json!([read["eventID"]]));
    assert_eq!(
        inc[0]["corroboration"],
        json!([{"read_event_id": read["eventID"], "kind": "kms_decrypt",
                "event_id": "f333ec5c-7fc1-46b1-b985-cbda13719611"}])
    );
    assert!(!doc["findings"].to_string().contains("decrypt_without_read"));

    // The read's record is missing: the Decrypt alone says a read happened.
    let doc = case(&[decrypt], "secret:test-secret");
    assert!(incidents(&doc).is_empty());
    let found: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "decrypt_without_read")
        .collect();
    assert_eq!(found.len(), 1, "{}", doc["findings"]);
    assert_eq!(
        found[0]["event_ids"],
        json!(["f333ec5c-7fc1-46b1-b985-cbda13719611"])
    );
    let summary = found[0]["summary"].as_str().unwrap();
    assert!(summary.contains("test-secret"), "{summary}");
    assert!(summary.contains("may be missing"), "{summary}");
    // The report's summary does not call it an all-clear.
    let dir = tempfile::tempdir().unwrap();
    let body = json!({ "Records": [doc_decrypt()] }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(
        &pdf,
        &[
            "--honeytoken",
            "secret:test-secret",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(!text.contains("No honeytoken was read"), "{text}");
    assert!(
        text.contains("No read call of a honeytoken is in the evidence examined, but KMS records show a honeytoken's value decrypted for a caller."),
        "{text}"
    );

    // A Decrypt of another secret is nobody's business here.
    let other = with(
        doc_decrypt(),
        json!({"requestParameters": {"encryptionContext": {
            "SecretARN": "arn:aws:secretsmanager:us-east-2:111122223333:secret:other-secret-a1b2c3"}}}),
    );
    let doc = case(&[other], "secret:test-secret");
    assert!(!doc["findings"].to_string().contains("decrypt_without_read"));
}

/// A Decrypt of the honeytoken with no read of it, beside a GetSecretValue whose record names no
/// secret (requestParameters null): the executive summary told the Decrypt and left the
/// `unnamed_read` finding out; SC-26 said "no read or change of it is in the 2 records
/// examined". Both now say the read names nothing, so whether it read the decoy is unknown.
#[test]
fn a_decrypt_without_read_beside_a_read_naming_no_secret_tells_both() {
    let unnamed = with(
        read_for_doc_decrypt(),
        json!({"requestParameters": null, "eventID": "unnamed-read-1"}),
    );
    let dir = tempfile::tempdir().unwrap();
    let body = json!({ "Records": [doc_decrypt(), unnamed] }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let (doc, text) =
        timeline_and_unverifiable_report(dir.path(), &["--honeytoken", "secret:test-secret"]);
    assert_eq!(of_kind(&doc["findings"], "unnamed_read").len(), 1, "{doc}");
    assert_eq!(of_kind(&doc["findings"], "decrypt_without_read").len(), 1);
    assert!(
        text.contains("so the read's record may be missing; and 1 secretsmanager:GetSecretValue record names no resource (CloudTrail recorded no requestParameters), successful, at "),
        "{text}"
    );
    assert!(!text.contains("no read or change of it is in"), "{text}");
    assert!(
        text.contains("the \"Reads that name no resource\" finding says which; eventID unnamed-read-1 cited): whether one of them read the decoy is unknown."),
        "{text}"
    );
    assert!(
        text.contains("whether it read a honeytoken is not known (eventID unnamed-read-1)"),
        "{text}"
    );
}

/// Reads naming no resource are counted in words that fit their number: two are cited by
/// eventID in the summary; beyond three, the finding cites them (up to 20) (the summary said "the first 1
/// cited" of one read, and cited none of them itself).
#[test]
fn reads_naming_no_secret_are_told_by_their_number() {
    let unnamed = |n: usize| {
        with(
            read_for_doc_decrypt(),
            json!({"requestParameters": null, "eventID": format!("unnamed-read-{n}")}),
        )
    };
    let summary = |records: Vec<Value>| {
        let dir = tempfile::tempdir().unwrap();
        let body = json!({ "Records": records }).to_string();
        std::fs::write(dir.path().join("trail.json"), body).unwrap();
        let run = trailcase([
            "timeline",
            dir.path().to_str().unwrap(),
            "--honeytoken",
            "secret:test-secret",
        ]);
        let doc = run.json();
        let found = of_kind(&doc["findings"], "unnamed_read");
        assert_eq!(found.len(), 1, "{doc}");
        found[0]["summary"].as_str().unwrap().to_string()
    };
    let two = summary((1..=2).map(unnamed).collect());
    assert!(
        two.starts_with("2 secretsmanager:GetSecretValue records name no resource (CloudTrail recorded no requestParameters), 2 of them successful, from "),
        "{two}"
    );
    assert!(
        two.ends_with(
            "whether they read a honeytoken is not known (eventID unnamed-read-1, unnamed-read-2)"
        ),
        "{two}"
    );
    let five = summary((1..=5).map(unnamed).collect());
    assert!(
        five.ends_with(
            "whether they read a honeytoken is not known (the \"Reads that name no resource\" finding cites each)"
        ),
        "{five}"
    );
}

/// A Decrypt of the honeytoken's value with no read of it (`decrypt_without_read`): SC-26 said
/// "no read or change of it is in the 1 records examined" and IR-4 "No incident to handle.",
/// though the Decrypt may be a read whose record is missing. Both now name it by eventID.
#[test]
fn nist_sc26_and_ir4_name_a_decrypt_without_read() {
    // A short eventID: the PDF's table wraps a long one with hyphens.
    let decrypt = with(doc_decrypt(), json!({"eventID": "dec-1"}));
    let dir = tempfile::tempdir().unwrap();
    let body = json!({ "Records": [decrypt] }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let (doc, text) =
        timeline_and_unverifiable_report(dir.path(), &["--honeytoken", "secret:test-secret"]);
    assert_eq!(of_kind(&doc["findings"], "decrypt_without_read").len(), 1);
    assert!(!text.contains("no read or change of it is in"), "{text}");
    assert!(!text.contains("No incident to handle."), "{text}");
    assert!(
        text.contains("SC-26 Decoys Detect (DE) No read call of the honeytoken is in the 1 records examined, but a kms:Decrypt of its value with no read of it (the \"A decrypt with no read\" finding; eventID dec-1 cited): the service decrypts a value only to return it, so a read's record may be missing, and whether the decoy's value was read through it is unknown."),
        "{text}"
    );
    assert!(
        text.contains("IR-4 Incident Handling Respond (RS) No incident (no read call of a honeytoken is in the evidence), but a kms:Decrypt of a honeytoken's value with no read of it may be a read whose record is missing (eventID dec-1: the \"A decrypt with no read\" finding; whether the decoy's value was read through it is unknown): they are not handled by any incident here."),
        "{text}"
    );
}

/// A Decrypt of the honeytoken's value with no read, beside a GetSecretValue naming no secret:
/// NIST DE.CM-03 said "no activity on the decoy is in the 2 records examined" and DE.AE-02 "no
/// honeytoken read is in the 2 records examined". Both now name the Decrypt and the unnamed
/// read by eventID, and say only that no read call is in the records.
#[test]
fn nist_de_cm03_and_de_ae02_tell_a_decrypt_without_read_and_an_unnamed_read() {
    let decrypt = with(doc_decrypt(), json!({"eventID": "dec-1"}));
    let unnamed = with(
        read_for_doc_decrypt(),
        json!({"requestParameters": null, "eventID": "un-1"}),
    );
    let dir = tempfile::tempdir().unwrap();
    let body = json!({ "Records": [decrypt, unnamed] }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let (doc, text) =
        timeline_and_unverifiable_report(dir.path(), &["--honeytoken", "secret:test-secret"]);
    assert_eq!(of_kind(&doc["findings"], "decrypt_without_read").len(), 1);
    assert_eq!(of_kind(&doc["findings"], "unnamed_read").len(), 1);
    assert!(!text.contains("no activity on the decoy"), "{text}");
    assert!(
        !text.contains("no honeytoken read is in the 2 records examined, so no actor's"),
        "{text}"
    );
    let told = "a kms:Decrypt of its value with no read of it, whether the value was read through it unknown (the \"A decrypt with no read\" finding; eventID dec-1); and reads that do not name what they read, whether one of them read the decoy unknown (the \"Reads that name no resource\" finding; eventID un-1)";
    assert!(
        text.contains(&format!("No read call of the decoy is in the 2 records examined, but activity on it, or possibly on it, was recorded: {told}.")),
        "{text}"
    );
    assert!(
        text.contains(&format!("Not shown by this evidence: no incident (no read call of a honeytoken) is in the 2 records examined, so no actor's activity around one was analysed. Activity on the decoy, or possibly on it, is in the records, told as findings and not analysed as an incident: {told}.")),
        "{text}"
    ); // AU-3 and IR-4 neither say no record shows who read the decoy nor that no read is in
       // the evidence: the Decrypt's and the unnamed read's records may be reads of it.
    assert!(
        !text.contains("so no record shows who read the decoy"),
        "{text}"
    );
    assert!(
        text.contains("AU-3 Content of Audit Records Detect (DE) No read naming the honeytoken is in the 2 records examined; the records of the calls that may have read it (eventID dec-1, un-1: the \"A decrypt with no read\" and \"Reads that name no resource\" findings) show who made them, from where, when and with what outcome, not whether they read the decoy."),
        "{text}"
    );
    assert!(
        text.contains("No incident (no read naming a honeytoken is in the evidence), but"),
        "{text}"
    );
}
