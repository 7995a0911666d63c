//! The findings a responder must see about the kill-switch's runs (failed steps, a decision
//! short of contained, a dry run, an account CloudTrail does not bear out), and their place:
//! with the incidents a run concerns, or the case's. Thousands of runs (an actor's loop of
//! reads, each run triggered by one) give one finding per kind and incident that counts them
//! and names the first, not thousands: every run stays in the JSON's `killswitch`.

use crate::correlate::findings::each_or_combined;
use crate::correlate::index::EventIndex;
use crate::model::{
    ContainmentStatus, Corroboration, Event, Finding, FindingKind, Incident, KillSwitchDecision,
    KillSwitchRun, StepCheck, StepOutcome, Timestamp,
};

/// Up to this many runs' findings of one kind in one place are each their own finding.
const EACH_UP_TO: usize = 5;
/// A combined finding cites this many runs (with their eventIDs) and counts the rest.
const CITED_RUNS: usize = 10;

/// What a responder must see about one run.
fn findings(run: &KillSwitchRun) -> Vec<Finding> {
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
                crate::model::decision_words(r.decision),
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
                "The kill-switch's account of its run at {} and CloudTrail {}: {}",
                r.at,
                // Steps CloudTrail only lacks may be outside what the trail covers: that is
                // not a contradiction.
                if run.unreported_event_ids.is_empty()
                    && mismatched
                        .iter()
                        .all(|s| s.corroboration == Corroboration::NotInCloudtrail)
                {
                    "do not match: CloudTrail does not show these steps (the trail may not cover the calls, or the configured kill-switch principals may not name its caller)"
                } else {
                    "disagree"
                },
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

/// Each run's findings placed with the incidents it concerns, or the case's when it concerns
/// none; past `EACH_UP_TO` runs of one kind in one place, one finding for all of them.
pub fn place(runs: &[KillSwitchRun], incidents: &mut [Incident], case: &mut Vec<Finding>) {
    let mut per_incident: Vec<Vec<(Timestamp, Finding)>> = vec![Vec::new(); incidents.len()];
    let mut unplaced = Vec::new();
    for run in runs {
        let found: Vec<(Timestamp, Finding)> = findings(run)
            .into_iter()
            .map(|f| (run.report.at, f))
            .collect();
        let mut placed = false;
        for (n, _) in incidents
            .iter()
            .enumerate()
            .filter(|(_, i)| run.incidents.contains(&i.id))
        {
            per_incident[n].extend(found.iter().cloned());
            placed = true;
        }
        if !placed {
            unplaced.extend(found);
        }
    }
    for (inc, found) in incidents.iter_mut().zip(per_incident) {
        inc.findings.extend(combine(found));
    }
    case.extend(combine(unplaced));
}

/// An incident with no containment call of the kill-switch in CloudTrail, while a run about it
/// (not a dry run) reports the actor contained: its containment is not confirmed rather than
/// absent (the trail may not cover the calls; a filtered LookupEvents holds only the reads).
/// The actor's own calls refused by an explicit identity-policy deny after the reported time
/// are the block's effect as CloudTrail shows it (`first_denied_after_containment`): said, but
/// not taken for the block itself, which another deny could give.
/// `who` names the callers that count as the kill-switch (`KillSwitchIdentity::describe`).
pub fn unconfirmed(
    runs: &[KillSwitchRun],
    incidents: &mut [Incident],
    index: &EventIndex<'_>,
    who: &str,
) {
    for inc in incidents
        .iter_mut()
        .filter(|i| i.containment_status == ContainmentStatus::NotContained)
    {
        let Some(run) = runs.iter().find(|r| {
            !r.report.dry_run && r.report.decision.is_contained() && r.incidents.contains(&inc.id)
        }) else {
            denied_without_containment(inc, index);
            continue;
        };
        inc.containment_status = ContainmentStatus::Unconfirmed;
        // What the block would do, if CloudTrail shows it: the actor's own calls refused by an
        // explicit deny in its identity policies after the reported time.
        let refused = denied_since(inc, index, run.report.at);
        let effect = match refused.first() {
            Some(first) => {
                inc.milestones.first_denied_after_containment = Some(first.time);
                format!(
                    "; after that time {} of the actor's calls were refused by an explicit deny in an identity-based policy, as a deny the kill-switch attached would refuse them (the first at {}, eventID {})",
                    refused.len(),
                    first.time,
                    first.event_id
                )
            }
            None => String::new(),
        };
        inc.unknowns.push(format!(
            "containment: the kill-switch reports the actor {} (run {}, at {}) but no call on the actor by {who} is in the CloudTrail evidence{effect}",
            crate::model::decision_words(run.report.decision),
            run.id,
            run.report.at
        ));
    }
}

/// No containment call and no kill-switch report on the actor, but its own calls after its first
/// read refused by an explicit deny in its identity-based policies: something attached a deny
/// the evidence does not show. Not "nothing blocked the actor": the status is `unconfirmed`,
/// with the first such refusal and the count.
fn denied_without_containment(inc: &mut Incident, index: &EventIndex<'_>) {
    let Some(from) = inc.milestones.first_access else {
        return;
    };
    let refused = denied_since(inc, index, from);
    let Some(first) = refused.first() else {
        return;
    };
    inc.containment_status = ContainmentStatus::Unconfirmed;
    inc.milestones.first_denied_after_containment = Some(first.time);
    inc.unknowns.push(format!(
        "{}; but from {} {} of the actor's calls were refused by an explicit deny in an identity-based policy (the first eventID {}): something blocked it that the evidence does not show",
        crate::model::DENY_WITHOUT_CONTAINMENT,
        first.time,
        refused.len(),
        first.event_id
    ));
}

/// The actor's own calls from `from` on refused by an explicit deny in its identity-based
/// policies, in time order.
fn denied_since<'e>(inc: &Incident, index: &EventIndex<'e>, from: Timestamp) -> Vec<&'e Event> {
    let mut refused: Vec<&Event> = inc
        .origins
        .iter()
        .filter_map(|&o| index.at(o))
        .filter(|e| {
            e.time >= from && e.identity.label() == inc.actor.arn && refused_by_identity_deny(e)
        })
        .collect();
    refused.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    refused
}

/// A call refused by an explicit deny in the caller's identity-based policies (AWS's words in
/// `errorMessage`): what a deny policy attached to the principal gives, and no other refusal.
fn refused_by_identity_deny(e: &Event) -> bool {
    e.refused()
        && e.error_message
            .as_deref()
            .is_some_and(|m| m.contains("with an explicit deny in an identity-based policy"))
}

/// One place's run findings, in order; a kind found in more than `EACH_UP_TO` runs becomes one
/// finding where its first was, at the gravest severity among them.
fn combine(found: Vec<(Timestamp, Finding)>) -> Vec<Finding> {
    each_or_combined(
        &found,
        |(_, f)| f.kind,
        EACH_UP_TO,
        |(_, f)| f.clone(),
        |list| {
            let (first, last) = (list[0].0, list[list.len() - 1].0);
            let severity = if list.iter().any(|(_, f)| f.severity == "high") {
                "high"
            } else {
                list[0].1.severity
            };
            Finding {
                kind: list[0].1.kind,
                severity,
                summary: format!(
                    "{} kill-switch runs from {first} to {last} have this finding (the first {CITED_RUNS} cited here; every run, with its steps, in the kill-switch evidence). The first: {}",
                    list.len(),
                    list[0].1.summary
                ),
                event_ids: list
                    .iter()
                    .take(CITED_RUNS)
                    .flat_map(|(_, f)| f.event_ids.iter().cloned())
                    .collect(),
            }
        },
    )
}
