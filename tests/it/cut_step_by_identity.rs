//! The first eradication step ("cut the actor's access") said "attach a deny-all policy" for
//! every identity type it had no arm for: a federated user (GetFederationToken's session, to
//! which no policy attaches), CloudTrail's `Unknown` (an Identity Center directory user, among
//! others) and a record with no type at all, where no IAM policy is known to reach the caller
//! (real33, audit 33). The step now says what reaches each: the federated user's issuing IAM
//! user, named from its records; for an unknown type, that which principal it is must be found
//! first (a caller with no ARN is named by its principalId, as everywhere); with no type, an IAM
//! user's or a role session's ARN says which it is.

use crate::support::*;
use serde_json::{json, Value};

/// Stratus Red Team's recorded GetCallerIdentity by a federated user (tests/data/SOURCES.md),
/// and the same session reading the honeytoken a minute later, with `identity` in both.
fn case_with(identity: Option<Value>) -> tempfile::TempDir {
    let doc = read_json(&repo().join(
        "tests/data/shared/cloudtrail/stratus-red-team/aws.persistence.sts-federation-token.json",
    ));
    // The file is a JSON array of records, as Stratus Red Team publishes it.
    let mut call = doc
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["userIdentity"]["type"] == "FederatedUser")
        .unwrap()
        .clone();
    let mut read = call.clone();
    read["eventTime"] = json!("2024-11-30T08:44:18Z");
    read["eventSource"] = json!("secretsmanager.amazonaws.com");
    read["eventName"] = json!("GetSecretValue");
    read["requestParameters"] = json!({"secretId": "Production_Database_Credentials"});
    read["eventID"] = json!("91529247-c4c4-4793-afc8-d70bbcfe9d20");
    if let Some(identity) = identity {
        call["userIdentity"] = identity.clone();
        read["userIdentity"] = identity;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("records.json"),
        serde_json::to_vec(&json!({"Records": [call, read]})).unwrap(),
    )
    .unwrap();
    dir
}

fn first_step(dir: &tempfile::TempDir) -> String {
    let t = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    let doc = t.json();
    let inc = &doc["incidents"][0];
    inc["eradication"][0]["action"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_federated_users_step_denies_the_iam_user_that_issued_its_token() {
    let step = first_step(&case_with(None));
    assert!(
        step.starts_with("Cut the access of federated user arn:aws:sts::742491224508:federated-user/stratus_red_team: a policy cannot attach to it; its permissions are those of the IAM user that requested its token (GetFederationToken), arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user, within its session policy, plus what a resource-based policy naming it grants: attach a deny-all policy to that user"),
        "{step}"
    );
}

#[test]
fn an_unknown_or_missing_identity_type_asks_which_principal_it_is_first() {
    let unknown = json!({"type": "Unknown", "principalId": "906744fb70-7a0e2b5a-0f8e-4d0c-9f3b-1c2d3e4f5a6b",
        "accountId": "742491224508", "userName": "jdoe@example.com"});
    let step = first_step(&case_with(Some(unknown.clone())));
    assert!(
        step.starts_with("Find which principal 906744fb70-7a0e2b5a-0f8e-4d0c-9f3b-1c2d3e4f5a6b is before cutting its access: its records give the identity type Unknown"),
        "{step}"
    );
    assert!(!step.contains("attach a deny-all policy"), "{step}");

    let mut untyped = unknown;
    untyped.as_object_mut().unwrap().remove("type");
    let step = first_step(&case_with(Some(untyped.clone())));
    assert!(
        step.starts_with("Find which principal 906744fb70-7a0e2b5a-0f8e-4d0c-9f3b-1c2d3e4f5a6b is before cutting its access: its records give no identity type"),
        "{step}"
    );
    // With no type but an IAM user's ARN, the ARN says what it is.
    untyped["arn"] = json!("arn:aws:iam::742491224508:user/jdoe");
    let step = first_step(&case_with(Some(untyped)));
    assert!(
        step.starts_with(
            "Cut the access of arn:aws:iam::742491224508:user/jdoe: attach a deny-all policy"
        ),
        "{step}"
    );
}
