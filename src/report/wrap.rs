//! Line breaking with the embedded fonts' metrics.
//!
//! Breaks at spaces; a token wider than the column (ARN, user agent, URL) is broken after one
//! of its natural separators (`:`, `/`, `-`, `.`, `_`, `=`, `,`, `;`, `&`, `?`), so that
//! `arn:aws:iam::123456789012:user/alice` wraps as `arn:aws:iam::` / `123456789012:user/alice`
//! and never inside the account id. A piece with no separator that is wider than the whole
//! column is broken between the words of a CamelCase name (`HoneytokenSecret` / `AccessAlarm`),
//! and only a piece with no such boundary either (base64, an access key id) at any character.
//! No line is ever wider than the column. Used by page layout and by diagrams; pure functions,
//! no PDF crate.

use crate::report::fonts::{char_width, text_width, FontKind};

/// A run of text in one face within a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub font: FontKind,
    pub text: String,
}

/// One output line of mixed-face text.
pub(crate) type Line = Vec<Piece>;

struct Breaker {
    size: f32,
    max_w: f32,
    lines: Vec<Line>,
    cur: Line,
    cur_w: f32,
}

impl Breaker {
    fn push_str(&mut self, font: FontKind, s: &str, w: f32) {
        match self.cur.last_mut() {
            Some(last) if last.font == font => last.text.push_str(s),
            _ => self.cur.push(Piece {
                font,
                text: s.to_string(),
            }),
        }
        self.cur_w += w;
    }

    fn flush(&mut self) {
        self.lines.push(std::mem::take(&mut self.cur));
        self.cur_w = 0.0;
    }

    fn word(&mut self, font: FontKind, word: &str, space_before: bool) {
        let mut space_w = if space_before && !self.cur.is_empty() {
            char_width(font, self.size, ' ')
        } else {
            0.0
        };
        let ww = text_width(font, self.size, word);
        if self.cur_w + space_w + ww <= self.max_w {
            if space_w > 0.0 {
                self.push_str(font, " ", space_w);
            }
            self.push_str(font, word, ww);
            return;
        }
        if ww <= self.max_w {
            self.flush();
            self.push_str(font, word, ww);
            return;
        }
        // A token wider than the column: start it on a fresh line unless plenty of room is left.
        if !self.cur.is_empty() && self.max_w - self.cur_w - space_w < 0.3 * self.max_w {
            self.flush();
            space_w = 0.0;
        }
        if space_w > 0.0 {
            self.push_str(font, " ", space_w);
        }
        for piece in pieces(word) {
            if self.place(font, piece) {
                continue;
            }
            for part in camel_parts(piece) {
                if self.place(font, part) {
                    continue;
                }
                let mut buf = [0u8; 4];
                for ch in part.chars() {
                    let cw = char_width(font, self.size, ch);
                    if self.cur_w + cw > self.max_w && self.cur_w > 0.0 {
                        self.flush();
                    }
                    self.push_str(font, ch.encode_utf8(&mut buf), cw);
                }
            }
        }
    }

    /// Puts a piece on this line, or on a fresh one; false (nothing placed) when it is wider
    /// than the whole column.
    fn place(&mut self, font: FontKind, piece: &str) -> bool {
        let pw = text_width(font, self.size, piece);
        if self.cur_w + pw <= self.max_w {
            self.push_str(font, piece, pw);
            return true;
        }
        if pw <= self.max_w {
            self.flush();
            self.push_str(font, piece, pw);
            return true;
        }
        false
    }
}

/// Where a long token may break: after each of these.
const SEPARATORS: &[char] = &[':', '/', '-', '.', '_', '=', ',', ';', '&', '?'];

