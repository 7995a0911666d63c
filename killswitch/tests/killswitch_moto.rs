//! The kill-switch against moto's IAM and SNS over real HTTP (moto's server, started by the root
//! crate's harness): a victim user is contained, a role session revoked, protected principals
//! and others left alone, a second run changes nothing, dry run changes nothing, and a denied
//! step does not stop the others; and the `bootstrap` executable answers one invocation of a
//! stand-in Lambda Runtime API.

#[path = "../../tests/common/moto.rs"]
mod moto;
#[path = "../../tests/support/schema.rs"]
mod schema;

use aws_sdk_iam::types::StatusType;
use chrono::{DateTime, TimeZone, Utc};
use moto::Moto;
use serde_json::{json, Value};
use trailcase_killswitch::policy::{decode, ROLE_POLICY, USER_POLICY};
use trailcase_killswitch::{handle, Clients, Decision, Settings, StepOutcome};

const ACCOUNT: &str = "123456789012";
const SAMPLE_PAGE: &str =
    "../samples/incident-01/lookup-events/us-east-1-GetSecretValue-page-1.json";
const SAMPLE_READ: &str = "5ad7fe16-471c-489f-908c-61b0d4864cbb";
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const ALLOW_S3: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 14, 2, 46).unwrap()
}

async fn clients(moto: &Moto) -> Clients {
    let sdk = moto.sdk_config("us-east-1").await;
    Clients::new(&sdk)
}

/// The sample incident's honeytoken read as EventBridge delivers it, by `user`.
fn user_event(user: &str) -> Value {
    let page: Value = serde_json::from_slice(&std::fs::read(SAMPLE_PAGE).unwrap()).unwrap();
    let mut record = page["Events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| serde_json::from_str::<Value>(e["CloudTrailEvent"].as_str().unwrap()).unwrap())
        .find(|r| r["eventID"] == SAMPLE_READ)
        .unwrap();
    record["userIdentity"]["userName"] = json!(user);
    record["userIdentity"]["arn"] = json!(format!("arn:aws:iam::{ACCOUNT}:user/{user}"));
    wrap(record)
}

fn wrap(record: Value) -> Value {
    json!({
        "version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602",
        "detail-type": "AWS API Call via CloudTrail", "source": "aws.secretsmanager",
        "account": ACCOUNT, "time": record["eventTime"], "region": "us-east-1",
        "resources": [], "detail": record
    })
}

fn role_event(role: &str, session: &str, issued: &str, source_identity: Option<&str>) -> Value {
    let mut context = json!({
        "sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLE",
                          "arn": format!("arn:aws:iam::{ACCOUNT}:role/{role}"),
                          "accountId": ACCOUNT, "userName": role},
        "attributes": {"creationDate": issued, "mfaAuthenticated": "false"}
    });
    if let Some(id) = source_identity {
        context["sourceIdentity"] = json!(id);
    }
    wrap(json!({
        "eventVersion": "1.08", "eventID": "0b7d3f7e-0000-4000-8000-000000000001",
        "eventTime": "2026-11-20T14:02:17Z", "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue", "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.45", "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "userIdentity": {"type": "AssumedRole", "principalId": format!("AROAEXAMPLE:{session}"),
                         "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}"),
                         "accountId": ACCOUNT, "accessKeyId": "ASIA4EXAMPLEAUDITSS5K",
                         "sessionContext": context}
    }))
}

fn result_schema() -> Value {
    let text = std::fs::read("../schema/killswitch-result.schema.json").unwrap();
    serde_json::from_slice(&text).unwrap()
}

fn armed() -> Settings {
    Settings {
        dry_run: false,
        ..Settings::default()
    }
}

