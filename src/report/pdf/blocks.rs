//! Block by block: the dispatcher that gives each kind of block its layout (the cover and
//! tables in their own files), and the text blocks and graphics laid out here.
//!
//! On top of `layout.rs` (the page machinery), `contents.rs`, `cover.rs` and `table.rs`; none of
//! them imports this file.

use super::alt;
use super::contents::layout_contents;
use super::cover::layout_cover;
use super::layout::{plain, BoxStyle, Layout, Mark, RichLine};
use super::structure::Role;
use super::style::*;
use super::table::layout_table;
use super::RenderError;
use crate::report::canvas::{palette, DrawOp, Pen};
use crate::report::chart::{draw_chart, DrawnChart};
use crate::report::diagram::draw_diagram;
use crate::report::doc::{Block, Span};
use crate::report::fonts::FontKind;
use crate::report::wrap::{wrap_pre, wrap_spans, wrap_text};

impl Layout {
    fn heading(&mut self, level: u8, text: &str) -> Result<(), RenderError> {
        if !(1..=3).contains(&level) {
            return Err(RenderError::HeadingLevel {
                level,
                text: text.to_string(),
            });
        }
        let (size, before) = heading(level);
        let lines = wrap_text(text, FontKind::Bold, size, self.g.text_width());
        let h = lines.len() as f32 * size * 1.3 + 8.0;
        // A section starts a page unless enough of this one is left to be worth filling (a
        // page half empty at each section's end made the report twice as long); any heading
        // keeps at least a few lines of what follows.
        let keep = if level == 1 {
            self.g.body_height() * SECTION_MIN_ROOM
        } else {
            4.0 * BODY_LEADING
        };
        self.ensure(before + h + keep);
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
        // PDF/UA wants a heading's title; a heading without text is tagged as a paragraph.
        self.open(match text.trim() {
            "" => Role::Paragraph,
            _ => Role::Heading(level, text.to_string()),
        });
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
        self.close();
        if level <= 2 {
            let pen = Pen::solid(
                if level == 1 {
                    palette::NAVY
                } else {
                    palette::RULE
                },
                if level == 1 { 0.8 } else { 0.5 },
            );
            self.decor(DrawOp::segment(
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
        self.open(Role::Paragraph);
        self.flow(&lines, self.g.left, BODY_SIZE, BODY_LEADING, None);
        self.close();
        self.y += PARA_GAP;
    }

    fn bullets(&mut self, items: &[String]) {
        let indent = 14.0;
        self.open(Role::List);
        for item in items {
            // `**text**` in an item is bold, as in a paragraph.
            let runs: Vec<(FontKind, &str)> = item
                .split("**")
                .enumerate()
                .filter(|(_, t)| !t.is_empty())
                .map(|(n, t)| {
                    (
                        if n % 2 == 1 {
                            FontKind::Bold
                        } else {
                            FontKind::Regular
                        },
                        t,
                    )
                })
                .collect();
            let lines = wrap_spans(&runs, BODY_SIZE, self.g.text_width() - indent);
            self.ensure(BODY_LEADING);
            let base = self.y + BODY_SIZE * 0.95 + (BODY_LEADING - BODY_SIZE * 1.2) / 2.0;
            self.open(Role::ListItem);
            self.open(Role::Label);
            self.push(DrawOp::text(
                self.g.left + 3.0,
                base,
                "•",
                FontKind::Regular,
                BODY_SIZE,
                palette::NAVY,
            ));
            self.close();
            let rich: Vec<RichLine> = lines
                .into_iter()
                .map(|pieces| RichLine {
                    pieces,
                    color: palette::TEXT,
                })
                .collect();
            self.open(Role::ListBody);
            self.flow(&rich, self.g.left + indent, BODY_SIZE, BODY_LEADING, None);
            self.close();
            self.close();
            self.y += 2.0;
        }
        self.close();
        self.y += PARA_GAP - 2.0;
    }

    /// A chart or diagram: one figure whose alternative text says in words what it shows.
    fn graphic(&mut self, drawn: DrawnChart, alt: String) {
        let alt = alt::bounded(alt);
        self.ensure(drawn.height + 4.0);
        let (x, y) = (self.g.left, self.y + 4.0);
        self.open(Role::Figure(alt));
        for op in drawn.ops {
            self.push(op.translated(x, y));
        }
        self.close();
        self.y += drawn.height + 4.0 + 12.0;
    }

    pub(super) fn block(&mut self, block: &Block) -> Result<(), RenderError> {
        match block {
            Block::Cover {
                title,
                subtitle,
                fields,
            } => layout_cover(self, title, subtitle, fields),
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
                // A document that fits on a page (a policy) is not split across two.
                let h = 2.0 * style.pad + lines.len() as f32 * PRE_LEADING;
                if h <= self.g.body_height() {
                    self.ensure(h);
                }
                self.open(Role::Paragraph);
                self.open(Role::Code);
                self.flow(
                    &lines,
                    self.g.left + 9.0,
                    PRE_SIZE,
                    PRE_LEADING,
                    Some(&style),
                );
                self.close();
                self.close();
                self.y += PARA_GAP + 2.0;
            }
            Block::Chart(spec) => {
                self.graphic(draw_chart(spec, self.g.text_width())?, alt::chart(spec))
            }
            Block::Diagram(spec) => {
                self.graphic(draw_diagram(spec, self.g.text_width())?, alt::diagram(spec))
            }
            Block::Contents(entries) => {
                self.heading(1, "Contents")?;
                let pages = std::mem::take(&mut self.contents_pages);
                layout_contents(self, entries, &pages, self.contents_used);
                self.contents_pages = pages;
                self.contents_used += entries.len();
            }
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
                self.open(Role::Paragraph);
                self.flow(&lines, self.g.left + 12.0, 9.0, 12.5, Some(&style));
                self.close();
                self.y += PARA_GAP + 2.0;
            }
        }
        Ok(())
    }
}
