//! Vector drawing operations shared by charts, diagrams and page layout.
//!
//! Coordinates are PDF points with the origin at the top left and y growing downwards.
//! The PDF painter is the only consumer; producers never see the PDF crate.

use crate::report::fonts::FontKind;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

/// The report's muted palette.
pub(crate) mod palette {
    use super::Rgb;
    pub const NAVY: Rgb = Rgb(0x1f, 0x3a, 0x5f);
    pub const TEXT: Rgb = Rgb(0x22, 0x22, 0x22);
    pub const MUTED: Rgb = Rgb(0x6b, 0x72, 0x80);
    pub const RULE: Rgb = Rgb(0xc8, 0xcd, 0xd3);
    pub const BAND: Rgb = Rgb(0xe4, 0xe7, 0xeb);
    pub const ZEBRA: Rgb = Rgb(0xf5, 0xf6, 0xf8);
    pub const RED: Rgb = Rgb(0xb0, 0x24, 0x24);
    pub const AMBER: Rgb = Rgb(0xb7, 0x79, 0x1f);
    pub const BLUE: Rgb = Rgb(0x3b, 0x6e, 0xa5);
    pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
    /// Series colours for charts, in order.
    pub const SERIES: [Rgb; 6] = [
        Rgb(0x3b, 0x6e, 0xa5),
        Rgb(0xd0, 0x8c, 0x3c),
        Rgb(0x5a, 0x9a, 0x6e),
        Rgb(0xa8, 0x4a, 0x4a),
        Rgb(0x7d, 0x6b, 0xa8),
        Rgb(0x6b, 0x72, 0x80),
    ];
}

/// How a line is stroked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pen {
    pub color: Rgb,
    pub width: f32,
    /// Dash length (equal gaps); `None` for a solid line.
    pub dash: Option<f32>,
}

impl Pen {
    pub(crate) fn solid(color: Rgb, width: f32) -> Pen {
        Pen {
            color,
            width,
            dash: None,
        }
    }

    pub(crate) fn dashed(color: Rgb, width: f32, dash: f32) -> Pen {
        Pen {
            color,
            width,
            dash: Some(dash),
        }
    }
}

/// Horizontal text anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HAnchor {
    Left,
    Center,
    Right,
}

/// Vertical text anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VAnchor {
    Top,
    Center,
    Baseline,
    Bottom,
}

/// A piece of text placed at a point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextOp {
    pub x: f32,
    pub y: f32,
    pub text: String,
    pub font: FontKind,
    pub size: f32,
    pub color: Rgb,
    pub h: HAnchor,
    pub v: VAnchor,
    /// Clockwise rotation in degrees about (x, y): 0, 90 or 270.
    pub rotate: f32,
}

/// One drawing operation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DrawOp {
    /// An open polyline.
    Line { points: Vec<(f32, f32)>, pen: Pen },
    /// An axis-aligned rectangle.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        pen: Option<Pen>,
    },
    /// A closed polygon.
    Polygon {
        points: Vec<(f32, f32)>,
        fill: Option<Rgb>,
        pen: Option<Pen>,
    },
    /// A circle.
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        fill: Option<Rgb>,
        pen: Option<Pen>,
    },
    /// Text.
    Text(TextOp),
}

impl DrawOp {
    /// Left-aligned text with its baseline at `y`.
    pub(crate) fn text(
        x: f32,
        y: f32,
        text: impl Into<String>,
        font: FontKind,
        size: f32,
        color: Rgb,
    ) -> DrawOp {
        DrawOp::Text(TextOp {
            x,
            y,
            text: text.into(),
            font,
            size,
            color,
            h: HAnchor::Left,
            v: VAnchor::Baseline,
            rotate: 0.0,
        })
    }

    /// A two-point line.
    pub(crate) fn segment(x1: f32, y1: f32, x2: f32, y2: f32, pen: Pen) -> DrawOp {
        DrawOp::Line {
            points: vec![(x1, y1), (x2, y2)],
            pen,
        }
    }

    /// A filled rectangle without outline.
    pub(crate) fn fill_rect(x: f32, y: f32, w: f32, h: f32, color: Rgb) -> DrawOp {
        DrawOp::Rect {
            x,
            y,
            w,
            h,
            fill: Some(color),
            pen: None,
        }
    }

    /// The same operation moved by (dx, dy).
    pub(crate) fn translated(mut self, dx: f32, dy: f32) -> DrawOp {
        let shift =
            |pts: &mut Vec<(f32, f32)>| pts.iter_mut().for_each(|p| *p = (p.0 + dx, p.1 + dy));
        match &mut self {
            DrawOp::Line { points, .. } | DrawOp::Polygon { points, .. } => shift(points),
            DrawOp::Rect { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            DrawOp::Circle { cx, cy, .. } => {
                *cx += dx;
                *cy += dy;
            }
            DrawOp::Text(t) => {
                t.x += dx;
                t.y += dy;
            }
        }
        self
    }
}
