//! What the case says about itself and how the report is to be made: the case metadata an
//! analyst writes in `trailcase.toml`, and the settings the report states. Plain data, filled
//! by the caller from the configuration, so that the outputs never read the configuration.

use serde::{Deserialize, Serialize};

/// The `[case]` table of `trailcase.toml`: who the case is for and how it is marked. Every
/// field is optional; the outputs say "not stated" or use a default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseMeta {
    pub id: Option<String>,
    pub title: Option<String>,
    pub organisation: Option<String>,
    pub analyst: Option<String>,
    pub classification: Option<String>,
}

/// What the report states about the run's settings, besides the timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportSettings {
    pub case: CaseMeta,
    /// The honeytoken name or ARN patterns watched, in the configuration's order.
    pub honeytokens: Vec<String>,
    /// Where they came from: the built-in default is said to be one.
    pub honeytoken_source: super::HoneytokenSource,
    /// The configuration used (`trailcase.toml` with the flags applied), as TOML, for the
    /// appendix: or why it cannot be shown.
    pub configuration: String,
}
