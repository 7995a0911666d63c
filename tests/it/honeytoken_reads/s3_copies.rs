//! S3 decoys: a copy reads its source, not its destination, and says where it was copied; SSM
//! parameter names and S3 keys are matched minding case.

use super::*;

/// An S3 `CopyObject` data event by svc-reporting with `request` as its requestParameters.
fn copy_object(request: Value, id: &str) -> Value {
    json!({"eventVersion": "1.09", "eventTime": "2026-11-20T14:25:17Z",
        "eventSource": "s3.amazonaws.com", "eventName": "CopyObject",
        "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.45",
        "userAgent": "aws-cli/2.15.30", "eventID": id, "readOnly": false,
        "eventType": "AwsApiCall", "managementEvent": false, "eventCategory": "Data",
        "recipientAccountId": "123456789012",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT7Q",
            "arn": "arn:aws:iam::123456789012:user/svc-reporting",
            "accountId": "123456789012", "accessKeyId": "AKIA4EXAMPLESVCREPT7Q"},
        "requestParameters": request})
}

/// S3's `CopyObject` reads its copy source (`x-amz-copy-source`) and writes `bucketName`/`key`.
/// A copy out of the decoy object into another bucket was no read at all (no incident), and a
/// copy onto the decoy was "the value returned to the actor".
#[test]
fn an_s3_copy_reads_its_source_not_its_destination() {
    let copy = |bucket: &str, key: &str, source: &str, id: &str| {
        let mut record = copy_object(
            json!({"bucketName": bucket, "key": key, "x-amz-copy-source": source}),
            id,
        );
        record["resources"] = json!([{"type": "AWS::S3::Object",
            "ARN": format!("arn:aws:s3:::{bucket}/{key}")}]);
        record
    };
    let rule = "s3:corp-finance/payroll/2026-salaries.csv";
    let out = copy(
        "attacker-drop",
        "loot.csv",
        "/corp-finance/payroll%2F2026-salaries.csv?versionId=3HL4kqtJlcpXroDTDmJ",
        "c0c0c0c0-0000-4000-8000-000000000001",
    );
    let doc = case(&[out], rule);
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 1, "a copy out of the decoy reads it: {doc}");
    assert_eq!(
        inc[0]["access_event_ids"],
        json!(["c0c0c0c0-0000-4000-8000-000000000001"])
    );

    let onto = copy(
        "corp-finance",
        "payroll/2026-salaries.csv",
        "other-bucket/benign.csv",
        "c0c0c0c0-0000-4000-8000-000000000002",
    );
    let doc = case(&[onto], rule);
    assert!(
        incidents(&doc).is_empty(),
        "a copy onto the decoy reads nothing of it: {doc}"
    );
    let row = &doc["timeline"][0];
    assert_eq!(row["kind"], "other", "shown, not taken for a read: {row}");
}

