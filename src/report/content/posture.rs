//! The pipeline's posture in section 3: the trailcase posture result the case holds, each check
//! PASS, FAIL or UNKNOWN with its reason, and which diagram boxes a failing check concerns.

use crate::model::{PostureResult, PostureStatus, Timeline};
use crate::report::{Block, Cell, Column, DiagramSpec, NodeStatus, Table};

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

/// Mark the boxes whose posture check failed (red border, the failing check named in the box).
pub fn mark_diagram(spec: &mut DiagramSpec, t: &Timeline) {
    let Some(p) = latest(t) else {
        return;
    };
    // Each box names its first few failed checks and counts the rest: a posture run over every
    // region can fail the same check hundreds of times, more than a box can hold.
    let mut failed: Vec<(&str, Vec<&str>)> = Vec::new();
    for c in p.checks.iter().filter(|c| c.status == PostureStatus::Fail) {
        let Some(id) = node_of(&c.id) else { continue };
        match failed.iter_mut().find(|(n, _)| *n == id) {
            Some((_, ids)) if !ids.contains(&c.id.as_str()) => ids.push(&c.id),
            Some(_) => {}
            None => failed.push((id, vec![&c.id])),
        }
    }
    for (id, ids) in failed {
        let Some(n) = spec.nodes.iter_mut().find(|n| n.id == id) else {
            continue;
        };
        if n.status == NodeStatus::Present {
            n.status = NodeStatus::Failing;
        }
        n.lines.extend(
            ids.iter()
                .take(FAILS_IN_A_BOX)
                .map(|c| format!("posture FAIL: {c}")),
        );
        if ids.len() > FAILS_IN_A_BOX {
            n.lines.push(format!(
                "and {} more failed checks (Pipeline posture)",
                ids.len() - FAILS_IN_A_BOX
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
    let rows = p
        .checks
        .iter()
        .map(|c| {
            let status = match c.status {
                PostureStatus::Pass => Cell::text("PASS"),
                s => Cell::alert(s.as_str()),
            };
            vec![
                Cell::text(&c.region),
                Cell::mono(&c.id),
                status,
                Cell::text(&c.reason),
            ]
        })
        .collect();
    out.push(Block::Table(Table {
        columns: vec![
            Column::new("Region", 1.3),
            Column::new("Check", 2.4),
            Column::new("Status", 1.0),
            Column::new("Reason", 5.3),
        ],
        rows,
        caption: Some(
            "Each part of the deployed pipeline as trailcase posture judged it; UNKNOWN means it could not be read (the reason says why)."
                .into(),
        ),
    }));
    out
}