/// A victim with two active keys, an inline and an attached policy and a console password.
async fn victim(c: &Clients, user: &str, login_profile: bool) {
    c.iam.create_user().user_name(user).send().await.unwrap();
    for _ in 0..2 {
        c.iam
            .create_access_key()
            .user_name(user)
            .send()
            .await
            .unwrap();
    }
    c.iam
        .put_user_policy()
        .user_name(user)
        .policy_name("app-s3")
        .policy_document(ALLOW_S3)
        .send()
        .await
        .unwrap();
    let policy = c
        .iam
        .create_policy()
        .policy_name(format!("{user}-managed"))
        .policy_document(ALLOW_S3)
        .send()
        .await
        .unwrap();
    c.iam
        .attach_user_policy()
        .user_name(user)
        .policy_arn(policy.policy().unwrap().arn().unwrap())
        .send()
        .await
        .unwrap();
    if login_profile {
        c.iam
            .create_login_profile()
            .user_name(user)
            .password("Correct-Horse-Battery-9")
            .send()
            .await
            .unwrap();
    }
}

async fn key_statuses(c: &Clients, user: &str) -> Vec<StatusType> {
    let keys = c
        .iam
        .list_access_keys()
        .user_name(user)
        .send()
        .await
        .unwrap();
    keys.access_key_metadata
        .iter()
        .map(|k| k.status().unwrap().clone())
        .collect()
}

async fn has_login_profile(c: &Clients, user: &str) -> bool {
    c.iam
        .get_login_profile()
        .user_name(user)
        .send()
        .await
        .is_ok()
}

async fn user_policy(c: &Clients, user: &str, name: &str) -> Option<Value> {
    let out = c
        .iam
        .get_user_policy()
        .user_name(user)
        .policy_name(name)
        .send()
        .await
        .ok()?;
    decode(out.policy_document())
}

async fn role_policy(c: &Clients, role: &str) -> Option<Value> {
    let out = c
        .iam
        .get_role_policy()
        .role_name(role)
        .policy_name(ROLE_POLICY)
        .send()
        .await
        .ok()?;
    decode(out.policy_document())
}

#[tokio::test]
async fn a_victim_user_is_contained_once_dry_run_first_changes_nothing() {
    let moto = Moto::start();
    let c = clients(&moto).await;
    victim(&c, "victim", true).await;
    let topic = c
        .sns
        .create_topic()
        .name("honeytoken-eventbridge-alerts")
        .send()
        .await
        .unwrap();
    let event = user_event("victim");

    // Dry run: says what it would do, changes nothing.
    let dry = Settings {
        result_topic_arn: topic.topic_arn().map(str::to_owned),
        ..Settings::default()
    };
    let r = handle(&c, &dry, &event, now()).await;
    assert_eq!(r.decision, Decision::WouldContain, "{r:#?}");
    assert!(r.dry_run);
    assert_eq!(r.steps.len(), 4, "deny policy, two keys, login profile");
    assert!(r.steps.iter().all(|s| s.outcome == StepOutcome::WouldDo));
    assert_eq!(r.published.as_ref().unwrap().outcome, StepOutcome::Done);
    assert_eq!(
        key_statuses(&c, "victim").await,
        [StatusType::Active, StatusType::Active]
    );
    assert!(has_login_profile(&c, "victim").await);
    assert_eq!(user_policy(&c, "victim", USER_POLICY).await, None);

    // Armed: contained, and the result names the caller and the trigger.
    let settings = Settings {
        dry_run: false,
        ..dry
    };
    let r = handle(&c, &settings, &event, now()).await;
    assert_eq!(r.decision, Decision::Contained, "{r:#?}");
    assert!(r.steps.iter().all(|s| s.outcome == StepOutcome::Done));
    assert_eq!(r.at, "2026-11-20T14:02:46Z");
    assert_eq!(r.trigger.event_id.as_deref(), Some(SAMPLE_READ));
    assert_eq!(r.trigger.source_ip_address.as_deref(), Some("203.0.113.45"));
    assert_eq!(r.published.as_ref().unwrap().outcome, StepOutcome::Done);
    let deny = user_policy(&c, "victim", USER_POLICY).await.unwrap();
    assert_eq!(deny["Statement"][0]["Effect"], "Deny");
    assert_eq!(deny["Statement"][0]["Action"], "*");
    assert_eq!(
        key_statuses(&c, "victim").await,
        [StatusType::Inactive, StatusType::Inactive]
    );
    assert!(!has_login_profile(&c, "victim").await);
    // The user's own policies are left for the investigation: the deny overrides them.
    assert!(user_policy(&c, "victim", "app-s3").await.is_some());
    let attached = c
        .iam
        .list_attached_user_policies()
        .user_name("victim")
        .send()
        .await
        .unwrap();
    assert_eq!(attached.attached_policies().len(), 1);

    // The JSON result, as published and logged, follows its schema.
    let json = serde_json::to_value(&r).unwrap();
    let violations = schema::schema_violations(&result_schema(), &json);
    assert!(violations.is_empty(), "{violations:#?}");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["decision"], "contained");
    assert_eq!(json["caller"]["type"], "iam-user");
    assert_eq!(json["steps"][1]["action"], "iam:UpdateAccessKey");
    assert_eq!(json["steps"][1]["outcome"], "done");

    // The same event again (EventBridge retries, or the actor's denied re-read): a no-op.
    let again = handle(&c, &settings, &event, now()).await;
    assert_eq!(again.decision, Decision::AlreadyContained, "{again:#?}");
    assert!(again
        .steps
        .iter()
        .all(|s| s.outcome == StepOutcome::Unchanged));
    assert!(again.summary.contains("already contained"));
}

