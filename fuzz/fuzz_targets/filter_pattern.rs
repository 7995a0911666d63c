//! Fuzz target: CloudWatch Logs filter patterns. The input is split at the first NUL into a
//! pattern and a message; any pattern parses or is a typed error, and a parsed pattern matches
//! any message (as text, and as JSON when it is JSON) without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailcase::rules::filter_pattern::FilterPattern;

fuzz_target!(|data: &[u8]| {
    let (pattern, message) = match data.iter().position(|b| *b == 0) {
        Some(n) => (&data[..n], &data[n + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(pattern) = std::str::from_utf8(pattern) else {
        return;
    };
    let Ok(p) = FilterPattern::parse(pattern) else {
        return;
    };
    let _ = p.required_strings("eventName");
    let message = String::from_utf8_lossy(message);
    p.matches_message(&message);
    if let Ok(record) = serde_json::from_str::<serde_json::Value>(&message) {
        p.matches_json(&record);
    }
});
