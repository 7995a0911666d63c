//! The log files: each one a digest lists must be present with the same decompressed SHA-256, and each
//! present one must be listed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use super::chain::{self, Scope};
use super::digest::DigestLogFile;
use super::report::{finding, Finding, FindingKind};
use super::source::{EvidenceSource, LogFileHash};
use super::time::format_timestamp;
use super::verify::{Entry, Run};

impl Run<'_> {
    pub(super) fn check_log_files<S: EvidenceSource + ?Sized>(
        &mut self,
        source: &S,
        digests: &BTreeMap<String, Entry>,
        all_keys: &[String],
        present: &BTreeSet<&str>,
    ) {
        let mut listed: BTreeMap<&str, Vec<(&str, &DigestLogFile, bool)>> = BTreeMap::new();
        for (key, entry) in digests {
            for log in &entry.parsed.file.log_files {
                listed.entry(log.s3_object.as_str()).or_default().push((
                    key.as_str(),
                    log,
                    entry.verified_with.is_some(),
                ));
            }
        }
        // An object of the case that a digest lists but whose name is no log file's is checked,
        // and counted as no log file (a digest listing `public-keys.json` made "97 of 96").
        let not_a_log = |key: &str| present.contains(key) && !chain::is_log_key(key);
        self.report.summary.log_files_listed = listed.keys().filter(|k| !not_a_log(k)).count();
        for (log_key, listings) in listed.iter().filter(|(_, l)| l.len() > 1) {
            let mut by_digest: BTreeMap<&str, usize> = BTreeMap::new();
            for (digest_key, _, _) in listings {
                *by_digest.entry(digest_key).or_default() += 1;
            }
            let places: Vec<String> = by_digest
                .iter()
                .map(|(digest, n)| match n {
                    1 => format!("in {digest}"),
                    2 => format!("twice in {digest}"),
                    n => format!("{n} times in {digest}"),
                })
                .collect();
            self.push(
                FindingKind::LogFileListedMoreThanOnce,
                log_key,
                format!(
                    "listed {} times ({}): CloudTrail lists each log file in one digest; each listing is checked, the file is counted once",
                    listings.len(),
                    places.join(", ")
                ),
            );
        }
        let selection = source.selection();
        let checked: Vec<Finding> = listed
            .par_iter()
            .flat_map_iter(|(log_key, listings)| {
                let present = present.contains(log_key);
                let hash = present.then(|| source.log_file_hash(log_key));
                let left_out = !present && selection.is_some_and(|s| !s.contains(*log_key));
                listings
                    .iter()
                    .map(move |(digest_key, log, digest_verified)| {
                        if left_out {
                            return finding(
                                FindingKind::LogFileOutsideSelection,
                                log_key,
                                format!("listed in {digest_key}; not fetched: the Athena search (athena/selection.json) found no evidence in it"),
                            );
                        }
                        check_log(log_key, digest_key, log, *digest_verified, hash.as_ref())
                    })
            })
            .collect();
        let checked: Vec<Finding> = checked
            .into_iter()
            .map(|mut f| {
                if f.kind == FindingKind::LogFileValid && not_a_log(&f.key) {
                    f.kind = FindingKind::ListedObjectNotALogFile;
                    f.detail = format!(
                        "{}, but its name is not a CloudTrail log file's: not counted as a log file",
                        f.detail
                    );
                }
                f
            })
            .collect();
        // Each file counted once, by the worst of its listings' outcomes.
        let mut worst: BTreeMap<&str, FindingKind> = BTreeMap::new();
        for f in &checked {
            let rank = |k: FindingKind| match k {
                FindingKind::LogFileMissing => 0,
                FindingKind::LogFileModified | FindingKind::LogFileAppendedData => 1,
                FindingKind::LogFileUnverified => 2,
                FindingKind::LogFileOutsideSelection => 3,
                _ => 4,
            };
            worst
                .entry(f.key.as_str())
                .and_modify(|k| {
                    if rank(f.kind) < rank(*k) {
                        *k = f.kind;
                    }
                })
                .or_insert(f.kind);
        }
        for kind in worst.values() {
            let counter = match kind {
                FindingKind::ListedObjectNotALogFile => continue,
                FindingKind::LogFileValid => &mut self.report.summary.log_files_verified,
                FindingKind::LogFileMissing => &mut self.report.summary.log_files_missing,
                FindingKind::LogFileOutsideSelection => {
                    &mut self.report.summary.log_files_outside_selection
                }
                FindingKind::LogFileModified | FindingKind::LogFileAppendedData => {
                    &mut self.report.summary.log_files_modified
                }
                _ => &mut self.report.summary.log_files_unverified,
            };
            *counter += 1;
        }
        self.report.findings.extend(checked);

        // "After the newest digest" is measured against the hourly chain: a backfill digest, delivered
        // late for files an earlier hour missed, says nothing about files delivered since the last hourly
        // digest. Only a region with no hourly digest in the case falls back to its backfill digests.
        let mut newest_hourly: BTreeMap<Scope, DateTime<Utc>> = BTreeMap::new();
        let mut newest_backfill: BTreeMap<Scope, DateTime<Utc>> = BTreeMap::new();
        for (key, entry) in digests {
            if let Some(scope) = chain::scope_of(key) {
                let map = if chain::is_backfill_digest_key(key) {
                    &mut newest_backfill
                } else {
                    &mut newest_hourly
                };
                let newest = map.entry(scope).or_insert(entry.parsed.end);
                *newest = (*newest).max(entry.parsed.end);
            }
        }
        let mut newest_digest = newest_backfill;
        newest_digest.extend(newest_hourly);
        for key in all_keys
            .iter()
            .filter(|k| chain::is_log_key(k) && !listed.contains_key(k.as_str()))
        {
            let scope = chain::scope_of(key);
            let newest = scope.as_ref().and_then(|s| newest_digest.get(s));
            match (newest, chain::log_file_time(key)) {
                (Some(newest), Some(delivered)) if delivered >= *newest => {
                    self.report.summary.log_files_after_last_digest += 1;
                    let detail = format!(
                        "delivered {} after the newest digest of its region (ends {})",
                        format_timestamp(delivered),
                        format_timestamp(*newest)
                    );
                    self.push(FindingKind::LogFileAfterLastDigest, key, detail);
                }
                (Some(_), _) => {
                    self.report.summary.log_files_unlisted += 1;
                    self.push(
                        FindingKind::LogFileUnlisted,
                        key,
                        "listed in no digest of the case",
                    );
                }
                (None, _) => {
                    self.report.summary.log_files_unlisted += 1;
                    self.push(
                        FindingKind::LogFileUnlisted,
                        key,
                        "listed in no digest: the case holds no digest for its account and region",
                    );
                }
            }
        }
    }
}

