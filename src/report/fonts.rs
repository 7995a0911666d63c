//! The embedded fonts (DejaVu, see `fonts/LICENSE-DejaVu.txt`) and their metrics.
//!
//! Text is measured and drawn with the same glyph advances, so a line that the wrapper
//! says fits is exactly as wide on the page. No kerning or shaping: evidence text is
//! mostly ASCII identifiers, and DejaVu covers Latin, Greek and Cyrillic.
//! Depends on `skrifa` only, never on the PDF crate.

use std::sync::LazyLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

/// Which of the three embedded faces a piece of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontKind {
    /// DejaVu Sans, the body face.
    Regular,
    /// DejaVu Sans Bold, for headings, labels and emphasis.
    Bold,
    /// DejaVu Sans Mono, for identifiers and policy documents.
    Mono,
}

pub(crate) const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
pub(crate) const BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");
pub(crate) const MONO_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSansMono.ttf");

/// Ascent above the baseline used to place text by its top, in em.
pub(crate) const ASCENT: f32 = 0.76;
/// Descent below the baseline, in em.
pub(crate) const DESCENT: f32 = 0.24;
/// Offset from the vertical centre of capitals to the baseline, in em.
pub(crate) const CENTRE_TO_BASELINE: f32 = 0.36;

/// Parsed tables of one face, kept for the life of the process.
pub(crate) struct Face {
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
    fallback: u32,
}

impl Face {
    fn load(data: &'static [u8]) -> Option<Face> {
        let font = FontRef::new(data).ok()?;
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        let fallback = charmap.map('?').map(|g| g.to_u32()).unwrap_or(0);
        Some(Face {
            charmap,
            metrics,
            units_per_em,
            fallback,
        })
    }

    /// Glyph id and advance (in em) of one character; unknown characters show as `?`.
    pub(crate) fn glyph(&self, ch: char) -> (u32, f32) {
        let gid = self
            .charmap
            .map(ch)
            .map(|g| g.to_u32())
            .unwrap_or(self.fallback);
        let advance = self
            .metrics
            .advance_width(skrifa::GlyphId::new(gid))
            .unwrap_or(self.units_per_em * 0.6);
        (gid, advance / self.units_per_em.max(1.0))
    }
}

static FACES: LazyLock<Option<[Face; 3]>> = LazyLock::new(|| {
    Some([
        Face::load(REGULAR_TTF)?,
        Face::load(BOLD_TTF)?,
        Face::load(MONO_TTF)?,
    ])
});

/// The parsed face for `kind`, or `None` if the embedded font failed to parse (a build defect).
pub(crate) fn face(kind: FontKind) -> Option<&'static Face> {
    let faces = FACES.as_ref()?;
    Some(match kind {
        FontKind::Regular => &faces[0],
        FontKind::Bold => &faces[1],
        FontKind::Mono => &faces[2],
    })
}

/// Raw TrueType bytes of a face, for embedding.
pub(crate) fn data(kind: FontKind) -> &'static [u8] {
    match kind {
        FontKind::Regular => REGULAR_TTF,
        FontKind::Bold => BOLD_TTF,
        FontKind::Mono => MONO_TTF,
    }
}

/// Width of `text` set in `kind` at `size` points, in points.
pub(crate) fn text_width(kind: FontKind, size: f32, text: &str) -> f32 {
    match face(kind) {
        Some(f) => text.chars().map(|c| f.glyph(c).1).sum::<f32>() * size,
        None => text.chars().count() as f32 * 0.6 * size,
    }
}

/// Width of one character, in points.
pub(crate) fn char_width(kind: FontKind, size: f32, ch: char) -> f32 {
    match face(kind) {
        Some(f) => f.glyph(ch).1 * size,
        None => 0.6 * size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces_parse_and_measure() {
        assert!(face(FontKind::Bold).is_some());
        let w = text_width(FontKind::Mono, 10.0, "abcd");
        assert!((w - 4.0 * 6.02).abs() < 0.1, "mono advance {w}");
        assert!(
            text_width(FontKind::Bold, 10.0, "Wide") > text_width(FontKind::Regular, 10.0, "Wide")
        );
    }
}
