//! Read what the integrity checks need from a case directory: its file list, and the time ranges of its
//! trail log files, verified digests and LookupEvents records for the coverage table.
//!
//! The only part of `integrity` that touches the file system besides the manifest hashing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read as _;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::coverage::{CoverageEvidence, MissingLogFile, TimeRange};
use super::IntegrityError;
use crate::case::chain;
use crate::case::digest::{DigestLogFile, ParsedDigest};
use crate::case::manifest::MANIFEST_FILE;
use crate::case::report::{DigestReport, FindingKind};
use crate::case::source::{key_of_s3_uri, CaseDir, EvidenceSource};
use crate::case::verify::ParsedDigests;
use crate::case::walk::{self, Folders};
use crate::parse::{scan_document, RecordItem, RecordSink};

/// LookupEvents pages are a few hundred kilobytes; anything far larger is not one, and is not read.
const MAX_LOOKUP_PAGE_BYTES: u64 = 256 * 1024 * 1024;

/// Every regular file of the case as a case-relative `/`-separated path, except the root
/// `manifest.json`; and the entries not read, with the reason (links out of the case or that do
/// not resolve, special files: [`walk::list`], the rule discovery walks by too). A link within
/// the case is followed; a directory is entered once, so a case cannot loop.
pub(super) fn case_files(case: &Path) -> Result<CaseFiles, IntegrityError> {
    let listed = walk::list(&Folders::of(&[case.to_path_buf()]), case, "")
        .map_err(|walk::ListError { path, source }| IntegrityError::List { path, source })?;
    Ok(CaseFiles {
        files: listed
            .files
            .into_keys()
            .filter(|k| k != MANIFEST_FILE)
            .collect(),
        refused: listed.refused,
    })
}

/// What [`case_files`] found.
pub(super) struct CaseFiles {
    pub files: BTreeSet<String>,
    /// Entries not read, by case-relative path, with the reason.
    pub refused: BTreeMap<String, String>,
}

pub(super) fn digest_key_count(dir: &CaseDir) -> usize {
    dir.keys()
        .iter()
        .filter(|k| chain::is_digest_key(k))
        .count()
}

pub(super) fn log_key_count(dir: &CaseDir) -> usize {
    dir.keys().iter().filter(|k| chain::is_log_key(k)).count()
}

/// Time ranges for the coverage table. A log file's range is the oldest..newest event time its digest
/// states; a log file no digest lists falls back to the delivery time in its name.
pub(super) fn coverage_evidence(
    case: &Path,
    trail: Option<&(DigestReport, CaseDir)>,
    parsed: Option<&ParsedDigests>,
) -> CoverageEvidence {
    let mut evidence = CoverageEvidence::default();
    if let Some(record) = trail.and_then(|(_, dir)| dir.selection_record()) {
        evidence.selected = true;
        evidence.searched_window = searched_window(record);
        evidence.searched = searched_statement(record);
    }
    if let (true, Some((_, dir))) = (evidence.selected, trail) {
        left_out(case, dir, &mut evidence);
    }
    if let Some((report, dir)) = trail {
        trail_evidence(report, dir, parsed, &mut evidence);
    }
    evidence.lookup_events = lookup_events(case);
    evidence
}

