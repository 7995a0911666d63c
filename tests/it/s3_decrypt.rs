//! S3's `kms:Decrypt` of an SSE-KMS decoy object for its caller (AWS KMS Developer Guide's own
//! example, `encryptionContext."aws:s3:arn"`): with no S3 data event in the evidence it is the
//! only trace of the read. It was nothing at all ("No honeytoken was read"); it is now an
//! incident whose read is told as indirect, and a Decrypt under an S3 Bucket Key (the bucket's
//! ARN, no object) says only that some object of the bucket was decrypted.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

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

#[test]
fn s3_decrypting_the_decoy_for_a_principal_is_an_indirect_read() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &doc_records());
    let doc = timeline(dir.path());
    let inc = doc["incidents"].as_array().unwrap();
    assert_eq!(inc.len(), 1, "{doc:#}");
    assert_eq!(
        inc[0]["actor"]["arn"],
        "arn:aws:sts::111122223333:assumed-role/Admins/example-user"
    );
    assert_eq!(inc[0]["access_event_ids"], json!([DECRYPT_ID]));
    let indirect = of_kind(&inc[0]["findings"], "indirect_read");
    assert_eq!(indirect.len(), 1, "{:#}", inc[0]["findings"]);
    assert_eq!(indirect[0]["event_ids"], json!([DECRYPT_ID]));
    let summary = indirect[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains(
            "S3 decrypted the object for this principal; the S3 call itself is not in the evidence"
        ),
        "{summary}"
    );
    assert!(of_kind(&doc["findings"], "decrypt_without_read").is_empty());

    let text = report(dir.path());
    assert!(!text.contains("No honeytoken was read"), "{text}");
    assert!(
        text.contains("KMS records show S3 decrypting the decoy storage object example_bucket/example_object for the credential of a role session"),
        "{text}"
    );
    assert!(
        text.contains("the S3 call itself is not in the evidence"),
        "{text}"
    );
    assert!(!text.contains("The actor obtained"), "{text}");
    assert!(
        !text.contains("The decoy's value is in the actor's hands"),
        "{text}"
    );
    // NIST SC-26 says what the decoy drew as the evidence shows it: a decryption, not a read.
    assert!(
        text.contains("no workload reads was decrypted by S3 for a caller"),
        "{text}"
    );
    assert!(!text.contains("no workload reads was read"), "{text}");
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

/// The GetObject the Decrypt served (the Decrypt's caller, time and region; bucket and key as
/// S3 logs them): the read is the S3 call, the Decrypt bears it out, nothing is counted twice.
#[test]
fn the_decrypt_of_a_get_object_in_the_evidence_bears_it_out() {
    let records = doc_records();
    let decrypt = &records[1];
    let read = get_object(decrypt, "example_object");
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &[records[0].clone(), read, decrypt.clone()]);
    let doc = timeline(dir.path());
    let inc = doc["incidents"].as_array().unwrap();
    assert_eq!(inc.len(), 1, "{doc:#}");
    assert_eq!(
        inc[0]["access_event_ids"],
        json!(["11111111-2222-4333-8444-555555555555"])
    );
    assert_eq!(
        inc[0]["corroboration"],
        json!([{"read_event_id": "11111111-2222-4333-8444-555555555555",
                "kind": "kms_decrypt", "event_id": DECRYPT_ID}])
    );
    assert!(of_kind(&inc[0]["findings"], "indirect_read").is_empty());
}

/// With S3 Bucket Keys the context is the bucket's ARN: some object of the bucket was
/// decrypted, which one the record does not say. No incident, and no all-clear either.
#[test]
fn a_decrypt_under_a_bucket_key_never_claims_the_decoy_was_read() {
    let mut records = doc_records();
    records[1]["requestParameters"]["encryptionContext"] =
        json!({"aws:s3:arn": "arn:aws:s3:::example_bucket"});
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &records);
    let doc = timeline(dir.path());
    assert_eq!(doc["incidents"], json!([]));
    let found = of_kind(&doc["findings"], "unnamed_read");
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    assert_eq!(found[0]["event_ids"], json!([DECRYPT_ID]));
    let summary = found[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains(
            "some object of the bucket was decrypted, whether the honeytoken was is not known"
        ),
        "{summary}"
    );
    let text = report(dir.path());
    assert!(!text.contains("No honeytoken was read"), "{text}");
    assert!(
        text.contains("some object of the bucket was decrypted"),
        "{text}"
    );
}

