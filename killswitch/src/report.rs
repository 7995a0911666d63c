//! The kill-switch's result: what it decided, about whom, when, and each step's outcome. Published
//! to SNS and logged as one JSON document (`schema_version` 1), which trailcase reads as evidence.

use crate::event::{Caller, Trigger};
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainmentResult {
    pub schema_version: u32,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The IAM or SNS action, e.g. `iam:PutUserPolicy`.
    pub action: String,
    /// What it acts on: a user, an access key id, a role, a topic.
    pub target: String,
    pub outcome: StepOutcome,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepOutcome {
    Done,
    /// Already in the wanted state: nothing was changed.
    Unchanged,
    /// Dry run: would have been done.
    WouldDo,
    Failed,
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

/// The decision the steps of a containment add up to.
pub fn decide(steps: &[Step]) -> Decision {
    let count = |o: StepOutcome| steps.iter().filter(|s| s.outcome == o).count();
    let failed = count(StepOutcome::Failed);
    if failed > 0 {
        return if failed == steps.len() {
            Decision::Failed
        } else {
            Decision::PartiallyContained
        };
    }
    if count(StepOutcome::WouldDo) > 0 {
        Decision::WouldContain
    } else if count(StepOutcome::Done) > 0 {
        Decision::Contained
    } else {
        Decision::AlreadyContained
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decision_follows_the_steps() {
        let s = |o| Step::new("iam:X", "t", o, "");
        use StepOutcome::*;
        assert_eq!(decide(&[s(Done), s(Unchanged)]), Decision::Contained);
        assert_eq!(decide(&[s(Unchanged)]), Decision::AlreadyContained);
        assert_eq!(decide(&[s(Done), s(Failed)]), Decision::PartiallyContained);
        assert_eq!(decide(&[s(Failed)]), Decision::Failed);
        assert_eq!(decide(&[s(WouldDo), s(Unchanged)]), Decision::WouldContain);
    }
}
