//! The kill-switch's own account of a run (its published `ContainmentResult`, schema_version 1,
//! whose parts are `trailcase_common::killswitch`'s) and how that account compares with
//! CloudTrail. Plain data: the parser fills [`KillSwitchReport`], the correlation builds
//! [`KillSwitchRun`].

use super::{Origin, Timestamp};
use serde::Serialize;

// The published format is trailcase-common's, shared with the kill-switch (which writes it);
// these are its names here.
pub use trailcase_common::killswitch::{
    Decision as KillSwitchDecision, PublishedCaller as KillSwitchCaller, Step as KillSwitchStep,
    StepOutcome, Trigger as KillSwitchTrigger,
};

/// One published kill-switch result, read from the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KillSwitchReport {
    /// When the kill-switch ran (its `at`).
    pub at: Timestamp,
    pub tool_version: Option<String>,
    pub dry_run: bool,
    pub decision: KillSwitchDecision,
    pub summary: String,
    pub trigger: KillSwitchTrigger,
    pub caller: Option<KillSwitchCaller>,
    pub steps: Vec<KillSwitchStep>,
    pub published: Option<KillSwitchStep>,
    /// How it reached us: `killswitch-result` (the bare document), `sns`, `lambda-sns-event`,
    /// `cloudwatch-logs`.
    pub via: &'static str,
    /// The SNS topic and message id, when it came through SNS.
    pub topic_arn: Option<String>,
    pub message_id: Option<String>,
    pub origin: Origin,
    /// Other inputs that held the same result (SNS and the log, say).
    pub copies: Vec<Origin>,
}

impl KillSwitchReport {
    /// The stable id its timeline row and findings cite: `killswitch:<at>:<about>`, `about` the
    /// trigger's eventID, else the caller's ARN, else `unknown`, with a ':' or '%' in it written
    /// `%3A` or `%25` ([`super::id_part`]): the last colon ends the time, so a caller's ARN is one
    /// part, not six. Nothing in trailcase reads the id back; a program splits it at its first
    /// and last colon.
    pub fn id(&self) -> String {
        let about = self
            .trigger
            .event_id
            .as_deref()
            .or_else(|| self.caller.as_ref().and_then(|c| c.arn.as_deref()))
            .unwrap_or("unknown");
        format!("killswitch:{}:{}", self.at, super::id_part(about))
    }

    /// The caller's ARN, else its service name, else `unknown`.
    pub fn caller_label(&self) -> String {
        self.caller
            .as_ref()
            .and_then(|c| c.arn.clone().or_else(|| c.name.clone()))
            .unwrap_or_else(|| "unknown".into())
    }

    /// True when two deliveries carry the same result.
    pub fn same_result(&self, other: &KillSwitchReport) -> bool {
        self.at == other.at
            && self.decision == other.decision
            && self.trigger == other.trigger
            && self.caller == other.caller
            && self.steps == other.steps
    }
}

/// How CloudTrail bears out one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Corroboration {
    /// CloudTrail has the call, with the outcome the step states.
    Confirmed,
    /// The step says it changed something; CloudTrail has no such call.
    NotInCloudtrail,
    /// CloudTrail contradicts the step (a call that succeeded for a step that says failed,
    /// unchanged or would-do; or a failed call for a step that says done).
    Contradicted,
    /// Nothing to look for: the step changed nothing and CloudTrail shows no change.
    NothingExpected,
}

impl Corroboration {
    pub fn as_str(self) -> &'static str {
        match self {
            Corroboration::Confirmed => "confirmed",
            Corroboration::NotInCloudtrail => "not-in-cloudtrail",
            Corroboration::Contradicted => "contradicted",
            Corroboration::NothingExpected => "nothing-expected",
        }
    }

    /// In words, for the report (the JSON keeps `as_str`).
    pub fn describe(self) -> &'static str {
        match self {
            Corroboration::Confirmed => "confirmed",
            Corroboration::NotInCloudtrail => "not found",
            Corroboration::Contradicted => "contradicted",
            Corroboration::NothingExpected => "no change expected",
        }
    }

    pub fn is_mismatch(self) -> bool {
        matches!(
            self,
            Corroboration::NotInCloudtrail | Corroboration::Contradicted
        )
    }
}

/// A decision in words, for the report and the findings (the JSON keeps `as_str`).
pub fn decision_words(d: KillSwitchDecision) -> &'static str {
    match d {
        KillSwitchDecision::Contained => "contained",
        KillSwitchDecision::AlreadyContained => "already contained",
        KillSwitchDecision::PartiallyContained => "partially contained",
        KillSwitchDecision::Failed => "failed",
        KillSwitchDecision::WouldContain => "would contain (dry run)",
        KillSwitchDecision::Protected => "not contained (a protected principal)",
        KillSwitchDecision::NotContained => "not contained (an identity it cannot contain)",
    }
}

/// A step's outcome in words, for the report and the findings (the JSON keeps `as_str`).
pub fn step_outcome_words(o: StepOutcome) -> &'static str {
    match o {
        StepOutcome::Done => "done",
        StepOutcome::Unchanged => "unchanged",
        StepOutcome::WouldDo => "would do (dry run)",
        StepOutcome::Failed => "failed",
    }
}

/// One step with the CloudTrail calls that bear it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepCheck {
    #[serde(flatten)]
    pub step: KillSwitchStep,
    pub corroboration: Corroboration,
    /// The kill-switch's CloudTrail calls matched to this step.
    pub event_ids: Vec<String>,
    /// What the matched calls show, in a few words.
    pub note: String,
}

/// A kill-switch run: its report, the incidents it concerns and the cross-check with CloudTrail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KillSwitchRun {
    pub id: String,
    pub report: KillSwitchReport,
    pub incidents: Vec<String>,
    pub steps: Vec<StepCheck>,
    pub published: Option<StepCheck>,
    /// Kill-switch calls that changed something on this caller in the run's window but that no
    /// step reports.
    pub unreported_event_ids: Vec<String>,
}
