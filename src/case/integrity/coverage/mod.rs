//! Time coverage of the incident window: for each region and hour, the best evidence the case holds.
//!
//! Pure: time ranges in, a table of runs out. An hour is covered by verified logs when a digest-verified log
//! file's event range touches it; "verified, no activity" when it lies wholly inside the periods of verified
//! digests of its region but no verified log file touches it (a digest lists every file delivered in its
//! period, so an empty stretch is proven empty); otherwise by unverified trail logs, by LookupEvents records
//! only, or by nothing. Accounts are kept apart: one row per account and region (LookupEvents records count for every account of
//! their region).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, DurationRound as _, Utc};
use serde::Serialize;

mod summary;

pub use summary::{coverage_of_root, trail_coverage, trail_coverage_of};

use super::{Check, CoverageFindingKind, IntegrityError, IntegrityOptions, Issue, IssueKind};

/// About 400 days: more is not an incident window, and the table would be unreadable.
const MAX_WINDOW_HOURS: i64 = 24 * 400;

/// A period between two instants.
type Period = (DateTime<Utc>, DateTime<Utc>);

/// Evidence in one region between two instants (equal for a single record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRange {
    /// The account of the trail key (`AWSLogs/<account>/...`); empty for LookupEvents records,
    /// which count for every account of their region.
    pub account: String,
    pub region: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// What the case holds, as time ranges per region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageEvidence {
    /// Log files a verified digest vouches for: their event range.
    pub verified_logs: Vec<TimeRange>,
    /// Other log files present: their event range as a digest states it, else their delivery time.
    pub unverified_logs: Vec<TimeRange>,
    /// Periods (digestStartTime..digestEndTime) of verified digests.
    pub verified_digests: Vec<TimeRange>,
    /// LookupEvents records: their eventTime.
    pub lookup_events: Vec<TimeRange>,
    /// (account, region) pairs with trail log files or digests in the case: there, an hour with
    /// nothing is a gap.
    pub trail_regions: BTreeSet<(String, String)>,
    /// The case holds the files an Athena search chose (`collect --athena`): an hour whose
    /// files a verified digest lists but the search left out held no evidence, which is neither
    /// a gap nor "no activity".
    pub selected: bool,
    /// Log files a verified digest lists that the search left out: their event range.
    pub outside_selection: Vec<TimeRange>,
    /// Log files a digest lists that the case lacks (and no Athena search left out): their
    /// event range as the digest states it, else their delivery time. Their hours had activity.
    pub missing_logs: Vec<TimeRange>,
    /// The same files by key (`AWSLogs/...`), each with the key of a digest that lists it.
    pub missing_files: Vec<MissingLogFile>,
    /// The window the Athena search covered (`athena/selection.json`): the default window of a
    /// selected case, whose files span only the evidence.
    pub searched_window: Option<Period>,
    /// What the Athena search covered, in one clause, for the coverage statement.
    pub searched: Option<String>,
}

/// What the evidence for one region-hour proves, strongest first. An hour takes the weakest
/// state its trail files give it (a missing file, then an unverified one, before a verified
/// one), and only an hour without trail files the weaker states that follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HourCoverage {
    Verified,
    /// The case holds an Athena search's selection; a verified digest lists files of this hour
    /// that the search left out (it found no evidence in them) and no file of the case has it.
    SearchedNotSelected,
    VerifiedNoActivity,
    UnverifiedLogs,
    /// A digest lists files for the hour that the case lacks: the hour had activity whose
    /// records are missing, in part or in whole (never "no activity", never "verified", even
    /// when other files of the hour are verified).
    LogFilesMissing,
    LookupEventsOnly,
    Nothing,
}

