//! Reading on after a syntax error inside a document of streamed arrays (`{"Records":[...]}`,
//! a LookupEvents page, a CloudWatch Logs export, a JSON array): serde_json stops at the first
//! error, which cost every element after it. Here the elements serde_json did not reach are
//! found by a lenient scan (`lenient_scan.rs`): each is read as its own JSON value, a bad one
//! is a `malformed_record` gap at its index, and the rest are read. Where an element's extent
//! cannot be found safely (a string or bracket never closed, brackets that do not match), the
//! gap says how far the document was read and from which byte it was not. Runs only after an
//! error: the error-free path pays nothing but one store per element.

use super::document_keys::repeated_among;
use super::lenient_scan::{string_end, value_end};
use super::stream::streamed_key;
use super::text::skip_ws;
use super::Ctx;
use crate::model::GapKind;
use crate::parse::record::json_error;
use serde_json::value::RawValue;

/// What a resync made of a document.
pub(super) enum Resynced {
    /// No streamed array in it: nothing was read here, the caller tells the error.
    NotStreamed,
    /// Read to its end, just before this offset of the value.
    Ended(usize),
    /// Read up to a point past which no element's extent could be found (told in a gap).
    Stopped,
}

/// Where the walk stopped before the end of the document, and why.
struct Stop {
    from: usize,
    why: String,
}

/// One resync's walk over a document.
struct Walk<'b> {
    body: &'b [u8],
    /// Every element ending at or before this offset was already handled by serde_json.
    handled: usize,
    /// Where `body` starts in the document (offsets in gaps are the document's).
    at: usize,
    /// Extents of the elements named as not JSON.
    bad: Vec<(usize, usize)>,
    /// Whether an array under a streamed key (or a top-level array) was found.
    streamed: bool,
}

impl Walk<'_> {
    fn stop(&self, from: usize, why: impl Into<String>) -> Stop {
        Stop {
            from,
            why: why.into(),
        }
    }
}

