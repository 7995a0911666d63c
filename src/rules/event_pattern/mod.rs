//! EventBridge event-pattern matching with AWS's semantics (as implemented by aws/event-ruler), compiled once
//! and matched against many events.
//!
//! Pure: depends only on `serde_json`; no I/O.

mod cidr;
mod compile;
mod envelope;
mod error;
mod matcher;
mod search;
mod wildcard;

use serde_json::Value;

pub use envelope::{
    delivered_detail_type, source_unknown, wrap_cloudtrail_record, wrap_owned_record, API_CALL,
    SIGN_IN, SIGN_IN_ALSO,
};
pub use error::{PatternError, PatternErrorReason};

/// A compiled event pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPattern {
    /// The `$or` branches; the pattern matches when any branch does.
    branches: Vec<compile::SubRule>,
}

impl EventPattern {
    /// Parses and validates a pattern as EventBridge's `PutRule`/`TestEventPattern` would.
    pub fn parse(text: &str) -> Result<EventPattern, PatternError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| PatternErrorReason::InvalidJson(e.to_string()))?;
        EventPattern::from_value(&value)
    }

    /// Compiles an already parsed pattern (duplicate keys have then already collapsed to the last one).
    pub fn from_value(value: &Value) -> Result<EventPattern, PatternError> {
        Ok(EventPattern {
            branches: compile::compile(value)?,
        })
    }

    /// The exact string values the field at dotted `path` must have in every matching event, when every
    /// `$or` branch requires one of a list of exact strings there; `None` when some branch does not.
    ///
    /// Callers use it as a cheap necessary condition (e.g. on `detail.eventName`) before building the event.
    pub fn required_strings(&self, path: &str) -> Option<Vec<&str>> {
        let mut out = Vec::new();
        for branch in &self.branches {
            let field = branch.iter().find(|f| &*f.path == path && !f.absent_ok)?;
            for m in &field.matchers {
                match m {
                    matcher::Matcher::ExactString(s) => out.push(&**s),
                    _ => return None,
                }
            }
        }
        Some(out)
    }

    /// Sets of texts a CloudTrail record this pattern matches (as `detail` of its envelope)
    /// holds verbatim when its JSON has no backslash (no escape, so every string is written as it
    /// reads): one text of each set. From the fields under `detail` whose every matcher takes a
    /// string holding a given text (exact, prefix, suffix); the envelope's own fields are not in
    /// the record's text. With several `$or` branches, one set: a text of each branch's first.
    /// Empty when nothing is known.
    pub fn record_needles(&self) -> Vec<Vec<&str>> {
        let per_branch: Vec<Vec<Vec<&str>>> = self
            .branches
            .iter()
            .map(|branch| branch.iter().filter_map(field_needles).collect())
            .collect();
        if per_branch.len() == 1 {
            return per_branch.into_iter().next().unwrap_or_default();
        }
        let mut any = Vec::new();
        for sets in per_branch {
            match sets.into_iter().next() {
                Some(first) => any.extend(first),
                None => return Vec::new(),
            }
        }
        if any.is_empty() {
            return Vec::new();
        }
        vec![any]
    }

    /// Whether some `$or` branch tests the field at dotted `path` for this exact string.
    pub fn names_string(&self, path: &str, value: &str) -> bool {
        self.branches.iter().any(|branch| {
            branch.iter().any(|f| {
                &*f.path == path
                    && f.matchers
                        .iter()
                        .any(|m| matches!(m, matcher::Matcher::ExactString(s) if &**s == value))
            })
        })
    }

    /// Whether some `$or` branch tests the field at dotted `path` (with any matcher, `exists`
    /// included).
    pub fn tests_field(&self, path: &str) -> bool {
        self.branches
            .iter()
            .any(|branch| branch.iter().any(|f| &*f.path == path))
    }

    /// Whether `event` (a full EventBridge event, see [`wrap_cloudtrail_record`]) matches.
    pub fn matches(&self, event: &Value) -> bool {
        self.branches
            .iter()
            .any(|rule| search::sub_rule_matches(rule, event))
    }
}

