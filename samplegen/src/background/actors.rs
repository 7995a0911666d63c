//! The background actors' calls: the CI deploy role, the admin `alice` in the console, the orders
//! Lambda's secret reads, a monitoring collector, AWS services acting on their own, and the occasional
//! AccessDenied. Each function returns one record for a given instant; the caller chooses when.

use crate::identity::*;
use crate::json::J;
use crate::record::{resource, Call};
use crate::rng::{Rng, Stream};
use crate::scenario::{s3_additional, s3_list_buckets};
use crate::time::{java, Epoch, HOUR};
use crate::{arr, obj};

/// What a background call needs besides the instant.
pub struct Ctx<'a> {
    pub seed: u64,
    pub region: &'static str,
    pub rng: &'a mut Rng,
    /// When alice's current console session started, if she is signed in.
    pub alice_since: Option<Epoch>,
}

const CI_IP_PREFIX: &str = "192.0.2.";
const ALICE_IP: &str = "198.51.100.23";
const OBSERVABILITY_IP: &str = "192.0.2.200";
pub const ALICE_PRINCIPAL_ID: &str = "AIDA4EXAMPLEALICE0ADM";
const BROWSER_UA: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const ORDERS_UA: &str = "aws-sdk-js/3.637.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.17.0 api/secrets-manager#3.637.0 exec-env/AWS_Lambda_nodejs20.x";
const ARTIFACT_BUCKET: &str = "example-corp-deploy-artifacts-123456789012";

fn ci_ua(command: &str) -> String {
    format!("aws-cli/2.17.42 md/awscrt#0.21.2 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#{command}")
}

fn go_ua(api: &str) -> String {
    format!("aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/{api}")
}

/// A temporary key that changes every `period`: a role session's ASIA key and when it was issued.
fn session_key(seed: u64, actor: u64, t: Epoch, period: Epoch) -> (String, Epoch) {
    let bucket = t.div_euclid(period);
    let mut r = Rng::derived(seed, Stream::Session { actor, bucket });
    let key = format!("ASIA4EXAMPLE{}", r.key_chars(9));
    (key, bucket * period + r.range(3, 90))
}

/// GitHub Actions runs: a new session every hour, from a runner address in 192.0.2.0/24.
fn ci_identity(cx: &Ctx, t: Epoch, invoked_by: Option<&str>) -> (J, String) {
    let (key, created) = session_key(cx.seed, 1, t, HOUR);
    let ip = format!("{CI_IP_PREFIX}{}", 10 + created % 37);
    (
        assumed_role(CI_ROLE, "GitHubActions", &key, created, invoked_by),
        ip,
    )
}

fn ids(cx: &mut Ctx) -> (String, String) {
    (cx.rng.uuid_v4(), cx.rng.uuid_v4())
}

pub fn ci_cloudformation(cx: &mut Ctx, t: Epoch) -> Call {
    let (id, ip) = ci_identity(cx, t, None);
    let stacks = [
        "orders-api-prod",
        "orders-api-staging",
        "shared-network",
        "honeytoken-monitoring",
    ];
    let stack = *cx.rng.pick(&stacks);
    let (name, cmd, req) = match cx.rng.below(5) {
        0 => (
            "DescribeStacks",
            "cloudformation.describe-stacks",
            obj! { "stackName" => stack },
        ),
        1 => (
            "DescribeStackEvents",
            "cloudformation.describe-stack-events",
            obj! { "stackName" => stack },
        ),
        2 => (
            "GetTemplate",
            "cloudformation.get-template",
            obj! { "stackName" => stack, "templateStage" => "Original" },
        ),
        3 => (
            "DescribeStackResources",
            "cloudformation.describe-stack-resources",
            obj! { "stackName" => stack },
        ),
        _ => (
            "ListStacks",
            "cloudformation.list-stacks",
            obj! { "stackStatusFilter" => arr!["CREATE_COMPLETE", "UPDATE_COMPLETE"] },
        ),
    };
    let (rid, eid) = ids(cx);
    Call::api(
        "1.10",
        id,
        t,
        "cloudformation.amazonaws.com",
        name,
        cx.region,
        ip,
        ci_ua(cmd),
        rid,
        eid,
        true,
    )
    .request(req)
}

