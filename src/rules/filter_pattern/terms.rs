//! The plain term syntax: `ERROR`, `"exact phrase"`, `-excluded`, `?either ?or`; case-sensitive substring
//! matching on the raw message.

use super::error::FilterPatternError;

/// A parsed term pattern; an empty one (or `" "`) matches every message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct TermPattern {
    required: Vec<String>,
    any_of: Vec<String>,
    excluded: Vec<String>,
}

impl TermPattern {
    pub(crate) fn parse(text: &str) -> Result<TermPattern, FilterPatternError> {
        let mut out = TermPattern::default();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let kind = bytes[i];
            if kind == b'-' || kind == b'?' {
                i += 1;
            }
            let term = if bytes.get(i) == Some(&b'"') {
                let start = i;
                let close = text[i + 1..]
                    .find('"')
                    .ok_or(FilterPatternError::UnterminatedString(start))?;
                let phrase = &text[i + 1..i + 1 + close];
                i += close + 2;
                phrase.to_string()
            } else {
                let end = text[i..]
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or(text.len(), |e| i + e);
                let word = &text[i..end];
                i = end;
                word.to_string()
            };
            // A whitespace-only phrase (the documented `" "`) constrains nothing.
            if term.trim().is_empty() {
                continue;
            }
            match kind {
                b'-' => out.excluded.push(term),
                b'?' => out.any_of.push(term),
                _ => out.required.push(term),
            }
        }
        Ok(out)
    }

    pub(crate) fn matches(&self, message: &str) -> bool {
        self.required.iter().all(|t| message.contains(t.as_str()))
            && (self.any_of.is_empty() || self.any_of.iter().any(|t| message.contains(t.as_str())))
            && !self.excluded.iter().any(|t| message.contains(t.as_str()))
    }
}
