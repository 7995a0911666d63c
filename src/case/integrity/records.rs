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
use crate::case::source::CASE_CONFIG_NAME;

/// Whether a file holds a record the analysis would read. Answered by the layer that reads
/// records (`scan::ReadsRecords` reads the file as `timeline` does); the case sits below it
/// and never reads records itself.
pub trait HoldsRecords: Sync {
    /// `path` is the file, `name` its case-relative path.
    fn holds_records(&self, path: &Path, name: &str) -> bool;
}

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
    records: &dyn HoldsRecords,
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
        .filter(|f| records.holds_records(&case.join(f.as_str()), f))
        .map(|f| (*f).clone())
        .collect();
    out.sort();
    out
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
