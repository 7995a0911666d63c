//! Table layout: weighted columns, wrapped cells, zebra rows, header repeated on each page. The
//! columns' widths and a cell's size (identifiers kept whole) are measured in `columns.rs`.

use super::columns::{colons_broken, column_widths, fitting_size, mono_word_width};
use super::layout::{placeholder, Layout};
use super::structure::{Artifact, Role};
use super::style::*;
use crate::report::canvas::{palette, DrawOp, Pen, Rgb};
use crate::report::doc::{Align, Cell, CellStyle, Table};
use crate::report::fonts::{text_width, FontKind};
use crate::report::wrap::wrap_text;

/// A cell ready to draw: its lines, face, size and colour; `sizes`, each line's size (a line
/// holding a long identifier may be set smaller than the cell's English, see [`set_cell`]).
struct SetCell {
    lines: Vec<String>,
    sizes: Vec<f32>,
    font: FontKind,
    color: Rgb,
}

impl SetCell {
    /// Every line at one size.
    fn uniform(lines: Vec<String>, font: FontKind, size: f32, color: Rgb) -> SetCell {
        SetCell {
            sizes: vec![size; lines.len()],
            lines,
            font,
            color,
        }
    }
}

/// A text cell of several lines (a finding's English name over its JSON identifier), each set
/// on its own: a line whose identifier is too wide for the column is set smaller to keep it
/// whole ([`fitting_size`]), the others at `size`, so the cell's English matches its
/// neighbours'. `None` when every line keeps `size` (or a line is empty): the cell is set whole.
fn set_by_line(
    text: &str,
    font: FontKind,
    size: f32,
    width: f32,
) -> Option<(Vec<String>, Vec<f32>)> {
    if !text.contains('\n') {
        return None;
    }
    let paras: Vec<&str> = text.split('\n').collect();
    if paras.iter().any(|p| p.trim().is_empty()) {
        return None;
    }
    let fit: Vec<f32> = paras
        .iter()
        .map(|p| fitting_size(p, font, size, width))
        .collect();
    if fit.iter().all(|&s| s >= size) {
        return None;
    }
    let (mut lines, mut sizes) = (Vec::new(), Vec::new());
    for (p, s) in paras.iter().zip(fit) {
        let wrapped = wrap_text(p, font, s, width);
        sizes.extend(std::iter::repeat_n(s, wrapped.len()));
        lines.extend(wrapped);
    }
    Some((lines, sizes))
}

fn set_cell(cell: &Cell, width: f32) -> SetCell {
    let (font, size, color) = match cell.style {
        CellStyle::Normal => (FontKind::Regular, TABLE_SIZE, palette::TEXT),
        CellStyle::Mono => (FontKind::Mono, TABLE_MONO_SIZE, palette::TEXT),
        CellStyle::Alert => (FontKind::Bold, TABLE_SIZE, palette::RED),
    };
    // A monospace identifier (eventID, SHA-256, key) is set smaller, down to
    // `TABLE_MONO_MIN_SIZE`, rather than broken: a search of the PDF then finds it whole.
    if font != FontKind::Mono {
        if let Some((lines, sizes)) = set_by_line(&cell.text, font, size, width) {
            if lines.len() <= CELL_MAX_LINES {
                return SetCell {
                    lines,
                    sizes,
                    font,
                    color,
                };
            }
        }
    }
    let size = if font == FontKind::Mono {
        let widest = cell
            .text
            .split_whitespace()
            .map(|w| mono_word_width(w, size))
            .fold(0.0, f32::max);
        let room = width;
        if widest > room && widest > 0.0 {
            (size * room / widest * 0.97).max(TABLE_MONO_MIN_SIZE)
        } else {
            size
        }
    } else {
        fitting_size(&cell.text, font, size, width)
    };
    let mut lines = match font {
        FontKind::Mono => wrap_text(&colons_broken(&cell.text, size, width), font, size, width),
        _ => wrap_text(&cell.text, font, size, width),
    };
    if lines.len() > CELL_MAX_LINES {
        // Never cut silently: the last line says how much is left out and where it is whole.
        let cut = lines.len() - (CELL_MAX_LINES - 1);
        lines.truncate(CELL_MAX_LINES - 1);
        let note = format!("[{cut} more lines not shown; the whole value is in the timeline JSON]");
        lines.extend(wrap_text(&note, font, size, width));
    }
    SetCell::uniform(lines, font, size, color)
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
    for ((i, line), &size) in cell.lines.iter().enumerate().zip(&cell.sizes) {
        let lw = text_width(cell.font, size, line);
        let tx = match align {
            Align::Left => x + CELL_PAD_X,
            Align::Center => x + (w - lw) / 2.0,
            Align::Right => x + w - CELL_PAD_X - lw,
        };
        let base = l.y
            + CELL_PAD_Y
            + i as f32 * TABLE_LEADING
            + size * 0.95
            + (TABLE_LEADING - size * 1.2) / 2.0;
        l.push(DrawOp::text(
            tx,
            base,
            line.clone(),
            cell.font,
            size,
            cell.color,
        ));
    }
}

