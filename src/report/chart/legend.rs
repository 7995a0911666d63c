//! The timeline's marker shapes as drawing operations, and its legend: each symbol with what it
//! stands for, in rows under the time axis. The same function draws a point in the plot and in
//! the legend, so the two cannot differ.

use crate::report::canvas::{palette, DrawOp, Pen, Rgb};
use crate::report::chart::spec::{LegendEntry, LegendSymbol, MarkerShape};
use crate::report::fonts::{text_width, FontKind};

/// Legend text size, and the height of one legend row.
const SIZE: f32 = 6.5;
pub(super) const ROW_H: f32 = 11.0;
/// Width of a symbol, the space after it, and between two entries.
const SYMBOL_W: f32 = 12.0;
const SYMBOL_GAP: f32 = 3.0;
const ENTRY_GAP: f32 = 12.0;
/// Height of an interval bar.
pub(super) const BAR_H: f32 = 5.0;

pub(super) fn shape_color(m: MarkerShape) -> Rgb {
    match m {
        MarkerShape::Dot => palette::BLUE,
        MarkerShape::Triangle => palette::AMBER,
        MarkerShape::Cross => palette::RED,
        MarkerShape::Diamond => Rgb(0x2f, 0x7d, 0x4f),
    }
}

/// A marker centred on (`cx`, `cy`).
pub(super) fn marker(m: MarkerShape, cx: f32, cy: f32) -> Vec<DrawOp> {
    let fill = Some(shape_color(m));
    match m {
        MarkerShape::Dot => vec![DrawOp::Circle {
            cx,
            cy,
            r: 3.0,
            fill,
            pen: None,
        }],
        MarkerShape::Triangle => vec![DrawOp::Polygon {
            points: vec![
                (cx, cy - 3.75),
                (cx - 3.25, cy + 1.9),
                (cx + 3.25, cy + 1.9),
            ],
            fill,
            pen: None,
        }],
        MarkerShape::Cross => {
            let pen = Pen::solid(shape_color(m), 1.5);
            vec![
                DrawOp::segment(cx - 3.0, cy - 3.0, cx + 3.0, cy + 3.0, pen),
                DrawOp::segment(cx - 3.0, cy + 3.0, cx + 3.0, cy - 3.0, pen),
            ]
        }
        MarkerShape::Diamond => vec![DrawOp::Polygon {
            points: vec![
                (cx, cy - 3.5),
                (cx + 3.5, cy),
                (cx, cy + 3.5),
                (cx - 3.5, cy),
            ],
            fill,
            pen: None,
        }],
    }
}

/// An interval bar from `x0` to `x1` centred on `cy` (at least 2 points wide, so it shows).
pub(super) fn bar(m: MarkerShape, x0: f32, x1: f32, cy: f32) -> DrawOp {
    let w = (x1 - x0).max(2.0);
    DrawOp::fill_rect(x0, cy - BAR_H / 2.0, w, BAR_H, shape_color(m))
}

/// The position (row, x) of each entry of the given widths, flowing left to right in rows no
/// wider than `width`; an entry wider than a row gets a row of its own.
pub(super) fn flow(widths: &[f32], width: f32) -> Vec<(usize, f32)> {
    let (mut row, mut x) = (0, 0.0);
    let mut out = Vec::with_capacity(widths.len());
    for &w in widths {
        if x > 0.0 && x + w > width {
            row += 1;
            x = 0.0;
        }
        out.push((row, x));
        x += w + ENTRY_GAP;
    }
    out
}

fn entry_width(e: &LegendEntry) -> f32 {
    SYMBOL_W + SYMBOL_GAP + text_width(FontKind::Regular, SIZE, &e.text)
}

/// Rows the legend takes at `width`.
pub(super) fn rows(entries: &[LegendEntry], width: f32) -> usize {
    let widths: Vec<f32> = entries.iter().map(entry_width).collect();
    flow(&widths, width).last().map_or(0, |(r, _)| r + 1)
}

/// The legend's operations, its first row's centre line at `top + ROW_H / 2`.
pub(super) fn draw(entries: &[LegendEntry], width: f32, top: f32) -> Vec<DrawOp> {
    let widths: Vec<f32> = entries.iter().map(entry_width).collect();
    let mut ops = Vec::new();
    for (e, (row, x)) in entries.iter().zip(flow(&widths, width)) {
        let cy = top + row as f32 * ROW_H + ROW_H / 2.0;
        let cx = x + SYMBOL_W / 2.0;
        match e.symbol {
            LegendSymbol::Marker(m) => ops.extend(marker(m, cx, cy)),
            LegendSymbol::Span(m) => ops.push(bar(m, x, x + SYMBOL_W, cy)),
            LegendSymbol::DashedLine => ops.push(DrawOp::segment(
                cx,
                cy - 4.5,
                cx,
                cy + 4.5,
                Pen::dashed(palette::MUTED, 0.6, 2.0),
            )),
        }
        ops.push(DrawOp::text(
            x + SYMBOL_W + SYMBOL_GAP,
            cy + SIZE * 0.35,
            e.text.clone(),
            FontKind::Regular,
            SIZE,
            palette::TEXT,
        ));
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_flow_into_rows_no_wider_than_the_chart() {
        let at = flow(&[100.0, 100.0, 100.0, 300.0], 250.0);
        assert_eq!(at, [(0, 0.0), (0, 112.0), (1, 0.0), (2, 0.0)]);
        assert!(at
            .iter()
            .zip([100.0, 100.0, 100.0, 300.0])
            .all(|((_, x), w)| *x == 0.0 || x + w <= 250.0));
        assert_eq!(flow(&[], 250.0), []);
    }

    #[test]
    fn every_shape_is_drawn_in_its_colour() {
        for m in [
            MarkerShape::Dot,
            MarkerShape::Triangle,
            MarkerShape::Cross,
            MarkerShape::Diamond,
        ] {
            let ops = marker(m, 10.0, 10.0);
            assert!(!ops.is_empty());
            let colored = ops.iter().all(|op| match op {
                DrawOp::Circle { fill, .. } | DrawOp::Polygon { fill, .. } => {
                    *fill == Some(shape_color(m))
                }
                DrawOp::Line { pen, .. } => pen.color == shape_color(m),
                _ => false,
            });
            assert!(colored, "{m:?}");
        }
    }
}
