//! The actor's activity at any size. A compromised principal can be a busy one (a CI user, an
//! active developer: thousands of calls in a week); a table row per call made a 1,312-page
//! report. Up to [`FULL_ROWS`] calls the report prints every one. Beyond, it prints the incident
//! window in full (from [`PAD_MINUTES`] before the first honeytoken read to [`PAD_MINUTES`] after
//! the end of exposure: containment, or the actor's last successful call), at most
//! [`WINDOW_ROWS`] of them (the first and the last half of the window when it holds more), sums up
//! every call it does not print by day, API, outcome and source IP (count, first and last seen),
//! and attaches every call as `<incident>-actor-activity.csv`, whose SHA-256 the appendix prints.

use super::fmt;
use crate::export::csv_cell;
use crate::model::{Delivery, EntryKind, Milestones, Origin, Timeline, TimelineEntry, Timestamp};
use crate::report::{Attachment, Cell, Column, Table};
use std::collections::{BTreeMap, HashSet};

/// Up to this many calls, every one is printed.
pub const FULL_ROWS: usize = 40;
/// The most calls of the incident window printed.
pub const WINDOW_ROWS: usize = 40;
/// The most summary groups printed (the largest first); the attachment has every call.
pub const SUMMARY_ROWS: usize = 60;
/// The incident window reaches this far before the first read and after the end of exposure.
pub const PAD_MINUTES: i64 = 15;

/// What the report prints of one actor's calls.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The calls printed one per row, in time order.
    pub printed: Vec<&'a TimelineEntry>,
    /// The incident window, when the calls are too many to print them all.
    pub window: Option<(Timestamp, Timestamp)>,
    /// The calls of the window not printed (it held more than [`WINDOW_ROWS`]): they lie
    /// between `printed[..at]` and `printed[at..]`.
    pub window_cut: Option<WindowCut>,
    /// Every call not printed, by day, API, outcome and source IP (largest groups first).
    pub groups: Vec<Group>,
}

/// The calls of the incident window left out of the table, between its first and last rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowCut {
    /// Where in the printed rows they would be.
    pub at: usize,
    pub count: usize,
    pub first: Timestamp,
    pub last: Timestamp,
}

/// Calls alike in day, API, outcome and source IP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub day: String,
    pub action: String,
    pub outcome: String,
    pub source_ip: String,
    pub count: usize,
    pub first: Timestamp,
    pub last: Timestamp,
}

/// One incident's actor calls and what the report prints of them, decided once for the
/// evidence table, its attachment and the appendix's list of cited inputs.
#[derive(Debug)]
pub struct ActorCalls<'a> {
    pub incident: &'a str,
    /// The actor's calls other than the reads (and those of the role sessions it obtained), in
    /// time order: each call once (another account's delivery of a call is not another call).
    pub rows: Vec<&'a TimelineEntry>,
    /// The records of such calls that are another account's delivery of one of `rows`
    /// (`Incident::deliveries`), in eventID order, each once.
    pub twice: Vec<&'a Delivery>,
    pub plan: Plan<'a>,
}

/// Every incident's actor calls, in the incidents' order.
pub fn of_incidents(t: &Timeline) -> Vec<ActorCalls<'_>> {
    t.incidents
        .iter()
        .map(|i| {
            // `deliveries` is sorted by eventID, one each.
            let delivery = |e: &TimelineEntry| {
                i.deliveries
                    .binary_search_by(|d| d.event_id.as_str().cmp(&e.event_id))
                    .ok()
            };
            let mut rows = Vec::new();
            let mut twice = Vec::new();
            for e in t.entries.iter().filter(|e| {
                e.incidents.contains(&i.id)
                    && matches!(
                        e.kind,
                        EntryKind::ActorActivity
                            | EntryKind::ActorDenied
                            | EntryKind::ActorFailed
                            | EntryKind::CredentialIssued
                            | EntryKind::NetworkActivity
                    )
            }) {
                match delivery(e) {
                    Some(n) => twice.push(n),
                    None => rows.push(e),
                }
            }
            twice.sort_unstable();
            twice.dedup();
            ActorCalls {
                incident: &i.id,
                plan: plan(&i.milestones, &rows),
                rows,
                twice: twice.into_iter().map(|n| &i.deliveries[n]).collect(),
            }
        })
        .collect()
}