pub fn ci_s3(cx: &mut Ctx, t: Epoch) -> Call {
    let (id, ip) = ci_identity(cx, t, None);
    let bucket = format!("{ARTIFACT_BUCKET}-{}", cx.region);
    let host = format!("{bucket}.s3.{}.amazonaws.com", cx.region);
    let rid = cx.rng.hex_upper(16);
    let eid = cx.rng.uuid_v4();
    let which = cx.rng.below(4);
    if which == 3 {
        let c = Call::api(
            "1.10",
            id,
            t,
            "s3.amazonaws.com",
            "ListBuckets",
            cx.region,
            ip,
            ci_ua("s3.ls"),
            rid,
            eid,
            true,
        );
        return s3_list_buckets(c, cx.rng);
    }
    let (name, cmd, sub) = [
        ("GetBucketLocation", "s3api.get-bucket-location", "location"),
        (
            "GetBucketVersioning",
            "s3api.get-bucket-versioning",
            "versioning",
        ),
        ("GetBucketPolicy", "s3api.get-bucket-policy", "policy"),
    ][which as usize];
    let mut req = obj! { "bucketName" => bucket.as_str(), "Host" => host.as_str() };
    req.push(sub, "");
    let out = cx.rng.range(180, 900);
    Call::api(
        "1.10",
        id,
        t,
        "s3.amazonaws.com",
        name,
        cx.region,
        ip,
        ci_ua(cmd),
        rid,
        eid,
        true,
    )
    .request(req)
    .additional(s3_additional(cx.rng, 0, out))
    .resources(arr![resource(
        "AWS::S3::Bucket",
        &format!("arn:aws:s3:::{bucket}")
    )])
    .host(host)
}

pub fn ci_lambda(cx: &mut Ctx, t: Epoch) -> Call {
    let (id, ip) = ci_identity(cx, t, None);
    let functions = ["orders-api", "orders-worker", "HoneytokenKillSwitch"];
    let f = *cx.rng.pick(&functions);
    let (name, cmd, req) = match cx.rng.below(3) {
        0 => (
            "GetFunction20150331v2",
            "lambda.get-function",
            obj! { "functionName" => f },
        ),
        1 => (
            "GetFunctionConfiguration20150331v2",
            "lambda.get-function-configuration",
            obj! { "functionName" => f },
        ),
        _ => (
            "ListVersionsByFunction20150331",
            "lambda.list-versions-by-function",
            obj! { "functionName" => f },
        ),
    };
    let (rid, eid) = ids(cx);
    Call::api(
        "1.09",
        id,
        t,
        "lambda.amazonaws.com",
        name,
        cx.region,
        ip,
        ci_ua(cmd),
        rid,
        eid,
        true,
    )
    .request(req)
}

/// IAM is global: only ever recorded in us-east-1.
pub fn ci_iam(cx: &mut Ctx, t: Epoch) -> Call {
    let via_cfn = cx.rng.chance(300);
    let (id, ip) = ci_identity(cx, t, via_cfn.then_some("cloudformation.amazonaws.com"));
    let roles = [
        "orders-api-role",
        "orders-worker-role",
        "HoneytokenKillSwitchRole",
    ];
    let role = *cx.rng.pick(&roles);
    let (name, cmd, req) = match cx.rng.below(4) {
        0 => ("GetRole", "iam.get-role", obj! { "roleName" => role }),
        1 => (
            "ListRolePolicies",
            "iam.list-role-policies",
            obj! { "roleName" => role },
        ),
        2 => (
            "ListAttachedRolePolicies",
            "iam.list-attached-role-policies",
            obj! { "roleName" => role },
        ),
        _ => (
            "GetRolePolicy",
            "iam.get-role-policy",
            obj! { "roleName" => role, "policyName" => "inline-runtime" },
        ),
    };
    let (rid, eid) = ids(cx);
    let c = Call::api(
        "1.10",
        id,
        t,
        "iam.amazonaws.com",
        name,
        MAIN_REGION,
        ip,
        ci_ua(cmd),
        rid,
        eid,
        true,
    )
    .request(req);
    if via_cfn {
        let mut c = c.internal();
        c.ip = "cloudformation.amazonaws.com".into();
        c.user_agent = "cloudformation.amazonaws.com".into();
        c
    } else {
        c
    }
}

