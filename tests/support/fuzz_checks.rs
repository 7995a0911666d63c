//! What must hold for any input of the fuzz targets `record_view`, `evidence_file` and `redact`
//! (`fuzz/fuzz_targets/`, which include this file): the targets search for an input that
//! breaks it, and `tests/it/fuzz_replay.rs` replays every input they found
//! (`tests/data/fuzz/<target>/`) on the stable toolchain in the normal test suite. A broken
//! property panics.

use flate2::{write::GzEncoder, Compression};
use serde_json::{json, Map, Value};
use std::io::Write;
use trailcase::export::redact;
use trailcase::parse::{RecordItem, RecordSink, RecordView};
use trailcase::scan::scan_stored;

/// `RecordView::parse` (the plain reader where it can vouch for serde_json, serde_json
/// elsewhere) agrees with `serde_json::from_str::<RecordView>` on any text: the same view when
/// serde_json reads one, a refusal when it refuses; each raw field of a view is one JSON value.
pub fn record_view(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = RecordView::parse(text);
    let serde = serde_json::from_str::<RecordView<'_>>(text);
    match (&ours, &serde) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
        (Err(_), Err(_)) => {}
        _ => panic!("plain reader {ours:?}, serde_json {serde:?} on {text:?}"),
    }
    if let Ok(view) = ours {
        for raw in [
            view.event_time,
            view.at_timestamp,
            view.request_parameters,
            view.response_elements,
            view.service_event_details,
            view.resources,
            view.insight_details,
        ]
        .into_iter()
        .flatten()
        {
            assert!(
                serde_json::from_str::<&serde_json::value::RawValue>(raw.get()).is_ok(),
                "{:?} in {text:?}",
                raw.get()
            );
        }
    }
}

const TRAIL: &str = "123456789012_CloudTrail_us-east-1_20261120T1400Z_a1B2c3.json.gz";
const OTHER: &str = "lookup-events-page-1.json";

struct Count(u64);

impl RecordSink for Count {
    fn record(&mut self, item: RecordItem<'_>) {
        assert!(!item.raw.is_empty());
        self.0 += 1;
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A whole evidence file as stored (`scan_stored`: hashed, gzip inflated, recognised, scanned).
/// The first byte chooses the name (a delivered trail file's or another), the cap (64 bytes or
/// 16 MiB) and how the rest is stored: as it is, gzip in one member, gzip cut short, or gzip in
/// two members. No panic; the sink sees exactly the records counted; every problem and gap has
/// a reason; a file cut short is never read as whole; a trail file's second member is
/// described; content with no record and no recognised shape is a named gap.
pub fn evidence_file(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let name = if mode & 1 == 0 { TRAIL } else { OTHER };
    let cap: u64 = if mode & 0x80 != 0 { 64 } else { 16 << 20 };
    let way = (mode >> 1) & 3;
    let stored = match way {
        0 => body.to_vec(),
        1 => gzip(body),
        // Cut short: at least the gzip header kept, at least one byte lost.
        2 => {
            let g = gzip(body);
            let cut = 10 + usize::from((mode >> 3) & 0xf) * (g.len() - 10) / 16;
            g[..cut].to_vec()
        }
        _ => {
            let half = body.len() / 2;
            [gzip(&body[..half]), gzip(&body[half..])].concat()
        }
    };
    let mut count = Count(0);
    let (read, doc) = scan_stored(stored, 0, name, cap, &mut count);
    assert_eq!(doc.records, count.0, "sink and count differ");
    for (_, reason) in &read.problems {
        assert!(!reason.trim().is_empty(), "a problem without a reason");
    }
    for (_, _, reason) in &doc.gaps {
        assert!(!reason.trim().is_empty(), "a gap without a reason");
    }
    let named = !read.problems.is_empty() || !doc.gaps.is_empty();
    if way == 2 {
        assert!(named, "a gzip file cut short read as whole: {}", doc.kind());
    }
    if way == 3 && name == TRAIL && !named {
        assert!(
            read.appended.is_some(),
            "a trail file's second member not described"
        );
    }
    let blank = read.content.iter().all(u8::is_ascii_whitespace);
    if !blank && doc.records == 0 && doc.kinds.is_empty() && read.appended.is_none() {
        assert!(named, "content with no record, no shape and no gap");
    }
}

const REDACTED: &str = "[REDACTED]";
/// The planted value: letters and digits only, so that no rule can end a value inside it.
const SECRET: &str = "Zq7PLANTEDs3cr3tVALUE";

fn redacted(v: &Value) -> Value {
    let mut out = v.clone();
    redact(&mut out);
    out
}

/// Redaction does not panic; a value that changed holds the marker; redacting again changes
/// nothing.
fn settles(v: Value) {
    let once = redacted(&v);
    if once != v {
        assert!(once.to_string().contains(REDACTED), "{v} -> {once}");
    }
    let twice = redacted(&once);
    assert_eq!(once, twice, "not idempotent: {v}");
}

/// Every object of `v` gets secret-bearing members holding [`SECRET`] (`password`, a
/// `sessionToken` list, a `{"name": "DB_PASSWORD", "value": …}` pair); every string a
/// `DB_PASSWORD=` line.
fn plant(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for val in map.values_mut() {
                plant(val);
            }
            map.insert("password".into(), json!(SECRET));
            map.insert("sessionToken".into(), json!([SECRET]));
            map.insert(
                "planted".into(),
                json!({"name": "DB_PASSWORD", "value": SECRET}),
            );
        }
        Value::Array(items) => items.iter_mut().for_each(plant),
        Value::String(s) => {
            s.push_str("\nDB_PASSWORD=");
            s.push_str(SECRET);
            s.push('\n');
        }
        _ => {}
    }
}

/// Nothing of [`SECRET`] is left once `v` is redacted, and `v` settles.
fn clean(v: Value) {
    let out = redacted(&v).to_string();
    assert!(!out.contains(SECRET), "planted secret kept: {v} -> {out}");
    settles(v);
}

/// `v` (inside a record when it is not an object) with secrets planted ([`plant`]).
fn planted(v: Value) {
    let mut v = match v {
        Value::Object(_) => v,
        other => Value::Object(Map::from_iter([("requestParameters".to_string(), other)])),
    };
    plant(&mut v);
    clean(v);
}

/// Redaction of any text, as a record's strings, under a secret-bearing key, in a command
/// array, and of the text as JSON when it is JSON: it settles ([`settles`]), and a secret
/// planted in the same structure ([`plant`]) or after `--password` never survives it.
pub fn redaction(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The fuzzer can write the planted value itself (as a key, which is kept): not a leak.
    if text.contains("PLANTED") {
        return;
    }
    settles(json!({"requestParameters": {"commands": [text], "note": text}}));
    settles(json!({"password": text}));
    settles(json!(["mysql", "--password", text, text]));
    planted(json!({"requestParameters": {"commands": [text], "note": text}}));
    clean(json!({"commands": [["mysql", "--password", SECRET, text]]}));
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        settles(v.clone());
        planted(v);
    }
}
