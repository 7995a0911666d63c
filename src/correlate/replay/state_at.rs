//! Which `State` flow 2's rule was in at each honeytoken access, and what that rests on: the
//! last successful PutRule (its `state`), EnableRule or DisableRule record before the access in
//! the evidence; the state as collected (describe-rule, list-rules) only when the evidence holds
//! no such call; otherwise "unknown", saying why: no call before the access (the state then is
//! not in the evidence), a call in the same second (`same_second`: eventTime does not order
//! them), or a last
//! call that disagrees with the collected state (a call not in the evidence changed it after).
//! EnableRule, and PutRule without a state, enable the rule without the API Reference saying in
//! which of ENABLED and ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS.
//!
//! Pure: reads the change records already in memory.

use super::same_second::{self, At};
use super::spec::FlowSpec;
use crate::model::{Event, Timestamp};
use crate::rules::rule_state::ALL_MANAGEMENT;
use serde_json::Value;

/// What one call set the rule's state to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Set {
    /// A state named by the call (DisableRule: `DISABLED`; PutRule's `state`).
    State(String),
    /// Enabled, in a state the API Reference does not name (EnableRule, PutRule without one).
    Enabled,
}

impl Set {
    fn describe(&self) -> String {
        match self {
            Set::State(s) => format!("state {s}"),
            Set::Enabled => format!("enabled, in state ENABLED or {ALL_MANAGEMENT}: the EventBridge API Reference does not say which"),
        }
    }

    /// Whether a rule left in this state could be collected in `collected`.
    fn agrees_with(&self, collected: &str) -> bool {
        match self {
            Set::State(s) => s == collected,
            Set::Enabled => collected != "DISABLED",
        }
    }
}

/// One successful call that set the rule's state.
#[derive(Debug, Clone)]
pub struct StateChange {
    pub event_id: String,
    pub time: Timestamp,
    api: String,
    pub set: Set,
}

impl StateChange {
    /// `DisableRule <eventID> at <time> (state DISABLED)`.
    pub fn label(&self) -> String {
        format!(
            "{} {} at {} ({})",
            self.api,
            self.event_id,
            self.time,
            self.set.describe()
        )
    }
}

/// The state an access is judged by, and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InForce {
    /// As collected: the evidence holds no call setting the state.
    Collected(String),
    /// Set by the last call before the access (its label).
    Recorded(Set, String),
    /// Not known from the evidence: why.
    Unknown(String),
}

impl InForce {
    /// The state's name, when known (`None` for an enabled rule of unnamed state).
    pub fn state(&self) -> Option<&str> {
        match self {
            InForce::Collected(s) | InForce::Recorded(Set::State(s), _) => Some(s),
            _ => None,
        }
    }

    /// The call the state rests on (its label), when it rests on one.
    pub fn set_by(&self) -> Option<&str> {
        match self {
            InForce::Recorded(_, label) => Some(label),
            _ => None,
        }
    }

    /// What the state rests on, as the row's `rule_state_basis` says it.
    pub fn basis(&self) -> String {
        match self {
            InForce::Collected(_) => "as collected (describe-rule, list-rules); no call setting the rule's state is in the evidence, so whether it was the state at this access is unknown".into(),
            InForce::Recorded(_, label) => format!("{label}, the last call setting the rule's state before this access"),
            InForce::Unknown(why) => format!("unknown: {why}"),
        }
    }
}

