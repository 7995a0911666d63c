//! The report is a tagged, accessible PDF (PDF/UA-1) as well as an archival one (PDF/A-3b),
//! both checked by krilla's validators when it is written: the XMP names both standards, the
//! catalog says the document is marked and in English, the structure tree has the outline's
//! headings, tables with header cells and figures with a text alternative, and the text reads
//! as before. Read back with lopdf, pdfinfo and pdftotext. (veraPDF needs Java and is not
//! used: krilla's validators are the check.)

use crate::support;

use lopdf::{Dictionary, Document, Object};
use serde_json::json;
use std::path::Path;
use support::demo::demo_doc;
use support::*;
use trailcase::report::{render_pdf, Block, Cell, Column, Paper, Table};

/// The standards the XMP metadata declares: (pdfaid:part, pdfaid:conformance, pdfuaid:part).
fn declared(pdf: &Path) -> (String, String, String) {
    let (ok, xmp) = tool("pdfinfo", &["-meta", pdf.to_str().unwrap()]);
    assert!(ok, "{xmp}");
    let tag = |name: &str| {
        let open = format!("<{name}>");
        xmp.split(&open)
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_default()
            .to_string()
    };
    (
        tag("pdfaid:part"),
        tag("pdfaid:conformance"),
        tag("pdfuaid:part"),
    )
}

fn dict<'a>(doc: &'a Document, obj: &'a Object) -> &'a Dictionary {
    doc.dereference(obj)
        .and_then(|(_, o)| o.as_dict())
        .expect("a dictionary")
}

