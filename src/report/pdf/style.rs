//! Page geometry and type sizes of the report (one place to tune the look).

use crate::report::canvas::Rgb;
use crate::report::doc::{Paper, Tone};

/// Page and text-area geometry, in points (origin top left).
#[derive(Debug, Clone, Copy)]
pub(super) struct Geometry {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub right: f32,
    /// First baseline area of the body.
    pub top: f32,
    /// Lowest point body content may reach.
    pub bottom: f32,
}

impl Geometry {
    pub(super) fn new(paper: Paper) -> Geometry {
        let (width, height) = paper.size_pt();
        Geometry {
            width,
            height,
            left: 56.0,
            right: width - 56.0,
            top: 74.0,
            bottom: height - 64.0,
        }
    }

    /// Width of the text column.
    pub(super) fn text_width(&self) -> f32 {
        self.right - self.left
    }

    /// Height available for body content on one page.
    pub(super) fn body_height(&self) -> f32 {
        self.bottom - self.top
    }
}

pub(super) const BODY_SIZE: f32 = 9.5;
pub(super) const BODY_LEADING: f32 = 13.5;
pub(super) const PARA_GAP: f32 = 7.0;
pub(super) const PRE_SIZE: f32 = 7.3;
pub(super) const PRE_LEADING: f32 = 9.4;
pub(super) const TABLE_SIZE: f32 = 7.6;
pub(super) const TABLE_MONO_SIZE: f32 = 7.0;
/// The smallest a monospace identifier is set to keep it on one line.
pub(super) const TABLE_MONO_MIN_SIZE: f32 = 5.0;
/// The smallest a table cell's text is set to keep its longest word (an identifier: a finding
/// kind, an eventName, an ARN) on one line: a line break inside it is a space in the PDF's text,
/// and a search for the identifier would miss it.
pub(super) const TABLE_MIN_SIZE: f32 = 5.6;
pub(super) const TABLE_LEADING: f32 = 9.6;
pub(super) const CELL_PAD_X: f32 = 4.0;
pub(super) const CELL_PAD_Y: f32 = 3.5;
/// A cell longer than this many lines is shortened with an ellipsis.
pub(super) const CELL_MAX_LINES: usize = 40;
pub(super) const HEADER_SIZE: f32 = 7.5;
/// A table no taller than this share of a page's body is not split across pages.
pub(super) const TABLE_KEEP_MAX: f32 = 0.33;

/// A section (level-1 heading) starts on the current page only if at least this share of the
/// page's body is left below its heading.
pub(super) const SECTION_MIN_ROOM: f32 = 0.3;

/// Heading size and space above, per level.
pub(super) fn heading(level: u8) -> (f32, f32) {
    match level {
        1 => (16.0, 22.0),
        2 => (12.5, 14.0),
        _ => (10.5, 10.0),
    }
}

/// Label, accent colour and background tint of a callout.
pub(super) fn tone(t: Tone) -> (&'static str, Rgb, Rgb) {
    match t {
        Tone::Info => ("Note", Rgb(0x3b, 0x6e, 0xa5), Rgb(0xea, 0xf1, 0xf8)),
        Tone::Warning => ("Warning", Rgb(0xb7, 0x79, 0x1f), Rgb(0xfb, 0xf3, 0xe4)),
        Tone::Critical => ("High", Rgb(0xb0, 0x24, 0x24), Rgb(0xf9, 0xe6, 0xe6)),
    }
}
