//! A plotters drawing backend that records vector operations instead of pixels.
//!
//! Backend units are `SCALE` per PDF point so plotters' integer coordinates stay smooth;
//! recorded operations are already in points. Text is measured with the embedded fonts.

use std::cell::RefCell;
use std::rc::Rc;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle, FontTransform,
};

use crate::report::canvas::{DrawOp, HAnchor, Pen, Rgb, TextOp, VAnchor};
use crate::report::fonts::{text_width, FontKind};

/// Backend units per PDF point.
pub(crate) const SCALE: f32 = 4.0;

/// The (never produced) error type of the recording backend.
#[derive(Debug, thiserror::Error)]
#[error("recording backend error")]
pub struct RecordError;

/// Records plotters drawing calls as [`DrawOp`]s into a shared list.
pub(crate) struct RecordingBackend {
    size: (u32, u32),
    ops: Rc<RefCell<Vec<DrawOp>>>,
}

impl RecordingBackend {
    /// A backend of `w` x `h` points that appends to `ops`.
    pub(crate) fn new(w: f32, h: f32, ops: Rc<RefCell<Vec<DrawOp>>>) -> Self {
        RecordingBackend {
            size: ((w * SCALE).round() as u32, (h * SCALE).round() as u32),
            ops,
        }
    }

    fn push(&self, op: DrawOp) {
        self.ops.borrow_mut().push(op);
    }
}

fn pt(c: BackendCoord) -> (f32, f32) {
    (c.0 as f32 / SCALE, c.1 as f32 / SCALE)
}

fn rgb(c: BackendColor) -> Option<Rgb> {
    (c.alpha > 0.0).then_some(Rgb(c.rgb.0, c.rgb.1, c.rgb.2))
}

fn pen<S: BackendStyle>(style: &S) -> Option<Pen> {
    rgb(style.color())
        .map(|c| Pen::solid(c, (style.stroke_width().max(1) as f32 / SCALE).max(0.25)))
}

fn font_kind<T: BackendTextStyle>(style: &T) -> FontKind {
    if style.family().as_str() == "monospace" {
        FontKind::Mono
    } else if matches!(style.style(), FontStyle::Bold) {
        FontKind::Bold
    } else {
        FontKind::Regular
    }
}

type Res = Result<(), DrawingErrorKind<RecordError>>;

impl DrawingBackend for RecordingBackend {
    type ErrorType = RecordError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Res {
        Ok(())
    }

    fn present(&mut self) -> Res {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        if let Some(c) = rgb(color) {
            let (x, y) = pt(point);
            self.push(DrawOp::fill_rect(x, y, 1.0 / SCALE, 1.0 / SCALE, c));
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res {
        if let Some(pen) = pen(style) {
            self.push(DrawOp::Line {
                points: vec![pt(from), pt(to)],
                pen,
            });
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res {
        let ((x0, y0), (x1, y1)) = (pt(ul), pt(br));
        let (x, y, w, h) = (x0.min(x1), y0.min(y1), (x1 - x0).abs(), (y1 - y0).abs());
        let op = if fill {
            DrawOp::Rect {
                x,
                y,
                w,
                h,
                fill: rgb(style.color()),
                pen: None,
            }
        } else {
            DrawOp::Rect {
                x,
                y,
                w,
                h,
                fill: None,
                pen: pen(style),
            }
        };
        self.push(op);
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        if let Some(pen) = pen(style) {
            self.push(DrawOp::Line {
                points: path.into_iter().map(pt).collect(),
                pen,
            });
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res {
        let (cx, cy) = pt(center);
        let r = radius as f32 / SCALE;
        let op = if fill {
            DrawOp::Circle {
                cx,
                cy,
                r,
                fill: rgb(style.color()),
                pen: None,
            }
        } else {
            DrawOp::Circle {
                cx,
                cy,
                r,
                fill: None,
                pen: pen(style),
            }
        };
        self.push(op);
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res {
        let points = vert.into_iter().map(pt).collect();
        self.push(DrawOp::Polygon {
            points,
            fill: rgb(style.color()),
            pen: None,
        });
        Ok(())
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Res {
        let Some(color) = rgb(style.color()) else {
            return Ok(());
        };
        let anchor = style.anchor();
        let (x, y) = pt(pos);
        self.push(DrawOp::Text(TextOp {
            x,
            y,
            text: text.to_string(),
            font: font_kind(style),
            size: style.size() as f32 / SCALE,
            color,
            h: match anchor.h_pos {
                HPos::Left => HAnchor::Left,
                HPos::Center => HAnchor::Center,
                HPos::Right => HAnchor::Right,
            },
            v: match anchor.v_pos {
                VPos::Top => VAnchor::Top,
                VPos::Center => VAnchor::Center,
                VPos::Bottom => VAnchor::Bottom,
            },
            rotate: match style.transform() {
                FontTransform::Rotate90 => 90.0,
                FontTransform::Rotate180 => 180.0,
                FontTransform::Rotate270 => 270.0,
                _ => 0.0,
            },
        }));
        Ok(())
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        // Sizes are in backend units already, so the width comes out in backend units too.
        let size = style.size() as f32;
        let w = text_width(font_kind(style), size, text);
        let (w, h) = (w.ceil() as u32, size.ceil() as u32);
        Ok(match style.transform() {
            FontTransform::Rotate90 | FontTransform::Rotate270 => (h, w),
            _ => (w, h),
        })
    }
}
