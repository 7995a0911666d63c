//! One detection rule to replay over CloudTrail records, whichever flow it belongs to: an EventBridge event
//! pattern (matched on the envelope EventBridge wraps the record in) or a CloudWatch Logs filter pattern
//! (matched on the record as the trail writes it to the log group).
//!
//! Pure: no I/O.

use super::event_pattern::{
    source_unknown, wrap_cloudtrail_record, wrap_owned_record, EventPattern, SIGN_IN, SIGN_IN_ALSO,
};
use super::filter_pattern::FilterPattern;
use serde_json::Value;

/// A compiled rule of either flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Detector {
    /// Flow 2: an EventBridge rule's `EventPattern`.
    Event(EventPattern),
    /// Flow 1: a metric filter's `filterPattern`.
    Filter(FilterPattern),
}

impl Detector {
    /// The `eventName` values a matching record must have, when the rule pins them exactly: a necessary
    /// condition cheap enough to test on every record before the record is parsed.
    pub fn event_names(&self) -> Option<Vec<&str>> {
        match self {
            Detector::Event(p) => p.required_strings("detail.eventName"),
            Detector::Filter(p) => p.required_strings("eventName"),
        }
    }

    /// Sets of texts a CloudTrail record the rule matches holds verbatim when its JSON has no
    /// backslash: one text of each set (see [`EventPattern::record_needles`],
    /// [`FilterPattern::needles`]). A necessary condition, tested on the record's text before it
    /// is parsed.
    pub fn record_needles(&self) -> Vec<Vec<&str>> {
        match self {
            Detector::Event(p) => p.record_needles(),
            Detector::Filter(p) => p.needles(),
        }
    }

    /// Whether the rule matches this CloudTrail record.
    pub fn matches_record(&self, record: &Value) -> bool {
        match self {
            Detector::Event(p) => matches_event(p, &wrap_cloudtrail_record(record)),
            Detector::Filter(p) => p.matches_json(record),
        }
    }

    /// Whether the rule matches this console sign-in only by the detail-type spelled "AWS
    /// Console Sign In via CloudTrail" (AWS's Knowledge Center), not as the EventBridge User
    /// Guide spells it: the replay says so.
    pub fn matched_by_other_spelling(&self, record: &Wrapped) -> bool {
        match self {
            Detector::Event(p) => {
                record.0.get("detail-type").and_then(Value::as_str) == Some(SIGN_IN)
                    && !plain_match(p, &record.0)
                    && matches_event(p, &record.0)
            }
            Detector::Filter(_) => false,
        }
    }

    /// Whether the rule tests the envelope's `source` while this record's is unknown (an
    /// Insights event): then the rule is not matched against it, and the replay says so.
    pub fn source_unknown_for(&self, record: &Wrapped) -> bool {
        match self {
            Detector::Event(p) => source_unknown(&record.0) && p.tests_field("source"),
            Detector::Filter(_) => false,
        }
    }

    /// Whether the rule would match this record were EventBridge to deliver it with this
    /// `detail-type` (a filter pattern sees the record alone, so the same as
    /// [`Detector::matches_record`]): tells a pattern that misses a record's content from one
    /// that misses only the kind of event EventBridge delivers it as.
    pub fn matches_as(&self, record: &Value, detail_type: &str) -> bool {
        match self {
            Detector::Event(p) => {
                let mut event = wrap_cloudtrail_record(record);
                event["detail-type"] = detail_type.into();
                matches_event(p, &event)
            }
            Detector::Filter(p) => p.matches_json(record),
        }
    }

    /// [`Detector::matches_record`] on a record already wrapped (for any number of rules).
    pub fn matches_wrapped(&self, record: &Wrapped) -> bool {
        match self {
            Detector::Event(p) => matches_event(p, &record.0),
            Detector::Filter(p) => p.matches_json(record.record()),
        }
    }
}

/// An event pattern on an envelope: never a match on `source` the envelope does not know; a
/// console sign-in matched by either spelling AWS has written of its detail-type.
fn matches_event(p: &EventPattern, envelope: &Value) -> bool {
    if plain_match(p, envelope) {
        return true;
    }
    let sign_in = envelope.get("detail-type").and_then(Value::as_str) == Some(SIGN_IN);
    if !(sign_in && p.names_string("detail-type", SIGN_IN_ALSO)) {
        return false;
    }
    let mut other = envelope.clone();
    other["detail-type"] = SIGN_IN_ALSO.into();
    plain_match(p, &other)
}

fn plain_match(p: &EventPattern, envelope: &Value) -> bool {
    !(source_unknown(envelope) && p.tests_field("source")) && p.matches(envelope)
}

/// A CloudTrail record in the envelope EventBridge gives it, made once for every rule that
/// looks at the record: flow 2 matches the envelope, flow 1 its `detail` (the record itself).
pub struct Wrapped(Value);

impl Wrapped {
    pub fn new(record: Value) -> Wrapped {
        Wrapped(wrap_owned_record(record))
    }

    /// The record, as the trail wrote it.
    pub fn record(&self) -> &Value {
        &self.0["detail"]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_flow_sees_the_record_its_own_way() {
        let record =
            json!({"eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue"});
        let rule = Detector::Event(
            EventPattern::parse(r#"{"source": ["aws.secretsmanager"], "detail": {"eventName": ["GetSecretValue"]}}"#)
                .unwrap(),
        );
        assert!(rule.matches_record(&record));
        assert_eq!(rule.event_names(), Some(vec!["GetSecretValue"]));
        let filter = Detector::Filter(
            FilterPattern::parse(r#"{ $.eventName = "GetSecretValue" }"#).unwrap(),
        );
        assert!(filter.matches_record(&record));
        let terms = Detector::Filter(FilterPattern::parse("GetSecretValue").unwrap());
        assert!(terms.matches_record(&record));
        assert_eq!(terms.event_names(), None);
    }
}
