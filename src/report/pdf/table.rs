//! Table layout: weighted columns, wrapped cells, zebra rows, header repeated on each page.

use super::layout::{placeholder, Layout};
use super::structure::{Artifact, Role};
use super::style::*;
use crate::report::canvas::{palette, DrawOp, Pen, Rgb};
use crate::report::doc::{Align, Cell, CellStyle, Table};
use crate::report::fonts::{text_width, FontKind};
use crate::report::wrap::wrap_text;

/// A cell ready to draw: its lines, face, size and colour.
struct SetCell {
    lines: Vec<String>,
    font: FontKind,
    size: f32,
    color: Rgb,
}

fn set_cell(cell: &Cell, width: f32) -> SetCell {
    let (font, size, color) = match cell.style {
        CellStyle::Normal => (FontKind::Regular, TABLE_SIZE, palette::TEXT),
        CellStyle::Mono => (FontKind::Mono, TABLE_MONO_SIZE, palette::TEXT),
        CellStyle::Alert => (FontKind::Bold, TABLE_SIZE, palette::RED),
    };
    // A monospace identifier (eventID, SHA-256, key) is set smaller, down to
    // `TABLE_MONO_MIN_SIZE`, rather than broken: a search of the PDF then finds it whole.
    let size = if font == FontKind::Mono {
        let widest = cell
            .text
            .split_whitespace()
            .map(|w| text_width(font, size, w))
            .fold(0.0, f32::max);
        let room = width;
        if widest > room && widest > 0.0 {
            (size * room / widest * 0.97).max(TABLE_MONO_MIN_SIZE)
        } else {
            size
        }
    } else {
        size
    };
    let mut lines = wrap_text(&cell.text, font, size, width);
    if lines.len() > CELL_MAX_LINES {
        // Never cut silently: the last line says how much is left out and where it is whole.
        let cut = lines.len() - (CELL_MAX_LINES - 1);
        lines.truncate(CELL_MAX_LINES - 1);
        let note = format!("[{cut} more lines not shown; the whole value is in the timeline JSON]");
        lines.extend(wrap_text(&note, font, size, width));
    }
    SetCell {
        lines,
        font,
        size,
        color,
    }
}

fn row_height(cells: &[SetCell]) -> f32 {
    cells
        .iter()
        .map(|c| c.lines.len())
        .max()
        .unwrap_or(1)
        .max(1) as f32
        * TABLE_LEADING
        + 2.0 * CELL_PAD_Y
}

/// Draws one row at the current position and moves down; `cell` is the role of its cells.
fn draw_row(
    l: &mut Layout,
    cells: &[SetCell],
    widths: &[f32],
    aligns: &[Align],
    band: Option<Rgb>,
    cell: Role,
) {
    let h = row_height(cells);
    if let Some(fill) = band {
        l.decor(DrawOp::fill_rect(l.g.left, l.y, l.g.text_width(), h, fill));
    }
    let mut x = l.g.left;
    l.open(Role::Row);
    for ((set, &w), align) in cells.iter().zip(widths).zip(aligns) {
        l.open(cell.clone());
        draw_cell(l, set, x, w, *align);
        l.close();
        x += w;
    }
    l.close();
    l.y += h;
}

/// Draws a cell's lines (an empty cell gets an empty text, so it is still tagged).
fn draw_cell(l: &mut Layout, cell: &SetCell, x: f32, w: f32, align: Align) {
    if cell.lines.iter().all(|t| t.is_empty()) {
        l.push(placeholder());
    }
    for (i, line) in cell.lines.iter().enumerate() {
        let lw = text_width(cell.font, cell.size, line);
        let tx = match align {
            Align::Left => x + CELL_PAD_X,
            Align::Center => x + (w - lw) / 2.0,
            Align::Right => x + w - CELL_PAD_X - lw,
        };
        let base = l.y
            + CELL_PAD_Y
            + i as f32 * TABLE_LEADING
            + cell.size * 0.95
            + (TABLE_LEADING - cell.size * 1.2) / 2.0;
        l.push(DrawOp::text(
            tx,
            base,
            line.clone(),
            cell.font,
            cell.size,
            cell.color,
        ));
    }
}

/// Widest "short" word of a column (header or cell), so identifiers such as IP addresses,
/// timestamps and error codes are not broken when a little width can be moved to them. In a
/// monospace cell (eventIDs, keys) a word up to [`SHORT_MONO`] counts as short: an eventID is
/// then never broken, and a PDF text search (or `pdftotext`) finds it whole.
fn min_width(table: &Table, col: usize, mono_words: bool) -> f32 {
    const SHORT: f32 = 80.0;
    const SHORT_MONO: f32 = 160.0;
    const SHORT_MONO_SHRUNK: f32 = 210.0;
    let words = |text: &str, font: FontKind, size: f32| {
        let mono = font == FontKind::Mono && mono_words;
        let limit = if mono { SHORT_MONO } else { SHORT };
        text.split_whitespace()
            .map(|w| text_width(font, size, w))
            // A longer monospace word (a SHA-256) needs only the width it has at the smallest
            // size `set_cell` shrinks it to.
            .map(|w| match mono && w > limit {
                true => w * TABLE_MONO_MIN_SIZE / size / 0.97,
                false => w,
            })
            .filter(|w| *w <= limit.max(if mono { SHORT_MONO_SHRUNK } else { 0.0 }))
            .fold(0.0, f32::max)
    };
    let mut m = table
        .columns
        .get(col)
        .map_or(0.0, |c| words(&c.title, FontKind::Bold, TABLE_SIZE));
    for row in &table.rows {
        if let Some(cell) = row.get(col) {
            let (font, size) = match cell.style {
                CellStyle::Normal => (FontKind::Regular, TABLE_SIZE),
                CellStyle::Mono => (FontKind::Mono, TABLE_MONO_SIZE),
                CellStyle::Alert => (FontKind::Bold, TABLE_SIZE),
            };
            m = m.max(words(&cell.text, font, size));
        }
    }
    m + 2.0 * CELL_PAD_X + 0.5
}

