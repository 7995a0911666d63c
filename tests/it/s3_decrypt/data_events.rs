//! Whether S3 data events examined the decoy's reads: none in the evidence, or only another
//! bucket's, is "not examined", never an all-clear.

use super::*;

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
