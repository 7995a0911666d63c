//! Lays out and draws a [`DiagramSpec`] as vector operations (boxes, arrows, labels).

use crate::report::canvas::{palette, DrawOp, HAnchor, Pen, Rgb, TextOp, VAnchor};
use crate::report::chart::DrawnChart;
use crate::report::diagram::{DiagramError, DiagramSpec, NodeStatus};
use crate::report::fonts::{text_width, FontKind};
use crate::report::wrap::wrap_text;

const TITLE_H: f32 = 18.0;
const GAP_Y: f32 = 34.0;
const PAD: f32 = 5.0;
const TITLE_SIZE: f32 = 7.5;
const LINE_SIZE: f32 = 6.3;
const LABEL_SIZE: f32 = 6.3;
const MISSING: &str = "missing from evidence";

struct Placed {
    title: Vec<String>,
    lines: Vec<String>,
    missing: bool,
    failing: bool,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

fn text(x: f32, y: f32, s: &str, font: FontKind, size: f32, color: Rgb, h: HAnchor) -> DrawOp {
    DrawOp::Text(TextOp {
        x,
        y,
        text: s.to_string(),
        font,
        size,
        color,
        h,
        v: VAnchor::Baseline,
        rotate: 0.0,
    })
}

/// Where the segment from the centre of box `b` towards `(tx, ty)` leaves the box.
fn exit(b: &Placed, tx: f32, ty: f32) -> (f32, f32) {
    let (cx, cy) = (b.x + b.w / 2.0, b.y + b.h / 2.0);
    let (dx, dy) = (tx - cx, ty - cy);
    let t = f32::min(
        if dx.abs() > 1e-3 {
            b.w / 2.0 / dx.abs()
        } else {
            f32::MAX
        },
        if dy.abs() > 1e-3 {
            b.h / 2.0 / dy.abs()
        } else {
            f32::MAX
        },
    );
    (cx + dx * t.min(1.0), cy + dy * t.min(1.0))
}

/// Draws the diagram `width` points wide.
pub(crate) fn draw_diagram(spec: &DiagramSpec, width: f32) -> Result<DrawnChart, DiagramError> {
    for (i, a) in spec.nodes.iter().enumerate() {
        if let Some(b) = spec.nodes[i + 1..]
            .iter()
            .find(|b| (b.row, b.col) == (a.row, a.col))
        {
            return Err(DiagramError::SameCell {
                first: a.id.clone(),
                second: b.id.clone(),
                row: a.row,
                col: a.col,
            });
        }
    }
    let index = |id: &str| spec.nodes.iter().position(|n| n.id == id);
    let mut edges = Vec::new();
    for e in &spec.edges {
        match (index(&e.from), index(&e.to)) {
            (Some(a), Some(b)) => edges.push((a, b, e.label.as_str())),
            _ => {
                return Err(DiagramError::UnknownNode {
                    from: e.from.clone(),
                    to: e.to.clone(),
                })
            }
        }
    }
    let cols = spec.nodes.iter().map(|n| n.col + 1).max().unwrap_or(1);
    let rows = spec.nodes.iter().map(|n| n.row + 1).max().unwrap_or(1);
    let label_w = spec
        .edges
        .iter()
        .map(|e| text_width(FontKind::Regular, LABEL_SIZE, &e.label))
        .fold(0.0, f32::max);
    let gap_x = (label_w + 10.0).clamp(24.0, 64.0);
    let box_w = ((width - gap_x * (cols - 1) as f32) / cols as f32).max(30.0);
    let inner = box_w - 2.0 * PAD;

    let mut placed: Vec<Placed> = spec
        .nodes
        .iter()
        .map(|n| {
            let title = wrap_text(&n.title, FontKind::Bold, TITLE_SIZE, inner);
            let mut lines: Vec<String> = n
                .lines
                .iter()
                .flat_map(|l| wrap_text(l, FontKind::Mono, LINE_SIZE, inner))
                .collect();
            let missing = n.status == NodeStatus::Missing;
            if missing {
                lines.extend(wrap_text(MISSING, FontKind::Regular, LINE_SIZE, inner));
            }
            let h = PAD + title.len() as f32 * 9.5 + 4.0 + lines.len() as f32 * 8.0 + PAD;
            Placed {
                title,
                lines,
                missing,
                failing: n.status == NodeStatus::Failing,
                x: n.col as f32 * (box_w + gap_x),
                y: 0.0,
                w: box_w,
                h,
            }
        })
        .collect();
    let mut row_h = vec![0.0f32; rows];
    for (n, p) in spec.nodes.iter().zip(&placed) {
        row_h[n.row] = row_h[n.row].max(p.h);
    }
    let row_y: Vec<f32> = row_h
        .iter()
        .scan(TITLE_H, |y, h| {
            let top = *y;
            *y += h + GAP_Y;
            Some(top)
        })
        .collect();
    for (n, p) in spec.nodes.iter().zip(placed.iter_mut()) {
        p.y = row_y[n.row];
        p.h = row_h[n.row];
    }
    let height =
        row_y.last().copied().unwrap_or(TITLE_H) + row_h.last().copied().unwrap_or(0.0) + 4.0;

    let mut ops = vec![text(
        0.0,
        10.0,
        &spec.title,
        FontKind::Bold,
        9.0,
        palette::NAVY,
        HAnchor::Left,
    )];
    for p in &placed {
        let (stroke, fill, head, ink) = if p.missing {
            (
                Pen::dashed(palette::MUTED, 0.8, 3.0),
                palette::ZEBRA,
                palette::ZEBRA,
                palette::MUTED,
            )
        } else if p.failing {
            (
                Pen::solid(palette::RED, 1.6),
                palette::WHITE,
                palette::BAND,
                palette::TEXT,
            )
        } else {
            (
                Pen::solid(palette::NAVY, 0.8),
                palette::WHITE,
                palette::BAND,
                palette::TEXT,
            )
        };
        ops.push(DrawOp::Rect {
            x: p.x,
            y: p.y,
            w: p.w,
            h: p.h,
            fill: Some(fill),
            pen: None,
        });
        let head_h = PAD + p.title.len() as f32 * 9.5;
        ops.push(DrawOp::fill_rect(p.x, p.y, p.w, head_h, head));
        ops.push(DrawOp::Rect {
            x: p.x,
            y: p.y,
            w: p.w,
            h: p.h,
            fill: None,
            pen: Some(stroke),
        });
        let title_ink = if p.missing {
            palette::MUTED
        } else {
            palette::NAVY
        };
        for (i, t) in p.title.iter().enumerate() {
            ops.push(text(
                p.x + PAD,
                p.y + PAD + 7.0 + i as f32 * 9.5,
                t,
                FontKind::Bold,
                TITLE_SIZE,
                title_ink,
                HAnchor::Left,
            ));
        }
        let missing_from = p.lines.len()
            - usize::from(p.missing)
                * wrap_text(MISSING, FontKind::Regular, LINE_SIZE, inner).len();
        for (i, l) in p.lines.iter().enumerate() {
            let y = p.y + head_h + 4.0 + 6.0 + i as f32 * 8.0;
            let (font, color) = if i >= missing_from {
                (FontKind::Regular, palette::RED)
            } else {
                (FontKind::Mono, ink)
            };
            ops.push(text(p.x + PAD, y, l, font, LINE_SIZE, color, HAnchor::Left));
        }
    }
    for (a, b, label) in edges {
        let (pa, pb) = (&placed[a], &placed[b]);
        let (p1, p2) = (
            exit(pa, pb.x + pb.w / 2.0, pb.y + pb.h / 2.0),
            exit(pb, pa.x + pa.w / 2.0, pa.y + pa.h / 2.0),
        );
        let dashed = pa.missing || pb.missing;
        let pen = if dashed {
            Pen::dashed(palette::MUTED, 0.9, 3.0)
        } else {
            Pen::solid(palette::NAVY, 0.9)
        };
        let (dx, dy) = (p2.0 - p1.0, p2.1 - p1.1);
        let len = (dx * dx + dy * dy).sqrt().max(1e-3);
        let (ux, uy) = (dx / len, dy / len);
        let base = (p2.0 - ux * 6.0, p2.1 - uy * 6.0);
        ops.push(DrawOp::segment(p1.0, p1.1, base.0, base.1, pen));
        let head = vec![
            p2,
            (base.0 - uy * 3.0, base.1 + ux * 3.0),
            (base.0 + uy * 3.0, base.1 - ux * 3.0),
        ];
        ops.push(DrawOp::Polygon {
            points: head,
            fill: Some(pen.color),
            pen: None,
        });
        if !label.is_empty() {
            let horizontal = dy.abs() < 1.0;
            let lines = wrap_text(
                label,
                FontKind::Regular,
                LABEL_SIZE,
                if horizontal { gap_x - 2.0 } else { 90.0 },
            );
            let (mx, my) = ((p1.0 + p2.0) / 2.0, (p1.1 + p2.1) / 2.0);
            let lw = lines
                .iter()
                .map(|l| text_width(FontKind::Regular, LABEL_SIZE, l))
                .fold(0.0, f32::max);
            let lh = lines.len() as f32 * 7.5;
            // Horizontal arrows get their label above the line; others on a white patch over it.
            let top = if horizontal {
                my - 2.0 - lh
            } else {
                my - lh / 2.0
            };
            if !horizontal {
                ops.push(DrawOp::fill_rect(
                    mx - lw / 2.0 - 1.5,
                    top - 1.0,
                    lw + 3.0,
                    lh + 2.0,
                    palette::WHITE,
                ));
            }
            for (i, l) in lines.iter().enumerate() {
                ops.push(text(
                    mx,
                    top + 5.5 + i as f32 * 7.5,
                    l,
                    FontKind::Regular,
                    LABEL_SIZE,
                    palette::MUTED,
                    HAnchor::Center,
                ));
            }
        }
    }
    Ok(DrawnChart { height, ops })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::diagram::{DiagramEdge, DiagramNode};

    fn node(id: &str, row: usize, col: usize, status: NodeStatus) -> DiagramNode {
        DiagramNode {
            id: id.into(),
            title: id.into(),
            lines: vec!["x".repeat(80)],
            status,
            row,
            col,
        }
    }

    #[test]
    fn missing_nodes_say_so_and_edges_are_checked() {
        let mut spec = DiagramSpec {
            title: "t".into(),
            nodes: vec![
                node("a", 0, 0, NodeStatus::Present),
                node("b", 0, 1, NodeStatus::Missing),
            ],
            edges: vec![DiagramEdge {
                from: "a".into(),
                to: "b".into(),
                label: "l".into(),
            }],
        };
        let drawn = draw_diagram(&spec, 400.0).expect("draws");
        let texts: String = drawn
            .ops
            .iter()
            .filter_map(|o| {
                if let DrawOp::Text(t) = o {
                    Some(t.text.as_str())
                } else {
                    None
                }
            })
            .collect();
        assert!(texts.contains(MISSING));
        spec.edges[0].to = "nope".into();
        assert!(matches!(
            draw_diagram(&spec, 400.0),
            Err(DiagramError::UnknownNode { .. })
        ));
    }
}
