//! The EventBridge "AWS API Call via CloudTrail" event, reduced to what containment needs: who
//! called (from `detail.userIdentity`) and which call it was.

use serde_json::Value;

pub use trailcase_common::killswitch::{Caller, Trigger};

fn text(v: &Value, pointer: &str) -> Option<String> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The CloudTrail record of an EventBridge event (`detail`), or the event itself when it is a
/// bare record.
pub fn record(event: &Value) -> &Value {
    event.get("detail").unwrap_or(event)
}

pub fn trigger(event: &Value) -> Trigger {
    let r = record(event);
    Trigger {
        event_id: text(r, "/eventID"),
        event_time: text(r, "/eventTime").or_else(|| text(event, "/time")),
        event_source: text(r, "/eventSource"),
        event_name: text(r, "/eventName"),
        aws_region: text(r, "/awsRegion"),
        source_ip_address: text(r, "/sourceIPAddress"),
        user_agent: text(r, "/userAgent"),
        secret_id: text(r, "/requestParameters/secretId"),
        access_key_id: text(r, "/userIdentity/accessKeyId"),
    }
}

/// The AWS service a principal's call was made through (`userIdentity.invokedBy` beside an IAM
/// user's or role session's identity), for the result's summary.
pub fn through_service(event: &Value) -> Option<String> {
    let id = record(event).get("userIdentity")?;
    matches!(
        text(id, "/type").as_deref(),
        Some("IAMUser" | "AssumedRole")
    )
    .then(|| text(id, "/invokedBy"))
    .flatten()
}

/// The caller of the event, `None` when the event names no identity at all.
pub fn caller(event: &Value) -> Option<Caller> {
    let id = record(event).get("userIdentity")?;
    let kind = text(id, "/type").unwrap_or_default();
    // `invokedBy` names a service that made the call; with a principal's type (an IAM user or a
    // role session, through a forward access session: CloudFormation resolving a dynamic
    // reference, Athena reading S3) the principal's credentials made it, and the principal is
    // contained. Only a caller that is no principal is the service itself.
    let principal = matches!(kind.as_str(), "IAMUser" | "AssumedRole" | "Root");
    if let (false, Some(service)) = (principal, text(id, "/invokedBy")) {
        return Some(Caller::AwsService { name: service });
    }
    let arn = text(id, "/arn");
    Some(match kind.as_str() {
        "IAMUser" => match (arn.clone(), text(id, "/userName")) {
            (Some(arn), Some(user_name)) => Caller::IamUser { arn, user_name },
            _ => Caller::Other {
                identity_type: kind,
                arn,
            },
        },
        "AssumedRole" => {
            let issuer = "/sessionContext/sessionIssuer";
            match (
                arn.clone(),
                text(id, &format!("{issuer}/arn")),
                text(id, &format!("{issuer}/userName")),
            ) {
                (Some(arn), Some(role_arn), Some(role_name)) => Caller::AssumedRole {
                    arn,
                    role_arn,
                    role_name,
                    session_issued: text(id, "/sessionContext/attributes/creationDate"),
                    source_identity: text(id, "/sessionContext/sourceIdentity")
                        .or_else(|| text(record(event), "/sourceIdentity")),
                },
                _ => Caller::Other {
                    identity_type: kind,
                    arn,
                },
            }
        }
        "Root" => Caller::Root { arn },
        "AWSService" => Caller::AwsService {
            name: text(id, "/principalId").unwrap_or_else(|| "unknown service".into()),
        },
        _ => Caller::Other {
            identity_type: kind,
            arn,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_role_session_names_its_role_and_source_identity() {
        let e = json!({"detail": {"userIdentity": {
            "type": "AssumedRole",
            "arn": "arn:aws:sts::1:assumed-role/Audit/s",
            "sessionContext": {
                "sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::1:role/Audit", "userName": "Audit"},
                "attributes": {"creationDate": "2026-11-20T13:59:30Z"},
                "sourceIdentity": "alice"
            }
        }}});
        let Some(Caller::AssumedRole {
            role_name,
            source_identity,
            session_issued,
            ..
        }) = caller(&e)
        else {
            panic!("an assumed role")
        };
        assert_eq!(role_name, "Audit");
        assert_eq!(source_identity.as_deref(), Some("alice"));
        assert_eq!(session_issued.as_deref(), Some("2026-11-20T13:59:30Z"));
    }

    /// A user's read made through a service on the user's behalf (a forward access session,
    /// `invokedBy`) was taken for the service's own call and never contained: an actor could
    /// read the honeytoken through a CloudFormation dynamic reference and keep its access.
    #[test]
    fn a_principal_calling_through_a_service_is_the_caller() {
        let e = json!({"detail": {"userIdentity": {
            "type": "IAMUser",
            "arn": "arn:aws:iam::1:user/victim",
            "userName": "victim",
            "invokedBy": "cloudformation.amazonaws.com"
        }}});
        assert_eq!(
            caller(&e),
            Some(Caller::IamUser {
                arn: "arn:aws:iam::1:user/victim".into(),
                user_name: "victim".into()
            })
        );
        let svc = json!({"detail": {"userIdentity": {"invokedBy": "AWS Internal"}}});
        assert!(matches!(caller(&svc), Some(Caller::AwsService { .. })));
    }

    #[test]
    fn services_and_root_are_recognised() {
        let svc = json!({"detail": {"userIdentity": {"type": "AWSService", "invokedBy": "lambda.amazonaws.com"}}});
        assert!(matches!(caller(&svc), Some(Caller::AwsService { .. })));
        let root =
            json!({"detail": {"userIdentity": {"type": "Root", "arn": "arn:aws:iam::1:root"}}});
        assert!(matches!(caller(&root), Some(Caller::Root { .. })));
        assert_eq!(caller(&json!({"detail": {}})), None);
    }
}
