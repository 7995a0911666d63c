//! The kill-switch's published results, set against CloudTrail: which incident each run
//! concerns (by the caller's ARN, user name, access key, session, or the triggering eventID),
//! which CloudTrail call bears out each step, which of its calls no step reports, and the
//! findings a responder must see (failed steps, a decision short of contained, a dry run, an
//! account CloudTrail does not bear out).

use crate::classify::Classifier;
use crate::model::{
    Corroboration, Event, Finding, FindingKind, Incident, KillSwitchDecision, KillSwitchReport,
    KillSwitchRun, KillSwitchStep, StepCheck, StepOutcome,
};
use crate::parse::RecordView;
use serde_json::Value;
use std::collections::BTreeSet;

/// A kill-switch call may be logged a little before the `at` it reports (second precision).
const SKEW_MS: i64 = 5_000;
/// A Lambda runs at most 15 minutes: no call of a run comes later than this after its `at`.
const RUN_MS: i64 = 15 * 60_000;

/// One CloudTrail call by the kill-switch principal that changes something.
struct Call<'e> {
    event: &'e Event,
    /// Every string value of requestParameters (user, key, role, topic, ...).
    names: Vec<String>,
}

fn calls<'e>(events: &'e [Event], classifier: &Classifier) -> Vec<Call<'e>> {
    let mut out = Vec::new();
    for e in events {
        let Ok(view) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        let reads = e.read_only == Some(true)
            || ["Get", "List", "Describe"]
                .iter()
                .any(|p| e.event_name.starts_with(p));
        if reads || !classifier.is_killswitch(&view) {
            continue;
        }
        let names = match view.request() {
            Value::Object(m) => m
                .values()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        out.push(Call { event: e, names });
    }
    out
}

/// Cross-check every report with CloudTrail and tie it to the incidents it concerns. Reports
/// must be sorted by `at` (the evidence normalisation does it).
pub fn runs(
    reports: &[KillSwitchReport],
    events: &[Event],
    classifier: &Classifier,
    incidents: &[Incident],
    window_ms: i64,
) -> Vec<KillSwitchRun> {
    let calls = calls(events, classifier);
    let mut claimed: BTreeSet<usize> = BTreeSet::new();
    let mut out = Vec::new();
    for (n, r) in reports.iter().enumerate() {
        let from = r.at.millis() - SKEW_MS;
        let next = reports[n + 1..]
            .iter()
            .map(|x| x.at.millis() - SKEW_MS)
            .find(|t| *t > from);
        let to = next.map_or(r.at.millis() + RUN_MS, |t| t.min(r.at.millis() + RUN_MS));
        let in_run = |c: &Call| {
            let t = c.event.time.millis();
            t >= from && t < to
        };
        let mut check = |step: &KillSwitchStep| {
            let found: Vec<usize> = (0..calls.len())
                .filter(|i| !claimed.contains(i))
                .filter(|&i| matches_step(&calls[i], step) && in_run(&calls[i]))
                .collect();
            claimed.extend(found.iter().copied());
            judge(
                step,
                &found.iter().map(|&i| calls[i].event).collect::<Vec<_>>(),
            )
        };
        let mut steps: Vec<StepCheck> = r.steps.iter().map(&mut check).collect();
        let published = r.published.as_ref().map(&mut check);
        if !calls.iter().any(in_run) {
            for s in steps
                .iter_mut()
                .filter(|s| s.corroboration == Corroboration::NotInCloudtrail)
            {
                s.note.push_str(
                    " (the evidence has no kill-switch call in this run's window: the trail may not cover it)",
                );
            }
        }
        let about = caller_names(r);
        let unreported_event_ids = (0..calls.len())
            .filter(|i| !claimed.contains(i) && in_run(&calls[*i]))
            .filter(|&i| calls[i].names.iter().any(|x| about.contains(x)))
            .map(|i| calls[i].event.event_id.clone())
            .collect();
        out.push(KillSwitchRun {
            id: r.id(),
            incidents: concerned(r, incidents, window_ms),
            report: r.clone(),
            steps,
            published,
            unreported_event_ids,
        });
    }
    out
}

fn matches_step(call: &Call, step: &KillSwitchStep) -> bool {
    call.event.action() == step.action && call.names.contains(&step.target)
}