fn text(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<String> {
    let obj = doc.dereference(d.get(key).ok()?).ok()?.1;
    lopdf::decode_text_string(obj).ok()
}

/// One structure element: its type, title (/T) and alternative text (/Alt).
#[derive(Debug)]
struct Elem {
    kind: String,
    title: Option<String>,
    alt: Option<String>,
    /// Header and data cells among its children (for a row).
    cells: usize,
}

/// Every structure element under `node`, depth first (reading order).
fn walk(doc: &Document, node: &Dictionary, out: &mut Vec<Elem>) {
    let Ok(kids) = node.get(b"K") else { return };
    let kids = match doc.dereference(kids).map(|(_, o)| o) {
        Ok(Object::Array(a)) => a.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => return,
    };
    for kid in &kids {
        let Ok((_, Object::Dictionary(d))) = doc.dereference(kid) else {
            continue; // a marked-content id or a marked-content reference
        };
        if d.get(b"S").is_err() {
            continue;
        }
        out.push(Elem {
            kind: String::from_utf8_lossy(d.get(b"S").unwrap().as_name().unwrap()).into_owned(),
            title: text(doc, d, b"T"),
            alt: text(doc, d, b"Alt"),
            cells: cells(doc, d),
        });
        walk(doc, d, out);
    }
}

/// How many of an element's children are TH or TD.
fn cells(doc: &Document, d: &Dictionary) -> usize {
    let kids = match d.get(b"K").and_then(|k| doc.dereference(k)).map(|(_, o)| o) {
        Ok(Object::Array(a)) => a.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => return 0,
    };
    kids.iter()
        .filter_map(|k| doc.dereference(k).ok()?.1.as_dict().ok())
        .filter(|c| matches!(c.get(b"S").and_then(|s| s.as_name()), Ok(b"TH" | b"TD")))
        .count()
}

/// Every table's rows have the same number of cells (an empty cell is still a cell).
fn tables_are_regular(elems: &[Elem]) {
    let mut widths: Vec<Vec<usize>> = Vec::new();
    for e in elems {
        match e.kind.as_str() {
            "Table" => widths.push(Vec::new()),
            "TR" => widths.last_mut().expect("a row in a table").push(e.cells),
            _ => {}
        }
    }
    for (i, w) in widths.iter().enumerate() {
        assert!(
            w.windows(2).all(|p| p[0] == p[1]),
            "table {i}: cells per row {w:?}"
        );
    }
}

/// The outline's entries as (level, title), in order.
fn outline(doc: &Document, first: Option<&Object>, level: usize, out: &mut Vec<(usize, String)>) {
    let mut next = first.cloned();
    while let Some(obj) = next {
        let d = dict(doc, &obj);
        out.push((level, text(doc, d, b"Title").unwrap_or_default()));
        outline(doc, d.get(b"First").ok(), level + 1, out);
        next = d.get(b"Next").ok().cloned();
    }
}

/// The catalog's tagging entries and the structure tree, checked; returns the elements.
fn tagged(pdf: &Path) -> (Document, Vec<Elem>) {
    let doc = Document::load(pdf).expect("lopdf reads the report");
    let catalog = doc.catalog().unwrap().clone();
    let mark = dict(&doc, catalog.get(b"MarkInfo").expect("MarkInfo"));
    assert!(mark.get(b"Marked").unwrap().as_bool().unwrap());
    assert_eq!(text(&doc, &catalog, b"Lang").as_deref(), Some("en"));
    let prefs = dict(&doc, catalog.get(b"ViewerPreferences").expect("prefs"));
    assert!(
        prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap(),
        "a reader shows the title, not the file name"
    );
    let root = dict(
        &doc,
        catalog.get(b"StructTreeRoot").expect("StructTreeRoot"),
    )
    .clone();
    let mut elems = Vec::new();
    walk(&doc, &root, &mut elems);
    assert_eq!(elems.first().map(|e| e.kind.as_str()), Some("Document"));
    (doc, elems)
}

fn count(elems: &[Elem], kind: &str) -> usize {
    elems.iter().filter(|e| e.kind == kind).count()
}

#[test]
fn the_sample_report_is_tagged_pdf_ua_1_and_pdf_a_3b() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(declared(&pdf), ("3".into(), "B".into(), "1".into()));
    let (doc, elems) = tagged(&pdf);

    // Headings: H1 and H2 are the outline's two levels, in the same order, with their text as
    // the title; level-3 headings are tagged too.
    let catalog = doc.catalog().unwrap();
    let outlines = dict(&doc, catalog.get(b"Outlines").unwrap());
    let mut bookmarks = Vec::new();
    outline(&doc, outlines.get(b"First").ok(), 1, &mut bookmarks);
    let headings: Vec<(usize, String)> = elems
        .iter()
        .filter(|e| e.kind == "H1" || e.kind == "H2")
        .map(|e| {
            let level = if e.kind == "H1" { 1 } else { 2 };
            (level, e.title.clone().expect("a heading has its title"))
        })
        .collect();
    assert!(bookmarks.len() > 10, "{bookmarks:?}");
    assert_eq!(headings, bookmarks);
    assert!(count(&elems, "H3") > 0);

    // Tables have header cells, rows and data cells, as many in every row; lists their items;
    // the contents its items.
    tables_are_regular(&elems);
    for kind in [
        "Table", "TR", "TH", "TD", "L", "LI", "Lbl", "LBody", "P", "TOC", "TOCI",
    ] {
        assert!(count(&elems, kind) > 0, "no {kind} in the structure tree");
    }

    // Every figure says in words what it shows: the pipeline diagram, the timeline, the
    // latency chart with each stage's value.
    let alts: Vec<&str> = elems
        .iter()
        .filter(|e| e.kind == "Figure")
        .map(|e| e.alt.as_deref().expect("every Figure has /Alt"))
        .collect();
    assert!(alts.len() >= 3, "{alts:?}");
    assert!(alts.iter().all(|a| a.len() > 40), "{alts:?}");
    assert!(alts.iter().any(|a| a.starts_with("Diagram: ")
        && a.contains("CloudTrail trail")
        && a.contains("EventBridge rule")));
    assert!(alts.iter().any(|a| a.starts_with("Timeline chart: ")));
    let latency = alts
        .iter()
        .find(|a| a.starts_with("Bar chart: "))
        .expect("the latency chart");
    assert!(latency.contains("Flow 2: rule triggered "), "{latency}");
    assert!(
        latency.contains(" s;") || latency.contains(" s."),
        "{latency}"
    );

    // Page furniture (running header and footer, rules) is marked as artifacts on every page.
    for (n, page) in doc.get_pages() {
        let content = doc.get_page_content(page).unwrap();
        let content = String::from_utf8_lossy(&content);
        assert!(content.contains("/Artifact"), "page {n} has no artifact");
        assert!(content.contains("/MCID"), "page {n} has no tagged content");
    }

    // The text reads in the order of the structure tree: every level-1 heading, then a few
    // key sentences of the executive summary, where pdftotext finds them, in that order.
    let text = pdf_text(&pdf);
    let mut from = 0;
    for (_, h1) in bookmarks.iter().filter(|(level, _)| *level == 1) {
        let at = text[from..]
            .find(h1.as_str())
            .unwrap_or_else(|| panic!("{h1:?} not in the text after byte {from}"));
        from += at + h1.len();
    }
    let summary = text.find("What happened, in order").expect("summary");
    let mut from = summary;
    for s in [
        "Reconnaissance.",
        "A second way in.",
        "The read.",
        "Containment.",
        "Root cause and initial access.",
    ] {
        from += text[from..]
            .find(s)
            .unwrap_or_else(|| panic!("{s:?} not in order"));
    }
}

