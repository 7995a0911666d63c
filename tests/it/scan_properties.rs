//! Property tests of `trailcase::parse::scan_document`, the parser every evidence file goes
//! through: any bytes are scanned without panicking, the sink sees exactly the records the scan
//! counts, and in a trail file every element is accounted for, as a record or as a gap at its
//! index. (Kept apart from `pattern_properties.rs`: a different parser and other strategies.)

use crate::support::props;

use props::{config, leaf};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use trailcase::model::GapKind;
use trailcase::parse::{scan_document, DocumentScan, RecordItem, RecordSink};

/// What the sink saw: index, text and route of each record, in order.
#[derive(Default)]
struct Seen(Vec<(u64, String, &'static str)>);

impl RecordSink for Seen {
    fn record(&mut self, item: RecordItem<'_>) {
        self.0.push((item.index, item.raw.to_string(), item.via));
    }
}

fn scan(bytes: &[u8]) -> (DocumentScan, Seen) {
    let mut seen = Seen::default();
    let scan = scan_document(bytes, 0, "x.json", &mut seen);
    (scan, seen)
}

/// What must hold whatever the input: the count is what the sink saw, records come in index
/// order, and no index is both a record and a gap.
fn consistent(scan: &DocumentScan, seen: &Seen) -> Result<(), TestCaseError> {
    prop_assert_eq!(scan.records as usize, seen.0.len());
    prop_assert!(
        seen.0.windows(2).all(|w| w[0].0 < w[1].0),
        "indices out of order"
    );
    let records: BTreeSet<u64> = seen.0.iter().map(|r| r.0).collect();
    for (index, kind, reason) in &scan.gaps {
        prop_assert!(!reason.is_empty());
        // A record read whose JSON cannot be exported is named, and still a record.
        if *kind == GapKind::RecordNotExportable {
            prop_assert!(index.is_some_and(|i| records.contains(&i)));
            continue;
        }
        if let Some(i) = index {
            prop_assert!(
                !records.contains(i),
                "index {} is a record and a {:?} gap",
                i,
                kind
            );
        }
    }
    Ok(())
}

/// One element of a `Records` array, and whether it is a usable record.
fn element() -> impl Strategy<Value = (Value, bool)> {
    let time = (0u32..24, 0u32..60, 0u32..60, 0u32..3).prop_map(|(h, m, s, form)| match form {
        0 => format!("2026-11-20T{h:02}:{m:02}:{s:02}Z"),
        1 => format!("2026-11-20T{h:02}:{m:02}:{s:02}.123Z"),
        _ => format!("2026-11-20T{h:02}:{m:02}:{s:02}+00:00"),
    });
    let name = prop::sample::select(vec!["GetSecretValue", "ListBuckets", "AssumeRole", "é"]);
    let record = (time, name, any::<u32>()).prop_map(|(t, n, id)| {
        json!({ "eventTime": t, "eventName": n, "eventID": format!("id-{id}"),
                "userIdentity": { "type": "IAMUser", "arn": "arn:aws:iam::1:user/u" } })
    });
    prop_oneof![
        4 => record.clone().prop_map(|r| (r, true)),
        1 => record.clone().prop_map(|r| (json!({ "CloudTrailEvent": r.to_string() }), true)),
        1 => Just((json!({ "eventName": "X", "eventTime": "redacted" }), false)),
        1 => Just((json!({ "eventName": "X" }), false)),
        1 => leaf().prop_map(|v| (json!({ "foo": v }), false)),
        1 => leaf().prop_map(|v| (v, false)),
        1 => Just((json!({ "CloudTrailEvent": "not json" }), false)),
    ]
}

/// One element as text, with what must become of it: the elements issue 13 found vanishing
/// (lone surrogate escapes, nesting past serde_json's limit) and the records that export as
/// `null` (a field nested too deep, a number past an f64's range).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fate {
    Read,
    ReadNotExportable,
    Gap,
}

fn hostile_element() -> impl Strategy<Value = (String, Fate)> {
    let deep = |n: usize| format!("{}1{}", r#"{"a":"#.repeat(n), "}".repeat(n));
    let record = |extra: &str| {
        format!(
            r#"{{"eventTime":"2026-11-20T14:02:17Z","eventName":"GetSecretValue","userAgent":"ua","requestParameters":{{"secretId":"s"{extra}}}}}"#
        )
    };
    prop_oneof![
        Just((record(""), Fate::Read)),
        Just((
            record(r#","k":"\udc80""#).replace(r#""ua""#, r#""\ud800x""#),
            Fate::Read
        )),
        Just((record(r#","k":"\ud83d\ude00""#), Fate::Read)),
        Just((
            record(&format!(r#","x":{}"#, deep(200))),
            Fate::ReadNotExportable
        )),
        Just((record(r#","n":1e999999"#), Fate::ReadNotExportable)),
        // A key written twice with different values, in the record's objects or in the
        // LookupEvents item carrying it: which one AWS wrote is not known, so a gap; written
        // twice the same, read.
        Just((record(r#","secretId":"t""#), Fate::Gap)),
        Just((record(r#","secretId":"s""#), Fate::Read)),
        Just((
            record("").replace(
                r#""userAgent":"ua""#,
                r#""userIdentity":{"type":"IAMUser","type":"Root"},"userAgent":"ua""#
            ),
            Fate::Gap
        )),
        Just((
            format!(
                r#"{{"CloudTrailEvent":{},"CloudTrailEvent":{}}}"#,
                json!(record("")),
                json!(record("").replace("GetSecretValue", "ListSecrets"))
            ),
            Fate::Gap
        )),
        Just((
            format!(
                r#"{{"CloudTrailEvent":{},"CloudTrailEvent":{}}}"#,
                json!(record("")),
                json!(record(""))
            ),
            Fate::Read
        )),
        Just((deep(200), Fate::Gap)),
        Just((format!("[{}]", deep(130)), Fate::Gap)),
        Just((r#"{"foo":"\udc80"}"#.to_string(), Fate::Gap)),
        Just((r#""\udc80""#.to_string(), Fate::Gap)),
        // A syntax error inside the element: that element is a gap, the others are read.
        prop::sample::select(vec![
            "NaN",
            "Infinity",
            "-Infinity",
            "bare",
            "'q'",
            "\"a\tb\"",
            "1,"
        ])
        .prop_map(move |t| (record(&format!(r#","x":{t}"#)), Fate::Gap)),
    ]
}

/// A trail file (`{"Records":[...]}`) or a bare JSON array of `elements`, with any JSON
/// whitespace between the tokens.
fn document(elements: &[(Value, bool)], trail: bool, ws: &[&str]) -> String {
    let sep = |n: usize| ws[n % ws.len()];
    let body: Vec<String> = elements
        .iter()
        .enumerate()
        .map(|(n, (v, _))| format!("{}{v}{}", sep(n), sep(n + 1)))
        .collect();
    let array = format!("[{}{}]", body.join(","), sep(7));
    if trail {
        format!("{}{{{}\"Records\":{array}}}{}", sep(3), sep(5), sep(2))
    } else {
        array
    }
}

fn whitespace() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(
        prop::sample::select(vec!["", " ", "\n", "\r\n", "\t "]),
        1..4,
    )
}

proptest! {
    #![proptest_config(config(384))]

    #[test]
    fn any_bytes_are_scanned_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let (scan, seen) = scan(&bytes);
        consistent(&scan, &seen)?;
    }

    #[test]
    fn json_like_text_is_scanned_without_panic(
        text in r#"[ \n{}\[\]":,0-9a-zA-Z.\\-]{0,200}"#,
    ) {
        let (scan, seen) = scan(text.as_bytes());
        consistent(&scan, &seen)?;
    }

    #[test]
    fn every_element_of_a_trail_file_is_a_record_or_a_gap(
        elements in prop::collection::vec(element(), 0..12),
        trail in any::<bool>(),
        ws in whitespace(),
    ) {
        let text = document(&elements, trail, &ws);
        let (scan, seen) = scan(text.as_bytes());
        consistent(&scan, &seen)?;
        let want: Vec<u64> = (0..elements.len() as u64).filter(|&i| elements[i as usize].1).collect();
        let got: Vec<u64> = seen.0.iter().map(|r| r.0).collect();
        prop_assert_eq!(&got, &want, "records of {}", text);
        let gaps: Vec<Option<u64>> = scan.gaps.iter().map(|g| g.0).collect();
        let want_gaps: Vec<Option<u64>> = (0..elements.len() as u64)
            .filter(|&i| !elements[i as usize].1)
            .map(Some)
            .collect();
        prop_assert_eq!(gaps, want_gaps, "gaps of {}", text);
        // Each record's text is the record: the element itself, or the string it carries.
        for (index, raw, via) in &seen.0 {
            let element = &elements[*index as usize].0;
            let record: Value = serde_json::from_str(raw).unwrap();
            match element.get("CloudTrailEvent").and_then(Value::as_str) {
                Some(inner) => {
                    prop_assert_eq!(*via, "lookup-events");
                    prop_assert_eq!(record, serde_json::from_str::<Value>(inner).unwrap());
                }
                None => {
                    prop_assert_eq!(*via, "cloudtrail");
                    prop_assert_eq!(&record, element);
                }
            }
        }
    }

    #[test]
    fn hostile_elements_are_read_or_gapped_never_dropped(
        elements in prop::collection::vec(hostile_element(), 1..8),
        trail in any::<bool>(),
    ) {
        let body: Vec<&str> = elements.iter().map(|(t, _)| t.as_str()).collect();
        let array = format!("[{}]", body.join(","));
        let text = if trail { format!(r#"{{"Records":{array}}}"#) } else { array };
        let (scan, seen) = scan(text.as_bytes());
        consistent(&scan, &seen)?;
        let read: Vec<u64> = seen.0.iter().map(|r| r.0).collect();
        let fate = |f: &dyn Fn(Fate) -> bool| -> Vec<u64> {
            (0..elements.len() as u64).filter(|&i| f(elements[i as usize].1)).collect()
        };
        prop_assert_eq!(&read, &fate(&|f| f != Fate::Gap), "records of {}", text);
        let named = |kind: GapKind| -> Vec<u64> {
            scan.gaps.iter().filter(|g| g.1 == kind).filter_map(|g| g.0).collect()
        };
        prop_assert_eq!(named(GapKind::RecordNotExportable), fate(&|f| f == Fate::ReadNotExportable));
        let mut rejected: Vec<u64> = scan.gaps.iter()
            .filter(|g| g.1 != GapKind::RecordNotExportable)
            .map(|g| g.0.expect("a gap at an index"))
            .collect();
        rejected.sort_unstable();
        prop_assert_eq!(rejected, fate(&|f| f == Fate::Gap), "gaps of {}", text);
        // Every record read is JSON a `Value` holds when not named otherwise.
        for (index, raw, _) in &seen.0 {
            if elements[*index as usize].1 == Fate::Read {
                prop_assert!(serde_json::from_str::<Value>(raw).is_ok(), "{}", raw);
            }
        }
    }

    #[test]
    fn a_cut_or_damaged_trail_file_keeps_a_prefix_of_its_records(
        elements in prop::collection::vec(element(), 1..10),
        ws in whitespace(),
        cut in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(vec![b'"', b'{', b'}', b']', b',', b'\\', 0xff, b'0', b' ']),
    ) {
        let text = document(&elements, true, &ws);
        let (_, whole) = scan(text.as_bytes());
        let bytes = text.as_bytes();
        let (part_scan, part) = scan(&bytes[..cut.index(bytes.len() + 1)]);
        consistent(&part_scan, &part)?;
        prop_assert!(whole.0.starts_with(&part.0), "a prefix gave other records");
        let mut damaged = bytes.to_vec();
        damaged[at.index(bytes.len())] = byte;
        let (damaged_scan, damaged_seen) = scan(&damaged);
        consistent(&damaged_scan, &damaged_seen)?;
    }
}
