//! The parts of a kill-switch result that the writing and the reading side share: the decision,
//! the steps and their outcomes, the triggering call. Their serde form is the wire format.

use serde::{Deserialize, Serialize};

/// What the kill-switch decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// Every step changed something or found it already done.
    Contained,
    /// Nothing needed changing: an earlier run already contained this caller.
    AlreadyContained,
    /// Some steps failed (see them); the others were done.
    PartiallyContained,
    /// Every step failed.
    Failed,
    /// Dry run: the steps say what would be done.
    WouldContain,
    /// A protected principal or the kill-switch's own role: only reported.
    Protected,
    /// Root, an AWS service, or an identity the kill-switch cannot contain: only reported.
    NotContained,
}

impl Decision {
    /// The decision's name in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Contained => "contained",
            Decision::AlreadyContained => "already-contained",
            Decision::PartiallyContained => "partially-contained",
            Decision::Failed => "failed",
            Decision::WouldContain => "would-contain",
            Decision::Protected => "protected",
            Decision::NotContained => "not-contained",
        }
    }

    /// True when the decision means the caller is (now or already) contained.
    pub fn is_contained(self) -> bool {
        matches!(self, Decision::Contained | Decision::AlreadyContained)
    }
}

/// One step's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepOutcome {
    Done,
    /// Already in the wanted state: nothing was changed.
    Unchanged,
    /// Dry run: would have been done.
    WouldDo,
    Failed,
}

impl StepOutcome {
    /// The outcome's name in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            StepOutcome::Done => "done",
            StepOutcome::Unchanged => "unchanged",
            StepOutcome::WouldDo => "would-do",
            StepOutcome::Failed => "failed",
        }
    }
}

/// One step of a containment (and publishing the result, which is a step too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// The name trailcase's reading errors have always given it ("expected struct KillSwitchStep").
#[serde(rename = "KillSwitchStep")]
pub struct Step {
    /// The IAM or SNS action, e.g. `iam:PutUserPolicy`, `sns:Publish`.
    pub action: String,
    /// What it acts on: a user name, an access key id, a role name, a topic ARN.
    pub target: String,
    pub outcome: StepOutcome,
    /// Always written; older results may lack it.
    #[serde(default)]
    pub detail: String,
}

impl Step {
    pub fn new(
        action: &str,
        target: &str,
        outcome: StepOutcome,
        detail: impl Into<String>,
    ) -> Step {
        Step {
            action: action.to_string(),
            target: target.to_string(),
            outcome,
            detail: detail.into(),
        }
    }
}

/// The call that triggered the kill-switch (the honeytoken read), as it saw it. Every field is
/// written, `null` when the event lacks it; a reader takes a missing field as `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "KillSwitchTrigger")]
pub struct Trigger {
    pub event_id: Option<String>,
    pub event_time: Option<String>,
    pub event_source: Option<String>,
    pub event_name: Option<String>,
    pub aws_region: Option<String>,
    pub source_ip_address: Option<String>,
    pub user_agent: Option<String>,
    /// `requestParameters.secretId`: the honeytoken that was read.
    pub secret_id: Option<String>,
    pub access_key_id: Option<String>,
}
