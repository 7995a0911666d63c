//! The planted incident: the compromised `svc-reporting` key, the honeytoken read, the kill-switch's
//! containment, the attempts denied after it and the assumed-role session that keeps working.
//!
//! Times are fixed (2026-11-20, us-east-1); eventIDs come from the incident's own RNG stream, so they
//! are the same in the committed sample and in the scale set built with the same seed.

use crate::identity::*;
use crate::json::J;
use crate::record::{resource, Call};
use crate::rng::{streams, Rng};
use crate::time::{at, iso_z, java, Epoch, HOUR};
use crate::{arr, obj};

/// One incident record, with the name the ground-truth table gives it.
pub struct IncidentEvent {
    pub label: &'static str,
    pub call: Call,
}

/// The incident and which of its events CloudTrail delivers twice.
pub struct Incident {
    pub events: Vec<IncidentEvent>,
    /// Index into `events` of the record that also appears in the next trail file.
    pub duplicated: usize,
}

fn t(h: i64, m: i64, s: i64) -> Epoch {
    at(2026, 11, 20, h, m, s)
}

const CLI_UA: &str =
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/";

fn rust_ua(api: &str) -> String {
    format!("aws-sdk-rust/1.3.9 ua/2.1 api/{api} os/linux lang/rust/1.85.0 exec-env/AWS_Lambda_provided.al2023 m/E")
}

const FAKE_TOKEN: &str =
    "IQoJb3JpZ2luX2VjEXAMPLE//////////SYNTHETIC+SESSION+TOKEN+NOT+A+REAL+CREDENTIAL==";

fn denied(action: &str, resource: Option<&str>) -> String {
    let on = resource
        .map(|r| format!(" on resource: {r}"))
        .unwrap_or_default();
    format!(
        "User: {VICTIM_ARN} is not authorized to perform: {action}{on} with an explicit deny in an identity-based policy"
    )
}

