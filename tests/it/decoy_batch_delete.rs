//! An S3 batch delete (`DeleteObjects`, POST `?delete`) on the decoy's bucket raised nothing:
//! CloudTrail's record names the bucket (`requestParameters.bucketName`, `"delete": ""`, an
//! `ARNPrefix` of the bucket in `resources`) and no key ("CloudTrail does not log key names for
//! the keys that are deleted using the Delete Multiple Objects operation", S3 User Guide), so it
//! never matched the decoy object. It is now a `decoy_bucket_batch_delete` finding that says
//! whether the decoy was among the objects is unknown; a record that does name the decoy's key
//! (an `AWS::S3::Object` ARN in `resources`) is `honeytoken_changed`, one that names only other
//! keys raises neither.

use crate::support;

use serde_json::{json, Value};
use support::*;

const DECOY: &str = "s3:finance-exports/payroll/2026-02.csv";
const ID: &str = "7c1e5a2b-9d3f-4b8a-a6e1-EXAMPLEdelb1";

/// A `DeleteObjects` of `finance-exports` as CloudTrail records one (the shape of Stratus Red
/// Team's `aws.impact.s3-ransomware-deleteobjects` sample event; values made up).
fn batch_delete() -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLEOPS0000001",
                         "arn": "arn:aws:iam::111122223333:user/ops", "accountId": "111122223333",
                         "accessKeyId": "AKIAEXAMPLEOPS00001", "userName": "ops"},
        "eventTime": "2026-03-10T09:00:00Z",
        "eventSource": "s3.amazonaws.com",
        "eventName": "DeleteObjects",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.17.0",
        "requestParameters": {"bucketName": "finance-exports",
                              "Host": "finance-exports.s3.us-east-1.amazonaws.com",
                              "delete": "", "x-id": "DeleteObjects"},
        "responseElements": null,
        "additionalEventData": {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                "bytesTransferredIn": 210, "AuthenticationMethod": "AuthHeader",
                                "x-amz-id-2": "EXAMPLEid2", "bytesTransferredOut": 120},
        "requestID": "EXAMPLEREQ000001",
        "eventID": ID,
        "readOnly": false,
        "resources": [
            {"type": "AWS::S3::Object", "ARNPrefix": "arn:aws:s3:::finance-exports/"},
            {"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::finance-exports"}
        ],
        "eventType": "AwsApiCall",
        "managementEvent": false,
        "recipientAccountId": "111122223333",
        "eventCategory": "Data"
    })
}

fn run(record: Value) -> (Value, String) {
    let case = tempfile::tempdir().unwrap();
    std::fs::write(
        case.path().join("trail.json"),
        json!({ "Records": [record] }).to_string(),
    )
    .unwrap();
    timeline_and_unverifiable_report(case.path(), &["--honeytoken", DECOY])
}

#[test]
fn a_batch_delete_on_the_decoys_bucket_naming_no_key_may_have_deleted_it() {
    let (doc, text) = run(batch_delete());
    let found = of_kind(&doc["findings"], "decoy_bucket_batch_delete");
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    assert_eq!(found[0]["event_ids"], json!([ID]));
    assert_eq!(found[0]["severity"], "high");
    let summary = found[0]["summary"].as_str().unwrap();
    assert!(summary.starts_with("1 batch delete call(s) (s3:DeleteObjects) on arn:aws:s3:::finance-exports, the bucket of honeytoken finance-exports/payroll/2026-02.csv, 1 of them with no error recorded: arn:aws:iam::111122223333:user/ops deleted objects of it in one batch with s3:DeleteObjects at 2026-03-10T09:00:00Z (event 7c1e5a2b-9d3f-4b8a-a6e1-EXAMPLEdelb1)"), "{summary}");
    assert!(
        summary.contains(
            "whether finance-exports/payroll/2026-02.csv was among the objects deleted is unknown"
        ),
        "{summary}"
    );
    // Not said to be a change of the decoy, nor to leave it untouched.
    assert!(of_kind(&doc["findings"], "honeytoken_changed").is_empty());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("A batch delete on a decoy's bucket is in the evidence: whether it deleted the decoy is unknown."),
        "{flat}"
    );
    assert!(!flat.contains("no read or change of it is in"), "{flat}");
}

