//! How wide each column of a table is, and the size a cell's text is set at, so that the
//! identifiers in it (eventIDs, finding kinds, eventNames, ARNs) stay whole on one line where the
//! page allows: a line break inside one is a space in the PDF's text, and a search for it would
//! miss it. Pure measures with the fonts' metrics; the table's drawing is in `table.rs`.

use super::style::*;
use crate::report::doc::{CellStyle, Table};
use crate::report::fonts::{text_width, FontKind};

/// At most this many words in a cell of text: a name with its identifier, not a sentence.
const FEW_WORDS: usize = 8;

/// A cell of [`FEW_WORDS`] or fewer: one set smaller for its longest word ([`fitting_size`]).
/// A sentence keeps its size (smaller for one identifier in it, it would be hard to read), and
/// an identifier in it too long for the column is broken.
pub(super) fn few_words(text: &str) -> bool {
    text.split_whitespace().nth(FEW_WORDS).is_none()
}

/// The size `text` is set at in a column `width` wide: smaller than `size` (down to
/// [`TABLE_MIN_SIZE`]), in a cell of [`few_words`], when a word of it (an identifier: `containment_step_failed`, an ARN) is
/// wider than the column but fits at that size, so it stays whole on one line and a search of
/// the PDF's text finds it; a word too long even then is broken, and the text kept at `size`
/// for it.
pub(super) fn fitting_size(text: &str, font: FontKind, size: f32, width: f32) -> f32 {
    if !few_words(text) {
        return size;
    }
    let widest = text
        .split_whitespace()
        .map(|w| text_width(font, size, w))
        .filter(|&w| w * TABLE_MIN_SIZE / size <= width)
        .fold(0.0, f32::max);
    if widest > width {
        (size * width / widest * 0.99).max(TABLE_MIN_SIZE)
    } else {
        size
    }
}

/// A monospace word up to this width (an eventID, a timestamp) counts as short.
const SHORT_MONO: f32 = 160.0;

/// A word made of colon-separated parts that names one thing (an alarm item, an ARN), not a
/// piece of JSON or code (an event pattern's `{"source":["aws.s3"],…`), which wraps as text.
pub(super) fn is_compound_id(word: &str) -> bool {
    word.contains(':') && !word.contains(['"', '{', '}', '[', ']', ','])
}

/// The width a monospace word needs on one line. A compound identifier wider than an eventID
/// (an alarm item `alarm:<name>:<item>:<time>`, a metric point, an ARN) is broken after its
/// colons when the column is narrower, so it needs only its widest colon-ended part (and never
/// shrinks the cell's face); a word without a colon (an eventID, a SHA-256, a key id) and a
/// short one (a timestamp) stand whole.
pub(super) fn mono_word_width(word: &str, size: f32) -> f32 {
    let whole = text_width(FontKind::Mono, size, word);
    if !is_compound_id(word) || whole <= SHORT_MONO {
        return whole;
    }
    word.split_inclusive(':')
        .map(|part| text_width(FontKind::Mono, size, part))
        .fold(0.0, f32::max)
        .min(whole)
}

/// `text` with each compound identifier wider than `width` (see [`mono_word_width`]) put on
/// lines of its own, broken after its colons only: `arn:aws:sts::1:` / `assumed-role/A/b`,
/// never inside a part, where a break at a hyphen reads as a hyphenated word (`pdftotext` and
/// PDF readers' copy join `assumed-` / `role` into `assumedrole`).
pub(super) fn colons_broken(text: &str, size: f32, width: f32) -> String {
    let fits = |s: &str| text_width(FontKind::Mono, size, s) <= width;
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut open = false;
        for word in line.split_whitespace() {
            let compound = is_compound_id(word)
                && mono_word_width(word, size) < text_width(FontKind::Mono, size, word);
            if !compound || fits(word) {
                if open {
                    out.push(' ');
                }
                out.push_str(word);
                open = true;
                continue;
            }
            if open {
                out.push('\n');
            }
            let mut current = String::new();
            for part in word.split_inclusive(':') {
                if !current.is_empty() && !fits(&format!("{current}{part}")) {
                    out.push_str(&current);
                    out.push('\n');
                    current.clear();
                }
                current.push_str(part);
            }
            out.push_str(&current);
            out.push('\n');
            open = false;
        }
        if out.ends_with('\n') && !open && !line.trim().is_empty() {
            out.pop();
        }
    }
    out
}

/// Widest "short" word of a column (header or cell), so identifiers such as IP addresses,
/// timestamps and error codes are not broken when a little width can be moved to them. In a
/// monospace cell (eventIDs, keys) a word up to [`SHORT_MONO`] counts as short: an eventID is
/// then never broken, and a PDF text search (or `pdftotext`) finds it whole.
fn min_width(table: &Table, col: usize, mono_words: bool) -> f32 {
    const SHORT: f32 = 80.0;
    const SHORT_MONO_SHRUNK: f32 = 210.0;
    let words = |text: &str, font: FontKind, size: f32| {
        let mono = font == FontKind::Mono && mono_words;
        let limit = if mono { SHORT_MONO } else { SHORT };
        text.split_whitespace()
            .map(|w| match font == FontKind::Mono {
                true => mono_word_width(w, size),
                false => text_width(font, size, w),
            })
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
pub(super) fn column_widths(table: &Table, total: f32) -> Vec<f32> {
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