/// A table set for a width: its columns' widths and alignments, its header and rows wrapped.
struct SetTable {
    widths: Vec<f32>,
    aligns: Vec<Align>,
    header: Vec<SetCell>,
    header_h: f32,
    rows: Vec<Vec<SetCell>>,
}

/// `table` set for `text_width`, its first `rows` rows wrapped (the widths weigh every row).
fn set_table(table: &Table, text_width: f32, rows: usize) -> SetTable {
    let widths = column_widths(table, text_width);
    let aligns: Vec<Align> = table.columns.iter().map(|c| c.align).collect();
    let inner = |w: f32| (w - 2.0 * CELL_PAD_X).max(4.0);
    let header: Vec<SetCell> = table
        .columns
        .iter()
        .zip(&widths)
        .map(|(c, &w)| {
            SetCell::uniform(
                wrap_text(&c.title, FontKind::Bold, TABLE_SIZE, inner(w)),
                FontKind::Bold,
                TABLE_SIZE,
                palette::NAVY,
            )
        })
        .collect();
    let header_h = row_height(&header);
    let empty = Cell::text("");
    let rows: Vec<Vec<SetCell>> = table
        .rows
        .iter()
        .take(rows)
        .map(|r| {
            widths
                .iter()
                .enumerate()
                .map(|(i, &w)| set_cell(r.get(i).unwrap_or(&empty), inner(w)))
                .collect()
        })
        .collect();
    SetTable {
        widths,
        aligns,
        header,
        header_h,
        rows,
    }
}

impl SetTable {
    /// The room the table wants before it starts: all of it when it is short enough to be kept
    /// on one page (the attachments, a posture table), else its header and first row.
    fn start_need(&self, body_height: f32) -> f32 {
        let whole = self.header_h + self.rows.iter().map(|r| row_height(r)).sum::<f32>();
        if whole <= body_height * TABLE_KEEP_MAX {
            whole
        } else {
            self.header_h + self.rows.first().map_or(0.0, |r| row_height(r))
        }
    }
}

/// The room [`layout_table`] wants free on the page before it starts `table` when the table is
/// longer than a page (so not kept whole): its header and first row, which a heading or lead-in
/// before it must keep below it so as not to be left alone at a page's foot. Only the first row
/// is wrapped.
pub(super) fn long_start_height(l: &Layout, table: &Table) -> f32 {
    if table.columns.is_empty() {
        return 0.0;
    }
    let set = set_table(table, l.g.text_width(), 1);
    set.header_h + set.rows.first().map_or(0.0, |r| row_height(r))
}

