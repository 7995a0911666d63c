//! A `GetObject` of the S3 decoy through an access point (S3, Object Lambda) whose record names
//! only the access point (its ARN in `resources` and `bucketName`, no bucket) matched nothing: with
//! another read data event of the decoy's bucket in the evidence, the report said "No honeytoken
//! was read". Such a read is now an `unnamed_read` finding naming the access point (whether it
//! read the decoy is unknown); a honeytoken's `access_points` in trailcase.toml map the access
//! point to the decoy's bucket, and the read is then the incident's. A record that names the
//! bucket too (AWS's example: the object, the bucket and the access point in `resources`) is
//! matched on the bucket, as before.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

const DECOY: &str = "finance-exports/payroll/2026-02.csv";
const AP: &str = "arn:aws:s3:us-east-1:111122223333:accesspoint/finance-ap";

/// A `GetObject` by `user/analyst` of `key`, as CloudTrail records a read data event (the
/// fields of the directory-bucket record in tests/data/s3-decoy, values made up), with the
/// bucket named by `bucket_name` and the given `resources`.
fn get(id: &str, source: &str, bucket_name: &str, key: &str, resources: Value) -> Value {
    let mut r = read_json(&repo().join("tests/data/s3-decoy/directory-bucket-getobject.json"));
    r["eventSource"] = json!(source);
    r["eventName"] = json!("GetObject");
    r["eventID"] = json!(id);
    r["readOnly"] = json!(true);
    r["requestParameters"] = json!({"bucketName": bucket_name, "key": key,
        "Host": "finance-ap-111122223333.s3-accesspoint.us-east-1.amazonaws.com"});
    r["resources"] = resources;
    r
}

