//! Inputs outside any case: a file or folder given beside a case (`report CASE extra.json.gz`,
//! `verify CASE extra.json.gz`). The analysis reads their records like the case's, yet no digest
//! and no manifest of the case covers them, so the verdict names each that holds records and is
//! "partly verified" at best.

use std::path::{Path, PathBuf};

use super::records::HoldsRecords;
use super::{gather, verdict, IntegrityError, IntegrityReport};
use crate::case::manifest::MANIFEST_FILE;

/// Whether `dir` is a case: a directory with an acquisition manifest or a `cloudtrail/` folder.
pub fn is_case_dir(dir: &Path) -> bool {
    dir.is_dir() && (dir.join(MANIFEST_FILE).is_file() || dir.join("cloudtrail").is_dir())
}

/// The files of `inputs` (none a case) that hold records the analysis would read, as the
/// analysis shows their paths (the argument, joined with the path inside a folder), sorted.
pub fn outside_record_files(
    inputs: &[PathBuf],
    records: &dyn HoldsRecords,
) -> Result<Vec<String>, IntegrityError> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            for name in gather::case_files(input)?.files {
                let path = input.join(&name);
                if records.holds_records(&path, &name) {
                    out.push(path.display().to_string());
                }
            }
        } else {
            let name = input
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            if records.holds_records(input, &name) {
                out.push(input.display().to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

impl IntegrityReport {
    /// Adds files outside the case that hold records (see [`outside_record_files`]) to the
    /// files no digest verified, and states the verdict again: "partly verified" at best.
    pub fn add_outside_files(&mut self, files: Vec<String>) {
        if files.is_empty() {
            return;
        }
        self.unverified_record_files.extend(files);
        self.unverified_record_files.sort();
        self.unverified_record_files.dedup();
        self.counts.record_files_unverified = self.unverified_record_files.len();
        self.verdict = verdict(
            &self.manifest,
            &self.digests,
            &self.problems,
            &self.unverified_record_files,
        );
    }
}
