//! Section 7: the CloudTrail evidence tables (honeytoken reads, containment calls, the actor's
//! activity, other IAM and pipeline changes), each record once, with where it was read.

use super::activity::{self, ActorCalls};
use super::cut;
use super::fmt;
use super::IntegrityStatement;
use crate::export::redact_text;
use crate::model::{
    Delivery, EntryKind, Event, FirstAccessKind, Incident, Timeline, TimelineEntry,
};
use crate::report::{Attachment, Block, Cell, Column, Table};

fn columns() -> Vec<Column> {
    vec![
        Column::new("Time (UTC) / eventID", 2.1),
        Column::new("Identity (type, ARN)", 2.5),
        Column::new("Source IP / user agent", 2.1),
        Column::new("Action / target / error", 2.7),
        Column::new("Outcome", 1.3),
    ]
}

fn row(t: &Timeline, e: &TimelineEntry, integrity: &IntegrityStatement) -> Vec<Cell> {
    let verified = t
        .inputs
        .get(e.input as usize)
        .is_some_and(|i| integrity.verified_inputs.contains(&*i.path));
    // The copy this row shows (another input may hold a different record with this eventID).
    let event: Option<&Event> = t
        .event_at(e.origin())
        .filter(|ev| ev.event_id == e.event_id);
    // The message is the record's own text, shown here outside the JSON's redacted copy of the
    // record: AWS quotes a rejected session token in it.
    let action = match event.and_then(|ev| ev.error_message.as_deref()) {
        Some(msg) if e.outcome != "success" => {
            format!("{}\n{}\nerror: {}", e.action, e.target, redact_text(msg))
        }
        _ => format!("{}\n{}", e.action, e.target),
    };
    let outcome = e.outcome.clone();
    vec![
        Cell::mono(format!(
            "{}\n{}\ninput {}, record {}\n{}",
            fmt::time(e.time),
            e.event_id,
            e.input + 1,
            e.index,
            if verified {
                "digest-verified file"
            } else {
                "file not digest-verified"
            }
        )),
        Cell::text(format!("{}\n{}", e.actor_type, e.actor)),
        Cell::text(format!("{}\n{}", e.source_ip, e.user_agent)),
        Cell::text(action),
        if e.outcome == "success" {
            Cell::text(outcome)
        } else {
            Cell::alert(outcome)
        },
    ]
}

fn table(
    t: &Timeline,
    rows: &[&TimelineEntry],
    caption: &str,
    integrity: &IntegrityStatement,
) -> Block {
    cut_table(t, rows, None, caption, integrity)
}

/// [`table`] of rows cut in the middle: `marker` (a [`cut::marker`] row) printed before the row
/// at its index, where the rows left out would be.
fn cut_table(
    t: &Timeline,
    rows: &[&TimelineEntry],
    mut marker: Option<(usize, Vec<Cell>)>,
    caption: &str,
    integrity: &IntegrityStatement,
) -> Block {
    let mut cells = Vec::with_capacity(rows.len() + 1);
    for (n, e) in rows.iter().enumerate() {
        if marker.as_ref().is_some_and(|(at, _)| *at == n) {
            cells.extend(marker.take().map(|(_, m)| m));
        }
        cells.push(row(t, e, integrity));
    }
    Block::Table(Table {
        columns: columns(),
        rows: cells,
        caption: Some(caption.into()),
    })
}