impl HourCoverage {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Verified => "verified log files",
            Self::SearchedNotSelected => {
                "searched by Athena, no evidence found (its files were not fetched)"
            }
            Self::VerifiedNoActivity => "verified digests, no log file (no activity)",
            Self::UnverifiedLogs => "log files not verified by a digest",
            Self::LogFilesMissing => "log files a digest lists are missing from the case",
            Self::LookupEventsOnly => "LookupEvents only (management events, no integrity proof)",
            Self::Nothing => "nothing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageWindow {
    /// Start of the first hour, RFC 3339.
    pub from: String,
    /// End of the last hour (exclusive), RFC 3339.
    pub to: String,
    pub hours: usize,
    /// `flags` (--from/--to), `trail files`, or `lookup events`.
    pub source: String,
}

/// Consecutive hours of one region with the same coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageRun {
    pub from: String,
    pub to: String,
    pub hours: usize,
    pub coverage: HourCoverage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionCoverage {
    /// The account of the trail keys; empty for a region covered only by LookupEvents records.
    pub account: String,
    pub region: String,
    /// The case holds trail log files or digests for this region.
    pub trail: bool,
    /// In time order, covering the whole window.
    pub runs: Vec<CoverageRun>,
}

impl RegionCoverage {
    /// The coverage of the hour starting at `hour` (RFC 3339, as in the runs), if inside the window.
    pub fn at(&self, hour: &str) -> Option<HourCoverage> {
        self.runs
            .iter()
            .find(|r| r.from.as_str() <= hour && hour < r.to.as_str())
            .map(|r| r.coverage)
    }
}

/// Region-hours by coverage (each account's region-hours counted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CoverageTotals {
    pub verified: usize,
    pub searched_not_selected: usize,
    pub verified_no_activity: usize,
    pub unverified_logs: usize,
    pub log_files_missing: usize,
    pub lookup_events_only: usize,
    pub nothing: usize,
}

/// A log file a digest lists that the case lacks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MissingLogFile {
    /// Its key under the case's `cloudtrail/` folder (`AWSLogs/...`).
    pub key: String,
    /// The key of a digest that lists it.
    pub listed_in: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// `None` when the case holds no timed evidence and no window was given.
    pub window: Option<CoverageWindow>,
    /// Sorted by region.
    pub regions: Vec<RegionCoverage>,
    pub totals: CoverageTotals,
    /// What an Athena search of the case covered (a selected case only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub searched: Option<String>,
    /// Log files a digest lists that the case lacks (and no Athena search left out), once
    /// each, sorted: their records are missing. Absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_log_files: Vec<MissingLogFile>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn floor_hour(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::hours(1)).unwrap_or(t)
}

/// The hour at or after `t`; `None` past the last one a time can hold (a record's time of year
/// 262142, which a numeric `eventTime` can give).
fn ceil_hour(t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let floor = floor_hour(t);
    if floor == t {
        Some(t)
    } else {
        floor.checked_add_signed(Duration::hours(1))
    }
}

fn span<'a>(ranges: impl Iterator<Item = &'a TimeRange>) -> Option<Period> {
    ranges.fold(None, |acc, r| match acc {
        None => Some((r.start, r.end)),
        Some((a, b)) => Some((a.min(r.start), b.max(r.end))),
    })
}

/// The window in whole hours: the flags where given, else the window an Athena search covered, else the
/// span of the trail log files, else of the LookupEvents records.
fn window(
    evidence: &CoverageEvidence,
    options: &IntegrityOptions,
) -> Result<Option<(Period, &'static str)>, IntegrityError> {
    let logs = evidence
        .verified_logs
        .iter()
        .chain(&evidence.unverified_logs)
        .chain(&evidence.missing_logs);
    let (default, source) = match (evidence.searched_window, span(logs)) {
        (Some(w), _) => (Some(w), "the Athena search"),
        (None, Some(s)) => (Some(s), "trail files"),
        (None, None) => (span(evidence.lookup_events.iter()), "lookup events"),
    };
    let source = if options.from.is_some() || options.to.is_some() {
        "flags"
    } else {
        source
    };
    let from = options.from.or(default.map(|d| d.0));
    let to = options.to.or(default.map(|d| d.1));
    let (Some(from), Some(to)) = (from, to) else {
        return Ok(None);
    };
    // A window the flags give must have a length: `--from T --to T` was taken as the hour of T
    // while `--from` after `--to` was refused. (A default window from evidence at one instant
    // still means its hour, below.)
    let both_flags = options.from.is_some() && options.to.is_some();
    if to < from || (both_flags && to == from) {
        return Err(IntegrityError::EmptyWindow {
            from: rfc3339(from),
            to: rfc3339(to),
        });
    }
    let start = floor_hour(from);
    let end = ceil_hour(to)
        // A window inside one instant on the hour still means that hour.
        .and_then(|end| {
            if end == start {
                start.checked_add_signed(Duration::hours(1))
            } else {
                Some(end)
            }
        })
        .ok_or_else(|| IntegrityError::WindowOutOfRange { at: rfc3339(to) })?;
    let hours = (end - start).num_hours();
    if hours > MAX_WINDOW_HOURS {
        return Err(IntegrityError::WindowTooLong {
            hours,
            max: MAX_WINDOW_HOURS,
        });
    }
    Ok(Some(((start, end), source)))
}

