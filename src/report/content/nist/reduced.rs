//! The rows on audit logging itself (AU-2, AU-9, AU-12, CA-7) beside a `logging_reduced` finding
//! whose call succeeded (a trail stopped, deleted or narrowed, its bucket deleted or set to
//! expire objects): AU-9 names the calls with their eventIDs and says that records after them
//! may not have been generated or kept (a read among them); the others name the finding with
//! its first eventIDs and refer to AU-9, so that a reader meets the list once. Each is graded
//! at most partly supported, since the records show the logging itself cut back. Pure: reads
//! [`Facts`].

use super::facts::{first, Facts};
use super::{NistRow, Support};

/// The rows the reduction bears on.
const ROWS: &[&str] = &["AU-2", "AU-9", "AU-12", "CA-7"];

/// The row that names the calls in full (protection of audit information: a trail stopped or
/// deleted, its log files set to expire); the others refer to it.
const NAMES_THEM: &str = "AU-9";

/// At most this many eventIDs in a row that refers to [`NAMES_THEM`], each in short
/// ([`short_id`]): its evidence column beside the statement cites them whole.
const SHORT_IDS: usize = 4;

/// An eventID's first eight characters and "…" (a UUID's first group), whole when that short;
/// one that different records share says how many in short.
fn short_id(cited: &str) -> String {
    let (id, shared) = crate::report::content::shared_ids::parts(cited);
    let short = match id.char_indices().nth(8) {
        Some((at, _)) => format!("{}…", &id[..at]),
        None => id.to_string(),
    };
    match shared {
        Some(n) => format!("{short} (one of {n})"),
        None => short,
    }
}

/// Where a finding's summary turns from the calls to why they matter (correlate's wording): the
/// row names the calls only. A summary without it is named whole.
const WHY: &str = "; no evidence shows that the trail feeds";

/// Add the reduction to `rows`' logging rows, when the records show one: the calls in full in
/// [`NAMES_THEM`] (or the first logging row, were it absent), the others naming the finding and
/// its eventIDs in short and pointing there, so that the list is read once.
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
    let it = if ids.len() == 1 { "it" } else { "them" };
    let named = if rows.iter().any(|r| r.id == NAMES_THEM) {
        NAMES_THEM
    } else {
        match rows.iter().find(|r| ROWS.contains(&r.id)) {
            Some(r) => r.id,
            None => return,
        }
    };
    let full = format!(
        " The records show CloudTrail logging reduced: {} (the \"CloudTrail logging reduced\" finding, eventID {}): records of calls after {it} may not have been generated or kept, so a read of the honeytoken after {it} may be missing from the evidence.",
        calls.join("; "),
        ids.join(", ")
    );
    let short = format!(
        " The records show CloudTrail logging reduced (the finding of that name, eventID {}; the calls are named under {named}): a read of the honeytoken after {it} may be missing from the evidence.",
        first(
            &ids.iter().map(|id| short_id(id)).collect::<Vec<_>>(),
            SHORT_IDS
        )
        .join(", ")
    );
    for r in rows.iter_mut().filter(|r| ROWS.contains(&r.id)) {
        if r.support == Support::Supported {
            r.support = Support::Partial;
        }
        r.statement
            .push_str(if r.id == named { &full } else { &short });
        r.evidence.extend(first(&ids, 4));
    }
}
