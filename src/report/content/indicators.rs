//! The indicators of compromise section: per incident, the actor's principals, keys, sessions,
//! source IPs and user agents with first and last sight and the records they rest on; the full
//! list of every incident is attached as `indicators.csv` (the same bytes as
//! `trailcase timeline --format iocs`).

use super::fmt;
use crate::export::iocs;
use crate::model::{Indicator, Timeline};
use crate::report::{Attachment, Block, Cell, Column, Table};

/// Name of the attachment that lists every incident's indicators.
pub const ATTACHMENT: &str = "indicators.csv";

fn columns() -> Vec<Column> {
    vec![
        Column::new("Kind", 1.2),
        Column::new("Value", 3.0),
        Column::new("First / last seen (UTC)", 1.9),
        Column::new("Records, seen in", 1.9),
        Column::new("First / last eventID", 2.7),
    ]
}

fn row(ind: &Indicator) -> Vec<Cell> {
    let kind = if ind.live {
        Cell::alert(format!("{}\nLIVE", ind.kind.label()))
    } else {
        Cell::text(ind.kind.label())
    };
    let event_ids = if ind.first_event_id == ind.last_event_id {
        ind.first_event_id.clone()
    } else {
        format!("{}\n{}", ind.first_event_id, ind.last_event_id)
    };
    // The times whole, in monospace (a search finds them); a live credential's expiry under them.
    let mut seen = format!(
        "{}\n{}",
        fmt::time(ind.first_seen),
        fmt::time(ind.last_seen)
    );
    if ind.live {
        seen.push_str(&match ind.expires {
            Some(e) => format!("\nLIVE until\n{}", fmt::time(e)),
            None => "\nLIVE (expiry not in the evidence)".into(),
        });
    }
    vec![
        kind,
        Cell::mono(ind.value.clone()),
        Cell::mono(seen),
        Cell::text(format!("{}\n{}", ind.records, ind.seen_in.join("; "))),
        Cell::mono(event_ids),
    ]
}

pub fn section(t: &Timeline) -> Vec<Block> {
    let mut out = vec![
        Block::heading(1, "Indicators of compromise"),
        Block::para(format!(
            "What a responder can search for elsewhere (other accounts, proxies, EDR, the SIEM): the principals, access keys, role sessions, source IP addresses and user agents of each incident's actor, as its CloudTrail records name them. \"Records\" counts the incident's records naming the indicator (0: only the call that issued it); the eventIDs are the first and last of them. A credential marked LIVE was not cut by the containment and stays valid until the time shown under its first and last sight. The list of every incident is attached as {ATTACHMENT} (also: trailcase timeline --format iocs), with the evidence gaps as its last rows."
        )),
    ];
    if t.incidents.is_empty() {
        out.push(Block::para(
            "No incident, so no indicator: no honeytoken read is in the evidence examined.",
        ));
    }
    for i in &t.incidents {
        out.push(Block::heading(2, format!("{}: indicators", i.id)));
        if i.indicators.is_empty() {
            out.push(Block::para(
                "None: the actor's records name no IP address, user agent, key or ARN.",
            ));
            continue;
        }
        out.push(Block::Table(Table {
            columns: columns(),
            rows: i.indicators.iter().map(row).collect(),
            caption: Some(format!(
                "{} indicator(s) of {}'s actor, by kind ({}).",
                i.indicators.len(),
                i.id,
                kinds(&i.indicators)
            )),
        }));
    }
    out
}

/// The kinds present, in order.
fn kinds(list: &[Indicator]) -> String {
    let mut v: Vec<&str> = list.iter().map(|i| i.kind.label()).collect();
    v.dedup();
    v.join(", ")
}

/// The indicators of every incident, and the gaps, as `indicators.csv`.
pub fn attachment(t: &Timeline) -> Attachment {
    Attachment {
        name: ATTACHMENT.into(),
        mime: "text/csv".into(),
        description: "Indicators of compromise of every incident (source IPs, user agents, keys, sessions), then the evidence gaps".into(),
        data: iocs::csv(t),
    }
}
