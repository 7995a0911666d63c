//! The embedded fonts and their metrics: DejaVu (see `fonts/LICENSE-DejaVu.txt`) for every
//! character it has, then two fallbacks for what evidence also holds (a user agent, a role
//! session name or a tag in Chinese, Japanese or Korean; an emoji in a file name): Droid Sans
//! Fallback (Han and kana, `fonts/LICENSE-DroidSansFallback.txt`), NanumSquare (Hangul,
//! unmodified, `fonts/LICENSE-Nanum.txt`) and Symbola (symbols and emoji,
//! `fonts/LICENSE-Symbola.txt`). A character no face has shows as `?`.
//!
//! Text is measured and drawn with the same glyph advances, so a line that the wrapper
//! says fits is exactly as wide on the page. No kerning or shaping: evidence text is
//! mostly ASCII identifiers.
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
/// The fallback faces, in the order they are tried after the text's own face.
pub(crate) const FALLBACK_TTF: [&[u8]; 3] = [
    include_bytes!("../../fonts/DroidSansFallbackFull.ttf"),
    include_bytes!("../../fonts/NanumSquareR.ttf"),
    include_bytes!("../../fonts/Symbola.ttf"),
];

/// Which face sets a character: the text's own (`0`) or fallback `n` (`n + 1`).
pub(crate) type Slot = usize;

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
    /// `own` and `advance` of each ASCII character, looked up once: a report measures every
    /// character it sets, often several times, and the charmap's lookup is most of that.
    ascii: [Option<(u32, f32)>; 128],
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
        let mut face = Face {
            charmap,
            metrics,
            units_per_em,
            fallback,
            ascii: [None; 128],
        };
        for b in 0..128u8 {
            face.ascii[usize::from(b)] =
                face.own(char::from(b)).map(|gid| (gid, face.advance(gid)));
        }
        Some(face)
    }

    /// Glyph id and advance (in em) of one character; unknown characters show as `?`.
    pub(crate) fn glyph(&self, ch: char) -> (u32, f32) {
        let gid = self.own(ch).unwrap_or(self.fallback);
        (gid, self.advance(gid))
    }

    /// The face's own glyph for `ch`, if it has one.
    fn own(&self, ch: char) -> Option<u32> {
        self.charmap.map(ch).map(|g| g.to_u32()).filter(|&g| g != 0)
    }

    fn advance(&self, gid: u32) -> f32 {
        let advance = self
            .metrics
            .advance_width(skrifa::GlyphId::new(gid))
            .unwrap_or(self.units_per_em * 0.6);
        advance / self.units_per_em.max(1.0)
    }
}

static FALLBACKS: LazyLock<Vec<Face>> =
    LazyLock::new(|| FALLBACK_TTF.iter().filter_map(|d| Face::load(d)).collect());

/// The face that sets `ch` in text of `kind` (its own, else the first fallback that has it,
/// else its own `?`), the glyph id there and the advance in em.
pub(crate) fn resolve(kind: FontKind, ch: char) -> Option<(Slot, u32, f32)> {
    let own = face(kind)?;
    if let Some(&Some((gid, adv))) = own.ascii.get(ch as usize) {
        return Some((0, gid, adv));
    }
    if let Some(gid) = own.own(ch) {
        return Some((0, gid, own.advance(gid)));
    }
    if !ch.is_control() {
        for (n, f) in FALLBACKS.iter().enumerate() {
            if let Some(gid) = f.own(ch) {
                return Some((n + 1, gid, f.advance(gid)));
            }
        }
    }
    let (gid, adv) = own.glyph(ch);
    Some((0, gid, adv))
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
        Some(_) => text.chars().map(|c| char_width(kind, size, c)).sum::<f32>(),
        None => text.chars().count() as f32 * 0.6 * size,
    }
}

/// Width of one character, in points.
pub(crate) fn char_width(kind: FontKind, size: f32, ch: char) -> f32 {
    match resolve(kind, ch) {
        Some((_, _, adv)) => adv * size,
        None => 0.6 * size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII table gives what the charmap gives, character by character, in every face.
    #[test]
    fn ascii_widths_are_the_charmaps() {
        for kind in [FontKind::Regular, FontKind::Bold, FontKind::Mono] {
            let f = face(kind).unwrap();
            for b in 0..128u8 {
                let ch = char::from(b);
                let general = f.own(ch).map(|gid| (gid, f.advance(gid)));
                assert_eq!(f.ascii[usize::from(b)], general, "{kind:?} {b}");
            }
            assert!(f.ascii[usize::from(b'a')].is_some());
        }
    }

    #[test]
    fn faces_parse_and_measure() {
        assert!(face(FontKind::Bold).is_some());
        let w = text_width(FontKind::Mono, 10.0, "abcd");
        assert!((w - 4.0 * 6.02).abs() < 0.1, "mono advance {w}");
        assert!(
            text_width(FontKind::Bold, 10.0, "Wide") > text_width(FontKind::Regular, 10.0, "Wide")
        );
    }

    /// CJK and emoji in evidence (a role session name, a user agent, a file name) used to print
    /// as `?`: each now comes from a fallback face, and DejaVu still sets what it has.
    #[test]
    fn cjk_and_emoji_fall_back_to_faces_that_have_them() {
        for kind in [FontKind::Regular, FontKind::Bold, FontKind::Mono] {
            assert_eq!(resolve(kind, 'a').unwrap().0, 0);
            assert_eq!(resolve(kind, '漏').unwrap().0, 1, "Han");
            assert_eq!(resolve(kind, 'カ').unwrap().0, 1, "Katakana");
            assert_eq!(resolve(kind, '한').unwrap().0, 2, "Hangul");
            let question = face(kind).unwrap().glyph('?');
            for ch in ['😀', '🔥', '✅', '漏', 'カ', '한', '국'] {
                let (_, gid, _) = resolve(kind, ch).unwrap();
                assert_ne!(gid, question.0, "{ch:?} in {kind:?} prints as ?");
            }
            assert_eq!(
                resolve(kind, '\u{10FFFD}').unwrap(),
                (0, question.0, question.1)
            );
        }
    }
}
