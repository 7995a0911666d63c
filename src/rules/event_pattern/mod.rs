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

pub use envelope::wrap_cloudtrail_record;
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

    /// Whether `event` (a full EventBridge event, see [`wrap_cloudtrail_record`]) matches.
    pub fn matches(&self, event: &Value) -> bool {
        self.branches
            .iter()
            .any(|rule| search::sub_rule_matches(rule, event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
    fn or_needs_two_branches() {
        let e = EventPattern::parse(r#"{"$or": [{"a": [1]}]}"#).unwrap_err();
        assert_eq!(e.reason, PatternErrorReason::OrTooFew);
    }
}
