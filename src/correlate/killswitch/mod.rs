//! The kill-switch's published results, set against CloudTrail: which incident each run
//! concerns (by the caller's ARN, user name, access key, session, or the triggering eventID),
//! which CloudTrail call bears out each step, which of its calls no step reports, and the
//! findings a responder must see (failed steps, a decision short of contained, a dry run, an
//! account CloudTrail does not bear out).

mod calls;
mod findings;
mod unmatched;
pub use findings::{place, unconfirmed};
pub use unmatched::check as unmatched;

use super::containment::KillSwitchCalls;
use crate::model::{
    Corroboration, Event, Incident, KillSwitchReport, KillSwitchRun, KillSwitchStep, StepCheck,
    StepOutcome,
};
use calls::Calls;
use std::collections::BTreeSet;

/// A kill-switch call may be logged a little before the `at` it reports (second precision).
const SKEW_MS: i64 = 5_000;
/// A Lambda runs at most 15 minutes: no call of a run comes later than this after its `at`.
const RUN_MS: i64 = 15 * 60_000;

/// Cross-check every report with CloudTrail and tie it to the incidents it concerns. Reports
/// must be sorted by `at` (the evidence normalisation does it). `who` names the callers that
/// count as the kill-switch (`KillSwitchIdentity::describe`): a step no call of theirs bears
/// out is "not found" among *their* calls, never "not in CloudTrail".
///
/// A run's window is from a little before its `at` to the next later report's (at most the
/// longest a Lambda runs). Every step of every run claims the calls that bear it out first;
/// then each run lists the unclaimed calls in its window that name its caller or a target as
/// the calls it does not report, each call under the first such run only.
pub fn runs(
    reports: &[KillSwitchReport],
    all_calls: &KillSwitchCalls,
    incidents: &[Incident],
    window_ms: i64,
    who: &str,
) -> Vec<KillSwitchRun> {
    let mut calls = Calls::new(all_calls);
    let windows = windows(reports);
    let mut out: Vec<KillSwitchRun> = reports
        .iter()
        .zip(&windows)
        .map(|(r, &window)| {
            let mut check = |step: &KillSwitchStep| {
                let found = calls.claim_step(&step.action, &step.target, window);
                judge(
                    step,
                    &found.iter().map(|&i| calls.list[i]).collect::<Vec<_>>(),
                    who,
                )
            };
            let mut steps: Vec<StepCheck> = r.steps.iter().map(&mut check).collect();
            let published = r.published.as_ref().map(&mut check);
            if !calls.any_in(window) {
                // No call of theirs at all: the configuration may not name the kill-switch's
                // caller (`unmatched` says what the evidence holds instead).
                let why = if calls.list.is_empty() {
                    format!(" (the evidence has no call by {who} at all: the configuration may not name the kill-switch's caller, or the trail may not cover its calls)")
                } else {
                    format!(" (the evidence has no call by {who} in this run's window: the trail may not cover it)")
                };
                for s in steps
                    .iter_mut()
                    .filter(|s| s.corroboration == Corroboration::NotInCloudtrail)
                {
                    s.note.push_str(&why);
                }
            }
            KillSwitchRun {
                id: r.id(),
                incidents: concerned(r, incidents, window_ms),
                report: r.clone(),
                steps,
                published,
                unreported_event_ids: Vec::new(),
            }
        })
        .collect();
    for ((run, r), &window) in out.iter_mut().zip(reports).zip(&windows) {
        run.unreported_event_ids = calls
            .claim_naming(&caller_names(r), window)
            .into_iter()
            .map(|i| calls.list[i].event_id.clone())
            .collect();
    }
    out
}

/// Each report's window `[from, to)` in milliseconds: from `SKEW_MS` before its `at` to the
/// next later report's start, at most `RUN_MS` after its `at`. Reports sorted by `at`.
fn windows(reports: &[KillSwitchReport]) -> Vec<(i64, i64)> {
    let mut later = 0;
    reports
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let at = r.at.millis();
            later = later.max(n + 1);
            while later < reports.len() && reports[later].at.millis() <= at {
                later += 1;
            }
            let end = at + RUN_MS;
            let to = reports
                .get(later)
                .map_or(end, |x| (x.at.millis() - SKEW_MS).min(end));
            (at - SKEW_MS, to)
        })
        .collect()
}