impl Ctx<'_> {
    /// serde_json stopped at `e` reading `body` (one value, starting with `{` or `[`), after
    /// `before` records of the scan and with `first` the index the value's first element took.
    pub(super) fn resync(
        &mut self,
        body: &[u8],
        e: &serde_json::Error,
        before: u64,
        first: u64,
    ) -> Resynced {
        let start = body.as_ptr() as usize;
        let handled = self
            .handled_end
            .checked_sub(start)
            .filter(|&h| h <= body.len())
            .unwrap_or(0);
        let mut w = Walk {
            body,
            handled,
            at: start.wrapping_sub(self.document_at),
            bad: Vec::new(),
            streamed: false,
        };
        let walked = if body[0] == b'[' {
            w.streamed = true;
            self.lenient_array(&mut w, 1, "").map(|(end, _)| end)
        } else {
            self.lenient_object(&mut w)
        };
        let error_at = offset_of(e, body);
        let what = if e.is_eof() {
            "the document ends early"
        } else {
            "invalid JSON"
        };
        match walked {
            _ if !w.streamed => Resynced::NotStreamed,
            Ok(end) => {
                // An error no element named (a trailing or missing comma, a bad value under a
                // key that is not read): told, with what was read past it.
                if !w.bad.iter().any(|&(s, e)| (s..=e).contains(&error_at)) {
                    self.scan.gaps.push((
                        None,
                        GapKind::InvalidJson,
                        format!(
                            "{what}: {} (byte {} of the document); read on past it: every element of the document is read or named",
                            json_error(e),
                            w.at + error_at
                        ),
                    ));
                }
                Resynced::Ended(end)
            }
            Err(stop) => {
                let read = self.scan.records - before;
                let records = match read {
                    1 => "1 record".to_string(),
                    n => format!("{n} records"),
                };
                let elements = match self.next_index.checked_sub(1) {
                    Some(last) if last == first => format!(
                        "the document's element {first} was read ({records}; any that could not be are named)"
                    ),
                    Some(last) if last > first => format!(
                        "the document's elements {first} to {last} were read ({records}; any that could not be are named)"
                    ),
                    _ => "no element of the document was read".to_string(),
                };
                self.scan.gaps.push((
                    None,
                    GapKind::InvalidJson,
                    format!(
                        "{what}: {} (byte {} of the document); {elements}; the rest of the document, from byte {}, could not be: {}",
                        json_error(e),
                        w.at + error_at,
                        w.at + stop.from,
                        stop.why
                    ),
                ));
                Resynced::Stopped
            }
        }
    }

    /// The members of the object `w.body` (from its `{`), the arrays under streamed keys read
    /// element by element: where the object ends.
    fn lenient_object(&mut self, w: &mut Walk<'_>) -> Result<usize, Stop> {
        let body = w.body;
        let mut keys: Vec<(String, Option<u64>)> = Vec::new();
        let mut pos = 1;
        let ended = loop {
            pos = skip_ws(body, pos);
            match body.get(pos) {
                Some(b'}') => break Ok(pos + 1),
                Some(b'"') => {}
                None => break Err(w.stop(pos, "the document ends inside its object")),
                Some(_) => break Err(w.stop(pos, "a key was expected")),
            }
            let key_end = match string_end(body, pos) {
                Ok(end) => end,
                Err(u) => break Err(w.stop(pos, u.describe(w.at))),
            };
            // A key that is not a JSON string (a bad escape) names no streamed array.
            let key = serde_json::from_slice::<String>(&body[pos..key_end]).unwrap_or_default();
            pos = skip_ws(body, key_end);
            if body.get(pos) != Some(&b':') {
                break Err(w.stop(pos, "a `:` was expected after a key"));
            }
            pos = skip_ws(body, pos + 1);
            let mut elements = None;
            match (streamed_key(&key), body.get(pos)) {
                (Some((name, kind)), Some(b'[')) => {
                    w.streamed = true;
                    let fresh = self.scan.kinds.insert(kind);
                    let counts = (self.scan.records, self.scan.kinds.len());
                    match self.lenient_array(w, pos + 1, name) {
                        Ok((end, n)) => (pos, elements) = (end, Some(n)),
                        Err(stop) => break Err(stop),
                    }
                    self.records_of_other_things(name, kind, fresh, counts);
                }
                _ => match value_end(body, pos) {
                    Ok(end) if end > pos => pos = end,
                    Ok(_) => break Err(w.stop(pos, "a key has no value")),
                    Err(u) => break Err(w.stop(pos, u.describe(w.at))),
                },
            }
            keys.push((key, elements));
            pos = skip_ws(body, pos);
            match body.get(pos) {
                Some(b',') => pos += 1,
                Some(b'}') => break Ok(pos + 1),
                // A missing `,`: read on as if it were there (the error is told).
                Some(b'"') => {}
                None => break Err(w.stop(pos, "the document ends inside its object")),
                Some(_) => break Err(w.stop(pos, "a `,` or `}` was expected after a value")),
            }
        };
        if w.streamed {
            let repeated = repeated_among(&keys);
            self.repeated_top_keys(&repeated, 0, true);
        }
        ended
    }

    /// The elements of the array whose `[` is just before `pos`, each not yet handled given to
    /// [`Ctx::element`] under `key`: where the array ends, and how many elements it holds.
    fn lenient_array(
        &mut self,
        w: &mut Walk<'_>,
        mut pos: usize,
        key: &'static str,
    ) -> Result<(usize, u64), Stop> {
        let body = w.body;
        let mut n = 0;
        loop {
            pos = skip_ws(body, pos);
            match body.get(pos) {
                None => return Err(w.stop(pos, "the document ends inside the array")),
                Some(b']') => return Ok((pos + 1, n)),
                _ => {}
            }
            let end = value_end(body, pos).map_err(|u| w.stop(pos, u.describe(w.at)))?;
            n += 1;
            if end > w.handled {
                self.lenient_element(w, pos, end, key);
            }
            pos = skip_ws(body, end);
            match body.get(pos) {
                Some(b',') => pos += 1,
                Some(b']') => return Ok((pos + 1, n)),
                // A missing `,` between elements: read on as if it were there (told).
                Some(b'{' | b'[' | b'"') => {}
                None => return Err(w.stop(pos, "the document ends inside the array")),
                Some(_) => return Err(w.stop(pos, "a `,` or `]` was expected after an element")),
            }
        }
    }

    /// The element at `start..end` of `w.body`: read as it would have been, or named.
    fn lenient_element(&mut self, w: &mut Walk<'_>, start: usize, end: usize, key: &'static str) {
        let text = w.body[start..end].trim_ascii_end();
        match serde_json::from_slice::<&RawValue>(text) {
            Ok(raw) => self.element(key, raw),
            Err(e) => {
                let index = self.take_index();
                w.bad.push((start, end));
                let (from, to) = (w.at + start, w.at + start + text.len());
                let reason = if text.is_empty() {
                    format!("not JSON: an empty element (a `,` at byte {from} with no value before it); the document's other elements are read")
                } else {
                    format!(
                        "not JSON: {} at byte {} of the document (line {}, column {} of the element, which is bytes {from} to {to}); it is not read, the document's other elements are",
                        without_position(&e),
                        from + offset_of(&e, text),
                        e.line(),
                        e.column()
                    )
                };
                self.reject(index, GapKind::MalformedRecord, reason);
            }
        }
    }
}