fn touches(r: &TimeRange, hour: DateTime<Utc>) -> bool {
    r.start < hour + Duration::hours(1) && r.end >= hour
}

/// Merge periods into disjoint intervals; digests of one chain meet end to start, so allow a small seam.
fn merged(mut periods: Vec<Period>) -> Vec<Period> {
    periods.sort();
    let mut out: Vec<Period> = Vec::new();
    for (start, end) in periods {
        match out.last_mut() {
            Some(last) if start <= last.1 + Duration::seconds(5) => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// Compute the coverage table.
pub fn compute_coverage(
    evidence: &CoverageEvidence,
    options: &IntegrityOptions,
) -> Result<Coverage, IntegrityError> {
    let mut missing_log_files = evidence.missing_files.clone();
    missing_log_files.sort();
    missing_log_files.dedup_by(|a, b| a.key == b.key);
    let Some(((start, end), source)) = window(evidence, options)? else {
        return Ok(Coverage {
            missing_log_files,
            ..Coverage::default()
        });
    };
    let hours: Vec<DateTime<Utc>> = (0..(end - start).num_hours())
        .map(|h| start + Duration::hours(h))
        .collect();

    // Keyed by (account, region): accounts are kept apart.
    let mut by_region: BTreeMap<(&str, &str), [Vec<&TimeRange>; 4]> = BTreeMap::new();
    for (account, region) in &evidence.trail_regions {
        by_region.entry((account, region)).or_default();
    }
    let mut digests: BTreeMap<(&str, &str), Vec<Period>> = BTreeMap::new();
    for d in &evidence.verified_digests {
        let key = (d.account.as_str(), d.region.as_str());
        digests.entry(key).or_default().push((d.start, d.end));
        by_region.entry(key).or_default();
    }
    for (i, list) in [
        &evidence.verified_logs,
        &evidence.unverified_logs,
        &evidence.missing_logs,
    ]
    .into_iter()
    .enumerate()
    {
        for r in list {
            by_region.entry((&r.account, &r.region)).or_default()[i].push(r);
        }
    }
    // A LookupEvents record counts for every account of its region, or for its region alone.
    for r in &evidence.lookup_events {
        let keys: Vec<(&str, &str)> = by_region
            .keys()
            .filter(|(_, region)| *region == r.region)
            .copied()
            .collect();
        if keys.is_empty() {
            by_region.entry(("", &r.region)).or_default()[3].push(r);
        }
        for key in keys {
            by_region.entry(key).or_default()[3].push(r);
        }
    }

    let mut coverage = Coverage {
        window: Some(CoverageWindow {
            from: rfc3339(start),
            to: rfc3339(end),
            hours: hours.len(),
            source: source.into(),
        }),
        searched: evidence.searched.clone(),
        missing_log_files,
        ..Coverage::default()
    };
    for ((account, region), [verified, unverified, missing, lookup]) in by_region {
        let proven = merged(digests.remove(&(account, region)).unwrap_or_default());
        let mut runs: Vec<CoverageRun> = Vec::new();
        for &hour in &hours {
            let next = hour + Duration::hours(1);
            let left_out =
                |r: &&TimeRange| r.account == account && r.region == region && touches(r, hour);
            // An hour is as good as the weakest of its trail files: one verified file does not
            // vouch for the rest of the hour.
            let state = if missing.iter().any(|r| touches(r, hour)) {
                // A digest lists files for the hour that the case lacks: some or all of its
                // records are missing, whatever else the case holds for it and whatever the
                // digests' periods.
                HourCoverage::LogFilesMissing
            } else if unverified.iter().any(|r| touches(r, hour)) {
                // A trail file is there whose content is not proven, even if a verified digest
                // spans the hour or another file of the hour is verified.
                HourCoverage::UnverifiedLogs
            } else if verified.iter().any(|r| touches(r, hour)) {
                HourCoverage::Verified
            } else if evidence.selected && evidence.outside_selection.iter().any(|r| left_out(&r)) {
                // Searched, nothing chosen: neither "no activity" nor a gap.
                HourCoverage::SearchedNotSelected
            } else if proven.iter().any(|(a, b)| *a <= hour && next <= *b) {
                HourCoverage::VerifiedNoActivity
            } else if lookup.iter().any(|r| r.start >= hour && r.start < next) {
                HourCoverage::LookupEventsOnly
            } else {
                HourCoverage::Nothing
            };
            let totals = &mut coverage.totals;
            *match state {
                HourCoverage::Verified => &mut totals.verified,
                HourCoverage::SearchedNotSelected => &mut totals.searched_not_selected,
                HourCoverage::VerifiedNoActivity => &mut totals.verified_no_activity,
                HourCoverage::UnverifiedLogs => &mut totals.unverified_logs,
                HourCoverage::LogFilesMissing => &mut totals.log_files_missing,
                HourCoverage::LookupEventsOnly => &mut totals.lookup_events_only,
                HourCoverage::Nothing => &mut totals.nothing,
            } += 1;
            match runs.last_mut() {
                Some(run) if run.coverage == state => {
                    run.hours += 1;
                    run.to = rfc3339(next);
                }
                _ => runs.push(CoverageRun {
                    from: rfc3339(hour),
                    to: rfc3339(next),
                    hours: 1,
                    coverage: state,
                }),
            }
        }
        coverage.regions.push(RegionCoverage {
            account: account.to_owned(),
            region: region.to_owned(),
            trail: evidence
                .trail_regions
                .contains(&(account.to_owned(), region.to_owned())),
            runs,
        });
    }
    Ok(coverage)
}

/// Problems and notes from the table: hours with nothing in a region the trail records are gaps; hours
/// covered only by LookupEvents are worth knowing. (Hours with unverified logs are already reported, file by
/// file, by the digest checks.)
pub(super) fn issues(coverage: &Coverage) -> (Vec<Issue>, Vec<Issue>) {
    let (mut problems, mut notes) = (Vec::new(), Vec::new());
    for region in &coverage.regions {
        for run in &region.runs {
            let account = if region.account.is_empty() {
                String::new()
            } else {
                format!("account {}: ", region.account)
            };
            let span = format!(
                "{account}{} to {} ({} hour(s))",
                run.from, run.to, run.hours
            );
            let (kind, detail, list) = match run.coverage {
                HourCoverage::Nothing if region.trail => (
                    CoverageFindingKind::NoEvidence,
                    format!("{span}: no trail log file, verified digest or LookupEvents record"),
                    &mut problems,
                ),
                HourCoverage::LookupEventsOnly => (
                    CoverageFindingKind::LookupEventsOnly,
                    format!("{span}: covered only by LookupEvents records (management events, no integrity proof)"),
                    &mut notes,
                ),
                _ => continue,
            };
            list.push(Issue {
                subject: format!("region {}", region.region),
                check: Check::Coverage,
                kind: IssueKind::Coverage(kind),
                detail,
            });
        }
    }
    (problems, notes)
}

#[cfg(test)]
mod tests;
