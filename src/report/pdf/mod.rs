//! Renders a [`ReportDoc`] to PDF bytes: layout (pagination) first, then painting with krilla.
//!
//! A pure function of the document: no clock, no environment, no files. The same document
//! always gives the same bytes. Only this module uses the PDF crate.

mod alt;
mod blocks;
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
    for block in &doc.blocks {
        lay.block(block)?;
    }
    // A trailing empty page (after a cover or a page break at the end) is dropped.
    if lay.pages.len() > 1 && lay.pages.last().is_some_and(|p| p.ops.is_empty()) {
        lay.pages.pop();
    }
    Ok(lay)
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