/// Whether `body` is an array, or an object with an array under a streamed key (found
/// leniently, as a resync would): a document whose syntax error [`Ctx::resync`] can read past.
pub(super) fn holds_streamed_array(body: &[u8]) -> bool {
    match body.first() {
        Some(b'[') => return true,
        Some(b'{') => {}
        _ => return false,
    }
    let mut pos = 1;
    loop {
        pos = skip_ws(body, pos);
        let Some(key_end) = (body.get(pos) == Some(&b'"'))
            .then(|| string_end(body, pos).ok())
            .flatten()
        else {
            return false;
        };
        let key = serde_json::from_slice::<String>(&body[pos..key_end]).unwrap_or_default();
        pos = skip_ws(body, key_end);
        if body.get(pos) != Some(&b':') {
            return false;
        }
        pos = skip_ws(body, pos + 1);
        if streamed_key(&key).is_some() && body.get(pos) == Some(&b'[') {
            return true;
        }
        match value_end(body, pos) {
            Ok(end) if end > pos => pos = skip_ws(body, end),
            _ => return false,
        }
        match body.get(pos) {
            Some(b',') => pos += 1,
            _ => return false,
        }
    }
}

/// serde_json's message without its ` at line L column C`: the gap names a byte offset instead.
fn without_position(e: &serde_json::Error) -> String {
    let m = json_error(e);
    match m.rfind(" at line ") {
        Some(p) => m[..p].to_string(),
        None => m,
    }
}

