//! With no honeytoken configured (session 34): trailcase looks for its built-in default, the
//! secret name Production_Database_Credentials. The shared data's report said "found no call
//! that names Production_Database_Credentials" and, under SC-26, "the honeytoken is
//! configured", as if someone had chosen that name. The PDF and the JSON now say it is the
//! default, used because none was configured, and how to configure one; a configured one (a
//! trailcase.toml or --honeytoken) is not called a default.

use crate::support;

use serde_json::json;
use support::*;

/// A case of one record that reads nothing (an IAM user's ec2:DescribeInstances), written into
/// `dir`, with `config` as its trailcase.toml when given; `appendix_words` uses it too.
pub(crate) fn case_with(dir: &std::path::Path, config: Option<&str>) {
    let record = json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/ops",
                         "accountId": "111122223333"},
        "eventTime": "2026-03-10T09:00:00Z",
        "eventSource": "ec2.amazonaws.com",
        "eventName": "DescribeInstances",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.17.0",
        "eventID": "e-1",
        "readOnly": true,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "111122223333"
    });
    std::fs::write(
        dir.join("trail.json"),
        json!({ "Records": [record] }).to_string(),
    )
    .unwrap();
    if let Some(c) = config {
        std::fs::write(dir.join("trailcase.toml"), c).unwrap();
    }
}

const SAID: &str = "The honeytoken looked for is only trailcase's default: no honeytoken was configured (no [[honeytoken]] table in a trailcase.toml and no --honeytoken flag), so trailcase looked for its built-in default, the secret name Production_Database_Credentials: name your decoys in trailcase.toml ([[honeytoken]] with kind and pattern) or with --honeytoken, and run it again.";

#[test]
fn with_no_honeytoken_configured_the_default_is_named_as_one() {
    let case = tempfile::tempdir().unwrap();
    case_with(case.path(), None);
    let (doc, text) = timeline_and_unverifiable_report(case.path(), &[]);
    assert_eq!(doc["schema_version"], 4);
    assert_eq!(doc["honeytokens"]["source"], "default");
    assert_eq!(
        doc["honeytokens"]["rules"],
        json!(["secret:Production_Database_Credentials"])
    );
    assert!(doc["honeytokens"]["note"]
        .as_str()
        .unwrap()
        .starts_with("no honeytoken was configured"));
    assert!(
        text.contains("found no call that read Production_Database_Credentials (trailcase's built-in default name)."),
        "{text}"
    );
    assert!(text.contains(SAID), "{text}");
    // No sentence says the decoy was configured.
    assert!(!text.contains("the honeytoken is configured"), "{text}");
    assert!(
        text.contains("Not shown by this evidence: no honeytoken was configured (trailcase looked for its built-in default, the secret name Production_Database_Credentials), but no read or change of it is in the 1 records examined."),
        "{text}"
    );
}

#[test]
fn a_configured_honeytoken_is_not_called_the_default() {
    // A trailcase.toml that names the same secret: configured, not the default.
    let case = tempfile::tempdir().unwrap();
    case_with(
        case.path(),
        Some("[[honeytoken]]\nkind = \"secret\"\npattern = \"Production_Database_Credentials\"\n"),
    );
    let (doc, text) = timeline_and_unverifiable_report(case.path(), &[]);
    assert_eq!(doc["honeytokens"]["source"], "configuration");
    assert_eq!(doc["honeytokens"]["note"], serde_json::Value::Null);
    assert!(!text.contains("built-in default"), "{text}");
    assert!(text.contains("the honeytoken is configured"), "{text}");

    // A trailcase.toml with no [[honeytoken]] table leaves the default, and says so.
    let bare = tempfile::tempdir().unwrap();
    case_with(bare.path(), Some("[case]\nid = \"IR-7\"\n"));
    let doc = timeline_of(bare.path());
    assert_eq!(doc["honeytokens"]["source"], "default");

    // --honeytoken names one.
    let flagged = tempfile::tempdir().unwrap();
    case_with(flagged.path(), None);
    let (doc, text) =
        timeline_and_unverifiable_report(flagged.path(), &["--honeytoken", "ssm:/prod/db"]);
    assert_eq!(doc["honeytokens"]["source"], "flags");
    assert_eq!(doc["honeytokens"]["rules"], json!(["ssm:/prod/db"]));
    assert!(!text.contains("built-in default"), "{text}");
}