fn check_log(
    log_key: &str,
    digest_key: &str,
    log: &DigestLogFile,
    digest_verified: bool,
    hash: Option<&std::io::Result<LogFileHash>>,
) -> Finding {
    let (kind, detail) = match hash {
        None => (
            FindingKind::LogFileMissing,
            format!("listed in {digest_key} but not in the case"),
        ),
        Some(Err(e)) => (
            FindingKind::LogFileModified,
            format!("cannot be read or decompressed ({e}); listed in {digest_key}"),
        ),
        Some(Ok(LogFileHash {
            sha256,
            appended: Some(appended),
        })) => {
            // Whether the first member still matches tells a reader whether the original is intact.
            let first = if sha256.eq_ignore_ascii_case(log.hash_value.trim()) {
                "its first member matches"
            } else {
                "its first member does not match either"
            };
            (
                FindingKind::LogFileAppendedData,
                format!("{appended}; {first} {digest_key}"),
            )
        }
        Some(Ok(_)) if !log.hash_algorithm.eq_ignore_ascii_case("SHA-256") => (
            FindingKind::LogFileUnverified,
            format!(
                "{digest_key} lists it with hash algorithm {:?}, not SHA-256",
                log.hash_algorithm
            ),
        ),
        Some(Ok(LogFileHash { sha256: actual, .. }))
            if !actual.eq_ignore_ascii_case(log.hash_value.trim()) =>
        {
            (
                FindingKind::LogFileModified,
                format!(
                    "decompressed SHA-256 is {actual}, {digest_key} lists {}",
                    log.hash_value
                ),
            )
        }
        Some(Ok(_)) if digest_verified => {
            (FindingKind::LogFileValid, format!("matches {digest_key}"))
        }
        Some(Ok(_)) => (
            FindingKind::LogFileUnverified,
            format!("matches {digest_key}, whose signature was not verified"),
        ),
    };
    finding(kind, log_key, detail)
}