#[tokio::test]
async fn a_role_session_is_revoked_and_protected_principals_are_untouched() {
    let moto = Moto::start();
    let c = clients(&moto).await;
    for role in [
        "ReadOnlyAuditRole",
        "HoneytokenKillSwitchRole",
        "BreakGlassAdmin",
    ] {
        c.iam
            .create_role()
            .role_name(role)
            .assume_role_policy_document(TRUST)
            .send()
            .await
            .unwrap();
    }
    victim(&c, "breakglass-alice", true).await;
    let settings = Settings {
        dry_run: false,
        protected: vec![
            format!("arn:aws:iam::{ACCOUNT}:user/breakglass-*"),
            format!("arn:aws:iam::{ACCOUNT}:role/BreakGlass*"),
        ],
        own_role_arn: Some(format!(
            "arn:aws:iam::{ACCOUNT}:role/HoneytokenKillSwitchRole"
        )),
        result_topic_arn: None,
    };

    let event = role_event(
        "ReadOnlyAuditRole",
        "svc-reporting-session",
        "2026-11-20T13:59:30Z",
        Some("svc-reporting"),
    );
    let r = handle(&c, &settings, &event, now()).await;
    assert_eq!(r.decision, Decision::Contained, "{r:#?}");
    assert_eq!(r.steps[0].action, "iam:PutRolePolicy");
    let doc = role_policy(&c, "ReadOnlyAuditRole").await.unwrap();
    assert_eq!(
        doc["Statement"][0]["Condition"]["DateLessThan"]["aws:TokenIssueTime"],
        "2026-11-20T14:02:46Z"
    );
    assert_eq!(doc["Statement"][0]["Effect"], "Deny");
    assert_eq!(
        doc["Statement"][1]["Condition"]["StringEquals"]["aws:SourceIdentity"],
        json!(["svc-reporting"])
    );
    let json = serde_json::to_value(&r).unwrap();
    assert!(schema::schema_violations(&result_schema(), &json).is_empty());
    assert_eq!(json["caller"]["source_identity"], "svc-reporting");

    // A later event from the same (already revoked) session changes nothing.
    let later = Utc.with_ymd_and_hms(2026, 11, 20, 14, 3, 10).unwrap();
    let again = handle(&c, &settings, &event, later).await;
    assert_eq!(again.decision, Decision::AlreadyContained, "{again:#?}");
    let doc = role_policy(&c, "ReadOnlyAuditRole").await.unwrap();
    assert_eq!(
        doc["Statement"][0]["Condition"]["DateLessThan"]["aws:TokenIssueTime"],
        "2026-11-20T14:02:46Z"
    );
    // A session issued after the revocation is revoked anew.
    let fresh = role_event("ReadOnlyAuditRole", "s2", "2026-11-20T14:02:59Z", None);
    let r = handle(&c, &settings, &fresh, later).await;
    assert_eq!(r.decision, Decision::Contained);
    let doc = role_policy(&c, "ReadOnlyAuditRole").await.unwrap();
    assert_eq!(
        doc["Statement"][0]["Condition"]["DateLessThan"]["aws:TokenIssueTime"],
        "2026-11-20T14:03:10Z"
    );
    assert_eq!(
        doc["Statement"][1]["Condition"]["StringEquals"]["aws:SourceIdentity"],
        json!(["svc-reporting"]),
        "earlier source identities stay denied"
    );

    // Never touched, only reported.
    let own = role_event(
        "HoneytokenKillSwitchRole",
        "HoneytokenKillSwitch",
        "2026-11-20T14:02:44Z",
        None,
    );
    let r = handle(&c, &settings, &own, now()).await;
    assert_eq!(r.decision, Decision::Protected);
    assert!(r.steps.is_empty());
    assert_eq!(role_policy(&c, "HoneytokenKillSwitchRole").await, None);

    let admin = role_event("BreakGlassAdmin", "oncall", "2026-11-20T14:00:00Z", None);
    let r = handle(&c, &settings, &admin, now()).await;
    assert_eq!(r.decision, Decision::Protected);
    assert!(r.summary.contains("BreakGlass*"), "{}", r.summary);
    assert_eq!(role_policy(&c, "BreakGlassAdmin").await, None);

    let r = handle(&c, &settings, &user_event("breakglass-alice"), now()).await;
    assert_eq!(r.decision, Decision::Protected);
    assert_eq!(user_policy(&c, "breakglass-alice", USER_POLICY).await, None);
    assert_eq!(
        key_statuses(&c, "breakglass-alice").await,
        [StatusType::Active, StatusType::Active]
    );

    let mut root = user_event("x");
    root["detail"]["userIdentity"] =
        json!({"type": "Root", "arn": format!("arn:aws:iam::{ACCOUNT}:root")});
    let r = handle(&c, &settings, &root, now()).await;
    assert_eq!(r.decision, Decision::NotContained);
    assert!(r.summary.contains("root"));

    let mut service = user_event("x");
    service["detail"]["userIdentity"] =
        json!({"type": "AWSService", "invokedBy": "lambda.amazonaws.com"});
    let r = handle(&c, &settings, &service, now()).await;
    assert_eq!(r.decision, Decision::NotContained);
}