#[test]
fn a_batch_delete_whose_record_names_the_decoy_changed_it_and_one_naming_others_did_not() {
    let mut named = batch_delete();
    named["resources"][0] = json!({"type": "AWS::S3::Object",
        "ARN": "arn:aws:s3:::finance-exports/payroll/2026-02.csv"});
    let (doc, _) = run(named);
    let found = of_kind(&doc["findings"], "honeytoken_changed");
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    assert!(found[0]["summary"]
        .as_str()
        .unwrap()
        .contains("arn:aws:iam::111122223333:user/ops deleted it with s3:DeleteObjects"));
    assert!(of_kind(&doc["findings"], "decoy_bucket_batch_delete").is_empty());

    let mut other = batch_delete();
    other["resources"][0] = json!({"type": "AWS::S3::Object",
        "ARN": "arn:aws:s3:::finance-exports/payroll/README.txt"});
    let (doc, _) = run(other);
    assert!(of_kind(&doc["findings"], "honeytoken_changed").is_empty());
    assert!(of_kind(&doc["findings"], "decoy_bucket_batch_delete").is_empty());
}

/// The batch delete beside what keeps the decoy's reads from being seen: its bucket's data
/// events only writes (`reads_not_examined`), or the trail's event selectors logging no read
/// data event (`reads_not_logged`). NIST SC-26 and IR-4 told only the reads not examined (SC-26
/// cited the delete as "a write data event") and dropped the delete; they now say both, the
/// delete by eventID.
#[test]
fn nist_sc26_and_ir4_tell_the_batch_delete_beside_reads_not_examined_or_not_logged() {
    // A short eventID: the PDF's table wraps a long one with hyphens.
    let mut delete = batch_delete();
    delete["eventID"] = json!("del-1");
    let (doc, text) = run(delete.clone());
    assert_eq!(of_kind(&doc["findings"], "reads_not_examined").len(), 1);
    assert!(
        text.contains("SC-26 Decoys Detect (DE) Not examined: the honeytoken is configured, but the S3 data events of the decoy's bucket among the 1 records examined are write data events only"),
        "{text}"
    );
    let batch = "Batch deletes on the decoy's bucket are in the records too (s3:DeleteObjects, whose records name no key: the \"A batch delete on the decoy's bucket\" finding; eventID del-1 cited): whether they deleted the decoy, and so whether it drew them, is unknown.";
    assert!(text.contains(batch), "{text}");
    assert!(
        text.contains("IR-4 Incident Handling Respond (RS) No incident (no read of a honeytoken is in the evidence), but batch deletes on a decoy's bucket may have deleted it (s3:DeleteObjects, eventID del-1: the \"A batch delete on the decoy's bucket\" finding): they are not handled by any incident here. Whether a read of it made an incident is not known either: reads of the S3 decoy were not examined (no S3 read data event on its bucket, writes only)."),
        "{text}"
    );

    // The trail's selectors log the bucket's writes, not its reads.
    let case = tempfile::tempdir().unwrap();
    std::fs::write(
        case.path().join("trail.json"),
        json!({ "Records": [delete] }).to_string(),
    )
    .unwrap();
    let writes = json!({"TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/writes-only",
        "AdvancedEventSelectors": [{"Name": "S3 writes", "FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["Data"]},
            {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
            {"Field": "readOnly", "Equals": ["false"]}]}]});
    std::fs::write(
        case.path().join("get-event-selectors.json"),
        writes.to_string(),
    )
    .unwrap();
    let (doc, text) = timeline_and_unverifiable_report(case.path(), &["--honeytoken", DECOY]);
    assert_eq!(of_kind(&doc["findings"], "reads_not_logged").len(), 1);
    assert!(
        text.contains("SC-26 Decoys Detect (DE) Not examined: the honeytoken is configured, but the trail's event selectors ("),
        "{text}"
    );
    assert!(text.contains(batch), "{text}");
    assert!(
        text.contains("but batch deletes on a decoy's bucket may have deleted it (s3:DeleteObjects, eventID del-1: the \"A batch delete on the decoy's bucket\" finding): they are not handled by any incident here. Whether a read of it made an incident is not known either: the trail's event selectors log none of the calls that read the honeytoken."),
        "{text}"
    );
}

/// A batch delete on the decoy's bucket naming no key: NIST DE.CM-03 said "no activity on the
/// decoy is in the 1 records examined" beside the `decoy_bucket_batch_delete` finding. DE.CM-03
/// and DE.AE-02 now name the delete by eventID.
#[test]
fn nist_de_cm03_and_de_ae02_tell_the_batch_delete() {
    let mut delete = batch_delete();
    delete["eventID"] = json!("del-1");
    let (doc, text) = run(delete);
    assert_eq!(
        of_kind(&doc["findings"], "decoy_bucket_batch_delete").len(),
        1
    );
    assert!(!text.contains("no activity on the decoy"), "{text}");
    let told = "batch deletes on its bucket that may have deleted it (s3:DeleteObjects, naming no key: the \"A batch delete on the decoy's bucket\" finding; eventID del-1)";
    assert!(
        text.contains(&format!("No read of the decoy is in the 1 records examined, but activity on it, or possibly on it, was recorded: {told}.")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "told as findings and not analysed as an incident: {told}."
        )),
        "{text}"
    );
}
