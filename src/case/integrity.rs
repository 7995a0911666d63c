//! One integrity verdict for a whole evidence case: the manifest's sizes and hashes, the CloudTrail
//! digests (signatures, chain, log files), and which region-hours of the incident window the evidence
//! covers. What `trailcase verify` prints and what the report's integrity section will read.
//!
//! Reads the case directory and nothing else: no network, no clock, no environment; returns data and
//! never prints (rendering is in [`text`] and the caller's JSON serializer).

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::public_keys::SAMPLE_TEST_KEY_NOTE;
use super::report::{ChainSummary, DigestReport, DigestSummary, FindingKind};
use super::source::{CaseDir, CaseDirError};
use super::verify::{verify_digests, verify_digests_alone, verify_digests_alone_parsed};

mod coverage;
mod gather;
mod manifest_check;
mod outside;
pub mod records;
pub mod text;

pub use coverage::{
    compute_coverage, coverage_of_root, trail_coverage, trail_coverage_of, Coverage,
    CoverageEvidence, CoverageRun, CoverageTotals, CoverageWindow, HourCoverage, RegionCoverage,
    TimeRange,
};
pub use manifest_check::{check_manifest, ManifestCheck, ManifestFindingKind};
pub use outside::{is_case_dir, outside_inputs, outside_record_files, OutsideInputs};
pub use records::HoldsRecords;

/// The version of the JSON form of [`IntegrityReport`].
pub const INTEGRITY_SCHEMA_VERSION: u32 = 1;

/// Why a case could not be checked at all (as opposed to problems found in it).
#[derive(Debug, thiserror::Error)]
pub enum IntegrityError {
    #[error("case directory {0} does not exist")]
    NotFound(PathBuf),
    #[error("{0} is not a directory: a case is a directory (manifest.json, cloudtrail/, lookup-events/, ...)")]
    NotADirectory(PathBuf),
    #[error("cannot list {path}")]
    List {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the coverage window is empty: it starts at {from} and ends at {to}; give a --to later than --from")]
    EmptyWindow { from: String, to: String },
    #[error("the coverage window spans {hours} hours; at most {max} can be checked, narrow it with --from/--to")]
    WindowTooLong { hours: i64, max: i64 },
    #[error("the coverage window reaches {at}, past the last hour that can be counted; narrow it with --from/--to")]
    WindowOutOfRange { at: String },
}

impl From<CaseDirError> for IntegrityError {
    fn from(e: CaseDirError) -> Self {
        match e {
            CaseDirError::NoCloudTrail(path) => IntegrityError::NotFound(path.join("cloudtrail")),
            CaseDirError::NoAwsLogs(path) => IntegrityError::NotFound(path.join("AWSLogs")),
            CaseDirError::List { path, source } => IntegrityError::List { path, source },
        }
    }
}

/// What to check beyond the case itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntegrityOptions {
    /// Start of the incident window; default: the start of the trail evidence in the case.
    pub from: Option<DateTime<Utc>>,
    /// End of the incident window; default: the end of the trail evidence in the case.
    pub to: Option<DateTime<Utc>>,
}

/// Whether a group of checks could run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Checked,
    /// The case has nothing to check this way (a hand-built case has no manifest): not a failure.
    NotApplicable,
    /// The evidence for this check exists but is unusable (an unreadable manifest).
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictStatus {
    /// Every check that applies passed, and at least one applies.
    Verified,
    /// Every check that applies passed, but some files hold records that no digest verified
    /// ([`IntegrityReport::unverified_record_files`]): their records are not verified.
    PartlyVerified,
    ProblemsFound,
    /// Neither a manifest nor digests to check the evidence against.
    NotVerifiable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub status: VerdictStatus,
    /// The verdict in one line, e.g. `problems found: 2 (manifest hash_mismatch 1, digest log_file_modified 1)`.
    pub line: String,
    /// For `not_verifiable`: exactly what the case lacks.
    pub missing: Vec<String>,
}

/// Which group of checks an issue comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Manifest,
    Digest,
    Coverage,
    /// The case's files as found on disk (before any check reads them).
    Files,
}

