//! Fuzz target: the redaction of secrets (`trailcase::export::redact`): any text and any JSON, with
//! secrets planted in its structure. What must hold is written once, in
//! `tests/support/fuzz_checks.rs`, which the normal test suite also runs on every input found
//! (`tests/data/fuzz/redact/`, replayed by `tests/it/fuzz_replay.rs`).
#![no_main]

// Each target uses one of its checks.
#[allow(dead_code)]
#[path = "../../tests/support/fuzz_checks.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::redaction(data));
