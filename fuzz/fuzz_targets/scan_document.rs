//! Fuzz target: `scan_document`, which every evidence file goes through. Any bytes are scanned
//! without panicking, and the sink sees exactly the records the scan counts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailcase::parse::{scan_document, RecordItem, RecordSink};

struct Count(u64);

impl RecordSink for Count {
    fn record(&mut self, item: RecordItem<'_>) {
        assert!(!item.raw.is_empty());
        self.0 += 1;
    }
}

fuzz_target!(|data: &[u8]| {
    let mut count = Count(0);
    let scan = scan_document(data, 0, "fuzz.json", &mut count);
    assert_eq!(scan.records, count.0);
});