/// The successful PutRule, EnableRule and DisableRule calls on `spec`'s rule (its name or ARN,
/// in its region, account and bus where its ARN gives them: [`FlowSpec::calls_on`]), in time
/// order (eventID breaks ties; a copy of one record once).
pub fn changes(events: &[Event], spec: &FlowSpec) -> Vec<StateChange> {
    let mut out: Vec<StateChange> = spec
        .calls_on(events, &["PutRule", "EnableRule", "DisableRule"])
        .into_iter()
        .map(|(e, record)| {
            let params = &record["requestParameters"];
            let set = match (
                e.event_name.as_str(),
                params.get("state").and_then(Value::as_str),
            ) {
                ("DisableRule", _) => Set::State("DISABLED".into()),
                ("EnableRule", _) | (_, None) => Set::Enabled,
                (_, Some(s)) => Set::State(s.to_string()),
            };
            StateChange {
                event_id: e.event_id.clone(),
                time: e.time,
                api: e.event_name.clone(),
                set,
            }
        })
        .collect();
    out.sort_by(|a, b| (a.time, &a.event_id).cmp(&(b.time, &b.event_id)));
    out.dedup_by(|a, b| a.event_id == b.event_id);
    out
}

/// The state in force at the access `access` at `t` given the recorded `changes` (in time
/// order) and the state as `collected`.
pub fn in_force(
    changes: &[StateChange],
    collected: Option<&str>,
    access: &str,
    t: Timestamp,
) -> InForce {
    let Some(first) = changes.first() else {
        return match collected {
            Some(s) => InForce::Collected(s.to_string()),
            None => InForce::Unknown(
                "its State is not in the evidence and no call setting it is either".into(),
            ),
        };
    };
    let (n, last) = match same_second::at(changes, |c| c.time, t) {
        At::SameSecond { same, .. } => {
            return InForce::Unknown(same_second::unordered(&same.label(), access))
        }
        At::BeforeAll => return InForce::Unknown(format!(
            "the first call setting the rule's state in the evidence ({}) is after this access, and the evidence holds no state before it",
            first.label()
        )),
        At::After(n, last) => (n, last),
    };
    let is_last = n + 1 == changes.len();
    match collected {
        Some(c) if is_last && !last.set.agrees_with(c) => InForce::Unknown(format!(
            "{} is the last call setting the rule's state in the evidence, but its state as collected is {c}: a call not in the evidence changed it after that one, before or after this access",
            last.label()
        )),
        _ => InForce::Recorded(last.set.clone(), last.label()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(secs: i64, id: &str, set: Set) -> StateChange {
        StateChange {
            event_id: id.into(),
            time: Timestamp::from_secs(secs),
            api: "PutRule".into(),
            set,
        }
    }

    #[test]
    fn each_access_is_judged_by_the_last_call_before_it_or_is_unknown() {
        let disabled = Set::State("DISABLED".into());
        let all = Set::State(ALL_MANAGEMENT.into());
        let changes = vec![change(100, "a", all.clone()), change(200, "b", disabled)];
        let at = |t, c: Option<&str>| in_force(&changes, c, "read", Timestamp::from_secs(t));
        assert!(matches!(at(50, Some("DISABLED")), InForce::Unknown(_)));
        assert_eq!(at(150, Some("DISABLED")).state(), Some(ALL_MANAGEMENT));
        assert_eq!(at(250, Some("DISABLED")).state(), Some("DISABLED"));
        assert!(matches!(at(200, Some("DISABLED")), InForce::Unknown(_)));
        // The collected state disagrees with the last call: unknown after it, not before.
        assert!(matches!(at(250, Some(ALL_MANAGEMENT)), InForce::Unknown(_)));
        assert_eq!(at(150, Some(ALL_MANAGEMENT)).state(), Some(ALL_MANAGEMENT));
        assert_eq!(
            in_force(&[], Some("ENABLED"), "read", Timestamp::from_secs(1)),
            InForce::Collected("ENABLED".into())
        );
        assert!(matches!(
            in_force(&[], None, "read", Timestamp::from_secs(1)),
            InForce::Unknown(_)
        ));
        let enabled = vec![change(100, "c", Set::Enabled)];
        let e = in_force(
            &enabled,
            Some(ALL_MANAGEMENT),
            "read",
            Timestamp::from_secs(150),
        );
        assert_eq!(e.state(), None);
        assert!(matches!(e, InForce::Recorded(Set::Enabled, _)));
    }
}
