//! The embedded fonts and their metrics: DejaVu (see `fonts/LICENSE-DejaVu.txt`) for every
//! character it has, then two fallbacks for what evidence also holds (a user agent, a role
//! session name or a tag in Chinese, Japanese or Korean; an emoji in a file name): Droid Sans
//! Fallback (Han and kana, `fonts/LICENSE-DroidSansFallback.txt`), NanumSquare (Hangul,
//! unmodified, `fonts/LICENSE-Nanum.txt`) and Symbola (symbols and emoji,
//! `fonts/LICENSE-Symbola.txt`).
//!
//! A character is drawn as itself only when a reader can see it and the PDF can carry it: it has
//! a glyph in one of the faces and is not a control character (C0, DEL, C1), an invisible one
//! (Unicode's default-ignorable code points: the byte-order mark U+FEFF, zero-width and
//! bidirectional-control characters, the soft hyphen, variation selectors, tags), a line or
//! paragraph separator, a noncharacter (U+FDD0..U+FDEF, U+xFFFE and U+xFFFF in every plane) or
//! a private-use character. Every other character is drawn as its escape `\u{hex}` (the form
//! the terminal output uses, see `case::printable`), measured and wrapped as one piece: attacker
//! text cannot hide a character, forge what a line shows, or make the PDF non-conforming (PDF/A
//! refuses a glyph whose text is U+0000, U+FEFF or U+FFFE).
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

// The faces are `static`, not `const`: a `const` is copied into every codegen unit that uses
// it, and the linker does not merge the copies, which put each face in the binary twice (9.7 MB).
pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");
pub(crate) static MONO_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSansMono.ttf");
/// The fallback faces, in the order they are tried after the text's own face.
pub(crate) static FALLBACK_TTF: [&[u8]; 3] = [
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
        let mut face = Face {
            charmap,
            metrics,
            units_per_em,
            ascii: [None; 128],
        };
        for b in 0..128u8 {
            let ch = char::from(b);
            face.ascii[usize::from(b)] = face
                .own(ch)
                .filter(|_| !hidden(ch))
                .map(|gid| (gid, face.advance(gid)));
        }
        Some(face)
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

/// Whether `ch` is never drawn as itself, whatever the faces have (see the module's doc): a
/// control, a default-ignorable (invisible) character, a line or paragraph separator, a
/// noncharacter or a private-use character.
pub(crate) fn hidden(ch: char) -> bool {
    let c = u32::from(ch);
    ch.is_control()
        || c & 0xFFFE == 0xFFFE
        || matches!(
            c,
            0xFDD0..=0xFDEF
                | 0xE000..=0xF8FF
                | 0xF0000..=0x10FFFF
                // Default_Ignorable_Code_Point (Unicode 15), and U+2028, U+2029.
                | 0x00AD
                | 0x034F
                | 0x061C
                | 0x115F..=0x1160
                | 0x17B4..=0x17B5
                | 0x180B..=0x180F
                | 0x200B..=0x200F
                | 0x2028..=0x202E
                | 0x2060..=0x206F
                | 0x3164
                | 0xFE00..=0xFE0F
                | 0xFEFF
                | 0xFFA0
                | 0xFFF0..=0xFFF8
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0000..=0xE0FFF
        )
}

/// The escape drawn in place of a character that is not drawn as itself: `\u{hex}`.
pub(crate) fn escape(ch: char) -> String {
    format!("\\u{{{:x}}}", u32::from(ch))
}

/// The face that sets `ch` in text of `kind` (its own, else the first fallback that has it),
/// the glyph id there and the advance in em; `None` when `ch` is drawn as its [`escape`] (it is
/// [`hidden`] or no face has it) or the face failed to load (a build defect, see [`face`]).
pub(crate) fn resolve(kind: FontKind, ch: char) -> Option<(Slot, u32, f32)> {
    let own = face(kind)?;
    if let Some(&glyph) = own.ascii.get(ch as usize) {
        return glyph.map(|(gid, adv)| (0, gid, adv));
    }
    if hidden(ch) {
        return None;
    }
    if let Some(gid) = own.own(ch) {
        return Some((0, gid, own.advance(gid)));
    }
    FALLBACKS
        .iter()
        .enumerate()
        .find_map(|(n, f)| f.own(ch).map(|gid| (n + 1, gid, f.advance(gid))))
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

/// Width of one character, in points (of its escape when it is drawn as one).
pub(crate) fn char_width(kind: FontKind, size: f32, ch: char) -> f32 {
    match resolve(kind, ch) {
        Some((_, _, adv)) => adv * size,
        None => escape(ch)
            .chars()
            .map(|c| resolve(kind, c).map_or(0.6, |g| g.2) * size)
            .sum(),
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
                let general = f
                    .own(ch)
                    .filter(|_| !hidden(ch))
                    .map(|gid| (gid, f.advance(gid)));
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
            let question = resolve(kind, '?').unwrap();
            for ch in ['😀', '🔥', '✅', '漏', 'カ', '한', '국'] {
                let (_, gid, _) = resolve(kind, ch).unwrap();
                assert_ne!(gid, question.1, "{ch:?} in {kind:?} prints as ?");
            }
        }
    }

    /// What PDF/A refuses (a glyph whose text is U+0000, U+FEFF or U+FFFE), what a reader
    /// could not see and what no face has are drawn as their escape, measured as such.
    #[test]
    fn hidden_and_unknown_characters_are_drawn_escaped() {
        for ch in [
            '\0',
            '\t',
            '\n',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{9f}',
            '\u{ad}',
            '\u{200b}',
            '\u{200e}',
            '\u{202e}',
            '\u{2028}',
            '\u{2066}',
            '\u{fe0f}',
            '\u{feff}',
            '\u{fdd0}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
            '\u{e000}',
            '\u{f0000}',
            '\u{e0041}',
            '\u{0378}',
            '\u{2fffd}',
        ] {
            for kind in [FontKind::Regular, FontKind::Bold, FontKind::Mono] {
                assert_eq!(resolve(kind, ch), None, "{ch:?} {kind:?}");
                assert_eq!(
                    char_width(kind, 10.0, ch),
                    text_width(kind, 10.0, &escape(ch)),
                    "{ch:?}"
                );
            }
        }
        assert_eq!(escape('\u{feff}'), "\\u{feff}");
        for ch in ['a', ' ', '?', '\\', '\u{a0}', '\u{fffd}', 'é', '漏', '😀'] {
            assert!(resolve(FontKind::Regular, ch).is_some(), "{ch:?}");
        }
    }
}
