//! Section 8: the detection and kill-switch evidence (alarm transitions, rule metrics, the
//! deny policy, the denied attempts: named, with a reference to their records in the CloudTrail
//! tables of section 7, which list each record once).

use super::{cut, fmt};
use crate::model::{refusal_code, AlarmHistoryItem, EntryKind, Timeline, TimelineEntry, Timestamp};
use crate::report::{Attachment, Block, Cell, Column, Table};

/// Alarm history items or rule datapoints printed: past this, the first and last half, a
/// marker row between them and every one attached (a flapping alarm makes 1,440 a day).
const ROWS_PRINTED: usize = 40;
const HISTORY_CSV: &str = "alarm-history.csv";
const METRICS_CSV: &str = "rule-metrics.csv";

/// `rows` (each with its time) cut to their ends with a marker row naming `what` and `csv`.
fn cut_rows(rows: Vec<(Timestamp, Vec<Cell>)>, what: &str, csv: &str) -> Vec<Vec<Cell>> {
    let (head, left_out, tail) = cut::ends(&rows, ROWS_PRINTED);
    let mut out: Vec<Vec<Cell>> = head.iter().map(|(_, r)| r.clone()).collect();
    if let (Some(first), Some(last)) = (left_out.first(), left_out.last()) {
        out.push(cut::marker(
            left_out.len(),
            what,
            first.0,
            last.0,
            &format!("every one in the attached {csv}"),
        ));
    }
    out.extend(tail.iter().map(|(_, r)| r.clone()));
    out
}

fn change(h: &AlarmHistoryItem) -> String {
    match (&h.old_state, &h.new_state) {
        (Some(a), Some(b)) => format!("{a} -> {b}"),
        _ => format!(
            "{} {}",
            h.action_state.clone().unwrap_or_default(),
            h.action_arn.clone().unwrap_or_default()
        ),
    }
}

/// The item's reason as AWS recorded it, else its summary; for a state change read from the
/// summary of a cut HistoryData, that the reason is unknown.
fn reason(h: &AlarmHistoryItem) -> String {
    match &h.reason {
        Some(r) => r.clone(),
        None if h.from_summary => format!(
            "unknown: its HistoryData was cut; the change is from its summary \"{}\"",
            h.summary
        ),
        None => h.summary.clone(),
    }
}

/// The positive rule datapoints: minute, metric, value.
fn datapoints(t: &Timeline) -> Vec<(Timestamp, &str, f64)> {
    t.config
        .metrics
        .iter()
        .flat_map(|m| {
            let label = if m.label.is_empty() { &m.id } else { &m.label };
            m.points
                .iter()
                .filter(|p| p.1 > 0.0)
                .map(move |(time, v)| (*time, label.as_str(), *v))
        })
        .collect()
}

/// The rule metrics table's caption: whose metrics they are. A series whose label or id names
/// no flow-2 rule ([`crate::model::MetricSeries::named_rules`]) is named as what it is.
fn metrics_caption(t: &Timeline) -> String {
    let rules: Vec<String> = t.detection.rules.iter().map(|r| r.name.clone()).collect();
    let unnamed: std::collections::BTreeSet<String> = t
        .config
        .metrics
        .iter()
        .filter(|m| m.points.iter().any(|p| p.1 > 0.0) && m.named_rules(&rules).is_empty())
        .map(|m| format!("\"{}\"", if m.label.is_empty() { &m.id } else { &m.label }))
        .collect();
    // A named FailedInvocations minute: the rule matched, a target was not invoked.
    let failed: std::collections::BTreeSet<String> = t
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::RuleInvocationFailed)
        .map(|e| fmt::time(e.time))
        .collect();
    let failed = if failed.is_empty() {
        String::new()
    } else {
        format!(
            " FailedInvocations above 0 (the minute(s) starting {}): the rule matched an event but could not invoke one of its targets; the metric does not say which, so the kill-switch or the SNS topic may not have run for it. It is not counted as the rule firing or the kill-switch running.",
            failed.into_iter().collect::<Vec<_>>().join(", ")
        )
    };
    if unnamed.is_empty() {
        return format!("AWS/Events metrics for the detection rule, one-minute resolution (get-metric-data).{failed}");
    }
    format!(
        "AWS/Events metrics in the evidence, one-minute resolution (get-metric-data). {} {} {}: not evidence that the detection rule fired.{failed}",
        if unnamed.len() == 1 { "The series" } else { "Each of the series" },
        unnamed.into_iter().collect::<Vec<_>>().join(", "),
        crate::model::SERIES_NAMES_NO_RULE
    )
}