/// The admin in the console; `None` when she is not signed in.
pub fn alice_console(cx: &mut Ctx, t: Epoch) -> Option<Call> {
    let since = cx.alice_since?;
    let (key, _) = session_key(cx.seed, 4, since, 12 * HOUR);
    let id = iam_user("alice", ALICE_PRINCIPAL_ID, Some(&key), Some(since), None);
    let (source, name, req) = match cx.rng.below(6) {
        0 => (
            "ec2.amazonaws.com",
            "DescribeInstances",
            obj! { "instancesSet" => obj! {}, "filterSet" => obj! {} },
        ),
        1 => (
            "ec2.amazonaws.com",
            "DescribeSecurityGroups",
            obj! { "securityGroupSet" => obj! {}, "securityGroupIdSet" => obj! {}, "filterSet" => obj! {} },
        ),
        2 => (
            "ec2.amazonaws.com",
            "DescribeVpcs",
            obj! { "vpcSet" => obj! {}, "filterSet" => obj! {} },
        ),
        3 => (
            "monitoring.amazonaws.com",
            "DescribeAlarms",
            obj! { "maxRecords" => 100 },
        ),
        4 => (
            "cloudtrail.amazonaws.com",
            "DescribeTrails",
            obj! { "includeShadowTrails" => true },
        ),
        _ => (
            "secretsmanager.amazonaws.com",
            "ListSecrets",
            obj! { "maxResults" => 100 },
        ),
    };
    let (rid, eid) = ids(cx);
    let mut c = Call::api(
        "1.10", id, t, source, name, cx.region, ALICE_IP, BROWSER_UA, rid, eid, true,
    )
    .request(req);
    c.from_console = true;
    Some(c)
}

/// alice's sign-in (a console event: no access key, no requestID).
pub fn alice_login(cx: &mut Ctx, t: Epoch) -> Call {
    let id = iam_user("alice", ALICE_PRINCIPAL_ID, None, None, None);
    let eid = cx.rng.uuid_v4();
    let mut c = Call::api("1.09", id, t, "signin.amazonaws.com", "ConsoleLogin", MAIN_REGION, ALICE_IP, BROWSER_UA, String::new(), eid, false)
        .response(obj! { "ConsoleLogin" => "Success" })
        .additional(obj! {
            "LoginTo" => "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_3f1c9d2b8e7a6f50",
            "MobileVersion" => "No",
            "MFAIdentifier" => format!("arn:aws:iam::{ACCOUNT}:mfa/alice-yubikey"),
            "MFAUsed" => "Yes",
        });
    c.request_id = None;
    c.event_type = "AwsConsoleSignIn";
    c
}

