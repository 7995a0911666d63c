//! Where a role session's credential came from, said as the records state it, and the deny put
//! where a policy can go (the role, never the session). Records written for these tests in the
//! shapes CloudTrail records them: a Lambda execution role's `AssumeRole` by the Lambda service
//! (`userIdentity.type` `AWSService`, `invokedBy` `lambda.amazonaws.com`) and a SAML console
//! sign-in (`ConsoleLogin` with `additionalEventData.SamlProviderArn` and `MFAUsed`).

use crate::support;

use serde_json::{json, Value};
use support::*;

const ACCOUNT: &str = "444455556666";
const ROLE: &str = "arn:aws:iam::444455556666:role/service-role/orders-export-role";
const ISSUE_ID: &str = "0b6f2a57-0000-4000-8000-000000000001";
const SIGN_IN_ID: &str = "0b6f2a57-0000-4000-8000-000000000002";

fn read(identity: Value, time: &str, id: &str, extra: Value) -> Value {
    let mut r = json!({
        "eventVersion": "1.08", "userIdentity": identity, "eventTime": time,
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
        "awsRegion": "eu-west-1", "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-sdk-java/1.12.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/11",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "responseElements": null, "eventID": id, "readOnly": true,
        "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": ACCOUNT
    });
    r.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    r
}

