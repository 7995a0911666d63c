//! The fast path for trail files, `{"Records":[...]}`: each record is parsed once, straight from
//! the document, where the general path in `shape` parses it twice (once as a `RawValue` to find
//! its extent, once into a [`RecordView`]). Half of all parsing, on the shape nearly all evidence has.
//!
//! It only takes documents it can finish: every element a CloudTrail record, the whole valid
//! JSON. On anything else it hands the document back to the general path, which must then give
//! the same result as if it had run alone (tested below on every sample and on edge cases).
//! What follows the document (another one, `cat a.json b.json`) is the caller's: each document
//! of a file takes the fast path on its own.

use super::text::{closes_object, records_array};
use super::trail_stream::{Expect, Step};
use super::Ctx;

impl Ctx<'_> {
    /// Reads the document at the start of `text` and returns where it ends, or restores the
    /// scan as it found it and returns `None`. The records it already gave to the sink are not
    /// given again (`sink_from`): both paths decide each record the same way, so the general
    /// path would have given the same. `text` is the rest of the file, checked as UTF-8 once by
    /// the caller for all its documents (borrowed strings need it; the general path checks it
    /// per value).
    pub(super) fn trail_file(&mut self, text: &str) -> Option<usize> {
        let start = records_array(text.as_bytes())?;
        let saved = (
            self.next_index,
            self.scan.records,
            self.scan.gaps.len(),
            self.scan.kinds.clone(),
        );
        self.scan.kinds.insert("cloudtrail-records");
        if let Some(end) = self.trail_records(text, start) {
            return Some(end);
        }
        self.sink_from = self.sink_from.max(self.next_index);
        let (next_index, records, gaps, kinds) = saved;
        self.next_index = next_index;
        self.scan.records = records;
        self.scan.gaps.truncate(gaps);
        self.scan.kinds = kinds;
        None
    }

    /// The elements of the `Records` array starting at `pos` (just after its `[`), then the
    /// `}` that ends the document: where it ends. `None` as soon as something is not a record
    /// or not well formed. The document is one window of the streaming reader's loop.
    fn trail_records(&mut self, text: &str, pos: usize) -> Option<usize> {
        match self.trail_window(text, pos, Expect::First) {
            Step::Closed(at) => closes_object(text.as_bytes(), at),
            Step::More(..) | Step::Fail => None,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::{scan_document_with, Ctx, DocumentScan, RecordItem, RecordSink};
    use crate::model::GapKind;
    use std::path::{Path, PathBuf};

    /// What the sink saw: index, text, time and route of every record.
    #[derive(Default)]
    pub(crate) struct Seen(pub Vec<(u64, String, i64, &'static str)>);

    impl RecordSink for Seen {
        fn record(&mut self, item: RecordItem<'_>) {
            self.0.push((
                item.index,
                item.raw.to_string(),
                item.time.millis(),
                item.via,
            ));
        }
    }

    /// Asserts that two scans gave the sink and the result the same, to the letter.
    pub(crate) fn same_scan(a: (&Seen, &DocumentScan), b: (&Seen, &DocumentScan), what: &str) {
        assert_eq!(a.0 .0, b.0 .0, "{what}: records");
        assert_eq!(a.1.kinds, b.1.kinds, "{what}: kinds");
        assert_eq!(a.1.records, b.1.records, "{what}: count");
        assert_eq!(a.1.gaps, b.1.gaps, "{what}: gaps");
        assert_eq!(
            format!("{:?}", a.1.config),
            format!("{:?}", b.1.config),
            "{what}"
        );
    }

    /// Scans `bytes` with and without the fast path and asserts that nothing differs.
    fn same_both_ways(bytes: &[u8], what: &str) {
        let (mut fast, mut general) = (Seen::default(), Seen::default());
        let a = scan_document_with(bytes, 3, "x.json", &mut fast, true);
        let b = scan_document_with(bytes, 3, "x.json", &mut general, false);
        same_scan((&fast, &a), (&general, &b), what);
    }

    /// Every file of `samples/` and `tests/data/shared`, inflated: (path, content).
    pub(crate) fn all_samples() -> Vec<(String, Vec<u8>)> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        files_under(&root.join("samples"), &mut files);
        let shared = root.join("tests/data/shared");
        assert!(
            shared.is_dir(),
            "the shared samples are expected at {}",
            shared.display()
        );
        files_under(&shared, &mut files);
        assert!(files.len() > 100);
        files
            .into_iter()
            .map(|path| {
                let stored = std::fs::read(&path).unwrap();
                (path.display().to_string(), inflate(stored))
            })
            .collect()
    }

    /// A sample file's content: every gzip member inflated (as far as it inflates: a damaged
    /// sample keeps what came before the damage), or the bytes as they are. Done here rather than
    /// with `source::files::decode` so that `parse` never imports `source`.
    fn inflate(stored: Vec<u8>) -> Vec<u8> {
        if !stored.starts_with(&[0x1f, 0x8b]) {
            return stored;
        }
        let mut content = Vec::new();
        let mut gz = flate2::read::MultiGzDecoder::new(stored.as_slice());
        let _ = std::io::Read::read_to_end(&mut gz, &mut content);
        content
    }

    /// Whether the fast path reads the first document of `bytes` (never when it is not UTF-8:
    /// the caller does not offer it then).
    fn takes_fast_path(bytes: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return false;
        };
        let mut seen = Seen::default();
        let mut ctx = Ctx {
            sink: &mut seen,
            scan: Default::default(),
            next_index: 0,
            input: 0,
            name_hint: String::new(),
            unrecognised: Vec::new(),
            depth: 0,
            fast: true,
            sink_from: 0,
            not_utf8: Vec::new(),
            document_at: 0,
            text_checked: false,
            handled_end: 0,
            bad_items: Vec::new(),
        };
        ctx.trail_file(text).is_some()
    }

    fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files_under(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_fast_path_reads_every_sample_as_the_general_path_does() {
        let mut fast = 0;
        for (path, content) in all_samples() {
            same_both_ways(&content, &path);
            fast += usize::from(takes_fast_path(content.trim_ascii_start()));
        }
        assert!(fast > 50, "only {fast} files took the fast path");
    }

    /// Documents with a syntax error inside one element, or between elements, or with an
    /// element whose extent cannot be found: every path must give the general one's result
    /// (`resync.rs` holds what that result is).
    pub(crate) fn syntax_error_cases() -> Vec<String> {
        let bad = bad_element;
        let mut cases: Vec<String> = SYNTAX_ERRORS
            .iter()
            .flat_map(|t| {
                [
                    format!(r#"{{"Records":[{A},{},{B}]}}"#, bad(t)),
                    format!(r#"{{"Records":[{},{A},{B}]}}"#, bad(t)),
                    format!(r#"[{A},{},{B}]"#, bad(t)),
                ]
            })
            .collect();
        cases.extend([
            format!(r#"{{"Records":[{A},{{'eventName':'X'}},{B}]}}"#),
            format!(r#"{{"Records":[{A},NaN,{B}]}}"#),
            format!(r#"{{"Records":[{A},,{B}]}}"#),
            format!(r#"{{"Records":[{A} {B},{B}]}}"#),
            format!(r#"{{"Other":NaN,"Records":[{A},{B}]}}"#),
            format!(r#"{{"Records":[{A},{B}],"Other":[NaN]}}"#),
            format!(r#"{{"Records":[{A},{}]}}{{"Records":[{B}]}}"#, bad("NaN")),
            format!(r#"{{"Records":[{A},{}]}}  x"#, bad("NaN")),
            format!(
                r#"{{"Events":[{{"CloudTrailEvent":{}}},{{"CloudTrailEvent":NaN}},{{"CloudTrailEvent":{}}}]}}"#,
                serde_json::to_string(A).unwrap(),
                serde_json::to_string(B).unwrap()
            ),
            // Extents that cannot be found: a string never closed, brackets never closed or
            // closed by the other kind.
            format!(r#"{{"Records":[{A},{},{B}]}}"#, bad(r#""abc}"#)),
            format!(r#"{{"Records":[{A},{},{B}]}}"#, bad(&"[".repeat(1000))),
            format!(r#"{{"Records":[{A},{{"eventName":"X","u":{{"a":1],{B}]}}"#),
        ]);
        cases
    }

    /// Tokens no JSON parser takes as a value, each a syntax error inside one element
    /// ([`bad_element`]): here and in `resync.rs`'s tests.
    pub(crate) const SYNTAX_ERRORS: [&str; 7] = [
        "NaN",
        "Infinity",
        "-Infinity",
        "hello",
        "'y'",
        "\"a\tb\"",
        "1,",
    ];

    /// A record whose `requestParameters.x` is `token` as written (a syntax error when it is one
    /// of [`SYNTAX_ERRORS`]).
    pub(crate) fn bad_element(token: &str) -> String {
        format!(
            r#"{{"eventName":"X","eventTime":"2026-11-20T14:02:18Z","requestParameters":{{"x":{token}}}}}"#
        )
    }

    pub(crate) const A: &str =
        r#"{"eventTime":"2026-11-20T14:02:17Z","eventName":"GetSecretValue","eventID":"a"}"#;
    pub(crate) const B: &str = r#"{"eventTime":"2026-11-20T14:03:00Z","eventSource":"s3.amazonaws.com","userIdentity":{"arn":"x"}}"#;

    #[test]
    fn documents_the_fast_path_hands_back_give_the_general_result() {
        let cases = [
            format!(r#"{{"Records":[{A},{B}]}}"#),
            format!(" \n{{ \"Records\" :\t[ {A} ,\r\n{B} ] }}\n\n"),
            r#"{"Records":[]}"#.to_string(),
            r#"{"Records":[ ]} x"#.to_string(),
            // Not a record in the middle, after records were given to the sink.
            format!(r#"{{"Records":[{A},{{"foo":1}},{B}]}}"#),
            format!(r#"{{"Records":[{A},"text",{B}]}}"#),
            format!(r#"{{"Records":[{A},{{"Records":[{B}]}},{B}]}}"#),
            // Bad or missing times are gaps on both paths.
            format!(r#"{{"Records":[{A},{{"eventName":"X","eventTime":"redacted"}},{B}]}}"#),
            format!(r#"{{"Records":[{A},{{"eventName":"X"}},{B}]}}"#),
            // Broken JSON: truncated, trailing comma, garbage, a second key, duplicate fields.
            format!(r#"{{"Records":[{A},{B}"#),
            format!(r#"{{"Records":[{A},{B},]}}"#),
            format!(r#"{{"Records":[{A},{B}]}}]"#),
            format!(r#"{{"Records":[{A} {B}]}}"#),
            format!(r#"{{"Records":[{A}],"Other":[{B}]}}"#),
            format!(r#"{{"Records":[{A}],"Records":[{B}]}}"#),
            format!(r#"{{"Records":[{A},{{"eventName":"X","eventName":"Y"}},{B}]}}"#),
            format!(
                r#"{{"Records":[{A},{{"eventName":"X","readOnly":true,"eventName":"X"}},{B}]}}"#
            ),
            format!(r#"{{"Records":[{A},{{"eventName":"X","userIdentity":"root"}},{B}]}}"#),
            format!(r#"{{"Records":[{A},{{"eventName":"X","v":tru}},{B}]}}"#),
            format!(r#"{{"Records":[{A},{{"eventName":"X","s":"\ud800"}},{B}]}}"#),
            // Other shapes are not for the fast path.
            format!(r#"[{A},{B}]"#),
            format!(
                r#"{{"Events":[{{"CloudTrailEvent":{}}}]}}"#,
                serde_json::to_string(A).unwrap()
            ),
            format!("{A}\n{B}\n"),
            // Issue 13: lone surrogates (in a field the view reads, and in one it skips), a
            // record nested too deep or with a number too large to export, a deep element, and
            // documents back to back.
            format!(r#"{{"Records":[{A},{{"eventName":"X","userAgent":"\udc80"}},{B}]}}"#),
            format!(
                r#"{{"Records":[{A},{{"eventName":"X","eventTime":"2026-11-20T14:02:17Z","k":"\udc80"}},{B}]}}"#
            ),
            format!(
                r#"{{"Records":[{A},{{"eventName":"X","eventTime":"2026-11-20T14:02:17Z","k":{}1{}}},{B}]}}"#,
                "[".repeat(200),
                "]".repeat(200)
            ),
            format!(
                r#"{{"Records":[{A},{{"eventName":"X","eventTime":"2026-11-20T14:02:17Z","n":1e999999}}]}}"#
            ),
            format!(
                r#"{{"Records":[{A},{}1{}]}}"#,
                r#"{"a":"#.repeat(200),
                "}".repeat(200)
            ),
            format!(r#"{{"Records":[{A}]}}{{"Records":[{B}]}}"#),
            // An element that is an array of a record, or of anything (serde's derived view
            // would read it as fields in order), and a record nested in one.
            format!(r#"{{"Records":[{A},[{B}],{B}]}}"#),
            format!(r#"{{"Records":[{A},[1,2],{B}]}}"#),
            format!(r#"{{"Records":[{A},{{"Records":[{B}]}},[[{B}]]]}}"#),
        ];
        for (n, case) in cases.iter().enumerate() {
            same_both_ways(case.as_bytes(), case);
            let fast = [0, 1, 2, 3, 7, 8, 11, 19, 24, 25, 26, 28].contains(&n);
            assert_eq!(
                takes_fast_path(case.as_bytes().trim_ascii_start()),
                fast,
                "{case}"
            );
        }
        for case in syntax_error_cases() {
            same_both_ways(case.as_bytes(), &case);
            assert!(!takes_fast_path(case.as_bytes()), "{case}");
        }
        // LookupEvents items, read the quick way (two fields) and the general way (a `Value`).
        let a = serde_json::to_string(A).unwrap();
        let b = serde_json::to_string(B).unwrap();
        let time = r#""EventTime":"2026-11-20T14:02:17Z""#;
        let items = [
            format!(r#"{{{time},"CloudTrailEvent":{a}}}"#),
            format!(r#"{{"CloudTrailEvent":{b},"EventTime":1763647337,"Resources":[{{"x":1}}]}}"#),
            format!(r#"{{"CloudTrailEvent":{b},"EventTime":null}}"#),
            // A field written twice differently is a gap either way (which one AWS wrote is
            // not known); written twice the same, it is read once.
            format!(r#"{{"CloudTrailEvent":{a},"CloudTrailEvent":{b}}}"#),
            format!(r#"{{{time},{time},"CloudTrailEvent":{b}}}"#),
            // Not a string, not an object, not a record, not JSON, a lone surrogate.
            format!(r#"{{"CloudTrailEvent":{A}}}"#),
            format!(r#"[{a},{b}]"#),
            r#"{"CloudTrailEvent":"{\"eventName\":\"X\"}"}"#.to_string(),
            r#"{"CloudTrailEvent":"{\"eventName\":"}"#.to_string(),
            r#"{"CloudTrailEvent":" [1] "}"#.to_string(),
            format!(r#"{{"CloudTrailEvent":{a},"x":tru}}"#),
            format!(r#"{{"CloudTrailEvent":{a},"s":"\ud800"}}"#),
            r#"{"CloudTrailEvent":"{\"eventTime\":\"2026-11-20T14:02:17Z\",\"eventSource\":\"s3.amazonaws.com\",\"k\":\"\\udc80\"}"}"#.to_string(),
            r#"{"CloudTrailEvent":"{\"eventSource\":\"s3.amazonaws.com\"}","EventTime":"2026-11-20T14:02:17Z"}"#.to_string(),
            // An item that also holds a record's own keys (of any value) is a record first.
            format!(r#"{{"CloudTrailEvent":{a},"eventName":"GetSecretValue",{}}}"#, r#""eventTime":"2026-11-20T14:02:17Z""#),
            format!(r#"{{"CloudTrailEvent":{a},"userIdentity":null}}"#),
            format!(r#"{{"CloudTrailEvent":{a},"eventTime":null}}"#),
            format!(r#"{{"insightDetails":{{}},"CloudTrailEvent":{a}}}"#),
            format!(r#"{{"CloudTrailEvent":{a},"eventSource":5}}"#),
            format!(r#"{{"CloudTrailEvent":{b},"eventSource":"s3.amazonaws.com","eventName":"X"}}"#),
        ];
        for item in &items {
            let page = format!(r#"{{"Events":[{item},{item}],"NextToken":"t"}}"#);
            same_both_ways(page.as_bytes(), &page);
            same_both_ways(item.as_bytes(), item);
        }
        // A lone surrogate outside the record does not lose it (read with U+FFFD, as a trail
        // record's own would be).
        let mut seen = Seen::default();
        let scan = scan_document_with(items[11].as_bytes(), 0, "x.json", &mut seen, true);
        assert_eq!(seen.0.len(), 1, "{}", items[11]);
        assert_eq!(seen.0[0].1, A);
        assert!(scan.gaps.is_empty(), "{:?}", scan.gaps);
        // An array is no record: named as what it is, not as a record with a strange eventTime.
        let not_object = (
            GapKind::UnrecognisedContent,
            "a JSON value that is not an object",
        );
        let expected = [
            (2, vec![(1, not_object)]),
            (2, vec![(1, not_object)]),
            (
                1,
                vec![
                    (
                        1,
                        (
                            GapKind::MalformedRecord,
                            "not a usable record: an object with keys Records",
                        ),
                    ),
                    (2, not_object),
                ],
            ),
        ];
        for (case, (records, gaps)) in cases[29..].iter().zip(expected) {
            let mut seen = Seen::default();
            let scan = scan_document_with(case.as_bytes(), 0, "x.json", &mut seen, true);
            assert_eq!(seen.0.len(), records, "{case}");
            let got: Vec<_> = (scan.gaps.iter())
                .map(|g| (g.0.unwrap(), (g.1, g.2.as_str())))
                .collect();
            assert_eq!(got, gaps, "{case}");
        }
        // A CloudTrailEvent written twice with different records gives neither: a gap.
        for fast in [true, false] {
            let mut seen = Seen::default();
            let scan = scan_document_with(items[3].as_bytes(), 0, "x.json", &mut seen, fast);
            assert!(seen.0.is_empty(), "{:?}", seen.0);
            assert_eq!(scan.gaps.len(), 1, "{:?}", scan.gaps);
            assert_eq!(scan.gaps[0].1, GapKind::MalformedRecord);
            assert!(scan.gaps[0].2.contains("`CloudTrailEvent` twice"));
        }
        // Invalid UTF-8 inside a field no one reads.
        let mut bytes =
            format!(r#"{{"Records":[{A},{{"eventName":"X","s":"?"}},{B}]}}"#).into_bytes();
        let q = bytes.iter().position(|b| *b == b'?').unwrap();
        bytes[q] = 0xff;
        same_both_ways(&bytes, "invalid UTF-8");
    }
}