/// How the matched calls bear out what the step says.
fn judge(step: &KillSwitchStep, found: &[&Event], who: &str) -> StepCheck {
    let ok: Vec<&&Event> = found.iter().filter(|e| e.succeeded()).collect();
    let refused: Vec<&&Event> = found.iter().filter(|e| e.refused()).collect();
    let errors = || {
        let mut v: Vec<&str> = refused.iter().map(|e| e.outcome()).collect();
        v.dedup();
        v.join(", ")
    };
    // An error no access check gives (NoSuchEntityException) is a failure, not a refusal.
    let ended = || {
        let by_check = refused
            .iter()
            .filter(|e| crate::model::refusal_code(e.outcome()))
            .count();
        match by_check {
            0 => "failed",
            n if n == refused.len() => "refused",
            _ => "refused or failed",
        }
    };
    let (corroboration, note) = match step.outcome {
        StepOutcome::Done if !ok.is_empty() => (
            Corroboration::Confirmed,
            format!("succeeded at {}", ok[0].time),
        ),
        StepOutcome::Done if !refused.is_empty() => (
            Corroboration::Contradicted,
            format!(
                "reported done; CloudTrail shows it {} ({})",
                ended(),
                errors()
            ),
        ),
        StepOutcome::Done => (
            Corroboration::NotInCloudtrail,
            format!("reported done; CloudTrail has no such call by {who}"),
        ),
        StepOutcome::Failed if !ok.is_empty() => (
            Corroboration::Contradicted,
            format!(
                "reported failed; CloudTrail shows it succeeded at {}",
                ok[0].time
            ),
        ),
        StepOutcome::Failed if !refused.is_empty() => (
            Corroboration::Confirmed,
            format!("{} ({})", ended(), errors()),
        ),
        StepOutcome::Failed => (
            Corroboration::NothingExpected,
            format!(
                "CloudTrail has no such call by {who} (it may have failed before reaching AWS)"
            ),
        ),
        StepOutcome::Unchanged | StepOutcome::WouldDo if !ok.is_empty() => (
            Corroboration::Contradicted,
            format!(
                "reported {}; CloudTrail shows a change that succeeded at {}",
                crate::model::step_outcome_words(step.outcome),
                ok[0].time
            ),
        ),
        StepOutcome::Unchanged | StepOutcome::WouldDo if !refused.is_empty() => (
            Corroboration::Confirmed,
            format!("call made and {} ({}): nothing changed", ended(), errors()),
        ),
        StepOutcome::Unchanged | StepOutcome::WouldDo => (
            Corroboration::NothingExpected,
            format!("CloudTrail has no such change by {who}, as reported"),
        ),
    };
    StepCheck {
        step: step.clone(),
        corroboration,
        event_ids: found.iter().map(|e| e.event_id.clone()).collect(),
        note,
    }
}

/// The names a call on the report's caller would carry in its requestParameters.
fn caller_names(r: &KillSwitchReport) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = r.steps.iter().map(|s| s.target.clone()).collect();
    if let Some(c) = &r.caller {
        out.extend(c.user_name.clone());
        out.extend(c.role_name.clone());
    }
    out.extend(r.trigger.access_key_id.clone());
    out
}

/// The incidents this run concerns.
fn concerned(r: &KillSwitchReport, incidents: &[Incident], window_ms: i64) -> Vec<String> {
    let caller = r.caller.clone().unwrap_or_default();
    incidents
        .iter()
        .filter(|i| {
            let by_trigger = r
                .trigger
                .event_id
                .as_ref()
                .is_some_and(|id| i.access_event_ids.contains(id));
            let a = &i.actor;
            let by_actor = caller.arn.as_ref().is_some_and(|x| *x == a.arn)
                || caller
                    .user_name
                    .as_ref()
                    .is_some_and(|u| a.user_name.as_ref() == Some(u))
                || r.trigger
                    .access_key_id
                    .as_ref()
                    .is_some_and(|k| a.access_key_ids.contains(k))
                || caller.arn.as_ref().is_some_and(|x| {
                    a.derived_sessions
                        .iter()
                        .any(|d| d.session_arn.as_ref() == Some(x))
                });
            let in_time = match (i.milestones.first_access, i.milestones.last_access) {
                (Some(f), Some(l)) => {
                    r.at.millis() >= f.millis() - 60_000 && r.at.millis() <= l.millis() + window_ms
                }
                _ => true,
            };
            by_trigger || (by_actor && in_time)
        })
        .map(|i| i.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

    fn event(error: Option<&str>) -> Event {
        let mut e = Event::for_test(
            Timestamp::from_secs(1_795_615_366),
            "e",
            "iam.amazonaws.com",
            "PutUserPolicy",
            "{}",
        );
        e.error_code = error.map(str::to_owned);
        e.read_only = Some(false);
        e
    }

    fn step(outcome: StepOutcome) -> KillSwitchStep {
        KillSwitchStep {
            action: "iam:PutUserPolicy".into(),
            target: "bob".into(),
            outcome,
            detail: String::new(),
        }
    }

    #[test]
    fn each_outcome_is_judged_against_what_cloudtrail_shows() {
        use Corroboration::*;
        use StepOutcome::*;
        let (ok, refused) = (event(None), event(Some("AccessDenied")));
        let cases = [
            (Done, vec![&ok], Confirmed),
            (Done, vec![&refused], Contradicted),
            (Done, vec![], NotInCloudtrail),
            (Failed, vec![&refused], Confirmed),
            (Failed, vec![&ok], Contradicted),
            (Failed, vec![], NothingExpected),
            (Unchanged, vec![&refused], Confirmed),
            (Unchanged, vec![&ok], Contradicted),
            (Unchanged, vec![], NothingExpected),
            (WouldDo, vec![&ok], Contradicted),
        ];
        for (outcome, found, expected) in cases {
            let check = judge(&step(outcome), &found, "a principal matching *KillSwitch*");
            assert_eq!(check.corroboration, expected, "{outcome:?}: {}", check.note);
        }
    }
}
