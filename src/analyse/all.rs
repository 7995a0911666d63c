//! `--all`: every record read, in time order, without holding the evidence in memory. Files are
//! read in parallel batches; each record's row is rendered at once and goes through an external
//! merge sort (`export::Sorter`: sorted runs in temporary files past a memory budget, merged at
//! the end). Copies of one event (same eventID and time, e.g. from S3 and LookupEvents) come out
//! next to each other: a copy whose content (canonical form, see `correlate::copies`) repeats
//! one already written is dropped and counted; a different record under the same eventID is
//! written too, counted and named in the tail's `conflicts` (possible tampering).
//!
//! The rows carry the incidents they belong to, by the default timeline's rule: the pass keeps
//! what the correlation reads (see [`incidents`]), the correlation runs before the merge, and
//! the merge writes the default timeline's row (its kind and incident ids) for each record of
//! an incident, and the alarm history items, rule metric minutes and kill-switch results of the
//! default timeline among the records, in time order.
//!
//! Part of the analysis stage (reads through `scan`, classifies through `classify`);
//! it renders rows with `export`'s writers and knows nothing of the command line.

mod incidents;

use crate::classify::{is_iam_change, Classifier};
use crate::correlate::copies::content_hash;
use crate::export::{self, CopyGroups, Format, RowKey, Sorter};
use crate::model::AnalysisSettings;
use crate::model::{EntryKind, Event, Gap, InputSummary, Origin, TimelineEntry};
use crate::parse::{RecordItem, RecordView};
use crate::scan::{scan, PassOptions, Selector};
use crate::source::Discovered;
use rayon::prelude::*;
use std::io::{Result, Write};

const BATCH: usize = 64;
/// Rendered rows held in memory before a sorted run is written to a temporary file.
const RUN_BUDGET: usize = 16 << 20;

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
}

pub fn stream(
    d: &Discovered,
    settings: &AnalysisSettings,
    format: Format,
    out: &mut dyn Write,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Streamed> {
    stream_sorted(d, settings, format, out, progress, RUN_BUDGET)
}

/// [`stream`], holding at most about `budget` bytes of rows in memory.
fn stream_sorted(
    d: &Discovered,
    settings: &AnalysisSettings,
    format: Format,
    out: &mut dyn Write,
    progress: &(dyn Fn(usize) + Sync),
    budget: usize,
) -> Result<Streamed> {
    let classifier = Classifier::new(settings);
    let opts = PassOptions {
        max_inflated: settings.max_inflated_bytes,
        index: true,
        arrivals: None,
    };
    let mut gathered = incidents::Gathered::default();
    let mut inputs: Vec<InputSummary> = Vec::new();
    let mut gaps: Vec<Gap> = d.gaps.clone();
    let mut sorter = Sorter::new(budget);
    let (mut read, mut rejected) = (0u64, 0u64);
    export::write_rows_header(out, format)?;
    let all: Vec<u32> = (0..d.files.len() as u32).collect();
    for batch in all.chunks(BATCH) {
        let results = scan(&d.files, batch, opts, &AllRecords, progress);
        // Each record's row, rendered on both cores; pushed to the sorter in input order.
        let rendered: Vec<Vec<Rendered>> = results
            .par_iter()
            .enumerate()
            .map(|(n, r)| {
                let file = &d.files[batch[n] as usize];
                let path = r.summary.as_ref().map_or(&*file.display, |s| &*s.path);
                r.events
                    .iter()
                    .map(|e| render(&classifier, format, path, e))
                    .collect()
            })
            .collect();
        for (n, (r, rows)) in results.into_iter().zip(rendered).enumerate() {
            let input = batch[n];
            let summary = r
                .summary
                .unwrap_or_else(|| unreachable_summary(&d.files[input as usize].display));
            read += summary.records_read;
            rejected += summary.records_rejected;
            inputs.push(summary);
            gaps.extend(r.gaps);
            gathered.input(r.config, r.keys, r.principals);
            for (e, row) in r.events.into_iter().zip(rows) {
                let (key, bytes, interesting) = row?;
                sorter.push(key, bytes)?;
                if interesting {
                    gathered.record(e);
                }
            }
        }
    }
    let owners = gathered.correlate(&d.files, settings, &gaps, opts);
    let mut copies = CopyGroups::default();
    let mut rows = Rows {
        out: &mut *out,
        format,
        inputs: &inputs,
        written: false,
    };
    let mut others = owners.others().iter().peekable();
    for sorted in sorter.finish()? {
        let (key, bytes) = sorted?;
        if !copies.admit(&key) {
            continue;
        }
        let at = (key.time, key.event_id.as_str(), key.input, key.index);
        while let Some(o) =
            others.next_if(|o| (o.time.millis(), o.event_id.as_str(), o.input, o.index) < at)
        {
            rows.entry(o)?;
        }
        let origin = Origin {
            input: key.input,
            index: key.index,
        };
        match owners.record(origin) {
            Some(entry) => rows.entry(entry)?,
            None => rows.bytes(&bytes)?,
        }
    }
    for o in others {
        rows.entry(o)?;
    }
    copies.close();
    if read == 0 {
        gaps.push(Gap::nothing_examined(inputs.len()));
    }
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
    });
    export::write_rows_footer(out, format, &tail)?;
    Ok(Streamed {
        gaps,
        inputs: inputs.len(),
        records_read: read,
        records_rejected: rejected,
        duplicates_dropped: copies.duplicates,
        conflicting_copies: conflicting,
        incidents: owners.incidents,
    })
}

