//! The rows on audit logging itself (AU-2, AU-9, AU-12, CA-7) beside a `logging_reduced` finding
//! whose call succeeded (a trail stopped, deleted or narrowed, its bucket deleted or set to
//! expire objects): each names the calls with their eventIDs, says that records after them may
//! not have been generated or kept (a read among them), and is graded at most partly supported,
//! since the records show the logging itself cut back. Pure: reads [`Facts`].

use super::facts::{first, Facts};
use super::{NistRow, Support};

/// The rows the reduction bears on.
const ROWS: &[&str] = &["AU-2", "AU-9", "AU-12", "CA-7"];

/// Where a finding's summary turns from the calls to why they matter (correlate's wording): the
/// row names the calls only. A summary without it is named whole.
const WHY: &str = "; no evidence shows that the trail feeds";

/// Add the reduction to `rows`' logging rows, when the records show one.
pub(super) fn apply(f: &Facts, rows: &mut [NistRow]) {
    if f.logging_reduced.is_empty() {
        return;
    }
    let calls: Vec<&str> = f
        .logging_reduced
        .iter()
        .map(|(summary, _)| summary.split_once(WHY).map_or(summary.as_str(), |(c, _)| c))
        .collect();
    let mut ids: Vec<String> = Vec::new();
    for (_, of) in &f.logging_reduced {
        for id in of {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    let sentence = format!(
        " The records show CloudTrail logging reduced: {} (the logging_reduced finding, eventID {}): records of calls after it may not have been generated or kept, so a read of the honeytoken after it may be missing from the evidence.",
        calls.join("; "),
        ids.join(", ")
    );
    for r in rows.iter_mut().filter(|r| ROWS.contains(&r.id)) {
        if r.support == Support::Supported {
            r.support = Support::Partial;
        }
        r.statement.push_str(&sentence);
        r.evidence.extend(first(&ids, 4));
    }
}
