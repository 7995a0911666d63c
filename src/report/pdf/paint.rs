//! Paints recorded drawing operations onto krilla surfaces (the only use of the PDF crate
//! besides `meta` and `structure`). Text is set glyph by glyph with the advances the layout
//! measured with; each run of equally tagged operations is one marked-content sequence.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, FillRule, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::tagging::Identifier;
use krilla::text::{Font, GlyphId, KrillaGlyph};

use super::structure::Marking;
use super::RenderError;
use crate::report::canvas::{DrawOp, HAnchor, Pen, Rgb, TextOp, VAnchor};
use crate::report::fonts::{self, face, text_width, FontKind, ASCENT, CENTRE_TO_BASELINE, DESCENT};

/// The three embedded faces and the fallbacks as krilla fonts (krilla embeds only the glyphs a
/// report uses, so an unused fallback costs the PDF nothing).
pub(super) struct Fonts {
    regular: Font,
    bold: Font,
    mono: Font,
    fallbacks: Vec<Font>,
}

impl Fonts {
    pub(super) fn load() -> Result<Fonts, RenderError> {
        let load = |kind: FontKind| {
            Font::new(krilla::Data::from(fonts::data(kind)), 0).ok_or(RenderError::Font(kind))
        };
        Ok(Fonts {
            regular: load(FontKind::Regular)?,
            bold: load(FontKind::Bold)?,
            mono: load(FontKind::Mono)?,
            fallbacks: fonts::FALLBACK_TTF
                .iter()
                .map(|d| {
                    Font::new(krilla::Data::from(*d), 0).ok_or(RenderError::Font(FontKind::Regular))
                })
                .collect::<Result<_, _>>()?,
        })
    }

