//! Renders the demo report and checks the PDF itself: header, determinism, page count,
//! `qpdf --check`, extracted text, embedded fonts. Needs `qpdf` and `poppler-utils`
//! (installed by `.ci/run`); a missing tool fails the test with a clear message.

use crate::support;

use std::process::Command;

use support::demo::{demo_doc, LAST_ROW_ID, LONG_ARN};
use trailcase::report::{render_pdf, Block, Paper};

fn tool(name: &str, args: &[&str], pdf: &std::path::Path) -> (bool, String) {
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .args(if name == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!("`{name}` is required for this test (apt-get install qpdf poppler-utils): {e}")
        });
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn page_count(bytes: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(bytes).expect("lopdf parses the output");
    doc.get_pages().len()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn demo_pdf_is_valid_searchable_and_deterministic() {
    let doc = demo_doc(Paper::A4);
    let bytes = render_pdf(&doc).expect("demo renders");
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(
        bytes,
        render_pdf(&doc).expect("renders twice"),
        "same doc must give identical bytes"
    );

    let pages = page_count(&bytes);
    assert!((12..=24).contains(&pages), "unexpected page count {pages}");

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("demo.pdf");
    std::fs::write(&path, &bytes).expect("write pdf");

    let (ok, out) = tool("qpdf", &["--check"], &path);
    assert!(ok, "qpdf --check failed:\n{out}");

    let (ok, list) = tool("pdfdetach", &["-list"], &path);
    assert!(
        ok && list.contains("notes.txt"),
        "attachment listed: {list}"
    );
    let saved = dir.path().join("notes.txt");
    let (ok, out) = tool(
        "pdfdetach",
        &["-save", "1", "-o", saved.to_str().unwrap()],
        &path,
    );
    assert!(ok, "{out}");
    assert_eq!(std::fs::read(&saved).unwrap(), b"attached\n");

    let (ok, text) = tool("pdftotext", &[], &path);
    assert!(ok, "pdftotext failed: {text}");
    for heading in [
        "Executive summary",
        "Monitoring pipeline",
        "Incident timeline",
        "Detection latency",
        "Evidence from CloudTrail",
    ] {
        assert!(
            text.contains(heading),
            "heading {heading:?} missing from text"
        );
    }
    assert!(text.contains("Page 1 of"), "no page numbers");
    assert!(text.contains(&format!("Page {pages} of {pages}")));
    assert!(
        text.contains("CONFIDENTIAL") && text.contains("IR-2025-0314-01"),
        "running header missing"
    );
    assert!(text.contains("unknown"), "unknown bar value not labelled");
    let flat = squash(&text);
    assert!(
        flat.contains("missingfromevidence"),
        "missing diagram node not labelled"
    );
    assert!(
        flat.contains(&squash(LONG_ARN)),
        "long ARN not found intact"
    );
    assert!(flat.contains(LAST_ROW_ID), "last table row missing");
    assert!(
        flat.contains(&"QUtJQUlPU0ZPRE5ON0VYQU1QTEUxMjM0NTY3ODkw".repeat(5)),
        "5,000-character token lost"
    );
    assert!(text.contains("Привет"), "non-Latin text not extractable");

    // The table's header row is repeated on the page that holds its last row.
    let last_row_page = text
        .split('\u{c}')
        .find(|p| squash(p).contains(LAST_ROW_ID))
        .expect("page with last row");
    assert!(
        last_row_page.contains("userAgent") && last_row_page.contains("eventID"),
        "header not repeated"
    );

    let (ok, fonts) = tool("pdffonts", &[], &path);
    assert!(ok, "pdffonts failed: {fonts}");
    for face in ["DejaVuSans-Bold", "DejaVuSans ", "DejaVuSansMono"] {
        let line = fonts
            .lines()
            .find(|l| l.contains(face))
            .unwrap_or_else(|| panic!("{face} not in\n{fonts}"));
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            cols.get(cols.len() - 5),
            Some(&"yes"),
            "{face} not embedded: {line}"
        );
    }

    let (ok, info) = tool("pdfinfo", &[], &path);
    assert!(ok, "pdfinfo failed: {info}");
    assert!(info.contains("Title:           Honeytoken access incident report"));
    assert!(info.contains("Author:          Incident Response Team"));
    assert!(info.contains("Keywords:        CloudTrail, honeytoken, incident response"));
    assert!(info.contains("A4"));
}

#[test]
fn letter_paper_and_outline() {
    let bytes = render_pdf(&demo_doc(Paper::Letter)).expect("renders on Letter");
    let doc = lopdf::Document::load_mem(&bytes).expect("parses");
    let page = doc.get_pages().into_values().next().expect("a page");
    let dict = doc.get_dictionary(page).expect("page dict");
    let mb = dict
        .get(b"MediaBox")
        .and_then(|o| o.as_array())
        .expect("MediaBox");
    let w = mb[2].as_float().expect("width");
    assert!((w - 612.0).abs() < 0.5, "Letter width {w}");
    // Bookmarks: the catalog has an outline with entries.
    let catalog = doc.catalog().expect("catalog");
    assert!(catalog.get(b"Outlines").is_ok(), "no outline");
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/Outlines"));
}

#[test]
fn bad_heading_level_is_a_typed_error() {
    let mut doc = demo_doc(Paper::A4);
    doc.blocks.push(Block::heading(4, "too deep"));
    let err = render_pdf(&doc).expect_err("level 4 is rejected");
    assert!(err.to_string().contains("level 4"), "{err}");
}

#[test]
fn empty_document_renders_one_page() {
    let mut doc = demo_doc(Paper::A4);
    doc.blocks.clear();
    let bytes = render_pdf(&doc).expect("renders");
    assert_eq!(page_count(&bytes), 1);
}