/// The offset in `text` of the error serde_json found reading it (its line and column).
fn offset_of(e: &serde_json::Error, text: &[u8]) -> usize {
    let line_start = text
        .split_inclusive(|b| *b == b'\n')
        .take(e.line().saturating_sub(1))
        .map(<[u8]>::len)
        .sum::<usize>();
    (line_start + e.column().saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::super::scan_document_with;
    use super::super::trail_file::tests::{Seen, A, B};
    use crate::model::GapKind;

    use super::super::trail_file::tests::same_scan;
    use proptest::prelude::*;

    type Gaps = Vec<(Option<u64>, GapKind, String)>;

    /// The indices of the records read, and the gaps (the fast path on: the paths agree, see
    /// `trail_file.rs`).
    fn scan(text: &str) -> (Vec<u64>, Gaps) {
        let mut seen = Seen::default();
        let scan = scan_document_with(text.as_bytes(), 0, "x.json", &mut seen, true);
        assert_eq!(scan.records as usize, seen.0.len());
        (seen.0.iter().map(|r| r.0).collect(), scan.gaps)
    }

    use super::super::trail_file::tests::{bad_element as bad, SYNTAX_ERRORS};

    /// One element's gap: a `malformed_record` at `index` that says it is not JSON.
    fn one_element_gap(gaps: &Gaps, index: u64, what: &str) {
        assert_eq!(gaps.len(), 1, "{what}: {gaps:?}");
        let (at, kind, reason) = &gaps[0];
        assert_eq!(
            (*at, *kind),
            (Some(index), GapKind::MalformedRecord),
            "{what}"
        );
        assert!(reason.starts_with("not JSON: "), "{what}: {reason}");
        assert!(
            reason.ends_with("it is not read, the document's other elements are"),
            "{what}: {reason}"
        );
    }

    #[test]
    fn a_syntax_error_inside_one_element_costs_that_element_only() {
        for token in SYNTAX_ERRORS {
            let b = bad(token);
            let (read, gaps) = scan(&format!(r#"{{"Records":[{A},{b},{B}]}}"#));
            assert_eq!(read, [0, 2], "{token}");
            one_element_gap(&gaps, 1, token);
            let (read, gaps) = scan(&format!(r#"{{"Records":[{b},{A},{B}]}}"#));
            assert_eq!(read, [1, 2], "{token} first");
            one_element_gap(&gaps, 0, token);
            let (read, gaps) = scan(&format!(r#"[{A},{B},{b}]"#));
            assert_eq!(read, [0, 1], "{token} last, in an array");
            one_element_gap(&gaps, 2, token);
        }
        // A LookupEvents page: the item, not the page.
        let a = serde_json::to_string(A).unwrap();
        let page = format!(
            r#"{{"Events":[{{"CloudTrailEvent":{a}}},{{"CloudTrailEvent":NaN}},{{"CloudTrailEvent":{a}}}]}}"#
        );
        let (read, gaps) = scan(&page);
        assert_eq!(read, [0, 2]);
        one_element_gap(&gaps, 1, "page");
    }

    /// A byte that is not UTF-8 in one element and a syntax error in another: each costs its
    /// own element (the copy read in place of the document keeps its offsets).
    #[test]
    fn a_byte_not_utf8_and_a_syntax_error_each_cost_their_own_element() {
        let text = format!(r#"{{"Records":[{},{},{B}]}}"#, bad(r#""caf?""#), bad("NaN"));
        let mut bytes = text.clone().into_bytes();
        let q = text.find('?').unwrap();
        bytes[q] = 0xe9;
        let mut seen = Seen::default();
        let scan = scan_document_with(&bytes, 0, "x.json", &mut seen, true);
        assert_eq!(seen.0.iter().map(|r| r.0).collect::<Vec<_>>(), [2]);
        let gaps: Vec<(Option<u64>, GapKind)> = scan.gaps.iter().map(|g| (g.0, g.1)).collect();
        assert_eq!(
            gaps,
            [
                (Some(0), GapKind::MalformedRecord),
                (Some(1), GapKind::MalformedRecord)
            ]
        );
        assert!(scan.gaps[0]
            .2
            .contains(&format!("at offset {q} of the document")));
        let nan = text.find("NaN").unwrap();
        assert!(
            scan.gaps[1]
                .2
                .contains(&format!("expected value at byte {nan} of the document")),
            "{}",
            scan.gaps[1].2
        );
    }

    /// The gap names the document's bytes: where the error is and where the element lies.
    #[test]
    fn the_offsets_named_are_the_documents() {
        let b = bad("NaN");
        for lead in ["", "\u{feff}", " \n", "{\"Records\":[]}\n"] {
            let text = format!(r#"{lead}{{"Records":[{A},{b},{B}]}}"#);
            let (_, gaps) = scan(&text);
            let start = text.find(&b).unwrap();
            let nan = text.find("NaN").unwrap();
            let reason = &gaps.last().unwrap().2;
            assert!(
                reason.contains(&format!(
                    "expected value at byte {nan} of the document (line 1, column {} of the element, which is bytes {start} to {})",
                    nan - start + 1,
                    start + b.len()
                )),
                "{lead:?}: {reason}"
            );
        }
    }

    #[test]
    fn where_no_extent_can_be_found_the_gap_says_how_far_it_was_read() {
        let cases = [
            (bad(r#""abc}"#), "never ends"),
            (bad(&"[".repeat(100_000)), "closes another kind"),
            (
                format!("{{\"eventName\":\"X\",\"u\":{{\"a\":1],{B}]}}"),
                "closes another kind",
            ),
        ];
        for (b, why) in cases {
            let text = format!(r#"{{"Records":[{A},{b},{B}]}}"#);
            let (read, gaps) = scan(&text);
            assert_eq!(read, [0], "{why}");
            assert_eq!(gaps.len(), 1, "{gaps:?}");
            let (at, kind, reason) = &gaps[0];
            assert_eq!((*at, *kind), (None, GapKind::InvalidJson));
            let from = text.find(&b).unwrap();
            assert!(
                reason.contains(&format!(" of the document); the document's element 0 was read (1 record; any that could not be are named); the rest of the document, from byte {from}, could not be: ")),
                "{reason}"
            );
            assert!(reason.contains(why), "{reason}");
        }
        // Nothing before it: said so.
        let (read, gaps) = scan(&format!(r#"{{"Records":[{},{A}]}}"#, bad(r#""x"#)));
        assert!(read.is_empty());
        assert!(gaps[0].2.contains("; no element of the document was read; the rest of the document, from byte 12, could not be: a string opened at byte"), "{:?}", gaps);
    }

    /// Errors outside any element lose nothing, and are told.
    #[test]
    fn errors_between_elements_are_told_and_cost_nothing() {
        for text in [
            format!(r#"{{"Records":[{A},{B},]}}"#),
            format!(r#"{{"Records":[{A} {B}]}}"#),
            format!(r#"{{"Other":NaN,"Records":[{A},{B}]}}"#),
            format!(r#"{{"Records":[{A},{B}],"Other":[NaN]}}"#),
        ] {
            let (read, gaps) = scan(&text);
            assert_eq!(read, [0, 1], "{text}");
            assert_eq!(gaps.len(), 1, "{text}: {gaps:?}");
            assert_eq!((gaps[0].0, gaps[0].1), (None, GapKind::InvalidJson));
            assert!(
                gaps[0]
                    .2
                    .ends_with("read on past it: every element of the document is read or named"),
                "{}",
                gaps[0].2
            );
        }
        // A document after a damaged one is read, and so is its index count.
        let text = format!(r#"{{"Records":[{A},{}]}}{{"Records":[{B}]}}"#, bad("NaN"));
        let (read, gaps) = scan(&text);
        assert_eq!(read, [0, 2]);
        one_element_gap(&gaps, 1, "back to back");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any mix of records and elements with a syntax error, in a trail file, an array or a
        /// page, with any whitespace: the fast path and the general one agree to the letter,
        /// every good element is read at its index and every bad one is a gap at its own.
        #[test]
        fn the_fast_and_general_paths_read_past_the_same_errors(
            elements in prop::collection::vec(
                prop_oneof![
                    2 => Just(None),
                    1 => prop::sample::select(vec!["NaN", "Infinity", "-Infinity", "bare", "'q'", "\"a\tb\"", "1,", "{\"a\" 1}"]).prop_map(Some),
                ],
                0..8,
            ),
            shape in 0..3u8,
            ws in prop::sample::select(vec!["", " ", "\n", "\r\n\t"]),
        ) {
            let text: Vec<String> = elements
                .iter()
                .map(|e| match e {
                    None => A.to_string(),
                    Some(token) => bad(token),
                })
                .map(|e| match shape {
                    2 => format!(r#"{{"CloudTrailEvent":{}}}"#, if e == A { serde_json::to_string(A).unwrap() } else { e.replace("\"eventName\"", "\"x\"") }),
                    _ => e,
                })
                .collect();
            let array = format!("[{ws}{}{ws}]", text.join(&format!("{ws},{ws}")));
            let doc = match shape {
                0 => format!(r#"{{{ws}"Records"{ws}:{array}}}"#),
                1 => array,
                _ => format!(r#"{{"Events":{array},"NextToken":"t"}}"#),
            };
            let (mut fast, mut general) = (Seen::default(), Seen::default());
            let a = scan_document_with(doc.as_bytes(), 3, "x.json", &mut fast, true);
            let b = scan_document_with(doc.as_bytes(), 3, "x.json", &mut general, false);
            same_scan((&fast, &a), (&general, &b), &doc);
            let read: Vec<u64> = fast.0.iter().map(|r| r.0).collect();
            let want: Vec<u64> = (0..elements.len() as u64).filter(|&i| elements[i as usize].is_none()).collect();
            prop_assert_eq!(read, want, "{}", doc);
            let gaps: Vec<Option<u64>> = a.gaps.iter().map(|g| g.0).collect();
            let want: Vec<Option<u64>> = (0..elements.len() as u64).filter(|&i| elements[i as usize].is_some()).map(Some).collect();
            prop_assert_eq!(gaps, want, "{}", doc);
        }
    }
}
