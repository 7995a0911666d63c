//! `trailcase posture`: is the deployed honeytoken pipeline still correct? Each part is judged
//! from a [`Snapshot`] of its live configuration with the same rule engines the replay uses: the
//! metric filter and the rule must match a synthetic read of the honeytoken by its kind's own
//! read API (GetSecretValue, GetParameter, GetObject) and not the same read of another resource,
//! the alarm must fire on one read, the topics must reach someone, the
//! kill-switch must exist, be invocable by EventBridge and have exactly the permissions it needs.
//!
//! Pure: no I/O; the clock comes in as `now`. The reads are in `source::aws::posture`.

mod flow1;
mod flow2;
mod honeytoken;
pub mod killswitch_role;
mod render;
mod synthetic;
mod trail;

pub use crate::model::posture_snapshot::Snapshot;
pub use render::{render_text, to_wire, PostureReport};

use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Pass,
    Fail,
    /// The part could not be read (the reason says why, often a missing permission).
    Unknown,
}

/// One judged part of the pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub region: String,
    /// Stable identifier, e.g. `trail.multi-region`, `flow2.killswitch-permission`.
    pub id: &'static str,
    pub status: Status,
    pub reason: String,
}

/// Records checks for one region.
pub(crate) struct Checks<'a> {
    region: &'a str,
    out: Vec<Check>,
}

impl<'a> Checks<'a> {
    fn new(region: &'a str) -> Self {
        Checks {
            region,
            out: Vec::new(),
        }
    }

    fn add(&mut self, id: &'static str, status: Status, reason: impl Into<String>) {
        self.out.push(Check {
            region: self.region.to_string(),
            id,
            status,
            reason: reason.into(),
        });
    }

    fn pass(&mut self, id: &'static str, reason: impl Into<String>) {
        self.add(id, Status::Pass, reason);
    }

    fn fail(&mut self, id: &'static str, reason: impl Into<String>) {
        self.add(id, Status::Fail, reason);
    }

    fn unknown(&mut self, id: &'static str, reason: impl Into<String>) {
        self.add(id, Status::Unknown, reason);
    }

    /// PASS or FAIL with the reason for each.
    fn verdict(&mut self, id: &'static str, ok: bool, pass: String, fail: String) {
        if ok {
            self.pass(id, pass)
        } else {
            self.fail(id, fail)
        }
    }
}

/// Judge every part of the pipeline in `snapshot`.
pub fn evaluate(snapshot: &Snapshot, now: DateTime<Utc>) -> Vec<Check> {
    let mut checks = Checks::new(&snapshot.region);
    let reads = synthetic::Reads::new(snapshot);
    let trail = trail::check(snapshot, &reads, now, &mut checks);
    flow1::check(snapshot, &reads, trail, &mut checks);
    flow2::check(snapshot, &reads, &mut checks);
    checks.out
}

/// The status the command exits with: every check passed, or not.
pub fn all_pass(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.status == Status::Pass)
}
