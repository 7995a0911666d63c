//! The table of contents after the cover (issue #18): every section and the appendix's parts,
//! each with the page that `pdftotext` finds its heading on.

use crate::support;

use support::*;

/// The text of one page, laid out as on the page (one line a line).
fn page(pdf: &str, n: usize) -> String {
    let n = n.to_string();
    let (ok, text) = tool("pdftotext", &["-layout", "-f", &n, "-l", &n, pdf, "-"]);
    assert!(ok, "{text}");
    text
}

/// `Title . . . . 12` → ("Title", 12).
fn entry(line: &str) -> Option<(String, usize)> {
    let line = line.trim();
    let (rest, number) = line.rsplit_once(' ')?;
    let number = number.parse().ok()?;
    let title = rest.trim_end_matches([' ', '.']).trim();
    (!title.is_empty()).then(|| (title.to_string(), number))
}

#[test]
fn contents_on_page_two_give_the_page_of_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    assert_eq!(report_pdf(&pdf, &["samples/incident-01"]).code, 0);
    let pdf = pdf.to_str().unwrap();
    let contents = page(pdf, 2);
    assert!(
        contents.lines().any(|l| l.trim() == "Contents"),
        "{contents}"
    );
    // The footer ("... Page 2 of N") is not an entry.
    let entries: Vec<(String, usize)> = contents
        .lines()
        .filter(|l| !l.contains(" Page "))
        .filter_map(entry)
        .collect();
    let titles: Vec<&str> = entries.iter().map(|(t, _)| t.as_str()).collect();
    for needed in [
        "Executive summary",
        "The monitoring pipeline as built",
        "Evidence from CloudTrail",
        "NIST mapping",
        "Lessons learned",
        "Appendix: evidence",
        "Inputs",
        "Evidence gaps",
        "Integrity",
        "How this report was made",
    ] {
        assert!(titles.contains(&needed), "{needed:?} in {titles:?}");
    }
    let mut last = 2;
    for (title, n) in &entries {
        assert!(*n >= last, "pages in order: {title} on {n}");
        last = *n;
        let text = page(pdf, *n);
        assert!(
            text.lines().any(|l| l.trim() == title),
            "{title:?} is a heading on page {n}:\n{text}"
        );
    }
}
