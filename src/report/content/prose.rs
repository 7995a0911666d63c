//! Rendered template text to blocks: blank lines separate paragraphs, `- ` starts a bullet,
//! `**text**` is bold (in a bullet too: the renderer reads the markers).

use crate::report::{Block, Span};

pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut bullets: Vec<String> = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let flush_para = |para: &mut Vec<String>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(spans(&para.join(" "))));
            para.clear();
        }
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            flush_para(&mut para, &mut out);
            if !bullets.is_empty() {
                out.push(Block::Bullets(std::mem::take(&mut bullets)));
            }
        } else if let Some(item) = line.strip_prefix("- ") {
            flush_para(&mut para, &mut out);
            bullets.push(item.to_string());
        } else {
            if !bullets.is_empty() {
                out.push(Block::Bullets(std::mem::take(&mut bullets)));
            }
            para.push(line.to_string());
        }
    }
    flush_para(&mut para, &mut out);
    if !bullets.is_empty() {
        out.push(Block::Bullets(bullets));
    }
    out
}

fn spans(text: &str) -> Vec<Span> {
    text.split("**")
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(i, t)| {
            if i % 2 == 1 {
                Span::bold(t)
            } else {
                Span::plain(t)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_bullets_and_bold() {
        let b = blocks("**A** b\nc\n\n- one\n- **two**\n\nend");
        assert_eq!(b.len(), 3);
        assert_eq!(
            b[0],
            Block::Paragraph(vec![Span::bold("A"), Span::plain(" b c")])
        );
        assert_eq!(b[1], Block::Bullets(vec!["one".into(), "**two**".into()]));
    }
}
