//! `trailcase posture` over real HTTP against moto's server: a correct pipeline (deployed with the
//! AWS SDK: trail, log group, secret, metric filter, topics with subscriptions, rule, targets,
//! kill-switch function and its permission; the alarm and the trail's CloudWatch Logs delivery
//! come from the moto additions) passes every check; then each part is broken in turn and exactly
//! the matching check fails. The JSON output follows schema/posture.schema.json; stored in a case
//! with `--case`, it is in the manifest and `timeline` reads it.

use crate::common;
use crate::support::posture_case;
use crate::support::posture_check;
use crate::support::schema;

use common::moto::Moto;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::process::Output;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const TRAIL: &str = "honeytoken-trail";
pub(crate) const LOG_GROUP: &str = "aws-cloudtrail-logs-123456789012-honeytoken";
const HONEYTOKEN: &str = "Production_Database_Credentials";
pub(crate) const RULE: &str = "HoneytokenSecretAccessRule";
const FUNCTION: &str = "HoneytokenKillSwitch";
const FILTER: &str = r#"{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") && ($.requestParameters.secretId = "*Production_Database_Credentials*") }"#;
const PATTERN: &str = r#"{"source":["aws.secretsmanager"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["secretsmanager.amazonaws.com"],"eventName":["GetSecretValue"],"requestParameters":{"secretId":[{"prefix":"Production_Database_Credentials"},{"prefix":"arn:aws:secretsmanager:us-east-1:123456789012:secret:Production_Database_Credentials"}]}}}"#;
/// The kill-switch role's policy in deploy/honeytoken-pipeline.yaml, resources simplified.
const KILLSWITCH_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["iam:GetUserPolicy","iam:PutUserPolicy","iam:ListAccessKeys","iam:UpdateAccessKey","iam:GetLoginProfile","iam:DeleteLoginProfile"],"Resource":"arn:aws:iam::123456789012:user/*"},
  {"Effect":"Allow","Action":["iam:GetRolePolicy","iam:PutRolePolicy"],"Resource":"arn:aws:iam::123456789012:role/*"},
  {"Effect":"Deny","Action":"iam:*","Resource":"arn:aws:iam::123456789012:role/HoneytokenKillSwitchRole"},
  {"Effect":"Allow","Action":"sns:Publish","Resource":"*"},
  {"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#;
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
/// The smallest valid zip (no entries): moto stores the code, it never runs it here.
const EMPTY_ZIP: [u8; 22] = [
    0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

pub(crate) struct Aws {
    pub(crate) sdk: aws_config::SdkConfig,
}

impl Aws {
    pub(crate) async fn new(moto: &Moto) -> Aws {
        Aws {
            sdk: moto.sdk_config(REGION).await,
        }
    }
    fn trail(&self) -> aws_sdk_cloudtrail::Client {
        aws_sdk_cloudtrail::Client::new(&self.sdk)
    }
    fn sns(&self) -> aws_sdk_sns::Client {
        aws_sdk_sns::Client::new(&self.sdk)
    }
    pub(crate) fn events(&self) -> aws_sdk_eventbridge::Client {
        aws_sdk_eventbridge::Client::new(&self.sdk)
    }
    fn lambda(&self) -> aws_sdk_lambda::Client {
        aws_sdk_lambda::Client::new(&self.sdk)
    }
    pub(crate) fn logs(&self) -> aws_sdk_cloudwatchlogs::Client {
        aws_sdk_cloudwatchlogs::Client::new(&self.sdk)
    }
    fn secrets(&self) -> aws_sdk_secretsmanager::Client {
        aws_sdk_secretsmanager::Client::new(&self.sdk)
    }
}

/// What the moto additions answer: the alarm (DescribeAlarms) and the trail's last delivery.
pub(crate) fn seed(moto: &Moto, alarm: &Value, delivered_minutes_ago: i64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let delivered = chrono::DateTime::from_timestamp(now - delivered_minutes_ago * 60, 0).unwrap();
    moto.seed(&json!({
        "cloudwatch": {REGION: {"alarms": [alarm]}},
        "trail_status": {TRAIL: {
            "LatestCloudWatchLogsDeliveryTime": delivered.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        }}
    }));
}

pub(crate) fn alarm(topic: &str) -> Value {
    json!({
        "AlarmName": "HoneytokenSecretAccessAlarm",
        "AlarmArn": format!("arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:HoneytokenSecretAccessAlarm"),
        "ActionsEnabled": true, "OKActions": [], "AlarmActions": [topic],
        "InsufficientDataActions": [], "StateValue": "OK",
        "MetricName": "HoneytokenSecretAccessCount", "Namespace": "CloudTrailMetrics",
        "Statistic": "Sum", "Dimensions": [], "Period": 60, "EvaluationPeriods": 1,
        "DatapointsToAlarm": 1, "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching"
    })
}

pub(crate) struct Deployed {
    pub(crate) alarm_topic: String,
    alarm_subscription: String,
    rule_subscription: String,
    function_arn: String,
}

pub(crate) async fn deploy(aws: &Aws) -> Deployed {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&aws.sdk)
            .force_path_style(true)
            .build(),
    )
    .create_bucket()
    .bucket("honeytoken-trail-bucket")
    .send()
    .await
    .unwrap();
    aws.logs()
        .create_log_group()
        .log_group_name(LOG_GROUP)
        .send()
        .await
        .unwrap();
    let iam = aws_sdk_iam::Client::new(&aws.sdk);
    let role = iam
        .create_role()
        .role_name("HoneytokenKillSwitchRole")
        .assume_role_policy_document(TRUST)
        .send()
        .await
        .unwrap();
    let role_arn = role.role().unwrap().arn().to_string();
    iam.put_role_policy()
        .role_name("HoneytokenKillSwitchRole")
        .policy_name("HoneytokenKillSwitch")
        .policy_document(KILLSWITCH_POLICY)
        .send()
        .await
        .unwrap();
    aws.trail()
        .create_trail()
        .name(TRAIL)
        .s3_bucket_name("honeytoken-trail-bucket")
        .is_multi_region_trail(true)
        .enable_log_file_validation(true)
        .cloud_watch_logs_log_group_arn(format!(
            "arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{LOG_GROUP}:*"
        ))
        .cloud_watch_logs_role_arn(&role_arn)
        .send()
        .await
        .unwrap();
    aws.trail()
        .start_logging()
        .name(TRAIL)
        .send()
        .await
        .unwrap();
    aws.secrets()
        .create_secret()
        .name(HONEYTOKEN)
        .secret_string(r#"{"username":"prod_admin","password":"decoy"}"#)
        .send()
        .await
        .unwrap();
    put_filter(aws, FILTER).await;
    let topic = |name: &'static str| async move {
        let t = aws.sns().create_topic().name(name).send().await.unwrap();
        let arn = t.topic_arn().unwrap().to_string();
        let s = aws
            .sns()
            .subscribe()
            .topic_arn(&arn)
            .protocol("email")
            .endpoint("soc@example.com")
            .send()
            .await
            .unwrap();
        (arn, s.subscription_arn().unwrap().to_string())
    };
    let (alarm_topic, alarm_subscription) = topic("honeytoken-alarm-email").await;
    let (rule_topic, rule_subscription) = topic("honeytoken-eventbridge-alerts").await;
    let function = aws
        .lambda()
        .create_function()
        .function_name(FUNCTION)
        .runtime(aws_sdk_lambda::types::Runtime::Providedal2023)
        .handler("bootstrap")
        .role(&role_arn)
        .code(
            aws_sdk_lambda::types::FunctionCode::builder()
                .zip_file(aws_smithy_types::Blob::new(EMPTY_ZIP.to_vec()))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let function_arn = function.function_arn().unwrap().to_string();
    let rule = aws
        .events()
        .put_rule()
        .name(RULE)
        .event_pattern(PATTERN)
        .state(aws_sdk_eventbridge::types::RuleState::EnabledWithAllCloudtrailManagementEvents)
        .send()
        .await
        .unwrap();
    let target = |id: &str, arn: &str| {
        aws_sdk_eventbridge::types::Target::builder()
            .id(id)
            .arn(arn)
            .build()
            .unwrap()
    };
    aws.events()
        .put_targets()
        .rule(RULE)
        .targets(target("HoneytokenAlertTopic", &rule_topic))
        .targets(target("HoneytokenKillSwitchLambda", &function_arn))
        .send()
        .await
        .unwrap();
    aws.lambda()
        .add_permission()
        .function_name(FUNCTION)
        .statement_id("HoneytokenRuleInvokes")
        .action("lambda:InvokeFunction")
        .principal("events.amazonaws.com")
        .source_arn(rule.rule_arn().unwrap())
        .send()
        .await
        .unwrap();
    Deployed {
        alarm_topic,
        alarm_subscription,
        rule_subscription,
        function_arn,
    }
}

/// Flow 2's rule put with `pattern`, in the state that delivers read-only management events.
pub(crate) async fn put_rule(aws: &Aws, pattern: &str) {
    aws.events()
        .put_rule()
        .name(RULE)
        .event_pattern(pattern)
        .state(aws_sdk_eventbridge::types::RuleState::EnabledWithAllCloudtrailManagementEvents)
        .send()
        .await
        .unwrap();
}

/// Flow 1's filter replaced by one with `pattern`: real AWS replaces a filter of the same name,
/// moto keeps both, so the old one is deleted first.
pub(crate) async fn replace_filter(aws: &Aws, pattern: &str) {
    aws.logs()
        .delete_metric_filter()
        .log_group_name(LOG_GROUP)
        .filter_name("HoneytokenSecretAccess")
        .send()
        .await
        .unwrap();
    put_filter(aws, pattern).await;
}

pub(crate) async fn put_filter(aws: &Aws, pattern: &str) {
    aws.logs()
        .put_metric_filter()
        .log_group_name(LOG_GROUP)
        .filter_name("HoneytokenSecretAccess")
        .filter_pattern(pattern)
        .metric_transformations(
            aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
                .metric_name("HoneytokenSecretAccessCount")
                .metric_namespace("CloudTrailMetrics")
                .metric_value("1")
                .default_value(0.0)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

fn posture(endpoint: &str, format: &str) -> Output {
    posture_of(endpoint, format, &[])
}

pub(crate) fn posture_of(endpoint: &str, format: &str, extra: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args(["posture", "--regions", REGION, "--endpoint-url", endpoint])
        .args(["--format", format])
        .args(extra)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap()
}

/// `posture --format json` with `extra` arguments: its report, and the exit code.
pub(crate) fn posture_json(moto: &Moto, extra: &[&str]) -> (Value, Option<i32>) {
    let out = posture_of(&moto.endpoint, "json", extra);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (report, out.status.code())
}

/// An SSM SecureString parameter `name` (a decoy's value, never read by `posture`).
pub(crate) async fn put_decoy_parameter(aws: &Aws, name: &str) {
    aws_sdk_ssm::Client::new(&aws.sdk)
        .put_parameter()
        .name(name)
        .value("decoy-value")
        .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
        .send()
        .await
        .unwrap();
}

/// The ids of the checks that did not pass, and the exit code.
pub(crate) fn failing(moto: &Moto) -> (BTreeSet<String>, Option<i32>, Value) {
    let out = posture(&moto.endpoint, "json");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON on stdout ({e}); stderr: {stderr}"));
    let ids = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "PASS")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    (ids, out.status.code(), report)
}

#[test]
fn a_correct_pipeline_passes_and_each_broken_part_fails_its_check() {
    let moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let aws = rt.block_on(Aws::new(&moto));
    let d = rt.block_on(deploy(&aws));
    let mut alarm = alarm(&d.alarm_topic);
    seed(&moto, &alarm, 2);

    let (ids, code, report) = failing(&moto);
    assert!(ids.is_empty(), "{report:#}");
    assert_eq!(code, Some(0));
    assert_eq!(report["schema_version"], 1);
    let schema: Value =
        serde_json::from_slice(&std::fs::read("schema/posture.schema.json").unwrap()).unwrap();
    let violations = schema::schema_violations(&schema, &report);
    assert!(violations.is_empty(), "{violations:#?}");
    assert_eq!(report["checks"].as_array().unwrap().len(), 14);
    let text = posture(&moto.endpoint, "text");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("PASS     us-east-1     flow2.killswitch-permission"),
        "{text}"
    );
    assert!(text.contains("14 PASS, 0 FAIL, 0 UNKNOWN"), "{text}");

    // Break one part at a time; the failing set grows by exactly that part's check.
    let mut expected = BTreeSet::new();
    let mut broke = |what: &str, checks: &[&str]| {
        expected.extend(checks.iter().map(|c| c.to_string()));
        let check = checks[checks.len() - 1];
        let (ids, code, report) = failing(&moto);
        assert_eq!(ids, expected, "after {what}: {report:#}");
        assert_eq!(code, Some(1), "after {what}");
        let c = posture_check(&report, check).clone();
        assert_eq!(c["status"], "FAIL", "after {what}: {c}");
        c["reason"].as_str().unwrap().to_string()
    };

    rt.block_on(aws.trail().stop_logging().name(TRAIL).send())
        .unwrap();
    assert!(broke("StopLogging", &["trail.logging"]).contains("not logging"));
    rt.block_on(
        aws.trail()
            .update_trail()
            .name(TRAIL)
            .is_multi_region_trail(false)
            .enable_log_file_validation(false)
            .send(),
    )
    .unwrap();
    broke(
        "a single-region trail without validation",
        &["trail.multi-region", "trail.log-file-validation"],
    );
    seed(&moto, &alarm, 180);
    assert!(broke("a stale delivery", &["trail.cloudwatch-logs"]).contains("minutes ago"));
    rt.block_on(
        aws.secrets()
            .delete_secret()
            .secret_id(HONEYTOKEN)
            .force_delete_without_recovery(true)
            .send(),
    )
    .unwrap();
    assert!(broke("deleting the secret", &["honeytoken.secret"]).contains("does not exist"));
    rt.block_on(
        aws.sns()
            .unsubscribe()
            .subscription_arn(&d.alarm_subscription)
            .send(),
    )
    .unwrap();
    broke("unsubscribing the alarm topic", &["flow1.topic"]);
    alarm["ActionsEnabled"] = json!(false);
    seed(&moto, &alarm, 180);
    assert!(broke("disabling the alarm's actions", &["flow1.alarm-action"]).contains("disabled"));
    rt.block_on(
        aws.sns()
            .unsubscribe()
            .subscription_arn(&d.rule_subscription)
            .send(),
    )
    .unwrap();
    broke("unsubscribing the rule topic", &["flow2.topic"]);
    rt.block_on(
        aws.lambda()
            .remove_permission()
            .function_name(FUNCTION)
            .statement_id("HoneytokenRuleInvokes")
            .send(),
    )
    .unwrap();
    broke(
        "removing the invoke permission",
        &["flow2.killswitch-permission"],
    );
    rt.block_on(
        aws_sdk_iam::Client::new(&aws.sdk)
            .put_role_policy()
            .role_name("HoneytokenKillSwitchRole")
            .policy_name("convenience")
            .policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#,
            )
            .send(),
    )
    .unwrap();
    assert!(broke("granting the role iam:*", &["flow2.killswitch-role"])
        .contains("more than it needs: iam:*"));
    rt.block_on(
        aws.events()
            .remove_targets()
            .rule(RULE)
            .ids("HoneytokenKillSwitchLambda")
            .send(),
    )
    .unwrap();
    assert!(
        broke("removing the kill-switch target", &["flow2.killswitch"])
            .contains("no Lambda target")
    );
    // A rule in state ENABLED is not delivered GetSecretValue, a read-only management event
    // (EventBridge User Guide, "Receiving read-only management events from AWS services"): it
    // catches the honeytoken on paper and never fires.
    rt.block_on(
        aws.events()
            .put_rule()
            .name(RULE)
            .event_pattern(PATTERN)
            .state(aws_sdk_eventbridge::types::RuleState::Enabled)
            .send(),
    )
    .unwrap();
    let why = broke("a rule in state ENABLED", &["flow2.rule"]);
    for part in [
        "state ENABLED",
        "read-only management events",
        "Receiving read-only management events from AWS services",
        "aws events put-rule --name HoneytokenSecretAccessRule --state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    ] {
        assert!(why.contains(part), "{part} in {why}");
    }
    rt.block_on(aws.events().disable_rule().name(RULE).send())
        .unwrap();
    let why = broke("disabling the rule", &["flow2.rule"]);
    for part in [
        "is in state DISABLED, in which EventBridge matches no event against it",
        "the rule never fires",
        "aws events put-rule --name HoneytokenSecretAccessRule --state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    ] {
        assert!(why.contains(part), "{part} in {why}");
    }
    alarm["Threshold"] = json!(5.0);
    seed(&moto, &alarm, 180);
    assert!(broke("a threshold of 5", &["flow1.alarm"]).contains("not reached"));
    rt.block_on(replace_filter(
        &aws,
        r#"{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }"#,
    ));
    assert!(broke("a filter on every secret", &["flow1.metric-filter"]).contains("any secret"));
    posture_case::stored_in_case(&moto.endpoint, &expected);
    posture_case::collected_with_the_case(&moto.endpoint, &expected);
    let _ = d.function_arn;
}

