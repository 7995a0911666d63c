//! Flow 1's alarm over the evidence when `PutMetricAlarm` calls in it replace its definition:
//! each period evaluated by the definition in force then. An update leaves the alarm's state
//! unchanged and overwrites its configuration (CloudWatch API Reference, PutMetricAlarm: "When
//! you update an existing alarm, its state is left unchanged, but the update completely
//! overwrites the previous configuration of the alarm"), so the new definition is evaluated
//! from the state the alarm was in, and only a change from it is a transition (a
//! notification). When CloudWatch first evaluates the new definition is not documented: the
//! replay takes the new period's next boundary, as for any evaluation.
//!
//! Pure: evaluates the definitions over the metric points already in memory.

use super::alarm_calls::AlarmCall;
use crate::rules::alarm::{self, AlarmDefinition, AlarmState, StateTransition};

/// The alarm's transitions by the definitions in force, and from when they are unknown.
pub struct InForce {
    pub transitions: Vec<StateTransition>,
    /// From this call's time on, with why: it set a definition the replay cannot evaluate, so
    /// the alarm's state is unknown from then, and so at every later call.
    pub unknown_from: Option<(i64, String)>,
}

impl InForce {
    /// The transitions that predict an access at `t`, when the alarm's state is known then.
    pub fn at(&self, t: i64) -> Option<&[StateTransition]> {
        match &self.unknown_from {
            Some((from, _)) if t >= *from => None,
            _ => Some(&self.transitions),
        }
    }
}

/// The transitions of the alarm as defined at the first access (`first`, replayed alone) until
/// the first call, then each call's definition (`defs`, one per call: the definition, or why it
/// cannot be evaluated) from the state the alarm was in when the call was made, up to `end`.
pub fn in_force(
    first: &[StateTransition],
    calls: &[AlarmCall],
    defs: &[Result<&AlarmDefinition, String>],
    points: &[(i64, f64)],
    end: i64,
) -> InForce {
    let mut out: Vec<StateTransition> = first
        .iter()
        .filter(|tr| calls.first().is_none_or(|c| tr.time < c.time.secs()))
        .cloned()
        .collect();
    for (k, (c, def)) in calls.iter().zip(defs).enumerate() {
        let from = c.time.secs();
        let def = match def {
            Ok(d) => *d,
            Err(why) => {
                return InForce {
                    transitions: out,
                    unknown_from: Some((from, why.clone())),
                }
            }
        };
        // A call in the same second as the next is overwritten by it at once.
        let to = calls.get(k + 1).map_or(end, |n| n.time.secs() - 1);
        if to < from {
            continue;
        }
        let state = out.last().map_or(AlarmState::InsufficientData, |t| t.to);
        match alarm::evaluate_from(def, points, from, to, state) {
            Ok(t) => out.extend(t),
            Err(e) => {
                return InForce {
                    transitions: out,
                    unknown_from: Some((from, format!("{}: {e}", c.label()))),
                }
            }
        }
    }
    InForce {
        transitions: out,
        unknown_from: None,
    }
}
