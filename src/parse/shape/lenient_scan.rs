//! Finding where a JSON value ends without reading it as JSON: strings (with their escapes) and
//! brackets are matched, anything else is passed over, whatever it is (`NaN`, a bare word, a
//! single quote, a raw control character). Used only after serde_json has stopped at an error,
//! to find the next element of an array and read on from it (`resync.rs`). A bracket closed by
//! the other kind, or a string or bracket still open at the end, means the extent cannot be
//! found safely: the caller then says how far it read, never guesses. Pure; iterative (a value
//! nested 100,000 levels deep costs a stack of that many bytes, not a stack overflow).

/// Why the end of a value could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unended {
    /// A string opened at this byte never ends.
    String(usize),
    /// A bracket opened at this byte is still open at the end of the text.
    Open(usize),
    /// The bracket at `at` closes the other kind, opened at `opened`.
    Mismatch { at: usize, opened: usize },
}

impl Unended {
    /// What it is, for a gap's reason; the offsets are `base` more than in the text scanned
    /// (where that text starts in the document).
    pub(super) fn describe(&self, base: usize) -> String {
        match *self {
            Unended::String(at) => format!("a string opened at byte {} never ends", base + at),
            Unended::Open(at) => format!(
                "a bracket opened at byte {} is still open at the end of the document",
                base + at
            ),
            Unended::Mismatch { at, opened } => format!(
                "the bracket at byte {} closes another kind than the one opened at byte {}, so where the element ends is not known",
                base + at,
                base + opened
            ),
        }
    }
}

/// Where the string starting at `at` (a `"`) ends: just after its closing quote.
pub(super) fn string_end(bytes: &[u8], at: usize) -> Result<usize, Unended> {
    crate::parse::json_bytes::string_end(bytes, at).ok_or(Unended::String(at))
}

/// Where the value starting at `pos` ends: just after its closing bracket, or, for anything
/// else, at the first `,`, `]` or `}` outside a string (the text's end when there is none).
pub(super) fn value_end(bytes: &[u8], pos: usize) -> Result<usize, Unended> {
    // The closer each open bracket expects, and where it was opened.
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut i = pos;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i = string_end(bytes, i)?;
                continue;
            }
            b'{' => open.push((b'}', i)),
            b'[' => open.push((b']', i)),
            b'}' | b']' => match open.pop() {
                // The container's own closer: the value ended before it.
                None => return Ok(i),
                Some((want, _)) if want == b => {
                    if open.is_empty() {
                        return Ok(i + 1);
                    }
                }
                Some((_, opened)) => return Err(Unended::Mismatch { at: i, opened }),
            },
            b',' if open.is_empty() => return Ok(i),
            _ => {}
        }
        i += 1;
    }
    match open.last() {
        Some(&(_, at)) => Err(Unended::Open(at)),
        None => Ok(i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn end(text: &str) -> Result<usize, Unended> {
        value_end(text.as_bytes(), 0)
    }

    #[test]
    fn bad_tokens_are_passed_over_and_brackets_in_strings_do_not_count() {
        assert_eq!(end(r#"{"x": NaN},{"y":1}"#), Ok(10));
        assert_eq!(end(r#"{'x': 'y'} ,"#), Ok(10));
        assert_eq!(end("{\"x\": \"a\tb]}\"}]"), Ok(14));
        assert_eq!(end(r#"{"x": "\"}]"},"#), Ok(13));
        assert_eq!(end(r#"{"x": 1,}]"#), Ok(9));
        assert_eq!(end("NaN ,"), Ok(4));
        assert_eq!(end("-Infinity]"), Ok(9));
        assert_eq!(end("]"), Ok(0));
        assert_eq!(end("true"), Ok(4));
    }

    #[test]
    fn an_extent_that_cannot_be_found_says_why() {
        // The string left open swallows a quote: the next one opens a string that never ends.
        assert_eq!(end(r#"{"x": "abc}, {"y": 1}]}"#), Err(Unended::String(16)));
        assert_eq!(end(r#"{"x": "abc}]}"#), Err(Unended::String(6)));
        assert_eq!(
            end(r#"{"a":{"b":1],"#),
            Err(Unended::Mismatch { at: 11, opened: 5 })
        );
        assert_eq!(end(r#"{"a":"\"#), Err(Unended::String(5)));
        let deep = "[".repeat(100_000);
        assert_eq!(end(&deep), Err(Unended::Open(99_999)));
        let closed = format!("{deep}{}", "]".repeat(100_000));
        assert_eq!(end(&closed), Ok(200_000));
    }

    proptest! {
        /// On valid JSON the lenient end is serde_json's: the resync splits the elements an
        /// error-free read would have split.
        #[test]
        fn on_valid_json_the_end_is_serde_jsons(
            text in crate::parse::json_pieces::piece(&["Records"]),
            tail in "[ ]{0,2}[,\\]}]",
        ) {
            let valid = serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok();
            let text = format!("{text}{tail}");
            let lenient = value_end(text.as_bytes(), 0);
            if valid {
                let lenient = lenient.unwrap();
                prop_assert_eq!(text[..lenient].trim_end(), text[..text.len() - tail.len()].trim_end());
            }
        }
    }
}
