//! The kill-switch's own account of each run (its published result) beside what CloudTrail
//! shows for each step, in the "Detection and kill-switch evidence" section. Past
//! `RUNS_PRINTED` runs (an actor's loop of reads triggers one run each) the first and last are
//! printed, the rest counted where they would be, and every run and step is attached as CSV.

use super::{cut, fmt};
use crate::model::{decision_words, step_outcome_words, KillSwitchRun, StepCheck, Timeline};
use crate::report::{Attachment, Block, Cell, Column, Table, Tone};

/// Runs printed in full: the first and last half of this when there are more.
const RUNS_PRINTED: usize = 10;
/// EventIDs printed under one step, or in the unreported calls' callout.
const IDS_PRINTED: usize = 10;
pub const ATTACHMENT: &str = "killswitch-runs.csv";

/// `ids` joined by `sep`, the first `IDS_PRINTED` when there are more, and how many are not.
fn some_ids(ids: &[String], sep: &str) -> String {
    let mut out = ids
        .iter()
        .take(IDS_PRINTED)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(sep);
    if ids.len() > IDS_PRINTED {
        out.push_str(&format!(
            "{sep}(and {} more, in the JSON's killswitch list)",
            ids.len() - IDS_PRINTED
        ));
    }
    out
}

fn row(s: &StepCheck) -> Vec<Cell> {
    // Words, not the JSON's names: a reader sees "no change expected", not "nothing-expected".
    let says = Cell::text(step_outcome_words(s.step.outcome));
    let cloudtrail = if s.corroboration.is_mismatch() {
        Cell::alert(format!("{}: {}", s.corroboration.describe(), s.note))
    } else {
        Cell::text(format!("{}: {}", s.corroboration.describe(), s.note))
    };
    // The target and the eventIDs under the step, in its monospace column: columns of their own
    // left too little room for the eventIDs and the CloudTrail times to be set whole.
    let mut step = format!("{}\n{}", s.step.action, s.step.target);
    if !s.event_ids.is_empty() {
        step.push('\n');
        step.push_str(&some_ids(&s.event_ids, "\n"));
    }
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
            "Kill-switch run at {}: reported {}",
            fmt::time(r.at),
            decision_words(r.decision)
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
            tone: Tone::Warning,
            text: format!(
                "CloudTrail has {} kill-switch call(s) on this caller in the run's window that the result does not report: {}",
                run.unreported_event_ids.len(),
                some_ids(&run.unreported_event_ids, ", ")
            ),
        });
    }
    out
}

pub fn section(t: &Timeline) -> Vec<Block> {
    let mut out = vec![Block::heading(2, "The kill-switch's own account")];
    if t.killswitch.is_empty() {
        out.push(Block::para(
            "No kill-switch result (its SNS notification or its log line) is in the evidence: any containment is known from CloudTrail alone.",
        ));
        return out;
    }
    out.push(Block::para(
        format!(
            "What the kill-switch published about each run (decision, steps and outcomes), with each step checked against the calls in CloudTrail by {}: confirmed, not found (no such call of theirs in CloudTrail, which may not cover it), contradicted, or no change expected (the step changed nothing, and CloudTrail shows no change).",
            if t.killswitch_identity.is_empty() { "the configured kill-switch" } else { t.killswitch_identity.as_str() }
        ),
    ));
    let (head, left_out, tail) = cut::ends(&t.killswitch, RUNS_PRINTED);
    if !left_out.is_empty() {
        out.push(Block::para(format!(
            "{} runs: the first {} and the last {} are printed; every run and step is in the attached {ATTACHMENT}.",
            t.killswitch.len(),
            head.len(),
            tail.len()
        )));
    }
    for run in head {
        out.extend(run_blocks(t, run));
    }
    if let (Some(first), Some(last)) = (left_out.first(), left_out.last()) {
        out.push(Block::Callout {
            tone: Tone::Info,
            text: format!(
                "[{} kill-switch runs not printed] {} to {}: every one, with its steps, in the attached {ATTACHMENT}.",
                left_out.len(),
                fmt::time(first.report.at),
                fmt::time(last.report.at)
            ),
        });
    }
    for run in tail {
        out.extend(run_blocks(t, run));
    }
    out
}

/// Every run and step in CSV, one row per step (a run without steps has one row), when the
/// section does not print every run; nothing otherwise.
pub fn attachment(t: &Timeline) -> Option<Attachment> {
    if t.killswitch.len() <= RUNS_PRINTED {
        return None;
    }
    let mut rows = Vec::new();
    for run in &t.killswitch {
        let r = &run.report;
        let steps: Vec<Option<&StepCheck>> = if run.steps.is_empty() && run.published.is_none() {
            vec![None]
        } else {
            run.steps
                .iter()
                .chain(run.published.iter())
                .map(Some)
                .collect()
        };
        for s in steps {
            rows.push([
                run.id.clone(),
                fmt::time(r.at),
                r.decision.as_str().to_string(),
                r.dry_run.to_string(),
                r.caller_label(),
                r.trigger.event_id.clone().unwrap_or_default(),
                run.incidents.join(" "),
                s.map(|s| s.step.action.clone()).unwrap_or_default(),
                s.map(|s| s.step.target.clone()).unwrap_or_default(),
                s.map(|s| s.step.outcome.as_str().to_string())
                    .unwrap_or_default(),
                s.map(|s| s.corroboration.as_str().to_string())
                    .unwrap_or_default(),
                s.map(|s| s.note.clone()).unwrap_or_default(),
                s.map(|s| s.event_ids.join(" ")).unwrap_or_default(),
                run.unreported_event_ids.join(" "),
            ]);
        }
    }
    Some(cut::csv_attachment(
        ATTACHMENT,
        &[
            "run",
            "at",
            "decision",
            "dry_run",
            "caller",
            "trigger_event_id",
            "incidents",
            "step_action",
            "step_target",
            "step_outcome",
            "cloudtrail",
            "note",
            "event_ids",
            "unreported_event_ids",
        ],
        rows,
        format!(
            "Every kill-switch run ({}) and each of its steps: what it reported and what CloudTrail shows, with the eventIDs",
            t.killswitch.len()
        ),
    ))
}