/// Where the calls the report sums up instead of printing were read: an input holding only
/// those is cited by no table (the attachment gives each call's input).
pub fn summarised(calls: &[ActorCalls<'_>]) -> HashSet<Origin> {
    let mut out = HashSet::new();
    for c in calls.iter().filter(|c| c.plan.window.is_some()) {
        let printed: HashSet<Origin> = c.plan.printed.iter().map(|e| e.origin()).collect();
        out.extend(
            c.rows
                .iter()
                .map(|e| e.origin())
                .filter(|o| !printed.contains(o)),
        );
    }
    out
}

/// The attachments listing every call of the actors whose calls are too many to print.
pub fn attachments(t: &Timeline, calls: &[ActorCalls<'_>]) -> Vec<Attachment> {
    calls
        .iter()
        .filter(|c| c.rows.len() > FULL_ROWS)
        .map(|c| attachment(t, c.incident, &c.rows))
        .collect()
}

/// The incident window: from the first read, less the pad, to the end of exposure plus the pad.
pub fn window(m: &Milestones) -> Option<(Timestamp, Timestamp)> {
    let first = m.first_access?;
    let end = [m.containment_complete, m.last_actor_success, m.last_access]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(first);
    let pad = PAD_MINUTES * 60_000;
    Some((Timestamp(first.0 - pad), Timestamp(end.0 + pad)))
}

/// Decide what to print of `rows` (the incident's actor calls, in time order).
pub fn plan<'a>(m: &Milestones, rows: &[&'a TimelineEntry]) -> Plan<'a> {
    if rows.len() <= FULL_ROWS {
        return Plan {
            printed: rows.to_vec(),
            window: None,
            window_cut: None,
            groups: Vec::new(),
        };
    }
    let window = window(m);
    let inside = |e: &TimelineEntry| window.is_some_and(|(a, b)| e.time >= a && e.time <= b);
    let in_window: Vec<&TimelineEntry> = rows.iter().copied().filter(|e| inside(e)).collect();
    let (head, left_out, tail) = super::cut::ends(&in_window, WINDOW_ROWS);
    let window_cut = match (left_out.first(), left_out.last()) {
        (Some(first), Some(last)) => Some(WindowCut {
            at: head.len(),
            count: left_out.len(),
            first: first.time,
            last: last.time,
        }),
        _ => None,
    };
    let printed: Vec<&TimelineEntry> = head.iter().chain(tail).copied().collect();
    let shown: std::collections::HashSet<*const TimelineEntry> =
        printed.iter().map(|e| *e as *const _).collect();
    let rest = rows
        .iter()
        .copied()
        .filter(|e| !shown.contains(&(*e as *const _)));
    Plan {
        window_cut,
        printed,
        window,
        groups: groups(rest),
    }
}

fn groups<'a>(rows: impl Iterator<Item = &'a TimelineEntry>) -> Vec<Group> {
    let mut by: BTreeMap<(String, &str, &str, &str), Group> = BTreeMap::new();
    for e in rows {
        let day = e.time.to_rfc3339()[..10].to_string();
        let key = (day.clone(), &*e.action, &*e.outcome, &*e.source_ip);
        by.entry(key)
            .and_modify(|g| {
                g.count += 1;
                g.first = g.first.min(e.time);
                g.last = g.last.max(e.time);
            })
            .or_insert_with(|| Group {
                day,
                action: e.action.clone(),
                outcome: e.outcome.clone(),
                source_ip: e.source_ip.clone(),
                count: 1,
                first: e.time,
                last: e.time,
            });
    }
    let mut v: Vec<Group> = by.into_values().collect();
    // Largest first; ties in day, API, outcome and IP order (the map's), so the order is stable.
    v.sort_by_key(|g| std::cmp::Reverse(g.count));
    v
}