/// Lays out `table`, breaking between rows and repeating the header on every page it spans.
pub(super) fn layout_table(l: &mut Layout, table: &Table) {
    if table.columns.is_empty() {
        return;
    }
    let set = set_table(table, l.g.text_width(), table.rows.len());
    let SetTable {
        widths,
        aligns,
        header,
        rows,
        ..
    } = &set;

    // The header row is tagged once; repeated on a later page it is an artifact.
    let put_header = |l: &mut Layout, again: bool| {
        l.as_artifact = again.then_some(Artifact::Repeated);
        let th = Role::HeaderCell { row: false };
        draw_row(l, header, widths, aligns, Some(palette::BAND), th);
        l.as_artifact = None;
        l.decor(DrawOp::segment(
            l.g.left,
            l.y,
            l.g.right,
            l.y,
            Pen::solid(palette::NAVY, 0.6),
        ));
    };
    // A short table is kept on one page; a long one starts wherever its header and first row fit.
    l.ensure(set.start_need(l.g.body_height()));
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
            widths,
            aligns,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Column;

    /// A finding's cell, its English over its identifier, in a column narrower than the
    /// identifier at the table's size: the identifier's line alone is set smaller (whole on one
    /// line), the English at the table's size like its neighbours (session 35 set the whole cell
    /// at 5.6 pt).
    #[test]
    fn only_the_line_of_a_long_identifier_is_set_smaller() {
        let id = "success_after_containment";
        let width = text_width(FontKind::Regular, TABLE_SIZE, id) * 0.8;
        let set = set_cell(
            &Cell::text(format!("Calls succeeded after containment\n{id}")),
            width,
        );
        let at = set
            .lines
            .iter()
            .position(|l| l == id)
            .expect("the identifier whole");
        assert!(set.sizes[at] < TABLE_SIZE, "{:?}", set.sizes);
        assert!(text_width(FontKind::Regular, set.sizes[at], id) <= width);
        for (line, size) in set.lines.iter().zip(&set.sizes).take(at) {
            assert_eq!(*size, TABLE_SIZE, "{line:?} shrunk too");
        }
    }

    /// The NIST mapping's columns, with one row citing the bundled sample's alarm items, metric
    /// point, kill-switch message, an ARN and an eventID: the statement keeps most of the width its weight
    /// gives it (the evidence column needs an eventID's width, no more), the ids are set at the
    /// table's monospace size, and the compound ids read whole once their lines are joined.
    #[test]
    fn compound_ids_break_at_colons_instead_of_taking_the_statement_s_width() {
        let alarm = "alarm:HoneytokenSecretAccessAlarm:StateUpdate:2026-11-20T14:05:21.532Z";
        let metric = "metric:TriggeredRules:2026-11-20T14:02:00Z";
        let event_id = "5ad7fe16-471c-489f-908c-61b0d4864cbb";
        let action = "alarm:HoneytokenSecretAccessAlarm:Action:2026-11-20T14:05:21.618Z";
        let kill = "killswitch:2026-11-20T14:02:45Z:5ad7fe16-471c-489f-908c-61b0d4864cbb";
        let arn = "arn:aws:sts::123456789012:assumed-role/Batch/worker-0";
        let table = Table {
            columns: vec![
                Column::new("Control", 0.9),
                Column::new("Title / SP 800-61r3", 2.4),
                Column::new("What the evidence shows", 3.6),
                Column::new("Evidence", 2.6),
                Column::new("Status", 1.1),
            ],
            rows: vec![vec![
                Cell::text("AU-6"),
                Cell::text("Audit Record Review, Analysis, and Reporting\nDetect (DE)"),
                Cell::text("Both flows reviewed the records automatically."),
                Cell::mono(format!(
                    "{alarm}\n{metric}\n{event_id}\n{action}\n{kill} {arn}"
                )),
                Cell::text("supported"),
            ]],
            caption: None,
        };
        let total = 483.0;
        let widths = column_widths(&table, total);
        let weight_share = 3.6 / (0.9 + 2.4 + 3.6 + 2.6 + 1.1) * total;
        assert!(
            widths[2] >= weight_share * 0.8,
            "statement column {} of {total}, its weight gives {weight_share}",
            widths[2]
        );
        let set = set_cell(&table.rows[0][3], widths[3] - 2.0 * CELL_PAD_X);
        assert_eq!(set.sizes[0], TABLE_MONO_SIZE, "ids shrunk: {:?}", set.lines);
        let joined = set.lines.concat();
        for id in [alarm, metric, event_id, action, kill, arn] {
            assert!(joined.contains(id), "{id} not whole in {:?}", set.lines);
        }
        // Broken after a colon only: a line ending in a hyphen reads as a hyphenated word.
        assert!(
            set.lines.iter().all(|l| !l.ends_with('-')),
            "{:?}",
            set.lines
        );
        // An event pattern is JSON, not an identifier: it wraps as text does.
        let pattern =
            r#"{"source":["aws.secretsmanager"],"detail-type":["AWS API Call via CloudTrail"]}"#;
        let width = widths[3] - 2.0 * CELL_PAD_X;
        let set_pattern = set_cell(&Cell::mono(pattern), width);
        assert_eq!(
            set_pattern.lines,
            wrap_text(pattern, FontKind::Mono, set_pattern.sizes[0], width)
        );
        assert!(
            set.lines.iter().any(|l| l == event_id),
            "the eventID is broken: {:?}",
            set.lines
        );
    }
}
