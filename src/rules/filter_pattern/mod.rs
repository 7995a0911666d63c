//! CloudWatch Logs filter patterns (metric filters, subscription filters): JSON patterns, the plain term syntax
//! and space-delimited patterns, parsed once and matched against raw messages or parsed JSON records.
//!
//! Pure: depends only on `serde_json`; no I/O.

mod error;
mod glob;
mod json_expr;
mod lexer;
mod space_delimited;
mod terms;

use serde_json::Value;

pub use error::FilterPatternError;

/// A compiled filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPattern {
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Terms(terms::TermPattern),
    Json(json_expr::Expr),
    Space(space_delimited::SpacePattern),
}

impl FilterPattern {
    /// Parses a pattern: `{ ... }` is a JSON pattern, `[ ... ]` a space-delimited one, anything else terms.
    pub fn parse(text: &str) -> Result<FilterPattern, FilterPatternError> {
        let trimmed = text.trim();
        let offset = text.len() - text.trim_start().len();
        let kind = if let Some(body) = trimmed.strip_prefix('{') {
            let body = body
                .strip_suffix('}')
                .ok_or(FilterPatternError::UnexpectedEnd("a closing }"))?;
            Kind::Json(json_expr::parse(body, offset + 1)?)
        } else if let Some(body) = trimmed.strip_prefix('[') {
            let body = body
                .strip_suffix(']')
                .ok_or(FilterPatternError::UnexpectedEnd("a closing ]"))?;
            Kind::Space(space_delimited::SpacePattern::parse(body)?)
        } else {
            Kind::Terms(terms::TermPattern::parse(text)?)
        };
        Ok(FilterPattern { kind })
    }

    /// Whether this is a JSON pattern (which only ever matches JSON messages).
    pub fn is_json(&self) -> bool {
        matches!(self.kind, Kind::Json(_))
    }

    /// The exact string values the top-level property `key` must have in every JSON message this pattern
    /// matches (from `$.key = "value"` without wildcards, through `&&` and `||`); `None` when not pinned.
    ///
    /// Callers use it as a cheap necessary condition (e.g. on `eventName`) before parsing a record.
    pub fn required_strings(&self, key: &str) -> Option<Vec<&str>> {
        match &self.kind {
            Kind::Json(e) => e.required_strings(key),
            _ => None,
        }
    }

    /// Sets of texts a JSON message this pattern matches holds verbatim when the message has no
    /// backslash (no escape, so every string is written as it reads): one text of each set.
    /// From the `=` tests of text values (the literal runs between `*`), through `&&` and `||`;
    /// empty when nothing is known (and for patterns that are not JSON, which see the record
    /// written again). A necessary condition, cheap to test on a record's text before parsing it.
    pub fn needles(&self) -> Vec<Vec<&str>> {
        match &self.kind {
            Kind::Json(e) => e.needles(),
            _ => Vec::new(),
        }
    }

    /// Matches a raw log message; for a JSON pattern the message is parsed first, and non-JSON never matches.
    pub fn matches_message(&self, message: &str) -> bool {
        match &self.kind {
            Kind::Terms(t) => t.matches(message),
            Kind::Space(s) => s.matches(message),
            Kind::Json(e) => serde_json::from_str::<Value>(message).is_ok_and(|v| e.eval(&v)),
        }
    }

    /// Matches an already parsed record; term and space-delimited patterns see its compact JSON text.
    pub fn matches_json(&self, record: &Value) -> bool {
        match &self.kind {
            Kind::Json(e) => e.eval(record),
            _ => self.matches_message(&record.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_are_chosen_by_the_first_character() {
        assert!(FilterPattern::parse(r#" { $.a = "b" } "#)
            .unwrap()
            .is_json());
        assert!(!FilterPattern::parse("ERROR").unwrap().is_json());
        assert!(FilterPattern::parse("{ $.a = 1").is_err());
    }

    #[test]
    fn json_pattern_needs_json_message() {
        let p = FilterPattern::parse("{ $.a = 1 }").unwrap();
        assert!(!p.matches_message("a = 1"));
        assert!(p.matches_message(r#"{"a": 1}"#));
        assert!(p.matches_json(&json!({"a": 1.0})));
    }

    #[test]
    fn required_strings_through_and_and_or() {
        let p =
            FilterPattern::parse(r#"{ ($.eventSource = "s") && ($.eventName = "A") }"#).unwrap();
        assert_eq!(p.required_strings("eventName"), Some(vec!["A"]));
        let p = FilterPattern::parse(r#"{ $.eventName = "A" || $.eventName = B }"#).unwrap();
        assert_eq!(p.required_strings("eventName"), Some(vec!["A", "B"]));
        let p = FilterPattern::parse(r#"{ $.eventName = "A" || $.x = 1 }"#).unwrap();
        assert_eq!(p.required_strings("eventName"), None);
        let p = FilterPattern::parse(r#"{ $.eventName = "Get*" }"#).unwrap();
        assert_eq!(p.required_strings("eventName"), None);
        assert_eq!(
            FilterPattern::parse("GetSecretValue")
                .unwrap()
                .required_strings("eventName"),
            None
        );
    }

    #[test]
    fn needles_of_ands_ors_and_globs() {
        let p = FilterPattern::parse(
            r#"{ ($.eventSource = "s") && ($.requestParameters.secretId = "*Prod*Creds*") }"#,
        )
        .unwrap();
        assert_eq!(p.needles(), vec![vec!["s"], vec!["Prod"], vec!["Creds"]]);
        let p = FilterPattern::parse(r#"{ $.a = "x*" || ($.b = "y" && $.c = "z") }"#).unwrap();
        assert_eq!(p.needles(), vec![vec!["x", "y"]]);
        // A side with no text pinned: no set; runs a number's text may hold: none.
        let p = FilterPattern::parse(r#"{ $.a = "x" || $.b NOT EXISTS }"#).unwrap();
        assert!(p.needles().is_empty());
        let p = FilterPattern::parse(r#"{ $.a = "5.0*" && $.b = 5 && $.c != "x" }"#).unwrap();
        assert!(p.needles().is_empty());
        assert!(FilterPattern::parse("ERROR").unwrap().needles().is_empty());
    }

    #[test]
    fn empty_pattern_matches_everything() {
        assert!(FilterPattern::parse("")
            .unwrap()
            .matches_message("anything"));
    }
}
