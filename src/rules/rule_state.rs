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

/// What a CloudTrail record is, for a rule's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnly {
    /// Not a read-only management event (a change, a data event such as S3 GetObject, a
    /// service event): a rule in state ENABLED is delivered it.
    No,
    /// A read-only management event named Describe*, Get* or List*: the guide says a rule in
    /// state ENABLED is not delivered it.
    Named,
    /// A read-only management event (CloudTrail's `readOnly`) by another name (BatchGetSecretValue):
    /// the guide says such an event may be delivered to a rule in state ENABLED and lists the
    /// ones that are not on another page, which the evidence does not hold: unknown.
    OtherName,
}

/// What `record` (a CloudTrail record) is in the guide's sense. CloudTrail's own `readOnly`
/// decides where the record has it; without it, the guide's naming rule (Describe, Get, List).
/// Either way, the two calls the guide names as change events although they start with Get
/// (sts GetFederationToken, GetSessionToken) are not read-only. A data event
/// (`managementEvent: false` or `eventCategory: Data`; without either field, an S3 object-level
/// call) is not a management event.
pub fn read_only(record: &Value) -> ReadOnly {
    let text = |k: &str| record.get(k).and_then(Value::as_str).unwrap_or("");
    let (name, source) = (text("eventName"), text("eventSource"));
    let management = match record.get("managementEvent").and_then(Value::as_bool) {
        Some(m) => m,
        None if record.get("eventCategory").is_some() => text("eventCategory") != "Data",
        None => !(source == "s3.amazonaws.com" && name.contains("Object")),
    };
    if !management || text("eventType") == "AwsServiceEvent" {
        return ReadOnly::No;
    }
    if source == "sts.amazonaws.com" && matches!(name, "GetFederationToken" | "GetSessionToken") {
        return ReadOnly::No;
    }
    let named = ["Describe", "Get", "List"]
        .iter()
        .any(|p| name.starts_with(p));
    let read_only = match record.get("readOnly") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => named,
    };
    match (read_only, named) {
        (false, _) => ReadOnly::No,
        (true, true) => ReadOnly::Named,
        (true, false) => ReadOnly::OtherName,
    }
}

/// Whether a rule whose collected state is `state` is delivered an event of kind `kind`.
pub fn delivery(state: Option<&str>, kind: ReadOnly) -> Delivery {
    match (state, kind) {
        (Some(ALL_MANAGEMENT), _) | (Some("ENABLED"), ReadOnly::No) => Delivery::Delivered,
        (Some("ENABLED"), ReadOnly::Named) => Delivery::ReadOnlyNotDelivered,
        (Some("DISABLED"), _) => Delivery::Disabled,
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

/// The reason a rule in state `DISABLED` never fires, with the fix.
pub fn disabled_reason(rule: &str) -> String {
    format!(
        "rule {rule} is in state DISABLED, in which EventBridge matches no event against it \
         ({GUIDE}); fix: aws events put-rule --name {rule} --state {ALL_MANAGEMENT} (with its \
         event pattern)"
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
        let old_object =
            json!({"eventSource": "s3.amazonaws.com", "eventName": "GetObject", "readOnly": true});
        let token = json!({"eventSource": "sts.amazonaws.com", "eventName": "GetSessionToken", "readOnly": true});
        let bare = json!({"eventSource": "kms.amazonaws.com", "eventName": "DescribeKey"});
        assert_eq!(read_only(&read), ReadOnly::Named);
        assert_eq!(read_only(&bare), ReadOnly::Named);
        assert_eq!(read_only(&batch), ReadOnly::OtherName);
        for other in [&change, &object, &old_object, &token] {
            assert_eq!(read_only(other), ReadOnly::No, "{other}");
        }
        let enabled = Some("ENABLED");
        assert_eq!(
            delivery(enabled, ReadOnly::Named),
            Delivery::ReadOnlyNotDelivered
        );
        assert_eq!(delivery(enabled, ReadOnly::OtherName), Delivery::Unknown);
        assert_eq!(delivery(enabled, ReadOnly::No), Delivery::Delivered);
        assert_eq!(
            delivery(Some(ALL_MANAGEMENT), ReadOnly::Named),
            Delivery::Delivered
        );
        assert_eq!(delivery(Some("DISABLED"), ReadOnly::No), Delivery::Disabled);
        assert_eq!(delivery(None, ReadOnly::Named), Delivery::Unknown);
        assert_eq!(delivery(None, ReadOnly::No), Delivery::Unknown);
    }
}