/// Whether an S3 object was read shows only in S3 data events. With none in the evidence the
/// case said "No honeytoken was read"; it now says reads of the decoy were not examined (JSON
/// finding, summary, NIST SC-26 and IR-4). With one (a GetObject of another object) the
/// all-clear stands.
#[test]
fn without_s3_data_events_reads_of_an_s3_decoy_are_not_examined() {
    let records = doc_records();
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &records[..1]);
    let doc = timeline(dir.path());
    assert_eq!(doc["incidents"], json!([]));
    let found = of_kind(&doc["findings"], "reads_not_examined");
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    assert_eq!(
        found[0]["summary"],
        "reads of s3:example_bucket/example_object not examined: none of the 1 records read is an S3 data event (S3 records a GetObject only as a data event, which a trail logs only when its event selectors ask for it), so no S3 call that read the object can be in the evidence: whether it was read is unknown unless KMS records show S3 decrypting it"
    );
    let text = report(dir.path());
    assert!(!text.contains("No honeytoken was read"), "{text}");
    assert!(
        text.contains(
            "Whether a honeytoken was read is unknown: the evidence cannot show every read."
        ),
        "{text}"
    );
    assert!(
        text.contains("none of the 1 records examined is an S3 data event, so a read of the S3 decoy could not be seen"),
        "{text}"
    );
    assert!(!text.contains("No incident to handle."), "{text}");

    let other = get_object(&records[1], "other_object");
    write_case(dir.path(), &[records[0].clone(), other]);
    let doc = timeline(dir.path());
    assert_eq!(doc["incidents"], json!([]));
    assert!(of_kind(&doc["findings"], "reads_not_examined").is_empty());
    let text = report(dir.path());
    assert!(
        text.contains("No honeytoken was read in the evidence examined"),
        "{text}"
    );
}

/// A trail's data-event selectors can log some buckets and not others: S3 data events of
/// another bucket show nothing of the decoy's. They counted as "examined" (no finding, "No
/// honeytoken was read in the evidence examined"); the decoy's reads are now not examined, and
/// the finding and NIST SC-26 name the bucket whose data events were read, citing one.
#[test]
fn s3_data_events_of_another_bucket_do_not_examine_the_decoys() {
    let records = doc_records();
    let mut elsewhere = get_object(&records[1], "report.csv");
    elsewhere["requestParameters"]["bucketName"] = json!("other-bucket");
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &[records[0].clone(), elsewhere]);
    let doc = timeline(dir.path());
    assert_eq!(doc["incidents"], json!([]));
    let found = of_kind(&doc["findings"], "reads_not_examined");
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    assert_eq!(
        found[0]["summary"],
        "reads of s3:example_bucket/example_object not examined: none of the 2 records read is an S3 read data event (readOnly true, such as GetObject) on the bucket example_bucket (S3 records a GetObject only as a read data event, which a trail logs only for the buckets its event selectors ask for, and only when they ask for reads (ReadWriteType ReadOnly or All, advanced readOnly not false)); S3 data events were read for another bucket, other-bucket (one eventID of each cited): data events were logged for other buckets, not, in the evidence examined, reads of the decoy's. No GetObject of the object can be in the evidence: whether it was read is unknown unless KMS records show S3 decrypting it"
    );
    assert_eq!(
        found[0]["event_ids"],
        json!(["11111111-2222-4333-8444-555555555555"])
    );
    let text = report(dir.path());
    assert!(!text.contains("No honeytoken was read"), "{text}");
    assert!(
        !text.contains("the decoy is not shown drawing anyone"),
        "{text}"
    );
    assert!(
        text.contains("none of the 2 records examined is an S3 data event on the decoy's bucket"),
        "{text}"
    );
    assert!(
        text.contains("S3 data events of other buckets were read (other-bucket; one of each cited): data events were logged, not for the decoy's bucket."),
        "{text}"
    );
}

