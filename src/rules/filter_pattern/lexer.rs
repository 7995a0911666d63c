//! Tokens of a JSON filter pattern (the text between `{` and `}`).

use super::error::FilterPatternError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One step of a property selector: `.name` or `[index]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    LParen,
    RParen,
    And,
    Or,
    Op(CmpOp),
    Selector(Vec<Step>),
    Quoted(String),
    /// An unquoted word: a value, or a keyword such as `IS`, `NULL`, `NOT`, `EXISTS`, `TRUE`, `FALSE`.
    Bare(String),
}

fn is_delimiter(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'(' | b')' | b'&' | b'|' | b'=' | b'!' | b'<' | b'>' | b'"'
        )
}

/// Splits `text` into tokens, each with its byte offset (relative to `base`).
pub(crate) fn tokenize(text: &str, base: usize) -> Result<Vec<(usize, Token)>, FilterPatternError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let pos = base + i;
        let two = b.get(i + 1).copied();
        let (token, len) = match (c, two) {
            _ if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            (b'(', _) => (Token::LParen, 1),
            (b')', _) => (Token::RParen, 1),
            (b'&', Some(b'&')) => (Token::And, 2),
            (b'|', Some(b'|')) => (Token::Or, 2),
            (b'!', Some(b'=')) => (Token::Op(CmpOp::Ne), 2),
            (b'<', Some(b'=')) => (Token::Op(CmpOp::Le), 2),
            (b'>', Some(b'=')) => (Token::Op(CmpOp::Ge), 2),
            (b'=', _) => (Token::Op(CmpOp::Eq), 1),
            (b'<', _) => (Token::Op(CmpOp::Lt), 1),
            (b'>', _) => (Token::Op(CmpOp::Gt), 1),
            (b'"', _) => {
                let (s, len) =
                    quoted(&text[i..]).ok_or(FilterPatternError::UnterminatedString(pos))?;
                (Token::Quoted(s), len)
            }
            (b'$', _) => {
                let (steps, len) =
                    selector(&text[i..]).ok_or(FilterPatternError::BadSelector(pos))?;
                (Token::Selector(steps), len)
            }
            (b'&' | b'|' | b'!', _) => {
                return Err(FilterPatternError::Unexpected {
                    pos,
                    found: (c as char).to_string(),
                    expected: "&&, || or !=",
                })
            }
            _ => {
                let len = b[i..]
                    .iter()
                    .position(|&c| is_delimiter(c))
                    .unwrap_or(b.len() - i);
                (Token::Bare(text[i..i + len].to_string()), len)
            }
        };
        out.push((pos, token));
        i += len;
    }
    Ok(out)
}

/// A `"..."` string with `\"` and `\\` escapes; returns the value and the bytes consumed.
fn quoted(text: &str) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, i + 1)),
            '\\' => {
                let (_, next) = chars.next()?;
                value.push(next);
            }
            other => value.push(other),
        }
    }
    None
}

/// `$.a.b[0].c`; returns the steps and the bytes consumed.
fn selector(text: &str) -> Option<(Vec<Step>, usize)> {
    let b = text.as_bytes();
    let mut steps = Vec::new();
    let mut i = 1;
    loop {
        match b.get(i) {
            Some(b'.') => {
                let start = i + 1;
                let len = b[start..]
                    .iter()
                    .position(|&c| is_delimiter(c) || c == b'.' || c == b'[' || c == b']')
                    .unwrap_or(b.len() - start);
                if len == 0 {
                    return None;
                }
                steps.push(Step::Key(text[start..start + len].to_string()));
                i = start + len;
            }
            Some(b'[') => {
                let start = i + 1;
                let len = b[start..]
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .unwrap_or(b.len() - start);
                if b.get(start + len) != Some(&b']') {
                    return None;
                }
                steps.push(Step::Index(text[start..start + len].parse().ok()?));
                i = start + len + 1;
            }
            _ => break,
        }
    }
    if steps.is_empty() {
        return None;
    }
    Some((steps, i))
}
