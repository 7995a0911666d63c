//! Inputs outside any case: a file or folder given beside a case (`report CASE extra.json.gz`,
//! `verify CASE extra.json.gz`). The analysis reads their records like the case's, yet no digest
//! and no manifest of the case covers them, so the verdict names each that holds records and is
//! "partly verified" at best.

use std::path::{Path, PathBuf};

use super::records::HoldsRecords;
use super::{
    gather, verdict, Check, FileFindingKind, IntegrityError, IntegrityReport, Issue, IssueKind,
};
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
    Ok(outside_inputs(inputs, records)?.files)
}

/// What the inputs outside the case hold: the files with records, and the entries of their
/// folders that are not read, with the reason, by the walk's rule (a link out of the folder, one
/// that does not resolve, a special file: the reason `timeline` gives for the same entry).
#[derive(Debug, Default)]
pub struct OutsideInputs {
    pub files: Vec<String>,
    pub not_read: Vec<(String, String)>,
}

/// [`OutsideInputs`] of `inputs` (none a case), paths as the analysis shows them, sorted.
pub fn outside_inputs(
    inputs: &[PathBuf],
    records: &dyn HoldsRecords,
) -> Result<OutsideInputs, IntegrityError> {
    let mut out = OutsideInputs::default();
    for input in inputs {
        if input.is_dir() {
            let listed = gather::case_files(input)?;
            for name in listed.files {
                let path = input.join(&name);
                if records.holds_records(&path, &name) {
                    out.files.push(path.display().to_string());
                }
            }
            out.not_read.extend(
                (listed.refused.into_iter())
                    .map(|(name, why)| (input.join(name).display().to_string(), why)),
            );
        } else {
            let name = input
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            if records.holds_records(input, &name) {
                out.files.push(input.display().to_string());
            }
        }
    }
    out.files.sort();
    out.files.dedup();
    out.not_read.sort();
    out.not_read.dedup();
    Ok(out)
}

impl IntegrityReport {
    /// Adds the entries of the folders outside the case that are not read (see
    /// [`OutsideInputs::not_read`]) as problems, each named with its reason, and states the
    /// verdict again: a file the analysis does not read is not verified either.
    pub fn add_outside_not_read(&mut self, not_read: Vec<(String, String)>) {
        if not_read.is_empty() {
            return;
        }
        self.problems
            .extend(not_read.into_iter().map(|(subject, detail)| Issue {
                subject,
                check: Check::Files,
                kind: IssueKind::Files(FileFindingKind::NotRead),
                detail,
            }));
        self.counts.problems = self.problems.len();
        self.verdict = verdict(
            &self.manifest,
            &self.digests,
            &self.problems,
            &self.unverified_record_files,
        );
    }

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
