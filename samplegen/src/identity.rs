//! Who acts in the sample: the account, its fixed principals and the `userIdentity` shapes CloudTrail
//! writes for them (IAMUser, AssumedRole, AWSService, and the typeless identity of AwsServiceEvent).
//! Pure data; no randomness except what the caller passes in.

use crate::json::J;
use crate::obj;
use crate::time::{iso_z, Epoch};

pub const ACCOUNT: &str = "123456789012";
pub const MAIN_REGION: &str = "us-east-1";

/// The honeytoken: a decoy secret nobody legitimate reads.
pub const HONEYTOKEN_NAME: &str = "Production_Database_Credentials";
pub const HONEYTOKEN_ARN: &str =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:Production_Database_Credentials-Xy12Ab";
/// The application secret the orders Lambda reads all day long.
pub const APP_SECRET_ARN: &str =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/orders/api-key-AbCdEf";
pub const SECRETS_KMS_KEY_ARN: &str =
    "arn:aws:kms:us-east-1:123456789012:key/0f4c1e2a-7b3d-4e8f-9a61-5c2d8e7b1a90";

/// The compromised long-term credentials.
pub const VICTIM_USER: &str = "svc-reporting";
pub const VICTIM_ARN: &str = "arn:aws:iam::123456789012:user/svc-reporting";
pub const VICTIM_PRINCIPAL_ID: &str = "AIDA4EXAMPLESVCREPT7Q";
pub const VICTIM_ACCESS_KEY: &str = "AKIA4EXAMPLESVCREPT7Q";
pub const ATTACKER_IP: &str = "203.0.113.45";

/// The role the attacker assumed and the session it got.
pub const AUDIT_ROLE: &str = "ReadOnlyAuditRole";
pub const AUDIT_ROLE_ARN: &str = "arn:aws:iam::123456789012:role/ReadOnlyAuditRole";
pub const AUDIT_ROLE_ID: &str = "AROA4EXAMPLEAUDITRL3X";
pub const AUDIT_SESSION: &str = "svc-reporting-session";
pub const AUDIT_SESSION_KEY: &str = "ASIA4EXAMPLEAUDITSS5K";

/// The kill-switch Lambda's role and session.
pub const KILLSWITCH_ROLE: &str = "HoneytokenKillSwitchRole";
pub const KILLSWITCH_ROLE_ARN: &str = "arn:aws:iam::123456789012:role/HoneytokenKillSwitchRole";
pub const KILLSWITCH_ROLE_ID: &str = "AROA4EXAMPLEKILLSW9TC";
pub const KILLSWITCH_FUNCTION: &str = "HoneytokenKillSwitch";
pub const KILLSWITCH_KEY: &str = "ASIA4EXAMPLEKILLSW2ZB";
pub const KILLSWITCH_IP: &str = "3.236.71.18";
pub const KILLSWITCH_FUNCTION_ARN: &str =
    "arn:aws:lambda:us-east-1:123456789012:function:HoneytokenKillSwitch";

pub const RESULTS_TOPIC_ARN: &str =
    "arn:aws:sns:us-east-1:123456789012:honeytoken-killswitch-results";
pub const ALARM_TOPIC_ARN: &str = "arn:aws:sns:us-east-1:123456789012:honeytoken-alarm-email";
pub const EVENTBRIDGE_TOPIC_ARN: &str =
    "arn:aws:sns:us-east-1:123456789012:honeytoken-eventbridge-alerts";

/// An IAM role and the stable part of its sessions' identity.
#[derive(Clone, Copy)]
pub struct Role {
    pub name: &'static str,
    pub id: &'static str,
}

impl Role {
    pub fn arn(&self) -> String {
        format!("arn:aws:iam::{ACCOUNT}:role/{}", self.name)
    }
    pub fn session_arn(&self, session: &str) -> String {
        format!(
            "arn:aws:sts::{ACCOUNT}:assumed-role/{}/{session}",
            self.name
        )
    }
}

pub const CI_ROLE: Role = Role {
    name: "github-actions-deploy",
    id: "AROA4EXAMPLEGHADEP2LM",
};
pub const ORDERS_ROLE: Role = Role {
    name: "orders-api-role",
    id: "AROA4EXAMPLEORDERS6NP",
};
pub const OBSERVABILITY_ROLE: Role = Role {
    name: "observability-readonly",
    id: "AROA4EXAMPLEOBSRVB8QR",
};
pub const AUDIT: Role = Role {
    name: AUDIT_ROLE,
    id: AUDIT_ROLE_ID,
};
pub const KILLSWITCH: Role = Role {
    name: KILLSWITCH_ROLE,
    id: KILLSWITCH_ROLE_ID,
};
pub const TRAIL_LOGS_ROLE: Role = Role {
    name: "CloudTrailRoleForCloudWatchLogs_management-events",
    id: "AROA4EXAMPLECTLOGS4HD",
};

/// `userIdentity` of an IAM user calling with an access key (console sessions pass `console_since`).
pub fn iam_user(
    name: &str,
    principal_id: &str,
    access_key: Option<&str>,
    console_since: Option<Epoch>,
    invoked_by: Option<&str>,
) -> J {
    let mut u = obj! {
        "type" => "IAMUser",
        "principalId" => principal_id,
        "arn" => format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        "accountId" => ACCOUNT,
    };
    if let Some(k) = access_key {
        u.push("accessKeyId", k);
    }
    u.push("userName", name);
    if let Some(since) = console_since {
        u.push(
            "sessionContext",
            obj! { "attributes" => obj! { "creationDate" => iso_z(since), "mfaAuthenticated" => "true" } },
        );
    }
    if let Some(svc) = invoked_by {
        u.push("invokedBy", svc);
    }
    u
}

/// `userIdentity` of a role session.
pub fn assumed_role(
    role: Role,
    session: &str,
    access_key: &str,
    created: Epoch,
    invoked_by: Option<&str>,
) -> J {
    let mut u = obj! {
        "type" => "AssumedRole",
        "principalId" => format!("{}:{session}", role.id),
        "arn" => role.session_arn(session),
        "accountId" => ACCOUNT,
        "accessKeyId" => access_key,
        "sessionContext" => obj! {
            "sessionIssuer" => obj! {
                "type" => "Role",
                "principalId" => role.id,
                "arn" => role.arn(),
                "accountId" => ACCOUNT,
                "userName" => role.name,
            },
            "attributes" => obj! { "creationDate" => iso_z(created), "mfaAuthenticated" => "false" },
        },
    };
    if let Some(svc) = invoked_by {
        u.push("invokedBy", svc);
    }
    u
}

/// `userIdentity` of an AWS service acting with its own credentials.
pub fn aws_service(service: &str) -> J {
    obj! { "type" => "AWSService", "invokedBy" => service }
}

/// `userIdentity` of an AwsServiceEvent: no `type`, only the account and the service.
pub fn service_event(service: &str) -> J {
    obj! { "accountId" => ACCOUNT, "invokedBy" => service }
}