/// Column widths: shares of `total` by weight, then widened to each column's minimum at the
/// expense of columns with room to spare. If the minimums cannot all fit, weights win.
fn column_widths(table: &Table, total: f32) -> Vec<f32> {
    let weight = |w: f32| if w > 0.0 && w.is_finite() { w } else { 1.0 };
    let sum: f32 = table.columns.iter().map(|c| weight(c.weight)).sum();
    let mut widths: Vec<f32> = table
        .columns
        .iter()
        .map(|c| weight(c.weight) / sum * total)
        .collect();
    // Whole monospace identifiers if they can all fit; else the short words only; else weights.
    let mut mins: Vec<f32> = (0..widths.len())
        .map(|i| min_width(table, i, true))
        .collect();
    if mins.iter().sum::<f32>() > total {
        mins = (0..widths.len())
            .map(|i| min_width(table, i, false))
            .collect();
    }
    if mins.iter().sum::<f32>() > total {
        return widths;
    }
    let deficit: f32 = widths
        .iter()
        .zip(&mins)
        .map(|(w, m)| (m - w).max(0.0))
        .sum();
    let spare: f32 = widths
        .iter()
        .zip(&mins)
        .map(|(w, m)| (w - m).max(0.0))
        .sum();
    if deficit <= 0.0 || spare <= 0.0 {
        return widths;
    }
    for (w, m) in widths.iter_mut().zip(&mins) {
        if *w < *m {
            *w = *m;
        } else {
            *w -= (*w - m) / spare * deficit;
        }
    }
    widths
}

/// Lays out `table`, breaking between rows and repeating the header on every page it spans.
pub(super) fn layout_table(l: &mut Layout, table: &Table) {
    if table.columns.is_empty() {
        return;
    }
    let widths = column_widths(table, l.g.text_width());
    let aligns: Vec<Align> = table.columns.iter().map(|c| c.align).collect();
    let inner = |w: f32| (w - 2.0 * CELL_PAD_X).max(4.0);
    let header: Vec<SetCell> = table
        .columns
        .iter()
        .zip(&widths)
        .map(|(c, &w)| SetCell {
            lines: wrap_text(&c.title, FontKind::Bold, TABLE_SIZE, inner(w)),
            font: FontKind::Bold,
            size: TABLE_SIZE,
            color: palette::NAVY,
        })
        .collect();
    let header_h = row_height(&header);
    let empty = Cell::text("");
    let rows: Vec<Vec<SetCell>> = table
        .rows
        .iter()
        .map(|r| {
            widths
                .iter()
                .enumerate()
                .map(|(i, &w)| set_cell(r.get(i).unwrap_or(&empty), inner(w)))
                .collect()
        })
        .collect();

    // The header row is tagged once; repeated on a later page it is an artifact.
    let put_header = |l: &mut Layout, again: bool| {
        l.as_artifact = again.then_some(Artifact::Repeated);
        let th = Role::HeaderCell { row: false };
        draw_row(l, &header, &widths, &aligns, Some(palette::BAND), th);
        l.as_artifact = None;
        l.decor(DrawOp::segment(
            l.g.left,
            l.y,
            l.g.right,
            l.y,
            Pen::solid(palette::NAVY, 0.6),
        ));
    };
    // A short table (the attachments, a posture table) is kept on one page; a long one starts
    // wherever its header and first row fit.
    let whole = header_h + rows.iter().map(|r| row_height(r)).sum::<f32>();
    if whole <= l.g.body_height() * TABLE_KEEP_MAX {
        l.ensure(whole);
    } else {
        l.ensure(header_h + rows.first().map_or(0.0, |r| row_height(r)));
    }
    l.open(Role::Table);
    put_header(l, false);
    for (i, row) in rows.iter().enumerate() {
        if row_height(row) > l.room() {
            l.decor(DrawOp::segment(
                l.g.left,
                l.y,
                l.g.right,
                l.y,
                Pen::solid(palette::RULE, 0.5),
            ));
            l.new_page();
            put_header(l, true);
        }
        draw_row(
            l,
            row,
            &widths,
            &aligns,
            (i % 2 == 1).then_some(palette::ZEBRA),
            Role::Cell,
        );
    }
    l.decor(DrawOp::segment(
        l.g.left,
        l.y,
        l.g.right,
        l.y,
        Pen::solid(palette::RULE, 0.5),
    ));
    if let Some(caption) = &table.caption {
        l.y += 3.0;
        let lines = wrap_text(caption, FontKind::Regular, 7.5, l.g.text_width());
        let rich: Vec<_> = lines
            .into_iter()
            .map(|t| super::layout::plain(FontKind::Regular, t, palette::MUTED))
            .collect();
        l.open(Role::Caption);
        l.flow(&rich, l.g.left, 7.5, 10.0, None);
        l.close();
    }
    l.close();
    l.y += PARA_GAP + 4.0;
}