/// A user who reads the honeytoken through a service calling on its behalf (a CloudFormation
/// dynamic reference: the record names the user and `invokedBy`) was taken for the service and
/// left untouched. The user is contained, and the summary names the service.
#[tokio::test]
async fn a_user_reading_through_a_service_is_contained() {
    let moto = Moto::start();
    let c = clients(&moto).await;
    victim(&c, "victim", false).await;
    let mut event = user_event("victim");
    event["detail"]["userIdentity"]["invokedBy"] = json!("cloudformation.amazonaws.com");
    let settings = Settings {
        dry_run: false,
        ..Settings::default()
    };
    let r = handle(&c, &settings, &event, now()).await;
    assert_eq!(r.decision, Decision::Contained, "{r:#?}");
    assert!(
        r.summary
            .contains("through the AWS service cloudformation.amazonaws.com"),
        "{}",
        r.summary
    );
    let deny = user_policy(&c, "victim", USER_POLICY).await.unwrap();
    assert_eq!(deny["Statement"][0]["Effect"], "Deny");
    assert_eq!(
        key_statuses(&c, "victim").await,
        [StatusType::Inactive, StatusType::Inactive]
    );
}

#[tokio::test]
async fn a_denied_step_does_not_stop_the_others() {
    let moto = Moto::start();
    moto.seed(&json!({"iam_deny": ["UpdateAccessKey"]}));
    let c = clients(&moto).await;
    victim(&c, "no-console", false).await;
    let settings = Settings {
        result_topic_arn: Some(format!("arn:aws:sns:us-east-1:{ACCOUNT}:no-such-topic")),
        ..armed()
    };
    let r = handle(&c, &settings, &user_event("no-console"), now()).await;
    assert_eq!(r.decision, Decision::PartiallyContained, "{r:#?}");
    let outcomes: Vec<(&str, StepOutcome)> = r
        .steps
        .iter()
        .map(|s| (s.action.as_str(), s.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("iam:PutUserPolicy", StepOutcome::Done),
            ("iam:UpdateAccessKey", StepOutcome::Failed),
            ("iam:UpdateAccessKey", StepOutcome::Failed),
            ("iam:DeleteLoginProfile", StepOutcome::Unchanged),
        ]
    );
    assert!(
        r.steps[1].detail.contains("iam:UpdateAccessKey"),
        "names the missing permission: {}",
        r.steps[1].detail
    );
    assert!(r.summary.contains("iam:UpdateAccessKey"));
    assert!(user_policy(&c, "no-console", USER_POLICY).await.is_some());
    // Publishing to a missing topic fails and is reported; the containment stands.
    assert_eq!(r.published.as_ref().unwrap().outcome, StepOutcome::Failed);

    // Once the permission is back, a rerun finishes the job and changes only what is left.
    moto.seed(&json!({}));
    let r = handle(&c, &armed(), &user_event("no-console"), now()).await;
    assert_eq!(r.decision, Decision::Contained, "{r:#?}");
    assert_eq!(r.steps[0].outcome, StepOutcome::Unchanged);
    assert_eq!(
        key_statuses(&c, "no-console").await,
        [StatusType::Inactive, StatusType::Inactive]
    );
}

