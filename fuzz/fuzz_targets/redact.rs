//! Fuzz target: the redaction of secrets (`trailcase::export::redact`), which every record goes
//! through before it is written. Any text, as a string under an ordinary key, under a
//! secret-bearing key and inside a command array, and the input as JSON when it is JSON, is
//! redacted without panicking; a string that changed holds the marker (a secret is replaced,
//! never cut), and redacting the result again does not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use trailcase::export::redact;

const REDACTED: &str = "[REDACTED]";

fn check(mut v: Value) {
    let before = v.clone();
    redact(&mut v);
    if v != before {
        assert!(v.to_string().contains(REDACTED), "{before} -> {v}");
    }
    redact(&mut v);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(json!({"requestParameters": {"commands": [text], "note": text}}));
    check(json!({"password": text}));
    check(json!(["mysql", "--password", text, text]));
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        check(v);
    }
});
