//! Pagination: turns blocks into positioned drawing operations, page by page.
//!
//! Every block is measured with the same font metrics the painter uses, and content that
//! does not fit moves to the next page; nothing is drawn below `Geometry::bottom`.

use super::style::*;
use super::table::layout_table;
use super::RenderError;
use crate::report::canvas::{palette, DrawOp, Pen, Rgb};
use crate::report::chart::{draw_chart, DrawnChart};
use crate::report::diagram::draw_diagram;
use crate::report::doc::{Block, Span};
use crate::report::fonts::{text_width, FontKind};
use crate::report::wrap::{wrap_pre, wrap_spans, wrap_text, Line, Piece};

/// One laid-out page.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub ops: Vec<DrawOp>,
    /// Cover pages carry no running header.
    pub cover: bool,
}

/// A heading to list in the PDF outline.
#[derive(Debug)]
pub(super) struct Mark {
    pub level: u8,
    pub text: String,
    pub page: usize,
    pub y: f32,
}

/// A coloured line of text: pieces in their faces, one colour.
pub(super) struct RichLine {
    pub pieces: Line,
    pub color: Rgb,
}

/// Background of a run of lines that may split across pages.
pub(super) struct BoxStyle {
    pub fill: Rgb,
    pub bar: Option<Rgb>,
    pub pad: f32,
}

/// The page being filled and everything laid out so far.
pub(super) struct Layout {
    pub g: Geometry,
    pub pages: Vec<Page>,
    pub y: f32,
    pub marks: Vec<Mark>,
}

