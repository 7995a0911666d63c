//! Fuzz target: the record reader (`RecordView::parse`, the plain reader where it can vouch for
//! serde_json) against `serde_json::from_str::<RecordView>`. What must hold is written once, in
//! `tests/support/fuzz_checks.rs`, which the normal test suite also runs on every input found
//! (`tests/data/fuzz/record_view/`, replayed by `tests/it/fuzz_replay.rs`).
#![no_main]

// Each target uses one of its checks.
#[allow(dead_code)]
#[path = "../../tests/support/fuzz_checks.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::record_view(data));
