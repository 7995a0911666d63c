//! Per incident, in the indicators section: the other principals whose records came from an
//! address the honeytoken was read from (`Incident::same_address`). No key links them to the
//! actor; the words say so, and say what was looked at when none is found, so that "none" is
//! never read as more than the evidence read shows.

use super::fmt;
use crate::model::{AddressPeer, Incident};
use crate::report::{Block, Cell, Column, Table};

/// Principals printed at most per incident; the JSON timeline has every one.
pub const PRINTED: usize = 10;

fn columns() -> Vec<Column> {
    vec![
        Column::new("Principal (type)", 3.6),
        Column::new("Records", 1.0),
        Column::new("After containment (succeeded)", 1.5),
        Column::new("First / last seen (UTC)", 1.9),
        Column::new("Calls", 2.6),
    ]
}

fn row(p: &AddressPeer) -> Vec<Cell> {
    let after = match (p.after_containment, p.succeeded_after_containment) {
        (Some(n), Some(ok)) if n > 0 => Cell::alert(format!("{n} ({ok})")),
        (Some(n), _) => Cell::text(n.to_string()),
        (None, _) => Cell::text("not known"),
    };
    let calls = if p.actions.is_empty() {
        "not examined".to_string()
    } else {
        let mut v: Vec<&str> = p.actions.iter().take(8).map(String::as_str).collect();
        if p.actions.len() > 8 {
            v.push("...");
        }
        v.join(", ")
    };
    vec![
        Cell::mono(format!("{}\n({})", p.principal, p.kind)),
        Cell::text(p.records.to_string()),
        after,
        Cell::mono(format!("{}\n{}", fmt::time(p.first), fmt::time(p.last))),
        Cell::text(calls),
    ]
}

/// The principals printed: those whose calls after the block succeeded most first, then those
/// with refused calls after it, then by first record (the JSON's order).
fn printed(all: &[AddressPeer]) -> Vec<&AddressPeer> {
    let mut v: Vec<(usize, &AddressPeer)> = all.iter().enumerate().collect();
    v.sort_by_key(|(n, p)| {
        (
            std::cmp::Reverse(p.succeeded_after_containment.unwrap_or(0)),
            std::cmp::Reverse(p.after_containment.unwrap_or(0)),
            *n,
        )
    });
    v.into_iter().take(PRINTED).map(|(_, p)| p).collect()
}

/// When nothing is at the actor's address: a sentence saying what was looked at (for the
/// indicators table's caption), so that a report of many incidents does not grow a paragraph
/// each. `None` when there are principals to show ([`blocks`]).
pub fn caption_note(i: &Incident) -> Option<String> {
    let s = &i.same_address;
    if s.addresses.is_empty() {
        return Some(
            " Other principals at the actor's address: not looked for (its honeytoken reads name no IP address)."
                .into(),
        );
    }
    s.principals.is_empty().then(|| {
        format!(
            " Other principals at the actor's address: no record of another principal in the evidence read came from {}, where the honeytoken reads came from.",
            s.addresses.join(", ")
        )
    })
}

/// The other principals at the actor's address, under a heading of their own; nothing when
/// there are none ([`caption_note`] says so).
pub fn blocks(i: &Incident) -> Vec<Block> {
    let s = &i.same_address;
    if s.principals.is_empty() {
        return Vec::new();
    }
    let at = s.addresses.join(", ");
    let mut out = vec![Block::heading(3, "Other principals at the actor's address")];
    out.push(Block::para(format!(
        "{} principal(s) that no record links to the actor made records from {at}, where {}'s honeytoken reads came from. The address may be shared (a NAT gateway, a proxy, a VPN); a role session the actor assumed before the evidence begins would also look like this. {}",
        s.principals.len(),
        i.id,
        if s.records_examined {
            "Calls after the containment's block are marked; the JSON timeline (incidents[].same_address) names up to 20 of each principal's records."
        } else if s.principals.iter().any(|p| p.after_containment.is_some()) {
            "There were too many records to examine one by one: they are counted (a record's copies in several files each count), their calls after the containment's block counted from the records' times (once per record), and the JSON timeline names each principal's latest records; what they called is not examined."
        } else {
            "There were too many records to examine one by one: they are counted (a record's copies in several files each count), and what they did after containment was not examined."
        }
    )));
    let printed = printed(&s.principals);
    let cut = if s.principals.len() > PRINTED {
        format!(
            " Printed: the first {PRINTED} of {}; the JSON timeline has every one.",
            s.principals.len()
        )
    } else {
        String::new()
    };
    out.push(Block::Table(Table {
        columns: columns(),
        rows: printed.into_iter().map(row).collect(),
        caption: Some(format!(
            "Principals at {}'s address ({at}), those with calls after containment first (the most that succeeded first), then by first record; not linked to the actor by any record.{cut}",
            i.id
        )),
    }));
    out
}