/// A refused `GetObject` of the decoy and, later, S3's `kms:Decrypt` of it for the same
/// principal: the only successful read is the indirect one. It was told as a plain read: "was
/// used to read … at <the refused call's time>", "The actor obtained the … value", "The read.
/// At <the refused call's time> it read", "returned to the actor (1 successful read)", SC-26
/// "was read". Each sentence now says what rests on what: the refused call was refused, the
/// decryption is indirect and dated by the Decrypt.
#[test]
fn a_refused_read_and_s3_decrypting_the_decoy_are_told_apart() {
    let records = doc_records();
    let mut refused = get_object(&records[1], "example_object");
    refused["eventTime"] = json!("2015-09-10T21:58:39Z");
    refused["errorCode"] = json!("AccessDenied");
    refused["errorMessage"] = json!("Access Denied");
    let dir = tempfile::tempdir().unwrap();
    write_case(
        dir.path(),
        &[records[0].clone(), refused, records[1].clone()],
    );
    let doc = timeline(dir.path());
    let inc = doc["incidents"].as_array().unwrap();
    assert_eq!(inc.len(), 1, "{doc:#}");
    let basis = inc[0]["severity_basis"].as_str().unwrap();
    assert!(
        basis.starts_with("S3 decrypted the honeytoken object for the actor (1 read known only from kms:Decrypt; the S3 call itself is not in the evidence); 1 read in the evidence was refused"),
        "{basis}"
    );
    let why: Vec<&str> = inc[0]["eradication"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert!(
        !why.contains(&"a read returned the honeytoken's value to the actor"),
        "{why:?}"
    );

    let text = report(dir.path());
    for claim in [
        "was used to read",
        "The actor obtained",
        "it read the decoy",
        "The decoy's value is in the actor's hands",
        "returned to the actor (1 successful read)",
        "no workload reads was read",
    ] {
        assert!(!text.contains(claim), "{claim}: {text}");
    }
    for said in [
        "for the credential of a role session of the AWS account at 2015-09-10T23:58:39Z",
        "A direct read of the decoy storage object by that credential is in the evidence, and it was refused (at 2015-09-10T21:58:39Z).",
        "The attempt. At 2015-09-10T21:58:39Z it tried to read the decoy storage object example_bucket/example_object, and was refused.",
        "The read. At 2015-09-10T23:58:39Z S3 decrypted the decoy storage object",
        "the actor's direct read in the evidence was refused",
        "no workload reads was asked for directly (every such read in the evidence refused) and decrypted by S3 for a caller",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
}

/// The same direct GetObject failing with `NoSuchKey` (an error no access check gives) beside
/// S3's Decrypt of the decoy: the indirect-only sentences said "its direct read in the evidence
/// was refused", the severity "1 read in the evidence was refused" and SC-26 "every such read in
/// the evidence refused" whatever the code. They now say it failed, with its code, by the rule
/// of the direct reads.
#[test]
fn a_failed_direct_read_beside_s3_decrypting_the_decoy_is_not_called_refused() {
    let records = doc_records();
    let mut failed = get_object(&records[1], "example_object");
    failed["eventTime"] = json!("2015-09-10T21:58:39Z");
    failed["errorCode"] = json!("NoSuchKey");
    failed["errorMessage"] = json!("The specified key does not exist.");
    let dir = tempfile::tempdir().unwrap();
    write_case(
        dir.path(),
        &[records[0].clone(), failed, records[1].clone()],
    );
    let doc = timeline(dir.path());
    let basis = doc["incidents"][0]["severity_basis"].as_str().unwrap();
    assert!(
        basis.contains("; 1 read in the evidence failed (NoSuchKey)"),
        "{basis}"
    );
    let text = report(dir.path());
    for said in [
        "A direct read of the decoy storage object by that credential is in the evidence, and it failed (NoSuchKey) (at 2015-09-10T21:58:39Z).",
        "it tried to read the decoy storage object example_bucket/example_object, and failed (NoSuchKey).",
        "the actor's direct read in the evidence failed (NoSuchKey)",
        "no workload reads was asked for directly (every such read in the evidence failed) and decrypted by S3 for a caller",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    assert!(!text.contains("in the evidence was refused"), "{text}");
    assert!(!text.contains("and was refused"), "{text}");
}

/// The KMS guide's Decrypt names a role session (`assumed-role/Admins/example-user`) with a
/// long-term key id (`AKIAIOSFODNN7EXAMPLE`; a role session's keys are `ASIA…`). The report
/// advised "Replace the compromised account's access key", as if a user's long-term key had
/// been used. The records disagree with themselves: no step now replaces or deactivates the
/// key, and the incident's unknowns say the disagreement, neither reading stated as fact.
#[test]
fn a_role_session_with_a_long_term_key_id_is_an_unknown_not_a_key_to_replace() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &doc_records());
    let doc = timeline(dir.path());
    let inc = &doc["incidents"][0];
    assert_eq!(inc["actor"]["type"], "AssumedRole");
    let steps = inc["eradication"].to_string();
    assert!(
        !steps.contains("Replace the compromised user") && !steps.contains("'s access key\""),
        "{steps}"
    );
    assert!(
        !steps.contains("access key(s) AKIAIOSFODNN7EXAMPLE"),
        "{steps}"
    );
    let unknowns = inc["unknowns"].to_string();
    assert!(
        unknowns.contains("carry the long-term access key id(s) AKIAIOSFODNN7EXAMPLE (AKIA…), where such an identity's keys are temporary (ASIA…): the records disagree, so whether a user's long-term key or the session's temporary key was used is not known"),
        "{unknowns}"
    );
    let text = report(dir.path());
    assert!(!text.contains("Replace the compromised account"), "{text}");
    assert!(!text.contains("Deactivate, then delete"), "{text}");
    assert!(text.contains("the records disagree"), "{text}");
}