/// How the matched calls bear out what the step says.
fn judge(step: &KillSwitchStep, found: &[&Event]) -> StepCheck {
    let ok: Vec<&&Event> = found.iter().filter(|e| e.succeeded()).collect();
    let refused: Vec<&&Event> = found.iter().filter(|e| !e.succeeded()).collect();
    let errors = || {
        let mut v: Vec<&str> = refused.iter().map(|e| e.outcome()).collect();
        v.dedup();
        v.join(", ")
    };
    let (corroboration, note) = match step.outcome {
        StepOutcome::Done if !ok.is_empty() => (
            Corroboration::Confirmed,
            format!("succeeded at {}", ok[0].time),
        ),
        StepOutcome::Done if !refused.is_empty() => (
            Corroboration::Contradicted,
            format!("reported done; CloudTrail shows it refused ({})", errors()),
        ),
        StepOutcome::Done => (
            Corroboration::NotInCloudtrail,
            "reported done; no such call by the kill-switch in CloudTrail".into(),
        ),
        StepOutcome::Failed if !ok.is_empty() => (
            Corroboration::Contradicted,
            format!(
                "reported failed; CloudTrail shows it succeeded at {}",
                ok[0].time
            ),
        ),
        StepOutcome::Failed if !refused.is_empty() => {
            (Corroboration::Confirmed, format!("refused ({})", errors()))
        }
        StepOutcome::Failed => (
            Corroboration::NothingExpected,
            "no call in CloudTrail (it may have failed before reaching AWS)".into(),
        ),
        StepOutcome::Unchanged | StepOutcome::WouldDo if !ok.is_empty() => (
            Corroboration::Contradicted,
            format!(
                "reported {}; CloudTrail shows a change that succeeded at {}",
                step.outcome.as_str(),
                ok[0].time
            ),
        ),
        StepOutcome::Unchanged | StepOutcome::WouldDo if !refused.is_empty() => (
            Corroboration::Confirmed,
            format!("call made and refused ({}): nothing changed", errors()),
        ),
        StepOutcome::Unchanged | StepOutcome::WouldDo => (
            Corroboration::NothingExpected,
            "no change in CloudTrail, as reported".into(),
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

/// What a responder must see about one run.
pub fn findings(run: &KillSwitchRun) -> Vec<Finding> {
    let r = &run.report;
    let who = r.caller_label();
    let cite = |ids: &mut dyn Iterator<Item = &String>| {
        let mut v = vec![run.id.clone()];
        v.extend(ids.cloned());
        v
    };
    let mut out = Vec::new();
    use KillSwitchDecision as D;
    let decided = match r.decision {
        D::PartiallyContained | D::Failed => Some("high"),
        D::Protected | D::NotContained => Some("medium"),
        _ => None,
    };
    if let Some(severity) = decided {
        out.push(Finding {
            kind: FindingKind::KillswitchNotContained,
            severity,
            summary: format!(
                "The kill-switch run at {} decided {} for {who}: {}",
                r.at,
                r.decision.as_str(),
                r.summary
            ),
            event_ids: cite(&mut std::iter::empty()),
        });
    }
    if r.dry_run || r.decision == D::WouldContain {
        out.push(Finding {
            kind: FindingKind::KillswitchDryRun,
            severity: "high",
            summary: format!(
                "The kill-switch ran in dry-run mode at {}: nothing was contained ({who} kept its access)",
                r.at
            ),
            event_ids: cite(&mut std::iter::empty()),
        });
    }
    let failed: Vec<&StepCheck> = run
        .steps
        .iter()
        .chain(run.published.iter())
        .filter(|s| s.step.outcome == StepOutcome::Failed)
        .collect();
    if !failed.is_empty() {
        let what: Vec<String> = failed
            .iter()
            .map(|s| format!("{} on {} ({})", s.step.action, s.step.target, s.step.detail))
            .collect();
        out.push(Finding {
            kind: FindingKind::KillswitchStepFailed,
            severity: "high",
            summary: format!(
                "The kill-switch reports {} failed step(s) at {}: {}",
                failed.len(),
                r.at,
                what.join("; ")
            ),
            event_ids: cite(&mut failed.iter().flat_map(|s| s.event_ids.iter())),
        });
    }
    let mismatched: Vec<&StepCheck> = run
        .steps
        .iter()
        .chain(run.published.iter())
        .filter(|s| s.corroboration.is_mismatch())
        .collect();
    if !mismatched.is_empty() || !run.unreported_event_ids.is_empty() {
        let mut what: Vec<String> = mismatched
            .iter()
            .map(|s| format!("{} on {}: {}", s.step.action, s.step.target, s.note))
            .collect();
        if !run.unreported_event_ids.is_empty() {
            what.push(format!(
                "{} kill-switch call(s) in CloudTrail that the result does not report",
                run.unreported_event_ids.len()
            ));
        }
        out.push(Finding {
            kind: FindingKind::KillswitchMismatch,
            severity: "medium",
            summary: format!(
                "The kill-switch's account of its run at {} and CloudTrail disagree: {}",
                r.at,
                what.join("; ")
            ),
            event_ids: cite(
                &mut mismatched
                    .iter()
                    .flat_map(|s| s.event_ids.iter())
                    .chain(run.unreported_event_ids.iter()),
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Identity, Origin, Timestamp};

    fn event(error: Option<&str>) -> Event {
        Event {
            time: Timestamp::from_secs(1_795_615_366),
            event_id: "e".into(),
            event_source: "iam.amazonaws.com".into(),
            event_name: "PutUserPolicy".into(),
            region: "us-east-1".into(),
            identity: Identity::default(),
            source_ip: None,
            user_agent: None,
            error_code: error.map(str::to_owned),
            error_message: None,
            read_only: Some(false),
            target: None,
            origin: Origin { input: 0, index: 0 },
            via: "cloudtrail",
            raw: serde_json::value::RawValue::from_string("{}".into()).unwrap(),
        }
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
            let check = judge(&step(outcome), &found);
            assert_eq!(check.corroboration, expected, "{outcome:?}: {}", check.note);
        }
    }
}
