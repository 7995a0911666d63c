//! The kill-switch's own account of each run (its published result) beside what CloudTrail
//! shows for each step, in the "Detection and kill-switch evidence" section.

use super::fmt;
use crate::model::{KillSwitchRun, StepCheck, Timeline};
use crate::report::{Block, Cell, Column, Table};

fn row(s: &StepCheck) -> Vec<Cell> {
    let says = Cell::text(s.step.outcome.as_str());
    let cloudtrail = if s.corroboration.is_mismatch() {
        Cell::alert(format!("{}: {}", s.corroboration.as_str(), s.note))
    } else {
        Cell::text(format!("{}: {}", s.corroboration.as_str(), s.note))
    };
    // The target and the eventIDs under the step, in its monospace column: columns of their own
    // left too little room for the eventIDs and the CloudTrail times to be set whole.
    let step = [s.step.action.as_str(), s.step.target.as_str()]
        .into_iter()
        .chain(s.event_ids.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        Cell::mono(step),
        says,
        Cell::text(fmt::shorten(&s.step.detail, 200)),
        cloudtrail,
    ]
}

fn run_blocks(t: &Timeline, run: &KillSwitchRun) -> Vec<Block> {
    let r = &run.report;
    let input = t
        .inputs
        .get(r.origin.input as usize)
        .map(|i| &*i.path)
        .unwrap_or("");
    let via = match (r.via, &r.topic_arn) {
        ("sns" | "lambda-sns-event", Some(topic)) => format!(
            "published to {topic} (message {})",
            r.message_id.as_deref().unwrap_or("without an id")
        ),
        ("cloudwatch-logs", _) => "logged by the function".into(),
        _ => "read as a document".into(),
    };
    let mut out = vec![Block::heading(
        3,
        format!(
            "Kill-switch run at {}: {}",
            fmt::time(r.at),
            r.decision.as_str()
        ),
    )];
    out.push(Block::KeyValue(vec![
        ("Summary".into(), r.summary.clone()),
        ("Caller".into(), r.caller_label()),
        (
            "Triggered by".into(),
            format!(
                "{} {} at {}",
                r.trigger.event_name.as_deref().unwrap_or("an event"),
                r.trigger.event_id.as_deref().unwrap_or("(no eventID)"),
                r.trigger.event_time.as_deref().unwrap_or("an unknown time")
            ),
        ),
        (
            "Dry run".into(),
            if r.dry_run { "yes" } else { "no" }.into(),
        ),
        ("Evidence".into(), format!("{via}; {input}")),
        (
            "Incidents".into(),
            if run.incidents.is_empty() {
                "none in this case".into()
            } else {
                run.incidents.join(", ")
            },
        ),
    ]));
    let rows: Vec<Vec<Cell>> = run
        .steps
        .iter()
        .chain(run.published.iter())
        .map(row)
        .collect();
    if rows.is_empty() {
        out.push(Block::para(
            "The result lists no step: the kill-switch only reported.",
        ));
    } else {
        out.push(Block::Table(Table {
            columns: vec![
                Column::new("Step, target / eventID", 3.0),
                Column::new("Kill-switch says", 1.1),
                Column::new("Detail", 2.2),
                Column::new("CloudTrail", 3.2),
            ],
            rows,
            caption: Some("The kill-switch's own account of its steps, each set against its calls in CloudTrail.".into()),
        }));
    }
    if !run.unreported_event_ids.is_empty() {
        out.push(Block::Callout {
            tone: crate::report::Tone::Warning,
            text: format!(
                "CloudTrail has {} kill-switch call(s) on this caller in the run's window that the result does not report: {}",
                run.unreported_event_ids.len(),
                run.unreported_event_ids.join(", ")
            ),
        });
    }
    out
}

pub fn section(t: &Timeline) -> Vec<Block> {
    let mut out = vec![Block::heading(2, "The kill-switch's own account")];
    if t.killswitch.is_empty() {
        out.push(Block::para(
            "No kill-switch result (its SNS notification or its log line) is in the evidence: containment is known from CloudTrail alone.",
        ));
        return out;
    }
    out.push(Block::para(
        "What the kill-switch published about each run (decision, steps and outcomes), with each step checked against the kill-switch's own calls in CloudTrail: confirmed, not in CloudTrail, contradicted, or nothing expected (nothing changed, and CloudTrail shows no change).",
    ));
    for run in &t.killswitch {
        out.extend(run_blocks(t, run));
    }
    out
}