/// Builds the incident's records in time order.
pub fn incident(seed: u64) -> Incident {
    let mut rng = Rng::stream(seed, streams::INCIDENT);
    let mut events = Vec::new();
    let victim = || {
        iam_user(
            VICTIM_USER,
            VICTIM_PRINCIPAL_ID,
            Some(VICTIM_ACCESS_KEY),
            None,
            None,
        )
    };
    let assumed_at = t(13, 59, 30);
    let session = || assumed_role(AUDIT, AUDIT_SESSION, AUDIT_SESSION_KEY, assumed_at, None);
    let ks_created = t(14, 2, 44);
    let killswitch = || {
        assumed_role(
            KILLSWITCH,
            KILLSWITCH_FUNCTION,
            KILLSWITCH_KEY,
            ks_created,
            None,
        )
    };
    let honeytoken = || arr![resource("AWS::SecretsManager::Secret", HONEYTOKEN_ARN)];
    let honeytoken_req = || obj! { "secretId" => HONEYTOKEN_NAME };

    let mut add = |label: &'static str, rng: &mut Rng, build: &dyn Fn(String, String) -> Call| {
        let request_id = rng.uuid_v4();
        let event_id = rng.uuid_v4();
        events.push(IncidentEvent {
            label,
            call: build(request_id, event_id),
        });
    };
    let attacker = |version, identity: J, time, source, name, cmd: &str, rid, eid, ro| {
        Call::api(
            version,
            identity,
            time,
            source,
            name,
            MAIN_REGION,
            ATTACKER_IP,
            format!("{CLI_UA}{cmd}"),
            rid,
            eid,
            ro,
        )
    };
    let contain = |version, time, source, name, api: &str, rid, eid| {
        Call::api(
            version,
            killswitch(),
            time,
            source,
            name,
            MAIN_REGION,
            KILLSWITCH_IP,
            rust_ua(api),
            rid,
            eid,
            false,
        )
    };

    add("reconnaissance: GetCallerIdentity", &mut rng, &|r, e| {
        attacker(
            "1.08",
            victim(),
            t(13, 55, 10),
            "sts.amazonaws.com",
            "GetCallerIdentity",
            "sts.get-caller-identity",
            r,
            e,
            true,
        )
    });
    add(
        "reconnaissance: ListAttachedUserPolicies",
        &mut rng,
        &|r, e| {
            attacker(
                "1.10",
                victim(),
                t(13, 56, 2),
                "iam.amazonaws.com",
                "ListAttachedUserPolicies",
                "iam.list-attached-user-policies",
                r,
                e,
                true,
            )
            .request(obj! { "userName" => VICTIM_USER })
        },
    );
    add("reconnaissance: ListSecrets", &mut rng, &|r, e| {
        attacker(
            "1.09",
            victim(),
            t(13, 57, 40),
            "secretsmanager.amazonaws.com",
            "ListSecrets",
            "secretsmanager.list-secrets",
            r,
            e,
            true,
        )
    });
    add(
        "reconnaissance: DescribeSecret on the honeytoken",
        &mut rng,
        &|r, e| {
            attacker(
                "1.09",
                victim(),
                t(13, 58, 5),
                "secretsmanager.amazonaws.com",
                "DescribeSecret",
                "secretsmanager.describe-secret",
                r,
                e,
                true,
            )
            .request(honeytoken_req())
            .resources(honeytoken())
        },
    );
    let mut token_rng = Rng::stream(seed, streams::INCIDENT ^ 0xA55);
    let audit_session_token = format!("{FAKE_TOKEN}{}", token_rng.hex(8));
    add(
        "persistence: AssumeRole into ReadOnlyAuditRole",
        &mut rng,
        &|r, e| {
            attacker(
                "1.08",
                victim(),
                assumed_at,
                "sts.amazonaws.com",
                "AssumeRole",
                "sts.assume-role",
                r,
                e,
                true,
            )
            .request(obj! {
                "roleArn" => AUDIT_ROLE_ARN,
                "roleSessionName" => AUDIT_SESSION,
                "durationSeconds" => 7200,
            })
            .response(obj! {
                "credentials" => obj! {
                    "accessKeyId" => AUDIT_SESSION_KEY,
                    "sessionToken" => audit_session_token.as_str(),
                    "expiration" => java(assumed_at + 2 * HOUR),
                },
                "assumedRoleUser" => obj! {
                    "assumedRoleId" => format!("{AUDIT_ROLE_ID}:{AUDIT_SESSION}"),
                    "arn" => AUDIT.session_arn(AUDIT_SESSION),
                },
            })
            .resources(arr![resource("AWS::IAM::Role", AUDIT_ROLE_ARN)])
        },
    );
    let read_at = t(14, 2, 17);
    add(
        "honeytoken read: GetSecretValue (first access)",
        &mut rng,
        &|r, e| {
            attacker(
                "1.09",
                victim(),
                read_at,
                "secretsmanager.amazonaws.com",
                "GetSecretValue",
                "secretsmanager.get-secret-value",
                r,
                e,
                true,
            )
            .request(honeytoken_req())
            .resources(honeytoken())
        },
    );
    let version_id = Rng::stream(seed, streams::INCIDENT ^ 0x5EC).uuid_v4();
    add(
        "honeytoken read: KMS Decrypt on behalf of Secrets Manager",
        &mut rng,
        &|r, e| {
            let id = iam_user(
                VICTIM_USER,
                VICTIM_PRINCIPAL_ID,
                Some(VICTIM_ACCESS_KEY),
                None,
                Some("secretsmanager.amazonaws.com"),
            );
            Call::api("1.10", id, read_at, "kms.amazonaws.com", "Decrypt", MAIN_REGION, "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com", r, e, true)
            .request(obj! {
                "encryptionContext" => obj! { "SecretARN" => HONEYTOKEN_ARN, "SecretVersionId" => version_id.as_str() },
                "encryptionAlgorithm" => "SYMMETRIC_DEFAULT",
            })
            .resources(arr![resource("AWS::KMS::Key", SECRETS_KMS_KEY_ARN)])
            .internal()
        },
    );
    add(
        "kill-switch: Lambda cold start obtains role credentials",
        &mut rng,
        &|r, e| {
            Call::api(
                "1.08",
                aws_service("lambda.amazonaws.com"),
                ks_created,
                "sts.amazonaws.com",
                "AssumeRole",
                MAIN_REGION,
                "lambda.amazonaws.com",
                "lambda.amazonaws.com",
                r,
                e,
                true,
            )
            .request(
                obj! { "roleArn" => KILLSWITCH_ROLE_ARN, "roleSessionName" => KILLSWITCH_FUNCTION },
            )
            .response(obj! {
                "credentials" => obj! {
                    "accessKeyId" => KILLSWITCH_KEY,
                    "sessionToken" => format!("{FAKE_TOKEN}ks"),
                    "expiration" => java(ks_created + 12 * HOUR),
                },
                "assumedRoleUser" => obj! {
                    "assumedRoleId" => format!("{KILLSWITCH_ROLE_ID}:{KILLSWITCH_FUNCTION}"),
                    "arn" => KILLSWITCH.session_arn(KILLSWITCH_FUNCTION),
                },
            })
            .resources(arr![resource("AWS::IAM::Role", KILLSWITCH_ROLE_ARN)])
            .internal()
        },
    );
    add(
        "containment start: PutUserPolicy HoneytokenDenyAll",
        &mut rng,
        &|r, e| {
            contain("1.10", t(14, 2, 46), "iam.amazonaws.com", "PutUserPolicy", "iam/1.61.0", r, e).request(obj! {
            "userName" => VICTIM_USER,
            "policyName" => "HoneytokenDenyAll",
            "policyDocument" => "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"HoneytokenKillSwitch\",\n      \"Effect\": \"Deny\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}",
        })
        },
    );
    add(
        "containment: UpdateAccessKey Inactive",
        &mut rng,
        &|r, e| {
            contain(
                "1.10",
                t(14, 2, 47),
                "iam.amazonaws.com",
                "UpdateAccessKey",
                "iam/1.61.0",
                r,
                e,
            )
            .request(obj! {
                "userName" => VICTIM_USER,
                "accessKeyId" => VICTIM_ACCESS_KEY,
                "status" => "Inactive",
            })
        },
    );
    add(
        "containment: DeleteLoginProfile (no console password)",
        &mut rng,
        &|r, e| {
            contain(
                "1.10",
                t(14, 2, 48),
                "iam.amazonaws.com",
                "DeleteLoginProfile",
                "iam/1.61.0",
                r,
                e,
            )
            .request(obj! { "userName" => VICTIM_USER })
            .error(
                "NoSuchEntityException",
                format!("Login Profile for User {VICTIM_USER} cannot be found."),
            )
        },
    );
    let message_id = Rng::stream(seed, streams::INCIDENT ^ 0x5A5).uuid_v4();
    add(
        "containment complete: SNS Publish of the kill-switch result",
        &mut rng,
        &|r, e| {
            sns_publish(
                contain(
                    "1.10",
                    t(14, 2, 49),
                    "sns.amazonaws.com",
                    "Publish",
                    "sns/1.60.0",
                    r,
                    e,
                ),
                &message_id,
            )
        },
    );
    add(
        "post-deny success: ListBuckets (IAM propagation)",
        &mut rng,
        &|_r, e| {
            let mut s3 = Rng::stream(seed, streams::INCIDENT ^ 0x53);
            s3_list_buckets(
                attacker(
                    "1.10",
                    victim(),
                    t(14, 2, 51),
                    "s3.amazonaws.com",
                    "ListBuckets",
                    "s3.ls",
                    s3.hex_upper(16),
                    e,
                    true,
                ),
                &mut s3,
            )
        },
    );
    add(
        "denied: GetSecretValue on the honeytoken (second access)",
        &mut rng,
        &|r, e| {
            attacker(
                "1.09",
                victim(),
                t(14, 3, 5),
                "secretsmanager.amazonaws.com",
                "GetSecretValue",
                "secretsmanager.get-secret-value",
                r,
                e,
                true,
            )
            .request(honeytoken_req())
            .resources(honeytoken())
            .error(
                "AccessDenied",
                denied("secretsmanager:GetSecretValue", Some(HONEYTOKEN_NAME)),
            )
        },
    );
    add(
        "kill-switch second run: GetUserPolicy finds HoneytokenDenyAll",
        &mut rng,
        &|r, e| {
            let mut c = contain(
                "1.10",
                t(14, 3, 33),
                "iam.amazonaws.com",
                "GetUserPolicy",
                "iam/1.61.0",
                r,
                e,
            )
            .request(obj! { "userName" => VICTIM_USER, "policyName" => "HoneytokenDenyAll" });
            c.read_only = true;
            c
        },
    );
    let message_id2 = Rng::stream(seed, streams::INCIDENT ^ 0x5A6).uuid_v4();
    add(
        "kill-switch second run: SNS Publish (already contained)",
        &mut rng,
        &|r, e| {
            sns_publish(
                contain(
                    "1.10",
                    t(14, 3, 34),
                    "sns.amazonaws.com",
                    "Publish",
                    "sns/1.60.0",
                    r,
                    e,
                ),
                &message_id2,
            )
        },
    );
    add("denied: CreateAccessKey", &mut rng, &|r, e| {
        attacker(
            "1.10",
            victim(),
            t(14, 3, 40),
            "iam.amazonaws.com",
            "CreateAccessKey",
            "iam.create-access-key",
            r,
            e,
            false,
        )
        .request(obj! { "userName" => VICTIM_USER })
        .error(
            "AccessDenied",
            denied("iam:CreateAccessKey", Some(&format!("user {VICTIM_USER}"))),
        )
    });
    add("denied: DescribeInstances", &mut rng, &|r, e| {
        attacker(
            "1.10",
            victim(),
            t(14, 4, 10),
            "ec2.amazonaws.com",
            "DescribeInstances",
            "ec2.describe-instances",
            r,
            e,
            true,
        )
        .request(obj! { "instancesSet" => obj! {}, "filterSet" => obj! {} })
        .error(
            "Client.UnauthorizedOperation",
            format!(
                "You are not authorized to perform this operation. {}",
                denied("ec2:DescribeInstances", None)
            ),
        )
    });
    add(
        "assumed-role session: ListBuckets succeeds",
        &mut rng,
        &|_r, e| {
            let mut s3 = Rng::stream(seed, streams::INCIDENT ^ 0x54);
            s3_list_buckets(
                attacker(
                    "1.10",
                    session(),
                    t(14, 6, 30),
                    "s3.amazonaws.com",
                    "ListBuckets",
                    "s3.ls",
                    s3.hex_upper(16),
                    e,
                    true,
                ),
                &mut s3,
            )
        },
    );
    add(
        "assumed-role session: DescribeInstances succeeds",
        &mut rng,
        &|r, e| {
            attacker(
                "1.10",
                session(),
                t(14, 7, 12),
                "ec2.amazonaws.com",
                "DescribeInstances",
                "ec2.describe-instances",
                r,
                e,
                true,
            )
            .request(obj! { "instancesSet" => obj! {}, "filterSet" => obj! {} })
        },
    );
    add(
        "assumed-role session: ListSecrets succeeds",
        &mut rng,
        &|r, e| {
            attacker(
                "1.09",
                session(),
                t(14, 9, 0),
                "secretsmanager.amazonaws.com",
                "ListSecrets",
                "secretsmanager.list-secrets",
                r,
                e,
                true,
            )
        },
    );

    let duplicated = events
        .iter()
        .position(|e| e.call.time == read_at && e.call.name == "GetSecretValue")
        .expect("the honeytoken read is planted above");
    Incident { events, duplicated }
}