#[test]
fn reports_without_incidents_and_with_several_are_tagged_and_pass_validation() {
    let dir = tempfile::tempdir().unwrap();
    let read = |id: &str, user: &str, time: &str| {
        json!({
            "eventVersion": "1.08", "eventTime": time, "eventID": id,
            "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
            "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2",
            "requestParameters": {"secretId": "Production_Database_Credentials"},
            "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::123456789012:user/{user}"),
                "userName": user, "accessKeyId": format!("AKIA{user}")}
        })
    };
    let trail = dir.path().join("trail.json");
    let records = json!({"Records": [
        read("r1", "mallory", "2026-11-20T10:00:00Z"),
        read("r2", "eve", "2026-11-20T11:00:00Z"),
        read("r3", "mallory", "2026-11-20T10:05:00Z"),
    ]});
    std::fs::write(&trail, records.to_string()).unwrap();
    let stratus = shared_data().join("cloudtrail/stratus-red-team");
    for (name, input) in [("several", trail.as_path()), ("none", stratus.as_path())] {
        let pdf = dir.path().join(format!("{name}.pdf"));
        // Rendering fails if krilla's PDF/A-3b or PDF/UA-1 validator finds a violation.
        let run = report_pdf(&pdf, &[input.to_str().unwrap()]);
        // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert_eq!(declared(&pdf), ("3".into(), "B".into(), "1".into()));
        let (_, elems) = tagged(&pdf);
        assert!(count(&elems, "H1") > 3, "{name}");
        assert!(count(&elems, "TH") > 0, "{name}");
        assert!(
            elems
                .iter()
                .filter(|e| e.kind == "Figure")
                .all(|e| e.alt.as_deref().is_some_and(|a| !a.is_empty())),
            "{name}"
        );
    }
}

#[test]
fn empty_headings_cells_and_values_still_give_a_valid_tagged_pdf() {
    // What evidence can leave empty: a heading, a paragraph, a key's value, table cells, a
    // table with no rows. Each must still pass the PDF/UA-1 validator (an empty heading title
    // or an empty table cell would otherwise be a violation or a row of the wrong shape).
    let mut doc = demo_doc(Paper::A4);
    doc.blocks.extend([
        Block::heading(2, ""),
        Block::para(""),
        Block::KeyValue(vec![
            ("Key".into(), String::new()),
            (String::new(), "v".into()),
        ]),
        Block::Bullets(vec![String::new()]),
        Block::Table(Table {
            columns: vec![Column::new("A", 1.0), Column::new("", 1.0)],
            rows: vec![vec![Cell::text(""), Cell::text("x")], vec![Cell::text("y")]],
            caption: None,
        }),
        Block::Table(Table {
            columns: vec![Column::new("Empty", 1.0)],
            rows: Vec::new(),
            caption: Some(String::new()),
        }),
        Block::Preformatted(String::new()),
    ]);
    let bytes = render_pdf(&doc).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("odd.pdf");
    std::fs::write(&pdf, bytes).unwrap();
    let (_, elems) = tagged(&pdf);
    assert!(count(&elems, "TH") > 0);
    tables_are_regular(&elems);
}