impl Layout {
    pub(super) fn new(g: Geometry) -> Layout {
        Layout {
            g,
            pages: vec![Page::default()],
            y: g.top,
            marks: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, op: DrawOp) {
        if let Some(p) = self.pages.last_mut() {
            p.ops.push(op);
        }
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.g.top;
    }

    pub(super) fn at_top(&self) -> bool {
        self.y <= self.g.top + 0.01
    }

    pub(super) fn room(&self) -> f32 {
        self.g.bottom - self.y
    }

    /// Starts a new page unless `h` points fit (or the page is still empty).
    pub(super) fn ensure(&mut self, h: f32) {
        if h > self.room() && !self.at_top() {
            self.new_page();
        }
    }

    /// Draws one line of pieces with its baseline at `y`, starting at `x`.
    pub(super) fn line_at(&mut self, x: f32, y: f32, line: &RichLine, size: f32) {
        let mut cx = x;
        for p in &line.pieces {
            self.push(DrawOp::text(
                cx,
                y,
                p.text.clone(),
                p.font,
                size,
                line.color,
            ));
            cx += text_width(p.font, size, &p.text);
        }
    }

    /// Flows lines down the page, splitting across pages; each page's share gets the box.
    pub(super) fn flow(
        &mut self,
        lines: &[RichLine],
        x: f32,
        size: f32,
        leading: f32,
        boxed: Option<&BoxStyle>,
    ) {
        let pad = boxed.map_or(0.0, |b| b.pad);
        let mut i = 0;
        while i < lines.len() {
            self.ensure(2.0 * pad + leading);
            let fit = (((self.room() - 2.0 * pad) / leading).floor() as usize).max(1);
            let n = fit.min(lines.len() - i);
            let h = 2.0 * pad + n as f32 * leading;
            if let Some(b) = boxed {
                self.push(DrawOp::fill_rect(
                    self.g.left,
                    self.y,
                    self.g.text_width(),
                    h,
                    b.fill,
                ));
                if let Some(bar) = b.bar {
                    self.push(DrawOp::fill_rect(self.g.left, self.y, 2.5, h, bar));
                }
            }
            for (k, line) in lines[i..i + n].iter().enumerate() {
                let base =
                    self.y + pad + k as f32 * leading + size * 0.95 + (leading - size * 1.2) / 2.0;
                self.line_at(x, base, line, size);
            }
            self.y += h;
            i += n;
            if i < lines.len() {
                self.new_page();
            }
        }
    }

    fn heading(&mut self, level: u8, text: &str) -> Result<(), RenderError> {
        if !(1..=3).contains(&level) {
            return Err(RenderError::HeadingLevel {
                level,
                text: text.to_string(),
            });
        }
        if level == 1 && !self.at_top() {
            self.new_page();
        }
        let (size, before) = heading(level);
        let lines = wrap_text(text, FontKind::Bold, size, self.g.text_width());
        let h = lines.len() as f32 * size * 1.3 + 8.0;
        // Keep the heading with at least a few lines of what follows.
        self.ensure(before + h + 4.0 * BODY_LEADING);
        if !self.at_top() {
            self.y += before;
        }
        self.marks.push(Mark {
            level,
            text: text.to_string(),
            page: self.pages.len() - 1,
            y: self.y,
        });
        let color = if level == 3 {
            palette::TEXT
        } else {
            palette::NAVY
        };
        for l in &lines {
            self.y += size * 1.3;
            self.push(DrawOp::text(
                self.g.left,
                self.y - size * 0.3,
                l.clone(),
                FontKind::Bold,
                size,
                color,
            ));
        }
        if level <= 2 {
            let pen = Pen::solid(
                if level == 1 {
                    palette::NAVY
                } else {
                    palette::RULE
                },
                if level == 1 { 0.8 } else { 0.5 },
            );
            self.push(DrawOp::segment(
                self.g.left,
                self.y + 2.0,
                self.g.right,
                self.y + 2.0,
                pen,
            ));
        }
        self.y += 8.0;
        Ok(())
    }

    fn paragraph(&mut self, spans: &[Span]) {
        let runs: Vec<(FontKind, &str)> = spans
            .iter()
            .map(|s| {
                (
                    if s.bold {
                        FontKind::Bold
                    } else {
                        FontKind::Regular
                    },
                    s.text.as_str(),
                )
            })
            .collect();
        let lines: Vec<RichLine> = wrap_spans(&runs, BODY_SIZE, self.g.text_width())
            .into_iter()
            .map(|pieces| RichLine {
                pieces,
                color: palette::TEXT,
            })
            .collect();
        self.flow(&lines, self.g.left, BODY_SIZE, BODY_LEADING, None);
        self.y += PARA_GAP;
    }

    fn bullets(&mut self, items: &[String]) {
        let indent = 14.0;
        for item in items {
            let lines = wrap_text(
                item,
                FontKind::Regular,
                BODY_SIZE,
                self.g.text_width() - indent,
            );
            self.ensure(BODY_LEADING);
            let base = self.y + BODY_SIZE * 0.95 + (BODY_LEADING - BODY_SIZE * 1.2) / 2.0;
            self.push(DrawOp::text(
                self.g.left + 3.0,
                base,
                "•",
                FontKind::Regular,
                BODY_SIZE,
                palette::NAVY,
            ));
            let rich: Vec<RichLine> = lines
                .into_iter()
                .map(|l| plain(FontKind::Regular, l, palette::TEXT))
                .collect();
            self.flow(&rich, self.g.left + indent, BODY_SIZE, BODY_LEADING, None);
            self.y += 2.0;
        }
        self.y += PARA_GAP - 2.0;
    }

    pub(super) fn key_value(&mut self, pairs: &[(String, String)], size: f32) {
        let leading = size * 1.4;
        let key_w = pairs
            .iter()
            .map(|(k, _)| text_width(FontKind::Bold, size, k))
            .fold(0.0, f32::max)
            .min(self.g.text_width() * 0.34)
            + 12.0;
        for (k, v) in pairs {
            let keys = wrap_text(k, FontKind::Bold, size, key_w - 12.0);
            let vals = wrap_text(v, FontKind::Regular, size, self.g.text_width() - key_w);
            let n = keys.len().max(vals.len());
            let h = n as f32 * leading + 4.0;
            if h <= self.g.body_height() {
                self.ensure(h);
            }
            for i in 0..n {
                self.ensure(leading);
                let base = self.y + size * 0.95 + (leading - size * 1.2) / 2.0;
                if let Some(k) = keys.get(i) {
                    self.push(DrawOp::text(
                        self.g.left,
                        base,
                        k.clone(),
                        FontKind::Bold,
                        size,
                        palette::MUTED,
                    ));
                }
                if let Some(v) = vals.get(i) {
                    self.push(DrawOp::text(
                        self.g.left + key_w,
                        base,
                        v.clone(),
                        FontKind::Regular,
                        size,
                        palette::TEXT,
                    ));
                }
                self.y += leading;
            }
            self.y += 2.0;
            self.push(DrawOp::segment(
                self.g.left,
                self.y,
                self.g.right,
                self.y,
                Pen::solid(palette::BAND, 0.4),
            ));
            self.y += 2.0;
        }
        self.y += PARA_GAP;
    }

    fn graphic(&mut self, drawn: DrawnChart) {
        self.ensure(drawn.height + 4.0);
        let (x, y) = (self.g.left, self.y + 4.0);
        for op in drawn.ops {
            self.push(op.translated(x, y));
        }
        self.y += drawn.height + 4.0 + 12.0;
    }

    pub(super) fn block(&mut self, block: &Block) -> Result<(), RenderError> {
        match block {
            Block::Cover {
                title,
                subtitle,
                fields,
            } => super::cover::layout_cover(self, title, subtitle, fields),
            Block::Heading { level, text } => self.heading(*level, text)?,
            Block::Paragraph(spans) => self.paragraph(spans),
            Block::Bullets(items) => self.bullets(items),
            Block::KeyValue(pairs) => self.key_value(pairs, 9.0),
            Block::Table(t) => layout_table(self, t),
            Block::Preformatted(text) => {
                let lines: Vec<RichLine> =
                    wrap_pre(text, FontKind::Mono, PRE_SIZE, self.g.text_width() - 16.0)
                        .into_iter()
                        .map(|l| plain(FontKind::Mono, l, palette::TEXT))
                        .collect();
                let style = BoxStyle {
                    fill: palette::ZEBRA,
                    bar: Some(palette::RULE),
                    pad: 5.0,
                };
                self.flow(
                    &lines,
                    self.g.left + 9.0,
                    PRE_SIZE,
                    PRE_LEADING,
                    Some(&style),
                );
                self.y += PARA_GAP + 2.0;
            }
            Block::Chart(spec) => self.graphic(draw_chart(spec, self.g.text_width())?),
            Block::Diagram(spec) => self.graphic(draw_diagram(spec, self.g.text_width())?),
            Block::PageBreak => {
                if !self.at_top() {
                    self.new_page();
                }
            }
            Block::Callout { tone: t, text } => {
                let (label, accent, tint) = tone(*t);
                let head = format!("{label}: ");
                let runs = [
                    (FontKind::Bold, head.as_str()),
                    (FontKind::Regular, text.as_str()),
                ];
                let lines: Vec<RichLine> = wrap_spans(&runs, 9.0, self.g.text_width() - 20.0)
                    .into_iter()
                    .map(|pieces| RichLine {
                        pieces,
                        color: palette::TEXT,
                    })
                    .collect();
                let style = BoxStyle {
                    fill: tint,
                    bar: Some(accent),
                    pad: 6.0,
                };
                self.flow(&lines, self.g.left + 12.0, 9.0, 12.5, Some(&style));
                self.y += PARA_GAP + 2.0;
            }
        }
        Ok(())
    }
}

/// A single-piece line.
pub(super) fn plain(font: FontKind, text: String, color: Rgb) -> RichLine {
    RichLine {
        pieces: vec![Piece { font, text }],
        color,
    }
}
