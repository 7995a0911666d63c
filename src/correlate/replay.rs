//! Detection replay: evaluate each flow's own rule (metric filter pattern, EventBridge event
//! pattern) over every record read, then judge each honeytoken access: matched or missed, when the
//! flow should have fired and when it did; and count what else the rule would page on.
//!
//! Pure: the records come through [`Observer`] during the analysis passes; no I/O, no clock.

mod accesses;
mod alarm_calls;
mod alarm_in_force;
mod assumptions;
mod bounds;
mod definitions;
mod delivered;
mod findings;
mod flow1_rows;
mod flow_names;
mod judge;
mod noise;
mod observe;
mod rule_scope;
mod same_second;
mod spec;
mod state;
mod state_at;
mod timing;

pub use bounds::{access_rows_per_flow, examples_per_rule, MAX_EXAMPLES};
pub use findings::add_findings;
pub use judge::{FlowJudgement, Judged};
pub use observe::{to_match, Observed, Observer};
pub use spec::{specs, FlowSpec};

use crate::model::AnalysisSettings;
use crate::model::{ConfigEvidence, Event, FlowKind, Incident, Replay, Timestamp};
use std::collections::BTreeMap;

/// Everything [`build`] reads besides the observed matches.
pub struct Context<'a> {
    pub settings: &'a AnalysisSettings,
    pub incidents: &'a [Incident],
    pub events: &'a [Event],
    pub evidence: &'a ConfigEvidence,
}

/// Judge every honeytoken access against every replayed rule. Each flow's rows are cut to
/// [`Replay::max_access_rows`] as soon as it is judged: a loop of reads times many rules would
/// otherwise hold a row per access and flow.
pub fn build(specs: &[FlowSpec], observed: &Observed, cx: &Context<'_>) -> Judged {
    let times: BTreeMap<&str, Timestamp> = cx
        .events
        .iter()
        .map(|e| (e.event_id.as_str(), e.time))
        .collect();
    let accesses: Vec<(usize, &Incident, &str, Timestamp)> = cx
        .incidents
        .iter()
        .enumerate()
        .flat_map(|(n, i)| i.access_event_ids.iter().map(move |id| (n, i, id.as_str())))
        .filter_map(|(n, i, id)| Some((n, i, id, *times.get(id)?)))
        .collect();
    let flow2_rules: Vec<String> = specs
        .iter()
        .filter(|s| s.flow == FlowKind::EventRule)
        .map(|s| s.resource.clone())
        .collect();
    let access_ids: std::collections::HashSet<&str> = accesses.iter().map(|a| a.2).collect();
    let max_access_rows = access_rows_per_flow(specs.len());
    let mut judgements = Vec::with_capacity(specs.len());
    let first_access = accesses.iter().map(|a| a.3).min();
    let delivered = delivered::of_accesses(cx.events, &access_ids);
    let records: std::collections::HashMap<&str, &Event> = cx
        .events
        .iter()
        .filter(|e| access_ids.contains(e.event_id.as_str()))
        .map(|e| (e.event_id.as_str(), e))
        .collect();
    // Which accesses are read-only management events, which a flow-2 rule in state ENABLED is
    // not delivered (`state`).
    let read_only: std::collections::HashMap<&str, crate::rules::rule_state::ReadOnly> = records
        .iter()
        .filter_map(|(id, e)| {
            let r = serde_json::from_str::<serde_json::Value>(e.raw.get()).ok()?;
            let kind = crate::rules::rule_state::read_only(&r);
            (kind != crate::rules::rule_state::ReadOnly::No).then_some((*id, kind))
        })
        .collect();
    let mut changed = Vec::new();
    let flows = specs
        .iter()
        .enumerate()
        .map(|(n, spec)| {
            let spec = &spec::in_force_at(spec, first_access, cx);
            let defs = definitions::Definitions::new(spec, cx.events, &records);
            let rule_state = state::RuleState::new(spec, cx.events);
            changed.extend(defs.assumption());
            changed.extend(rule_state.as_ref().and_then(state::RuleState::assumption));
            changed.extend(alarm_changes(spec, cx));
            changed.extend(source_unknown(spec, observed.rules.get(n)));
            changed.extend(sign_in_spelling(spec, observed.rules.get(n)));
            let mut fr = accesses::flow_replay(
                spec,
                n,
                observed,
                &accesses,
                cx,
                &accesses::PerAccess {
                    delivered: &delivered,
                    defs: &defs,
                    read_only: &read_only,
                    state: rule_state.as_ref(),
                },
                &flow2_rules,
            );
            fr.noise_examples
                .retain(|m| !access_ids.contains(m.event_id.as_str()));
            judgements.push(judge::judge(&fr));
            bounds::bound_rows(&mut fr, max_access_rows);
            fr
        })
        .collect();
    Judged {
        replay: Replay {
            flows,
            assumptions: assumptions::assumptions(specs)
                .into_iter()
                .chain(changed)
                .collect(),
            records_evaluated: observed.records,
            max_examples: examples_per_rule(specs.len()),
            max_access_rows,
        },
        accesses: accesses.iter().map(|a| (a.0, a.2.to_string())).collect(),
        flows: judgements,
    }
}

