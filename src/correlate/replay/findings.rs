//! Replay findings: accesses a flow's own rule would miss (incident findings) and, through
//! `noise`, matches that are not honeytoken accesses, which the flow would page on (case
//! findings). An account can hold
//! thousands of filters or rules on the same call: past [`EACH_UP_TO`] flows of one kind with
//! the same finding, one finding names the first few and counts them.

use super::flow_names::{flow_name, flows_of_kind, named};
use super::noise::{combined_noise, noise};
use super::Judged;
use crate::correlate::findings::each_or_combined;
use crate::model::{Finding, FindingKind, FlowKind, FlowReplay, Incident};
use std::collections::{BTreeMap, BTreeSet};

/// Flows of one kind with the same finding each get their own up to this many; past it, one.
const EACH_UP_TO: usize = 5;

/// Why a flow's finding is on an incident: its rule misses accesses, or (flow 1) matches them
/// but its alarm would not enter ALARM for them.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Miss {
    Pattern,
    Alarm,
    /// Flow 2: the pattern matches, but the rule's collected state (`ENABLED`) is not
    /// delivered read-only management events (`rules::rule_state`).
    State,
    /// Flow 2: the pattern matches, but the rule's collected state is `DISABLED`: EventBridge
    /// matches no event against it.
    Disabled,
}

/// One flow's finding about one incident's accesses: which of them (indices into
/// [`Judged::accesses`]) and of how many. The eventIDs are written out only for the findings
/// made: past [`EACH_UP_TO`] flows, one combined finding.
struct FlowMiss<'a> {
    flow: &'a FlowReplay,
    why: Miss,
    ids: Vec<u32>,
    of: usize,
    /// Of `ids`, those EventBridge does not deliver as the kind of event the rule matches.
    undelivered: usize,
    /// Of `ids`, those whose rule state rests on a recorded call, not the collected state.
    by_call: usize,
    /// Of `ids`, those for which the pattern in force is unknown (the row's `definition`).
    definition_unknown: usize,
}

impl FlowMiss<'_> {
    /// A flow that misses every access of the incident would not have fired for it; a filter
    /// whose alarm would stay silent is as bad.
    fn high(&self) -> bool {
        self.why == Miss::Alarm || self.ids.len() == self.of
    }

    /// Whose word the rule's state `state` rests on, for a state finding: "its collected state
    /// X" or the calls before the accesses.
    fn whose_state(&self, state: &str) -> String {
        match self.by_call {
            0 => format!("its collected state is {state}"),
            n if n == self.ids.len() => format!("its state at them was {state}, as the last call setting it before each set it (the replay's rule_state_basis names the call)"),
            n => format!("its state at them was {state}, as collected or, for {n} of them, as the last call setting it before each set it (the replay's rule_state_basis names the call)"),
        }
    }

    fn finding(&self, accesses: &[(usize, String)]) -> Finding {
        let f = self.flow;
        let summary = match self.why {
            Miss::Pattern => format!(
                "{}: its pattern does not match {} of the {} honeytoken access(es){}{}{}",
                flow_name(f),
                self.ids.len(),
                self.of,
                match (self.high(), self.definition_unknown) {
                    (false, _) => "",
                    (true, 0) => ": this flow would not have fired for the incident",
                    (true, _) => ": this flow would not have fired for the incident if the patterns they are judged by were in force",
                },
                undelivered(self.undelivered, self.ids.len()),
                definition_unknown(self.definition_unknown)
            ),
            Miss::Alarm => format!(
                "{}: the filter matches {} access(es), but alarm {} would not enter ALARM for them",
                flow_name(f),
                self.ids.len(),
                f.alarm.as_deref().unwrap_or_default()
            ),
            Miss::State | Miss::Disabled => {
                let guide = crate::rules::rule_state::GUIDE;
                let (state, what) = match self.why {
                    Miss::Disabled => (
                        "DISABLED",
                        format!("in which EventBridge matches no event against the rule ({guide}), and nothing in the evidence that names the rule shows it firing for them"),
                    ),
                    _ => (
                        "ENABLED",
                        format!("which does not receive read-only management events delivered through CloudTrail ({guide}), so in that state EventBridge does not deliver them to it and nothing in the evidence that names the rule shows it firing for them"),
                    ),
                };
                format!(
                    "{}: its pattern matches {} of the {} honeytoken access(es), but {}, {what}{}; whether its state was the same at the reads is as the replay's missed_because says; fix: aws events put-rule --name {} --state {} (with its event pattern)",
                    flow_name(f),
                    self.ids.len(),
                    self.of,
                    self.whose_state(state),
                    if self.high() {
                        ": this flow would not have fired for the incident"
                    } else {
                        ""
                    },
                    f.resource,
                    crate::rules::rule_state::ALL_MANAGEMENT,
                )
            }
        };
        Finding {
            kind: FindingKind::AccessMissedByFlow,
            severity: if self.high() { "high" } else { "medium" },
            summary,
            event_ids: self
                .ids
                .iter()
                .map(|&n| accesses[n as usize].1.clone())
                .collect(),
        }
    }
}

/// What a pattern finding adds when EventBridge does not deliver some of the missed accesses'
/// records as the kind of event the rule matches (a request refused at a VPC endpoint is a
/// network activity event, not an API call).
fn undelivered(n: usize, of: usize) -> String {
    match n {
        0 => String::new(),
        _ if n == of => "; EventBridge does not deliver their records as the kind of event the rule matches (the rule's pattern matches them as API calls), so the rule could not have seen them: the replay's missed_because says how each is delivered".into(),
        _ => format!("; {n} of them EventBridge does not deliver as the kind of event the rule matches (the rule's pattern matches them as API calls), so the rule could not have seen those: the replay's missed_because says how each is delivered"),
    }
}