/// A token cut after each separator (a run of separators stays together: `iam::`).
fn pieces(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = word.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        let next_is_sep = chars.peek().is_some_and(|(_, c)| SEPARATORS.contains(c));
        if SEPARATORS.contains(&ch) && !next_is_sep {
            let end = i + ch.len_utf8();
            out.push(&word[start..end]);
            start = end;
        }
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// A piece with no separator cut before each capital that follows a lower-case letter, so that
/// a name such as `HoneytokenSecretAccessAlarm` wider than its column wraps as
/// `HoneytokenSecret` / `AccessAlarm`, not inside a word; a piece without such a boundary
/// (an access key id, hex) stays whole.
fn camel_parts(piece: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev_lower = false;
    for (i, ch) in piece.char_indices() {
        if ch.is_uppercase() && prev_lower && i > start {
            out.push(&piece[start..i]);
            start = i;
        }
        prev_lower = ch.is_lowercase();
    }
    out.push(&piece[start..]);
    out
}

/// Wraps runs of text (each in its own face) into lines no wider than `max_w`.
/// Whitespace collapses to single spaces; `\n` forces a break.
pub(crate) fn wrap_spans(spans: &[(FontKind, &str)], size: f32, max_w: f32) -> Vec<Line> {
    let mut b = Breaker {
        size,
        max_w,
        lines: Vec::new(),
        cur: Vec::new(),
        cur_w: 0.0,
    };
    let mut pending_space = false;
    for (font, text) in spans {
        for (i, hard) in text.split('\n').enumerate() {
            if i > 0 {
                b.flush();
                pending_space = false;
            }
            let mut space_before = pending_space || hard.starts_with(char::is_whitespace);
            for word in hard.split_whitespace() {
                b.word(*font, word, space_before);
                space_before = true;
            }
            if hard.ends_with(char::is_whitespace) {
                pending_space = true;
            } else if !hard.is_empty() {
                pending_space = false;
            }
        }
    }
    if !b.cur.is_empty() || b.lines.is_empty() {
        b.flush();
    }
    b.lines
}

/// Wraps plain text in one face.
pub(crate) fn wrap_text(text: &str, font: FontKind, size: f32, max_w: f32) -> Vec<String> {
    wrap_spans(&[(font, text)], size, max_w)
        .into_iter()
        .map(|l| l.into_iter().map(|p| p.text).collect())
        .collect()
}

/// Wraps preformatted text: keeps indentation and spaces, breaks only over-long lines,
/// preferring a break after a space or comma near the end of the line.
pub(crate) fn wrap_pre(text: &str, font: FontKind, size: f32, max_w: f32) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split('\n') {
        let line = raw.trim_end_matches('\r').replace('\t', "    ");
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        while start < chars.len() || (start == 0 && chars.is_empty()) {
            let mut w = 0.0;
            let mut end = start;
            while end < chars.len() {
                let cw = char_width(font, size, chars[end]);
                if w + cw > max_w && end > start {
                    break;
                }
                w += cw;
                end += 1;
            }
            if end < chars.len() {
                let min = start + (end - start) * 7 / 10;
                if let Some(pos) = (min..end).rev().find(|&i| matches!(chars[i], ' ' | ',')) {
                    end = pos + 1;
                }
            }
            out.push(chars[start..end].iter().collect());
            if chars.is_empty() {
                break;
            }
            start = end;
        }
    }
    out
}

