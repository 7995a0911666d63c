//! The plain files read once: the analysis's pre-pass reads the plain files ahead of the first
//! pass, and the first pass parsed them again (the LookupEvents pages: serde_json over the page,
//! then over each item's escaped `CloudTrailEvent`; the case's `manifest.json`, 3.6 MB in the
//! 1 M set, into a generic `Value`). What the pre-pass read of a file that holds only
//! LookupEvents records, or no record at all (its hash, size, reading problems, what the
//! document held besides records, and each record's text, index and time) is kept, within a
//! budget, and the first pass gives those records to its own sink instead of reading the file
//! again. The records' views are read again from their text, as the page's reader read them
//! (`RecordView::parse` of the `CloudTrailEvent` string), so every sink sees the same items.

use crate::model::{GapKind, Timestamp};
use crate::parse::{DocumentScan, RecordItem, RecordSink, RecordView};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The most record text kept for the first pass, all files together: the 1 M benchmark set's
/// 68 pages hold about 8 MB of it.
const BUDGET: usize = 64 << 20;

/// What the first pass needs of one file the pre-pass read.
#[derive(Debug)]
pub(super) struct Kept {
    pub sha256: String,
    pub size: u64,
    pub problems: Vec<(GapKind, String)>,
    pub doc: DocumentScan,
    records: Vec<KeptRecord>,
}

#[derive(Debug)]
struct KeptRecord {
    index: u64,
    raw: String,
    time: Timestamp,
}

/// The files the pre-pass kept for the first pass, by input index.
#[derive(Default)]
pub struct ReadAhead {
    kept: Mutex<std::collections::HashMap<u32, Kept>>,
    used: AtomicUsize,
}

impl ReadAhead {
    /// Keep `kept` for input `input` if the budget has room for its records' text (a file of
    /// no record counts its stored size: what its document held is no larger).
    pub(super) fn keep(&self, input: u32, kept: Kept) {
        let bytes = if kept.records.is_empty() {
            usize::try_from(kept.size).unwrap_or(usize::MAX)
        } else {
            kept.records.iter().map(|r| r.raw.len()).sum()
        };
        if bytes > BUDGET || self.used.fetch_add(bytes, Ordering::Relaxed) + bytes > BUDGET {
            return;
        }
        self.kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(input, kept);
    }

    /// What was kept of input `input`, taken (the first pass reads each file once).
    pub(super) fn take(&self, input: u32) -> Option<Kept> {
        self.kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&input)
    }
}

/// Passes every record on to `inner` and notes it, as long as every record so far came from a
/// LookupEvents item (`via` `lookup-events`): a file with any other record is not kept.
pub(super) struct Noting<'a> {
    pub inner: &'a mut dyn RecordSink,
    records: Option<Vec<KeptRecord>>,
}

impl<'a> Noting<'a> {
    pub fn new(inner: &'a mut dyn RecordSink) -> Noting<'a> {
        Noting {
            inner,
            records: Some(Vec::new()),
        }
    }

    /// The file's records, when it is one to keep: only LookupEvents records, at least one; or
    /// no record at all (the case's 3.6 MB `manifest.json` of the 1 M set, the CloudWatch and
    /// EventBridge outputs: what the document held is all there is to give).
    pub fn kept(
        self,
        sha256: &str,
        size: u64,
        problems: &[(GapKind, String)],
        doc: &DocumentScan,
    ) -> Option<Kept> {
        let records = self.records?;
        let only_pages = doc.kinds.len() == 1 && doc.kinds.contains("lookup-events");
        (only_pages || records.is_empty()).then(|| Kept {
            sha256: sha256.to_string(),
            size,
            problems: problems.to_vec(),
            doc: doc.clone(),
            records,
        })
    }
}

impl RecordSink for Noting<'_> {
    fn record(&mut self, item: RecordItem<'_>) {
        match &mut self.records {
            Some(records) if item.via == "lookup-events" => records.push(KeptRecord {
                index: item.index,
                raw: item.raw.to_string(),
                time: item.time,
            }),
            _ => self.records = None,
        }
        self.inner.record(item);
    }
}