/// The orders Lambda reads its API key: legitimate GetSecretValue traffic all day.
pub fn orders_secret_read(cx: &mut Ctx, t: Epoch) -> [Call; 2] {
    let (key, created) = session_key(cx.seed, 2, t, 6 * HOUR);
    let ip = format!("10.20.{}.{}", 1 + created % 3, 10 + created % 200);
    let (rid, eid) = ids(cx);
    let mut read = Call::api(
        "1.09",
        assumed_role(ORDERS_ROLE, "orders-api", &key, created, None),
        t,
        "secretsmanager.amazonaws.com",
        "GetSecretValue",
        MAIN_REGION,
        ip,
        ORDERS_UA,
        rid,
        eid,
        true,
    )
    .request(obj! { "secretId" => APP_SECRET_ARN })
    .resources(arr![resource(
        "AWS::SecretsManager::Secret",
        APP_SECRET_ARN
    )]);
    read.vpc_endpoint = Some("vpce-0a1b2c3d4e5f60718");
    let (rid, eid) = ids(cx);
    let decrypt_id = assumed_role(
        ORDERS_ROLE,
        "orders-api",
        &key,
        created,
        Some("secretsmanager.amazonaws.com"),
    );
    let decrypt = Call::api("1.10", decrypt_id, t, "kms.amazonaws.com", "Decrypt", MAIN_REGION, "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com", rid, eid, true)
        .request(obj! {
            "encryptionContext" => obj! { "SecretARN" => APP_SECRET_ARN, "SecretVersionId" => "6a5f7c9e-2b41-4d8a-9e3c-0f1b2a3c4d5e" },
            "encryptionAlgorithm" => "SYMMETRIC_DEFAULT",
        })
        .resources(arr![resource("AWS::KMS::Key", SECRETS_KMS_KEY_ARN)])
        .internal();
    [read, decrypt]
}

/// An AWS service assuming a role on the account's behalf (Lambda for its functions, CloudTrail for
/// its CloudWatch Logs delivery role).
pub fn service_assume_role(
    cx: &mut Ctx,
    t: Epoch,
    service: &str,
    role: Role,
    session: &str,
    actor: u64,
    period: Epoch,
) -> Call {
    let (key, _) = session_key(cx.seed, actor, t + 120, period);
    let (rid, eid) = ids(cx);
    let token = cx.rng.alnum(40);
    Call::api(
        "1.08",
        aws_service(service),
        t,
        "sts.amazonaws.com",
        "AssumeRole",
        cx.region,
        service.to_owned(),
        service.to_owned(),
        rid,
        eid,
        true,
    )
    .request(obj! { "roleArn" => role.arn(), "roleSessionName" => session })
    .response(obj! {
        "credentials" => obj! {
            "accessKeyId" => key.as_str(),
            "sessionToken" => format!("IQoJb3JpZ2luX2VjEXAMPLE{token}"),
            "expiration" => java(t + period + HOUR),
        },
        "assumedRoleUser" => obj! {
            "assumedRoleId" => format!("{}:{session}", role.id),
            "arn" => role.session_arn(session),
        },
    })
    .resources(arr![resource("AWS::IAM::Role", &role.arn())])
    .internal()
}

/// KMS rotates the secrets key on its own: an AwsServiceEvent.
pub fn kms_rotation(cx: &mut Ctx, t: Epoch) -> Call {
    let eid = cx.rng.uuid_v4();
    let mut c = Call::api(
        "1.08",
        service_event("kms.amazonaws.com"),
        t,
        "kms.amazonaws.com",
        "RotateKey",
        MAIN_REGION,
        "kms.amazonaws.com",
        "kms.amazonaws.com",
        String::new(),
        eid,
        false,
    )
    .resources(arr![resource("AWS::KMS::Key", SECRETS_KMS_KEY_ARN)])
    .internal();
    c.request_id = None;
    c.event_type = "AwsServiceEvent";
    c.service_event_details = Some(obj! { "keyId" => "0f4c1e2a-7b3d-4e8f-9a61-5c2d8e7b1a90" });
    c
}

