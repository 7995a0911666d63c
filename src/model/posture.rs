//! A `trailcase posture` result found in the evidence (schema_version 1): each part of the
//! deployed pipeline PASS, FAIL or UNKNOWN with the reason. Plain data, read by the parser.

use super::Origin;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PostureStatus {
    Pass,
    Fail,
    Unknown,
}

impl PostureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PostureStatus::Pass => "PASS",
            PostureStatus::Fail => "FAIL",
            PostureStatus::Unknown => "UNKNOWN",
        }
    }
}

/// One judged part of the pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostureCheck {
    pub region: String,
    /// e.g. `trail.multi-region`, `flow2.killswitch-role`.
    pub id: String,
    pub status: PostureStatus,
    pub reason: String,
}

/// One posture run as stored in the case (`posture/posture.json`) or given as an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostureResult {
    /// RFC 3339, as the posture run wrote it.
    pub checked_at: String,
    pub tool_version: Option<String>,
    pub honeytoken: String,
    pub regions: Vec<String>,
    pub checks: Vec<PostureCheck>,
    pub origin: Origin,
}

impl PostureResult {
    pub fn count(&self, status: PostureStatus) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }
}