/// The texts one of which a field under `detail` holds when every one of its matchers takes
/// only strings holding a given (non-empty) text; `None` otherwise.
fn field_needles(field: &compile::Field) -> Option<Vec<&str>> {
    if field.absent_ok || !field.path.starts_with("detail.") {
        return None;
    }
    field
        .matchers
        .iter()
        .map(|m| match m {
            matcher::Matcher::ExactString(s)
            | matcher::Matcher::Prefix(s)
            | matcher::Matcher::Suffix(s)
                if !s.is_empty() =>
            {
                Some(&**s)
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn record_needles_from_detail_fields_only() {
        let p = EventPattern::parse(
            r#"{"source": ["aws.secretsmanager"], "detail": {"eventName": ["GetSecretValue"], "requestParameters": {"secretId": [{"prefix": "Prod"}, {"prefix": "arn:x:Prod"}]}}}"#,
        )
        .unwrap();
        let mut sets = p.record_needles();
        sets.sort();
        assert_eq!(
            sets,
            vec![vec!["GetSecretValue"], vec!["Prod", "arn:x:Prod"]]
        );
        // A matcher that takes other texts (anything-but, numbers, exists) pins nothing.
        let p = EventPattern::parse(
            r#"{"detail": {"a": ["x", {"anything-but": "y"}], "b": [{"exists": true}], "c": [5]}}"#,
        )
        .unwrap();
        assert!(p.record_needles().is_empty());
        let p = EventPattern::parse(
            r#"{"$or": [{"detail": {"a": ["x"]}}, {"detail": {"b": [{"suffix": "y"}]}}]}"#,
        )
        .unwrap();
        assert_eq!(p.record_needles(), vec![vec!["x", "y"]]);
        let p =
            EventPattern::parse(r#"{"$or": [{"detail": {"a": ["x"]}}, {"source": ["aws.s3"]}]}"#)
                .unwrap();
        assert!(p.record_needles().is_empty());
    }

    fn m(pattern: &str, event: Value) -> bool {
        EventPattern::parse(pattern).unwrap().matches(&event)
    }

    #[test]
    fn array_consistency() {
        let p = r#"{"d": {"a": ["1"], "b": ["2"]}}"#;
        assert!(m(p, json!({"d": [{"a": "1", "b": "2"}]})));
        assert!(!m(p, json!({"d": [{"a": "1"}, {"b": "2"}]})));
        assert!(m(
            p,
            json!({"d": [{"a": "1"}, {"b": "2"}, {"a": "1", "b": "2"}]})
        ));
    }

    #[test]
    fn dotted_keys_both_ways() {
        assert!(m(r#"{"a.b": [1]}"#, json!({"a": {"b": 1}})));
        assert!(m(r#"{"a": {"b": [1]}}"#, json!({"a.b": 1})));
    }

    #[test]
    fn or_branches_and_exists_false() {
        let p = r#"{"$or": [{"a": [1]}, {"b": [{"exists": false}]}]}"#;
        assert!(m(p, json!({"a": 1, "b": 2})));
        assert!(m(p, json!({"a": 2})));
        assert!(!m(p, json!({"a": 2, "b": 3})));
    }

    #[test]
    fn required_strings_only_when_every_branch_pins_the_field() {
        let p = EventPattern::parse(r#"{"detail": {"eventName": ["A", "B"]}}"#).unwrap();
        assert_eq!(p.required_strings("detail.eventName"), Some(vec!["A", "B"]));
        let p = EventPattern::parse(r#"{"detail": {"eventName": [{"prefix": "A"}]}}"#).unwrap();
        assert_eq!(p.required_strings("detail.eventName"), None);
        let p = EventPattern::parse(
            r#"{"$or": [{"detail": {"eventName": ["A"]}}, {"source": ["aws.s3"]}]}"#,
        )
        .unwrap();
        assert_eq!(p.required_strings("detail.eventName"), None);
    }

    #[test]
    fn or_needs_two_branches() {
        let e = EventPattern::parse(r#"{"$or": [{"a": [1]}]}"#).unwrap_err();
        assert_eq!(e.reason, PatternErrorReason::OrTooFew);
    }
}
