//! The executive summary's sentence on the other stored values the actor read (secrets and
//! parameters besides the decoy, `impact.other_value_reads`): how many, the first few names,
//! and that they may be real credentials. Pure words from the incident's impact.

use super::words::plural;
use crate::model::Impact;

/// Names a sentence gives at most; the JSON has every one with its eventID.
const NAMED: usize = 3;

/// "it read other stored values: 19 successful calls asked for the values of 19 other secrets
/// (stratus-…-4-Rma50d, … and 16 more; each in the JSON's impact.other_value_reads), which may
/// be real credentials"; empty when there is none. "Asked for": a `GetParameters` call succeeds
/// with names that do not exist, and CloudTrail records no value, so the request is what the
/// record shows. A secret's ARN is shown from its name on (the JSON has it whole).
pub(super) fn sentence(m: &Impact) -> String {
    let reads = &m.other_value_reads;
    if reads.is_empty() {
        return String::new();
    }
    let mut names: Vec<&str> = Vec::new();
    for n in reads.iter().flat_map(|r| &r.names) {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    let secrets = reads
        .iter()
        .any(|r| r.action.starts_with("secretsmanager:"));
    let params = reads.iter().any(|r| r.action.starts_with("ssm:"));
    let (one, many) = match (secrets, params) {
        (true, true) => ("secret or parameter", "secrets and parameters"),
        (false, true) => ("parameter", "parameters"),
        _ => ("secret", "secrets"),
    };
    // A call that names nothing (a filter) read an unknown number: "at least".
    let unnamed = reads.iter().any(|r| r.names.is_empty());
    let count = match (names.len(), unnamed) {
        (0, _) => format!("other {many}"),
        (1, false) => format!("1 other {one}"),
        (n, false) => format!("{n} other {many}"),
        (n, true) => format!("at least {n} other {many}"),
    };
    let short = |n: &&str| {
        n.split_once(":secret:")
            .map_or(*n, |(_, name)| name)
            .to_owned()
    };
    let shown = match names.len() {
        0 => String::new(),
        n if n <= NAMED => format!(
            "{}; ",
            names.iter().map(short).collect::<Vec<_>>().join(", ")
        ),
        n => format!(
            "{} and {} more; ",
            names[..NAMED]
                .iter()
                .map(short)
                .collect::<Vec<_>>()
                .join(", "),
            n - NAMED
        ),
    };
    format!(
        "it read other stored values: {} asked for the values of {count} ({shown}each in the JSON's impact.other_value_reads), which may be real credentials",
        plural(reads.len(), "successful call", "successful calls")
    )
}
