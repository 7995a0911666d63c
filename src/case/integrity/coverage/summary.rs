//! The coverage table as the timeline and the report state it: for each case with the trail key
//! layout, the hours of its analysed window with no trail file, per account and region, grouped
//! into ranges; hours a verified digest proves empty are told apart and are not gaps.

use std::path::{Path, PathBuf};

use super::{Coverage, CoverageRun, HourCoverage, RegionCoverage};
use crate::model::{CoverageStatus, CoverageWindow, MissingFile, RegionHours, TrailCoverage};

/// `2026-11-20T03:00:00Z` as `2026-11-20T03:00Z`.
fn short(t: &str) -> String {
    format!("{}Z", t.get(..16).unwrap_or(t))
}

/// `2026-11-20T03:00Z–05:00Z`, or both in full when the range spans days.
fn span(from: &str, to: &str) -> String {
    let (from, to) = (short(from), short(to));
    match (from.get(..11), to.get(..11), to.get(11..)) {
        (Some(a), Some(b), Some(time)) if a == b => format!("{from}–{time}"),
        _ => format!("{from}–{to}"),
    }
}

/// One run of a region's hours, as the summary lists it.
fn region_hours(case: &str, r: &RegionCoverage, run: &CoverageRun, text: String) -> RegionHours {
    RegionHours {
        case: case.to_string(),
        account: r.account.clone(),
        region: r.region.clone(),
        from: run.from.clone(),
        to: run.to.clone(),
        hours: run.hours,
        text,
    }
}

/// The trail coverage of the cases checked: `(case, its coverage table, or why it could not be
/// computed)`. No case: not examined.
pub fn trail_coverage(cases: &[(String, Result<Coverage, String>)]) -> TrailCoverage {
    if cases.is_empty() {
        return TrailCoverage::not_examined();
    }
    let mut out = TrailCoverage {
        status: CoverageStatus::Examined,
        ..TrailCoverage::default()
    };
    let mut problems = Vec::new();
    let mut searched_notes: Vec<String> = Vec::new();
    for (case, coverage) in cases {
        let coverage = match coverage {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("{case}: not examined: {e}"));
                continue;
            }
        };
        out.missing_files
            .extend(coverage.missing_log_files.iter().map(|m| MissingFile {
                case: case.clone(),
                file: crate::case::key_path::case_path(&m.key),
                listed_in: crate::case::key_path::case_path(&m.listed_in),
            }));
        let Some(w) = &coverage.window else {
            problems.push(format!("{case}: not examined: no trail file or digest"));
            continue;
        };
        if let Some(searched) = &coverage.searched {
            searched_notes.push(format!("{case}: {searched}"));
        }
        let trail: Vec<_> = coverage.regions.iter().filter(|r| r.trail).collect();
        out.windows.push(CoverageWindow {
            case: case.clone(),
            from: w.from.clone(),
            to: w.to.clone(),
            hours: w.hours,
            trail_regions: trail.len(),
        });
        for r in trail {
            for run in &r.runs {
                let (list, what) = match run.coverage {
                    HourCoverage::Nothing => (&mut out.not_covered, "no trail file"),
                    HourCoverage::LogFilesMissing => (
                        &mut out.not_covered,
                        "trail files a digest lists for it are missing from the case",
                    ),
                    HourCoverage::LookupEventsOnly => (
                        &mut out.not_covered,
                        "no trail file (LookupEvents records only)",
                    ),
                    HourCoverage::VerifiedNoActivity => (
                        &mut out.proven_empty,
                        "no trail file; a verified digest proves no activity",
                    ),
                    HourCoverage::SearchedNotSelected => (
                        &mut out.searched_not_selected,
                        "searched by Athena, no evidence found; its files were not fetched",
                    ),
                    HourCoverage::Verified | HourCoverage::UnverifiedLogs => continue,
                };
                list.push(region_hours(
                    case,
                    r,
                    run,
                    format!(
                        "{} {}: {}: {what}",
                        r.account,
                        r.region,
                        span(&run.from, &run.to)
                    ),
                ));
            }
        }
        // A region with activity in LookupEvents records but no trail file or digest at all (a
        // whole region's files left out, or a trail that does not log it): its hours with
        // activity are not covered, whatever the trail regions hold.
        for r in coverage.regions.iter().filter(|r| !r.trail) {
            for run in r
                .runs
                .iter()
                .filter(|run| run.coverage == HourCoverage::LookupEventsOnly)
            {
                out.not_covered.push(region_hours(
                    case,
                    r,
                    run,
                    format!(
                        "{}: {}: no trail file or digest for the region at all (LookupEvents records show activity there)",
                        r.region,
                        span(&run.from, &run.to)
                    ),
                ));
            }
        }
    }
    let hours = |l: &[RegionHours]| l.iter().map(|r| r.hours).sum::<usize>();
    let mut statement = if out.windows.is_empty() {
        "coverage by region-hour not examined".to_string()
    } else {
        format!(
            "coverage by region-hour: {} region-hour(s) of the analysed window lack trail files (none at all, or files a digest lists are missing) and no verified digest proves them empty ({} range(s)); {} region-hour(s) hold no trail file but a verified digest proves no activity",
            hours(&out.not_covered),
            out.not_covered.len(),
            hours(&out.proven_empty)
        )
    };
    if !out.searched_not_selected.is_empty() {
        statement.push_str(&format!(
            "; {} region-hour(s) were searched by Athena and held no evidence, so their files were not fetched (neither a gap nor proof of no activity)",
            hours(&out.searched_not_selected)
        ));
    }
    if !out.missing_files.is_empty() {
        statement.push_str(&format!(
            "; {} log file(s) a digest lists are missing from the case",
            out.missing_files.len()
        ));
    }
    for note in &searched_notes {
        statement.push_str(&format!("; {note}"));
    }
    if !problems.is_empty() {
        statement.push_str(&format!(" ({})", problems.join("; ")));
    }
    if out.windows.is_empty() {
        // No case had a trail file or digest to measure: the status says what the statement says.
        out.status = CoverageStatus::NotExamined;
    }
    out.statement = statement;
    out
}

/// The trail coverage of the input roots in the S3 key layout, each over the span of its own
/// trail files: cases (a `cloudtrail/` folder), and folders holding `AWSLogs/` at their top (a
/// synced trail bucket). Reads their file lists and digests, not their log files' content (see
/// [`coverage_of_case`](super::super::coverage_of_case)); never fails.
pub fn trail_coverage_of(roots: &[PathBuf]) -> TrailCoverage {
    let cases: Vec<(String, Result<Coverage, String>)> = roots
        .iter()
        .filter_map(|r| Some((r.display().to_string(), coverage_of_root(r)?)))
        .collect();
    trail_coverage(&cases)
}

/// The coverage table of one input root: of its `cloudtrail/` folder when it is a case, else of
/// its `AWSLogs/` folder when it has one; `None` when it has neither (no key layout to read).
pub fn coverage_of_root(root: &Path) -> Option<Result<Coverage, String>> {
    let options = Default::default();
    let coverage = if root.join(crate::case::key_path::TRAIL_DIR).is_dir() {
        super::super::coverage_of_case(root, &options)
    } else if root.join(crate::case::source::SYNCED_TOP).is_dir() {
        super::super::coverage_of_synced(root, &options)
    } else {
        return None;
    };
    Some(coverage.map_err(|e| e.to_string()))
}
