//! Whether flow 2's rule, in the state it was in at each honeytoken access, is delivered the
//! access at all: a rule in state `ENABLED` is not delivered read-only management events sent
//! through CloudTrail (GetSecretValue is one), only a rule in state
//! `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` is, and a rule in state `DISABLED` is matched
//! against no event at all (EventBridge User Guide, "Receiving read-only management events from
//! AWS services", eb-service-event-cloudtrail-management; `rules::rule_state`). The state at an
//! access is the last call setting it before the access, else the collected one, else unknown
//! (`state_at`). A read its pattern matches is then missed, unless the evidence shows the rule
//! firing after it, which is told, not denied: the state must or may have changed, and the
//! state-setting calls in the evidence (if any) say when.
//!
//! Pure: reads the change records already in memory.

use super::spec::FlowSpec;
use super::state_at::{self, InForce, Set, StateChange};
use crate::model::{Event, FlowKind, StateDelivery, Timestamp};
use crate::rules::rule_state::{self, Delivery, ReadOnly, ALL_MANAGEMENT, GUIDE};

/// What the collected state makes of one read the rule's pattern matches.
pub enum Verdict {
    /// Delivered, or the read is not a read-only management event: nothing to say.
    Delivered,
    /// Not delivered: the row's `missed_because`.
    Missed(String),
    /// Not delivered by the collected state (`ENABLED` for a read, or `DISABLED`), yet the
    /// evidence shows the rule firing, or the state is unknown: the row's note.
    Note(StateDelivery, String),
}

