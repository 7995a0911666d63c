//! What an incident means and what remains to do about it: its severity (by a documented rule),
//! its impact (what the actor's calls read or changed, as CloudTrail records them), the
//! eradication and recovery steps and the recommendations, each citing the records it rests on.
//! `correlate::response` derives them from the incident; every output reads them from here.

use super::Timestamp;
use serde::Serialize;

/// How grave an incident is, by the rule in `correlate::response::severity`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Every read was refused: the credential is in hostile hands, the decoy's value is not.
    Medium,
    /// The honeytoken's value was returned to the actor.
    #[default]
    High,
    /// The value was returned and the actor kept or extended its access: not contained, a
    /// credential with no known expiry, or credentials it created.
    Critical,
}

impl Severity {
    pub fn describe(self) -> &'static str {
        match self {
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }
}

/// What the actor's calls did, as CloudTrail records them (data the trail does not log, such as
/// what happened to a value once returned, is not here).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// Honeytoken reads that returned the value (no `errorCode`).
    pub reads_succeeded: usize,
    /// Honeytoken reads the service refused.
    pub reads_refused: usize,
    /// Successful calls of the actor (and of its derived sessions) that CloudTrail marks as
    /// read-only, honeytoken reads included.
    pub read_only_calls: usize,
    /// Of those, the actor's own look-ups: not the honeytoken reads, and not calls an AWS
    /// service made on its behalf (`invokedBy`, e.g. the kms:Decrypt behind a secret read).
    pub look_ups: usize,
    /// Successful calls not marked read-only (they may have changed something), by action.
    pub changes: Vec<String>,
    pub change_event_ids: Vec<String>,
    /// Calls not marked read-only that were refused, by action.
    pub refused_changes: Vec<String>,
    pub refused_change_event_ids: Vec<String>,
}

/// When a step or recommendation should be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Now: the actor may still have access.
    Immediate,
    /// Before the incident is closed.
    High,
    /// Soon after.
    Medium,
    /// When convenient.
    Low,
}

impl Priority {
    pub fn describe(self) -> &'static str {
        match self {
            Priority::Immediate => "Immediate",
            Priority::High => "High",
            Priority::Medium => "Medium",
            Priority::Low => "Low",
        }
    }
}

/// One thing to do: an eradication or recovery step, or a recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseStep {
    pub priority: Priority,
    /// The role that should do it, e.g. `IAM administrator`.
    pub owner: String,
    /// What to do, naming the principals, keys and roles.
    pub action: String,
    /// The same in plain words, without identifiers (for the executive summary).
    pub plain: String,
    /// Why, from the evidence.
    pub reason: String,
    /// When the step stops mattering (a credential's expiry), if it does.
    pub until: Option<Timestamp>,
    /// The records it rests on.
    pub event_ids: Vec<String>,
}
