//! Whether flow 2's rule, in the state the evidence collected it in, is delivered a honeytoken
//! read at all: a rule in state `ENABLED` is not delivered read-only management events sent
//! through CloudTrail (GetSecretValue is one), only a rule in state
//! `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` is (EventBridge User Guide, "Receiving
//! read-only management events from AWS services", eb-service-event-cloudtrail-management;
//! `rules::rule_state`). A read its pattern matches is then missed, unless the evidence shows
//! the rule firing after it, which is told, not denied: the state may have changed between the
//! read and the collection, and the state-setting calls in the evidence (if any) say when.
//!
//! Pure: reads the change records already in memory.

use super::spec::FlowSpec;
use crate::model::{Event, FlowKind, StateDelivery};
use crate::rules::rule_state::{self, Delivery, ALL_MANAGEMENT, GUIDE};
use serde_json::Value;

/// What the collected state makes of one read the rule's pattern matches.
pub enum Verdict {
    /// Delivered, or the read is not a read-only management event: nothing to say.
    Delivered,
    /// Not delivered: the row's `missed_because`.
    Missed(String),
    /// Not delivered by the collected state, yet the evidence shows the rule firing, or the
    /// state is unknown: the row's note.
    Note(StateDelivery, String),
}

/// Flow 2's rule state as collected, with the calls in the evidence that set it.
pub struct RuleState {
    rule: String,
    state: Option<String>,
    /// `API eventID at time (state X)`, in time order.
    changes: Vec<String>,
}

impl RuleState {
    /// `None` for a flow-1 spec.
    pub fn new(spec: &FlowSpec, events: &[Event]) -> Option<RuleState> {
        (spec.flow == FlowKind::EventRule).then(|| RuleState {
            rule: spec.resource.clone(),
            state: spec.state.clone(),
            changes: changes(events, &spec.resource),
        })
    }

    /// The verdict on one read the pattern matches; `fired` is the evidence that the rule
    /// fired after it (its TriggeredRules minute or a kill-switch call), if any.
    pub fn judge(&self, read_only: bool, fired: Option<&str>) -> Verdict {
        let rule = &self.rule;
        match rule_state::delivery(self.state.as_deref(), read_only) {
            Delivery::Delivered | Delivery::Disabled => Verdict::Delivered,
            Delivery::ReadOnlyNotDelivered => match fired {
                None => Verdict::Missed(format!(
                    "{}: in that state EventBridge does not deliver this read to the rule, so it could not have fired for it, though its pattern matches the read; {}",
                    collected_reason(rule),
                    self.when_changed()
                )),
                Some(evidence) => Verdict::Note(StateDelivery::FiredAnyway, format!(
                    "the evidence shows rule {rule} firing after this read ({evidence}), although its collected state ENABLED does not receive read-only management events delivered through CloudTrail ({GUIDE}): its state may have changed between the read and the collection; {}",
                    self.when_changed()
                )),
            },
            Delivery::Unknown if read_only => Verdict::Note(StateDelivery::Unknown, format!(
                "whether EventBridge delivers this read-only management event to rule {rule} is unknown: {} (a rule in state ENABLED does not receive it, one in state {ALL_MANAGEMENT} does: {GUIDE})",
                match &self.state {
                    None => "its State is not in the evidence".to_string(),
                    Some(s) => format!("its State {s} is not one the guide describes"),
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
                self.changes.join("; ")
            )
        }
    }
}

fn collected_reason(rule: &str) -> String {
    format!("rule {rule}'s collected state is ENABLED, which does not receive read-only management events delivered through CloudTrail ({GUIDE}); a rule meant to see them must be in state {ALL_MANAGEMENT}")
}

/// The successful PutRule, EnableRule and DisableRule calls on `rule`, in time order.
fn changes(events: &[Event], rule: &str) -> Vec<String> {
    let mut out: Vec<(crate::model::Timestamp, String, String)> = events
        .iter()
        .filter(|e| e.event_source == "events.amazonaws.com" && e.error_code.is_none())
        .filter(|e| {
            matches!(
                e.event_name.as_str(),
                "PutRule" | "EnableRule" | "DisableRule"
            )
        })
        .filter_map(|e| {
            let record: Value = serde_json::from_str(e.raw.get()).ok()?;
            let params = record.get("requestParameters")?;
            let name = params.get("name").and_then(Value::as_str)?;
            if name != rule && !name.ends_with(&format!("/{rule}")) {
                return None;
            }
            let state = match (
                e.event_name.as_str(),
                params.get("state").and_then(Value::as_str),
            ) {
                ("DisableRule", _) => "DISABLED".to_string(),
                ("EnableRule", _) => "ENABLED".to_string(),
                (_, Some(s)) => s.to_string(),
                (_, None) => "not given, so ENABLED: PutRule keeps no omitted value".into(),
            };
            Some((
                e.time,
                e.event_id.clone(),
                format!(
                    "{} {} at {} (state {state})",
                    e.event_name, e.event_id, e.time
                ),
            ))
        })
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.1 == b.1);
    out.into_iter().map(|c| c.2).collect()
}
