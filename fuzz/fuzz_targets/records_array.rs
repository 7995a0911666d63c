//! Fuzz target: the records-array path of `scan_document` (`{"Records":[…]}` trail files, with
//! the fast path and the streaming reader behind it, and bare JSON arrays). The fuzzer's bytes
//! are the array's elements, so every run reaches the element loop that once dropped records
//! silently. Any elements are scanned without panicking; the sink sees exactly the records the
//! scan counts, in index order; and no index is both a record and a rejection.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use trailcase::model::GapKind;
use trailcase::parse::{scan_document, RecordItem, RecordSink};

#[derive(Default)]
struct Indices(Vec<u64>);

impl RecordSink for Indices {
    fn record(&mut self, item: RecordItem<'_>) {
        assert!(!item.raw.is_empty());
        self.0.push(item.index);
    }
}

fn check(document: &[u8]) {
    let mut seen = Indices::default();
    let scan = scan_document(document, 0, "fuzz.json", &mut seen);
    assert_eq!(scan.records, seen.0.len() as u64);
    assert!(
        seen.0.windows(2).all(|w| w[0] < w[1]),
        "indices out of order"
    );
    let records: BTreeSet<u64> = seen.0.iter().copied().collect();
    for (index, kind, reason) in &scan.gaps {
        assert!(!reason.is_empty());
        if let (Some(i), false) = (index, *kind == GapKind::RecordNotExportable) {
            assert!(
                !records.contains(i),
                "index {i} is a record and a {kind:?} gap"
            );
        }
    }
}

fuzz_target!(|elements: &[u8]| {
    let trail = [&b"{\"Records\":["[..], elements, b"]}"].concat();
    check(&trail);
    let array = [&b"["[..], elements, b"]"].concat();
    check(&array);
});
