//! The result as trailcase reads it: lenient, so that results of older kill-switch versions
//! still read. Unknown fields are ignored; `tool_version`, `summary`, `trigger`, `caller` and
//! `published` may be missing; the caller is a flat record whatever its `type`. Checking
//! `schema_version` and parsing `at` are the reader's.

use super::{Decision, Step, Trigger};
use serde::{Deserialize, Serialize};

/// A published result, as read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
// The name trailcase's reading errors have always given it ("expected struct WireResult").
#[serde(rename = "WireResult")]
pub struct PublishedResult {
    #[serde(default)]
    pub tool_version: Option<String>,
    /// When the kill-switch ran, as written (RFC 3339).
    pub at: String,
    pub dry_run: bool,
    pub decision: Decision,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub trigger: Option<Trigger>,
    #[serde(default)]
    pub caller: Option<PublishedCaller>,
    pub steps: Vec<Step>,
    #[serde(default)]
    pub published: Option<Step>,
}

/// Who the kill-switch acted on: any variant of [`super::Caller`] read into one record
/// (`type` is `iam-user`, `assumed-role`, ...; the fields its variant lacks are `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "KillSwitchCaller")]
pub struct PublishedCaller {
    #[serde(rename = "type")]
    pub kind: String,
    pub arn: Option<String>,
    pub user_name: Option<String>,
    pub role_arn: Option<String>,
    pub role_name: Option<String>,
    pub session_issued: Option<String>,
    pub source_identity: Option<String>,
    /// For an AWS service caller.
    pub name: Option<String>,
}
