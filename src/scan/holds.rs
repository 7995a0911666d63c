//! The integrity check's question to the reader: does a file of the case hold a record the
//! analysis would read? Answered by reading it as `timeline` does (inflated, every shape), so
//! that a record file of any name or folder counts (see `case::integrity::records`).

use crate::case::integrity::HoldsRecords;
use crate::parse::{RecordItem, RecordSink};
use crate::source::files::{archive_kind, read_stored};
use std::path::Path;

/// The most of one file read to look for records (the analysis's default inflate cap).
const MAX_READ: u64 = 1024 << 20;

/// Reads each file asked about with the analysis's own reader.
pub struct ReadsRecords;

impl HoldsRecords for ReadsRecords {
    /// An unreadable file holds no record the analysis could use; an archive holds whatever its
    /// members hold (they are inputs of the analysis, and no digest verifies a member).
    fn holds_records(&self, path: &Path, name: &str) -> bool {
        let Ok(stored) = read_stored(path, MAX_READ) else {
            return false;
        };
        if archive_kind(&stored.bytes).is_some() {
            return true;
        }
        let name = name.rsplit('/').next().unwrap_or(name);
        let (_, scan) = super::scan_stored(stored.bytes, 0, name, MAX_READ, &mut Discard);
        scan.records > 0
    }
}

/// Counts nothing: the scan's record count is all that is wanted.
struct Discard;

impl RecordSink for Discard {
    fn record(&mut self, _: RecordItem<'_>) {}
}
