//! The files of a case that hold records no digest verified: what `timeline` and `report` read
//! records from (every file of the case, by content, whatever its name or folder) beyond the log
//! files a verified digest vouches for. A trail file delivered after the newest digest, a
//! `.jsonl`, a `.JSON.GZ`, a `.json.gz.bak` or a file outside `cloudtrail/`: each is read by the
//! analysis, and none is checked by a digest, so the verdict cannot call its records verified.
//!
//! LookupEvents pages (`lookup-events/`) have no digest by design (AWS offers none for them):
//! where the acquisition manifest lists one with the same size and SHA-256, what the case can
//! check of it is checked, and it is not counted here. Without a manifest, or unlisted, it is.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;

use super::{CheckStatus, ManifestCheck};
use crate::parse::{RecordItem, RecordSink};
use crate::source::files::{archive_kind, read_stored, CASE_CONFIG_NAME};

/// The most of one file read to look for records (the analysis's default inflate cap).
const MAX_READ: u64 = 1024 << 20;

/// The folder of LookupEvents pages, which no digest can cover.
const LOOKUP_EVENTS_DIR: &str = "lookup-events/";

/// How many of the files the verdict line names; the report lists them all.
pub const NAMED_IN_VERDICT: usize = 3;

/// Case-relative paths (sorted) of the files in `files` that hold at least one record the
/// analysis would read and that no verified digest vouches for (`verified`), LookupEvents pages
/// the manifest vouches for aside. An archive counts whatever it holds: its members are inputs
/// of the analysis, and no digest verifies a member.
pub(super) fn unverified_record_files(
    case: &Path,
    files: &BTreeSet<String>,
    verified: &BTreeSet<String>,
    manifest: &ManifestCheck,
) -> Vec<String> {
    let vouched_by_manifest = |path: &str| {
        path.starts_with(LOOKUP_EVENTS_DIR)
            && manifest.status == CheckStatus::Checked
            && !manifest.problems.iter().any(|p| p.subject == path)
    };
    let candidates: Vec<&String> = files
        .iter()
        .filter(|f| !verified.contains(*f))
        .filter(|f| f.rsplit('/').next() != Some(CASE_CONFIG_NAME))
        .filter(|f| !vouched_by_manifest(f))
        .collect();
    let mut out: Vec<String> = candidates
        .par_iter()
        .filter(|f| holds_records(&case.join(f.as_str()), f))
        .map(|f| (*f).clone())
        .collect();
    out.sort();
    out
}

/// Counts nothing: the scan's record count is all that is wanted.
struct Discard;

impl RecordSink for Discard {
    fn record(&mut self, _: RecordItem<'_>) {}
}

/// Whether the analysis would read a record from the file: read (and inflated) as it reads it,
/// and scanned with the same parser. An unreadable file holds no record the analysis could use.
fn holds_records(path: &Path, name: &str) -> bool {
    let Ok(stored) = read_stored(path, MAX_READ) else {
        return false;
    };
    if archive_kind(&stored.bytes).is_some() {
        return true;
    }
    let name = name.rsplit('/').next().unwrap_or(name);
    let (_, scan) = crate::scan::scan_stored(stored.bytes, 0, name, MAX_READ, &mut Discard);
    scan.records > 0
}

/// The files, the first [`NAMED_IN_VERDICT`] named and the rest counted:
/// `a, b, c and 4 more`.
pub fn first_few(files: &[String]) -> String {
    let named: Vec<&str> = files
        .iter()
        .take(NAMED_IN_VERDICT)
        .map(String::as_str)
        .collect();
    match files.len().saturating_sub(NAMED_IN_VERDICT) {
        0 => named.join(", "),
        more => format!("{} and {more} more", named.join(", ")),
    }
}
