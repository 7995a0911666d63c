//! Renders a [`ReportDoc`] to PDF bytes: layout (pagination) first, then painting with krilla.
//!
//! A pure function of the document: no clock, no environment, no files. The same document
//! always gives the same bytes. Only this module uses the PDF crate.

mod alt;
mod blocks;
mod columns;
mod contents;
mod cover;
mod layout;
mod meta;
mod paint;
mod structure;
mod style;
mod table;

use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::error::KrillaError;
use krilla::page::PageSettings;
use krilla::tagging::Identifier;
use krilla::{Document, SerializeSettings};

use crate::report::chart::ChartError;
use crate::report::diagram::DiagramError;
use crate::report::doc::{Block, ReportDoc};
use crate::report::fonts::FontKind;

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A heading level outside 1..=3.
    #[error("heading {text:?} has level {level}; levels 1 to 3 are supported")]
    HeadingLevel { level: u8, text: String },
    /// A chart's data is inconsistent.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// A diagram's data is inconsistent.
    #[error(transparent)]
    Diagram(#[from] DiagramError),
    /// The creation time cannot be expressed as a PDF date.
    #[error("creation time {0} (Unix seconds) is out of range for a PDF date")]
    CreationTime(i64),
    /// An embedded font failed to load (a build defect).
    #[error("embedded font {0:?} could not be loaded")]
    Font(FontKind),
    /// The document breaks a rule of PDF/A-3b or PDF/UA-1 (a renderer defect): krilla's
    /// validators found it, and no non-conforming file is written.
    #[error("the PDF would not conform to PDF/A-3b and PDF/UA-1: {0}")]
    Validation(String),
    /// The PDF library refused the document.
    #[error("PDF serialisation failed: {0}")]
    Pdf(String),
}

/// The document's natural language (PDF/UA: catalog `/Lang` and the structure root's).
const LANG: &str = "en";

/// Paginates `doc`, with the contents entries' pages when known.
fn lay_out(
    doc: &ReportDoc,
    g: style::Geometry,
    contents_pages: Vec<Option<usize>>,
) -> Result<layout::Layout, RenderError> {
    let mut lay = layout::Layout::new(g);
    lay.contents_pages = contents_pages;
    for (i, block) in doc.blocks.iter().enumerate() {
        if let Some(h) = lead_in_height(&doc.blocks[i..], g)? {
            lay.ensure(h);
        }
        lay.block(block)?;
    }
    // A trailing empty page (after a cover or a page break at the end) is dropped.
    if lay.pages.len() > 1 && lay.pages.last().is_some_and(|p| p.ops.is_empty()) {
        lay.pages.pop();
    }
    Ok(lay)
}

/// A heading, or a paragraph that ends with a colon: it introduces what follows.
fn is_lead_in(block: &Block) -> bool {
    match block {
        Block::Heading { .. } => true,
        Block::Paragraph(spans) => spans
            .iter()
            .rev()
            .find(|s| !s.text.trim().is_empty())
            .is_some_and(|s| s.text.trim_end().ends_with(':')),
        _ => false,
    }
}

/// The height that `blocks`, when they start with lead-ins (and a heading's first paragraph)
/// followed by a block that moves to
/// the next page whole (a short table, a policy document, a figure), take together on a fresh
/// page, if they fit on one: the lead-ins go with that block instead of being left alone at
/// the foot of a page. A table longer than a page takes the lead-ins and the room it wants to
/// start (its header and first row, which may be tall: a finding that names many records).
/// `None` when `blocks` does not start so, or when they do not fit.
fn lead_in_height(blocks: &[Block], g: style::Geometry) -> Result<Option<f32>, RenderError> {
    // A heading's first paragraph goes with it too: a section opens with its figure.
    let Some(end) = (0..blocks.len()).position(|k| {
        let after_heading = k > 0 && matches!(blocks[k - 1], Block::Heading { .. });
        !(is_lead_in(&blocks[k]) || after_heading && matches!(blocks[k], Block::Paragraph(_)))
    }) else {
        return Ok(None);
    };
    if end == 0
        || !matches!(
            blocks[end],
            Block::Table(_) | Block::Preformatted(_) | Block::Chart(_) | Block::Diagram(_)
        )
    {
        return Ok(None);
    }
    // Measured below the top of a page, as they would be laid out: a heading there takes its
    // space before.
    let mut scratch = layout::Layout::new(g);
    scratch.y += 1.0;
    for b in &blocks[..end] {
        scratch.block(b)?;
    }
    if scratch.pages.len() != 1 {
        return Ok(None);
    }
    let lead_in = scratch.y - g.top - 1.0;
    scratch.block(&blocks[end])?;
    if scratch.pages.len() == 1 {
        return Ok(Some(scratch.y - g.top - 1.0));
    }
    let Block::Table(t) = &blocks[end] else {
        return Ok(None);
    };
    let h = lead_in + table::long_start_height(&scratch, t);
    Ok((h <= g.body_height()).then_some(h))
}

