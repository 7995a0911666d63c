//! The manifest checks: every entry of `manifest.json` is present with its size and SHA-256, every file
//! of the case is listed, and the acquisition gaps the manifest records are surfaced.
//!
//! A case without a manifest (assembled by hand with the AWS CLI) makes these checks not applicable,
//! which is not a failure.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

use rayon::prelude::*;
use serde::Serialize;

use super::{Check, CheckStatus, Issue, IssueKind};
use crate::case::manifest::{sha256_file, Manifest, ManifestEntry, MANIFEST_FILE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ManifestFindingKind {
    /// `manifest.json` exists but is not a readable trailcase manifest.
    ManifestInvalid,
    /// An entry's path is absolute, leaves the case (`..`) or is not plain (`a/./b`, `a//b`,
    /// which name the file `a/b` under another spelling): it is not checked.
    PathOutsideCase,
    /// Two or more entries for one path: at most one can describe the file there.
    DuplicateEntry,
    /// Listed in the manifest, not in the case.
    FileMissing,
    /// Present, but its size differs from the manifest's.
    SizeMismatch,
    /// Present, but its SHA-256 differs from the manifest's.
    HashMismatch,
    /// Present and listed, but it could not be read.
    FileUnreadable,
    /// In the case, not in the manifest.
    FileUnlisted,
    /// Something the acquisition could not collect, as the manifest records it.
    AcquisitionGap,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ManifestInfo {
    pub case_id: Option<String>,
    pub tool_version: String,
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestCheck {
    pub status: CheckStatus,
    /// Why the checks did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<ManifestInfo>,
    pub entries: usize,
    /// Entries present with the listed size and SHA-256.
    pub entries_verified: usize,
    pub files_missing: usize,
    pub files_mismatched: usize,
    pub files_unlisted: usize,
    pub acquisition_gaps: usize,
    /// The problems found, in the report's order.
    #[serde(skip)]
    pub problems: Vec<Issue>,
}

impl ManifestCheck {
    fn not_run(status: CheckStatus, reason: String) -> Self {
        ManifestCheck {
            status,
            reason: Some(reason),
            info: None,
            entries: 0,
            entries_verified: 0,
            files_missing: 0,
            files_mismatched: 0,
            files_unlisted: 0,
            acquisition_gaps: 0,
            problems: Vec::new(),
        }
    }
}

fn issue(kind: ManifestFindingKind, subject: &str, detail: impl Into<String>) -> Issue {
    Issue {
        subject: subject.to_owned(),
        check: Check::Manifest,
        kind: IssueKind::Manifest(kind),
        detail: detail.into(),
    }
}

/// Check `case/manifest.json` against `files`, the case's files (case-relative, without the manifest).
/// `refused`: the case's entries the walk did not read, with the reason (an entry listed there is
/// `file_unreadable`, not missing: it is in the case).
pub fn check_manifest(
    case: &Path,
    files: &BTreeSet<String>,
    refused: &BTreeMap<String, String>,
) -> ManifestCheck {
    let path = case.join(MANIFEST_FILE);
    let folders = crate::case::walk::Folders::of(&[case.to_path_buf()]);
    if path.symlink_metadata().is_ok() && !crate::case::walk::readable_file(&folders, &path) {
        return ManifestCheck::not_run(
            CheckStatus::Failed,
            "manifest.json is not read: it is no regular file within the case (see the files problem)".into(),
        );
    }
    if !path.exists() {
        return ManifestCheck::not_run(
            CheckStatus::NotApplicable,
            "no manifest.json (a case assembled by hand)".into(),
        );
    }
    let manifest = match Manifest::load(&path) {
        Ok(m) => m,
        Err(e) => {
            let mut check = ManifestCheck::not_run(
                CheckStatus::Failed,
                "manifest.json is not a readable trailcase manifest".into(),
            );
            check.problems.push(issue(
                ManifestFindingKind::ManifestInvalid,
                MANIFEST_FILE,
                e.to_string(),
            ));
            return check;
        }
    };
    let mut check = ManifestCheck {
        status: CheckStatus::Checked,
        reason: None,
        info: Some(ManifestInfo {
            case_id: manifest.case_id.clone(),
            tool_version: manifest.tool_version.clone(),
            created: manifest.created.clone(),
        }),
        entries: manifest.entries.len(),
        ..ManifestCheck::not_run(CheckStatus::Checked, String::new())
    };

    let mut by_path: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in &manifest.entries {
        *by_path.entry(e.path.as_str()).or_default() += 1;
    }
    for (path, n) in by_path.iter().filter(|(_, n)| **n > 1) {
        check.files_mismatched += 1;
        check.problems.push(issue(
            ManifestFindingKind::DuplicateEntry,
            path,
            format!("{n} entries in manifest.json for this one path: objects that replaced one another, or an edited manifest"),
        ));
    }
    let results: Vec<Vec<Issue>> = manifest
        .entries
        .par_iter()
        .map(|entry| check_entry(case, files, refused, entry))
        .collect();
    for found in results {
        if found.is_empty() {
            check.entries_verified += 1;
        } else if found
            .iter()
            .any(|i| i.kind == IssueKind::Manifest(ManifestFindingKind::FileMissing))
        {
            check.files_missing += 1;
        } else {
            check.files_mismatched += 1;
        }
        check.problems.extend(found);
    }

    let listed: BTreeSet<&str> = manifest.entries.iter().map(|e| e.path.as_str()).collect();
    for file in files.iter().filter(|f| !listed.contains(f.as_str())) {
        check.files_unlisted += 1;
        check.problems.push(issue(
            ManifestFindingKind::FileUnlisted,
            file,
            "in the case but not in manifest.json: added after acquisition, or the manifest was edited",
        ));
    }
    for gap in &manifest.gaps {
        check.acquisition_gaps += 1;
        let permission = gap
            .permission
            .as_deref()
            .map(|p| format!(" (needs {p})"))
            .unwrap_or_default();
        check.problems.push(issue(
            ManifestFindingKind::AcquisitionGap,
            &gap.source,
            format!("not acquired: {}{permission}", gap.reason),
        ));
    }
    check.problems.sort();
    check
}

/// A manifest path names a file inside the case only if every `/`-separated segment is a plain
/// name: `a/./b` and `a//b` would otherwise be a second spelling of `a/b`.
fn inside_case(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|s| {
            !s.is_empty()
                && Path::new(s)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)))
                && !s.contains('\\')
        })
}