/// A stand-in for the Lambda Runtime API (the two calls `lambda_runtime` makes): hands out one
/// event, then returns the function's response body.
fn runtime_api(event: Value) -> (String, std::sync::mpsc::Receiver<Value>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut served = false;
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let (mut length, mut header) = (0, String::new());
                while reader.read_line(&mut header).is_ok() && header.trim() != "" {
                    if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap();
                    }
                    header.clear();
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                if line.starts_with("GET") && !served {
                    served = true;
                    let deadline = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap()
                        .as_millis()
                        + 60_000;
                    let payload = event.to_string();
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                         Lambda-Runtime-Aws-Request-Id: req-1\r\nLambda-Runtime-Deadline-Ms: {deadline}\r\n\
                         Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:{ACCOUNT}:function:HoneytokenKillSwitch\r\n\
                         Content-Length: {}\r\n\r\n",
                        payload.len()
                    );
                    stream.write_all(head.as_bytes()).unwrap();
                    stream.write_all(payload.as_bytes()).unwrap();
                } else if line.starts_with("POST") {
                    let _ = tx.send(serde_json::from_slice(&body).unwrap_or(Value::Null));
                    let ok = r#"{"status":"OK"}"#;
                    let head = format!(
                        "HTTP/1.1 202 Accepted\r\nContent-Length: {}\r\n\r\n",
                        ok.len()
                    );
                    stream.write_all(head.as_bytes()).unwrap();
                    stream.write_all(ok.as_bytes()).unwrap();
                } else {
                    // The next invocation: there is none; the test ends the process.
                    std::thread::sleep(std::time::Duration::from_secs(60));
                }
            }
        }
    });
    (addr, rx)
}

#[tokio::test]
async fn the_bootstrap_binary_serves_the_lambda_runtime_api() {
    let moto = Moto::start();
    let c = clients(&moto).await;
    c.iam
        .create_user()
        .user_name("victim")
        .send()
        .await
        .unwrap();
    c.iam
        .create_access_key()
        .user_name("victim")
        .send()
        .await
        .unwrap();
    let (api, responses) = runtime_api(user_event("victim"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bootstrap"))
        .env("AWS_LAMBDA_RUNTIME_API", &api)
        .env("AWS_LAMBDA_FUNCTION_NAME", "HoneytokenKillSwitch")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "test")
        .env(
            "AWS_LAMBDA_LOG_GROUP_NAME",
            "/aws/lambda/HoneytokenKillSwitch",
        )
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("DRY_RUN", "false")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let result = responses.recv_timeout(std::time::Duration::from_secs(30));
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let result = result.expect("the function answered the invocation");
    assert_eq!(result["decision"], "contained", "{result:#}");
    assert!(schema::schema_violations(&result_schema(), &result).is_empty());
    // The same result is logged as one JSON line.
    let log = String::from_utf8_lossy(&output.stdout);
    assert!(log.contains(r#""decision":"contained""#), "{log}");
    assert_eq!(key_statuses(&c, "victim").await, [StatusType::Inactive]);
}
