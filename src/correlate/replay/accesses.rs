//! One flow replayed over the honeytoken accesses: a row per access saying whether the flow's
//! rule matches it, when the flow should have fired and when the evidence says it did (flow 2
//! here; flow 1's rows, by its replayed alarm, in `flow1_rows`).
//!
//! Pure: reads the observed matches and the configuration evidence; no I/O.

use super::definitions::Definitions;
use super::delivered::Delivered;
use super::observe::Observed;
use super::spec::FlowSpec;
use super::state::{Fired, RuleState, Verdict};
use super::timing;
use super::Context;
use crate::model::{AccessReplay, FlowKind, FlowReplay, Incident, StateDelivery, Timestamp};
use std::collections::BTreeMap;

/// What an access's row reads besides the observed matches: how EventBridge delivers its
/// record and which definition of the flow's pattern was in force at it.
pub struct PerAccess<'a> {
    pub delivered: &'a BTreeMap<&'a str, Delivered>,
    pub defs: &'a Definitions<'a>,
    /// The accesses that are read-only management events, and of which kind (others: none).
    pub read_only: &'a std::collections::HashMap<&'a str, crate::rules::rule_state::ReadOnly>,
    /// Flow 2: the rule's collected state, which may not deliver a read-only event.
    pub state: Option<&'a RuleState>,
}

pub fn flow_replay(
    spec: &FlowSpec,
    n: usize,
    observed: &Observed,
    accesses: &[(usize, &Incident, &str, Timestamp)],
    cx: &Context<'_>,
    per_access: &PerAccess<'_>,
    flow2_rules: &[String],
) -> FlowReplay {
    let (delivered, defs) = (per_access.delivered, per_access.defs);
    let mut fr = FlowReplay {
        flow: spec.flow,
        resource: spec.resource.clone(),
        pattern: spec.pattern.clone(),
        alarm: spec.alarm.as_ref().map(|a| a.name.clone()),
        alarm_basis: spec.alarm_basis.clone(),
        error: spec.detector.as_ref().err().cloned(),
        matches: 0,
        accesses_total: 0,
        matched_total: 0,
        missed_total: 0,
        accesses: Vec::new(),
        matched_accesses: Vec::new(),
        missed_accesses: Vec::new(),
        matches_at_least: false,
        noise_count: 0,
        noise_examples: Vec::new(),
        predicted_pages: None,
        pages_unknown: None,
    };
    let Some(m) = observed.rules.get(n).filter(|_| fr.error.is_none()) else {
        return fr;
    };
    // Past the rule's share of kept matches the count is of those kept (a deterministic
    // number: every honeytoken read and the cap), flagged as a lower bound.
    fr.matches = m.hits.len() as u64;
    fr.matches_at_least = m.overflow > 0;
    let mut examples: Vec<_> = m.examples.clone().into_vec();
    examples.sort();
    fr.noise_examples = examples;
    let matched_access_count = accesses
        .iter()
        .filter(|a| observed.matched(n, a.2))
        .map(|a| a.2)
        .collect::<std::collections::BTreeSet<_>>()
        .len() as u64;
    fr.noise_count = fr.matches.saturating_sub(matched_access_count);
    match spec.flow {
        FlowKind::EventRule => {
            fr.predicted_pages = Some(fr.matches);
            let series = timing::triggered_series(cx.evidence, &spec.resource, flow2_rules);
            for &(_, inc, id, t) in accesses {
                let collected = observed.matched(n, id);
                let judged = defs.judge(id, t, collected);
                let mut matched = judged.matched;
                let kills: Vec<Timestamp> = inc.containment.iter().map(|c| c.time).collect();
                // Only a series naming the rule times it; one naming no flow-2 rule is said as
                // what it is, never this rule's firing nor a delay's basis.
                let actual = timing::actual_trigger(&series.named, t, &kills);
                let unnamed = actual
                    .is_none()
                    .then(|| timing::unnamed_count(&series.unnamed, t))
                    .flatten();
                let mut missed_because =
                    match (&spec.detector, matched || collected, delivered.get(id)) {
                        (Ok(d), false, Some(kind)) => kind.missed_because(d),
                        _ => None,
                    };
                // The pattern matches; whether the rule's state lets EventBridge deliver it.
                let (mut note, mut by_state) = (None, StateDelivery::Delivered);
                let fired = match (&actual, &unnamed) {
                    (Some(a), _) => Fired::Named(&a.1),
                    (None, Some(evidence)) => Fired::Unnamed(evidence),
                    (None, None) => Fired::No,
                };
                let mut told_unnamed = false;
                let at = per_access.state.map(|s| s.at(id, t));
                match per_access
                    .state
                    .zip(at.as_ref())
                    .filter(|_| matched)
                    .map(|(s, at)| {
                        let kind = per_access.read_only.get(id).copied();
                        s.judge(
                            at,
                            kind.unwrap_or(crate::rules::rule_state::ReadOnly::No),
                            fired,
                        )
                    }) {
                    Some(Verdict::Missed(why)) => {
                        // Its reason tells the unnamed series (`RuleState::judge`).
                        told_unnamed = true;
                        matched = false;
                        by_state = StateDelivery::NotDelivered;
                        missed_because = Some(why);
                    }
                    Some(Verdict::Note(kind, why)) => {
                        by_state = kind;
                        note = Some(why);
                    }
                    Some(Verdict::Delivered) | None => {}
                }
                if let Some(evidence) = unnamed.as_ref().filter(|_| !told_unnamed) {
                    let said = format!(
                        "{}{}",
                        timing::not_this_rule(evidence, &spec.resource),
                        if matched {
                            ", so when it fired for this access, and the delay, are unknown"
                        } else {
                            ""
                        }
                    );
                    note = Some(match note {
                        Some(n) => format!("{n}; {said}"),
                        None => said,
                    });
                }
                let predicted = matched.then_some(t);
                fr.accesses.push(AccessReplay {
                    incident: inc.id.clone(),
                    event_id: id.to_string(),
                    time: t,
                    matched,
                    predicted,
                    predicted_latest: None,
                    delay_seconds: timing::delay(predicted, actual.as_ref().map(|a| a.0)),
                    actual: actual.as_ref().map(|a| a.0),
                    actual_evidence: actual.map(|a| a.1),
                    note,
                    missed_because,
                    by_state,
                    definition: judged.definition,
                    collected_matches: collected,
                    rule_state: at.as_ref().and_then(|a| a.state()).map(str::to_string),
                    rule_state_basis: at.as_ref().map(|a| a.basis()),
                    state_set_by: at.as_ref().and_then(|a| a.set_by()).map(str::to_string),
                    alarm_definition: None,
                });
            }
        }
        FlowKind::MetricFilter => {
            super::flow1_rows::flow1_accesses(&mut fr, spec, n, observed, accesses, cx, defs)
        }
    }
    for a in &fr.accesses {
        if a.matched {
            fr.matched_accesses.push(a.event_id.clone());
        } else {
            fr.missed_accesses.push(a.event_id.clone());
        }
    }
    fr.accesses_total = fr.accesses.len() as u64;
    fr.matched_total = fr.matched_accesses.len() as u64;
    fr.missed_total = fr.missed_accesses.len() as u64;
    fr
}