/// The summary table: at most [`SUMMARY_ROWS`] groups, then one row for the rest.
pub fn summary_table(plan: &Plan<'_>, attachment: &str) -> Table {
    let mut rows: Vec<Vec<Cell>> = plan
        .groups
        .iter()
        .take(SUMMARY_ROWS)
        .map(|g| {
            vec![
                Cell::mono(g.day.clone()),
                Cell::text(g.action.clone()),
                if g.outcome == "success" {
                    Cell::text(g.outcome.clone())
                } else {
                    Cell::alert(g.outcome.clone())
                },
                Cell::text(g.source_ip.clone()),
                Cell::text(g.count.to_string()),
                Cell::mono(format!("{}\n{}", fmt::time(g.first), fmt::time(g.last))),
            ]
        })
        .collect();
    let more = &plan.groups[plan.groups.len().min(SUMMARY_ROWS)..];
    if !more.is_empty() {
        let calls: usize = more.iter().map(|g| g.count).sum();
        rows.push(vec![
            Cell::text(""),
            Cell::text(format!("{} more groups, in {attachment}", more.len())),
            Cell::text(""),
            Cell::text(""),
            Cell::text(calls.to_string()),
            Cell::text(""),
        ]);
    }
    let total: usize = plan.groups.iter().map(|g| g.count).sum();
    Table {
        columns: vec![
            Column::new("Day (UTC)", 1.5),
            Column::new("API (source:name)", 3.4),
            Column::new("Outcome", 1.5),
            Column::new("Source IP", 1.8),
            Column::new("Calls", 0.8),
            Column::new("First / last seen", 2.6),
        ],
        rows,
        caption: Some(format!(
            "The {total} calls not printed above, by day, API, outcome and source IP, largest groups first. Every call, with its eventID and where it was read, is in {attachment}."
        )),
    }
}

/// The attachment's name for one incident.
pub fn attachment_name(incident: &str) -> String {
    format!("{incident}-actor-activity.csv")
}

/// Every call of the actor, one CSV row each, with where it was read.
pub fn attachment(t: &Timeline, incident: &str, rows: &[&TimelineEntry]) -> Attachment {
    Attachment {
        name: attachment_name(incident),
        mime: "text/csv".into(),
        description: format!(
            "Every call by {incident}'s actor and the role sessions it obtained: time, eventID, identity, source, action, outcome, and the input and record it was read from"
        ),
        data: calls_csv(t, rows),
    }
}

