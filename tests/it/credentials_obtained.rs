//! Calls that obtain a credential are not changes (session 34). `sso:CreateToken` (readOnly
//! false) issues an IAM Identity Center access token; real33 found it listed among an actor's
//! changes ("The actor managed to make a change (CreateToken)"). A credential obtained is a
//! way in, not a change to the account's configuration: the JSON lists it under
//! `impact.credentials_obtained` and the executive summary says what was obtained; a real
//! change beside it is still a change.

use crate::support;

use serde_json::json;
use support::honeytoken_calls::case;
use support::*;

#[test]
fn a_token_obtained_is_told_as_a_credential_not_a_change() {
    let dir = tempfile::tempdir().unwrap();
    case(
        dir.path(),
        &[
            (
                "sso.amazonaws.com",
                "CreateToken",
                json!({"clientId": "c", "grantType": "urn:ietf:params:oauth:grant-type:device_code"}),
            ),
            ("sts.amazonaws.com", "GetSessionToken", json!({})),
            (
                "iam.amazonaws.com",
                "CreateUser",
                json!({"userName": "backdoor"}),
            ),
        ],
    );
    // CloudTrail marks CreateToken and CreateUser not read-only.
    let path = dir.path().join("cloudtrail/trail.json");
    let mut doc = read_json(&path);
    for r in doc["Records"].as_array_mut().unwrap() {
        let name = r["eventName"].as_str().unwrap().to_string();
        r["readOnly"] = json!(name == "GetSecretValue" || name == "GetSessionToken");
    }
    std::fs::write(&path, doc.to_string()).unwrap();

    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let impact = &doc["incidents"][0]["impact"];
    assert_eq!(
        impact["credentials_obtained"],
        json!(["sso:CreateToken", "sts:GetSessionToken"])
    );
    assert_eq!(
        impact["credentials_obtained_event_ids"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(impact["changes"], json!(["iam:CreateUser"]));
    assert!(
        text.contains("It obtained new credentials: an IAM Identity Center access token and a session token. The actor managed to create a new user."),
        "{text}"
    );
    assert!(!text.contains("make a change (CreateToken)"), "{text}");
}
