//! Who an incident's actor is: the principal, its keys and where they came from, the
//! credentials in its scope and its console sessions.

use crate::model::Timestamp;
use serde::Serialize;

/// How a temporary access key links back to the call that issued it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyOrigin {
    pub access_key_id: String,
    /// e.g. `sts:AssumeRole`, `sts:GetSessionToken`.
    pub issued_by_action: String,
    pub issued_by_event_id: String,
    pub issued_at: Timestamp,
    /// The principal that called the issuing API.
    pub caller_arn: String,
    /// The session the key belongs to (the assumed-role ARN), when the response names it.
    pub session_arn: Option<String>,
    /// When the key stops working (STS's `credentials.expiration`, in ISO 8601 UTC); `None`:
    /// not in the issuing record, or not a time.
    pub expires: Option<Timestamp>,
}

/// Who touched the honeytoken.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub arn: String,
    /// userIdentity.type of the honeytoken access.
    #[serde(rename = "type")]
    pub kind: String,
    pub principal_id: Option<String>,
    pub account_id: Option<String>,
    pub user_name: Option<String>,
    pub access_key_ids: Vec<String>,
    pub source_ips: Vec<String>,
    pub user_agents: Vec<String>,
    /// Where the actor's temporary keys came from, when the evidence has the issuing call.
    pub key_origins: Vec<KeyOrigin>,
    /// Role sessions the actor obtained (AssumeRole called by the actor): their own principals.
    pub derived_sessions: Vec<KeyOrigin>,
    /// The role of a role session (`sessionContext.sessionIssuer.arn`): where a policy can go
    /// (a session takes none of its own). `None` when the records carry none: the role's ARN
    /// is then not in the evidence (the session's ARN omits the role's path).
    pub session_issuer_arn: Option<String>,
    /// A role session's role name, from the session's ARN (`assumed-role/<name>/<session>`):
    /// without `session_issuer_arn`, all the evidence shows of the role.
    pub role_name: Option<String>,
    /// The identity's console sign-ins (`signin:ConsoleLogin`) in the evidence, by time.
    pub console_sign_ins: Vec<ConsoleSignIn>,
    /// The actor's records that state `sessionCredentialFromConsole` `"true"`: the call was
    /// made with an AWS Management Console session's credential. Absent when none does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub console_session: Option<ConsoleSession>,
    /// The resources the actor's records state its credentials were issued to
    /// (`userIdentity.inScopeOf`: an EC2 instance's role credentials name the instance). Absent
    /// when no record states one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credentials_issued_to: Vec<CredentialScope>,
    /// The source identities the actor's records state (`sessionContext.sourceIdentity`: set by
    /// whoever assumed the role, kept through role chaining), sorted. Absent when none does.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub source_identities: Vec<String>,
}

/// A resource the actor's records state its credentials were issued to
/// (`userIdentity.inScopeOf`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CredentialScope {
    /// `inScopeOf.issuerType`, e.g. `AWS::EC2::Instance`; empty when the record has none.
    pub issuer_type: String,
    /// `inScopeOf.credentialsIssuedTo`: the resource's ARN.
    pub resource: String,
    /// How many of the actor's records state it.
    pub records: u64,
    /// The first of them by time (then eventID).
    pub first_event_id: String,
}

/// The actor's calls whose records state `sessionCredentialFromConsole` `"true"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsoleSession {
    /// How many of the actor's own records state it.
    pub records: u64,
    /// The first of them by time (then eventID).
    pub first_event_id: String,
}

/// A console sign-in of the actor's identity, as its record states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsoleSignIn {
    pub event_id: String,
    pub time: Timestamp,
    /// `success`, or why it failed (the one outcome rule).
    pub outcome: String,
    /// `additionalEventData.SamlProviderArn`: the SAML identity provider it came through.
    pub saml_provider_arn: Option<String>,
    /// `additionalEventData.MFAUsed` as recorded (`Yes`, `No`); `None`: not in the record.
    pub mfa_used: Option<String>,
}
