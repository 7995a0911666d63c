//! The cover page: title, subtitle, case fields and the classification marking.

use super::layout::{plain, Layout, RichLine};
use super::structure::Role;
use crate::report::canvas::{palette, DrawOp, Pen};
use crate::report::fonts::FontKind;
use crate::report::wrap::wrap_text;

/// Lays out a cover on a page of its own; content after it starts on a new page.
pub(super) fn layout_cover(
    l: &mut Layout,
    title: &str,
    subtitle: &str,
    fields: &[(String, String)],
) {
    if !l.at_top() {
        l.new_page();
    }
    if let Some(p) = l.pages.last_mut() {
        p.cover = true;
    }
    let g = l.g;
    l.decor(DrawOp::fill_rect(0.0, 0.0, g.width, 14.0, palette::NAVY));
    l.y = g.height * 0.22;
    let titles: Vec<RichLine> = wrap_text(title, FontKind::Bold, 24.0, g.text_width())
        .into_iter()
        .map(|t| plain(FontKind::Bold, t, palette::NAVY))
        .collect();
    l.open(Role::Paragraph);
    l.flow(&titles, g.left, 24.0, 30.0, None);
    l.close();
    l.y += 4.0;
    let subs: Vec<RichLine> = wrap_text(subtitle, FontKind::Regular, 13.0, g.text_width())
        .into_iter()
        .map(|t| plain(FontKind::Regular, t, palette::MUTED))
        .collect();
    l.open(Role::Paragraph);
    l.flow(&subs, g.left, 13.0, 17.0, None);
    l.close();
    l.y += 14.0;
    l.decor(DrawOp::segment(
        g.left,
        l.y,
        g.right,
        l.y,
        Pen::solid(palette::NAVY, 1.2),
    ));
    l.y += 16.0;
    l.key_value(fields, 10.0);
    l.new_page();
}