/// Keeps at most `max_lines` lines; if any were dropped, ends the last kept line with `…`.
pub(crate) fn shorten(
    mut lines: Vec<String>,
    max_lines: usize,
    font: FontKind,
    size: f32,
    max_w: f32,
) -> Vec<String> {
    if lines.len() <= max_lines || max_lines == 0 {
        return lines;
    }
    lines.truncate(max_lines);
    if let Some(last) = lines.last_mut() {
        let ell = char_width(font, size, '…');
        while !last.is_empty() && text_width(font, size, last) + ell > max_w {
            last.pop();
        }
        last.push('…');
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:sts::123456789012:assumed-role/HoneytokenKillSwitchRole/honeytoken-kill-switch-lambda";

    fn no_space(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Identifiers wrap at their separators, never inside an account id or a key.
    #[test]
    fn long_tokens_break_after_their_separators() {
        let arn = "arn:aws:iam::123456789012:user/svc-reporting";
        let lines = wrap_text(arn, FontKind::Regular, 7.6, 70.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.concat(), arn);
        for l in &lines[..lines.len() - 1] {
            assert!(l.ends_with(SEPARATORS), "{l:?} of {lines:?}");
        }
        assert!(
            lines.iter().any(|l| l.contains("123456789012")),
            "{lines:?}"
        );
        assert_eq!(
            pieces("arn:aws:iam::1:user/a"),
            ["arn:", "aws:", "iam::", "1:", "user/", "a"]
        );
    }

    /// A CamelCase name wider than its column breaks between its words, not inside one.
    #[test]
    fn camel_case_names_break_between_words() {
        let name = "HoneytokenSecretAccessAlarm";
        let width = text_width(FontKind::Regular, 8.0, "HoneytokenSecretAcc");
        let lines = wrap_text(
            &format!("alarm history: {name} entered ALARM"),
            FontKind::Regular,
            8.0,
            width,
        );
        assert!(
            lines.iter().any(|l| l.ends_with("HoneytokenSecret")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with("AccessAlarm")),
            "{lines:?}"
        );
        assert_eq!(
            camel_parts("AKIAIOSFODNN7EXAMPLE"),
            ["AKIAIOSFODNN7EXAMPLE"]
        );
        assert_eq!(camel_parts("GetSecretValue"), ["Get", "Secret", "Value"]);
    }

    #[test]
    fn no_line_is_wider_than_the_column() {
        let text = format!(
            "The actor {ARN} called GetSecretValue {} from 203.0.113.7.",
            "QUJD".repeat(300)
        );
        for (font, width) in [
            (FontKind::Regular, 120.0),
            (FontKind::Mono, 61.0),
            (FontKind::Bold, 300.0),
        ] {
            let lines = wrap_text(&text, font, 9.0, width);
            assert!(lines.len() > 3);
            for l in &lines {
                assert!(
                    text_width(font, 9.0, l) <= width + 0.01,
                    "{l:?} wider than {width}"
                );
            }
            assert_eq!(
                no_space(&lines.concat()),
                no_space(&text),
                "text lost or reordered"
            );
        }
    }

    #[test]
    fn spans_keep_faces_and_spaces() {
        let lines = wrap_spans(
            &[
                (FontKind::Regular, "Contained in "),
                (FontKind::Bold, "42 s"),
                (FontKind::Regular, "."),
            ],
            10.0,
            500.0,
        );
        assert_eq!(lines.len(), 1);
        let text: String = lines[0].iter().map(|p| p.text.as_str()).collect();
        assert_eq!(text, "Contained in 42 s.");
        assert_eq!(
            lines[0][1],
            Piece {
                font: FontKind::Bold,
                text: " 42 s".into()
            }
        );
    }

    #[test]
    fn hard_breaks_and_empty_text() {
        assert_eq!(
            wrap_text("a\nb", FontKind::Regular, 10.0, 100.0),
            vec!["a", "b"]
        );
        assert_eq!(wrap_text("", FontKind::Regular, 10.0, 100.0), vec![""]);
        assert!(wrap_text("x", FontKind::Regular, 10.0, 0.1).len() == 1);
    }

    #[test]
    fn preformatted_keeps_indent_and_fits() {
        let policy = format!("{{\n    \"Resource\": \"{}\"\n}}", "x".repeat(400));
        let lines = wrap_pre(&policy, FontKind::Mono, 8.0, 200.0);
        assert_eq!(lines[1].chars().take(4).collect::<String>(), "    ");
        assert!(lines
            .iter()
            .all(|l| text_width(FontKind::Mono, 8.0, l) <= 200.01));
        assert_eq!(no_space(&lines.concat()), no_space(&policy));
    }

    #[test]
    fn shorten_marks_the_cut() {
        let lines: Vec<String> = (0..10).map(|i| format!("line {i}")).collect();
        let short = shorten(lines, 3, FontKind::Regular, 10.0, 100.0);
        assert_eq!(short.len(), 3);
        assert!(short[2].ends_with('…'));
    }
}
