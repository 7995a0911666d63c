//! The table of contents: each entry's page, found from the first layout's headings, and the
//! entries laid out with dotted leaders and their page numbers on the right.
//!
//! The page numbers never change the number of lines (the number column has a fixed width), so
//! the second layout, which prints them, paginates exactly as the first, which found them.

use super::layout::{Layout, Mark};
use super::structure::Role;
use super::style::*;
use crate::report::canvas::{palette, DrawOp, HAnchor, TextOp, VAnchor};
use crate::report::doc::{Block, ContentsEntry};
use crate::report::fonts::{text_width, FontKind};
use crate::report::wrap::wrap_text;

/// Width kept free on the right for the page number.
const NUMBER_WIDTH: f32 = 34.0;
/// Indent of a level-2 entry.
const INDENT: f32 = 16.0;

/// The page (1-based, as the footer counts) of each entry of every contents block in `blocks`,
/// in order: the first heading of the entry's level and text after the previous entry's.
pub(super) fn pages_of(blocks: &[Block], marks: &[Mark]) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    for b in blocks {
        let Block::Contents(entries) = b else {
            continue;
        };
        let mut from = 0;
        for e in entries {
            let found = marks[from.min(marks.len())..]
                .iter()
                .position(|m| m.level == e.level && m.text == e.text);
            out.push(found.map(|k| {
                from += k + 1;
                marks[from - 1].page + 1
            }));
        }
    }
    out
}

/// Lays out a contents block. `pages` holds the page of every entry of every contents block
/// (see [`pages_of`]), `used` how many of them earlier contents blocks took; an entry without a
/// page yet (the first layout) gets a blank number.
pub(super) fn layout_contents(
    l: &mut Layout,
    entries: &[ContentsEntry],
    pages: &[Option<usize>],
    used: usize,
) {
    // Tagged as a table of contents: an item per entry, its text and page number a
    // paragraph, the dotted leader an artifact.
    l.open(Role::Contents);
    for (k, e) in entries.iter().enumerate() {
        let level2 = e.level >= 2;
        let (font, x) = if level2 {
            (FontKind::Regular, l.g.left + INDENT)
        } else {
            (FontKind::Bold, l.g.left)
        };
        let width = l.g.right - NUMBER_WIDTH - x;
        let lines = wrap_text(&e.text, font, BODY_SIZE, width);
        let gap = if level2 { 0.0 } else { 3.0 };
        l.ensure(gap + lines.len() as f32 * BODY_LEADING);
        l.y += gap;
        let n = lines.len();
        l.open(Role::ContentsItem);
        l.open(Role::Paragraph);
        for (i, line) in lines.into_iter().enumerate() {
            let base = l.y + BODY_SIZE * 0.95 + (BODY_LEADING - BODY_SIZE * 1.2) / 2.0;
            let end = x + text_width(font, BODY_SIZE, &line);
            l.push(DrawOp::text(x, base, line, font, BODY_SIZE, palette::TEXT));
            if i + 1 == n {
                leader(l, end + 4.0, l.g.right - NUMBER_WIDTH + 4.0, base);
                let page = pages.get(used + k).copied().flatten();
                l.push(DrawOp::Text(TextOp {
                    x: l.g.right,
                    y: base,
                    text: page.map(|p| p.to_string()).unwrap_or_default(),
                    font,
                    size: BODY_SIZE,
                    color: palette::TEXT,
                    h: HAnchor::Right,
                    v: VAnchor::Baseline,
                    rotate: 0.0,
                }));
            }
            l.y += BODY_LEADING;
        }
        l.close();
        l.close();
    }
    l.close();
    // The contents stand on their own page.
    l.new_page();
}

/// Dots from `from` to `to` on the baseline `y`.
fn leader(l: &mut Layout, from: f32, to: f32, y: f32) {
    let dot = text_width(FontKind::Regular, BODY_SIZE, ". ");
    if to - from < dot {
        return;
    }
    let n = ((to - from) / dot).floor() as usize;
    l.decor(DrawOp::text(
        to - n as f32 * dot,
        y,
        ". ".repeat(n),
        FontKind::Regular,
        BODY_SIZE,
        palette::MUTED,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(level: u8, text: &str, page: usize) -> Mark {
        Mark {
            level,
            text: text.into(),
            page,
            y: 0.0,
        }
    }

    #[test]
    fn each_entry_takes_the_next_heading_of_its_level_and_text() {
        let entry = |level, text: &str| ContentsEntry {
            level,
            text: text.into(),
        };
        let blocks = vec![Block::Contents(vec![
            entry(1, "A"),
            entry(2, "Inputs"),
            entry(1, "B"),
            entry(2, "Inputs"),
            entry(1, "Missing"),
        ])];
        let marks = vec![
            mark(1, "Contents", 1),
            mark(1, "A", 2),
            mark(2, "Inputs", 3),
            mark(1, "B", 5),
            mark(2, "Inputs", 6),
        ];
        assert_eq!(
            pages_of(&blocks, &marks),
            [Some(3), Some(4), Some(6), Some(7), None]
        );
    }
}
