//! How the replay's findings name flows: one flow ("flow 2 (EventBridge rule X)"), a count of
//! one kind, and the first few of a list with how many more.
//!
//! Pure: depends on the model and `correlate::findings`' list helper only.

use crate::correlate::findings::first_and_more;
use crate::model::{FlowKind, FlowReplay};

/// A combined finding names this many flows and counts the rest.
const NAMED_FLOWS: usize = 5;

pub fn flow_name(f: &FlowReplay) -> String {
    match f.flow {
        FlowKind::MetricFilter => format!("flow 1 (metric filter {})", f.resource),
        FlowKind::EventRule => format!("flow 2 (EventBridge rule {})", f.resource),
    }
}

pub fn flows_of_kind(kind: FlowKind, n: usize) -> String {
    match kind {
        FlowKind::MetricFilter => format!("{n} flow-1 metric filters"),
        FlowKind::EventRule => format!("{n} flow-2 EventBridge rules"),
    }
}

/// The first flows' names, and how many more.
pub fn named(flows: &[&FlowReplay]) -> String {
    first_and_more(
        flows.len(),
        flows.iter().take(NAMED_FLOWS).map(|f| f.resource.as_str()),
    )
}
