//! The indicators of compromise section: per incident, the actor's principals, keys, sessions,
//! source IPs and user agents with first and last sight and the records they rest on, then the
//! other principals at the actor's address (`same_address`); the full
//! list of every incident is attached as `indicators.csv` (the same bytes as
//! `trailcase timeline --format iocs`).

use super::fmt;
use crate::export::iocs;
use crate::model::{ExpiryPassed, Indicator, StepsAt, Timeline, Timestamp};
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

/// One indicator; `at`: the evidence's end and when this report was made. A credential the
/// containment did not reach is LIVE until its recorded expiry; one whose expiry has passed is
/// "not cut, expired", not LIVE, with what shows it passed: the evidence running past it (a fact
/// of the records, as the JSON's eradication step says it) or, else, the report's time.
fn row(ind: &Indicator, at: StepsAt) -> Vec<Cell> {
    let passed = ind
        .expires
        .filter(|_| ind.live)
        .and_then(|e| at.expired(e).map(|p| (e, p)));
    let kind = if passed.is_some() {
        Cell::text(format!("{}\nnot cut, expired", ind.kind.label()))
    } else if ind.live {
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
        seen.push_str(&match (ind.expires, passed) {
            (_, Some((e, ExpiryPassed::ByEvidence(end)))) => format!(
                "\nexpired\n{}\n(the records run to\n{})",
                fmt::time(e),
                fmt::time(end)
            ),
            (_, Some((e, ExpiryPassed::BeforeReport))) => {
                format!("\nexpired\n{}\n(before this report)", fmt::time(e))
            }
            (Some(e), None) => format!("\nLIVE until\n{}", fmt::time(e)),
            (None, None) => "\nLIVE (expiry not in the evidence)".into(),
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

pub fn section(t: &Timeline, made: Timestamp) -> Vec<Block> {
    let at = t.steps_at(Some(made));
    let mut out = vec![
        Block::heading(1, "Indicators of compromise"),
        Block::para(format!(
            "What a responder can search for elsewhere (other accounts, proxies, EDR, the SIEM): the principals, access keys, role sessions, source IP addresses and user agents of each incident's actor, as its CloudTrail records name them. \"Records\" counts the incident's records naming the indicator (0: only the call that issued it); the eventIDs are the first and last of them. A credential marked LIVE was not reached by the containment, and neither the records nor the time this report was made are past its recorded expiry; the time shown under its first and last sight (LIVE until) is when it expires as issued, unless revoked earlier. One marked \"not cut, expired\" was not reached either, and its recorded expiry, shown under \"expired\", has passed: the records run past it (their last eventTime shown under it), or else it is before this report was made. The list of every incident is attached as {ATTACHMENT} (also: trailcase timeline --format iocs), with the evidence gaps as its last rows."
        )),
    ];
    if t.records_read == 0 {
        out.push(Block::para(
            "Unknown: nothing was examined (the evidence holds no CloudTrail record), so no indicator can be drawn from it. This is not an all-clear.",
        ));
    } else if t.incidents.is_empty() {
        out.push(Block::para(format!(
            "No incident, so no indicator: no honeytoken read is in the evidence examined.{}",
            super::reads_unseen::caveat(t)
        )));
    }
    for i in &t.incidents {
        out.push(Block::heading(2, format!("{}: indicators", i.id)));
        let nearby = super::same_address::caption_note(i).unwrap_or_default();
        if i.indicators.is_empty() {
            out.push(Block::para(format!(
                "None: the actor's records name no IP address, user agent, key or ARN.{nearby}"
            )));
            out.extend(super::same_address::blocks(i));
            continue;
        }
        let printed = printed(&i.indicators);
        let cut = if printed.len() < i.indicators.len() {
            format!(
                " Printed: {} of them, at most {PER_KIND} of each kind (every live credential, then those with the most records); every one is in {ATTACHMENT}.",
                printed.len()
            )
        } else {
            String::new()
        };
        out.push(Block::Table(Table {
            columns: columns(),
            rows: printed.into_iter().map(|ind| row(ind, at)).collect(),
            caption: Some(format!(
                "{} indicator(s) of {}'s actor, by kind ({}).{cut}{nearby}",
                i.indicators.len(),
                i.id,
                kinds(&i.indicators)
            )),
        }));
        out.extend(super::same_address::blocks(i));
    }
    out
}

/// Indicators of one kind printed at most: an actor's script can call from thousands of
/// addresses (20,000 made 1,600 pages of this section); the attachment has every one.
pub const PER_KIND: usize = 25;

/// The indicators printed, in the list's order: of each kind, every live credential first, then
/// those named by the most records (the earliest first among equals), at most [`PER_KIND`].
fn printed(list: &[Indicator]) -> Vec<&Indicator> {
    let mut keep = vec![false; list.len()];
    let mut start = 0;
    while start < list.len() {
        let kind = list[start].kind;
        let end = start + list[start..].iter().take_while(|x| x.kind == kind).count();
        let mut order: Vec<usize> = (start..end).collect();
        order.sort_by_key(|&n| {
            let x = &list[n];
            (!x.live, std::cmp::Reverse(x.records), x.first_seen, n)
        });
        for n in order.into_iter().take(PER_KIND) {
            keep[n] = true;
        }
        start = end;
    }
    list.iter()
        .zip(keep)
        .filter_map(|(x, k)| k.then_some(x))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IndicatorKind, Timestamp};

    fn indicator(kind: IndicatorKind, value: &str, records: u64, live: bool) -> Indicator {
        Indicator {
            kind,
            value: value.into(),
            first_seen: Timestamp::from_secs(records as i64),
            last_seen: Timestamp::from_secs(records as i64),
            records,
            seen_in: vec!["actor call".into()],
            first_event_id: "e".into(),
            last_event_id: "e".into(),
            live,
            expires: None,
        }
    }

    /// Of each kind, every live credential and then the indicators with the most records are
    /// printed, at most [`PER_KIND`], in the list's order; a kind with fewer is printed whole.
    #[test]
    fn at_most_a_few_of_each_kind_are_printed_the_live_and_the_busiest_first() {
        let mut list = vec![indicator(IndicatorKind::Principal, "arn", 40, false)];
        list.extend(
            (0..30).map(|n| indicator(IndicatorKind::SessionKey, &format!("ASIA{n}"), n, n == 0)),
        );
        list.extend(
            (0..30).map(|n| indicator(IndicatorKind::SourceIp, &format!("10.0.0.{n}"), n, false)),
        );
        let shown: Vec<&str> = printed(&list).iter().map(|x| x.value.as_str()).collect();
        let keys: Vec<String> = std::iter::once("ASIA0".to_string())
            .chain((6..30).map(|n| format!("ASIA{n}")))
            .collect();
        let ips: Vec<String> = (5..30).map(|n| format!("10.0.0.{n}")).collect();
        let mut expected = vec!["arn".to_string()];
        expected.extend(keys);
        expected.extend(ips);
        assert_eq!(shown, expected);
    }
}
