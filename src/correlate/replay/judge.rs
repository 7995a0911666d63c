//! What each flow made of the honeytoken accesses, kept compact for the findings: which
//! accesses its rule misses and (flow 1) which its alarm would stay silent for.
//!
//! Pure: depends on the model only.

use crate::model::{FlowKind, FlowReplay, Replay};

/// What one flow made of the honeytoken accesses, kept compact for the findings once its rows
/// are cut: indices into [`Judged::accesses`].
#[derive(Debug, Default)]
pub struct FlowJudgement {
    /// Accesses the flow's rule does not match.
    pub missed: Vec<u32>,
    /// Flow 2: of `missed`, those EventBridge delivers as another kind of event than the rule
    /// matches (the row's `missed_because`): the rule could not have seen them.
    pub undelivered: Vec<u32>,
    /// Flow 2: accesses the pattern matches that the rule's collected state (`ENABLED`) is not
    /// delivered (read-only management events): not in `missed`, whose pattern misses them.
    pub unreceived: Vec<u32>,
    /// Flow 2: accesses the pattern matches while the rule's state is `DISABLED`, in which
    /// EventBridge matches no event against it: not in `missed` nor `unreceived`.
    pub disabled: Vec<u32>,
    /// Flow 2: accesses whose state is the one a recorded call set before them (PutRule,
    /// EnableRule, DisableRule), not the collected one.
    pub state_by_call: Vec<u32>,
    /// Flow 1: accesses the filter matches but its replayed alarm would not enter ALARM for.
    pub silent: Vec<u32>,
    /// Accesses whose pattern in force is unknown (the row's `definition` says why: before
    /// the first change in the evidence, or a change in the same second).
    pub definition_unknown: Vec<u32>,
}

/// The replay with what each flow made of every access: the findings are made from it.
pub struct Judged {
    pub replay: Replay,
    /// Every honeytoken access judged: its incident (an index into the incidents) and eventID.
    pub accesses: Vec<(usize, String)>,
    /// One per flow of [`Replay::flows`], in that order.
    pub flows: Vec<FlowJudgement>,
}

/// Judge one flow's accesses (one row per access, in the order of `accesses`).
pub fn judge(f: &FlowReplay) -> FlowJudgement {
    let mut j = FlowJudgement::default();
    for (n, a) in f.accesses.iter().enumerate() {
        if a.state_set_by.is_some() {
            j.state_by_call.push(n as u32);
        }
        if a.definition
            .as_deref()
            .is_some_and(|d| d.starts_with("unknown"))
        {
            j.definition_unknown.push(n as u32);
        }
        if a.by_state == crate::model::StateDelivery::NotDelivered {
            if a.rule_state.as_deref() == Some("DISABLED") {
                j.disabled.push(n as u32);
            } else {
                j.unreceived.push(n as u32);
            }
        } else if !a.matched {
            j.missed.push(n as u32);
            if a.missed_because.is_some() {
                j.undelivered.push(n as u32);
            }
        } else if a.predicted.is_none()
            && a.collected_matches
            && f.error.is_none()
            && f.flow == FlowKind::MetricFilter
        {
            j.silent.push(n as u32);
        }
    }
    j
}
