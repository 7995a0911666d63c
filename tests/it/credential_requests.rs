//! A step toward a credential is neither a change nor a credential (session 35). IAM Identity
//! Center's `StartDeviceAuthorization` (readOnly false) starts the OAuth device flow: it returns a
//! code for a user to approve, and no token; a token comes from a later `CreateToken`. It was
//! counted as a change ("make a change (StartDeviceAuthorization)"), and the OIDC calls were
//! looked for under `sso-oidc.amazonaws.com`, an event source no AWS page or record shows: AWS
//! documents `sso-oauth.amazonaws.com` (EventBridge's events reference), under which a
//! `CreateToken` was not counted as a credential at all.

use crate::support;

use serde_json::json;
use support::honeytoken_calls::case;
use support::*;

/// The honeytoken read and the calls after it; every call but the read and `GetSessionToken`
/// marked not read-only, as CloudTrail marks them.
fn calls_case(dir: &std::path::Path, calls: &[(&str, &str, serde_json::Value)]) {
    case(dir, calls);
    let path = dir.join("cloudtrail/trail.json");
    let mut doc = read_json(&path);
    for r in doc["Records"].as_array_mut().unwrap() {
        r["readOnly"] = json!(r["eventName"] == "GetSecretValue");
    }
    std::fs::write(&path, doc.to_string()).unwrap();
}

#[test]
fn a_device_authorization_is_a_step_toward_a_token_and_the_token_a_credential() {
    let dir = tempfile::tempdir().unwrap();
    calls_case(
        dir.path(),
        &[
            (
                "sso-oauth.amazonaws.com",
                "StartDeviceAuthorization",
                json!({"clientId": "c", "startUrl": "https://d-1234567890.awsapps.com/start"}),
            ),
            (
                "sso-oauth.amazonaws.com",
                "CreateToken",
                json!({"clientId": "c", "grantType": "urn:ietf:params:oauth:grant-type:device_code"}),
            ),
        ],
    );
    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    assert_eq!(doc["schema_version"], 4);
    let impact = &doc["incidents"][0]["impact"];
    assert_eq!(
        impact["credentials_obtained"],
        json!(["sso-oauth:CreateToken"])
    );
    assert_eq!(
        impact["credential_requests"],
        json!(["sso-oauth:StartDeviceAuthorization"])
    );
    assert_eq!(
        impact["credential_request_event_ids"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(impact["changes"], json!([]));
    assert!(
        text.contains("It obtained new credentials: an IAM Identity Center access token. It started an IAM Identity Center device sign-in, which issues no credential itself (a token comes only once a user approves the sign-in and the client asks for it)."),
        "{text}"
    );
    assert!(!text.contains("StartDeviceAuthorization)"), "{text}");
    assert!(!text.contains("make a change"), "{text}");
}

#[test]
fn a_device_authorization_alone_says_no_token_is_in_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    calls_case(
        dir.path(),
        &[(
            "sso-oauth.amazonaws.com",
            "StartDeviceAuthorization",
            json!({"clientId": "c", "startUrl": "https://d-1234567890.awsapps.com/start"}),
        )],
    );
    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let impact = &doc["incidents"][0]["impact"];
    assert_eq!(impact["credentials_obtained"], json!([]));
    assert_eq!(impact["changes"], json!([]));
    assert_eq!(
        impact["credential_requests"],
        json!(["sso-oauth:StartDeviceAuthorization"])
    );
    assert!(
        text.contains("It started an IAM Identity Center device sign-in, which issues no credential itself (a token comes only once a user approves the sign-in and the client asks for it); no token issued to it is in the evidence."),
        "{text}"
    );
}

/// Other services' credentials (session 36), as AWS documents what each call issues: Cognito's
/// `GetCredentialsForIdentity` (AWS credentials), ECR's `GetAuthorizationToken` (a registry
/// password valid 12 hours), the console's `GetSigninToken`, Redshift's
/// `GetClusterCredentials`, CodeArtifact's `GetAuthorizationToken` are credentials obtained, not
/// look-ups (ECR's record is read-only) nor changes; Cognito's `GetOpenIdToken` is a token to
/// exchange for one. The expiry a record gives is told; the token it may hold never is.
#[test]
fn other_services_credentials_are_obtained_and_an_openid_token_is_a_step() {
    let dir = tempfile::tempdir().unwrap();
    calls_case(
        dir.path(),
        &[
            (
                "cognito-identity.amazonaws.com",
                "GetOpenIdToken",
                json!({"identityId": "us-east-1:0f1e2d3c-0000-4000-8000-000000000001"}),
            ),
            ("ecr.amazonaws.com", "GetAuthorizationToken", json!({})),
            ("signin.amazonaws.com", "GetSigninToken", json!(null)),
            (
                "redshift.amazonaws.com",
                "GetClusterCredentials",
                json!({"clusterIdentifier": "analytics", "dbUser": "alice"}),
            ),
            (
                "codeartifact.amazonaws.com",
                "GetAuthorizationToken",
                json!({"domain": "acme", "domainOwner": "123456789012"}),
            ),
        ],
    );
    // ECR's record read-only, as CloudTrail marks it, with the registry password and its
    // expiry in responseElements.
    let path = dir.path().join("cloudtrail/trail.json");
    let mut doc = read_json(&path);
    for r in doc["Records"].as_array_mut().unwrap() {
        if r["eventSource"] == "ecr.amazonaws.com" {
            r["readOnly"] = json!(true);
            r["responseElements"] = json!({"authorizationData": [{"authorizationToken": "QVdTOlBMQU5URUQtUkVHSVNUUlktUEFTU1dPUkQ=", "expiresAt": 1720000000.0, "proxyEndpoint": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"}]});
        }
    }
    std::fs::write(&path, doc.to_string()).unwrap();
    let (doc, text) = timeline_and_unverifiable_report(dir.path(), &[]);
    let impact = &doc["incidents"][0]["impact"];
    assert_eq!(
        impact["credentials_obtained"],
        json!([
            "ecr:GetAuthorizationToken",
            "signin:GetSigninToken",
            "redshift:GetClusterCredentials",
            "codeartifact:GetAuthorizationToken"
        ]),
        "{impact}"
    );
    assert_eq!(
        impact["credential_requests"],
        json!(["cognito-identity:GetOpenIdToken"])
    );
    assert_eq!(impact["changes"], json!([]));
    assert_eq!(impact["look_ups"], 0, "{impact}");
    assert!(
        text.contains("It obtained new credentials: a container registry password (ECR's, valid 12 hours as AWS documents it) (expiring 2024-07-03T09:46:40Z, as its record gives it), a console sign-in token (it signs a browser in to the AWS console), a temporary Redshift database password and a CodeArtifact authorization token (for package managers)."),
        "{text}"
    );
    assert!(
        text.contains("It obtained an OpenID Connect token from a Cognito identity pool, which is no AWS credential itself (it is exchanged for one); no credential issued for it is in the evidence."),
        "{text}"
    );
    assert!(
        !text.contains("QVdTOlBMQU5URUQ"),
        "the registry password printed"
    );
    assert!(
        !doc.to_string().contains("QVdTOlBMQU5URUQ"),
        "the registry password in the JSON"
    );
    assert!(!text.contains("make a change"), "{text}");
}
