//! The pipeline's posture in section 3: the trailcase posture result the case holds, each check
//! PASS, FAIL or UNKNOWN with its reason, and which diagram boxes a failing check concerns.

use super::cut;
use crate::model::{PostureCheck, PostureResult, PostureStatus, Timeline};
use crate::report::{Attachment, Block, Cell, Column, DiagramSpec, NodeStatus, Table};

/// Checks printed one per row when all are: a posture run over every region of an account
/// makes about two hundred. Past it, only the checks that did not pass (cut to their first
/// and last half past the same number), and every check attached.
const CHECK_ROWS: usize = 60;
const CHECKS_CSV: &str = "posture-checks.csv";

/// The diagram node a posture check judges (none for the honeytoken secret itself).
fn node_of(check: &str) -> Option<&'static str> {
    Some(match check {
        "trail.cloudwatch-logs" => "logs",
        c if c.starts_with("trail.") => "trail",
        "flow1.metric-filter" => "filter",
        "flow1.alarm" | "flow1.alarm-action" => "alarm",
        "flow1.topic" => "sns1",
        "flow2.rule" => "rule",
        "flow2.topic" => "sns2",
        c if c.starts_with("flow2.killswitch") => "kill",
        _ => return None,
    })
}

/// The latest posture result in the case.
pub fn latest(t: &Timeline) -> Option<&PostureResult> {
    t.config.posture.last()
}

/// Failed checks named in one diagram box; the rest are counted.
const FAILS_IN_A_BOX: usize = 3;

/// Mark the boxes whose posture check failed (red border, the failing check named in the box in
/// English, its id in parentheses: "Failed check: The alarm's topic has a confirmed subscriber
/// (flow1.topic)", as the Pipeline posture table names it).
pub fn mark_diagram(spec: &mut DiagramSpec, t: &Timeline) {
    let Some(p) = latest(t) else {
        return;
    };
    // Each box names its first few failed checks and counts the rest: a posture run over every
    // region can fail the same check hundreds of times, more than a box can hold.
    let mut failed: Vec<(&str, Vec<&PostureCheck>)> = Vec::new();
    for c in p.checks.iter().filter(|c| c.status == PostureStatus::Fail) {
        let Some(id) = node_of(&c.id) else { continue };
        match failed.iter_mut().find(|(n, _)| *n == id) {
            Some((_, checks)) if !checks.iter().any(|k| k.id == c.id) => checks.push(c),
            Some(_) => {}
            None => failed.push((id, vec![c])),
        }
    }
    for (id, checks) in failed {
        let Some(n) = spec.nodes.iter_mut().find(|n| n.id == id) else {
            continue;
        };
        if n.status == NodeStatus::Present {
            n.status = NodeStatus::Failing;
        }
        n.lines.extend(
            checks
                .iter()
                .take(FAILS_IN_A_BOX)
                .map(|c| format!("Failed check: {}", c.named())),
        );
        if checks.len() > FAILS_IN_A_BOX {
            n.lines.push(format!(
                "and {} more failed checks (Pipeline posture)",
                checks.len() - FAILS_IN_A_BOX
            ));
        }
    }
}

