//! Trail coverage of the analysed window by region-hour: for each account and region whose trail
//! keys the inputs hold, the hours with no trail file, grouped into ranges. Plain data; computed
//! by `case::integrity` from the case's key layout and digests.

use serde::Serialize;

/// Whether coverage by region-hour could be examined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    /// At least one input holds trail keys (`AWSLogs/<account>/CloudTrail/<region>/...`).
    Examined,
    /// No input carries the trail key layout: nothing says which hours a file should exist for.
    #[default]
    NotExamined,
}

/// Consecutive hours of one account and region in the same state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionHours {
    /// The case directory as given.
    pub case: String,
    pub account: String,
    pub region: String,
    /// Start of the first hour and end of the last (exclusive), RFC 3339.
    pub from: String,
    pub to: String,
    pub hours: usize,
    /// The range in one line: `123456789012 us-east-1: 2026-11-20T03:00Z–05:00Z: no trail file`.
    pub text: String,
}

/// The analysed window of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageWindow {
    pub case: String,
    pub from: String,
    pub to: String,
    pub hours: usize,
    /// Account and region pairs whose trail keys the case holds.
    pub trail_regions: usize,
}

/// Coverage of the analysed window by region-hour, as the timeline JSON and the report state it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TrailCoverage {
    pub status: CoverageStatus,
    /// What was examined and found, or why not, in one line.
    pub statement: String,
    pub windows: Vec<CoverageWindow>,
    /// Hours with neither a trail file nor a verified digest, and hours some of whose files a
    /// digest lists are missing: not covered (each range is a gap of kind `no_trail_coverage`).
    pub not_covered: Vec<RegionHours>,
    /// Hours with no trail file that a verified digest proves had no activity: not a gap.
    pub proven_empty: Vec<RegionHours>,
    /// Hours of a case holding an Athena search's selection (`collect --athena`) with no file
    /// of the case: searched, no evidence found, files not fetched. Neither a gap nor proof of
    /// no activity. Absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub searched_not_selected: Vec<RegionHours>,
    /// Log files a digest of a case lists that the case lacks (each is a gap of kind
    /// `trail_file_missing`). Absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_files: Vec<MissingFile>,
}

/// A log file a digest lists that its case lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingFile {
    /// The case directory as given.
    pub case: String,
    /// The file's path in the case (`cloudtrail/AWSLogs/...`).
    pub file: String,
    /// The path in the case of a digest that lists it.
    pub listed_in: String,
}

impl TrailCoverage {
    /// The statement for inputs without the trail key layout.
    pub fn not_examined() -> TrailCoverage {
        TrailCoverage {
            status: CoverageStatus::NotExamined,
            statement: "coverage by region-hour not examined (no input folder holds trail files in the S3 key layout: AWSLogs/ at its top or in its cloudtrail/ folder)"
                .into(),
            ..TrailCoverage::default()
        }
    }

    /// The gaps the uncovered ranges and the missing files are.
    pub fn gaps(&self) -> Vec<super::Gap> {
        let ranges = self.not_covered.iter().map(|r| super::Gap {
            path: r.case.clone(),
            index: None,
            kind: super::GapKind::NoTrailCoverage,
            reason: r.text.clone(),
        });
        let files = self.missing_files.iter().map(|m| super::Gap {
            path: std::path::Path::new(&m.case)
                .join(&m.file)
                .display()
                .to_string(),
            index: None,
            kind: super::GapKind::TrailFileMissing,
            reason: format!(
                "listed in the digest {} but not in the case: its records are missing",
                m.listed_in
            ),
        });
        ranges.chain(files).collect()
    }
}