/// What the evidence shows of flow 2 firing after a read: its TriggeredRules minute (or a
/// kill-switch call in it), said in words, and whether the series names this rule.
#[derive(Clone, Copy)]
pub enum Fired<'a> {
    /// Nothing after the read.
    No,
    /// A series naming this rule (its label or id).
    Named(&'a str),
    /// Only a series naming no flow-2 rule (the account's rules together, or another rule),
    /// said as what it shows ([`super::timing::unnamed_count`]): not this rule's firing.
    Unnamed(&'a str),
}

/// Flow 2's rule state as collected, with the calls in the evidence that set it.
pub struct RuleState {
    rule: String,
    state: Option<String>,
    /// In time order.
    changes: Vec<StateChange>,
}

impl RuleState {
    /// `None` for a flow-1 spec.
    pub fn new(spec: &FlowSpec, events: &[Event]) -> Option<RuleState> {
        (spec.flow == FlowKind::EventRule).then(|| RuleState {
            rule: spec.resource.clone(),
            state: spec.state.clone(),
            changes: state_at::changes(events, spec),
        })
    }

    /// The state in force at the access `id` at `t`, and what it rests on.
    pub fn at(&self, id: &str, t: Timestamp) -> InForce {
        state_at::in_force(&self.changes, self.state.as_deref(), id, t)
    }

    /// What the replay states about the rule's state, when the evidence records calls that set
    /// it.
    pub fn assumption(&self) -> Option<String> {
        (!self.changes.is_empty()).then(|| format!(
            "flow 2 (EventBridge rule {}): the evidence records calls setting its state ({}): each access is judged by the state the last of them before it set, named in its row's rule_state_basis; before the first, in the same second as one, or after a last one the collected state ({}) disagrees with, the state is unknown; AWS says a change takes a short period to take effect (EventBridge API Reference, PutRule, EnableRule), so an access seconds after one may have met the earlier state",
            self.rule,
            self.changes.iter().map(StateChange::label).collect::<Vec<_>>().join("; "),
            self.state.as_deref().unwrap_or("not in the evidence")
        ))
    }

    /// The verdict on one access the pattern matches, judged by the state `at` it; `fired` is
    /// the evidence that the rule fired after it (its TriggeredRules minute or a kill-switch
    /// call), if any: only a series naming the rule says it fired.
    pub fn judge(&self, at: &InForce, kind: ReadOnly, fired: Fired<'_>) -> Verdict {
        let unnamed = match fired {
            Fired::Unnamed(evidence) => {
                format!("; {}", super::timing::not_this_rule(evidence, &self.rule))
            }
            _ => String::new(),
        };
        let fired = match fired {
            Fired::Named(evidence) => Some(evidence),
            Fired::No | Fired::Unnamed(_) => None,
        };
        let rule = &self.rule;
        let delivery = match at {
            InForce::Recorded(Set::Enabled, _) if kind == ReadOnly::No => Delivery::Delivered,
            InForce::Recorded(Set::Enabled, _) => Delivery::Unknown,
            _ => rule_state::delivery(at.state(), kind),
        };
        let recorded = match at {
            InForce::Recorded(_, label) => Some(label.as_str()),
            _ => None,
        };
        // Who says the rule was in that state: the collection, or the last call before.
        let subject = |state: &str| {
            match recorded {
            None => format!("rule {rule}'s collected state is {state}"),
            Some(label) => format!("rule {rule} was in state {state} at this access, as {label} set it, the last call setting its state before the access"),
        }
        };
        match delivery {
            Delivery::Delivered => Verdict::Delivered,
            Delivery::Disabled => match fired {
                None => Verdict::Missed(format!(
                    "{}, in which EventBridge matches no event against the rule ({GUIDE}), so it could not have fired for this read, though its pattern matches the read; {}{unnamed}",
                    subject("DISABLED"),
                    self.when_changed()
                )),
                Some(evidence) => Verdict::Note(StateDelivery::FiredAnyway, match recorded {
                    None => format!(
                        "the evidence shows rule {rule} firing after this read ({evidence}), although its collected state is DISABLED, in which EventBridge matches no event against the rule ({GUIDE}): if that firing is this rule's, its state must have changed between the read and the collection; {}",
                        self.when_changed()
                    ),
                    Some(label) => format!(
                        "the evidence shows rule {rule} firing after this read ({evidence}), although {label} disabled it before the read, the last call setting its state before it, and EventBridge matches no event against a disabled rule ({GUIDE}): if that firing is this rule's, a call not in the evidence must have changed its state after that one; {}",
                        self.when_changed()
                    ),
                }),
            },
            Delivery::ReadOnlyNotDelivered => match fired {
                None => Verdict::Missed(format!(
                    "{}, which does not receive read-only management events delivered through CloudTrail ({GUIDE}); a rule meant to see them must be in state {ALL_MANAGEMENT}: in that state EventBridge does not deliver this read to the rule, so it could not have fired for it, though its pattern matches the read; {}{unnamed}",
                    subject("ENABLED"),
                    self.when_changed()
                )),
                Some(evidence) => Verdict::Note(StateDelivery::FiredAnyway, match recorded {
                    None => format!(
                        "the evidence shows rule {rule} firing after this read ({evidence}), although its collected state ENABLED does not receive read-only management events delivered through CloudTrail ({GUIDE}): its state may have changed between the read and the collection; {}",
                        self.when_changed()
                    ),
                    Some(label) => format!(
                        "the evidence shows rule {rule} firing after this read ({evidence}), although {label} set its state before the read, the last call setting it before it, and state ENABLED does not receive read-only management events delivered through CloudTrail ({GUIDE}): a call not in the evidence may have changed its state after that one, or the firing is not for this read; {}",
                        self.when_changed()
                    ),
                }),
            },
            Delivery::Unknown if kind != ReadOnly::No || matches!(at, InForce::Unknown(_)) && !self.changes.is_empty() => Verdict::Note(StateDelivery::Unknown, format!(
                "whether EventBridge delivers this {} to rule {rule} is unknown: {}",
                if kind == ReadOnly::No { "access" } else { "read-only management event" },
                match (at, kind) {
                    (InForce::Unknown(why), _) if !self.changes.is_empty() => format!("its state at the access is unknown: {why}; {}", self.when_changed()),
                    (InForce::Recorded(Set::Enabled, label), _) => format!("{label} enabled it, the last call setting its state before the access, and the EventBridge API Reference does not say whether in state ENABLED, which does not receive read-only management events ({GUIDE}), or in state {ALL_MANAGEMENT}, which does"),
                    (InForce::Unknown(_), _) => format!("its State is not in the evidence (a rule in state ENABLED does not receive read-only management events, one in state {ALL_MANAGEMENT} does: {GUIDE})"),
                    (_, ReadOnly::OtherName) if at.state() == Some("ENABLED") => format!("{}, which does not receive read-only management events delivered through CloudTrail, but {GUIDE} says those whose names do not start with Describe, Get or List may be delivered to it and lists which are not on another page (\"Management events generated by AWS services in EventBridge\"), not in the evidence", subject("ENABLED").replacen(&format!("rule {rule}'s"), "its", 1)),
                    _ => format!("its State {} is not one {GUIDE} describes", at.state().unwrap_or("(none)")),
                }
            )),
            Delivery::Unknown => Verdict::Delivered,
        }
    }

    fn when_changed(&self) -> String {
        if self.changes.is_empty() {
            "whether its state at the read was the one collected is unknown: no call setting the rule's state is in the evidence".into()
        } else {
            format!(
                "the calls in the evidence that set the rule's state, and so say when it changed: {}",
                self.changes
                    .iter()
                    .map(StateChange::label)
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    }
}
