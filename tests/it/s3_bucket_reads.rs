//! Bucket-level reads that S3 logs only as data events (`ListObjects`, `ListObjectsV2`,
//! `HeadBucket`) in records without `eventCategory`, `managementEvent` or `readOnly` (older
//! records, exports) were not taken as data events at all: OTRF's honey bucket export holds 297
//! of them on the decoy's bucket beside three `PutObject`s, and the `reads_not_examined` finding
//! said the bucket's data events were "write data events only". A record that has a data event's
//! fields (`resources` naming the bucket, `additionalEventData.bytesTransferredOut`) is now a
//! read data event of its bucket; one with none of them is still not counted, and the finding
//! says what was seen.

use crate::support;

use serde_json::{json, Value};
use support::*;

const OTRF_DECOY: &str = "s3:microsoft-devtest/writeable_bucket.txt";

#[test]
fn bucket_reads_without_a_data_events_fields_are_said_and_not_counted() {
    let case = repo().join("tests/data/s3-decoy/otrf-honeybucket.json.gz");
    let (doc, text) = timeline_and_unverifiable_report(&case, &["--honeytoken", OTRF_DECOY]);
    let f = of_kind(&doc["findings"], "reads_not_examined");
    assert_eq!(f.len(), 1, "{:#}", doc["findings"]);
    let summary = f[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains("the records read that are known to be S3 data events on microsoft-devtest are write data events only"),
        "{summary}"
    );
    assert!(
        summary.contains("HeadBucket and ListObjects records on the bucket microsoft-devtest were read (at most 297 records, copies of one record not told apart past the first 16; one cited: eventID "),
        "{summary}"
    );
    assert!(
        summary.contains("S3 logs these calls only as read data events, so a trail may have logged reads of the bucket, but these records do not show it"),
        "{summary}"
    );
    // The write cited, and one of the bucket reads.
    assert_eq!(f[0]["event_ids"].as_array().unwrap().len(), 2, "{summary}");
    assert!(!text.contains("No honeytoken was read"), "{text}");
}

