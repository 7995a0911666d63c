//! An S3 decoy both read (GetObject: the value returned to the actor) and copied (CopyObject:
//! S3 wrote it where the request named, `impact.copies`). The report's first line and its story
//! said only "read"; they say "read ... and copy it into" the copy's destination, as the
//! severity basis and the impact already did.

use crate::support::*;
use serde_json::{json, Value};

const RULE: &str = "s3:corp-finance/payroll/2026-salaries.csv";
const DESTINATION: &str = "s3://attacker-drop/loot.csv, a bucket and key of the actor's choosing";

/// An S3 data event on the decoy by `user` at `time`.
fn s3_call(user: &str, name: &str, time: &str, id: &str, request: Value) -> Value {
    json!({"eventVersion": "1.09", "eventTime": time,
        "eventSource": "s3.amazonaws.com", "eventName": name,
        "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.45",
        "userAgent": "aws-cli/2.15.30", "eventID": id, "readOnly": name == "GetObject",
        "eventType": "AwsApiCall", "managementEvent": false, "eventCategory": "Data",
        "recipientAccountId": "123456789012",
        "userIdentity": {"type": "IAMUser", "principalId": format!("AIDA{user}"),
            "arn": format!("arn:aws:iam::123456789012:user/{user}"),
            "accountId": "123456789012", "accessKeyId": format!("AKIA{user}")},
        "requestParameters": request})
}

fn get(user: &str, time: &str, id: &str) -> Value {
    s3_call(
        user,
        "GetObject",
        time,
        id,
        json!({"bucketName": "corp-finance", "key": "payroll/2026-salaries.csv"}),
    )
}

fn copy(user: &str, time: &str, id: &str) -> Value {
    s3_call(
        user,
        "CopyObject",
        time,
        id,
        json!({"bucketName": "attacker-drop", "key": "loot.csv",
               "x-amz-copy-source": "corp-finance/payroll/2026-salaries.csv"}),
    )
}

fn report_text(records: &[Value]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    std::fs::write(
        evidence.join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &["--honeytoken", RULE, evidence.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    pdf_text(&pdf)
}

#[test]
fn a_decoy_read_and_copied_is_said_read_and_copied() {
    let text = report_text(&[
        get(
            "SVCREPORTING",
            "2026-11-20T14:20:00Z",
            "a0000000-0000-4000-8000-000000000001",
        ),
        copy(
            "SVCREPORTING",
            "2026-11-20T14:25:17Z",
            "c0c0c0c0-0000-4000-8000-000000000001",
        ),
    ]);
    for words in [
        // The summary's first line, and the story: from the first access, both.
        &format!("was used to read the decoy storage object corp-finance/payroll/2026-salaries.csv and copy it into {DESTINATION}, from 2026-11-20T14:20:00Z: a honeytoken"),
        &format!("The read. From 2026-11-20T14:20:00Z it read the decoy storage object corp-finance/payroll/2026-salaries.csv and copied it into {DESTINATION}."),
    ] {
        assert!(text.contains(words.as_str()), "{words}: {text}");
    }
    assert!(
        !text.contains(
            "was used to read the decoy storage object corp-finance/payroll/2026-salaries.csv at "
        ),
        "{text}"
    );

    // With another incident, each incident's line of the summary says it too.
    let text = report_text(&[
        get(
            "SVCREPORTING",
            "2026-11-20T14:20:00Z",
            "a0000000-0000-4000-8000-000000000001",
        ),
        copy(
            "SVCREPORTING",
            "2026-11-20T14:25:17Z",
            "c0c0c0c0-0000-4000-8000-000000000001",
        ),
        get(
            "OTHERUSER",
            "2026-11-20T15:00:00Z",
            "b0000000-0000-4000-8000-000000000002",
        ),
    ]);
    assert!(
        text.contains(&format!("Read the decoy storage object corp-finance/payroll/2026-salaries.csv and copied it into {DESTINATION}, from 2026-11-20T14:20:00Z with the credential of an IAM user")),
        "{text}"
    );
    assert!(
        text.contains("Read the decoy storage object corp-finance/payroll/2026-salaries.csv at 2026-11-20T15:00:00Z with the credential of an IAM user"),
        "{text}"
    );
}
