//! What the replay assumes and states beside its results: delivery delays, how matches are
//! counted, and, per defaultValue, what minutes without a match of the flow-1 filters hold.
//!
//! Pure.

use super::spec::FlowSpec;
use super::timing;
use crate::model::FlowKind;

/// The replay's assumptions, in the order they are stated.
pub fn assumptions(specs: &[FlowSpec]) -> Vec<String> {
    let mut assumptions = vec![
            format!("flow 1: the alarm is evaluated at the end of each period over every event the metric filter matches; the predicted time assumes the record reaches CloudWatch Logs at once, the latest predicted time allows {} s of CloudTrail-to-CloudWatch-Logs delivery delay (AWS states about 5 minutes on average; the evidence has no ingestion times)", timing::ASSUMED_DELIVERY_DELAY_SECS),
            format!("flow 2: EventBridge delivers a CloudTrail event to a rule only in a state that receives it ({}: a read-only management event such as GetSecretValue only in state {}, not in state ENABLED; no event in state DISABLED), each access judged by the rule's state at its time (its replay row's rule_state in the JSON); an event so delivered is assumed to reach the rule within seconds (the evidence has no delivery times), so the predicted firing time is the event time; the actual time is known to the minute (AWS/Events TriggeredRules) unless a kill-switch call narrows it", crate::rules::rule_state::GUIDE, crate::rules::rule_state::ALL_MANAGEMENT),
            "matches are counted once per eventID (a record delivered twice, or also read from LookupEvents, counts once)".into(),
        ];
    assumptions.splice(1..1, default_value_assumptions(specs));
    assumptions
}

/// Filters named in one assumption; the rest are counted.
const NAMED_FILTERS: usize = 5;

/// What the replay assumes about minutes without a match of the flow-1 filters: one assumption
/// per defaultValue (or its absence), naming its first filters and counting the rest.
fn default_value_assumptions(specs: &[FlowSpec]) -> Vec<String> {
    let mut by_default: Vec<(Option<f64>, Vec<&str>)> = Vec::new();
    for s in specs.iter().filter(|s| s.flow == FlowKind::MetricFilter) {
        let v = s.metric_default_value;
        match by_default
            .iter_mut()
            .find(|(d, _)| d.map(f64::to_bits) == v.map(f64::to_bits))
        {
            Some((_, names)) => names.push(&s.resource),
            None => by_default.push((v, vec![&s.resource])),
        }
    }
    by_default
        .into_iter()
        .map(|(v, names)| {
            let mut who = names
                .iter()
                .take(NAMED_FILTERS)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            if names.len() > NAMED_FILTERS {
                who.push_str(&format!(" and {} more filters", names.len() - NAMED_FILTERS));
            }
            let (the, has) = if names.len() == 1 {
                ("the filter's", "the filter has")
            } else {
                ("the filters'", "the filters have")
            };
            match v {
                Some(v) => format!("flow 1 ({who}): {the} defaultValue {v} counts as published for every minute without a match (CloudWatch publishes it for minutes in which the log group received events, which a trail's log group does every minute)"),
                None => format!("flow 1 ({who}): {has} no defaultValue, so minutes without a match have no datapoint and the alarm's TreatMissingData applies"),
            }
        })
        .collect()
}
