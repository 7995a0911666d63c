//! Valid JSON text that serde_json still refuses to turn into strings or a `Value`: lone
//! surrogate escapes (`"\udc80"`, which Python's JSON writer produces), nesting deeper than its
//! recursion limit, and numbers past the range of an `f64` (`1e999999`).
//!
//! Byte-level; no I/O, no allocation unless a record needs it. Only `shape` uses it, for every
//! record read (an embedded one, a LookupEvents `CloudTrailEvent` or a log message, before it is
//! known to be JSON: text ending inside an escape is read to its end, never past it).

use std::borrow::Cow;

/// serde_json's recursion limit: a `Value` cannot hold a record nested deeper.
const MAX_DEPTH: usize = 128;

/// Replaces every `\uXXXX` escape of a lone surrogate (a high one not followed by a low one, or
/// a low one alone) by `\ufffd`, the replacement character. Borrows when there is none (nearly
/// always). In JSON text a backslash only occurs inside a string, as an escape; `text` need not
/// be JSON (then what it changes is only what a JSON reader would).
pub fn replace_lone_surrogates(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    if !memchr::memmem::find_iter(b, b"\\u").any(|at| surrogate_at(b, at + 2).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut changed = false;
    let mut pos = 0;
    // Text that is not JSON (an embedded record not yet checked) may end in `\` or `\u`:
    // `pos` can then pass the end, and the search ends there.
    while let Some(off) = b.get(pos..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let at = pos + off;
        if b.get(at + 1) != Some(&b'u') {
            pos = at + 2;
            continue;
        }
        match surrogate_at(b, at + 2) {
            Some(true)
                if b.get(at + 6..at + 8) == Some(b"\\u")
                    && surrogate_at(b, at + 8) == Some(false) =>
            {
                // A well-formed pair: keep both escapes.
                pos = at + 12;
            }
            Some(_) => {
                out.push_str(&text[copied..at]);
                out.push_str("\\ufffd");
                changed = true;
                copied = at + 6;
                pos = at + 6;
            }
            None => pos = at + 6,
        }
    }
    if !changed {
        // Only well-formed pairs.
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// JSON text carried in a string of the evidence (an alarm's HistoryData, an SNS `Message`) read
/// as a `Value`: lone surrogate escapes, which JSON allows and serde_json refuses, read as U+FFFD
/// (as a record's own are); otherwise the error of the text as written.
pub fn value_of(text: &str) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_str(text).or_else(|e| match replace_lone_surrogates(text) {
        Cow::Owned(fixed) => serde_json::from_str(&fixed).map_err(|_| e),
        Cow::Borrowed(_) => Err(e),
    })
}

/// At `at`, four hex digits naming a surrogate: `Some(true)` for a high one (D800–DBFF),
/// `Some(false)` for a low one (DC00–DFFF), `None` for anything else.
fn surrogate_at(b: &[u8], at: usize) -> Option<bool> {
    let hex = b.get(at..at + 4)?;
    let text = std::str::from_utf8(hex).ok()?;
    let unit = u16::from_str_radix(text, 16).ok()?;
    match unit {
        0xD800..=0xDBFF => Some(true),
        0xDC00..=0xDFFF => Some(false),
        _ => None,
    }
}

/// Why `text` (valid JSON, without lone surrogates) cannot become a `serde_json::Value`, or
/// `None` when it can. One pass over the tokens rules out nearly every record (strings are
/// skipped with memchr); the few it cannot are parsed.
pub fn not_a_value(text: &str) -> Option<String> {
    if !beyond_a_value(text.as_bytes()) {
        return None;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(_) => None,
        Err(e) => Some(super::record::json_error(&e)),
    }
}

/// Nesting near serde_json's limit, or a number token outside the strings with 300 digits or
/// more, or an exponent of three digits or more: the only valid JSON an `f64`-based `Value`
/// may refuse. May say yes wrongly (`1e100` fits), never no wrongly.
fn beyond_a_value(b: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                // Skip the string: to its closing quote, past escapes.
                i += 1;
                loop {
                    let Some(off) = b
                        .get(i..)
                        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
                    else {
                        return false;
                    };
                    i += off;
                    if b[i] == b'"' {
                        break;
                    }
                    i += 2;
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth >= MAX_DEPTH - 1 {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i + 1 < b.len()
                    && matches!(b[i + 1], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                let number = &b[start..=i];
                let (mantissa, exponent) =
                    match number.iter().position(|c| matches!(c, b'e' | b'E')) {
                        Some(e) => (&number[..e], &number[e + 1..]),
                        None => (number, &number[..0]),
                    };
                let exp_digits = exponent.iter().filter(|c| c.is_ascii_digit()).count();
                if mantissa.len() >= 300 || exp_digits >= 3 {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text in a string of the evidence: a lone surrogate read as U+FFFD; an error that is not
    /// one is the text's own.
    #[test]
    fn embedded_json_reads_lone_surrogates_and_keeps_other_errors() {
        let v = value_of(r#"{"a":"x\ud800y","b":"\ud83d\ude00"}"#).unwrap();
        assert_eq!(v["a"], "x\u{fffd}y");
        assert_eq!(v["b"], "\u{1f600}");
        let e = value_of(r#"{"a":"\ud800","b":NaN}"#).unwrap_err();
        assert!(
            e.to_string().starts_with("unexpected end of hex escape"),
            "{e}"
        );
        assert!(value_of("{\"a\":1").unwrap_err().is_eof());
    }

    #[test]
    fn lone_surrogates_are_replaced_and_pairs_kept() {
        assert_eq!(replace_lone_surrogates(r#"{"a":"x"}"#), r#"{"a":"x"}"#);
        assert!(matches!(
            replace_lone_surrogates(r#"{"a":"\ud83d\ude00 \u00e9"}"#),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            replace_lone_surrogates(r#"{"a":"\udc80","b":"\uD800x","c":"\ud83d\ude00"}"#),
            r#"{"a":"\ufffd","b":"\ufffdx","c":"\ud83d\ude00"}"#
        );
        // A high surrogate followed by another high one, and an escaped backslash before `u`.
        assert_eq!(
            replace_lone_surrogates(r#"["\ud800\ud800\udc00","\\udc80","\\\udc80"]"#),
            r#"["\ufffd\ud800\udc00","\\udc80","\\\ufffd"]"#
        );
        let fixed = replace_lone_surrogates(r#"{"a":"\udc80"}"#);
        let v: serde_json::Value = serde_json::from_str(&fixed).unwrap();
        assert_eq!(v["a"], "\u{fffd}");
    }

    /// Text that is not JSON (a LookupEvents `CloudTrailEvent` or a log message before it is
    /// checked) ending in a backslash or a cut escape: the lone surrogates before it replaced,
    /// no panic (it aborted the run).
    #[test]
    fn text_ending_inside_an_escape_is_read_to_its_end() {
        assert_eq!(replace_lone_surrogates(r"x\uD800\"), r"x\ufffd\");
        assert_eq!(replace_lone_surrogates(r"x\uDC00\u"), r"x\ufffd\u");
        assert_eq!(replace_lone_surrogates(r"\ud800\ud8"), r"\ufffd\ud8");
        for text in [r"\", r"\u", r#""\"#, r#""a\uD800\"#, r#"["\"#] {
            assert_eq!(
                replace_lone_surrogates(text),
                text.replace(r"\uD800", r"\ufffd")
            );
            assert!(!beyond_a_value(text.as_bytes()), "{text}");
        }
    }

    #[test]
    fn what_a_value_cannot_hold_is_named() {
        assert_eq!(not_a_value(r#"{"a":[1,2e10,{"b":"1e999"}]}"#), None);
        assert!(not_a_value(r#"{"a":1e999999}"#)
            .unwrap()
            .contains("out of range"));
        let long = format!(r#"{{"a":{}}}"#, "9".repeat(400));
        assert!(not_a_value(&long).is_some());
        let deep = format!(r#"{{"a":{}{}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(not_a_value(&deep).unwrap().contains("recursion limit"));
        let wide = format!(r#"{{"a":[{}]}}"#, vec!["[]"; 300].join(","));
        assert!(!beyond_a_value(wide.as_bytes()), "wide is not deep");
        assert_eq!(not_a_value(&wide), None);
        // Brackets, digits and escapes inside strings are not tokens.
        let quoted = format!(
            r#"{{"a":"{}\"{}","b":"1e999999"}}"#,
            "[".repeat(300),
            "9".repeat(400)
        );
        assert!(!beyond_a_value(quoted.as_bytes()));
        assert!(beyond_a_value(br#"{"a":-12.5E+308}"#));
        assert!(!beyond_a_value(br#"{"a":-12.5E+30,"b":[1,2]}"#));
    }
}