/// The decoy read through the access point, and a direct read of another object of the bucket
/// (the trail logs the bucket's read data events).
fn records() -> Vec<Value> {
    vec![
        get(
            "ap-read-1",
            "s3.amazonaws.com",
            AP,
            "payroll/2026-02.csv",
            json!([{"type": "AWS::S3::AccessPoint", "ARN": format!("{AP}/object/payroll/2026-02.csv")}]),
        ),
        get(
            "direct-read-1",
            "s3.amazonaws.com",
            "finance-exports",
            "payroll/README.txt",
            json!([{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::finance-exports/payroll/README.txt"},
                   {"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::finance-exports"}]),
        ),
    ]
}

fn write_case(case: &Path, records: &[Value], toml: Option<&str>) {
    std::fs::write(
        case.join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    if let Some(t) = toml {
        std::fs::write(case.join("trailcase.toml"), t).unwrap();
    }
}

/// `doc` holds one incident, the read through the access point (`ap-read-1`), and no
/// `unnamed_read` finding.
fn the_decoy_read_through_the_access_point(doc: &Value) {
    assert_eq!(
        doc["incidents"].as_array().unwrap().len(),
        1,
        "{:#}",
        doc["findings"]
    );
    assert_eq!(
        doc["incidents"][0]["access_event_ids"],
        json!(["ap-read-1"])
    );
    assert!(of_kind(&doc["findings"], "unnamed_read").is_empty());
}

fn config(access_points: &str) -> String {
    format!("[[honeytoken]]\nkind = \"s3\"\npattern = \"{DECOY}\"\n{access_points}")
}

#[test]
fn a_read_through_an_access_point_naming_no_bucket_is_not_a_no_read() {
    let case = tempfile::tempdir().unwrap();
    write_case(case.path(), &records(), Some(&config("")));
    let (doc, text) = timeline_and_unverifiable_report(case.path(), &[]);
    assert_eq!(doc["incidents"], json!([]));
    let f = of_kind(&doc["findings"], "unnamed_read");
    assert_eq!(f.len(), 1, "{:#}", doc["findings"]);
    assert_eq!(f[0]["event_ids"], json!(["ap-read-1"]));
    let summary = f[0]["summary"].as_str().unwrap();
    assert!(
        summary.starts_with(&format!(
            "1 s3:GetObject record(s) read through the access point {AP}, 1 of them successful"
        )),
        "{summary}"
    );
    assert!(
        summary.contains("whether they read s3:finance-exports/payroll/2026-02.csv is unknown"),
        "{summary}"
    );
    assert!(!text.contains("No honeytoken was read"), "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("No call in the evidence examined is known to have read a honeytoken, but some reads do not name what they read."),
        "{flat}"
    );

    // Through an Object Lambda access point, named by its ARN only.
    let olap = "arn:aws:s3-object-lambda:us-east-1:111122223333:accesspoint/finance-olap";
    let case = tempfile::tempdir().unwrap();
    let mut rs = records();
    rs[0] = get(
        "olap-read-1",
        "s3-object-lambda.amazonaws.com",
        olap,
        "payroll/2026-02.csv",
        json!([{"type": "AWS::S3ObjectLambda::AccessPoint", "ARN": olap}]),
    );
    write_case(case.path(), &rs, Some(&config("")));
    let (doc, text) = timeline_and_unverifiable_report(case.path(), &[]);
    let f = of_kind(&doc["findings"], "unnamed_read");
    assert_eq!(f.len(), 1, "{:#}", doc["findings"]);
    assert!(f[0]["summary"].as_str().unwrap().contains(olap));
    assert!(!text.contains("No honeytoken was read"), "{text}");
}

#[test]
fn an_access_point_mapped_in_the_configuration_reads_the_decoy() {
    let case = tempfile::tempdir().unwrap();
    write_case(
        case.path(),
        &records(),
        Some(&config("access_points = [\"finance-ap\"]\n")),
    );
    let doc = timeline_of(case.path());
    the_decoy_read_through_the_access_point(&doc);
}

#[test]
fn a_record_naming_the_bucket_beside_the_access_point_is_matched_on_the_bucket() {
    let case = tempfile::tempdir().unwrap();
    let mut rs = records();
    // AWS's example: the object, the bucket and the access point (S3 User Guide, "Monitoring
    // and logging access points").
    rs[0]["resources"] = json!([
        {"type": "AWS::S3::Object", "ARN": format!("arn:aws:s3:::{DECOY}")},
        {"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::finance-exports"},
        {"accountId": "111122223333", "type": "AWS::S3::AccessPoint", "ARN": AP}
    ]);
    write_case(case.path(), &rs, Some(&config("")));
    let doc = timeline_of(case.path());
    assert_eq!(
        doc["incidents"].as_array().unwrap().len(),
        1,
        "{:#}",
        doc["findings"]
    );
    assert!(of_kind(&doc["findings"], "unnamed_read").is_empty());
}

/// The NIST rows beside such a read: SC-26 said "no read or change of it is in the 2 records
/// examined" and IR-4 "No incident to handle.", an all-clear the `unnamed_read` finding beside
/// them denies. Both now say whether the decoy was read is unknown, citing the read's eventID.
#[test]
fn nist_sc26_and_ir4_do_not_clear_the_decoy_beside_a_read_through_an_access_point() {
    let case = tempfile::tempdir().unwrap();
    write_case(case.path(), &records(), Some(&config("")));
    let (_, text) = timeline_and_unverifiable_report(case.path(), &[]);
    assert!(!text.contains("no read or change of it is in"), "{text}");
    assert!(!text.contains("No incident to handle."), "{text}");
    assert!(
        text.contains("SC-26 Decoys Detect (DE) Unknown: the honeytoken is configured and no record among the 2 examined names a read or change of it, but reads that do not name what they read are among them"),
        "{text}"
    );
    assert!(
        text.contains("the \"Reads that name no resource\" finding says which; eventID ap-read-1 cited): whether one of them read the decoy is unknown. ap-read-1 not evidenced"),
        "{text}"
    );
    assert!(
        text.contains("IR-4 Incident Handling Respond (RS) No incident in the evidence examined, but reads that do not name what they read are in it (the \"Reads that name no resource\" finding; eventID ap-read-1): whether there was an incident to handle is not known."),
        "{text}"
    );
}

/// An access point's alias (S3: `…-s3alias`; Object Lambda: `…--ol-s3`) or ARN in `bucketName`
/// was taken for a bucket: with no other data event, `reads_not_examined` said "S3 data events
/// were read for another bucket, <the alias> ...: data events were logged for other buckets",
/// and SC-26 "S3 data events of other buckets were read". An access point is no bucket, and it
/// may serve the decoy's: the finding and SC-26 now say so. Mapped to the decoy's bucket in
/// trailcase.toml, the read is the decoy's and its reads were examined.
#[test]
fn an_access_point_alias_or_arn_in_bucket_name_is_no_other_bucket() {
    let alias = "finance-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias";
    let olap_alias = "finance-olap-a1b2c3d4e5f6g7h8i9j0k1l2m3n4--ol-s3";
    let by_alias = |id: &str, source: &str, alias: &str| {
        let mut r = get(id, source, alias, "payroll/2026-02.csv", Value::Null);
        r["requestParameters"]["Host"] = json!(format!("{alias}.s3.us-east-1.amazonaws.com"));
        r.as_object_mut().unwrap().remove("resources");
        r
    };
    for (read, named) in [
        (by_alias("alias-read-1", "s3.amazonaws.com", alias), alias),
        (
            by_alias("olap-read-1", "s3-object-lambda.amazonaws.com", olap_alias),
            olap_alias,
        ),
        (records()[0].clone(), AP),
    ] {
        let case = tempfile::tempdir().unwrap();
        write_case(case.path(), std::slice::from_ref(&read), Some(&config("")));
        let (doc, text) = timeline_and_unverifiable_report(case.path(), &[]);
        let f = of_kind(&doc["findings"], "reads_not_examined");
        assert_eq!(f.len(), 1, "{:#}", doc["findings"]);
        let summary = f[0]["summary"].as_str().unwrap();
        assert!(!summary.contains("another bucket"), "{summary}");
        assert!(
            summary.contains(&format!("S3 data events were read through the access point {named} (one eventID of each cited), which is no bucket: neither the records nor trailcase.toml (a honeytoken's access_points) say which bucket it serves, so whether they are data events of the decoy's bucket is unknown")),
            "{summary}"
        );
        assert!(
            summary.contains(
                "No GetObject of the object that names its bucket can be in the evidence"
            ),
            "{summary}"
        );
        assert_eq!(f[0]["event_ids"], json!([read["eventID"]]));
        assert!(
            !text.contains("S3 data events of other buckets were read"),
            "{text}"
        );
        assert!(
            text.contains("none of the 1 records examined is an S3 data event on a bucket the evidence names as the decoy's; S3 data events through access points were read ("),
            "{text}"
        );
    }

    // The alias mapped to the decoy's bucket: the read is the decoy's.
    let case = tempfile::tempdir().unwrap();
    write_case(
        case.path(),
        &[by_alias("alias-read-1", "s3.amazonaws.com", alias)],
        Some(&config(&format!("access_points = [\"{alias}\"]\n"))),
    );
    let doc = timeline_of(case.path());
    assert_eq!(
        doc["incidents"][0]["access_event_ids"],
        json!(["alias-read-1"]),
        "{:#}",
        doc["findings"]
    );
    assert!(of_kind(&doc["findings"], "reads_not_examined").is_empty());
}

/// `collect` lists the decoy's bucket's access points (s3control/access-points-BUCKET.json, as
/// `aws s3control list-access-points --bucket BUCKET` prints it). An access point there that
/// trailcase.toml's `access_points` do not name was ignored: the read through it was an
/// `unnamed_read` of an unknown bucket although the evidence says which bucket it serves. It is
/// now counted as the decoy bucket's (the read is the incident's, in `timeline` and `--all`),
/// and an `access_points_not_configured` finding names it, cites the listing and advises adding
/// it to the configuration; the report states it too.
#[test]
fn an_access_point_the_collected_listing_names_reads_the_decoy_and_is_named() {
    let case = tempfile::tempdir().unwrap();
    write_case(case.path(), &records(), Some(&config("")));
    let listing = case.path().join("s3control");
    std::fs::create_dir(&listing).unwrap();
    std::fs::write(
        listing.join("access-points-finance-exports.json"),
        json!({"AccessPointList": [
            {"Name": "finance-ap", "NetworkOrigin": "Internet", "Bucket": "finance-exports",
             "AccessPointArn": AP, "Alias": "finance-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias",
             "BucketAccountId": "111122223333"},
            {"Name": "reports-ap", "NetworkOrigin": "Internet", "Bucket": "reports",
             "AccessPointArn": "arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap"}
        ]})
        .to_string(),
    )
    .unwrap();
    let (doc, text) = timeline_and_unverifiable_report(case.path(), &[]);
    the_decoy_read_through_the_access_point(&doc);
    let f = of_kind(&doc["findings"], "access_points_not_configured");
    assert_eq!(f.len(), 1, "{:#}", doc["findings"]);
    let summary = f[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains("access-points-finance-exports.json"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("the bucket finance-exports of honeytoken s3:{DECOY} has 1 access point(s) its access_points do not name: finance-ap ({AP}, alias finance-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias); add them to its access_points in trailcase.toml (access_points = [\"finance-ap\"])")),
        "{summary}"
    );
    // Another bucket's access point is not the decoy's.
    assert!(!summary.contains("reports-ap"), "{summary}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("add them to its access_points in trailcase.toml"),
        "{flat}"
    );

    // --all states the same finding and marks the read the incident's.
    let all = trailcase([
        "timeline",
        "--quiet",
        "--all",
        "--format",
        "json",
        case.path().to_str().unwrap(),
    ]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    let all = all.json();
    assert_eq!(
        of_kind(&all["summary"]["findings"], "access_points_not_configured").len(),
        1,
        "{:#}",
        all["summary"]["findings"]
    );
    let read = all["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_id"] == "ap-read-1")
        .unwrap();
    assert_eq!(read["incidents"], json!(["INC-001"]), "{read}");

    // Configured: nothing to advise.
    write_case(
        case.path(),
        &records(),
        Some(&config("access_points = [\"finance-ap\"]\n")),
    );
    let doc = timeline_of(case.path());
    assert!(of_kind(&doc["findings"], "access_points_not_configured").is_empty());
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1);
}