/// What the walk of the case's files found that it did not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFindingKind {
    /// A symbolic link out of the case or that does not resolve, or a FIFO, socket or device:
    /// never opened, so no check covers it.
    NotRead,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageFindingKind {
    /// Hours of the window with no evidence at all, in a region the trail records.
    NoEvidence,
    /// Hours covered only by LookupEvents records: management events only, with no integrity proof.
    LookupEventsOnly,
}

/// The kind of an issue, serialized as the inner kind's snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(untagged)]
pub enum IssueKind {
    Manifest(ManifestFindingKind),
    Digest(FindingKind),
    Coverage(CoverageFindingKind),
    Files(FileFindingKind),
}

impl IssueKind {
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// One problem or note about one file (or, for coverage, one region).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Issue {
    /// Case-relative, `/`-separated path of the file; for coverage issues, `region <name>`.
    pub subject: String,
    pub check: Check,
    pub kind: IssueKind,
    pub detail: String,
}

/// The digest checks as the case report shows them: the existing verification's counts and chains; its
/// findings are folded into [`IntegrityReport::problems`] and [`IntegrityReport::notes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestCheck {
    pub status: CheckStatus,
    /// Why the check does not apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub summary: DigestSummary,
    pub chains: Vec<ChainSummary>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Files in the case directory, `manifest.json` excepted.
    pub files: usize,
    pub problems: usize,
    pub notes: usize,
    /// CloudTrail log files in the case.
    pub log_files: usize,
    /// Of them, those a verified digest vouches for.
    pub log_files_verified: usize,
    /// Files that hold records (what `timeline` and `report` read) that no verified digest
    /// vouches for: [`IntegrityReport::unverified_record_files`].
    pub record_files_unverified: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntegrityReport {
    /// Always [`INTEGRITY_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The case directory as it was given.
    pub case: String,
    pub verdict: Verdict,
    pub counts: Counts,
    pub manifest: ManifestCheck,
    pub digests: DigestCheck,
    pub coverage: Coverage,
    /// Sorted by subject, check, kind, detail.
    pub problems: Vec<Issue>,
    /// Facts worth knowing that are not problems (a chain that starts before the case, logs delivered after
    /// the last digest, hours covered only by LookupEvents). Same order.
    pub notes: Vec<Issue>,
    /// Case-relative paths of the log files a verified digest vouches for, sorted.
    pub verified_log_files: BTreeSet<String>,
    /// Case-relative paths (sorted) of the files that hold records the analysis reads and that no
    /// verified digest vouches for: a trail file delivered after the newest digest or listed in
    /// none, a modified one, a record file of another name or outside `cloudtrail/`, a LookupEvents
    /// page no manifest vouches for (see [`records`]). Their records are not verified. A file of
    /// an input given outside the case (`verify CASE extra.json.gz`) is here too, by its path as
    /// given: no digest or manifest of the case covers it.
    pub unverified_record_files: Vec<String>,
}

impl IntegrityReport {
    /// Case-relative (`cloudtrail/AWSLogs/...`) paths of the log files whose content a verified digest
    /// vouches for: what an evidence table row checks its record's file against.
    pub fn verified_files(&self) -> &BTreeSet<String> {
        &self.verified_log_files
    }

    pub fn is_verified(&self) -> bool {
        self.verdict.status == VerdictStatus::Verified
    }
}

/// Digest findings that are the routine outcome of a check that passed: counted, not listed as notes.
fn is_routine(kind: FindingKind) -> bool {
    matches!(
        kind,
        FindingKind::DigestValid
            | FindingKind::DigestEmpty
            | FindingKind::ChainStart
            | FindingKind::LogFileValid
    )
}

/// Case-relative path of a key under `cloudtrail/` (the findings' keys are paths under it).
fn case_path(key: &str) -> String {
    format!("{}/{key}", super::key_path::TRAIL_DIR)
}