/// What the replay says of a flow-2 rule that tests `source` when Insights events were among
/// the records: their `source` on the bus is documented nowhere, so they were not matched
/// against it and whether it matches them is unknown (counted per eventID as seen, copies
/// included).
fn source_unknown(spec: &FlowSpec, m: Option<&observe::RuleMatches>) -> Option<String> {
    let n = m.map_or(0, |m| m.source_unknown);
    (n > 0).then(|| format!(
        "flow 2 (EventBridge rule {}): {n} Insights event record(s) were not matched against it: the rule tests source, and no AWS document gives the source EventBridge delivers an Insights event with (the EventBridge User Guide, \"AWS service events delivered via AWS CloudTrail\", gives its detail-type, \"AWS Insight via CloudTrail\", only), so whether the rule matches them is unknown",
        spec.resource
    ))
}

/// What the replay says of a flow-2 rule that matched console sign-ins only by the
/// detail-type "AWS Console Sign In via CloudTrail": the EventBridge User Guide spells it
/// "AWS Console Signin via CloudTrail", AWS's Knowledge Center as the rule does, and the
/// evidence does not show which EventBridge delivers, so both are accepted.
fn sign_in_spelling(spec: &FlowSpec, m: Option<&observe::RuleMatches>) -> Option<String> {
    let n = m.map_or(0, |m| m.sign_in_also);
    (n > 0).then(|| format!(
        "flow 2 (EventBridge rule {}): {n} console sign-in record(s) matched by its detail-type \"AWS Console Sign In via CloudTrail\", as AWS's Knowledge Center spells it; the EventBridge User Guide (\"AWS service events delivered via AWS CloudTrail\") spells it \"AWS Console Signin via CloudTrail\", and the evidence does not show which EventBridge delivers, so a rule written with either is matched",
        spec.resource
    ))
}

/// What the replay says of flow 1's alarm when the evidence records PutMetricAlarm calls on
/// it: each access after one is predicted by the definition it set.
fn alarm_changes(spec: &FlowSpec, cx: &Context<'_>) -> Option<String> {
    let alarm = spec.alarm.as_ref()?;
    let calls = alarm_calls::calls(cx.events, &alarm.name);
    (!calls.is_empty()).then(|| format!(
        "flow 1 (alarm {} on metric filter {}): the evidence records PutMetricAlarm calls on it ({}): each access after one is predicted by the definition the last of them before it set, named in its row's alarm_definition, an access before the first by the definition in force at the first access; each period is evaluated by the definition in force at its end, and an update leaves the alarm's state unchanged (CloudWatch API Reference, PutMetricAlarm), so each call's definition is evaluated from the state the alarm was in when it was made, from the new period's next boundary (when CloudWatch first evaluates an updated alarm is not documented), and only a change from that state is a notification; the flow's predicted notifications count each ALARM transition by the definition in force at its time (the one at the first access before the first call, then the one each call set), and are unknown when one of them cannot be replayed",
        alarm.name,
        spec.resource,
        calls.iter().map(alarm_calls::AlarmCall::label).collect::<Vec<_>>().join("; ")
    ))
}
