//! Fuzz target: EventBridge event patterns. The input is split at the first NUL into a pattern
//! and an event; any pattern parses or is a typed error, and a parsed pattern matches any event
//! (raw, and wrapped as EventBridge wraps a CloudTrail record) without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailcase::rules::event_pattern::{wrap_cloudtrail_record, EventPattern};

fuzz_target!(|data: &[u8]| {
    let (pattern, event) = match data.iter().position(|b| *b == 0) {
        Some(n) => (&data[..n], &data[n + 1..]),
        None => (data, &b"{}"[..]),
    };
    let Ok(pattern) = std::str::from_utf8(pattern) else {
        return;
    };
    let Ok(p) = EventPattern::parse(pattern) else {
        return;
    };
    let _ = p.required_strings("detail.eventName");
    if let Ok(event) = serde_json::from_slice::<serde_json::Value>(event) {
        p.matches(&event);
        p.matches(&wrap_cloudtrail_record(&event));
    }
});