/// An OTRF `ListObjects` of the decoy's bucket as a trail records it: the same request, with
/// the `resources` and `additionalEventData` CloudTrail writes into an S3 data event (AWS's S3
/// User Guide, "CloudTrail log file entries for Amazon S3"), and still no `eventCategory`,
/// `managementEvent` or `readOnly`.
fn listing(name: &str, id: &str) -> Value {
    json!({
        "eventVersion": "1.05",
        "userIdentity": {"type": "AWSAccount", "principalId": "", "accountId": "ANONYMOUS_PRINCIPAL"},
        "eventTime": "2022-02-18T17:34:57Z",
        "eventSource": "s3.amazonaws.com",
        "eventName": name,
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "177.131.167.145",
        "userAgent": "Boto3/1.17.40 Python/3.6.12 Linux/3.10.0-1160.6.1.el7.x86_64 Botocore/1.20.112",
        "requestParameters": {"list-type": "2", "bucketName": "microsoft-devtest",
                              "Host": "microsoft-devtest.s3.amazonaws.com", "encoding-type": "url"},
        "responseElements": null,
        "additionalEventData": {"SignatureVersion": "SigV4", "AuthenticationMethod": "AuthHeader",
                                "bytesTransferredIn": 0.0, "bytesTransferredOut": 532.0},
        "requestID": "E2E91AQVN6DJHZ91",
        "eventID": id,
        "eventType": "AwsApiCall",
        "resources": [{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::microsoft-devtest"}],
        "recipientAccountId": "960312529846"
    })
}

#[test]
fn a_bucket_read_with_a_data_events_fields_examines_the_decoys_reads() {
    for name in ["ListObjects", "ListObjectsV2", "HeadBucket"] {
        let case = tempfile::tempdir().unwrap();
        let mut shape_only = listing(name, "283770f5-968d-448d-9328-0b010f4d3696");
        if name == "HeadBucket" {
            // The resources alone mark it.
            shape_only
                .as_object_mut()
                .unwrap()
                .remove("additionalEventData");
        }
        std::fs::write(
            case.path().join("trail.json"),
            json!({ "Records": [shape_only] }).to_string(),
        )
        .unwrap();
        let (doc, text) =
            timeline_and_unverifiable_report(case.path(), &["--honeytoken", OTRF_DECOY]);
        assert!(
            of_kind(&doc["findings"], "reads_not_examined").is_empty(),
            "{name}: {:#}",
            doc["findings"]
        );
        assert!(text.contains("No honeytoken was read"), "{name}: {text}");
    }
}

/// The same request as an object read (`GetObject`, `HeadObject`) of `key`, without any of a
/// data event's fields: as an export that dropped them, or a hand-edited file, holds it.
fn bare_object_read(name: &str, key: &str, id: &str) -> Value {
    let mut r = listing(name, id);
    let o = r.as_object_mut().unwrap();
    o.remove("resources");
    o.remove("additionalEventData");
    o["requestParameters"] = json!({"bucketName": "microsoft-devtest", "key": key,
                                    "Host": "microsoft-devtest.s3.amazonaws.com"});
    r
}

fn timeline_of_records(records: &[Value]) -> (Value, String) {
    let case = tempfile::tempdir().unwrap();
    std::fs::write(
        case.path().join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    timeline_and_unverifiable_report(case.path(), &["--honeytoken", OTRF_DECOY])
}

#[test]
fn object_reads_without_a_data_events_fields_are_said_and_not_counted() {
    // Reads of another object of the decoy's bucket: by their names alone, the trail would
    // have logged the bucket's reads and "No honeytoken was read" would stand.
    let (doc, text) = timeline_of_records(&[
        bare_object_read(
            "GetObject",
            "other.txt",
            "11111111-968d-448d-9328-0b010f4d3696",
        ),
        bare_object_read(
            "HeadObject",
            "other.txt",
            "22222222-968d-448d-9328-0b010f4d3696",
        ),
    ]);
    let f = of_kind(&doc["findings"], "reads_not_examined");
    assert_eq!(f.len(), 1, "{:#}", doc["findings"]);
    let summary = f[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains("GetObject and HeadObject records on the bucket microsoft-devtest were read (2 records; one cited: eventID 11111111-968d-448d-9328-0b010f4d3696) that carry none of the fields that mark an S3 data event"),
        "{summary}"
    );
    assert!(
        summary.contains("a GetObject of the decoy itself would be taken as a read of it"),
        "{summary}"
    );
    assert!(!text.contains("No honeytoken was read"), "{text}");

    // With a data event's fields, the same reads examine the bucket's reads.
    let mut marked = bare_object_read(
        "GetObject",
        "other.txt",
        "33333333-968d-448d-9328-0b010f4d3696",
    );
    marked["resources"] =
        json!([{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::microsoft-devtest/other.txt"}]);
    let (doc, text) = timeline_of_records(&[marked]);
    assert!(
        of_kind(&doc["findings"], "reads_not_examined").is_empty(),
        "{:#}",
        doc["findings"]
    );
    assert!(text.contains("No honeytoken was read"), "{text}");
}

#[test]
fn a_get_object_of_the_decoy_without_a_data_events_fields_is_still_its_read() {
    let (doc, _) = timeline_of_records(&[bare_object_read(
        "GetObject",
        "writeable_bucket.txt",
        "44444444-968d-448d-9328-0b010f4d3696",
    )]);
    assert_eq!(
        doc["incidents"].as_array().unwrap().len(),
        1,
        "{:#}",
        doc["findings"]
    );
    assert!(
        of_kind(&doc["findings"], "reads_not_examined").is_empty(),
        "{:#}",
        doc["findings"]
    );
}

/// The SC-26 row (in the PDF's text) from `text`, to the next row.
fn sc26(text: &str) -> &str {
    let at = text.find("SC-26 Decoys").expect("the SC-26 row");
    let row = &text[at..];
    &row[..row.find("IR-4 ").unwrap_or(row.len())]
}

/// SC-26 said only "none of the 2 records examined is an S3 data event" beside a HeadObject of
/// the decoy itself and a GetObject of another object of its bucket, both in records without a
/// data event's fields (the reads_not_examined finding names them): it now names each as what
/// it is, with its eventID, and DE.CM-03 no longer says "No other activity on it is in them". A
/// GetObject of the decoy in such a record, its read, is said to rest on a record that does not
/// show it logged as a data event.
#[test]
fn sc26_names_object_reads_without_a_data_events_fields_as_what_they_are() {
    let (_, text) = timeline_of_records(&[
        bare_object_read(
            "HeadObject",
            "writeable_bucket.txt",
            "55555555-968d-448d-9328-0b010f4d3696",
        ),
        bare_object_read(
            "GetObject",
            "other.txt",
            "11111111-968d-448d-9328-0b010f4d3696",
        ),
    ]);
    let row = sc26(&text);
    assert!(
        row.contains("Object-level reads of other objects on the decoy's bucket that S3 logs only as data events (GetObject; 1 record, eventID 11111111"),
        "{row}"
    );
    assert!(
        row.contains("are in records without a data event's fields: they may be read data events, the records do not show it, and they are not counted."),
        "{row}"
    );
    assert!(
        row.contains("The records hold a HeadObject (eventID 55555555"),
        "{row}"
    );
    assert!(
        row.contains("of the decoy object itself, in a record without a data event's fields: such a call returns what S3 keeps about the object (its metadata, ACL, tags or attributes), not its value, so it is no read of it, but the decoy drew it;"),
        "{row}"
    );
    assert!(row.contains("partly supported"), "{row}");
    // DE.CM-03 said "No other activity on it is in them."
    assert!(!text.contains("No other activity on it"), "{text}");
    assert!(
        text.contains("activity on it, or possibly on it, was recorded: a HeadObject of the decoy object itself, in a record without a data event's fields, which returns what S3 keeps about the object, not its value (no read of it; eventID 55555555"),
        "{text}"
    );

    // Its read, in a record without a data event's fields.
    let (_, text) = timeline_of_records(&[bare_object_read(
        "GetObject",
        "writeable_bucket.txt",
        "44444444-968d-448d-9328-0b010f4d3696",
    )]);
    let row = sc26(&text);
    assert!(row.contains("was read;"), "{row}");
    assert!(
        row.contains("The record of a read of the decoy (eventID 44444444"),
        "{row}"
    );
    assert!(
        row.contains("carries none of the fields that mark an S3 data event (eventCategory, managementEvent, resources, additionalEventData): it states the call, taken as a read of it, but not that a trail logged it as a data event"),
        "{row}"
    );
}

/// The scan kept the first object-level read without a data event's fields on the decoy's
/// bucket, and only its eventID: a HeadObject of the decoy itself first, then HeadObjects and a
/// GetObject of other objects of the bucket, and SC-26 named the decoy's own HeadObject only,
/// the other objects' reads not at all. It now keeps the first 16 (counting the rest), and
/// names the other objects' reads with their count and eventIDs, and the records not kept.
#[test]
fn every_kept_object_read_on_the_decoys_bucket_is_counted_and_cited() {
    let (doc, text) = timeline_of_records(&[
        bare_object_read(
            "HeadObject",
            "writeable_bucket.txt",
            "55555555-968d-448d-9328-0b010f4d3696",
        ),
        bare_object_read(
            "HeadObject",
            "other.txt",
            "66666666-968d-448d-9328-0b010f4d3696",
        ),
        bare_object_read(
            "GetObject",
            "other2.txt",
            "77777777-968d-448d-9328-0b010f4d3696",
        ),
    ]);
    let row = sc26(&text);
    assert!(
        row.contains("Object-level reads of other objects on the decoy's bucket that S3 logs only as data events (GetObject, HeadObject; 2 records, eventID 66666666"),
        "{row}"
    );
    assert!(row.contains("77777777-968d"), "{row}");
    let f = of_kind(&doc["findings"], "reads_not_examined");
    let summary = f[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains("GetObject and HeadObject records on the bucket microsoft-devtest were read (3 records; one cited: eventID 55555555"),
        "{summary}"
    );

    // Past the 16 kept: the rest counted, said as read and not kept.
    let records: Vec<Value> = (0..20)
        .map(|i| {
            bare_object_read(
                "HeadObject",
                &format!("o{i}.txt"),
                &format!("{i:08}-968d-448d-9328-0b010f4d3696"),
            )
        })
        .collect();
    let (_, text) = timeline_of_records(&records);
    let row = sc26(&text);
    // A cell may wrap inside an eventID (pdftotext drops the hyphen at a break).
    let fold = |s: &str| s.replace([' ', '-'], "");
    assert!(
        fold(row).contains(&fold("(HeadObject; 16 records, eventID 00000000-968d")),
        "{row}"
    );
    assert!(
        row.contains("; 4 more such records were read and not kept (the first 16 are; copies of one record not told apart), of which object unknown)"),
        "{row}"
    );
}