pub fn section(
    t: &Timeline,
    calls: &[ActorCalls<'_>],
    integrity: &IntegrityStatement,
) -> Vec<Block> {
    let mut out = vec![
        Block::heading(1, "Evidence from CloudTrail"),
        Block::para("Each row is one CloudTrail record as delivered: eventTime, userIdentity (type and ARN), sourceIPAddress, userAgent, eventSource:eventName, the resource acted on, and errorCode (with errorMessage) when the call failed. Under the eventID, \"input N, record R\" says where the record was read: input N of the appendix's numbered inputs list, record R (counted from 0) of that file; the last line of the first column says whether that file was verified by a CloudTrail digest."),
    ];
    if t.incidents.is_empty() {
        out.push(Block::para(format!(
            "No incident: no honeytoken read, containment or actor activity to list.{}",
            super::reads_unseen::caveat(t)
        )));
    }
    for i in &t.incidents {
        let of = |k: EntryKind| of_kind(t, i, k);
        let caption = match i.milestones.first_access_kind {
            FirstAccessKind::Read => "Calls that read the honeytoken's value, successful or denied.",
            FirstAccessKind::Attempt => "Calls to read the honeytoken's value: none returned it (each call's errorCode is on its row).",
            FirstAccessKind::AttemptThenRead => "Calls to read the honeytoken's value, the first of them unsuccessful (a failed call's errorCode is on its row).",
        };
        out.push(Block::heading(2, format!("{}: {}", i.id, reads_title(i))));
        out.push(long_table(
            t,
            (&i.id, LongTable::Reads),
            &of(EntryKind::HoneytokenAccess),
            caption,
            integrity,
        ));
        if !i.corroboration.is_empty() {
            out.push(Block::para(corroboration_line(i)));
        }
        // The reads listed are not all there may have been when another decoy's are unseen.
        let (unseen, _) = super::reads_unseen::others_sentence(t);
        if !unseen.is_empty() {
            out.push(Block::para(unseen.trim_start().to_string()));
        }
        out.push(Block::heading(2, format!("{}: containment calls", i.id)));
        let contain = of(EntryKind::Containment);
        if contain.is_empty() {
            out.push(Block::para(match t.killswitch_identity.as_str() {
                "" => "No call on this actor by the configured kill-switch is in the evidence."
                    .to_string(),
                who => format!("No call on this actor by {who} is in the evidence."),
            }));
        } else {
            out.push(long_table(
                t,
                (&i.id, LongTable::Containment),
                &contain,
                "Calls made by the kill-switch for this incident.",
                integrity,
            ));
        }
        out.push(Block::heading(2, format!("{}: the actor's activity", i.id)));
        if let Some(c) = calls.iter().find(|c| c.incident == i.id) {
            out.extend(activity_blocks(t, i, c, integrity));
        }
    }
    let others: Vec<&TimelineEntry> = t
        .entries
        .iter()
        .filter(|e| {
            e.incidents.is_empty()
                && matches!(
                    e.kind,
                    EntryKind::IamChange
                        | EntryKind::PipelineChange
                        | EntryKind::PipelineAttempt
                        | EntryKind::MonitoringChange
                        | EntryKind::MonitoringAttempt
                        | EntryKind::HoneytokenAccess
                        | EntryKind::Insight
                        | EntryKind::NetworkActivity
                )
        })
        .collect();
    if !others.is_empty() {
        out.push(Block::heading(
            2,
            "Other IAM and pipeline changes, attempts and Insights",
        ));
        let iam_scope = if t.incidents.is_empty() {
            "IAM changes by any principal anywhere in the evidence (there is no incident window)"
        } else {
            "IAM changes by other principals from 15 minutes before an incident's first record to 15 minutes after its last"
        };
        out.push(table(
            t,
            &others,
            &format!("{iam_scope}; changes to the monitoring pipeline, failed attempts to change it (they changed nothing) and CloudTrail Insights events (unusual API call or error rates) anywhere in the evidence. Context, not attributed to an incident."),
            integrity,
        ));
    }
    out
}

/// Honeytoken reads or containment calls printed one per row at most: an actor's script can
/// read the honeytoken thousands of times (20,000 reads made 3,950 pages of this section).
/// Beyond, the first and the last half of them, and every one in an attachment.
pub const TABLE_ROWS: usize = 40;

/// The two tables of an incident that [`TABLE_ROWS`] bounds.
#[derive(Clone, Copy)]
enum LongTable {
    Reads,
    Containment,
}

impl LongTable {
    fn kind(self) -> EntryKind {
        match self {
            LongTable::Reads => EntryKind::HoneytokenAccess,
            LongTable::Containment => EntryKind::Containment,
        }
    }

    fn attachment(self, incident: &str) -> String {
        match self {
            LongTable::Reads => format!("{incident}-honeytoken-reads.csv"),
            LongTable::Containment => format!("{incident}-containment-calls.csv"),
        }
    }

    fn what(self) -> &'static str {
        match self {
            LongTable::Reads => "honeytoken reads",
            LongTable::Containment => "kill-switch calls",
        }
    }
}

/// The title of an incident's table of honeytoken calls: `honeytoken reads`, or `honeytoken
/// calls` when its first access (T) was refused or failed (no read then).
pub(super) fn reads_title(i: &Incident) -> &'static str {
    match i.milestones.first_access_kind {
        FirstAccessKind::Read => "honeytoken reads",
        _ => "honeytoken calls",
    }
}

/// The incident's timeline rows of one kind, in time order.
fn of_kind<'t>(t: &'t Timeline, i: &Incident, kind: EntryKind) -> Vec<&'t TimelineEntry> {
    t.entries
        .iter()
        .filter(|e| e.kind == kind && e.incidents.contains(&i.id))
        .collect()
}