/// Log-file keys (under `cloudtrail/`) that a verified digest vouches for and that no check faults.
pub fn verified_log_keys(report: &DigestReport) -> BTreeSet<String> {
    let faulted: BTreeSet<&str> = report
        .findings
        .iter()
        .filter(|f| f.kind.is_problem())
        .map(|f| f.key.as_str())
        .collect();
    report
        .findings_of(FindingKind::LogFileValid)
        .filter(|f| !faulted.contains(f.key.as_str()))
        .map(|f| f.key.clone())
        .collect()
}

/// Given a case directory, the case-relative paths (`cloudtrail/AWSLogs/...`) of the log files verified by
/// digests. Runs only the digest checks; a case without `cloudtrail/` has none.
pub fn verified_log_files(case: &Path) -> Result<BTreeSet<String>, IntegrityError> {
    if !case.join("cloudtrail").is_dir() {
        ensure_case_dir(case)?;
        return Ok(BTreeSet::new());
    }
    let report = verify_digests(&CaseDir::open(case)?);
    Ok(verified_log_keys(&report)
        .iter()
        .map(|k| case_path(k))
        .collect())
}

/// The coverage table of [`verify_case`] for the timeline's summary ([`trail_coverage`]), without
/// reading the trail's log files: the digests' signatures and chains are checked, the log files'
/// content is not, so every log file counts as unverified. The summary is the same as from
/// [`verify_case`]'s table: it names the hours that hold no trail file (gaps) and those a verified
/// digest proves empty, and an hour that holds a trail file is neither, verified or not. Fails
/// where [`verify_case`] fails.
pub fn coverage_of_case(
    case: &Path,
    options: &IntegrityOptions,
) -> Result<Coverage, IntegrityError> {
    ensure_case_dir(case)?;
    gather::case_files(case)?;
    // The digests parsed once: checked, then read for their time ranges.
    let (trail, parsed) = match trail_of(case, verify_digests_alone_parsed)? {
        Some(((report, parsed), dir)) => (Some((report, dir)), Some(parsed)),
        None => (None, None),
    };
    let evidence = gather::coverage_evidence(case, trail.as_ref(), parsed.as_ref());
    compute_coverage(&evidence, options)
}

/// [`coverage_of_case`] for a folder that is no case but holds trail files in the S3 key layout
/// at its top (`<dir>/AWSLogs/...`, as `aws s3 sync s3://BUCKET DIR` leaves them): the same
/// table over its `AWSLogs/` keys. Its digests are checked with the public keys among its keys
/// (a synced bucket has none, so no hour is proven empty and every hole is a gap).
pub fn coverage_of_synced(
    dir: &Path,
    options: &IntegrityOptions,
) -> Result<Coverage, IntegrityError> {
    ensure_case_dir(dir)?;
    let source = CaseDir::open_synced(dir)?;
    let (report, parsed) = verify_digests_alone_parsed(&source);
    let trail = (report, source);
    let evidence = gather::coverage_evidence(dir, Some(&trail), Some(&parsed));
    compute_coverage(&evidence, options)
}

/// The case's `cloudtrail/` folder and what `verify` found in it; `None` when it has none.
fn trail_of<T>(
    case: &Path,
    verify: impl FnOnce(&CaseDir) -> T,
) -> Result<Option<(T, CaseDir)>, IntegrityError> {
    if !case.join("cloudtrail").is_dir() {
        return Ok(None);
    }
    let dir = CaseDir::open(case)?;
    Ok(Some((verify(&dir), dir)))
}

fn ensure_case_dir(case: &Path) -> Result<(), IntegrityError> {
    match std::fs::metadata(case) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(IntegrityError::NotADirectory(case.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Err(IntegrityError::NotFound(case.to_path_buf()))
        }
        Err(source) => Err(IntegrityError::List {
            path: case.to_path_buf(),
            source,
        }),
    }
}

