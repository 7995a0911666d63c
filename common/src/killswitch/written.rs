//! The result as the kill-switch (and samplegen) writes it. Serialize only: reading goes through
//! the lenient [`super::PublishedResult`].

use super::{Decision, Step, Trigger};
use serde::Serialize;

/// One run of the kill-switch, as published to SNS and logged (one JSON document).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainmentResult {
    /// [`super::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// [`super::TOOL`].
    pub tool: &'static str,
    pub tool_version: &'static str,
    /// When the kill-switch ran (RFC 3339, UTC).
    pub at: String,
    pub dry_run: bool,
    pub decision: Decision,
    /// One sentence for the notification's reader.
    pub summary: String,
    pub trigger: Trigger,
    pub caller: Option<Caller>,
    pub steps: Vec<Step>,
    /// Publishing this result to SNS (absent when no topic is configured).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Step>,
}

/// Who made the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Caller {
    IamUser {
        arn: String,
        user_name: String,
    },
    /// A role session: `arn` is the session (`assumed-role/Role/session`), `role_arn` the role.
    AssumedRole {
        arn: String,
        role_arn: String,
        role_name: String,
        /// When the session's credentials were issued (`sessionContext.attributes.creationDate`).
        session_issued: Option<String>,
        source_identity: Option<String>,
    },
    Root {
        arn: Option<String>,
    },
    /// An AWS service, or a call a service made on the caller's behalf (`invokedBy`).
    AwsService {
        name: String,
    },
    /// Anything else (federated users, web identity, unknown types): reported, not touched.
    Other {
        identity_type: String,
        arn: Option<String>,
    },
}

impl Caller {
    /// The ARNs a protected-principal pattern is matched against.
    pub fn arns(&self) -> Vec<&str> {
        match self {
            Caller::IamUser { arn, .. } => vec![arn],
            Caller::AssumedRole { arn, role_arn, .. } => vec![arn, role_arn],
            Caller::Root { arn } | Caller::Other { arn, .. } => arn.iter().map(|a| &**a).collect(),
            Caller::AwsService { .. } => Vec::new(),
        }
    }
}
