//! Pagination: turns blocks into positioned drawing operations, page by page.
//!
//! Every block is measured with the same font metrics the painter uses, and content that
//! does not fit moves to the next page; nothing is drawn below `Geometry::bottom`.
//!
//! The page machinery only (the page being filled, flowing lines, key-value runs): which layout
//! each kind of block gets is in `blocks.rs`, the cover and tables in their own files, all of
//! them on top of this one. Everything drawn is marked for the tag tree (`structure.rs`):
//! `push` as content of the element open in `structure`, `decor` as an artifact.

use super::structure::{Artifact, ElemId, Marking, Role, Structure};
use super::style::*;
use crate::report::canvas::{palette, DrawOp, Pen, Rgb};
use crate::report::fonts::{text_width, FontKind};
use crate::report::wrap::{wrap_text, Line, Piece};

/// One laid-out page.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub ops: Vec<DrawOp>,
    /// How each of `ops` is tagged.
    pub marks: Vec<Marking>,
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
    /// The page of each contents entry, from an earlier layout (empty on the first).
    pub contents_pages: Vec<Option<usize>>,
    /// How many of `contents_pages` the contents blocks laid out so far took.
    pub contents_used: usize,
    /// The logical structure of what is laid out (the tag tree).
    pub structure: Structure,
    /// While set, content is drawn as this artifact (a header row repeated on a new page).
    pub as_artifact: Option<Artifact>,
}

impl Layout {
    pub(super) fn new(g: Geometry) -> Layout {
        Layout {
            g,
            pages: vec![Page::default()],
            y: g.top,
            marks: Vec::new(),
            contents_pages: Vec::new(),
            contents_used: 0,
            structure: Structure::default(),
            as_artifact: None,
        }
    }

    fn push_marked(&mut self, op: DrawOp, mark: Marking) {
        if let Some(p) = self.pages.last_mut() {
            p.ops.push(op);
            p.marks.push(mark);
        }
    }

    /// Draws content of the innermost open element (see [`Layout::open`]).
    pub(super) fn push(&mut self, op: DrawOp) {
        let mark = match self.as_artifact {
            Some(a) => Marking::Artifact(a),
            None => self.structure.content(self.pages.len() - 1),
        };
        self.push_marked(op, mark);
    }

    /// Draws decoration (a rule, a background, a leader): an artifact.
    pub(super) fn decor(&mut self, op: DrawOp) {
        self.push_marked(op, Marking::Artifact(Artifact::Layout));
    }

    /// Draws content of element `e` (one opened earlier, open or not).
    pub(super) fn push_to(&mut self, op: DrawOp, e: ElemId) {
        let mark = match self.as_artifact {
            Some(a) => Marking::Artifact(a),
            None => self.structure.content_of(e, self.pages.len() - 1),
        };
        self.push_marked(op, mark);
    }

    /// Opens a structure element; what is pushed until [`Layout::close`] belongs to it.
    pub(super) fn open(&mut self, role: Role) -> Option<ElemId> {
        match self.as_artifact {
            None => Some(self.structure.open(role)),
            Some(_) => None,
        }
    }

    /// Closes the element opened last.
    pub(super) fn close(&mut self) {
        if self.as_artifact.is_none() {
            self.structure.close();
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
                self.decor(DrawOp::fill_rect(
                    self.g.left,
                    self.y,
                    self.g.text_width(),
                    h,
                    b.fill,
                ));
                if let Some(bar) = b.bar {
                    self.decor(DrawOp::fill_rect(self.g.left, self.y, 2.5, h, bar));
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

    pub(super) fn key_value(&mut self, pairs: &[(String, String)], size: f32) {
        let leading = size * 1.4;
        let key_w = pairs
            .iter()
            .map(|(k, _)| text_width(FontKind::Bold, size, k))
            .fold(0.0, f32::max)
            .min(self.g.text_width() * 0.34)
            + 12.0;
        self.open(Role::Table);
        for (k, v) in pairs {
            let keys = wrap_text(k, FontKind::Bold, size, key_w - 12.0);
            let vals = wrap_text(v, FontKind::Regular, size, self.g.text_width() - key_w);
            let n = keys.len().max(vals.len());
            let h = n as f32 * leading + 4.0;
            if h <= self.g.body_height() {
                self.ensure(h);
            }
            // A row: the key a row header, the value its cell (lines alternate on the page).
            self.open(Role::Row);
            let key = self.open(Role::HeaderCell { row: true });
            self.close();
            let value = self.open(Role::Cell);
            self.close();
            for i in 0..n {
                self.ensure(leading);
                let base = self.y + size * 0.95 + (leading - size * 1.2) / 2.0;
                if let (Some(k), Some(e)) = (keys.get(i), key) {
                    self.push_to(
                        DrawOp::text(
                            self.g.left,
                            base,
                            k.clone(),
                            FontKind::Bold,
                            size,
                            palette::MUTED,
                        ),
                        e,
                    );
                }
                if let (Some(v), Some(e)) = (vals.get(i), value) {
                    self.push_to(
                        DrawOp::text(
                            self.g.left + key_w,
                            base,
                            v.clone(),
                            FontKind::Regular,
                            size,
                            palette::TEXT,
                        ),
                        e,
                    );
                }
                self.y += leading;
            }
            // An empty key or value still has its cell (a table's rows keep their shape).
            for (lines, e) in [(&keys, key), (&vals, value)] {
                if let (true, Some(e)) = (lines.is_empty(), e) {
                    self.push_to(placeholder(), e);
                }
            }
            self.close();
            self.y += 2.0;
            self.decor(DrawOp::segment(
                self.g.left,
                self.y,
                self.g.right,
                self.y,
                Pen::solid(palette::BAND, 0.4),
            ));
            self.y += 2.0;
        }
        self.close();
        self.y += PARA_GAP;
    }
}

/// Nothing to see: an empty text that gives an empty table cell its marked content.
pub(super) fn placeholder() -> DrawOp {
    DrawOp::text(0.0, 0.0, "", FontKind::Regular, BODY_SIZE, palette::TEXT)
}

/// A single-piece line.
pub(super) fn plain(font: FontKind, text: String, color: Rgb) -> RichLine {
    RichLine {
        pieces: vec![Piece { font, text }],
        color,
    }
}