/// Check a whole case directory. `records` says which of its files hold records the analysis
/// reads (see [`HoldsRecords`]): those no verified digest vouches for make the verdict
/// "partly verified".
pub fn verify_case(
    case: &Path,
    options: &IntegrityOptions,
    reader: &dyn HoldsRecords,
) -> Result<IntegrityReport, IntegrityError> {
    ensure_case_dir(case)?;
    let gather::CaseFiles { files, refused } = gather::case_files(case)?;
    let manifest = check_manifest(case, &files, &refused);

    let trail = trail_of(case, verify_digests)?;
    let digest_keys = trail
        .as_ref()
        .map(|(_, dir)| gather::digest_key_count(dir))
        .unwrap_or(0);
    // A synced trail bucket (`AWSLogs/` at the top, no `cloudtrail/`): its keys give the
    // coverage; its digests are not checked (no public keys go with a synced bucket).
    let synced = match &trail {
        None if case.join(super::source::SYNCED_TOP).is_dir() => {
            let source = CaseDir::open_synced(case)?;
            Some((verify_digests_alone(&source), source))
        }
        _ => None,
    };
    let digests = match &trail {
        None => DigestCheck {
            status: CheckStatus::NotApplicable,
            reason: Some(if synced.is_some() {
                "the case has no cloudtrail/ folder (the AWSLogs/ folder at its top gives the coverage by region-hour; its digests are not checked: put it under cloudtrail/ with public-keys.json to check them)".into()
            } else {
                "the case has no cloudtrail/ folder".into()
            }),
            summary: DigestSummary::default(),
            chains: Vec::new(),
        },
        Some((report, _)) => DigestCheck {
            status: if digest_keys == 0 {
                CheckStatus::NotApplicable
            } else {
                CheckStatus::Checked
            },
            reason: (digest_keys == 0).then(|| {
                "no CloudTrail digest file under cloudtrail/ (log file validation off, or the digests were not collected)".into()
            }),
            summary: report.summary.clone(),
            chains: report.chains.clone(),
        },
    };

    let mut problems = manifest.problems.clone();
    problems.extend(refused.into_iter().map(|(subject, detail)| Issue {
        subject,
        check: Check::Files,
        kind: IssueKind::Files(FileFindingKind::NotRead),
        detail,
    }));
    let mut notes = Vec::new();
    let mut verified_log_files = BTreeSet::new();
    let mut log_files = 0;
    if let Some((report, dir)) = &trail {
        for f in &report.findings {
            // With no digest at all, "no public keys" says nothing the missing digests do not.
            if digest_keys == 0 && f.kind == FindingKind::PublicKeysMissing {
                continue;
            }
            if is_routine(f.kind) {
                continue;
            }
            let issue = Issue {
                subject: case_path(&f.key),
                check: Check::Digest,
                kind: IssueKind::Digest(f.kind),
                detail: f.detail.clone(),
            };
            if f.kind.is_problem() {
                problems.push(issue);
            } else {
                notes.push(issue);
            }
        }
        verified_log_files = verified_log_keys(report)
            .iter()
            .map(|k| case_path(k))
            .collect();
        log_files = gather::log_key_count(dir);
    } else if let Some((_, dir)) = &synced {
        log_files = gather::log_key_count(dir);
    }

    let evidence = gather::coverage_evidence(case, trail.as_ref().or(synced.as_ref()), None);
    let coverage = compute_coverage(&evidence, options)?;
    let (coverage_problems, coverage_notes) = coverage::issues(&coverage);
    problems.extend(coverage_problems);
    notes.extend(coverage_notes);
    problems.sort();
    problems.dedup();
    notes.sort();
    notes.dedup();

    let unverified_record_files =
        records::unverified_record_files(case, &files, &verified_log_files, &manifest, reader);
    let verdict = verdict(&manifest, &digests, &problems, &unverified_record_files);
    Ok(IntegrityReport {
        schema_version: INTEGRITY_SCHEMA_VERSION,
        case: case.display().to_string(),
        verdict,
        counts: Counts {
            files: files.len(),
            problems: problems.len(),
            notes: notes.len(),
            log_files,
            log_files_verified: verified_log_files.len(),
            record_files_unverified: unverified_record_files.len(),
        },
        manifest,
        digests,
        coverage,
        problems,
        notes,
        verified_log_files,
        unverified_record_files,
    })
}