/// Every alarm history item and every rule datapoint in CSV when the section prints only
/// their ends; nothing otherwise.
pub fn attachments(t: &Timeline) -> Vec<Attachment> {
    let mut out = Vec::new();
    let hist = &t.config.alarm_history;
    if hist.len() > ROWS_PRINTED {
        let rows = hist.iter().map(|h| {
            [
                fmt::time(h.time),
                h.alarm_name.clone(),
                h.item_type.clone(),
                change(h),
                reason(h),
            ]
        });
        out.push(cut::csv_attachment(
            HISTORY_CSV,
            &["time", "alarm", "item", "change_or_action", "reason"],
            rows,
            format!("Every alarm history item ({}), oldest first", hist.len()),
        ));
    }
    let points = datapoints(t);
    if points.len() > ROWS_PRINTED {
        let rows = points
            .iter()
            .map(|(time, label, v)| [fmt::time(*time), label.to_string(), v.to_string()]);
        out.push(cut::csv_attachment(
            METRICS_CSV,
            &["minute_starting", "metric", "value"],
            rows,
            format!(
                "Every non-zero AWS/Events rule datapoint ({})",
                points.len()
            ),
        ));
    }
    out
}

/// The rows of the actor's own calls: its honeytoken reads, then the rest of its activity.
const ACTOR_KINDS: [EntryKind; 5] = [
    EntryKind::HoneytokenAccess,
    EntryKind::ActorActivity,
    EntryKind::ActorDenied,
    EntryKind::ActorFailed,
    EntryKind::CredentialIssued,
];

pub fn section(t: &Timeline) -> Vec<Block> {
    let mut out = vec![Block::heading(1, "Detection and kill-switch evidence")];
    out.push(Block::heading(2, "Alarm state transitions and actions"));
    let hist = &t.config.alarm_history;
    if hist.is_empty() {
        out.push(Block::Callout { tone: crate::report::Tone::Warning, text: "No alarm history (describe-alarm-history) is in the evidence: flow 1 cannot be timed. Its retention is short; collect it first.".into() });
    } else {
        out.push(Block::Table(Table {
            columns: vec![
                Column::new("Time (UTC)", 2.0),
                Column::new("Alarm", 2.2),
                Column::new("Item", 1.2),
                Column::new("Change / action", 2.0),
                Column::new("Reason", 4.0),
            ],
            rows: cut_rows(
                hist.iter()
                    .map(|h| {
                        let cells = vec![
                            Cell::mono(fmt::time(h.time)),
                            Cell::text(&h.alarm_name),
                            Cell::text(&h.item_type),
                            Cell::text(change(h)),
                            Cell::text(fmt::shorten(&reason(h), 300)),
                        ];
                        (h.time, cells)
                    })
                    .collect(),
                "alarm history items",
                HISTORY_CSV,
            ),
            caption: Some("From describe-alarm-history, oldest first. The reason is AWS's own text, as recorded: a datapoint time in it is UTC, with a two-digit year and day and month in the order AWS wrote them (day/month in recent items, month/day in some older ones): read it against the item's time in the first column.".into()),
        }));
    }
    out.push(Block::heading(2, "EventBridge rule metrics"));
    let points = datapoints(t);
    // No series at all is metrics not collected, not a rule that never fired.
    let collected =
        !t.config.metrics.is_empty() || t.inputs.iter().any(|i| i.kind.contains("metric-data"));
    if !collected {
        out.push(Block::para(
            "Not examined: no AWS/Events rule metrics (get-metric-data) are in the evidence, so whether the rule fired is known only from its targets' calls, if any.",
        ));
    } else if points.is_empty() {
        out.push(Block::para(
            "The AWS/Events rule metrics in the evidence (get-metric-data) hold no non-zero datapoint.",
        ));
    } else {
        let rows = points
            .iter()
            .map(|(time, label, v)| {
                let cells = vec![
                    Cell::mono(fmt::time(*time)),
                    Cell::text(*label),
                    Cell::mono(v.to_string()),
                ];
                (*time, cells)
            })
            .collect();
        out.push(Block::Table(Table {
            columns: vec![
                Column::new("Minute starting (UTC)", 2.0),
                Column::new("Metric", 2.0),
                Column::new("Value", 1.0),
            ],
            rows: cut_rows(rows, "datapoints", METRICS_CSV),
            caption: Some(metrics_caption(t)),
        }));
    }
    for i in &t.incidents {
        out.push(Block::heading(2, format!("{}: the deny policy", i.id)));
        let deny = i
            .containment
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    crate::model::ContainmentKind::DenyPolicy
                        | crate::model::ContainmentKind::RoleSessionsRevoked
                )
            })
            .find_map(|c| t.event_at(c.origin));
        match deny {
            Some(e) => {
                let rec = e.record();
                let params = &rec["requestParameters"];
                let doc = params["policyDocument"]
                    .as_str()
                    .map(pretty)
                    .unwrap_or_else(|| params.to_string());
                out.push(Block::para(format!(
                    "{} at {} by {} (eventID {}):",
                    e.action(),
                    fmt::time(e.time),
                    e.identity.label(),
                    e.event_id
                )));
                out.push(Block::Preformatted(doc));
            }
            None => out.push(Block::para(
                "No deny policy call on this actor is in the evidence.",
            )),
        }
        out.push(Block::heading(
            2,
            format!("{}: denied attempts after containment", i.id),
        ));
        out.push(Block::para(denied_after_containment(t, i)));
    }
    out
}