/// SNS Publish is a data event: the trail logs it through its advanced event selector for the
/// honeytoken topics, and CloudTrail hides the message body.
fn sns_publish(c: Call, message_id: &str) -> Call {
    let mut c = c
        .request(obj! {
            "topicArn" => RESULTS_TOPIC_ARN,
            "message" => "HIDDEN_DUE_TO_SECURITY_REASONS",
            "subject" => "HIDDEN_DUE_TO_SECURITY_REASONS",
        })
        .response(obj! { "messageId" => message_id })
        .resources(arr![resource("AWS::SNS::Topic", RESULTS_TOPIC_ARN)]);
    c.management = false;
    c
}

/// S3 ListBuckets as the CLI's `aws s3 ls` makes it.
pub fn s3_list_buckets(c: Call, rng: &mut Rng) -> Call {
    let host = format!("s3.{MAIN_REGION}.amazonaws.com");
    c.request(obj! { "Host" => host.as_str() })
        .additional(s3_additional(rng, 0, 1871))
        .host(host)
}

/// The `additionalEventData` S3 writes on every request.
pub fn s3_additional(rng: &mut Rng, bytes_in: i64, bytes_out: i64) -> J {
    obj! {
        "SignatureVersion" => "SigV4",
        "CipherSuite" => "TLS_AES_128_GCM_SHA256",
        "bytesTransferredIn" => bytes_in,
        "AuthenticationMethod" => "AuthHeader",
        "x-amz-id-2" => format!("{}=", rng.alnum(75)),
        "bytesTransferredOut" => bytes_out,
    }
}

/// The ground truth, for the README: one line per incident event.
pub fn truth_table(incident: &Incident) -> String {
    let mut out = String::from("| eventTime (UTC) | event | eventSource / eventName | errorCode | eventID |\n|---|---|---|---|---|\n");
    for e in &incident.events {
        let c = &e.call;
        out.push_str(&format!(
            "| {} | {} | {} / {} | {} | `{}` |\n",
            iso_z(c.time),
            e.label,
            c.source.trim_end_matches(".amazonaws.com"),
            c.name,
            c.error.as_ref().map_or("", |(code, _)| code),
            c.event_id
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incident_is_fixed_by_the_seed_alone() {
        let a = incident(20_261_120);
        let b = incident(20_261_120);
        let ids = |i: &Incident| {
            i.events
                .iter()
                .map(|e| e.call.event_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b));
        let read = &a.events[a.duplicated].call;
        assert_eq!(
            (read.name, iso_z(read.time).as_str()),
            ("GetSecretValue", "2026-11-20T14:02:17Z")
        );
        assert!(
            a.events
                .windows(2)
                .all(|w| w[0].call.time <= w[1].call.time),
            "in time order"
        );
    }
}
