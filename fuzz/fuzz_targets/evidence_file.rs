//! Fuzz target: a whole evidence file as stored (`trailcase::scan::scan_stored`): gzip whole, cut
//! short or in two members, a trail file's name or another. What must hold is written once, in
//! `tests/support/fuzz_checks.rs`, which the normal test suite also runs on every input found
//! (`tests/data/fuzz/evidence_file/`, replayed by `tests/it/fuzz_replay.rs`).
#![no_main]

// Each target uses one of its checks.
#[allow(dead_code)]
#[path = "../../tests/support/fuzz_checks.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::evidence_file(data));