/// Renders `doc` to the bytes of a PDF file.
pub fn render_pdf(doc: &ReportDoc) -> Result<Vec<u8>, RenderError> {
    let g = style::Geometry::new(doc.paper);
    // A table of contents needs the pages its headings land on: the first layout finds them,
    // the second prints them in the lines the first kept for them (so nothing moves).
    let mut lay = lay_out(doc, g, Vec::new())?;
    if doc.blocks.iter().any(|b| matches!(b, Block::Contents(_))) {
        let pages = contents::pages_of(&doc.blocks, &lay.marks);
        let second = lay_out(doc, g, pages.clone())?;
        debug_assert_eq!(
            contents::pages_of(&doc.blocks, &second.marks),
            pages,
            "printing the page numbers moved a heading"
        );
        lay = second;
    }
    let fonts = paint::Fonts::load()?;
    // PDF/A-3b (archival, attachments as associated files) and PDF/UA-1 (tagged, accessible),
    // both checked by krilla's validators: a violation fails the render instead of producing
    // a non-conforming file.
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A3_B)
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))?;
    let settings = SerializeSettings {
        enable_tagging: true,
        configuration,
        ..SerializeSettings::default()
    };
    let mut pdf = Document::new_with(settings);
    let total = lay.pages.len();
    let mut ids: Vec<Vec<Identifier>> = vec![Vec::new(); lay.structure.leaf_count()];
    for (i, page) in lay.pages.iter().enumerate() {
        let size = PageSettings::from_wh(g.width, g.height)
            .ok_or(RenderError::Pdf("invalid page size".into()))?;
        let mut p = pdf.start_page_with(size);
        let mut surface = p.surface();
        paint::paint_marked(&mut surface, &fonts, &page.ops, &page.marks, &mut ids)?;
        let (marks, ops): (Vec<_>, Vec<_>) = meta::furniture(&doc.meta, &g, i, total, page.cover)
            .into_iter()
            .map(|(a, op)| (structure::Marking::Artifact(a), op))
            .unzip();
        paint::paint_marked(&mut surface, &fonts, &ops, &marks, &mut ids)?;
        surface.finish();
        p.finish();
    }
    for a in &doc.attachments {
        pdf.embed_file(meta::attachment(a, doc.meta.created_unix)?)
            .ok_or_else(|| RenderError::Pdf(format!("attachment {:?} embedded twice", a.name)))?;
    }
    pdf.set_metadata(meta::metadata(&doc.meta)?);
    pdf.set_outline(meta::outline(&lay.marks, &g));
    pdf.set_tag_tree(lay.structure.tag_tree(&ids, LANG));
    pdf.finish().map_err(|e| match e {
        KrillaError::Validation(errors) => RenderError::Validation(
            errors
                .iter()
                .map(|(e, _)| format!("{e:?}"))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        e => RenderError::Pdf(format!("{e:?}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Cell, Column, Paper, Table};

    fn doc(blocks: Vec<Block>) -> ReportDoc {
        ReportDoc {
            meta: crate::report::DocMeta {
                title: "t".into(),
                subject: "s".into(),
                author: "a".into(),
                keywords: Vec::new(),
                case_id: "c".into(),
                classification: "TLP:CLEAR".into(),
                created_unix: 0,
                creator: "trailcase".into(),
            },
            paper: Paper::A4,
            blocks,
            attachments: Vec::new(),
        }
    }

    /// However much text comes before, a heading and the paragraph that introduces a short
    /// table land on the table's page, never alone at the foot of the one before.
    #[test]
    fn lead_ins_stay_with_the_table_they_introduce() {
        let g = style::Geometry::new(Paper::A4);
        let table = Block::Table(Table {
            columns: vec![Column::new("Kind", 1.0), Column::new("Folder", 3.0)],
            rows: (0..8)
                .map(|i| vec![Cell::text(format!("kind {i}")), Cell::text("a folder")])
                .collect(),
            caption: None,
        });
        // A paragraph ending in a colon, or a heading's first paragraph, whatever it ends with.
        for (filler, intro) in
            (1..60).flat_map(|n| [(n, "The files, by folder:"), (n, "Summed up by folder.")])
        {
            let mut blocks: Vec<Block> = (0..filler)
                .map(|i| Block::para(format!("Filler paragraph {i}, one line long.")))
                .collect();
            blocks.push(Block::heading(3, "Other inputs, by kind and folder"));
            blocks.push(Block::para(intro));
            blocks.push(table.clone());
            let lay = lay_out(&doc(blocks), g, Vec::new()).unwrap();
            let heading = lay.marks.last().unwrap();
            assert_eq!(
                heading.page,
                lay.pages.len() - 1,
                "{filler} fillers: the heading is on page {} of {}",
                heading.page + 1,
                lay.pages.len()
            );
        }
    }

    /// A table longer than a page whose first row is tall (a finding that names many records)
    /// starts on the page after; its heading goes with it, never left alone at the foot of the
    /// page before (the shared data's "Findings" heading was, with a third of its page empty).
    #[test]
    fn a_heading_stays_with_a_long_table_whose_first_row_is_tall() {
        let g = style::Geometry::new(Paper::A4);
        let tall = (0..30)
            .map(|i| format!("firstrow line {i} of a long cell."))
            .collect::<Vec<_>>()
            .join(" ");
        let mut rows = vec![vec![Cell::text("high"), Cell::text(tall)]];
        rows.extend((0..80).map(|i| vec![Cell::text("info"), Cell::text(format!("row {i}"))]));
        let table = Block::Table(Table {
            columns: vec![Column::new("Severity", 1.0), Column::new("Finding", 3.0)],
            rows,
            caption: None,
        });
        for filler in 1..60 {
            let mut blocks: Vec<Block> = (0..filler)
                .map(|i| Block::para(format!("Filler paragraph {i}, one line long.")))
                .collect();
            blocks.push(Block::heading(3, "Findings"));
            blocks.push(table.clone());
            let lay = lay_out(&doc(blocks), g, Vec::new()).unwrap();
            let heading = lay.marks.last().unwrap();
            let first_row = lay
                .pages
                .iter()
                .position(|p| format!("{:?}", p.ops).contains("firstrow"))
                .unwrap();
            assert_eq!(
                heading.page,
                first_row,
                "{filler} fillers: the heading is on page {}, the table's first row on page {}",
                heading.page + 1,
                first_row + 1
            );
        }
    }

    #[test]
    fn only_headings_and_colon_paragraphs_lead_in() {
        assert!(is_lead_in(&Block::heading(2, "Integrity")));
        assert!(is_lead_in(&Block::para("Configuration used:")));
        assert!(!is_lead_in(&Block::para("None: every input was read.")));
        let g = style::Geometry::new(Paper::A4);
        let long = Block::para("x ".repeat(20));
        assert_eq!(
            lead_in_height(&[Block::heading(2, "A"), long], g).unwrap(),
            None
        );
    }

    /// Characters attacker text may hold that are not ordinary: controls, invisible and
    /// bidirectional characters, the byte-order mark, noncharacters, private use, characters
    /// no face has.
    fn odd_char() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            any::<char>(),
            prop::sample::select(vec![
                '\0',
                '\t',
                '\n',
                '\r',
                '\u{1b}',
                '\u{7f}',
                '\u{85}',
                '\u{ad}',
                '\u{200b}',
                '\u{202e}',
                '\u{2028}',
                '\u{fe0f}',
                '\u{feff}',
                '\u{fdd0}',
                '\u{fffd}',
                '\u{fffe}',
                '\u{ffff}',
                '\u{e000}',
                '\u{10ffff}',
                '\u{e0041}',
                '\u{0378}',
                '?',
                '\\',
                'a',
                ' ',
                '漏',
                '한',
                '😀',
            ]),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

        /// No evidence text stops the PDF (a glyph PDF/A refuses, a character no face has):
        /// a string of any characters renders in a heading (a bookmark), a paragraph, a table
        /// cell, monospace text and the document's title.
        #[test]
        fn any_text_renders(chars in proptest::collection::vec(odd_char(), 0..24)) {
            let text: String = chars.into_iter().collect();
            let mut d = doc(vec![
                Block::heading(1, format!("H {text}")),
                Block::para(text.clone()),
                Block::Table(Table {
                    columns: vec![Column::new("Agent", 1.0), Column::new("Key", 1.0)],
                    rows: vec![vec![Cell::text(text.clone()), Cell::mono(text.clone())]],
                    caption: None,
                }),
                Block::Preformatted(text.clone()),
            ]);
            d.meta.title = format!("Case {text}");
            let pdf = render_pdf(&d);
            proptest::prop_assert!(pdf.is_ok(), "{:?}", pdf.err());
        }
    }
}
