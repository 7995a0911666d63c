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

impl PostureCheck {
    /// The check in English ("The trail is logging"), as the report names it, its id
    /// (`trail.logging`) beside it; the id itself for a check this list does not know (a newer
    /// posture's).
    pub fn title(&self) -> &str {
        match self.id.as_str() {
            "trail.multi-region" => "The trail records every region",
            "trail.logging" => "The trail is logging",
            "trail.log-file-validation" => "The trail writes signed digest files",
            "trail.cloudwatch-logs" => "The trail delivers to CloudWatch Logs",
            "honeytoken.secret" => "The decoy secret exists",
            "honeytoken.object" => "The decoy object exists",
            "honeytoken.parameter" => "The decoy parameter exists",
            "flow1.metric-filter" => "The metric filter catches the honeytoken",
            "flow1.alarm" => "The alarm goes to ALARM on one read",
            "flow1.alarm-action" => "The alarm notifies an SNS topic",
            "flow1.topic" => "The alarm's topic has a confirmed subscriber",
            "flow2.rule" => "The event rule catches the honeytoken",
            "flow2.topic" => "The rule's topic has a confirmed subscriber",
            "flow2.killswitch" => "The rule targets the kill-switch",
            "flow2.killswitch-permission" => "The rule may invoke the kill-switch",
            "flow2.killswitch-role" => "The kill-switch's role allows what it calls, no more",
            other => other,
        }
    }

    /// [`PostureCheck::title`] with the id in parentheses, once: "The trail is logging
    /// (trail.logging)"; the id alone when the check has no title.
    pub fn named(&self) -> String {
        match self.title() {
            t if t == self.id => self.id.clone(),
            t => format!("{t} ({})", self.id),
        }
    }
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