    /// The krilla font of a [`fonts::Slot`] for text of `kind`.
    fn get(&self, kind: FontKind, slot: fonts::Slot) -> Font {
        match (slot, kind) {
            (0, FontKind::Regular) => self.regular.clone(),
            (0, FontKind::Bold) => self.bold.clone(),
            (0, FontKind::Mono) => self.mono.clone(),
            (n, _) => self.fallbacks[n - 1].clone(),
        }
    }
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn stroke(p: &Pen) -> Stroke {
    Stroke {
        paint: rgb::Color::new(p.color.0, p.color.1, p.color.2).into(),
        width: p.width,
        dash: p.dash.map(|d| StrokeDash {
            array: vec![d, d],
            offset: 0.0,
        }),
        ..Stroke::default()
    }
}

fn draw(surface: &mut Surface, pb: PathBuilder, f: Option<Rgb>, p: Option<&Pen>) {
    if let Some(path) = pb.finish() {
        surface.set_fill(f.map(fill));
        surface.set_stroke(p.map(stroke));
        if f.is_some() || p.is_some() {
            surface.draw_path(&path);
        }
    }
}

/// Glyphs set by one face, and the text they stand for.
struct Run {
    slot: fonts::Slot,
    text: String,
    glyphs: Vec<KrillaGlyph>,
    width: f32,
}

fn text(surface: &mut Surface, fonts: &Fonts, t: &TextOp) -> Result<(), RenderError> {
    if t.text.is_empty() {
        return Ok(());
    }
    face(t.font).ok_or(RenderError::Font(t.font))?;
    // Runs of characters set by one face: DejaVu's, or a fallback's (CJK, emoji). Each run
    // carries the text its glyphs stand for: a character drawn as its escape (see `fonts`)
    // stands for the escape, so the PDF's text is what the page shows.
    let mut runs: Vec<Run> = Vec::new();
    let mut push = |slot: fonts::Slot, gid: u32, adv: f32, ch: char| {
        if runs.last().is_none_or(|r| r.slot != slot) {
            runs.push(Run {
                slot,
                text: String::new(),
                glyphs: Vec::new(),
                width: 0.0,
            });
        }
        let run = runs.last_mut().expect("pushed above");
        let at = run.text.len();
        run.text.push(ch);
        run.glyphs.push(KrillaGlyph::new(
            GlyphId::new(gid),
            adv,
            0.0,
            0.0,
            0.0,
            at..at + ch.len_utf8(),
            None,
        ));
        run.width += adv * t.size;
    };
    for ch in t.text.chars() {
        match fonts::resolve(t.font, ch) {
            Some((slot, gid, adv)) => push(slot, gid, adv, ch),
            None => {
                for c in fonts::escape(ch).chars() {
                    let (slot, gid, adv) =
                        fonts::resolve(t.font, c).ok_or(RenderError::Font(t.font))?;
                    push(slot, gid, adv, c);
                }
            }
        }
    }
    let w = text_width(t.font, t.size, &t.text);
    let dx = match t.h {
        HAnchor::Left => 0.0,
        HAnchor::Center => -w / 2.0,
        HAnchor::Right => -w,
    };
    let dy = match t.v {
        VAnchor::Top => ASCENT * t.size,
        VAnchor::Center => CENTRE_TO_BASELINE * t.size,
        VAnchor::Baseline => 0.0,
        VAnchor::Bottom => -DESCENT * t.size,
    };
    let rotated = t.rotate != 0.0;
    if rotated {
        surface.push_transform(&Transform::from_rotate_at(t.rotate, t.x, t.y));
    }
    surface.set_fill(Some(fill(t.color)));
    surface.set_stroke(None);
    let mut x = t.x + dx;
    for run in &runs {
        surface.draw_glyphs(
            Point::from_xy(x, t.y + dy),
            &run.glyphs,
            fonts.get(t.font, run.slot),
            &run.text,
            t.size,
            false,
        );
        x += run.width;
    }
    if rotated {
        surface.pop();
    }
    Ok(())
}

/// Paints `ops` in order.
pub(super) fn paint(
    surface: &mut Surface,
    fonts: &Fonts,
    ops: &[DrawOp],
) -> Result<(), RenderError> {
    for op in ops {
        match op {
            DrawOp::Line { points, pen } => {
                let mut pb = PathBuilder::new();
                for (i, &(x, y)) in points.iter().enumerate() {
                    if i == 0 {
                        pb.move_to(x, y)
                    } else {
                        pb.line_to(x, y)
                    }
                }
                draw(surface, pb, None, Some(pen));
            }
            DrawOp::Rect {
                x,
                y,
                w,
                h,
                fill: f,
                pen,
            } => {
                let mut pb = PathBuilder::new();
                if let Some(r) = Rect::from_xywh(*x, *y, *w, *h) {
                    pb.push_rect(r);
                }
                draw(surface, pb, *f, pen.as_ref());
            }
            DrawOp::Polygon {
                points,
                fill: f,
                pen,
            } => {
                let mut pb = PathBuilder::new();
                for (i, &(x, y)) in points.iter().enumerate() {
                    if i == 0 {
                        pb.move_to(x, y)
                    } else {
                        pb.line_to(x, y)
                    }
                }
                pb.close();
                draw(surface, pb, *f, pen.as_ref());
            }
            DrawOp::Circle {
                cx,
                cy,
                r,
                fill: f,
                pen,
            } => {
                const K: f32 = 0.552_284_8;
                let (cx, cy, r) = (*cx, *cy, *r);
                let mut pb = PathBuilder::new();
                pb.move_to(cx + r, cy);
                pb.cubic_to(cx + r, cy + K * r, cx + K * r, cy + r, cx, cy + r);
                pb.cubic_to(cx - K * r, cy + r, cx - r, cy + K * r, cx - r, cy);
                pb.cubic_to(cx - r, cy - K * r, cx - K * r, cy - r, cx, cy - r);
                pb.cubic_to(cx + K * r, cy - r, cx + r, cy - K * r, cx + r, cy);
                pb.close();
                draw(surface, pb, *f, pen.as_ref());
            }
            DrawOp::Text(t) => text(surface, fonts, t)?,
        }
    }
    Ok(())
}

/// Paints `ops` in order, each run of operations with the same marking in one marked-content
/// sequence; the identifier of a run of content is added to its leaf's list in `ids`.
pub(super) fn paint_marked(
    surface: &mut Surface,
    fonts: &Fonts,
    ops: &[DrawOp],
    marks: &[Marking],
    ids: &mut [Vec<Identifier>],
) -> Result<(), RenderError> {
    let mut start = 0;
    while start < ops.len() {
        let mark = marks
            .get(start)
            .copied()
            .ok_or_else(|| RenderError::Pdf(format!("drawing operation {start} has no tag")))?;
        let end = (start..ops.len())
            .find(|&i| marks.get(i) != Some(&mark))
            .unwrap_or(ops.len());
        let id = surface.start_tagged(mark.content_tag());
        let painted = paint(surface, fonts, &ops[start..end]);
        surface.end_tagged();
        painted?;
        if let Marking::Leaf { leaf, .. } = mark {
            ids.get_mut(leaf)
                .ok_or_else(|| RenderError::Pdf(format!("leaf {leaf} outside the tag tree")))?
                .push(id);
        }
        start = end;
    }
    Ok(())
}