/// A record's sort key, its row as a first row (the JSON array's comma is added when it is
/// written), and whether the correlation needs the record.
type Rendered = Result<(RowKey, Vec<u8>, bool)>;

fn render(classifier: &Classifier, format: Format, input: &str, e: &Event) -> Rendered {
    let view = RecordView::parse(e.raw.get()).unwrap_or_default();
    let kind = kind_of(classifier, &view);
    let interesting = classifier.interesting(&view);
    let entry = TimelineEntry::from_event(e, kind, Vec::new());
    let row = export::Row::from_entry(&entry, &[], None);
    let row = export::Row {
        input: input.to_string(),
        ..row
    };
    let mut bytes = Vec::new();
    export::write_row(&mut bytes, format, &row, true)?;
    let key = RowKey {
        time: e.time.millis(),
        content: content_hash(e.raw.get()),
        event_id: entry.event_id,
        input: e.origin.input,
        index: e.origin.index,
    };
    Ok((key, bytes, interesting))
}

/// The merge's output: rows rendered in the pass, or rendered now from the correlation.
struct Rows<'a> {
    out: &'a mut dyn Write,
    format: Format,
    inputs: &'a [InputSummary],
    written: bool,
}

impl Rows<'_> {
    /// A row rendered in the pass (as a first row: the JSON array's comma is added here).
    fn bytes(&mut self, bytes: &[u8]) -> Result<()> {
        if self.format == Format::Json && self.written {
            self.out.write_all(b",\n")?;
        }
        self.written = true;
        self.out.write_all(bytes)
    }

    /// A row of the default timeline.
    fn entry(&mut self, e: &TimelineEntry) -> Result<()> {
        let row = export::Row::from_entry(e, self.inputs, None);
        export::write_row(self.out, self.format, &row, !self.written)?;
        self.written = true;
        Ok(())
    }
}

struct AllRecords;

impl Selector for AllRecords {
    fn keep(&self, _: u32, _: &RecordItem<'_>) -> bool {
        true
    }
}

fn kind_of(c: &Classifier, view: &RecordView<'_>) -> EntryKind {
    if c.honeytoken(view).is_some_and(|h| h.read) {
        EntryKind::HoneytokenAccess
    } else if c.is_killswitch(view) {
        EntryKind::Containment
    } else if c.is_pipeline_change(view) {
        EntryKind::PipelineChange
    } else if c.is_pipeline_attempt(view) {
        EntryKind::PipelineAttempt
    } else if is_iam_change(view) {
        EntryKind::IamChange
    } else {
        EntryKind::Other
    }
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
            stream_sorted(&d, &settings, format, &mut held, &|_| {}, usize::MAX).unwrap();
            let mut spilled = Vec::new();
            stream_sorted(&d, &settings, format, &mut spilled, &|_| {}, 64 << 10).unwrap();
            assert!(held.len() > 1 << 20, "{} bytes", held.len());
            assert!(held == spilled, "{format:?}");
        }
    }
}
