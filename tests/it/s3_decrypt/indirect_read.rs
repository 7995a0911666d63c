//! S3's `kms:Decrypt` of the decoy for a caller is an indirect read; a Decrypt beside the
//! GetObject it served bears that read out; one under an S3 Bucket Key claims no object.

use super::*;

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
