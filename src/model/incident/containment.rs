//! What the kill-switch did for an incident and what that achieved, as the evidence shows it,
//! with the credentials it left valid.

use crate::model::{Origin, Timestamp};
use serde::Serialize;

/// What a containment call did, recognised from its API and parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainmentKind {
    DenyPolicy,
    AccessKeyDeactivated,
    AccessKeyDeleted,
    LoginProfileDeleted,
    GroupRemoved,
    RoleSessionsRevoked,
    Notification,
    Other,
}

impl ContainmentKind {
    pub fn describe(self) -> &'static str {
        match self {
            ContainmentKind::DenyPolicy => "deny-all policy attached",
            ContainmentKind::AccessKeyDeactivated => "access key deactivated",
            ContainmentKind::AccessKeyDeleted => "access key deleted",
            ContainmentKind::LoginProfileDeleted => "console login removed",
            ContainmentKind::GroupRemoved => "removed from group",
            ContainmentKind::RoleSessionsRevoked => "role sessions revoked",
            ContainmentKind::Notification => "result published",
            ContainmentKind::Other => "other kill-switch call",
        }
    }

    /// Whether a call of this kind, once it succeeds, cuts the actor's access (a deny, its
    /// role's sessions revoked, its key deactivated or deleted).
    pub fn cuts_access(self) -> bool {
        matches!(
            self,
            ContainmentKind::DenyPolicy
                | ContainmentKind::RoleSessionsRevoked
                | ContainmentKind::AccessKeyDeactivated
                | ContainmentKind::AccessKeyDeleted
        )
    }
}

/// The first containment call that cut the actor's access and succeeded (the earliest; of calls
/// in one second, the first in the evidence's order): when containment began.
pub fn first_cut(actions: &[ContainmentAction]) -> Option<&ContainmentAction> {
    actions
        .iter()
        .filter(|a| a.kind.cuts_access() && a.outcome == "success")
        .min_by_key(|a| a.time)
}

/// One call the kill-switch made for this incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainmentAction {
    pub time: Timestamp,
    pub kind: ContainmentKind,
    pub action: String,
    pub event_id: String,
    pub outcome: String,
    /// The access key the call names (`requestParameters.accessKeyId`: the key deactivated or
    /// deleted), when it names one.
    pub access_key_id: Option<String>,
    /// Where the call's record was read (the timeline row of this copy).
    #[serde(skip)]
    pub origin: Origin,
}

/// Containment as the evidence shows it (not as the kill-switch intended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainmentStatus {
    /// A containment call cut the actor's access and no credential of the actor escaped it.
    Contained,
    /// A containment call succeeded, but credentials it did not cut stayed valid
    /// (`live_credentials`).
    PartiallyContained,
    /// No containment call on the actor succeeded in the evidence.
    NotContained,
    /// No containment call on the actor is in the CloudTrail evidence, but the kill-switch's
    /// published result reports it contained: the trail may not cover its calls. Neither
    /// containment nor its absence is shown.
    Unconfirmed,
}

impl ContainmentStatus {
    pub fn describe(self) -> &'static str {
        match self {
            ContainmentStatus::Contained => "contained",
            ContainmentStatus::PartiallyContained => "partially contained",
            ContainmentStatus::NotContained => "not contained",
            ContainmentStatus::Unconfirmed => "containment not confirmed",
        }
    }
}

/// A credential of the actor the containment did not cut, and how long it stays valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveCredential {
    /// The temporary key (`ASIA…`).
    pub access_key_id: String,
    /// The role session it belongs to, when the issuing call names it.
    pub session_arn: Option<String>,
    pub issued_by_action: String,
    pub issued_by_event_id: String,
    pub issued_at: Timestamp,
    /// When it stops working; `None`: not in the evidence (the exposure is open-ended).
    pub expires: Option<Timestamp>,
    pub reason: String,
    /// The last call made with it that succeeded after containment (`None`: no such use is in
    /// the evidence).
    pub last_success_after_containment: Option<Timestamp>,
    /// Calls made with it after containment that were refused: attempts, not uses.
    pub refused_after_containment: u64,
    /// The eventID of the first of them (`None`: no refused call is in the evidence).
    pub first_refused_after_containment: Option<String>,
}