pub fn blocks(t: &Timeline) -> Vec<Block> {
    let mut out = vec![Block::heading(2, "Pipeline posture")];
    let Some(p) = latest(t) else {
        out.push(Block::para(
            "No trailcase posture result is in the case: the live pipeline was not checked. Run trailcase posture --case DIR to add one.",
        ));
        return out;
    };
    let input = t
        .inputs
        .get(p.origin.input as usize)
        .map(|i| &*i.path)
        .unwrap_or("");
    out.push(Block::para(format!(
        "trailcase posture checked the deployed pipeline for {} in {} at {}: {} pass, {} fail, {} unknown (from {input}). A box with a red border in the diagram above failed a check.",
        p.honeytoken,
        p.regions.join(", "),
        p.checked_at,
        p.count(PostureStatus::Pass),
        p.count(PostureStatus::Fail),
        p.count(PostureStatus::Unknown),
    )));
    let row = |c: &&PostureCheck| {
        let status = match c.status {
            PostureStatus::Pass => Cell::text("PASS"),
            s => Cell::alert(s.as_str()),
        };
        vec![
            Cell::text(&c.region),
            // In English, the id (as the JSON and posture-checks.csv name it) on the line under.
            Cell::text(if c.title() == c.id {
                c.id.clone()
            } else {
                format!("{}\n{}", c.title(), c.id)
            }),
            status,
            Cell::text(&c.reason),
        ]
    };
    let mut caption = "Each part of the deployed pipeline as trailcase posture judged it; UNKNOWN means it could not be read (the reason says why).".to_string();
    let mut passed = None;
    let rows = if p.checks.len() <= CHECK_ROWS {
        p.checks.iter().map(|c| row(&c)).collect()
    } else {
        // Past a page or two, the checks that did not pass, cut to their ends; every check
        // is in the attached CSV.
        let open: Vec<&PostureCheck> = p
            .checks
            .iter()
            .filter(|c| c.status != PostureStatus::Pass)
            .collect();
        let (head, left_out, tail) = cut::ends(&open, CHECK_ROWS);
        let mut rows: Vec<Vec<Cell>> = head.iter().map(row).collect();
        if !left_out.is_empty() {
            rows.push(vec![
                Cell::text(""),
                Cell::mono(format!("[{} checks not printed]", left_out.len())),
                Cell::alert(format!(
                    "{} FAIL, {} UNKNOWN",
                    left_out
                        .iter()
                        .filter(|c| c.status == PostureStatus::Fail)
                        .count(),
                    left_out
                        .iter()
                        .filter(|c| c.status == PostureStatus::Unknown)
                        .count()
                )),
                Cell::text(format!("every check in the attached {CHECKS_CSV}")),
            ]);
        }
        rows.extend(tail.iter().map(row));
        passed = passed_by_check(&p.checks);
        caption = format!(
            "The {} checks that did not pass{} (UNKNOWN means the part could not be read; the reason says why). The {} that passed are not printed: every check, with its reason, is in the attached {CHECKS_CSV}.",
            open.len(),
            if left_out.is_empty() {
                String::new()
            } else {
                format!(", the first and the last {}", head.len())
            },
            p.count(PostureStatus::Pass)
        );
        rows
    };
    out.push(Block::Table(Table {
        columns: vec![
            Column::new("Region", 1.3),
            Column::new("Check", 2.4),
            Column::new("Status", 1.0),
            Column::new("Reason", 5.3),
        ],
        rows,
        caption: Some(caption),
    }));
    out.extend(passed.map(Block::para));
    out
}

/// Passing checks named in the sentence that sums them up; the rest are counted.
const PASSED_NAMED: usize = 12;

/// The checks that passed, by check, with the number of regions (or results) each passed in.
fn passed_by_check(checks: &[PostureCheck]) -> Option<String> {
    let mut by: Vec<(String, usize)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for c in checks.iter().filter(|c| c.status == PostureStatus::Pass) {
        let n = *index.entry(&c.id).or_insert_with(|| {
            by.push((c.named(), 0));
            by.len() - 1
        });
        by[n].1 += 1;
    }
    if by.is_empty() {
        return None;
    }
    let mut s = by
        .iter()
        .take(PASSED_NAMED)
        .map(|(named, n)| format!("{named}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    if by.len() > PASSED_NAMED {
        s.push_str(&format!(" and {} more checks", by.len() - PASSED_NAMED));
    }
    Some(format!("Passed, by check (how many times): {s}."))
}

/// Every check of the latest posture result in CSV when the section does not print them all.
pub fn attachment(t: &Timeline) -> Option<Attachment> {
    let p = latest(t)?;
    if p.checks.len() <= CHECK_ROWS {
        return None;
    }
    let rows = p.checks.iter().map(|c| {
        [
            c.region.clone(),
            c.id.clone(),
            c.status.as_str().to_string(),
            c.reason.clone(),
        ]
    });
    Some(cut::csv_attachment(
        CHECKS_CSV,
        &["region", "check", "status", "reason"],
        rows,
        format!(
            "Every check of the posture result of {} ({}), in its order",
            p.checked_at,
            p.checks.len()
        ),
    ))
}