/// [`table`] of every row, or past [`TABLE_ROWS`] of the first and the last half of them, the
/// caption saying where the others are.
fn long_table(
    t: &Timeline,
    (incident, which): (&str, LongTable),
    rows: &[&TimelineEntry],
    caption: &str,
    integrity: &IntegrityStatement,
) -> Block {
    let (head, left_out, tail) = cut::ends(rows, TABLE_ROWS);
    let (Some(first), Some(last)) = (left_out.first(), left_out.last()) else {
        return table(t, rows, caption, integrity);
    };
    let half = head.len();
    let caption = format!(
        "{caption} {} {}: the first {half} and the last {half} are printed, the {} between them are not; the attached {} lists every one (its SHA-256 is in the appendix).",
        rows.len(),
        which.what(),
        left_out.len(),
        which.attachment(incident)
    );
    let marker = cut::marker(
        left_out.len(),
        which.what(),
        first.time,
        last.time,
        &format!("every one in {}", which.attachment(incident)),
    );
    let printed = [head, tail].concat();
    cut_table(t, &printed, Some((half, marker)), &caption, integrity)
}

/// Every honeytoken read and kill-switch call of the incidents whose tables are cut, as CSV.
pub fn attachments(t: &Timeline) -> Vec<Attachment> {
    let mut out = Vec::new();
    for i in &t.incidents {
        for which in [LongTable::Reads, LongTable::Containment] {
            let rows = of_kind(t, i, which.kind());
            if rows.len() > TABLE_ROWS {
                out.push(Attachment {
                    name: which.attachment(&i.id),
                    mime: "text/csv".into(),
                    description: format!(
                        "Every {} of {}: time, eventID, identity, source, action, outcome, and the input and record it was read from",
                        which.what().trim_end_matches('s'),
                        i.id
                    ),
                    data: activity::calls_csv(t, &rows),
                });
            }
        }
    }
    out
}

/// Every call when they are few; else the incident window in full and the rest summed up
/// (`activity`), every call attached.
fn activity_blocks(
    t: &Timeline,
    i: &Incident,
    calls: &ActorCalls<'_>,
    integrity: &IntegrityStatement,
) -> Vec<Block> {
    if calls.rows.is_empty() {
        return vec![Block::para(
            "None in the evidence: the actor's only calls in the evidence examined are the honeytoken reads above.",
        )];
    }
    let mut out = activity_tables(t, i, calls, integrity);
    let (updated, twice): (Vec<&&Delivery>, Vec<&&Delivery>) =
        calls.twice.iter().partition(|d| d.updates.is_some());
    if !updated.is_empty() {
        let pairs: Vec<String> = updated
            .iter()
            .take(10)
            .map(|d| {
                let u = d.updates.as_ref().expect("partitioned on updates");
                let fields = match u.updated_fields.as_str() {
                    "" => String::new(),
                    f => format!(", updatedFields {f}"),
                };
                format!(
                    "{} updates {} (addendum reason {}{fields})",
                    d.event_id,
                    d.counted_as,
                    if u.reason.is_empty() {
                        "not stated"
                    } else {
                        &u.reason
                    }
                )
            })
            .collect();
        let more = match updated.len() {
            n if n > 10 => format!(
                ", and {} more (every one in the timeline JSON's deliveries)",
                n - 10
            ),
            _ => String::new(),
        };
        let identity = match updated.iter().any(|d| updates_identity(d)) {
            true => IDENTITY_UPDATED,
            false => "",
        };
        out.push(Block::para(format!(
            "Not counted again: {} record(s) of the actor are CloudTrail's later copy of a call above with updated data (the addendum names the earlier record as originalEventID; both records are kept in the timeline): {}{more}.{identity}",
            updated.len(),
            pairs.join(", "),
        )));
    }
    if !twice.is_empty() {
        let pairs: Vec<String> = twice
            .iter()
            .take(10)
            .map(|d| format!("{} (counted as {})", d.event_id, d.counted_as))
            .collect();
        let more = match twice.len() {
            n if n > 10 => format!(
                ", and {} more (every one in the timeline JSON's deliveries)",
                n - 10
            ),
            _ => String::new(),
        };
        out.push(Block::para(format!(
            "Not counted again: {} record(s) of the actor are another account's delivery of a call above (the same sharedEventID, time and API; CloudTrail delivers a cross-account call to each account involved): {}{more}.",
            twice.len(),
            pairs.join(", "),
        )));
    }
    out
}

