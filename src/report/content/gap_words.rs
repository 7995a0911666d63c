//! The executive summary's words for the case's evidence gaps: which of them left records
//! unread (so a "no read" cannot be an all-clear), and the first few named by file and reason.
//! Reads the timeline's gaps only; pure.

use crate::model::{GapKind, Timeline};
use crate::report::content::fmt;

/// Gaps named in a sentence at most; the appendix lists every one.
const NAMED: usize = 3;

/// Whether a gap of this kind leaves records of the evidence unread or missing (a read of the
/// honeytoken may be among them). Not the gaps of a record read and analysed with a remark, a
/// file read in full whose custody is in question, or an alarm item's unreadable data.
fn hides_records(kind: GapKind) -> bool {
    match kind {
        GapKind::Unreadable
        | GapKind::TruncatedGzip
        | GapKind::DecompressedTooLarge
        | GapKind::InvalidJson
        | GapKind::UnrecognisedContent
        | GapKind::MalformedRecord
        | GapKind::MissingEventTime
        | GapKind::InvalidEventTime
        | GapKind::NoRecords
        | GapKind::TrailFileAppended
        | GapKind::NoTrailCoverage
        | GapKind::TrailFileMissing
        | GapKind::AcquiredFileMissing
        | GapKind::ArchiveEntryNotRead => true,
        GapKind::RecordNotExportable
        | GapKind::AcquiredFileChanged
        | GapKind::AcquiredFileAdded
        | GapKind::DeliveriesNotMarked
        | GapKind::AlarmHistoryDataUnreadable
        | GapKind::NotLookupEvents
        | GapKind::CopyCountIncomplete
        | GapKind::KillswitchUnmatched
        | GapKind::RepeatedKey => false,
    }
}

/// How many of the case's gaps left records unread or missing.
pub(super) fn hiding(t: &Timeline) -> usize {
    t.gaps.iter().filter(|g| hides_records(g.kind)).count()
}

/// The first gaps (those that hide records first), each as "FILE (record N): reason", and how
/// many more: "trunc.json.gz: gzip stream is truncated ...; and 2 more". Empty without gaps.
pub(super) fn summary(t: &Timeline) -> String {
    let mut gaps: Vec<_> = t.gaps.iter().collect();
    // Stable: the timeline's own order within each group.
    gaps.sort_by_key(|g| !hides_records(g.kind));
    let named: Vec<String> = gaps
        .iter()
        .take(NAMED)
        .map(|g| {
            let file = g.path.rsplit(['/', '\\']).next().unwrap_or(&g.path);
            let at = match g.index {
                Some(i) => format!(" (record {i})"),
                None => String::new(),
            };
            format!("{file}{at}: {}", fmt::shorten(&g.reason, 120))
        })
        .collect();
    match gaps.len().saturating_sub(NAMED) {
        0 => named.join("; "),
        n => format!("{}; and {n} more", named.join("; ")),
    }
}
