//! Part of section 6: each flow's rule replayed over every record read: which honeytoken
//! accesses it catches or misses, when it should have fired against when it did, and the noise
//! it would page on.

use super::{cut, fmt};
use crate::model::{FlowKind, FlowReplay, Timeline, Timestamp};
use crate::report::{Attachment, Block, Cell, Column, Table};

/// Accesses of one flow printed one per row at most: an actor's script can read the
/// honeytoken hundreds of times (500 reads made 87 pages of this table). Beyond, the first and
/// the last half, with the flow's counts; the JSON has every access.
const ACCESS_ROWS: usize = 20;
/// Flows printed one per row at most: an account can hold thousands of filters or rules on
/// `GetSecretValue` (2,000 made 860 pages of this section). Beyond, the first and the last
/// half, a marker row that counts what the others miss and page on, and every flow attached.
const FLOW_ROWS: usize = 40;
/// Flows whose noise is told in a sentence with examples; the rest are counted.
const NOISE_TOLD: usize = 5;
/// Flows whose accesses are printed one per row, at most.
const ACCESS_FLOWS: usize = 5;
const FLOWS_CSV: &str = "replay-flows.csv";

/// The matches of a flow, "at least" when the replay kept only part of them.
fn matches(f: &FlowReplay) -> String {
    if f.matches_at_least {
        format!("at least {}", f.matches)
    } else {
        f.matches.to_string()
    }
}

fn flow_row(f: &FlowReplay) -> Vec<Cell> {
    let missed = f.missed_total;
    vec![
        Cell::text(flow_name(f.flow)),
        Cell::text(match &f.alarm {
            Some(a) => format!("{}\nalarm {a}", f.resource),
            None => f.resource.clone(),
        }),
        Cell::mono(match &f.error {
            Some(e) => format!("{}\nNOT REPLAYED: {e}", fmt::shorten(&f.pattern, 200)),
            None => fmt::shorten(&f.pattern, 200),
        }),
        Cell::text(matches(f)),
        if missed > 0 {
            Cell::alert(format!("{} / {missed}", f.matched_total))
        } else {
            Cell::text(format!("{} / 0", f.matched_total))
        },
        if f.noise_count > 0 {
            Cell::alert(if f.matches_at_least {
                format!("at least {}", f.noise_count)
            } else {
                f.noise_count.to_string()
            })
        } else {
            Cell::text("0")
        },
    ]
}

/// The row printed in place of the flows left out: how many, and what they miss and page on.
fn flows_marker(left_out: &[FlowReplay]) -> Vec<Cell> {
    let missing = left_out.iter().filter(|f| f.missed_total > 0).count();
    let noisy = left_out.iter().filter(|f| f.noise_count > 0).count();
    let invalid = left_out.iter().filter(|f| f.error.is_some()).count();
    let alert = |n: usize, text: String| {
        if n > 0 {
            Cell::alert(text)
        } else {
            Cell::text(text)
        }
    };
    vec![
        Cell::mono(format!("[{} flows not printed]", left_out.len())),
        Cell::text(format!("every flow in the attached {FLOWS_CSV}")),
        alert(
            invalid,
            format!("{invalid} not replayed (invalid pattern, or no alarm to replay)"),
        ),
        Cell::text(""),
        alert(missing, format!("{missing} miss accesses")),
        alert(noisy, format!("{noisy} with noise")),
    ]
}

/// Every replayed flow in CSV when the section prints only the first and last; nothing
/// otherwise.
pub fn attachment(t: &Timeline) -> Option<Attachment> {
    let flows = &t.replay.flows;
    if flows.len() <= FLOW_ROWS {
        return None;
    }
    let opt = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_else(|| "unknown".into());
    let rows = flows.iter().map(|f| {
        [
            f.flow.number().to_string(),
            f.resource.clone(),
            f.alarm.clone().unwrap_or_default(),
            f.pattern.clone(),
            f.error.clone().unwrap_or_default(),
            f.matches.to_string(),
            f.matches_at_least.to_string(),
            f.accesses_total.to_string(),
            f.matched_total.to_string(),
            f.missed_total.to_string(),
            f.noise_count.to_string(),
            opt(f.predicted_pages),
        ]
    });
    Some(cut::csv_attachment(
        FLOWS_CSV,
        &[
            "flow",
            "rule",
            "alarm",
            "pattern",
            "not_replayed_because",
            "matches",
            "matches_at_least",
            "accesses",
            "accesses_caught",
            "accesses_missed",
            "noise",
            "predicted_notifications",
        ],
        rows,
        format!(
            "Every replayed flow ({}): its rule, what it catches and misses, its noise",
            flows.len()
        ),
    ))
}

