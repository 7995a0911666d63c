//! The "Eradication and recovery" section: per incident, what remains to do about the actor
//! (`incidents[].eradication`) and what to change (`incidents[].recommendations`), each with its
//! priority, the role that owns it, why, and the eventIDs it rests on. The steps are derived
//! in `correlate::response`; this file only lays them out.

use crate::model::{steps_at, ResponseStep, StepsAt, Timeline, Timestamp};
use crate::report::{Block, Cell, Column, Table};

/// Incidents whose steps are printed in full; the others' steps are grouped by what to do (the
/// JSON has every incident's own list).
const DETAILED: usize = 3;

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

/// One row: `s` as it stands when this report was made (its title page's "Generated"): a step
/// on a credential whose recorded expiry the evidence runs past, or that is before then, is the
/// step that replaces it ([`crate::model::ResponseStep::at`]), which says the expiry.
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

fn table(steps: &[ResponseStep], what: &str, caption: String, at: StepsAt) -> Block {
    Block::Table(Table {
        columns: columns(what),
        rows: steps_at(steps, at).iter().map(|s| row(s)).collect(),
        caption: Some(caption),
    })
}

pub fn section(t: &Timeline, made: Timestamp) -> Vec<Block> {
    let at = t.steps_at(Some(made));
    let mut out = vec![
        Block::heading(1, "Eradication and recovery"),
        Block::para(
            "What remains to do about each incident's actor, and what to change so that the next incident goes better, derived from the evidence: each row rests on the records it cites (a containment record, a credential's issue, a finding). Owners are roles, not people. Immediate: the actor may still have access. A step on a temporary credential whose recorded expiry the evidence runs past (its last record is later), or that is before this report was made, is ranked by what is still worth doing then. A step the evidence gives no reason for is not listed, so the list is a floor, not a checklist of everything an investigation may need.",
        ),
    ];
    if t.records_read == 0 {
        out.push(Block::para(
            "Unknown: no CloudTrail record was examined, so the evidence cannot show whether anything needs eradicating. This is not an all-clear.",
        ));
    } else if t.incidents.is_empty() {
        out.push(Block::para(format!(
            "No incident, so nothing to eradicate: no honeytoken read is in the evidence examined.{}",
            super::reads_unseen::caveat(t)
        )));
    }
    for i in t.incidents.iter().take(DETAILED) {
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
            at,
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
                at,
            ));
        }
    }
    out.extend(grouped(&t.incidents[DETAILED.min(t.incidents.len())..], at));
    out
}

/// The steps and recommendations of `rest`, one row per thing to do, with the incidents it
/// applies to.
fn grouped(rest: &[crate::model::Incident], at: StepsAt) -> Vec<Block> {
    if rest.is_empty() {
        return Vec::new();
    }
    let mut rows: Vec<(crate::model::Priority, String, String, Vec<&str>)> = Vec::new();
    for i in rest {
        let steps = steps_at(&i.eradication, at);
        for s in steps.iter().map(|s| &**s).chain(&i.recommendations) {
            match rows
                .iter_mut()
                .find(|r| r.0 == s.priority && r.1 == s.owner && r.2 == s.plain)
            {
                Some(r) => r.3.push(&i.id),
                None => rows.push((s.priority, s.owner.clone(), s.plain.clone(), vec![&i.id])),
            }
        }
    }
    rows.sort_by_key(|r| r.0);
    let ids = |v: &[&str]| match v {
        [one] => one.to_string(),
        [first, .., last] => format!("{} incidents: {first} to {last}", v.len()),
        [] => String::new(),
    };
    vec![
        Block::heading(2, format!("The other {} incidents", rest.len())),
        Block::Table(Table {
            columns: vec![
                Column::new("Priority", 0.9),
                Column::new("Owner", 1.3),
                Column::new("Step or recommendation", 3.4),
                Column::new("Incidents", 2.0),
            ],
            rows: rows
                .iter()
                .map(|(p, owner, plain, v)| {
                    vec![
                        Cell::text(p.describe()),
                        Cell::text(owner.as_str()),
                        Cell::text(plain.as_str()),
                        Cell::mono(ids(v)),
                    ]
                })
                .collect(),
            caption: Some(
                "Grouped by what to do; each incident's own steps, with the eventIDs they rest on, are in the JSON (incidents[].eradication, incidents[].recommendations).".into(),
            ),
        }),
    ]
}
