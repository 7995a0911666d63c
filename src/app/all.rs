//! `--all`: stream every record read, in input order (sorted by time within each file), without
//! holding the evidence in memory. Files are read in parallel batches and written in order.

use crate::config::Config;
use crate::correlate::classify::{is_iam_change, is_pipeline_change, Classifier};
use crate::export::{self, Format};
use crate::model::{EntryKind, Gap, InputSummary, TimelineEntry};
use crate::parse::{RecordItem, RecordView};
use crate::scan::{scan, PassOptions, Selector};
use crate::source::Discovered;
use anyhow::Result;
use std::collections::HashSet;
use std::io::Write;

const BATCH: usize = 64;

/// Returns the number of evidence gaps.
pub fn stream(
    d: &Discovered,
    config: &Config,
    format: Format,
    out: &mut dyn Write,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<usize> {
    let classifier = Classifier::new(config);
    let opts = PassOptions {
        max_inflated: config.max_inflated_bytes(),
        index: false,
        arrivals: None,
    };
    let mut inputs: Vec<InputSummary> = Vec::new();
    let mut gaps: Vec<Gap> = d.gaps.clone();
    let mut seen: HashSet<u64> = HashSet::new();
    let (mut read, mut rejected, mut duplicates, mut first) = (0u64, 0u64, 0u64, true);
    export::write_rows_header(out, format)?;
    let all: Vec<u32> = (0..d.files.len() as u32).collect();
    for batch in all.chunks(BATCH) {
        for (n, r) in scan(&d.files, batch, opts, &AllRecords, progress)
            .into_iter()
            .enumerate()
        {
            let input = batch[n];
            let summary = r
                .summary
                .unwrap_or_else(|| unreachable_summary(&d.files[input as usize].display));
            read += summary.records_read;
            rejected += summary.records_rejected;
            inputs.push(summary.clone());
            gaps.extend(r.gaps);
            let mut events = r.events;
            events.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            for e in events {
                if !seen.insert(crate::scan::principal_hash(&e.event_id)) {
                    duplicates += 1;
                    continue;
                }
                let view = RecordView::parse(e.raw.get()).unwrap_or_default();
                let kind = kind_of(&classifier, &view);
                let entry = TimelineEntry::from_event(&e, kind, Vec::new());
                let row = export::Row::from_entry(&entry, &[], None);
                let row = export::Row {
                    input: summary.path.to_string(),
                    ..row
                };
                export::write_row(out, format, &row, first)?;
                first = false;
            }
        }
    }
    gaps.sort();
    let tail = serde_json::json!({
        "inputs": inputs,
        "records_read": read,
        "records_rejected": rejected,
        "duplicates_dropped": duplicates,
        "gaps": gaps,
    });
    export::write_rows_footer(out, format, &tail)?;
    Ok(gaps.len())
}

struct AllRecords;

impl Selector for AllRecords {
    fn keep(&self, _: &RecordItem<'_>) -> bool {
        true
    }
}

fn kind_of(c: &Classifier, view: &RecordView<'_>) -> EntryKind {
    if c.honeytoken(view).is_some_and(|h| h.read) {
        EntryKind::HoneytokenAccess
    } else if c.is_killswitch(view) {
        EntryKind::Containment
    } else if is_pipeline_change(view) {
        EntryKind::PipelineChange
    } else if is_iam_change(view) {
        EntryKind::IamChange
    } else {
        EntryKind::Other
    }
}

fn unreachable_summary(path: &str) -> InputSummary {
    InputSummary {
        path: path.into(),
        sha256: String::new(),
        size: 0,
        kind: "unreadable".into(),
        records_read: 0,
        records_rejected: 0,
    }
}