/// `given`: the digests the check parsed, by key (one not among them is read and parsed here).
fn trail_evidence(
    report: &DigestReport,
    dir: &CaseDir,
    given: Option<&ParsedDigests>,
    evidence: &mut CoverageEvidence,
) {
    let verified_digests: BTreeSet<&str> = report
        .findings
        .iter()
        .filter(|f| matches!(f.kind, FindingKind::DigestValid | FindingKind::DigestEmpty))
        .map(|f| f.key.as_str())
        .collect();
    let verified_logs = super::verified_log_keys(report);
    let keys = dir.keys();
    let present: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
    let mut listed: BTreeMap<String, (DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
    for key in keys.iter().filter(|k| chain::is_digest_key(k)) {
        let Some(scope) = chain::scope_of(key) else {
            continue;
        };
        let account = account_of(&scope.base);
        evidence
            .trail_regions
            .insert((account.clone(), scope.region.clone()));
        // Malformed digests are already problems of the digest check; here they just cover nothing.
        let read_here;
        let parsed = match given.and_then(|p| p.get(key)) {
            Some(given) => given,
            None => {
                let Ok(digest) = dir
                    .read(key)
                    .map_err(|e| e.to_string())
                    .and_then(|b| ParsedDigest::parse(&b).map_err(|e| e.to_string()))
                else {
                    continue;
                };
                read_here = digest;
                &read_here
            }
        };
        if verified_digests.contains(key.as_str()) {
            evidence.verified_digests.push(TimeRange {
                account: account.clone(),
                region: scope.region.clone(),
                start: parsed.start,
                end: parsed.end,
            });
        }
        for log in &parsed.file.log_files {
            let log_key = log.s3_object.as_str();
            let stated = event_range(log);
            if let Some(range) = stated {
                listed.entry(log.s3_object.clone()).or_insert(range);
            }
            if present.contains(log_key) {
                continue;
            }
            let at = |(start, end)| TimeRange {
                account: account.clone(),
                region: scope.region.clone(),
                start,
                end,
            };
            if dir.selection().is_some_and(|s| !s.contains(log_key)) {
                // Listed, and left out by an Athena search: its hours had activity.
                evidence.outside_selection.extend(stated.map(at));
            } else {
                // Listed, and the case lacks it: its hours had activity, whose records are
                // missing.
                evidence.missing_files.push(MissingLogFile {
                    key: log_key.to_owned(),
                    listed_in: key.clone(),
                });
                let range = stated.or_else(|| chain::log_file_time(log_key).map(|t| (t, t)));
                evidence.missing_logs.extend(range.map(at));
            }
        }
    }
    for key in keys.iter().filter(|k| chain::is_log_key(k)) {
        let Some(scope) = chain::scope_of(key) else {
            continue;
        };
        let account = account_of(&scope.base);
        evidence
            .trail_regions
            .insert((account.clone(), scope.region.clone()));
        let range = listed
            .get(key)
            .copied()
            .or_else(|| chain::log_file_time(key).map(|t| (t, t)));
        let Some((start, end)) = range else {
            continue;
        };
        let range = TimeRange {
            account,
            region: scope.region,
            start,
            end,
        };
        if verified_logs.contains(key) {
            evidence.verified_logs.push(range);
        } else {
            evidence.unverified_logs.push(range);
        }
    }
}

/// A listed log file's event range as its digest states it (oldest..newest event time).
fn event_range(log: &DigestLogFile) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (oldest, newest) = (log.oldest_event()?, log.newest_event()?);
    Some((oldest.min(newest), oldest.max(newest)))
}

/// What an Athena search of the case covered (`athena/selection.json`), in one clause: the
/// account-regions without evidence were searched but hold no file, so the table above does not
/// examine them.
fn searched_statement(doc: &serde_json::Value) -> Option<String> {
    let searched = doc.get("searched")?;
    let count = |k: &str| searched.get(k).and_then(|v| v.as_array()).map(Vec::len);
    let accounts = match count("accounts") {
        Some(n) => format!("{n} account(s)"),
        None => "every account under the table's location".to_string(),
    };
    let regions = match count("regions") {
        Some(n) => format!("{n} region(s)"),
        None => "every region".to_string(),
    };
    Some(format!(
        "Athena searched {accounts} × {regions} from {} to {} (table {}); only the accounts and regions where it found evidence are in the case and examined here, the others were searched and held none",
        doc.pointer("/window/from")?.as_str()?,
        doc.pointer("/window/to")?.as_str()?,
        doc.get("table")?.as_str()?
    ))
}

