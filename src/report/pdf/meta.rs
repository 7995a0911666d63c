//! Document metadata, the outline (bookmarks) and the running header and footer.

use chrono::{Datelike, Timelike};
use krilla::destination::XyzDestination;
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::Point;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};

use super::layout::Mark;
use super::structure::Artifact;
use super::style::{Geometry, HEADER_SIZE};
use super::RenderError;
use crate::report::canvas::{palette, DrawOp, HAnchor, Pen, TextOp, VAnchor};
use crate::report::doc::{Attachment, DocMeta};
use crate::report::fonts::{text_width, FontKind};
use crate::report::wrap::shorten;

/// A PDF date from Unix seconds (UTC).
fn pdf_date(unix: i64) -> Result<DateTime, RenderError> {
    let t = chrono::DateTime::from_timestamp(unix, 0).ok_or(RenderError::CreationTime(unix))?;
    let year = u16::try_from(t.year()).map_err(|_| RenderError::CreationTime(unix))?;
    Ok(DateTime::new(year)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0))
}

/// An attachment as an embedded file dated like the document (never the clock).
pub(super) fn attachment(a: &Attachment, created_unix: i64) -> Result<EmbeddedFile, RenderError> {
    Ok(EmbeddedFile {
        path: a.name.clone(),
        mime_type: Some(
            MimeType::new(&a.mime)
                .ok_or_else(|| RenderError::Pdf(format!("invalid MIME type {:?}", a.mime)))?,
        ),
        description: Some(a.description.clone()),
        association_kind: AssociationKind::Supplement,
        data: a.data.clone().into(),
        modification_date: Some(pdf_date(created_unix)?),
        compress: Some(true),
        location: None,
    })
}

/// PDF document information from the doc; the date is the caller's, never the clock.
pub(super) fn metadata(meta: &DocMeta) -> Result<Metadata, RenderError> {
    let date = pdf_date(meta.created_unix)?;
    Ok(Metadata::new()
        .title(meta.title.clone())
        .description(meta.subject.clone())
        .authors(vec![meta.author.clone()])
        .keywords(meta.keywords.clone())
        .creator(meta.creator.clone())
        .producer(meta.creator.clone())
        .language(super::LANG.to_string())
        .document_id(format!("{}:{}", meta.case_id, meta.created_unix))
        .creation_date(date))
}

/// Bookmarks: level-1 headings at the root, level-2 headings beneath the preceding level 1.
pub(super) fn outline(marks: &[Mark], g: &Geometry) -> Outline {
    let node = |m: &Mark| {
        OutlineNode::new(
            m.text.clone(),
            XyzDestination::new(m.page, Point::from_xy(g.left, m.y)),
        )
    };
    let mut outline = Outline::new();
    let mut current: Option<OutlineNode> = None;
    for m in marks {
        match m.level {
            1 => {
                if let Some(done) = current.replace(node(m)) {
                    outline.push_child(done);
                }
            }
            2 => match current.as_mut() {
                Some(parent) => parent.push_child(node(m)),
                None => outline.push_child(node(m)),
            },
            _ => {}
        }
    }
    if let Some(done) = current {
        outline.push_child(done);
    }
    outline
}

fn small(
    x: f32,
    y: f32,
    text: String,
    font: FontKind,
    color: crate::report::canvas::Rgb,
    h: HAnchor,
) -> DrawOp {
    DrawOp::Text(TextOp {
        x,
        y,
        text,
        font,
        size: HEADER_SIZE,
        color,
        h,
        v: VAnchor::Baseline,
        rotate: 0.0,
    })
}

fn fit(text: &str, font: FontKind, width: f32) -> String {
    let lines = crate::report::wrap::wrap_text(text, font, HEADER_SIZE, width);
    shorten(lines, 1, font, HEADER_SIZE, width)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Running header (not on covers) and the "Page N of M" footer, each operation with the
/// artifact it is tagged as (page furniture is never part of the structure).
pub(super) fn furniture(
    meta: &DocMeta,
    g: &Geometry,
    page: usize,
    pages: usize,
    cover: bool,
) -> Vec<(Artifact, DrawOp)> {
    let mut ops = Vec::new();
    let half = g.text_width() / 2.0 - 8.0;
    if cover {
        let mark = fit(&meta.classification, FontKind::Bold, g.text_width());
        ops.push((
            Artifact::Footer,
            small(
                g.width / 2.0,
                g.bottom + 6.0,
                mark,
                FontKind::Bold,
                palette::RED,
                HAnchor::Center,
            ),
        ));
    } else {
        let y = g.top - 30.0;
        let case = fit(&format!("Case {}", meta.case_id), FontKind::Regular, half);
        let class = fit(&meta.classification, FontKind::Bold, half);
        let (muted, red) = (palette::MUTED, palette::RED);
        for op in [
            small(g.left, y, case, FontKind::Regular, muted, HAnchor::Left),
            small(g.right, y, class, FontKind::Bold, red, HAnchor::Right),
            DrawOp::segment(g.left, y + 5.0, g.right, y + 5.0, rule()),
        ] {
            ops.push((Artifact::Header, op));
        }
    }
    let fy = g.height - 34.0;
    let label = format!("Page {} of {}", page + 1, pages);
    let lw = text_width(FontKind::Regular, HEADER_SIZE, &label);
    let title = fit(&meta.title, FontKind::Regular, g.text_width() - lw - 16.0);
    for op in [
        DrawOp::segment(g.left, fy - 10.0, g.right, fy - 10.0, rule()),
        small(
            g.left,
            fy,
            title,
            FontKind::Regular,
            palette::MUTED,
            HAnchor::Left,
        ),
    ] {
        ops.push((Artifact::Footer, op));
    }
    ops.push((
        Artifact::PageNumber,
        small(
            g.right,
            fy,
            label,
            FontKind::Regular,
            palette::MUTED,
            HAnchor::Right,
        ),
    ));
    ops
}

fn rule() -> Pen {
    Pen::solid(palette::RULE, 0.5)
}