fn check_entry(
    case: &Path,
    files: &BTreeSet<String>,
    refused: &BTreeMap<String, String>,
    entry: &ManifestEntry,
) -> Vec<Issue> {
    use ManifestFindingKind::*;
    let subject = entry.path.as_str();
    if !inside_case(subject) {
        return vec![issue(
            PathOutsideCase,
            subject,
            "the manifest path is absolute, leaves the case directory or is not plain (`.` or empty segments); not checked",
        )];
    }
    if let Some(reason) = refused.get(subject) {
        return vec![issue(
            FileUnreadable,
            subject,
            format!("in the case, but not read: {reason}"),
        )];
    }
    if !files.contains(subject) {
        return vec![issue(
            FileMissing,
            subject,
            format!(
                "listed in manifest.json (from {}) but not in the case",
                entry.source
            ),
        )];
    }
    let path = case.join(subject);
    let mut found = Vec::new();
    match std::fs::metadata(&path) {
        Ok(m) if m.len() != entry.size => found.push(issue(
            SizeMismatch,
            subject,
            format!("{} bytes, manifest.json says {}", m.len(), entry.size),
        )),
        Ok(_) => {}
        Err(e) => return vec![issue(FileUnreadable, subject, format!("cannot read: {e}"))],
    }
    match sha256_file(&path) {
        Ok(actual) if actual.eq_ignore_ascii_case(entry.sha256.trim()) => {}
        Ok(actual) => found.push(issue(
            HashMismatch,
            subject,
            format!(
                "SHA-256 is {actual}, manifest.json says {}",
                entry.sha256.trim()
            ),
        )),
        Err(e) => found.push(issue(FileUnreadable, subject, format!("cannot read: {e}"))),
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_inside_the_case() {
        assert!(inside_case("cloudtrail/AWSLogs/x.json.gz"));
        assert!(!inside_case("../etc/passwd"));
        assert!(!inside_case("/etc/passwd"));
        assert!(!inside_case("a/../../b"));
        assert!(!inside_case(""));
        assert!(!inside_case("cloudtrail/./x.json.gz"));
        assert!(!inside_case("cloudtrail//x.json.gz"));
    }
}