#[test]
fn nothing_readable_is_exit_2() {
    // A closed port: every read fails, so the command could not run.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = posture(&format!("http://127.0.0.1:{port}"), "text");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("could not read"), "{err}");
}

/// A honeytoken that is an SSM parameter or an S3 object is read by GetParameter or GetObject,
/// not GetSecretValue: `flow2.rule` tests each rule against the configured honeytoken's own read
/// API. The deployed secret rule catches neither; a rule on the parameter's GetParameter (by
/// name and by ARN) or the object's GetObject passes, and the honeytoken's existence is looked up
/// as a parameter (`honeytoken.parameter`), not as a secret.
#[test]
fn the_rule_is_tested_against_the_honeytokens_own_read_api() {
    let moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let aws = rt.block_on(Aws::new(&moto));
    let d = rt.block_on(deploy(&aws));
    seed(&moto, &alarm(&d.alarm_topic), 2);
    let check = |honeytoken: &str, id: &str| -> Value {
        let (report, _) = posture_json(&moto, &["--honeytoken", honeytoken]);
        posture_check(&report, id).clone()
    };
    let parameter = "ssm:/prod/db/password";
    let rule = check(parameter, "flow2.rule");
    assert_eq!(rule["status"], "FAIL", "{rule:#}");
    assert!(
        rule["reason"]
            .as_str()
            .unwrap()
            .contains("catches a GetParameter of ssm:/prod/db/password"),
        "{rule:#}"
    );
    // No such parameter in this account: looked up by its own kind, not as a secret.
    let exists = check(parameter, "honeytoken.parameter");
    assert_eq!(exists["status"], "FAIL", "{exists:#}");
    assert!(
        exists["reason"]
            .as_str()
            .unwrap()
            .contains("does not exist"),
        "{exists:#}"
    );
    let put = |pattern: &str| rt.block_on(put_rule(&aws, pattern));
    put(
        r#"{"source":["aws.ssm"],"detail":{"eventSource":["ssm.amazonaws.com"],"eventName":["GetParameter"],"requestParameters":{"name":["/prod/db/password",{"suffix":":parameter/prod/db/password"}]}}}"#,
    );
    let rule = check(parameter, "flow2.rule");
    assert_eq!(rule["status"], "PASS", "{rule:#}");
    assert!(
        rule["reason"]
            .as_str()
            .unwrap()
            .contains("by name and by ARN (a GetParameter), not other SSM parameters"),
        "{rule:#}"
    );
    // The same rule does not catch a secret read, the configured default.
    assert_eq!(check(HONEYTOKEN, "flow2.rule")["status"], "FAIL");

    let object = "s3:decoy-bucket/finance/payroll.csv";
    assert_eq!(check(object, "flow2.rule")["status"], "FAIL");
    put(
        r#"{"source":["aws.s3"],"detail":{"eventSource":["s3.amazonaws.com"],"eventName":["GetObject"],"requestParameters":{"bucketName":["decoy-bucket"],"key":["finance/payroll.csv"]}}}"#,
    );
    let rule = check(object, "flow2.rule");
    assert_eq!(rule["status"], "PASS", "{rule:#}");
    assert!(
        rule["reason"]
            .as_str()
            .unwrap()
            .contains("(GetObject), not another S3 object of its bucket"),
        "{rule:#}"
    );
}