pub fn section(t: &Timeline) -> Vec<Block> {
    let r = &t.replay;
    let mut out = vec![Block::heading(2, "The rules replayed over the evidence")];
    if r.flows.is_empty() {
        out.push(Block::para("No metric filter or EventBridge rule pattern is in the evidence, so neither flow could be replayed."));
        return out;
    }
    out.push(Block::para(format!(
        "Each flow's own pattern (the metric filter's filterPattern, the rule's EventPattern) was evaluated over all {} records read, and the alarm replayed with its own definition. A miss means the flow would not have caught that access; noise is every match that is not a honeytoken read.",
        r.records_evaluated
    )));
    for (kind, what) in [
        (FlowKind::MetricFilter, "No flow-1 metric filter is in the evidence (describe-metric-filters): flow 1 was not replayed."),
        (FlowKind::EventRule, "No flow-2 EventBridge rule with an event pattern is in the evidence (describe-rule): flow 2 was not replayed."),
    ] {
        if !r.flows.iter().any(|f| f.flow == kind) {
            out.push(Block::para(what));
        }
    }
    let (shown_head, not_shown, shown_tail) = cut::ends(&r.flows, FLOW_ROWS);
    let mut flow_rows: Vec<Vec<Cell>> = shown_head.iter().map(flow_row).collect();
    if !not_shown.is_empty() {
        flow_rows.push(flows_marker(not_shown));
    }
    flow_rows.extend(shown_tail.iter().map(flow_row));
    out.push(Block::Table(Table {
        columns: vec![
            Column::new("Flow", 1.1),
            Column::new("Rule", 2.0),
            Column::new("Pattern", 3.6),
            Column::new("Matches", 0.9),
            Column::new("Accesses caught / missed", 1.5),
            Column::new("Noise", 0.8),
        ],
        rows: flow_rows,
        caption: (!not_shown.is_empty()).then(|| format!(
            "{} flows replayed: the first and the last {} are printed, and their accesses below; every flow, with its counts, is in the attached {FLOWS_CSV}, and each flow's accesses in the JSON timeline's replay (up to {} per flow, the missed first).",
            r.flows.len(),
            shown_head.len(),
            r.max_access_rows
        )),
    }));
    // Where a replayed alarm's definition comes from when not describe-alarms, or the
    // configuration and the evidence disagree on it: said, not left to the table.
    for f in shown_head.iter().chain(shown_tail.iter()) {
        if let (Some(a), Some(b)) = (&f.alarm, &f.alarm_basis) {
            out.push(Block::para(format!(
                "Alarm {a}, replayed on the metric of {}: {b}.",
                f.resource
            )));
        }
    }
    let mut rows = Vec::new();
    let mut cut = Vec::new();
    // The accesses of a few flows: those that miss one first, in the table's order (thousands
    // of filters on an actor's loop of reads would print pages of the same rows).
    let shown: Vec<&FlowReplay> = shown_head.iter().chain(shown_tail).collect();
    let mut told: Vec<&FlowReplay> = shown
        .iter()
        .filter(|f| f.missed_total > 0)
        .chain(shown.iter().filter(|f| f.missed_total == 0))
        .take(ACCESS_FLOWS)
        .copied()
        .collect();
    told.sort_by_key(|f| shown.iter().position(|g| std::ptr::eq(*g, *f)));
    if shown.len() > told.len() {
        cut.push(format!(
            "the accesses of {} of the {} flows above are printed, those that miss one first",
            told.len(),
            shown.len()
        ));
    }
    for f in told {
        let (n, missed) = (f.accesses_total, f.missed_total);
        let (head, left_out, tail) = cut::ends(&f.accesses, ACCESS_ROWS);
        let listed = f.accesses.len() as u64;
        if listed < n && left_out.is_empty() {
            cut.push(format!(
                "{}: {n} accesses, {} matched and {missed} missed; the {listed} listed (the missed first) are printed",
                flow_name(f.flow),
                n - missed
            ));
        }
        let mut marker = match (left_out.first(), left_out.last()) {
            (Some(first), Some(last)) => {
                let half = head.len();
                let of = if listed < n {
                    format!(" of the {listed} listed (the missed first)")
                } else {
                    String::new()
                };
                cut.push(format!(
                    "{}: {n} accesses, {} matched and {missed} missed; the first {half} and the last {half}{of} are printed",
                    flow_name(f.flow),
                    n - missed
                ));
                let missed_out = left_out.iter().filter(|a| !a.matched).count();
                Some(vec![
                    Cell::text(flow_name(f.flow)),
                    Cell::mono(format!(
                        "[{} accesses not printed]\n{}\nto {}",
                        left_out.len(),
                        fmt::time(first.time),
                        fmt::time(last.time)
                    )),
                    if missed_out > 0 {
                        Cell::alert(format!("{} missed", missed_out))
                    } else {
                        Cell::text("all matched")
                    },
                    Cell::text(""),
                    Cell::text("in the JSON timeline's replay"),
                ])
            }
            _ => None,
        };
        let printed = head
            .iter()
            .map(Some)
            .chain([None])
            .chain(tail.iter().map(Some));
        for a in printed {
            let Some(a) = a else {
                rows.extend(marker.take());
                continue;
            };
            rows.push(vec![
                Cell::text(format!("{}\n{}", a.incident, flow_name(f.flow))),
                Cell::mono(format!("{}\n{}", fmt::time(a.time), a.event_id)),
                if a.matched {
                    Cell::text("yes")
                } else {
                    Cell::alert("MISSED")
                },
                Cell::mono(when(a.time, a.predicted, a.predicted_latest, a.actual)),
                Cell::text(
                    [
                        a.definition.as_ref().map(|d| format!("judged by: {d}")),
                        rule_state_line(a),
                        a.alarm_definition
                            .as_ref()
                            .map(|d| format!("alarm judged by: {d}")),
                        a.missed_because.clone(),
                        a.actual_evidence.clone(),
                        a.note.clone(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("\n"),
                ),
            ]);
        }
    }
    if !rows.is_empty() {
        out.push(Block::Table(Table {
            columns: vec![Column::new("Incident / flow", 1.2), Column::new("Access (UTC) / eventID", 2.3), Column::new("Matched", 0.8), Column::new("Predicted / actual (UTC)", 1.9), Column::new("Actual from; note", 3.0)],
            rows,
            caption: Some(format!(
                "Predicted: when the flow should have fired given its rule and alarm definition (in ALARM since: the replayed alarm was already in ALARM for an earlier access); actual: what the alarm history, rule metrics or kill-switch show, and from which record.{}",
                if cut.is_empty() {
                    String::new()
                } else {
                    format!(
                        " Too many accesses to print one per row: {}. The JSON timeline's replay lists up to {} accesses of each flow, the missed first, and counts them all.",
                        cut.join("; "),
                        r.max_access_rows
                    )
                }
            )),
        }));
    }
    out.push(Block::Bullets(r.assumptions.clone()));
    let noisy: Vec<&FlowReplay> = r.flows.iter().filter(|f| f.noise_count > 0).collect();
    for f in noisy.iter().take(NOISE_TOLD) {
        out.push(Block::para(format!(
            "{} ({}) would also page on {}{} event(s) that are not honeytoken reads, e.g. {}.",
            f.resource,
            flow_name(f.flow),
            if f.matches_at_least { "at least " } else { "" },
            f.noise_count,
            f.noise_examples
                .iter()
                .take(3)
                .map(|m| format!("{} by {} at {}", m.action, m.actor, fmt::time(m.time)))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    if noisy.len() > NOISE_TOLD {
        out.push(Block::para(format!(
            "{} more flows would also page on events that are not honeytoken reads; the Noise column{} counts them.",
            noisy.len() - NOISE_TOLD,
            if not_shown.is_empty() {
                String::new()
            } else {
                format!(" and the attached {FLOWS_CSV}")
            }
        )));
    }
    out
}

/// The predicted time (and the latest one when delivery may delay it) and the actual one, each
/// whole on its own line under its name: the column is then as narrow as one time. A predicted
/// time before the access (`at`) is when the replayed alarm entered ALARM for an earlier access:
/// it is named so, never as this access's firing.
fn when(
    at: Timestamp,
    predicted: Option<Timestamp>,
    latest: Option<Timestamp>,
    actual: Option<Timestamp>,
) -> String {
    let name = match predicted {
        Some(p) if p < at => "in ALARM since",
        _ => "predicted",
    };
    let mut lines = vec![name.to_string(), fmt::opt_time(predicted)];
    if let (Some(p), Some(l)) = (predicted, latest) {
        if l != p {
            lines.extend(["latest".to_string(), fmt::time(l)]);
        }
    }
    lines.push("actual".into());
    lines.push(match actual {
        Some(x) => fmt::time(x),
        None => "not in the evidence".into(),
    });
    lines.join("\n")
}

fn flow_name(f: FlowKind) -> &'static str {
    match f {
        FlowKind::MetricFilter => "Flow 1: metric filter",
        FlowKind::EventRule => "Flow 2: EventBridge rule",
    }
}

/// Flow 2: the rule's state an access is judged by, when it is not simply the collected one:
/// the call it rests on, or why it is unknown.
fn rule_state_line(a: &crate::model::AccessReplay) -> Option<String> {
    let basis = a.rule_state_basis.as_deref()?;
    match (&a.rule_state, &a.state_set_by) {
        (Some(state), Some(_)) => Some(format!("rule state {state}: {basis}")),
        (None, Some(_)) => Some(format!("rule state: {basis}")),
        (_, None) if basis.starts_with("unknown") => Some(format!("rule state {basis}")),
        _ => None,
    }
}
