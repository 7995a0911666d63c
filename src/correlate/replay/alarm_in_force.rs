//! Flow 1's alarm over the evidence when `PutMetricAlarm` calls in it replace its definition:
//! each period evaluated by the definition in force then. An update leaves the alarm's state
//! unchanged and overwrites its configuration (CloudWatch API Reference, PutMetricAlarm: "When
//! you update an existing alarm, its state is left unchanged, but the update completely
//! overwrites the previous configuration of the alarm"), so the new definition is evaluated
//! from the state the alarm was in, and only a change from it is a transition (a
//! notification). When CloudWatch first evaluates the new definition is not documented: the
//! replay takes the new period's next boundary, as for any evaluation. Where the definition in
//! force is not one the replay can evaluate (before a call made before the first access, after
//! a call setting metric math or another metric), the alarm's state is unknown, and stays so
//! until a later definition's evaluation judges it: no transition there is counted.
//!
//! Pure: evaluates the definitions over the metric points already in memory.

use super::alarm_calls::AlarmCall;
use crate::rules::alarm::{self, AlarmDefinition, AlarmState, StateTransition};

/// The alarm's transitions by the definitions in force, and when its state is unknown.
pub struct InForce {
    pub transitions: Vec<StateTransition>,
    /// Spans in which the alarm's state is unknown, in time order: before a call made before
    /// the first access (the definition in force then is not the first access's, and not in
    /// the evidence the replay evaluates), and from a call that set a definition the replay
    /// cannot evaluate. Each lasts until a definition evaluated after it first judges the
    /// alarm's state, which sets it whatever it was.
    pub unknown: Vec<Unknown>,
}

/// A span of unknown state: from `from` (seconds; `None`: the start of the evidence) to `to`
/// (`None`: the end), and why.
pub struct Unknown {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub why: String,
}

impl InForce {
    /// The transitions that predict an access at `t` when the alarm's state is known then, or
    /// why it is not.
    pub fn at(&self, t: i64) -> Result<&[StateTransition], &str> {
        match self
            .unknown
            .iter()
            .find(|u| u.from.is_none_or(|f| t >= f) && u.to.is_none_or(|e| t < e))
        {
            Some(u) => Err(&u.why),
            None => Ok(&self.transitions),
        }
    }

    /// Why the flow's notifications over the evidence are not known, if they are not.
    pub fn pages_unknown(&self) -> Option<String> {
        (!self.unknown.is_empty()).then(|| {
            let spans: Vec<&str> = self.unknown.iter().map(|u| u.why.as_str()).collect();
            format!(
                "the alarm's state is unknown for part of the evidence ({}), so its ALARM transitions there, and the notifications they sent, are not counted",
                spans.join("; ")
            )
        })
    }
}

/// The transitions of the alarm as defined at the first access (`first`, replayed alone) until
/// the first call, then each call's definition (`defs`, one per call: the definition, or why it
/// cannot be evaluated) from the state the alarm was in when the call was made, up to `end`.
/// A first call made at or before the first access (`first_access`, seconds) replaced a
/// definition the evidence does not give: the alarm's state before it is unknown.
pub fn in_force(
    first: &[StateTransition],
    calls: &[AlarmCall],
    defs: &[Result<&AlarmDefinition, String>],
    points: &[(i64, f64)],
    (first_access, end): (i64, i64),
) -> InForce {
    let mut unknown: Vec<Unknown> = Vec::new();
    let mut out: Vec<StateTransition> = match calls.first() {
        Some(c) if c.time.secs() <= first_access => {
            unknown.push(Unknown {
                from: None,
                to: None,
                why: format!(
                    "before {}, made before the first access, the alarm had a definition the replay does not have (the first access's is the one in force after it), so its transitions before it are not counted by the first access's definition",
                    c.label()
                ),
            });
            Vec::new()
        }
        _ => first
            .iter()
            .filter(|tr| calls.first().is_none_or(|c| tr.time < c.time.secs()))
            .cloned()
            .collect(),
    };
    for (k, (c, def)) in calls.iter().zip(defs).enumerate() {
        let from = c.time.secs();
        // A call in the same second as the next is overwritten by it at once.
        let to = calls.get(k + 1).map_or(end, |n| n.time.secs() - 1);
        let evaluated = def.as_ref().map_err(String::clone).and_then(|d| {
            alarm::evaluate_from(d, points, from, to.max(from), AlarmState::InsufficientData)
                .map(|_| *d)
                .map_err(|e| format!("{}: {e}", c.label()))
        });
        let def = match evaluated {
            Ok(d) => d,
            Err(why) => {
                // Unknown from here until a later definition judges the state.
                if unknown.last().is_none_or(|u| u.to.is_some()) {
                    unknown.push(Unknown {
                        from: Some(from),
                        to: None,
                        why: format!("from {why}"),
                    });
                }
                continue;
            }
        };
        if to < from {
            continue;
        }
        // Still unknown: known from this definition's first judgement on.
        let open = unknown.last_mut().filter(|u| u.to.is_none());
        let state = match open {
            Some(u) => {
                u.to = known_from(def, points, from, to);
                if u.to.is_none() {
                    continue;
                }
                AlarmState::InsufficientData
            }
            None => out.last().map_or(AlarmState::InsufficientData, |t| t.to),
        };
        if let Ok(t) = alarm::evaluate_from(def, points, from, to, state) {
            out.extend(t);
        }
    }
    InForce {
        transitions: out,
        unknown,
    }
}

/// The first evaluation of `def` from `from` to `to` that judges the alarm's state (its
/// MissingData treatment may keep the state instead): from there the state is known whatever
/// it was. Found as the first transition of an alarm started in OK or in ALARM, whichever
/// comes first: that judgement moves at least one of the two.
fn known_from(def: &AlarmDefinition, points: &[(i64, f64)], from: i64, to: i64) -> Option<i64> {
    [AlarmState::Ok, AlarmState::Alarm]
        .into_iter()
        .filter_map(|s| {
            alarm::evaluate_from(def, points, from, to, s)
                .ok()?
                .first()
                .map(|t| t.time)
        })
        .min()
}