/// The actor's calls: every one, or the incident window's and the rest summed up.
fn activity_tables(
    t: &Timeline,
    i: &Incident,
    calls: &ActorCalls<'_>,
    integrity: &IntegrityStatement,
) -> Vec<Block> {
    let (rows, plan) = (&calls.rows, &calls.plan);
    let by_services = by_services_note(&plan.printed);
    let Some((from, to)) = plan.window else {
        return vec![table(
            t,
            &plan.printed,
            &format!("Every other call by the actor and by the role sessions it obtained, before and after containment.{by_services}"),
            integrity,
        )];
    };
    let name = activity::attachment_name(&i.id);
    let mut out = vec![Block::para(format!(
        "The actor made {} other calls in the evidence: too many to print one per row. Printed below: the calls of the incident window, from {} minutes before the first read to {} minutes after the end of exposure ({} to {}); then every other call summed up by day, API, outcome and source IP. Every call is listed in the attached {name}, whose SHA-256 the appendix prints.",
        rows.len(),
        activity::PAD_MINUTES,
        activity::PAD_MINUTES,
        fmt::time(from),
        fmt::time(to),
    ))];
    let caption = match plan.window_cut {
        Some(cut) => format!(
            "The first and last {} calls of the incident window; its other {} calls are summed up below.",
            cut.at, cut.count
        ),
        None => {
            "Every call of the incident window by the actor and the role sessions it obtained."
                .into()
        }
    };
    let caption = caption + &by_services;
    if plan.printed.is_empty() {
        out.push(Block::para("No call by the actor in the incident window."));
    } else {
        let marker = plan.window_cut.map(|cut| {
            let found = format!("summed up below; every one in {name}");
            let row = cut::marker(cut.count, "calls", cut.first, cut.last, &found);
            (cut.at, row)
        });
        out.push(cut_table(t, &plan.printed, marker, &caption, integrity));
    }
    if !plan.groups.is_empty() {
        out.push(Block::Table(activity::summary_table(plan, &name)));
    }
    out
}

/// A caption's note on the rows an AWS service made with the actor's identity (CloudTrail
/// gives such a call the service's name as its source address: `secretsmanager.amazonaws.com`
/// for the `kms:Decrypt` behind a secret read), so that they are not read as the actor's own.
/// Empty when no row is one.
fn by_services_note(rows: &[&TimelineEntry]) -> String {
    let services: std::collections::BTreeSet<&str> = rows
        .iter()
        .map(|e| e.source_ip.as_str())
        .filter(|ip| ip.ends_with(".amazonaws.com"))
        .collect();
    if services.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = services.into_iter().collect();
    format!(
        " A row whose source is an AWS service ({}) is a call that service made with the actor's identity, on its behalf, not one the actor sent itself.",
        names.join(", ")
    )
}

/// What the report says when an updated copy corrects the caller's identity.
const IDENTITY_UPDATED: &str = " Where a copy updates userIdentity, the actor is as the copy names it (CloudTrail's updated data for the call), not as the earlier record did.";

/// Whether CloudTrail's updated copy `d` updates `userIdentity` (its `updatedFields` names it).
fn updates_identity(d: &Delivery) -> bool {
    d.updates
        .as_ref()
        .is_some_and(|u| crate::model::Updates::names_user_identity(&u.updated_fields))
}

/// The records that bear out the incident's reads, in one sentence.
fn corroboration_line(i: &crate::model::Incident) -> String {
    use crate::model::CorroborationKind;
    let parts: Vec<String> = i
        .corroboration
        .iter()
        .map(|c| match c.kind {
            CorroborationKind::KmsDecrypt => format!(
                "the service's kms:Decrypt {} of the honeytoken's value bears out read {}",
                c.event_id, c.read_event_id
            ),
            CorroborationKind::BatchEntry => format!(
                "AWS's per-secret GetSecretValue entry {} belongs to batch read {} (one read)",
                c.event_id, c.read_event_id
            ),
            CorroborationKind::SharedEvent => format!(
                "record {} is the same call as read {}, delivered to the other account involved (same sharedEventID: one read)",
                c.event_id, c.read_event_id
            ),
            CorroborationKind::UpdatedCopy => format!(
                "record {} is CloudTrail's later copy of read {} with updated data (its addendum names {} as originalEventID{}: one read)",
                c.event_id,
                c.read_event_id,
                c.read_event_id,
                match i
                    .deliveries
                    .iter()
                    .any(|d| d.event_id == c.event_id && updates_identity(d))
                {
                    true => " and updates userIdentity: the actor is as the copy names it",
                    false => "",
                }
            ),
            CorroborationKind::Batch => format!(
                "read {} is AWS's per-secret entry of BatchGetSecretValue {}",
                c.read_event_id, c.event_id
            ),
        })
        .collect();
    format!("Corroboration: {}.", parts.join("; "))
}