/// SSM parameter names and S3 object keys are case-sensitive in AWS: a read of
/// `/prod/DB/Password` is not a read of the honeytoken `/prod/db/password` (it was a critical
/// incident), nor a read of `payroll/2026-Salaries.csv` one of `payroll/2026-salaries.csv`. The
/// exact names still are.
#[test]
fn ssm_parameter_names_and_s3_keys_are_matched_minding_case() {
    let base = |source: &str, name: &str, request: Value, id: &str| {
        json!({"eventVersion": "1.09", "eventTime": "2026-11-20T14:25:17Z",
            "eventSource": source, "eventName": name,
            "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.45",
            "userAgent": "aws-cli/2.15.30", "eventID": id, "readOnly": true,
            "eventType": "AwsApiCall", "recipientAccountId": "123456789012",
            "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT7Q",
                "arn": "arn:aws:iam::123456789012:user/svc-reporting",
                "accountId": "123456789012", "accessKeyId": "AKIA4EXAMPLESVCREPT7Q"},
            "requestParameters": request})
    };
    let ssm = |name: &str, id: &str| {
        base(
            "ssm.amazonaws.com",
            "GetParameter",
            json!({"name": name, "withDecryption": true}),
            id,
        )
    };
    let s3 = |key: &str, id: &str| {
        base(
            "s3.amazonaws.com",
            "GetObject",
            json!({"bucketName": "corp-finance", "key": key}),
            id,
        )
    };
    for (rule, other, exact) in [
        (
            "ssm:/prod/db/password",
            ssm("/prod/DB/Password", "5e5e5e5e-0000-4000-8000-000000000001"),
            ssm("/prod/db/password", "5e5e5e5e-0000-4000-8000-000000000002"),
        ),
        (
            "ssm:/prod/db/*",
            ssm("/prod/DB/Password", "5e5e5e5e-0000-4000-8000-000000000001"),
            ssm("/prod/db/password", "5e5e5e5e-0000-4000-8000-000000000002"),
        ),
        (
            "s3:corp-finance/payroll/2026-salaries.csv",
            s3(
                "payroll/2026-Salaries.csv",
                "5e5e5e5e-0000-4000-8000-000000000001",
            ),
            s3(
                "payroll/2026-salaries.csv",
                "5e5e5e5e-0000-4000-8000-000000000002",
            ),
        ),
    ] {
        let doc = case(std::slice::from_ref(&other), rule);
        assert!(incidents(&doc).is_empty(), "{rule}: another name: {doc}");
        let doc = case(&[other, exact], rule);
        let inc = incidents(&doc);
        assert_eq!(inc.len(), 1, "{rule}: {doc}");
        assert_eq!(
            inc[0]["access_event_ids"],
            json!(["5e5e5e5e-0000-4000-8000-000000000002"]),
            "{rule}"
        );
    }
}

/// A copy out of the S3 honeytoken is not the value "returned to the actor": S3 wrote it into the
/// bucket and key the request named. Every text of the incident says where, or "unknown" when
/// the record names no destination, and the JSON lists each copy.
#[test]
fn a_copy_out_of_the_decoy_says_where_it_was_copied_not_returned() {
    let copy = copy_object;
    let rule = "s3:corp-finance/payroll/2026-salaries.csv";
    let source = "corp-finance/payroll/2026-salaries.csv";
    let id = "c0c0c0c0-0000-4000-8000-000000000001";
    for (request, destination, words) in [
        (
            json!({"bucketName": "attacker-drop", "key": "loot.csv", "x-amz-copy-source": source}),
            json!("s3://attacker-drop/loot.csv"),
            "copied into s3://attacker-drop/loot.csv, a bucket and key of the actor's choosing",
        ),
        (
            json!({"x-amz-copy-source": source}),
            Value::Null,
            "copied into a destination the record does not name (unknown)",
        ),
    ] {
        let doc = case(&[copy(request, id)], rule);
        let inc = &incidents(&doc)[0];
        assert_eq!(
            inc["impact"]["copies"],
            json!([{"event_id": id, "destination": destination}])
        );
        assert_eq!(inc["impact"]["reads_succeeded"], 1);
        let basis = inc["severity_basis"].as_str().unwrap();
        assert!(basis.contains(words), "{basis}");
        let text = inc.to_string();
        assert!(!text.contains("returned to the actor"), "{text}");
        assert!(!text.contains("returned the honeytoken's value"), "{text}");
    }

    // The report says the same, in the executive summary too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trail.json"),
        json!({"Records": [copy(
            json!({"bucketName": "attacker-drop", "key": "loot.csv", "x-amz-copy-source": source}),
            id,
        )]})
        .to_string(),
    )
    .unwrap();
    // Beside the evidence, not in it (trailcase refuses to write into its evidence).
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &["--honeytoken", rule, dir.path().to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    for words in [
        "was used to copy the decoy storage object corp-finance/payroll/2026-salaries.csv into s3://attacker-drop/loot.csv",
        // The NIST row SC-26 names the decoy for what it is, not "a decoy secret".
        "A decoy storage object no workload reads was read",
        "Did the value leave AWS? Unknown: the records show the value copied into s3://attacker-drop/loot.csv",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    assert!(!text.contains("returned to the actor at"), "{text}");
    assert!(!text.contains("The actor obtained the"), "{text}");
    assert!(!text.contains("in the actor's hands"), "{text}");
}
