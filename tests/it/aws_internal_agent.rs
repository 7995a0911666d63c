//! A user agent `aws-internal/3 aws-sdk-java/...` (session 34): the root cause said the calls
//! came "with an AWS SDK (a program)", as if the caller ran its own program. The prefix marks
//! software inside AWS; AWS's documentation of the CloudTrail userAgent field does not explain
//! it (searched: the record-contents page lists the console, a service, the SDKs and the CLI),
//! so the report says it is software inside AWS and that which service or console sent the
//! call is not known.

use crate::support;

use serde_json::json;
use support::honeytoken_calls::case;
use support::*;

#[test]
fn an_aws_internal_agent_is_not_called_the_callers_sdk() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        &[("s3.amazonaws.com", "ListBuckets", json!({}))],
    );
    let path = dir.path().join("cloudtrail/trail.json");
    let mut doc = read_json(&path);
    for r in doc["Records"].as_array_mut().unwrap() {
        r["userAgent"] = json!("aws-internal/3 aws-sdk-java/1.12.451 Linux/5.10.215 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard");
    }
    std::fs::write(&path, doc.to_string()).unwrap();
    let (_, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    assert!(
        text.contains("with software inside AWS (user agent aws-internal, which AWS does not document: whether an AWS service or the console sent the call is not known)"),
        "{text}"
    );
    assert!(!text.contains("an AWS SDK (a program)"), "{text}");
}