/// A monitoring collector polling inventory and metrics.
pub fn observability(cx: &mut Ctx, t: Epoch) -> Call {
    let (key, created) = session_key(cx.seed, 3, t, HOUR);
    let id = assumed_role(OBSERVABILITY_ROLE, "collector", &key, created, None);
    let (source, name, api, req) = match cx.rng.below(5) {
        0 => (
            "ec2.amazonaws.com",
            "DescribeInstances",
            "ec2#1.173.0",
            obj! { "instancesSet" => obj! {}, "filterSet" => obj! {}, "maxResults" => 1000 },
        ),
        1 => (
            "ec2.amazonaws.com",
            "DescribeVolumes",
            "ec2#1.173.0",
            obj! { "volumeSet" => obj! {}, "filterSet" => obj! {}, "maxResults" => 500 },
        ),
        2 => (
            "ec2.amazonaws.com",
            "DescribeSecurityGroups",
            "ec2#1.173.0",
            obj! { "securityGroupSet" => obj! {}, "securityGroupIdSet" => obj! {}, "filterSet" => obj! {} },
        ),
        3 => (
            "monitoring.amazonaws.com",
            "GetMetricData",
            "cloudwatch#1.40.3",
            obj! {
                "startTime" => java(t - 600),
                "endTime" => java(t),
                "maxDatapoints" => 100800,
            },
        ),
        _ => (
            "sts.amazonaws.com",
            "GetCallerIdentity",
            "sts#1.30.3",
            J::Null,
        ),
    };
    let (rid, eid) = ids(cx);
    let c = Call::api(
        "1.10",
        id,
        t,
        source,
        name,
        cx.region,
        OBSERVABILITY_IP,
        go_ua(api),
        rid,
        eid,
        true,
    )
    .request(req);
    if source == "sts.amazonaws.com" {
        // A regional STS endpoint, so the call is recorded in the caller's region.
        let host = format!("sts.{}.amazonaws.com", cx.region);
        let mut c = c.host(host);
        c.version = "1.08";
        return c;
    }
    c
}

/// Permissions that were never granted: noise that must not be mistaken for the incident.
pub fn access_denied(cx: &mut Ctx, t: Epoch) -> Call {
    if cx.rng.chance(500) {
        let (key, created) = session_key(cx.seed, 3, t, HOUR);
        let who = OBSERVABILITY_ROLE.session_arn("collector");
        let (rid, eid) = ids(cx);
        Call::api("1.09", assumed_role(OBSERVABILITY_ROLE, "collector", &key, created, None), t, "lambda.amazonaws.com", "ListFunctions20150331", cx.region, OBSERVABILITY_IP, go_ua("lambda#1.62.1"), rid, eid, true)
            .error("AccessDenied", format!("User: {who} is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action"))
    } else {
        let (id, ip) = ci_identity(cx, t, None);
        let who = CI_ROLE.session_arn("GitHubActions");
        let (rid, eid) = ids(cx);
        Call::api("1.09", id, t, "secretsmanager.amazonaws.com", "DescribeSecret", cx.region, ip, ci_ua("secretsmanager.describe-secret"), rid, eid, true)
            .request(obj! { "secretId" => "prod/orders/db-migrations" })
            .error("AccessDeniedException", format!("User: {who} is not authorized to perform: secretsmanager:DescribeSecret on resource: prod/orders/db-migrations because no identity-based policy allows the secretsmanager:DescribeSecret action"))
    }
}

/// The compromised `svc-reporting` key at its everyday work (`--busy-actor`): a reporting job
/// that reads metrics and lists buckets from its own host, so the incident's principal has
/// calls in many files before the incident, as a CI user or an active developer would.
pub fn reporting_job(cx: &mut Ctx, t: Epoch) -> Call {
    let id = iam_user(
        VICTIM_USER,
        VICTIM_PRINCIPAL_ID,
        Some(VICTIM_ACCESS_KEY),
        None,
        None,
    );
    let (rid, eid) = ids(cx);
    let (region, list) = (cx.region, cx.rng.below(3) == 0);
    let c = |source, name, api| {
        Call::api(
            "1.10",
            id.clone(),
            t,
            source,
            name,
            region,
            REPORTING_IP,
            go_ua(api),
            rid.clone(),
            eid.clone(),
            true,
        )
    };
    if list {
        return c("s3.amazonaws.com", "ListBuckets", "s3#1.58.3");
    }
    c(
        "monitoring.amazonaws.com",
        "GetMetricData",
        "cloudwatch#1.40.3",
    )
    .request(obj! {
        "startTime" => java(t - 3600),
        "endTime" => java(t),
        "maxDatapoints" => 1440,
    })
}

/// Where the reporting job runs (not the attacker's address).
const REPORTING_IP: &str = "192.0.2.77";