/// The actor's calls refused from the start of containment: which, and where the evidence section
/// lists their records (once: in the honeytoken reads and the actor's activity). Its calls that
/// failed otherwise (`ConditionalCheckFailedException`...) are no refusal: they are counted apart.
fn denied_after_containment(t: &Timeline, i: &crate::model::Incident) -> String {
    let Some(from) = i.milestones.containment_start else {
        return "No containment in the evidence: no attempt after it to list.".into();
    };
    let (denied, failed): (Vec<&TimelineEntry>, Vec<&TimelineEntry>) = t
        .entries
        .iter()
        .filter(|e| {
            e.incidents.contains(&i.id)
                && ACTOR_KINDS.contains(&e.kind)
                && e.outcome != "success"
                && e.time >= from
        })
        .partition(|e| refusal_code(&e.outcome));
    let failed = failed_otherwise(&failed);
    if denied.is_empty() {
        return format!(
            "None in the evidence: no call by the actor was refused after containment started ({}).{failed}",
            fmt::time(from)
        );
    }
    let at = |e: &TimelineEntry| match i.milestones.first_access {
        Some(a) => format!("{} at {}", e.action, fmt::offset(a.seconds_until(e.time))),
        None => format!("{} at {}", e.action, fmt::time(e.time)),
    };
    let mut tables = vec![];
    if denied.iter().any(|e| e.kind == EntryKind::HoneytokenAccess) {
        tables.push(format!("\"{}: {}\"", i.id, super::evidence::reads_title(i)));
    }
    if denied.iter().any(|e| e.kind != EntryKind::HoneytokenAccess) {
        tables.push(format!("\"{}: the actor's activity\"", i.id));
    }
    // An actor's loop of refused calls would otherwise make this one sentence run for pages.
    let named: Vec<String> = denied.iter().take(DENIED_NAMED).map(|e| at(e)).collect();
    let rest = match denied.len().checked_sub(DENIED_NAMED) {
        Some(n) if n > 0 => format!(
            ", and {n} more to the last, {}",
            denied.last().map(|e| at(e)).unwrap_or_default()
        ),
        _ => String::new(),
    };
    format!(
        "{} call(s) by the actor were refused after containment started ({}): {}{rest}. Each is listed once, with its whole record and error, under \"Evidence from CloudTrail\" ({}).{failed}",
        denied.len(),
        fmt::time(from),
        named.join(", "),
        tables.join(" and ")
    )
}

/// The sentence on the actor's calls after containment that failed without a refusal (none: empty).
fn failed_otherwise(failed: &[&TimelineEntry]) -> String {
    if failed.is_empty() {
        return String::new();
    }
    let mut codes: Vec<&str> = failed.iter().map(|e| e.outcome.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut ids: Vec<&str> = failed.iter().map(|e| e.event_id.as_str()).collect();
    ids.truncate(DENIED_NAMED);
    let more = match failed.len().checked_sub(DENIED_NAMED) {
        Some(n) if n > 0 => format!(" and {n} more"),
        _ => String::new(),
    };
    format!(
        " {} other call(s) by the actor failed after it with an error that is not an access refusal ({}; eventID {}{more}): they are not counted as refused, and they do not show that the block applied to them.",
        failed.len(),
        codes.join(", "),
        ids.join(", ")
    )
}

/// Refused calls named one by one in the sentence; the others are counted.
const DENIED_NAMED: usize = 20;

/// A policy document indented for print (as it is when it does not parse).
fn pretty(doc: &str) -> String {
    serde_json::from_str::<serde_json::Value>(doc)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| doc.to_string())
}
