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
            "attach a deny-all policy to role arn:aws:iam::{ACCOUNT}:role/analysts,"
        )) && steps[0].contains("it signed in through SAML provider arn:aws:iam::444455556666:saml-provider/corp-idp: disable the user at that identity provider too"),
        "{steps:#?}"
    );
}
