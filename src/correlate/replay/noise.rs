//! The replay's noise findings: matches of a flow's rule that are not honeytoken accesses, which
//! the flow would page on, one finding per flow or, past a few flows of one kind, one combined.
//!
//! Pure: depends on the model and `flow_names` only.

use super::flow_names::{flow_name, flows_of_kind, named};
use crate::model::{Finding, FindingKind, FlowKind, FlowReplay};

/// A combined noise finding cites the first example of this many flows.
const CITED_FLOWS: usize = 10;

/// What one flow would send over the evidence, as far as the replay knows.
fn pages(f: &FlowReplay) -> String {
    let at_least = if f.matches_at_least { "at least " } else { "" };
    match (f.flow, f.predicted_pages) {
        (FlowKind::MetricFilter, Some(n)) => {
            format!("over the evidence it would send {n} ALARM transition(s)")
        }
        (FlowKind::EventRule, Some(n)) => {
            format!("over the evidence it would send {at_least}{n} notification(s)")
        }
        (_, None) => format!(
            "how many notifications it would send is not known: {}",
            f.error.as_deref().unwrap_or("the alarm was not replayed")
        ),
    }
}

pub fn noise(f: &FlowReplay) -> Finding {
    let sample: Vec<String> = f
        .noise_examples
        .iter()
        .take(10)
        .map(|m| m.event_id.clone())
        .collect();
    let what = f
        .noise_examples
        .first()
        .map(|m| format!(", e.g. {} by {} on {}", m.action, m.actor, m.target))
        .unwrap_or_default();
    Finding {
        kind: FindingKind::FlowNoise,
        severity: "medium",
        summary: format!(
            "{} also matches {}{} event(s) that are not honeytoken accesses{what}; {}",
            flow_name(f),
            if f.matches_at_least { "at least " } else { "" },
            f.noise_count,
            pages(f)
        ),
        event_ids: sample,
    }
}

/// Many noisy flows of one kind: one finding that names the first and counts them.
pub fn combined_noise(list: &[&&FlowReplay]) -> Finding {
    let flows: Vec<&FlowReplay> = list.iter().map(|f| **f).collect();
    let least = flows.iter().map(|f| f.noise_count).min().unwrap_or(0);
    let most = flows.iter().map(|f| f.noise_count).max().unwrap_or(0);
    let range = if least == most {
        format!("{least} each")
    } else {
        format!("{least} to {most} each")
    };
    let at_least = if flows.iter().any(|f| f.matches_at_least) {
        " (some counts are lower bounds)"
    } else {
        ""
    };
    let mut cited: Vec<String> = Vec::new();
    for f in flows.iter().take(CITED_FLOWS) {
        if let Some(m) = f.noise_examples.first() {
            if !cited.contains(&m.event_id) {
                cited.push(m.event_id.clone());
            }
        }
    }
    Finding {
        kind: FindingKind::FlowNoise,
        severity: "medium",
        summary: format!(
            "{} also match events that are not honeytoken accesses ({range}){at_least}: {}; each flow's count, examples and predicted notifications are in the replay (the first example of each of the first {} cited)",
            flows_of_kind(flows[0].flow, flows.len()),
            named(&flows),
            flows.len().min(CITED_FLOWS)
        ),
        event_ids: cited,
    }
}