/// Runs `timeline` and `report` on `records`: the incident and the report's text.
fn run(records: Vec<Value>) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(
        evidence.join("records.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    let doc = timeline_of(&evidence);
    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[evidence.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    (doc["incidents"][0].clone(), pdf_text(&pdf))
}

fn actions(inc: &Value) -> Vec<String> {
    inc["eradication"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_lambda_execution_role_session_is_traced_to_its_function_and_denied_on_its_role() {
    let session = format!("arn:aws:sts::{ACCOUNT}:assumed-role/orders-export-role/orders-export");
    let issue = json!({
        "eventVersion": "1.08",
        "userIdentity": {"type": "AWSService", "invokedBy": "lambda.amazonaws.com"},
        "eventTime": "2024-03-05T09:00:00Z", "eventSource": "sts.amazonaws.com",
        "eventName": "AssumeRole", "awsRegion": "eu-west-1",
        "sourceIPAddress": "lambda.amazonaws.com", "userAgent": "lambda.amazonaws.com",
        "requestParameters": {"roleArn": ROLE, "roleSessionName": "orders-export"},
        "responseElements": {"credentials": {"accessKeyId": "ASIAEXAMPLEORDERS001",
            "expiration": "Mar 5, 2024, 9:00:00 PM", "sessionToken": "example-session-token"}},
        "eventID": ISSUE_ID, "readOnly": true, "eventType": "AwsApiCall",
        "managementEvent": true, "recipientAccountId": ACCOUNT,
        "resources": [{"ARN": ROLE, "accountId": ACCOUNT, "type": "AWS::IAM::Role"}]
    });
    let identity = json!({
        "type": "AssumedRole", "principalId": "AROAEXAMPLEORDERS:orders-export",
        "arn": session, "accountId": ACCOUNT, "accessKeyId": "ASIAEXAMPLEORDERS001",
        "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEORDERS",
            "arn": ROLE, "accountId": ACCOUNT, "userName": "orders-export-role"},
            "attributes": {"creationDate": "2024-03-05T09:00:00Z", "mfaAuthenticated": "false"}}
    });
    let (inc, text) = run(vec![
        issue,
        read(
            identity,
            "2024-03-05T09:40:00Z",
            "0b6f2a57-0000-4000-8000-000000000003",
            json!({}),
        ),
    ]);
    let steps = actions(&inc);
    assert!(
        steps[0].starts_with(&format!("Cut the access of role session {session} (a policy attaches to its role, not to a session): attach a deny-all policy to role {ROLE},")),
        "{steps:#?}"
    );
    assert!(
        !steps
            .iter()
            .any(|s| s.contains(&format!("{session}: attach"))),
        "{steps:#?}"
    );
    assert!(
        steps.iter().any(|s| s.starts_with(&format!(
            "Review Lambda function orders-export, whose execution role {ROLE} the calls were made as"
        ))),
        "{steps:#?}"
    );
    assert!(
        text.contains(&format!("Where the credential came from is in the evidence: STS issued the actor's temporary credential at 2024-03-05T09:00:00Z to the Lambda service for the execution role of function orders-export (eventID {ISSUE_ID}; Lambda names the session after its function)")),
        "{text}"
    );
    assert!(
        !text.contains("to another identity of the account"),
        "{text}"
    );
    assert!(
        !text.contains("How the credential was obtained is unknown"),
        "{text}"
    );
}

/// A console session that began with a SAML sign-in: the sign-in is cited as the session's
/// origin (provider, MFA as recorded), it is no change the actor made, and the deny goes on the
/// role it federated into.
#[test]
fn a_saml_console_sign_in_is_the_sessions_origin_not_a_change() {
    let session = format!("arn:aws:sts::{ACCOUNT}:assumed-role/analysts/ana@example.org");
    let identity = json!({
        "type": "AssumedRole", "principalId": "AROAEXAMPLEANALYSTS:ana@example.org",
        "arn": session, "accountId": ACCOUNT
    });
    let sign_in = json!({
        "eventVersion": "1.08", "userIdentity": identity, "eventTime": "2024-03-05T10:00:00Z",
        "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
        "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/123.0",
        "requestParameters": null, "responseElements": {"ConsoleLogin": "Success"},
        "additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home",
            "MobileVersion": "No", "MFAUsed": "No",
            "SamlProviderArn": format!("arn:aws:iam::{ACCOUNT}:saml-provider/corp-idp")},
        "eventID": SIGN_IN_ID, "readOnly": false, "eventType": "AwsConsoleSignIn",
        "managementEvent": true, "recipientAccountId": ACCOUNT
    });
    let (inc, text) = run(vec![
        sign_in,
        read(
            identity,
            "2024-03-05T10:02:00Z",
            "0b6f2a57-0000-4000-8000-000000000004",
            json!({"sessionCredentialFromConsole": "true",
                   "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/123.0"}),
        ),
    ]);
    assert_eq!(inc["impact"]["changes"], json!([]), "{:#}", inc["impact"]);
    assert!(!text.contains("ConsoleLogin)"), "{text}");
    assert!(
        text.contains(&format!("the identity signed in to the AWS console at 2024-03-05T10:00:00Z through the SAML identity provider corp-idp, MFA used: No (as the record states) (eventID {SIGN_IN_ID}), before the read")),
        "{text}"
    );
    let steps = actions(&inc);
    assert!(
        steps[0].contains(&format!(
            "attach a deny-all policy to role analysts of account {ACCOUNT} (its ARN is not in the evidence"
        )) && steps[0].contains("it signed in through SAML provider arn:aws:iam::444455556666:saml-provider/corp-idp: disable the user at that identity provider too"),
        "{steps:#?}"
    );
}

/// A role session's ARN (`assumed-role/<name>/<session>`) omits the role's path: the role
/// ARN built from it (`role/<name>`) was stated as fact in the deny step, though the role may
/// be `role/some/path/<name>`. With `sessionContext.sessionIssuer.arn` in the record the step
/// names that ARN, path and all; without it the step and the JSON say the role's name and that
/// its ARN is not in the evidence (`actor.session_issuer_arn` null, `actor.role_name`).
#[test]
fn a_role_arn_without_its_issuer_is_not_stated_as_fact() {
    let session = format!("arn:aws:sts::{ACCOUNT}:assumed-role/MyRole/worker");
    let identity = |issuer: Option<&str>| {
        let mut id = json!({
            "type": "AssumedRole", "principalId": "AROAEXAMPLEID:worker", "arn": session,
            "accountId": ACCOUNT, "accessKeyId": "ASIAEXAMPLEKEY000001"
        });
        if let Some(arn) = issuer {
            id["sessionContext"] = json!({
                "sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEID",
                    "arn": arn, "accountId": ACCOUNT, "userName": "MyRole"},
                "attributes": {"creationDate": "2026-11-20T13:00:00Z", "mfaAuthenticated": "false"}
            });
        }
        id
    };
    let with_path = format!("arn:aws:iam::{ACCOUNT}:role/some/path/MyRole");
    let (inc, _) = run(vec![read(
        identity(Some(&with_path)),
        "2026-11-20T14:02:17Z",
        ISSUE_ID,
        json!({}),
    )]);
    assert_eq!(inc["actor"]["session_issuer_arn"], json!(with_path));
    assert_eq!(inc["actor"]["role_name"], "MyRole");
    let cut = actions(&inc);
    assert!(
        cut[0].contains(&format!("attach a deny-all policy to role {with_path},")),
        "{cut:?}"
    );

    let (inc, text) = run(vec![read(
        identity(None),
        "2026-11-20T14:02:17Z",
        ISSUE_ID,
        json!({}),
    )]);
    assert_eq!(inc["actor"]["session_issuer_arn"], Value::Null);
    assert_eq!(inc["actor"]["role_name"], "MyRole");
    let built = format!("arn:aws:iam::{ACCOUNT}:role/MyRole");
    let all = serde_json::to_string(&inc).unwrap();
    assert!(!all.contains(&built), "{all}");
    assert!(!text.contains(&built), "{text}");
    let cut = actions(&inc);
    assert!(
        cut[0].contains(&format!("attach a deny-all policy to role MyRole of account {ACCOUNT} (its ARN is not in the evidence: no record of the session carries sessionContext.sessionIssuer.arn, and the session's ARN omits the role's path),")),
        "{cut:?}"
    );
}
