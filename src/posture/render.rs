//! The posture result as versioned JSON (`schema_version` 1) and as a text table.

use super::{Check, Status};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct PostureReport {
    pub schema_version: u32,
    pub tool_version: &'static str,
    /// When the configuration was read (RFC 3339).
    pub checked_at: String,
    pub honeytoken: String,
    pub regions: Vec<String>,
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub checks: Vec<Check>,
}

pub fn to_wire(
    checks: Vec<Check>,
    honeytoken: &str,
    regions: &[String],
    checked_at: String,
) -> PostureReport {
    let count = |s: Status| checks.iter().filter(|c| c.status == s).count();
    PostureReport {
        schema_version: 1,
        tool_version: env!("CARGO_PKG_VERSION"),
        checked_at,
        honeytoken: honeytoken.to_string(),
        regions: regions.to_vec(),
        pass: count(Status::Pass),
        fail: count(Status::Fail),
        unknown: count(Status::Unknown),
        checks,
    }
}

pub fn render_text(r: &PostureReport) -> String {
    let status = |s: Status| match s {
        Status::Pass => "PASS",
        Status::Fail => "FAIL",
        Status::Unknown => "UNKNOWN",
    };
    let width = r.checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut out = format!(
        "Honeytoken pipeline posture for {} in {} at {}\n\n",
        r.honeytoken,
        r.regions.join(", "),
        r.checked_at
    );
    for c in &r.checks {
        out.push_str(&format!(
            "{:<7}  {:<12}  {:<width$}  {}\n",
            status(c.status),
            c.region,
            c.id,
            c.reason
        ));
    }
    out.push_str(&format!(
        "\n{} PASS, {} FAIL, {} UNKNOWN\n",
        r.pass, r.fail, r.unknown
    ));
    out
}
