//! MITRE ATT&CK techniques an incident's actor's calls are consistent with, each with the calls
//! and the records it rests on. The mapping (API call → technique) is one documented table:
//! `classify::attack` and `docs/attack.md`.

use super::Timestamp;
use serde::Serialize;

/// One technique of an incident, and the calls that show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttackTechnique {
    /// The ATT&CK ID, e.g. `T1555.006`.
    pub id: String,
    /// The technique's name as ATT&CK gives it, e.g. `Credentials from Password Stores: Cloud
    /// Secrets Management Stores`.
    pub name: String,
    /// The ATT&CK tactics the technique belongs to, e.g. `Credential Access`.
    pub tactics: Vec<String>,
    /// Each call of the actor mapped to it, by action, in the order of its first record.
    pub calls: Vec<AttackCall>,
    /// True when at least one of the calls succeeded; false: every call was refused (an attempt).
    pub succeeded: bool,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    /// Every record of those calls, sorted by time.
    pub event_ids: Vec<String>,
}

/// One action (e.g. `iam:CreateAccessKey`) of the actor under a technique.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttackCall {
    pub action: String,
    /// Records of the call that succeeded (no `errorCode`).
    pub succeeded: u64,
    /// Records of the call the service refused or that failed (with an `errorCode`).
    pub failed: u64,
    /// Of `failed`, the records an access check refused (`AccessDenied`, see
    /// [`super::refusal_code`]); the rest failed otherwise.
    pub refused: u64,
    /// The `errorCode`s of those records, each once, sorted: an access check's refusal
    /// (`AccessDenied`) or another failure (`ResourceNotFoundException`); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

impl AttackCall {
    /// Every failed record of the call was an access check's refusal (see
    /// [`super::refusal_code`]), not a failure for another reason.
    pub fn refused_only(&self) -> bool {
        self.errors.iter().all(|c| super::refusal_code(c))
    }

    /// How its failed records ended, by the rule of [`super::failures`].
    pub fn failures(&self) -> super::Failures {
        super::failures(self.failed as usize, self.refused as usize, &self.errors)
    }
}
