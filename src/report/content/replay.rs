//! Part of section 6: each flow's rule replayed over every record read: which honeytoken
//! accesses it catches or misses, when it should have fired against when it did, and the noise
//! it would page on.

use super::fmt;
use crate::model::{FlowKind, Timeline};
use crate::report::{Block, Cell, Column, Table};

pub fn section(t: &Timeline) -> Vec<Block> {
    let r = &t.replay;
    let mut out = vec![Block::heading(2, "The rules replayed over the evidence")];
    if r.flows.is_empty() {
        out.push(Block::para("No metric filter or EventBridge rule pattern is in the evidence, so neither flow could be replayed."));
        return out;
    }
    out.push(Block::para(format!(
        "Each flow's own pattern (the metric filter's filterPattern, the rule's EventPattern) was evaluated over all {} records read, and the alarm replayed with its own definition. A miss means the flow would not have caught that access; noise is every match that is not a honeytoken read.",
        r.records_evaluated
    )));
    out.push(Block::Table(Table {
        columns: vec![
            Column::new("Flow", 1.1),
            Column::new("Rule", 2.0),
            Column::new("Pattern", 3.6),
            Column::new("Matches", 0.9),
            Column::new("Accesses caught / missed", 1.5),
            Column::new("Noise", 0.8),
        ],
        rows: r
            .flows
            .iter()
            .map(|f| {
                let missed = f.missed_accesses.len();
                vec![
                    Cell::text(flow_name(f.flow)),
                    Cell::text(match &f.alarm {
                        Some(a) => format!("{}\nalarm {a}", f.resource),
                        None => f.resource.clone(),
                    }),
                    Cell::mono(match &f.error {
                        Some(e) => format!("{}\nINVALID: {e}", fmt::shorten(&f.pattern, 200)),
                        None => fmt::shorten(&f.pattern, 200),
                    }),
                    Cell::text(f.matches.to_string()),
                    if missed > 0 {
                        Cell::alert(format!("{} / {missed}", f.matched_accesses.len()))
                    } else {
                        Cell::text(format!("{} / 0", f.matched_accesses.len()))
                    },
                    if f.noise_count > 0 {
                        Cell::alert(f.noise_count.to_string())
                    } else {
                        Cell::text("0")
                    },
                ]
            })
            .collect(),
        caption: None,
    }));
    let mut rows = Vec::new();
    for f in &r.flows {
        for a in &f.accesses {
            rows.push(vec![
                Cell::text(format!("{}\n{}", a.incident, flow_name(f.flow))),
                Cell::mono(format!("{}\n{}", fmt::time(a.time), a.event_id)),
                if a.matched {
                    Cell::text("yes")
                } else {
                    Cell::alert("MISSED")
                },
                Cell::text(match (a.predicted, a.predicted_latest) {
                    (Some(p), Some(l)) if l != p => {
                        format!("{}\nlatest {}", fmt::clock(p), fmt::clock(l))
                    }
                    (Some(p), _) => fmt::clock(p),
                    _ => "-".into(),
                }),
                Cell::text(match a.actual {
                    Some(x) => format!(
                        "{}\n{}",
                        fmt::clock(x),
                        a.actual_evidence.clone().unwrap_or_default()
                    ),
                    None => "not in the evidence".into(),
                }),
                Cell::text(a.note.clone().unwrap_or_default()),
            ]);
        }
    }
    if !rows.is_empty() {
        out.push(Block::Table(Table {
            columns: vec![Column::new("Incident / flow", 1.3), Column::new("Access (UTC) / eventID", 2.2), Column::new("Matched", 0.9), Column::new("Predicted", 1.3), Column::new("Actual", 2.2), Column::new("Note", 2.4)],
            rows,
            caption: Some("Predicted: when the flow should have fired given its rule and alarm definition; actual: what the alarm history, rule metrics or kill-switch show.".into()),
        }));
    }
    out.push(Block::Bullets(r.assumptions.clone()));
    for f in r.flows.iter().filter(|f| f.noise_count > 0) {
        out.push(Block::para(format!(
            "{} ({}) would also page on {} event(s) that are not honeytoken reads, e.g. {}.",
            f.resource,
            flow_name(f.flow),
            f.noise_count,
            f.noise_examples
                .iter()
                .take(3)
                .map(|m| format!("{} by {} at {}", m.action, m.actor, fmt::time(m.time)))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    out
}

fn flow_name(f: FlowKind) -> &'static str {
    match f {
        FlowKind::MetricFilter => "Flow 1: metric filter",
        FlowKind::EventRule => "Flow 2: EventBridge rule",
    }
}
