//! `--all`: every record read, in time order, without holding the evidence in memory. Files are
//! read in parallel batches; each record's row is rendered at once (a JSON row of an API call
//! straight from the record's view, see `render`) and handed by the thread that read it to an
//! external merge sort (`export::Sorter`: sorted runs, LZ4-compressed, in temporary files past a
//! memory budget, merged at the end). Copies of one event (same eventID and time, e.g. from S3
//! and LookupEvents) come out next to each other: a copy whose content (canonical form, see
//! `correlate::copies`) repeats one already written is dropped and counted; a different record
//! under the same eventID is written too, counted and named in the tail's `conflicts` (possible
//! tampering), at the same time or, as `correlate::copies` has it, at another (the eventIDs read
//! at more than one time are known from a sort of every record's eventID hash and time,
//! `export::IdTimes`, before the merge). A record's content is hashed as it is rendered only when a plain file
//! (LookupEvents, CloudWatch Logs) holds a record with its time and eventID; the merge reads
//! any other record of a shared (time, eventID) again for its content (`analyse::copy_count`).
//!
//! The rows carry the incidents they belong to, by the default timeline's rule: the pass keeps
//! what the correlation reads (see `incidents`), the correlation runs before the merge, and
//! the merge writes the default timeline's row (its kind and incident ids) for each record of
//! an incident, and the alarm history items, rule metric minutes and kill-switch results of the
//! default timeline among the records, in time order. The detection replay sees every record
//! as the stream reads it; once the merge knows the conflicting copies, the findings are the
//! default timeline's (`analyse::findings`), in the JSON's summary. The later deliveries of a
//! call delivered to two accounts (`deliveries`) and CloudTrail's updated copies of a record
//! (`updated`) are known once the pass is done: the merge marks their rows (`counted_as`).
//!
//! Part of the analysis stage (reads through `scan`, classifies through `classify`);
//! it renders rows with `export`'s writers and knows nothing of the command line.

mod deliveries;
mod incidents;
mod merge;
mod render;
mod updated;

use super::copy_count::{contents, contents_ahead, Expected, NoteKeys, AHEAD};
use crate::classify::Classifier;
use crate::correlate::replay::{self as flows, Observer};
use crate::export::{self, CopyGroups, Format, IdTimes, Sorter};
use crate::model::AnalysisSettings;
use crate::model::{Finding, Gap, InputSummary};
use crate::per_thread::PerThread;
use crate::scan::{scan, PassOptions};
use crate::source::Discovered;
use merge::{Merge, Rows};
use render::{lock, Rendering};
use std::collections::HashMap;
use std::io::{self, Result, Write};
use std::sync::Mutex;

/// Files read in one parallel pass: each pass waits for its last file while the other core may
/// have nothing left, so few, long passes (as `timeline`'s first pass has them); a pass's
/// results (summaries and the records the correlation needs) are held until it ends.
const BATCH: usize = 1024;

/// Rows of one (time, eventID) held by the merge until their contents are known; a larger
/// group is compared and written in parts of this size.
const GROUP_PART: usize = 4096;
/// Rendered rows held in memory before a sorted run is written to a temporary file.
const RUN_BUDGET: usize = 16 << 20;
/// Bytes of (eventID hash, time) keys (32 each) held in memory before a sorted run is written.
const ID_TIMES_BUDGET: usize = 8 << 20;

/// What the stream held, for the line on stderr (the JSON format's `summary` says it too).
#[derive(Debug)]
pub struct Streamed {
    /// The evidence gaps (also written to `out`: rows of their own in the row formats, the
    /// summary's `gaps` in JSON).
    pub gaps: Vec<Gap>,
    pub inputs: usize,
    pub records_read: u64,
    pub records_rejected: u64,
    /// Copies identical to a record written, dropped.
    pub duplicates_dropped: u64,
    /// Records written beside a different record with their eventID.
    pub conflicting_copies: u64,
    /// The incidents found (the rows carry their ids).
    pub incidents: usize,
    /// The findings (the case's, then each incident's), as `timeline` states them: in the JSON
    /// format's `summary`, in no row format.
    pub findings: Vec<Finding>,
}

