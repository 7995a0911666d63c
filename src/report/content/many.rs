//! Many incidents. A honey object found by scanners gives thousands of incidents, one per
//! principal; a report of thousands of pages helps nobody. Beyond [`DETAILED_INCIDENTS`] the
//! report details the first incidents (by first access), sums up all of them by honeytoken, and
//! attaches the full list as `incidents.csv`; the JSON export always has every incident.

use super::fmt;
use crate::model::{wire_name, Incident, Timeline};
use crate::report::{Attachment, Block, Cell, Column, Span, Table};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Up to this many incidents, the report details every one.
pub const DETAILED_INCIDENTS: usize = 25;

/// Name of the attachment that lists every incident.
pub const ATTACHMENT: &str = "incidents.csv";

/// The timeline the detailed sections read: `t` itself, or, beyond [`DETAILED_INCIDENTS`],
/// a copy with only the first incidents (and only their rows, replayed accesses and run links).
pub fn detailed(t: &Timeline) -> Cow<'_, Timeline> {
    if t.incidents.len() <= DETAILED_INCIDENTS {
        return Cow::Borrowed(t);
    }
    let mut v = t.clone();
    v.incidents.truncate(DETAILED_INCIDENTS);
    let kept: HashSet<String> = v.incidents.iter().map(|i| i.id.clone()).collect();
    v.entries.retain_mut(|e| {
        if e.incidents.is_empty() {
            return true;
        }
        e.incidents.retain(|i| kept.contains(i));
        !e.incidents.is_empty()
    });
    for f in &mut v.replay.flows {
        f.accesses.retain(|a| kept.contains(&a.incident));
    }
    for run in &mut v.killswitch {
        run.incidents.retain(|i| kept.contains(i));
    }
    Cow::Owned(v)
}

/// How many incidents the detailed sections leave out.
pub fn not_detailed(t: &Timeline) -> usize {
    t.incidents.len().saturating_sub(DETAILED_INCIDENTS)
}

/// The executive summary's account of every incident, when not all are detailed.
pub fn summary(t: &Timeline) -> Vec<Block> {
    let omitted = not_detailed(t);
    if omitted == 0 {
        return Vec::new();
    }
    // Spans, not markup: a paragraph prints `**` and backticks as they are.
    let mut out = vec![Block::Paragraph(vec![
        Span::bold(format!("{} incidents", t.incidents.len())),
        Span::plain(format!(
            " (one per principal and honeytoken). This report details the first {} by first access; the other {} are summed up below and listed in full in the attached {ATTACHMENT} (a PDF reader lists it; the command pdfdetach -saveall extracts it), as in the JSON export of trailcase timeline.",
            DETAILED_INCIDENTS,
            omitted
        )),
    ])];
    #[derive(Default)]
    struct Sum<'a> {
        incidents: usize,
        actors: BTreeSet<&'a str>,
        ips: BTreeSet<&'a str>,
        first: Option<crate::model::Timestamp>,
        last: Option<crate::model::Timestamp>,
        contained: usize,
        high: usize,
    }
    let mut by: BTreeMap<&str, Sum> = BTreeMap::new();
    for i in &t.incidents {
        let s = by.entry(i.honeytoken_name.as_str()).or_default();
        s.incidents += 1;
        s.actors.insert(&i.actor.arn);
        s.ips.extend(i.actor.source_ips.iter().map(String::as_str));
        let m = &i.milestones;
        s.first = match (s.first, m.first_access) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        s.last = s.last.max(m.last_access);
        s.contained += usize::from(m.containment_complete.is_some());
        s.high += usize::from(i.findings.iter().any(|f| f.severity == "high"));
    }
    out.push(Block::Table(Table {
        columns: vec![
            Column::new("Honeytoken", 2.6),
            Column::right("Incidents", 1.0),
            Column::right("Principals", 1.0),
            Column::right("Source IPs", 1.0),
            Column::new("First read / last read (UTC)", 2.4),
            Column::right("Contained", 1.0),
            Column::right("With a high finding", 1.2),
        ],
        rows: by
            .into_iter()
            .map(|(name, s)| {
                vec![
                    Cell::text(name),
                    Cell::text(s.incidents.to_string()),
                    Cell::text(s.actors.len().to_string()),
                    Cell::text(s.ips.len().to_string()),
                    Cell::mono(format!(
                        "{}\n{}",
                        fmt::opt_time(s.first),
                        fmt::opt_time(s.last)
                    )),
                    Cell::text(s.contained.to_string()),
                    if s.high > 0 {
                        Cell::alert(s.high.to_string())
                    } else {
                        Cell::text("0")
                    },
                ]
            })
            .collect(),
        caption: Some("Every incident, summed up by honeytoken.".into()),
    }));
    out
}