/// Give `sink` the records kept of a file, as its reader gave them; `false` (nothing given)
/// when a record's text does not read into a view again, which the reader's did.
pub(super) fn replay(kept: &Kept, sink: &mut dyn RecordSink) -> bool {
    let Ok(views) = kept
        .records
        .iter()
        .map(|r| RecordView::parse(&r.raw))
        .collect::<Result<Vec<_>, _>>()
    else {
        return false;
    };
    for (record, view) in kept.records.iter().zip(&views) {
        sink.record(RecordItem {
            index: record.index,
            raw: &record.raw,
            view,
            time: record.time,
            via: "lookup-events",
        });
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{scan, scan_ahead, Ahead, PassOptions, Selector};

    /// A record as a selector is shown it: input, index, text, time, how it came, and the
    /// view's name and principal keys.
    type ShownRecord = (u32, u64, String, i64, &'static str, String, Vec<String>);

    /// Every record a pass's selector is shown.
    #[derive(Default)]
    struct Shown(Mutex<Vec<ShownRecord>>);

    impl Selector for Shown {
        fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
            self.0.lock().unwrap().push((
                input,
                item.index,
                item.raw.to_string(),
                item.time.0,
                item.via,
                item.view
                    .event_name
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                item.view.principal_keys().map(str::to_string).collect(),
            ));
            item.index.is_multiple_of(2)
        }
    }

    /// The sample case read by a pass given what a pre-pass kept of its LookupEvents pages is
    /// the case read whole: the same records shown to the selector, the same kept events, gaps
    /// and input summaries; and the pages were kept (not read again).
    #[test]
    fn records_kept_ahead_are_given_as_reading_again_gives_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let d = crate::source::discover(&[root.join("samples/incident-01")]).unwrap();
        let all: Vec<u32> = (0..d.files.len() as u32).collect();
        let opts = PassOptions {
            max_inflated: 1 << 30,
            index: true,
            s3_decoys: None,
            arrivals: None,
        };
        let summary = |results: Vec<crate::scan::FileResult>| {
            results
                .into_iter()
                .map(|r| {
                    let events: Vec<_> = r
                        .events
                        .iter()
                        .map(|e| (e.origin, e.raw.get().to_string()))
                        .collect();
                    (r.summary, r.gaps, events, r.seen.principals, r.period)
                })
                .collect::<Vec<_>>()
        };
        let (once, twice) = (Shown::default(), Shown::default());
        let read = summary(scan(&d.files, &all, opts, &once, &|_| {}));
        let ahead = ReadAhead::default();
        scan_ahead(
            &d.files,
            &all,
            opts,
            &Shown::default(),
            &|_| {},
            Ahead::Keep(&ahead),
        );
        let (pages, other): (Vec<_>, Vec<_>) = ahead
            .kept
            .lock()
            .unwrap()
            .iter()
            .map(|(&input, kept)| (input, kept.records.is_empty()))
            .partition(|(_, none)| !none);
        assert_eq!(pages.len(), 2, "the sample's two LookupEvents pages");
        // The plain files that hold no record: the CloudWatch, EventBridge and posture outputs.
        assert!(other.len() > 5, "{other:?}");
        let given = summary(scan_ahead(
            &d.files,
            &all,
            opts,
            &twice,
            &|_| {},
            Ahead::Give(&ahead),
        ));
        assert!(ahead.kept.lock().unwrap().is_empty());
        let mut once = once.0.into_inner().unwrap();
        let mut twice = twice.0.into_inner().unwrap();
        once.sort();
        twice.sort();
        assert!(once.iter().filter(|r| r.4 == "lookup-events").count() > 10);
        assert_eq!(once, twice);
        assert_eq!(read, given);
    }
}