/// `rows` as CSV, one call each: time, eventID, identity, source, action, target, outcome, and
/// the input and record it was read from.
pub fn calls_csv(t: &Timeline, rows: &[&TimelineEntry]) -> Vec<u8> {
    let mut csv = csv_cell::writer(Vec::new(), true);
    // Writing to a Vec cannot fail.
    let _ = csv.write_record([
        "time",
        "event_id",
        "identity_type",
        "identity_arn",
        "source_ip",
        "user_agent",
        "action",
        "target",
        "outcome",
        "input",
        "record_index",
    ]);
    for e in rows {
        let input = t
            .inputs
            .get(e.input as usize)
            .map(|i| i.path.to_string())
            .unwrap_or_default();
        let cells = [
            e.time.to_string(),
            e.event_id.clone(),
            e.actor_type.clone(),
            e.actor.clone(),
            e.source_ip.clone(),
            e.user_agent.clone(),
            e.action.clone(),
            e.target.clone(),
            e.outcome.clone(),
            input,
            e.index.to_string(),
        ];
        let _ = csv.write_record(cells.iter().map(|c| csv_cell::neutralise(c).into_owned()));
    }
    csv.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntryKind;

    fn entry(secs: i64, action: &str, ip: &str) -> TimelineEntry {
        TimelineEntry {
            time: Timestamp::from_secs(secs),
            event_id: format!("e{secs}"),
            source: "cloudtrail".into(),
            actor: "arn:aws:iam::123456789012:user/ci".into(),
            actor_type: "IAMUser".into(),
            action: action.into(),
            target: String::new(),
            outcome: "success".into(),
            source_ip: ip.into(),
            user_agent: String::new(),
            region: "us-east-1".into(),
            kind: EntryKind::ActorActivity,
            incidents: vec!["INC-001".into()],
            input: 0,
            index: secs as u64,
            tie: false,
            counted_as: String::new(),
        }
    }

    fn incident(first_read: i64, contained: i64) -> Milestones {
        Milestones {
            first_access: Some(Timestamp::from_secs(first_read)),
            containment_complete: Some(Timestamp::from_secs(contained)),
            ..Milestones::default()
        }
    }

    #[test]
    fn few_calls_are_all_printed() {
        let rows: Vec<TimelineEntry> = (0..FULL_ROWS as i64)
            .map(|s| entry(s * 3600, "s3:ListBuckets", "1"))
            .collect();
        let refs: Vec<&TimelineEntry> = rows.iter().collect();
        let p = plan(&incident(0, 10), &refs);
        assert_eq!(p.printed.len(), FULL_ROWS);
        assert!(p.groups.is_empty() && p.window.is_none());
    }

    #[test]
    fn a_busy_actor_gets_the_window_in_full_and_the_rest_summed_up() {
        let day = 86_400;
        // 5,000 calls a minute apart over ~3.5 days, the read at day 3, contained 2 minutes later.
        let rows: Vec<TimelineEntry> = (0..5_000)
            .map(|m| {
                entry(
                    m * 60,
                    if m % 2 == 0 {
                        "s3:GetObject"
                    } else {
                        "sts:GetCallerIdentity"
                    },
                    "10.0.0.1",
                )
            })
            .collect();
        let refs: Vec<&TimelineEntry> = rows.iter().collect();
        let read = 3 * day;
        let p = plan(&incident(read, read + 120), &refs);
        let (a, b) = p.window.unwrap();
        assert_eq!((a.secs(), b.secs()), (read - 900, read + 120 + 900));
        // Every call in the window, a minute apart: 15 + 2 + 15 minutes, both ends included.
        assert_eq!(p.printed.len(), 33);
        assert_eq!(p.window_cut, None);
        assert!(p.printed.iter().all(|e| e.time >= a && e.time <= b));
        // Nothing lost: the groups count every call not printed.
        let summed: usize = p.groups.iter().map(|g| g.count).sum();
        assert_eq!(summed + p.printed.len(), 5_000);
        // Grouped by day and API: 4 days x 2 APIs.
        assert_eq!(p.groups.len(), 8);
        let g = p
            .groups
            .iter()
            .find(|g| g.day == "1970-01-01" && g.action == "s3:GetObject")
            .unwrap();
        assert_eq!(
            (g.count, g.first.secs(), g.last.secs()),
            (720, 0, day - 120)
        );
    }

    #[test]
    fn a_crowded_window_prints_its_first_and_last_calls() {
        let rows: Vec<TimelineEntry> = (0..1_000).map(|s| entry(s, "s3:GetObject", "1")).collect();
        let refs: Vec<&TimelineEntry> = rows.iter().collect();
        let p = plan(&incident(500, 520), &refs);
        assert_eq!(p.printed.len(), WINDOW_ROWS);
        let cut = p.window_cut.expect("the window is cut");
        assert_eq!(cut.count, 1_000 - WINDOW_ROWS);
        assert_eq!(cut.at, WINDOW_ROWS / 2);
        assert_eq!(p.printed[cut.at - 1].time.secs() + 1, cut.first.secs());
        assert_eq!(p.printed[cut.at].time.secs() - 1, cut.last.secs());
        assert_eq!(p.printed[0].time.secs(), 0);
        assert_eq!(p.printed[WINDOW_ROWS - 1].time.secs(), 999);
        let summed: usize = p.groups.iter().map(|g| g.count).sum();
        assert_eq!(summed, 1_000 - WINDOW_ROWS);
    }
}