/// What the verdict says of the keys (other than the sample's test key) the digests verified
/// with: their fingerprints, and that whether they are AWS CloudTrail's keys was not examined:
/// they come from the case's own `public-keys.json`, which whoever could write the case could
/// have replaced with a key of their own, and the digests re-signed with it.
pub fn key_note(summary: &DigestSummary) -> Option<String> {
    let keys = summary.keys_not_examined();
    if keys.is_empty() {
        return None;
    }
    let digests = summary.digests_verified - summary.digests_verified_with_sample_test_key;
    let (which, whether) = match keys.len() {
        1 => ("the key", "it is an AWS CloudTrail key"),
        _ => ("the keys", "they are AWS CloudTrail keys"),
    };
    Some(format!(
        "{digests} digest(s) signed with {which} {} from the case's public-keys.json; whether {whether} was not examined offline: compare with the Fingerprint values that `aws cloudtrail list-public-keys` returns",
        keys.join(", ")
    ))
}

fn verdict(
    manifest: &ManifestCheck,
    digests: &DigestCheck,
    problems: &[Issue],
    unverified_records: &[String],
) -> Verdict {
    let mut missing = Vec::new();
    if manifest.status != CheckStatus::Checked {
        missing.push(
            manifest
                .reason
                .clone()
                .unwrap_or_else(|| "no usable manifest.json".into()),
        );
    }
    if digests.status != CheckStatus::Checked {
        missing.push(
            digests
                .reason
                .clone()
                .unwrap_or_else(|| "no CloudTrail digest".into()),
        );
    }
    let verifiable =
        manifest.status == CheckStatus::Checked || digests.status == CheckStatus::Checked;
    if !verifiable {
        return Verdict {
            status: VerdictStatus::NotVerifiable,
            line: format!("not verifiable: {}", missing.join("; ")),
            missing,
        };
    }
    // Wherever the sample's test key vouched for a digest, the verdict says whose key it was;
    // wherever another key did, which key, and that offline nothing shows it is AWS's.
    let mut keys = Vec::new();
    if let Some(note) = key_note(&digests.summary) {
        keys.push(note);
    }
    if digests.summary.digests_verified_with_sample_test_key > 0 {
        keys.push(format!(
            "{} digest(s) {SAMPLE_TEST_KEY_NOTE}",
            digests.summary.digests_verified_with_sample_test_key
        ));
    }
    let test_key = if keys.is_empty() {
        String::new()
    } else {
        format!(" ({})", keys.join("; "))
    };
    // Records the analysis reads from files no digest verified are not verified, whatever else
    // checked out: the verdict says how many files, and names the first few.
    let records = match unverified_records.len() {
        0 => String::new(),
        n => format!(
            "{n} file(s) holding records not verified by any digest ({})",
            records::first_few(unverified_records)
        ),
    };
    if problems.is_empty() && records.is_empty() {
        return Verdict {
            status: VerdictStatus::Verified,
            line: format!("verified{test_key}"),
            missing: Vec::new(),
        };
    }
    if problems.is_empty() {
        return Verdict {
            status: VerdictStatus::PartlyVerified,
            line: format!("partly verified: {records}; every other check passed{test_key}"),
            missing: Vec::new(),
        };
    }
    let records = if records.is_empty() {
        records
    } else {
        format!("; {records}")
    };
    let mut by_kind: std::collections::BTreeMap<(Check, IssueKind), usize> = Default::default();
    for p in problems {
        *by_kind.entry((p.check, p.kind)).or_default() += 1;
    }
    let parts: Vec<String> = by_kind
        .iter()
        .map(|((check, kind), n)| {
            let check = serde_json::to_value(check)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            format!("{check} {} {n}", kind.name())
        })
        .collect();
    Verdict {
        status: VerdictStatus::ProblemsFound,
        line: format!(
            "problems found: {} ({}){records}{test_key}",
            problems.len(),
            parts.join(", ")
        ),
        missing: Vec::new(),
    }
}
