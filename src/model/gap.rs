//! Evidence gaps and per-input accounting: what was read, what could not be, and why.

use serde::Serialize;

/// Why a piece of evidence could not be used. Each is counted and reported, never dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    Unreadable,
    TruncatedGzip,
    DecompressedTooLarge,
    InvalidJson,
    UnrecognisedContent,
    MalformedRecord,
    MissingEventTime,
    InvalidEventTime,
    /// No input held a CloudTrail record: nothing was examined, which is never an all-clear.
    NoRecords,
    /// Read and analysed, but its JSON cannot be exported (nested past 128 levels, a number
    /// out of range): the export would show `null`. Not a rejection.
    RecordNotExportable,
    /// Bytes after the first gzip member of a file named as a delivered CloudTrail trail file
    /// (aws-cli refuses such a file): described, not read as evidence.
    TrailFileAppended,
    /// Hours of the analysed window with neither a trail file nor a verified digest, for an
    /// account and region whose trail keys the case holds: not covered by the trail.
    NoTrailCoverage,
    /// A log file a CloudTrail digest of the case lists that the case lacks (deleted after
    /// acquisition, or never acquired): its records are missing.
    TrailFileMissing,
    /// A file the case's `manifest.json` lists as acquired that the case no longer holds:
    /// its evidence is missing. (A trail file a digest also lists is `trail_file_missing`.)
    AcquiredFileMissing,
    /// A file whose SHA-256 is not the one the case's `manifest.json` recorded when it was
    /// acquired: it changed after acquisition (what it holds now is what was analysed).
    AcquiredFileChanged,
    /// A file in a case that has a `manifest.json` which the manifest does not list: added after
    /// acquisition (or the manifest was edited). What it holds was read and analysed, with no
    /// acquisition record behind it.
    AcquiredFileAdded,
    /// An archive entry that is not read: a link or device entry (never followed), an
    /// encrypted member, an unsupported compression, or a member that is itself an archive.
    ArchiveEntryNotRead,
    /// `timeline --all` only: more records named a `sharedEventID` (calls delivered to two
    /// accounts) than it keeps notes of in memory, so no later delivery is marked `counted_as`
    /// and a count of the rows counts such a call once per delivery.
    DeliveriesNotMarked,
    /// An alarm history item whose HistoryData is not JSON (CloudWatch cuts it at 4,095
    /// characters): the item's time and type are read, what its HistoryData records (states,
    /// the alarm's definition) is not.
    AlarmHistoryDataUnreadable,
    /// A record in a LookupEvents page that LookupEvents never returns (a data event, a network
    /// activity event): the page is not, or not only, what LookupEvents answered. The record is
    /// read and analysed; its provenance is what is missing. Not a rejection.
    NotLookupEvents,
    /// The count of copies over every record read did not finish (a temporary file of the count
    /// unreadable), or some records that share an eventID with another could not be read again
    /// to compare (their input changed or became unreadable after the first pass): the copy
    /// and conflict numbers are a lower bound (`summary.copy_count` says which). Not a rejection.
    CopyCountIncomplete,
    /// The configured kill-switch (`[killswitch] principals`, `ssm_documents`) made no call in
    /// the evidence, while its published results, or calls that look like containment by
    /// another principal, are in it: the configuration does not name the kill-switch's
    /// caller, so the containment could not be examined (the `killswitch_unmatched` finding
    /// names the calls). A gap of the configuration, not of a file; no record is rejected.
    KillswitchUnmatched,
    /// A document whose top-level object writes a key twice or more (`{"Records":[A,B],
    /// "Records":[C,D]}`): the elements of every array under it were read (nothing is lost),
    /// where jq and Python's json keep only the last value, so a reader of the raw file with
    /// those tools sees something else. Names the key and each value's size. Not a rejection.
    RepeatedKey,
}

impl GapKind {
    /// Whether a gap of this kind at a record's index means the record was not read: every
    /// kind but those of a record read and analysed with a remark.
    pub fn rejects_record(self) -> bool {
        !matches!(
            self,
            GapKind::RecordNotExportable
                | GapKind::NotLookupEvents
                | GapKind::CopyCountIncomplete
                | GapKind::KillswitchUnmatched
                | GapKind::RepeatedKey
        )
    }
}

/// How far the count of copies over every record read got (`Timeline::duplicates_dropped`,
/// `conflicting_copies`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CopiesCounted {
    /// Every record read was counted: the numbers are exact.
    #[default]
    Complete,
    /// Counted over every record read, but some records could not be read again to compare:
    /// the copies and conflicts among them are not counted (the numbers are a lower bound).
    Partial,
    /// The count over every record read failed: the numbers count only the copies among the
    /// records kept (a lower bound; copies among the other records are unknown).
    KeptRowsOnly,
}

/// One problem with the evidence: which file, which record (when it is one), and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Gap {
    pub path: String,
    /// Index of the record within the file (0-based), or `None` for a whole-file problem.
    pub index: Option<u64>,
    pub kind: GapKind,
    pub reason: String,
}

impl Gap {
    /// A whole input that could not be read (opened, listed or inflated), with the I/O error.
    pub fn unreadable(path: impl Into<String>, error: impl std::fmt::Display) -> Gap {
        Gap {
            path: path.into(),
            index: None,
            kind: GapKind::Unreadable,
            reason: format!("cannot read: {error}"),
        }
    }

    /// The gap of a run that read no CloudTrail record at all (an empty directory, a case whose
    /// acquisition failed, a window with nothing in it): the question the run was asked cannot
    /// be answered from this evidence.
    pub fn nothing_examined(inputs: usize) -> Gap {
        Gap::of_all_inputs(
            GapKind::NoRecords,
            format!(
                "no CloudTrail record in the {inputs} input(s): nothing was examined, so no conclusion about the honeytoken can be drawn"
            ),
        )
    }

    /// The gap of a kill-switch configuration that names no caller in the evidence, from its
    /// `killswitch_unmatched` finding (whose summary is the reason).
    pub fn killswitch_unmatched(summary: &str) -> Gap {
        Gap {
            path: "trailcase.toml [killswitch] principals".into(),
            index: None,
            kind: GapKind::KillswitchUnmatched,
            reason: summary.to_string(),
        }
    }

    /// A gap of the run as a whole, not of one input (its path is "(all inputs)").
    pub fn of_all_inputs(kind: GapKind, reason: String) -> Gap {
        Gap {
            path: "(all inputs)".into(),
            index: None,
            kind,
            reason,
        }
    }
}

/// What one input file held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputSummary {
    /// Shared with the input's `source::InputFile`: one copy per input, however many
    /// inputs a month of trail files makes.
    pub path: std::sync::Arc<str>,
    /// SHA-256 of the bytes exactly as stored (compressed files are hashed compressed).
    pub sha256: String,
    pub size: u64,
    /// What the content was recognised as, e.g. `cloudtrail-records`, `lookup-events`, `alarm-history`
    /// (borrowed when it is one kind: no allocation for each of a month's trail files).
    pub kind: std::borrow::Cow<'static, str>,
    pub records_read: u64,
    pub records_rejected: u64,
}