pub fn stream(
    d: &Discovered,
    settings: &AnalysisSettings,
    format: Format,
    out: &mut dyn Write,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Streamed> {
    stream_sorted(
        d,
        settings,
        format,
        out,
        progress,
        (RUN_BUDGET, GROUP_PART, AHEAD, deliveries::NOTES_KEPT),
    )
}

/// [`stream`], holding at most about `budget` bytes of rows in memory, the rows of one
/// (time, eventID) in parts of `part` rows, the contents of `ahead` rows of a larger group, and
/// notes of at most `notes_kept` records naming a `sharedEventID`.
fn stream_sorted(
    d: &Discovered,
    settings: &AnalysisSettings,
    format: Format,
    out: &mut dyn Write,
    progress: &(dyn Fn(usize) + Sync),
    (budget, part, ahead, notes_kept): (usize, usize, usize, u64),
) -> Result<Streamed> {
    let decoys = crate::classify::DecoyBuckets::new(&settings.honeytokens);
    let opts = PassOptions {
        max_inflated: settings.max_inflated_bytes,
        index: true,
        // As `timeline`'s first pass: only an S3 honeytoken's reads need S3 data events.
        s3_decoys: (!decoys.is_empty()).then_some(&decoys),
        arrivals: None,
    };
    // The copy keys of the records of plain files (LookupEvents pages, CloudWatch Logs exports),
    // read first: a record that shares one is hashed as it is rendered; any other record is
    // hashed only if the merge finds it shares its (time, eventID) with another. The pipeline's
    // rules found there are replayed on every record as the stream reads it.
    let noted = NoteKeys::default();
    let (config, _) = super::pipeline_prepass(&d.files, opts, &noted, settings);
    // The decoys' access points the evidence lists count from here on, as in `timeline`.
    crate::phases::mark("--all: pre-pass");
    let listed = super::access_points::with_listed(settings, &config, &d.files);
    let settings: &AnalysisSettings = listed.as_ref().map_or(settings, |(s, _)| s);
    let classifier = Classifier::new(settings);
    let decoys = crate::classify::DecoyBuckets::new(&settings.honeytokens);
    let opts = PassOptions {
        s3_decoys: (!decoys.is_empty()).then_some(&decoys),
        ..opts
    };
    let expected = Expected::new(noted);
    let specs = flows::specs(settings, &config);
    let observer = Observer::new(&specs, Classifier::new(settings));
    let mut gathered = incidents::Gathered::default();
    let mut inputs: Vec<InputSummary> = Vec::new();
    let mut gaps: Vec<Gap> = d.gaps.clone();
    let (mut read, mut rejected) = (0u64, 0u64);
    export::write_rows_header(out, format)?;
    let all: Vec<u32> = (0..d.files.len() as u32).collect();
    let rendering = Rendering {
        classifier: &classifier,
        expected: &expected,
        id_times: IdTimes::new(ID_TIMES_BUDGET),
        observer: &observer,
        format,
        files: &d.files,
        rows: PerThread::default(),
        deliveries: PerThread::default(),
        deliveries_named: Default::default(),
        updated: PerThread::default(),
        updated_named: Default::default(),
        notes_kept,
        sorter: Mutex::new(Sorter::new(budget)),
        failed: Mutex::default(),
    };
    for batch in all.chunks(BATCH) {
        // Each record's row is rendered as it is read, on both cores, and goes to the sorter
        // from there; only the records the correlation needs come back as events.
        let results = scan(&d.files, batch, opts, &rendering, progress);
        if let Some(e) = lock(&rendering.failed).take() {
            return Err(e);
        }
        for (n, r) in results.into_iter().enumerate() {
            let input = batch[n];
            let summary = r
                .summary
                .unwrap_or_else(|| unreachable_summary(&d.files[input as usize].display));
            read += summary.records_read;
            rejected += summary.records_rejected;
            inputs.push(summary);
            gaps.extend(r.gaps);
            gathered.input(r.config, r.keys, r.seen, r.s3_data_events);
            for e in r.events {
                gathered.record(e);
            }
        }
    }
    crate::phases::mark("--all: pass");
    for rows in rendering.rows.iter() {
        rendering.hand_over(&mut lock(rows));
    }
    if let Some(e) = lock(&rendering.failed).take() {
        return Err(e);
    }
    // Every record is read: which rows are later deliveries of a call is known.
    let named = rendering.deliveries_named.into_inner();
    let updated_named = rendering.updated_named.into_inner();
    let copies: Vec<updated::UpdatedCopy> = (rendering.updated.iter())
        .flat_map(|d| std::mem::take(&mut *lock(d)))
        .collect();
    let delivered: Vec<deliveries::Delivery> = (rendering.deliveries.iter())
        .flat_map(|d| std::mem::take(&mut *lock(d)))
        .collect();
    let hash = crate::scan::key_hash;
    let wanted = updated::originals(&copies, hash);
    let sorter = rendering
        .sorter
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    // The gaps of the evidence read, as `timeline` has them when it correlates.
    if read == 0 {
        gaps.push(Gap::nothing_examined(inputs.len()));
    }
    if named > notes_kept {
        gaps.push(deliveries::not_marked(named, notes_kept));
    }
    if updated_named > notes_kept {
        gaps.push(updated::not_marked(updated_named, notes_kept));
    }
    let id_times = rendering.id_times;
    let observed = observer.finish();
    // Three things the merge needs, none of which needs another, side by side (the merge waits
    // for all three, on one thread, while the other core would have nothing to do): the
    // eventIDs read at more than one time, whose rows are compared across times, and the calls
    // read under the eventIDs the updated copies name; the sorted runs' first blocks (the last
    // run written, the rows after it sorted); the correlation.
    let (ids, sorted, (owners, correlated)) = std::thread::scope(|s| {
        let ids = s.spawn(|| id_times.finish(&wanted));
        let sorted = s.spawn(|| export::Sorted::new(sorter));
        let correlated = gathered.correlate(&d.files, settings, &gaps, opts, (specs, observed));
        let joined = |what: &str| io::Error::other(format!("the thread {what} panicked"));
        let ids = (ids.join()).unwrap_or_else(|_| Err(joined("merging eventID times")));
        let sorted = (sorted.join()).unwrap_or_else(|_| Err(joined("starting the merge")));
        (ids, sorted, correlated)
    });
    let (reused, calls) = ids?;
    let mut sorted = sorted?;
    crate::phases::mark("--all: pre-merge (eventID times, correlation)");
    // CloudTrail's updated copies are counted under the record they update, and a later
    // delivery of a call under the one counted, as `correlate::deliveries::later_deliveries`
    // has them.
    let mut later = updated::tied(copies, &calls, hash);
    if named <= notes_kept {
        later.extend(deliveries::later(delivered));
    }
    let mut merge = Merge {
        rows: Rows {
            out: &mut *out,
            format,
            inputs: &inputs,
            written: false,
            held: None,
            held_bytes: Vec::new(),
        },
        copies: CopyGroups::new(reused, hash),
        others: owners.others().iter().peekable(),
        owners: &owners,
        later: &later,
        reread: |at: &[(u32, u64)], group: Option<(i64, &str)>| match group {
            None => {
                let found = contents(&d.files, opts, &Default::default(), at);
                at.iter()
                    .zip(found)
                    .filter_map(|(a, c)| Some((*a, c?)))
                    .collect()
            }
            Some(key) => contents_ahead(&d.files, opts, at, key, ahead),
        },
        read_ahead: HashMap::new(),
        group_time: 0,
        group_id: String::new(),
        group: Vec::new(),
        held: Vec::new(),
        group_parts: 0,
        part,
        uncompared: Default::default(),
        not_read_again: Vec::new(),
    };
    while let Some((key, bytes)) = sorted.next()? {
        merge.row(key, bytes)?;
    }
    drop(sorted);
    merge.finish()?;
    crate::phases::mark("--all: merge");
    gaps.extend(merge::not_read_again(&merge.not_read_again, &inputs));
    let copies = merge.copies;
    let (mut findings, incidents) = correlated.findings(
        settings,
        &inputs,
        read,
        &super::findings::conflicts(&copies.conflicts),
    );
    findings.extend(listed.map(|(_, f)| f));
    gaps.extend(super::killswitch_unmatched(&findings));
    gaps.extend(super::changed_since_acquisition(&inputs, &d.recorded));
    gaps.sort();
    export::write_gap_rows(out, format, &gaps)?;
    let conflicts: Vec<serde_json::Value> = copies
        .conflicts
        .iter()
        .map(|(id, at)| {
            let copies: Vec<serde_json::Value> = at
                .iter()
                .map(|(input, index)| {
                    serde_json::json!({
                        "input": inputs.get(*input as usize).map(|i| i.path.to_string()),
                        "record_index": index,
                    })
                })
                .collect();
            serde_json::json!({"event_id": id, "copies": copies})
        })
        .collect();
    let conflicting = copies
        .conflicts
        .iter()
        .map(|c| c.1.len() as u64)
        .sum::<u64>();
    let tail = serde_json::json!({
        "inputs": inputs,
        "records_read": read,
        "records_rejected": rejected,
        "duplicates_dropped": copies.duplicates,
        "conflicting_copies": conflicting,
        "conflicts": conflicts,
        "gaps": gaps,
        "integrity": {"status": "not_examined", "statement": export::NOT_EXAMINED},
        "findings": findings,
        "incidents": incidents
            .iter()
            .map(|i| serde_json::json!({"id": i.id, "findings": i.findings}))
            .collect::<Vec<_>>(),
    });
    export::write_rows_footer(out, format, &tail)?;
    if crate::phases::on() {
        out.flush()?;
    }
    crate::phases::mark("--all: tail");
    Ok(Streamed {
        gaps,
        inputs: inputs.len(),
        records_read: read,
        records_rejected: rejected,
        duplicates_dropped: copies.duplicates,
        conflicting_copies: conflicting,
        incidents: owners.incidents,
        findings: findings
            .into_iter()
            .chain(incidents.into_iter().flat_map(|i| i.findings))
            .collect(),
    })
}

fn unreachable_summary(path: &std::sync::Arc<str>) -> InputSummary {
    InputSummary {
        path: path.clone(),
        sha256: String::new(),
        size: 0,
        kind: "unreadable".into(),
        records_read: 0,
        records_rejected: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Sorted in memory or through runs on disk, the stream is the same, byte for byte.
    #[test]
    fn the_stream_is_the_same_whether_it_fits_in_memory_or_not() {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/incident-01");
        let d = crate::source::discover(std::slice::from_ref(&samples)).unwrap();
        let settings = crate::config::Config::load(&samples.join("trailcase.toml"))
            .unwrap()
            .analysis_settings();
        for format in [Format::Json, Format::Csv] {
            let mut held = Vec::new();
            let all = (usize::MAX, GROUP_PART, AHEAD, deliveries::NOTES_KEPT);
            stream_sorted(&d, &settings, format, &mut held, &|_| {}, all).unwrap();
            let mut spilled = Vec::new();
            let runs = (64 << 10, GROUP_PART, AHEAD, deliveries::NOTES_KEPT);
            stream_sorted(&d, &settings, format, &mut spilled, &|_| {}, runs).unwrap();
            assert!(held.len() > 1 << 20, "{} bytes", held.len());
            assert!(held == spilled, "{format:?}");
        }
        // Rows written by hand are what serde_json writes: each JSON line read and written
        // again by serde_json (keys in their order) is the same line.
        let mut lines = Vec::new();
        let all = (usize::MAX, GROUP_PART, AHEAD, deliveries::NOTES_KEPT);
        stream_sorted(&d, &settings, Format::Jsonl, &mut lines, &|_| {}, all).unwrap();
        let lines = String::from_utf8(lines).unwrap();
        assert!(lines.lines().count() > 1000);
        for line in lines.lines() {
            let again: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(serde_json::to_string(&again).unwrap(), line);
        }
    }

    /// Many records of one (time, eventID), none in a plain file (so none hashed in the pass):
    /// identical ones are dropped and different ones kept and named, whether the group is held
    /// whole or written in parts of two.
    #[test]
    fn a_large_group_of_copies_is_compared_whole_or_in_parts() {
        let record = |ip: &str| {
            serde_json::json!({"eventVersion": "1.08", "eventTime": "2026-03-02T10:00:00Z",
                "eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity",
                "awsRegion": "us-east-1", "sourceIPAddress": ip, "eventID": "same-id",
                "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/a"}})
        };
        // Crafted evidence: far more different records under one eventID than a part holds.
        let mut records = vec![record("192.0.2.1"); 7];
        records.extend(["192.0.2.2", "192.0.2.3", "192.0.2.2"].map(record));
        records.extend((0..40).map(|n| record(&format!("198.51.100.{n}"))));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records.json");
        std::fs::write(&path, serde_json::json!({ "Records": records }).to_string()).unwrap();
        let d = crate::source::discover(std::slice::from_ref(&path)).unwrap();
        let settings = crate::config::Config::default().analysis_settings();
        let mut outputs = Vec::new();
        // Whole; in parts of two, each part's contents read again (nothing read ahead), read
        // ahead for a few parts at a time, or for the whole rest of the group at once.
        for (part, ahead) in [(GROUP_PART, AHEAD), (2, 0), (2, 5), (3, 1), (2, AHEAD)] {
            let mut out = Vec::new();
            let s = stream_sorted(
                &d,
                &settings,
                Format::Jsonl,
                &mut out,
                &|_| {},
                (usize::MAX, part, ahead, deliveries::NOTES_KEPT),
            )
            .unwrap();
            assert_eq!(
                (s.records_read, s.duplicates_dropped, s.conflicting_copies),
                (50, 7, 43),
                "part {part}, ahead {ahead}"
            );
            outputs.push(out);
        }
        assert!(outputs.iter().all(|o| *o == outputs[0]));
        let text = String::from_utf8(outputs.remove(0)).unwrap();
        let rows: Vec<&str> = text.lines().filter(|l| l.contains("same-id")).collect();
        assert_eq!(rows.len(), 43, "{text}");
    }

    /// Records of one (time, eventID) that cannot be read again when the merge compares them
    /// (their input changed between the pass and the merge: here, rewritten once the pass has
    /// read it) are written, compared with none (no copy dropped, no conflict claimed), and each
    /// is a `copy_count_incomplete` gap naming its file and index: the run is incomplete.
    #[test]
    fn a_record_that_cannot_be_read_again_is_a_named_gap_not_a_conflict() {
        let record = |ip: &str| {
            serde_json::json!({"eventVersion": "1.08", "eventTime": "2026-03-02T10:00:00Z",
                "eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity",
                "awsRegion": "us-east-1", "sourceIPAddress": ip, "eventID": "same-id",
                "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/a"}})
        };
        let dir = tempfile::tempdir().unwrap();
        // A trail file (gzip): a plain file's records are hashed in the pass, not read again.
        let path = dir.path().join("records.json.gz");
        let gzip = |doc: serde_json::Value| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut gz, doc.to_string().as_bytes()).unwrap();
            gz.finish().unwrap()
        };
        let settings = crate::config::Config::default().analysis_settings();
        // (records, what the file holds at the merge) -> (dropped, conflicting, gaps' indexes)
        let cases = [
            // Two different records: a conflict when both are read again, none when one is not.
            (["192.0.2.1", "192.0.2.2"], None, (0, 2, vec![])),
            (["192.0.2.1", "192.0.2.2"], Some(1), (0, 0, vec![1])),
            (["192.0.2.1", "192.0.2.2"], Some(0), (0, 0, vec![0, 1])),
            // Two copies: one dropped when both are read again, none dropped when one is not.
            (["192.0.2.1", "192.0.2.1"], None, (1, 0, vec![])),
            (["192.0.2.1", "192.0.2.1"], Some(1), (0, 0, vec![1])),
        ];
        for (ips, kept, (dropped, conflicting, at)) in cases {
            let records = ips.map(record);
            std::fs::write(&path, gzip(serde_json::json!({ "Records": records }))).unwrap();
            let d = crate::source::discover(std::slice::from_ref(&path)).unwrap();
            let changed = |_: usize| {
                if let Some(n) = kept {
                    let left = serde_json::json!({ "Records": records[..n] });
                    std::fs::write(&path, gzip(left)).unwrap();
                }
            };
            let mut out = Vec::new();
            let all = (usize::MAX, GROUP_PART, AHEAD, deliveries::NOTES_KEPT);
            let s = stream_sorted(&d, &settings, Format::Jsonl, &mut out, &changed, all).unwrap();
            let what = format!("{ips:?}, {kept:?} left");
            assert_eq!(s.records_read, 2, "{what}");
            assert_eq!(
                (s.duplicates_dropped, s.conflicting_copies),
                (dropped, conflicting),
                "{what}"
            );
            let text = String::from_utf8(out).unwrap();
            let rows = text.lines().filter(|l| l.contains("\"same-id\"")).count() as u64;
            assert_eq!(rows, 2 - dropped, "{what}: {text}");
            let gaps: Vec<(&str, Option<u64>, crate::model::GapKind)> = s
                .gaps
                .iter()
                .map(|g| (g.path.as_str(), g.index, g.kind))
                .collect();
            let expected: Vec<_> = (at.iter())
                .map(|&i| {
                    let p = d.files[0].display.as_ref();
                    (p, Some(i), crate::model::GapKind::CopyCountIncomplete)
                })
                .collect();
            assert_eq!(gaps, expected, "{what}");
            if let Some(g) = s.gaps.first() {
                assert!(g.reason.contains("could not be read again"), "{}", g.reason);
                assert!(text.contains("copy_count_incomplete"), "{text}");
            }
        }
    }

    /// Cross-account calls, each delivered to two accounts: the later deliveries are marked
    /// `counted_as`; past the bound on the notes kept, none is (not some, by the threads'
    /// timing), and the run has a `deliveries_not_marked` gap.
    #[test]
    fn past_the_bound_on_delivery_notes_no_row_is_marked_and_a_gap_says_so() {
        let delivery = |n: u32, account: &str, arn: bool| {
            let mut identity =
                serde_json::json!({"type": "AWSAccount", "accountId": "111122223333"});
            if arn {
                identity = serde_json::json!({"type": "IAMUser", "accountId": "111122223333",
                    "arn": "arn:aws:iam::111122223333:user/a"});
            }
            serde_json::json!({"eventVersion": "1.08", "eventTime": format!("2026-03-02T10:00:0{n}Z"),
                "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole",
                "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1",
                "eventID": format!("{account}-{n}"), "recipientAccountId": account,
                "sharedEventID": format!("shared-{n}"), "userIdentity": identity})
        };
        let records: Vec<_> = (0..4)
            .flat_map(|n| {
                [
                    delivery(n, "111122223333", true),
                    delivery(n, "444455556666", false),
                ]
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records.json");
        std::fs::write(&path, serde_json::json!({ "Records": records }).to_string()).unwrap();
        let d = crate::source::discover(std::slice::from_ref(&path)).unwrap();
        let settings = crate::config::Config::default().analysis_settings();
        let run = |kept: u64| {
            let mut out = Vec::new();
            let s = stream_sorted(
                &d,
                &settings,
                Format::Jsonl,
                &mut out,
                &|_| {},
                (usize::MAX, GROUP_PART, AHEAD, kept),
            )
            .unwrap();
            (s, String::from_utf8(out).unwrap())
        };
        let (s, text) = run(8);
        assert_eq!(text.matches("\"counted_as\"").count(), 4, "{text}");
        assert!(s.gaps.is_empty(), "{:?}", s.gaps);
        let (s, text) = run(7);
        assert_eq!(text.matches("\"counted_as\"").count(), 0, "{text}");
        assert_eq!(s.gaps.len(), 1, "{:?}", s.gaps);
        assert_eq!(s.gaps[0].kind, crate::model::GapKind::DeliveriesNotMarked);
        assert!(
            s.gaps[0].reason.starts_with("8 records name a sharedEventID (calls delivered to two accounts), more than the 7 --all keeps notes of in memory: no later delivery of such a call is marked counted_as"),
            "{}",
            s.gaps[0].reason
        );
        assert!(text.contains("deliveries_not_marked"), "{text}");
    }
}
