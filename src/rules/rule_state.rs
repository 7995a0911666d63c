//! What an EventBridge rule's `State` lets it receive of the CloudTrail events its pattern
//! matches: a rule in state `ENABLED` is not delivered read-only management events sent through
//! CloudTrail, only one in state `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` is (EventBridge
//! User Guide, "Receiving read-only management events from AWS services",
//! <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html>;
//! the PutRule API's `State`). Pure: posture and the replay both ask it.

use serde_json::Value;

/// The guide the judgement rests on, as reasons cite it.
pub const GUIDE: &str =
    "EventBridge User Guide, \"Receiving read-only management events from AWS services\"";

/// The state that receives read-only management events too.
pub const ALL_MANAGEMENT: &str = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

/// Whether a rule in a given state is delivered an event its pattern matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The state delivers the event (`ENABLED_WITH_ALL_...`, or `ENABLED` for an event that is
    /// not a read-only management event).
    Delivered,
    /// `ENABLED` and a read-only management event: the guide says it is not delivered.
    ReadOnlyNotDelivered,
    /// `DISABLED`: nothing is matched.
    Disabled,
    /// The state is not in the evidence, or is a value this build does not know.
    Unknown,
}

/// Whether `record` (a CloudTrail record) is a read-only management event in the guide's sense.
/// CloudTrail's own `readOnly` decides where the record has it; without it, the guide's naming
/// rule (Describe, Get, List). Either way, the two calls the guide names as change events
/// although they start with Get (sts GetFederationToken, GetSessionToken) are not. A data event
/// (S3 GetObject, `managementEvent: false` or `eventCategory: Data`) is not a management event.
pub fn is_read_only_management(record: &Value) -> bool {
    let management = match record.get("managementEvent").and_then(Value::as_bool) {
        Some(m) => m,
        None => record.get("eventCategory").and_then(Value::as_str) != Some("Data"),
    };
    if !management || record.get("eventType").and_then(Value::as_str) == Some("AwsServiceEvent") {
        return false;
    }
    let name = record
        .get("eventName")
        .and_then(Value::as_str)
        .unwrap_or("");
    let source = record
        .get("eventSource")
        .and_then(Value::as_str)
        .unwrap_or("");
    if source == "sts.amazonaws.com" && matches!(name, "GetFederationToken" | "GetSessionToken") {
        return false;
    }
    match record.get("readOnly") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => ["Describe", "Get", "List"]
            .iter()
            .any(|p| name.starts_with(p)),
    }
}

/// Whether a rule whose collected state is `state` is delivered an event that is (or is not) a
/// read-only management event.
pub fn delivery(state: Option<&str>, read_only_management: bool) -> Delivery {
    match state {
        Some(ALL_MANAGEMENT) => Delivery::Delivered,
        Some("ENABLED") if read_only_management => Delivery::ReadOnlyNotDelivered,
        Some("ENABLED") => Delivery::Delivered,
        Some("DISABLED") => Delivery::Disabled,
        _ => Delivery::Unknown,
    }
}

/// The reason a rule in state `ENABLED` is not delivered `what` (an event name), with the fix.
pub fn not_delivered_reason(rule: &str, what: &str) -> String {
    format!(
        "rule {rule} is in state ENABLED, which does not receive read-only management events \
         delivered through CloudTrail such as {what} ({GUIDE}); fix: aws events put-rule --name \
         {rule} --state {ALL_MANAGEMENT} (with its event pattern)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_enabled_rule_misses_reads_but_not_changes_or_data_events() {
        let read = json!({"eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue", "readOnly": true, "managementEvent": true});
        let batch = json!({"eventSource": "secretsmanager.amazonaws.com", "eventName": "BatchGetSecretValue", "readOnly": true});
        let change = json!({"eventSource": "secretsmanager.amazonaws.com", "eventName": "PutSecretValue", "readOnly": false});
        let object = json!({"eventSource": "s3.amazonaws.com", "eventName": "GetObject", "readOnly": true, "managementEvent": false, "eventCategory": "Data"});
        let token = json!({"eventSource": "sts.amazonaws.com", "eventName": "GetSessionToken", "readOnly": true});
        let bare = json!({"eventSource": "kms.amazonaws.com", "eventName": "DescribeKey"});
        assert!(is_read_only_management(&read));
        assert!(is_read_only_management(&batch));
        assert!(is_read_only_management(&bare));
        assert!(!is_read_only_management(&change));
        assert!(!is_read_only_management(&object));
        assert!(!is_read_only_management(&token));
        assert_eq!(
            delivery(Some("ENABLED"), true),
            Delivery::ReadOnlyNotDelivered
        );
        assert_eq!(delivery(Some("ENABLED"), false), Delivery::Delivered);
        assert_eq!(delivery(Some(ALL_MANAGEMENT), true), Delivery::Delivered);
        assert_eq!(delivery(Some("DISABLED"), false), Delivery::Disabled);
        assert_eq!(delivery(None, true), Delivery::Unknown);
    }
}