/// Every incident, one CSV row each, when the report does not detail them all.
pub fn attachment(t: &Timeline) -> Option<Attachment> {
    if not_detailed(t) == 0 {
        return None;
    }
    Some(super::cut::csv_attachment(
        ATTACHMENT,
        &[
            "id",
            "honeytoken",
            "actor_arn",
            "actor_type",
            "first_access",
            "last_access",
            "reads",
            "source_ips",
            "containment_complete",
            "high_findings",
            "finding_kinds",
            "access_event_ids",
        ],
        t.incidents.iter().map(row),
        "Every incident: honeytoken, actor, first and last read, containment, findings".into(),
    ))
}

fn row(i: &Incident) -> Vec<String> {
    let m = &i.milestones;
    let time = |t: Option<crate::model::Timestamp>| t.map(|t| t.to_string()).unwrap_or_default();
    let kinds: BTreeSet<String> = i.findings.iter().map(|f| wire_name(f.kind)).collect();
    vec![
        i.id.clone(),
        i.honeytoken_name.clone(),
        i.actor.arn.clone(),
        i.actor.kind.clone(),
        time(m.first_access),
        time(m.last_access),
        i.access_records.len().to_string(),
        i.actor.source_ips.join(" "),
        time(m.containment_complete),
        i.findings
            .iter()
            .filter(|f| f.severity == "high")
            .count()
            .to_string(),
        kinds.into_iter().collect::<Vec<_>>().join(" "),
        i.access_event_ids.join(" "),
    ]
}

/// Whose the identities of several incidents are, for the summary's opening: ` of AWS account
/// <id>` when no read crossed accounts and every actor's records name that one account (their
/// `userIdentity.accountId`, where the principal's ARN agrees), ` of an AWS account` when they
/// name several (named in a sentence after it), none, or two that disagree (said after it); else no
/// account there, and a sentence after it that names both accounts of each read that crossed
/// (at most `NAMED`, then a count).
pub fn accounts(incidents: &[Incident]) -> (String, String) {
    const NAMED: usize = 8;
    let crossed: Vec<String> = incidents
        .iter()
        .filter_map(|i| {
            let x = i.cross_account.as_ref()?;
            Some(format!(
                "{} (an identity of AWS account {} read a decoy of AWS account {})",
                i.id, x.actor_account, x.honeytoken_account
            ))
        })
        .collect();
    if crossed.is_empty() {
        // An identity whose records disagree on its account (`Actor::account_disagrees`)
        // names none that a sentence can rest on.
        let named: BTreeSet<&str> = incidents
            .iter()
            .filter_map(|i| i.actor.established_account())
            .collect();
        let all_named = incidents
            .iter()
            .all(|i| i.actor.established_account().is_some());
        let none_named = incidents.iter().any(|i| {
            i.actor.established_account().is_none() && i.actor.account_disagrees().is_none()
        });
        let disputed: Vec<&str> = incidents
            .iter()
            .filter(|i| i.actor.account_disagrees().is_some())
            .map(|i| i.id.as_str())
            .collect();
        let disputed = match disputed.as_slice() {
            [] => String::new(),
            ids => format!(
                " The records of {} disagree on the identity's account (each incident's unknowns say how).",
                ids.join(", ")
            ),
        };
        let named: Vec<&str> = named.into_iter().collect();
        return match named.as_slice() {
            [one] if all_named => (format!(" of AWS account {one}"), String::new()),
            [] if disputed.is_empty() => (
                " of an AWS account the records do not name".into(),
                String::new(),
            ),
            [] => (" of an AWS account".into(), disputed),
            _ => (
                " of an AWS account".into(),
                format!(
                    " The identities' records name AWS account(s) {}{}.{disputed}",
                    named.join(", "),
                    if none_named {
                        "; some name no account"
                    } else {
                        ""
                    }
                ),
            ),
        };
    }
    let more = crossed.len().saturating_sub(NAMED);
    let rest = if crossed.len() == incidents.len() {
        "every incident crossed accounts".to_string()
    } else {
        "in the others the identity is of the decoy's own account".to_string()
    };
    (
        String::new(),
        format!(
            " Reads across accounts: {}{}; {rest}.",
            crossed[..crossed.len().min(NAMED)].join("; "),
            if more > 0 {
                format!("; and {more} more across accounts")
            } else {
                String::new()
            }
        ),
    )
}
