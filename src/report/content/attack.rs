//! The MITRE ATT&CK section: per incident, the techniques the actor's calls are consistent
//! with (the documented table of `docs/attack.md`), each with its calls and their outcomes,
//! first and last record, and the eventIDs it rests on.

use super::fmt;
use crate::model::{AttackTechnique, Failures, Timeline};
use crate::report::{Block, Cell, Column, Table};

/// EventIDs printed in full per technique; beyond, the first and last and the count (the JSON's
/// `incidents[].attack[].event_ids` lists every one).
const SHOWN_IDS: usize = 6;

/// `refused_only`: every failed call of the table was refused by an access check; else the
/// column counts the calls that failed for another reason (`ResourceNotFoundException`) too.
fn columns(refused_only: bool) -> Vec<Column> {
    vec![
        Column::new("Technique (tactics)", 3.0),
        Column::new(
            if refused_only {
                "Calls (succeeded / refused)"
            } else {
                "Calls (succeeded / refused or failed)"
            },
            2.8,
        ),
        Column::new("First / last record (UTC)", 1.6),
        Column::new("eventIDs", 2.6),
    ]
}

fn row(t: &AttackTechnique) -> Vec<Cell> {
    let calls = t
        .calls
        .iter()
        .map(|c| {
            // A failure no access check gives is named with its code: it was not refused; with
            // both kinds, each is counted.
            match c.failures() {
                Failures::Refused => format!("{} ({} / {})", c.action, c.succeeded, c.failed),
                Failures::Failed(codes) => format!(
                    "{} ({} / {} failed: {codes})",
                    c.action, c.succeeded, c.failed
                ),
                Failures::Mixed(split) => {
                    format!("{} ({} / {}: {split})", c.action, c.succeeded, c.failed)
                }
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    // The tactics under the technique: a column of their own left too little room for the
    // calls, times and eventIDs to be set whole.
    let mut technique = format!("{} {}", t.id, t.name);
    if !t.succeeded {
        technique.push_str(if t.calls.iter().all(|c| c.refused_only()) {
            "\nattempt only: every call refused"
        } else {
            "\nattempt only: every call refused or failed"
        });
    }
    let technique = Cell::text(format!("{technique}\n({})", t.tactics.join(", ")));
    let ids = if t.event_ids.len() <= SHOWN_IDS {
        t.event_ids.join("\n")
    } else {
        format!(
            "{}\n... {} more ...\n{}",
            t.event_ids[0],
            t.event_ids.len() - 2,
            t.event_ids[t.event_ids.len() - 1]
        )
    };
    vec![
        technique,
        Cell::mono(calls),
        Cell::mono(format!(
            "{}\n{}",
            fmt::time(t.first_seen),
            fmt::time(t.last_seen)
        )),
        Cell::mono(ids),
    ]
}

pub fn section(t: &Timeline) -> Vec<Block> {
    let mut out = vec![
        Block::heading(1, "MITRE ATT&CK techniques"),
        Block::para(
            "The ATT&CK (Enterprise, IaaS) techniques each incident's actor's calls are consistent with, by a fixed table of AWS API calls (docs/attack.md in trailcase's repository): the table says what kind of step a call is, not why it was made. Calls of the actor's principal and of the sessions and keys derived from it count, refused and failed calls included (a technique whose every call was refused or failed is marked as an attempt); calls an AWS service made on the actor's behalf do not. Calls not in the table are not mapped: a technique missing here is not evidence that it was not used.",
        ),
    ];
    if t.records_read == 0 {
        out.push(Block::para(
            "Unknown: nothing was examined (the evidence holds no CloudTrail record), so no call can be mapped. This is not an all-clear.",
        ));
    } else if t.incidents.is_empty() {
        out.push(Block::para(format!(
            "No incident, so no technique: no honeytoken read is in the evidence examined.{}",
            super::reads_unseen::caveat(t)
        )));
    }
    for i in &t.incidents {
        out.push(Block::heading(2, format!("{}: techniques", i.id)));
        if i.attack.is_empty() {
            out.push(Block::para(
                "None: no call of the actor in the evidence is in the table.",
            ));
            continue;
        }
        let attempts = i.attack.iter().filter(|a| !a.succeeded).count();
        out.push(Block::Table(Table {
            columns: columns(
                i.attack
                    .iter()
                    .flat_map(|a| &a.calls)
                    .all(|c| c.refused_only()),
            ),
            rows: i.attack.iter().map(row).collect(),
            caption: Some(format!(
                "{} technique(s) of {}'s actor in the order of their first record, {} of them attempts only. Beyond {SHOWN_IDS} records a row shows the first and last eventID; the JSON (incidents[].attack[].event_ids) lists every one.",
                i.attack.len(),
                i.id,
                attempts
            )),
        }));
    }
    out
}
