//! Wire types for the kill-switch's published results (with the CloudTrail cross-check) and the
//! `trailcase posture` results of a case: the timeline JSON's `killswitch` and `posture` keys.

use crate::model::{
    InputSummary, KillSwitchCaller, KillSwitchRun, KillSwitchTrigger, PostureCheck, PostureResult,
    StepCheck, Timestamp,
};
use serde::Serialize;

fn path(inputs: &[InputSummary], input: u32) -> String {
    inputs
        .get(input as usize)
        .map(|i| i.path.to_string())
        .unwrap_or_default()
}

#[derive(Serialize)]
pub struct WireKillSwitchRun<'a> {
    pub id: &'a str,
    pub at: Timestamp,
    pub decision: &'static str,
    pub dry_run: bool,
    pub summary: &'a str,
    pub tool_version: Option<&'a str>,
    pub trigger: &'a KillSwitchTrigger,
    pub caller: Option<&'a KillSwitchCaller>,
    pub incidents: &'a [String],
    /// The kill-switch's own account of each step, with what CloudTrail shows.
    pub steps: &'a [StepCheck],
    pub published: Option<&'a StepCheck>,
    /// Kill-switch calls on the caller in the run's window that no step reports.
    pub unreported_event_ids: &'a [String],
    /// `killswitch-result`, `sns`, `lambda-sns-event` or `cloudwatch-logs`.
    pub via: &'static str,
    pub topic_arn: Option<&'a str>,
    pub message_id: Option<&'a str>,
    pub input: String,
    pub record_index: u64,
    /// Other inputs holding the same result.
    pub also_in: Vec<String>,
}

pub fn runs<'a>(runs: &'a [KillSwitchRun], inputs: &[InputSummary]) -> Vec<WireKillSwitchRun<'a>> {
    runs.iter()
        .map(|run| {
            let r = &run.report;
            WireKillSwitchRun {
                id: &run.id,
                at: r.at,
                decision: r.decision.as_str(),
                dry_run: r.dry_run,
                summary: &r.summary,
                tool_version: r.tool_version.as_deref(),
                trigger: &r.trigger,
                caller: r.caller.as_ref(),
                incidents: &run.incidents,
                steps: &run.steps,
                published: run.published.as_ref(),
                unreported_event_ids: &run.unreported_event_ids,
                via: r.via,
                topic_arn: r.topic_arn.as_deref(),
                message_id: r.message_id.as_deref(),
                input: path(inputs, r.origin.input),
                record_index: r.origin.index,
                also_in: r.copies.iter().map(|o| path(inputs, o.input)).collect(),
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct WirePosture<'a> {
    pub checked_at: &'a str,
    pub tool_version: Option<&'a str>,
    pub honeytoken: &'a str,
    pub regions: &'a [String],
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub checks: &'a [PostureCheck],
    pub input: String,
}

pub fn posture<'a>(results: &'a [PostureResult], inputs: &[InputSummary]) -> Vec<WirePosture<'a>> {
    use crate::model::PostureStatus as S;
    results
        .iter()
        .map(|p| WirePosture {
            checked_at: &p.checked_at,
            tool_version: p.tool_version.as_deref(),
            honeytoken: &p.honeytoken,
            regions: &p.regions,
            pass: p.count(S::Pass),
            fail: p.count(S::Fail),
            unknown: p.count(S::Unknown),
            checks: &p.checks,
            input: path(inputs, p.origin.input),
        })
        .collect()
}