/// The trail files listed beside the selected ones and left out (`athena/left-out-*.json`),
/// at their delivery time: their hours had activity, even where no digest lists them.
fn left_out(case: &Path, dir: &CaseDir, evidence: &mut CoverageEvidence) {
    let Ok(entries) = std::fs::read_dir(case.join("athena")) else {
        return;
    };
    let folders = Folders::of(&[case.to_path_buf()]);
    let mut names: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    for path in names.iter().filter(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("left-out-") && n.ends_with(".json"))
    }) {
        // A link out of the case is not read (the case's file list names it).
        let Some(doc) = walk::readable_file(&folders, path)
            .then(|| std::fs::read(path).ok())
            .flatten()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        else {
            continue;
        };
        for uri in doc["objects"].as_array().into_iter().flatten() {
            let Some(key) = uri.as_str().and_then(key_of_s3_uri) else {
                continue;
            };
            if dir.open(key).is_ok() {
                continue;
            }
            let (Some(scope), Some(t)) = (chain::scope_of(key), chain::log_file_time(key)) else {
                continue;
            };
            evidence.outside_selection.push(TimeRange {
                account: account_of(&scope.base),
                region: scope.region,
                start: t,
                end: t,
            });
        }
    }
}

/// The `window` of `athena/selection.json`.
fn searched_window(doc: &serde_json::Value) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let at = |k: &str| {
        DateTime::parse_from_rfc3339(doc.pointer(&format!("/window/{k}"))?.as_str()?)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    Some((at("from")?, at("to")?))
}

/// The account of a trail scope (`AWSLogs/<account>` or `AWSLogs/<org>/<account>`).
fn account_of(base: &str) -> String {
    base.rsplit('/').next().unwrap_or_default().to_owned()
}

/// Collects the region and time of every record of a LookupEvents page.
struct Times(Vec<TimeRange>);

impl RecordSink for Times {
    fn record(&mut self, item: RecordItem<'_>) {
        let Some(at) = DateTime::from_timestamp_millis(item.time.millis()) else {
            return;
        };
        let region = item.view.region.as_str().unwrap_or("unknown").to_owned();
        self.0.push(TimeRange {
            account: String::new(),
            region,
            start: at,
            end: at,
        });
    }
}

/// The records of every `*.json` under the case's `lookup-events/`. Unreadable pages are skipped:
/// they hold no coverage, and reading them is the timeline's job, which reports them as gaps.
fn lookup_events(case: &Path) -> Vec<TimeRange> {
    let mut times = Times(Vec::new());
    // The pages the case's file list holds: a link out of the case is not read here either.
    let root = case.join("lookup-events");
    let mut pages: Vec<_> = walk::list(&Folders::of(&[case.to_path_buf()]), &root, "")
        .map(|listed| listed.files.into_values().collect())
        .unwrap_or_default();
    pages.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "json"));
    pages.sort();
    for (n, page) in pages.iter().enumerate() {
        let mut bytes = Vec::new();
        let read = fs::File::open(page)
            .and_then(|f| f.take(MAX_LOOKUP_PAGE_BYTES).read_to_end(&mut bytes));
        if read.is_ok() {
            let name = page.file_name().unwrap_or_default().to_string_lossy();
            scan_document(
                &bytes,
                u32::try_from(n).unwrap_or(u32::MAX),
                &name,
                &mut times,
            );
        }
    }
    times.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::verify::verify_digests_alone_parsed;

    /// The coverage's evidence from the digests the check parsed is what it reads of them itself,
    /// given all, some or none of them (a digest not given is read and parsed here).
    #[test]
    fn digests_given_by_the_check_give_what_reading_them_again_gives() {
        let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/incident-01");
        let dir = CaseDir::open(&case).unwrap();
        let (report, mut parsed) = verify_digests_alone_parsed(&dir);
        assert!(parsed.len() >= 6, "the sample's digests: {}", parsed.len());
        let trail = (report, dir);
        let read = coverage_evidence(&case, Some(&trail), None);
        assert!(!read.verified_digests.is_empty() && !read.unverified_logs.is_empty());
        assert_eq!(coverage_evidence(&case, Some(&trail), Some(&parsed)), read);
        let half = parsed.keys().nth(parsed.len() / 2).unwrap().clone();
        let kept = parsed.split_off(&half);
        assert!(!parsed.is_empty() && !kept.is_empty());
        assert_eq!(coverage_evidence(&case, Some(&trail), Some(&kept)), read);
    }
}
