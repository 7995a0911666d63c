//! The "Eradication and recovery" section: per incident, what remains to do about the actor
//! (`incidents[].eradication`) and what to change (`incidents[].recommendations`), each with its
//! priority, the role that owns it, why, and the eventIDs it rests on. The steps are derived
//! in `correlate::response`; this file only lays them out.

use crate::model::{ResponseStep, Timeline};
use crate::report::{Block, Cell, Column, Table};

/// EventIDs printed per step; beyond, the first, the count and the last (the JSON lists all).
const SHOWN_IDS: usize = 4;

fn columns(what: &str) -> Vec<Column> {
    vec![
        Column::new("Priority", 0.9),
        Column::new("Owner", 1.3),
        Column::new(what, 4.2),
        Column::new("eventIDs", 2.6),
    ]
}

fn row(s: &ResponseStep) -> Vec<Cell> {
    let ids = match s.event_ids.as_slice() {
        [] => "none".to_string(),
        ids if ids.len() <= SHOWN_IDS => ids.join("\n"),
        ids => format!(
            "{}\n... {} more ...\n{}",
            ids[0],
            ids.len() - 2,
            ids[ids.len() - 1]
        ),
    };
    let priority = s.priority.describe();
    vec![
        if s.priority == crate::model::Priority::Immediate {
            Cell::alert(priority)
        } else {
            Cell::text(priority)
        },
        Cell::text(&s.owner),
        Cell::text(format!("{}.\nWhy: {}.", s.action, s.reason)),
        Cell::mono(ids),
    ]
}

fn table(steps: &[ResponseStep], what: &str, caption: String) -> Block {
    Block::Table(Table {
        columns: columns(what),
        rows: steps.iter().map(row).collect(),
        caption: Some(caption),
    })
}

pub fn section(t: &Timeline) -> Vec<Block> {
    let mut out = vec![
        Block::heading(1, "Eradication and recovery"),
        Block::para(
            "What remains to do about each incident's actor, and what to change so that the next incident goes better, derived from the evidence: each row rests on the records it cites (a containment record, a credential's issue, a finding). Owners are roles, not people. Immediate: the actor may still have access. A step the evidence gives no reason for is not listed, so the list is a floor, not a checklist of everything an investigation may need.",
        ),
    ];
    if t.incidents.is_empty() {
        out.push(Block::para(
            "No incident, so nothing to eradicate: no honeytoken read is in the evidence examined.",
        ));
    }
    for i in &t.incidents {
        out.push(Block::heading(
            2,
            format!(
                "{}: {} severity, {}",
                i.id,
                i.severity.describe(),
                i.containment_status.describe()
            ),
        ));
        out.push(Block::para(format!(
            "Severity {}: {}.",
            i.severity.describe(),
            i.severity_basis
        )));
        out.push(Block::heading(3, "What remains to do"));
        out.push(table(
            &i.eradication,
            "Step",
            format!(
                "{} step(s) for {}'s actor, most urgent first (incidents[].eradication in the JSON).",
                i.eradication.len(),
                i.id
            ),
        ));
        out.push(Block::heading(3, "Recommendations"));
        if i.recommendations.is_empty() {
            out.push(Block::para("None follow from this incident's findings."));
        } else {
            out.push(table(
                &i.recommendations,
                "Recommendation",
                format!(
                    "{} recommendation(s) from {}'s findings and latencies, most urgent first (incidents[].recommendations in the JSON).",
                    i.recommendations.len(),
                    i.id
                ),
            ));
        }
    }
    out
}