/// What a pattern finding adds when the pattern in force at some of the missed accesses is
/// unknown: the evidence records a change of it after them or in their second.
fn definition_unknown(n: usize) -> String {
    match n {
        0 => String::new(),
        _ => format!("; for {n} of them which pattern was in force is unknown (a change of it in the evidence is after the access, or in its second, which CloudTrail's eventTime does not order), so whether the flow missed them is unknown: the replay's definition names the change and the pattern each is judged by"),
    }
}

/// Add the replay's findings to the incidents they concern and to the case findings.
pub fn add_findings(judged: &Judged, incidents: &mut [Incident], case: &mut Vec<Finding>) {
    let replay = &judged.replay;
    let mut of = vec![0usize; incidents.len()];
    for a in &judged.accesses {
        of[a.0] += 1;
    }
    // Per incident, in the flows' order, each flow's pattern finding before its alarm finding;
    // only the incidents a flow's accesses concern (not a list per incident for each of
    // thousands of flows).
    let mut per_incident: Vec<Vec<FlowMiss>> = (0..incidents.len()).map(|_| Vec::new()).collect();
    for (f, j) in
        replay.flows.iter().zip(&judged.flows).filter(|(f, _)| {
            f.error.is_none() || (f.flow == FlowKind::MetricFilter && f.matches > 0)
        })
    {
        for (why, list) in [
            (Miss::Pattern, &j.missed),
            (Miss::State, &j.unreceived),
            (Miss::Disabled, &j.disabled),
            (Miss::Alarm, &j.silent),
        ] {
            let undelivered: std::collections::HashSet<u32> = match why {
                Miss::Pattern => j.undelivered.iter().copied().collect(),
                Miss::Alarm | Miss::State | Miss::Disabled => Default::default(),
            };
            let by_call: std::collections::HashSet<u32> = j.state_by_call.iter().copied().collect();
            let unknown_def: std::collections::HashSet<u32> = match why {
                Miss::Pattern => j.definition_unknown.iter().copied().collect(),
                Miss::Alarm | Miss::State | Miss::Disabled => Default::default(),
            };
            let mut by_incident: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
            for &n in list {
                by_incident
                    .entry(judged.accesses[n as usize].0)
                    .or_default()
                    .push(n);
            }
            for (n, ids) in by_incident {
                per_incident[n].push(FlowMiss {
                    flow: f,
                    why,
                    undelivered: ids.iter().filter(|i| undelivered.contains(i)).count(),
                    by_call: ids.iter().filter(|i| by_call.contains(i)).count(),
                    definition_unknown: ids.iter().filter(|i| unknown_def.contains(i)).count(),
                    ids,
                    of: of[n],
                });
            }
        }
    }
    for (inc, found) in incidents.iter_mut().zip(per_incident) {
        inc.findings.extend(each_or_combined(
            &found,
            |m| (m.flow.flow, m.why),
            EACH_UP_TO,
            |m| m.finding(&judged.accesses),
            |list| combined_miss(list, &judged.accesses),
        ));
    }
    let noisy: Vec<&FlowReplay> = replay
        .flows
        .iter()
        .filter(|f| f.error.is_none() || f.flow == FlowKind::MetricFilter)
        .filter(|f| f.noise_count > 0)
        .collect();
    case.extend(each_or_combined(
        &noisy,
        |f| f.flow,
        EACH_UP_TO,
        |f| noise(f),
        combined_noise,
    ));
}

/// Many flows of one kind with the same finding about one incident: one finding.
fn combined_miss(list: &[&FlowMiss], accesses: &[(usize, String)]) -> Finding {
    let flows: Vec<&FlowReplay> = list.iter().map(|m| m.flow).collect();
    let kind = flows_of_kind(list[0].flow.flow, list.len());
    let high = list.iter().filter(|m| m.high()).count();
    let summary = match list[0].why {
        Miss::Pattern => format!(
            "{kind} do not match some of this incident's honeytoken accesses ({high} of them match none, so would not have fired for the incident): {}; the replay counts each flow's misses (missed_total) and lists the first of them",
            named(&flows)
        ),
        Miss::Alarm => format!(
            "{kind} match this incident's honeytoken accesses, but the alarms on their metrics would not enter ALARM for some of them: {}; the replay counts each flow's accesses and lists the first of them",
            named(&flows)
        ),
        Miss::State => format!(
            "{kind} match some of this incident's honeytoken accesses, but their state at them (as collected, or as the last call setting it before each set it: the replay's rule_state_basis) was ENABLED, which does not receive read-only management events delivered through CloudTrail ({}), so in that state EventBridge does not deliver those accesses to them ({high} of them would receive none, so would not have fired for the incident): {}; the replay's missed_because says so for each access",
            crate::rules::rule_state::GUIDE,
            named(&flows)
        ),
        Miss::Disabled => format!(
            "{kind} match some of this incident's honeytoken accesses, but their state at them (as collected, or as the last call setting it before each set it: the replay's rule_state_basis) was DISABLED, in which EventBridge matches no event against a rule ({}), and nothing in the evidence that names them shows them firing for those accesses ({high} of them would receive none, so would not have fired for the incident): {}; the replay's missed_because says so for each access",
            crate::rules::rule_state::GUIDE,
            named(&flows)
        ),
    };
    let ids: BTreeSet<&str> = list
        .iter()
        .flat_map(|m| m.ids.iter().map(|&n| accesses[n as usize].1.as_str()))
        .collect();
    Finding {
        kind: FindingKind::AccessMissedByFlow,
        severity: if high > 0 { "high" } else { "medium" },
        summary,
        event_ids: ids.into_iter().map(str::to_string).collect(),
    }
}
