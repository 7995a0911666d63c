//! Notifications that arrive as evidence: CloudWatch alarm state changes (EventBridge event,
//! Lambda alarm action, SNS message) become alarm history items; SNS / SQS notices of new
//! CloudTrail log objects are recognised (they carry no records).

use super::json_text::value_of;
use super::time::value_time;
use crate::model::{AlarmHistoryItem, ConfigEvidence, Origin};
use serde_json::{Map, Value};

/// Recognise a notification object.
pub fn lift(obj: &Map<String, Value>, input: u32) -> Option<(&'static str, ConfigEvidence)> {
    let origin = Origin { input, index: 0 };
    // Lambda's SNS event record wraps the notification in `Sns`.
    let sns = obj.get("Sns").and_then(Value::as_object).unwrap_or(obj);
    if let Some(Value::String(message)) = sns.get("Message") {
        let inner: Value = value_of(message).unwrap_or(Value::Null);
        if inner.get("s3ObjectKey").is_some() {
            return Some((
                "cloudtrail-delivery-notification",
                ConfigEvidence::default(),
            ));
        }
        if let Some(item) = alarm_sns_message(&inner, sns, origin) {
            let config = ConfigEvidence {
                alarm_history: vec![item],
                ..Default::default()
            };
            return Some(("alarm-notification", config));
        }
        return None;
    }
    if obj.get("source").and_then(Value::as_str) == Some("aws.cloudwatch")
        && obj.contains_key("alarmData")
    {
        let item = state_change(
            &obj["alarmData"],
            obj.get("time").and_then(value_time),
            "Alarm state change delivered to a Lambda action",
            origin,
        )?;
        let config = ConfigEvidence {
            alarm_history: vec![item],
            ..Default::default()
        };
        return Some(("alarm-lambda-action", config));
    }
    None
}

/// An EventBridge "CloudWatch Alarm State Change" or "... Configuration Change" event (the latter
/// as a `ConfigurationUpdate` item, as describe-alarm-history names it).
pub fn alarm_state_change(event: &Value, input: u32) -> Option<ConfigEvidence> {
    let detail = event.get("detail")?;
    let configuration = event.get("detail-type").and_then(Value::as_str)
        == Some("CloudWatch Alarm Configuration Change");
    let summary = match (
        configuration,
        detail.get("operation").and_then(Value::as_str),
    ) {
        (true, Some(op)) => {
            format!("Alarm configuration {op} (EventBridge configuration change event)")
        }
        (true, None) => "Alarm configuration change (EventBridge event)".to_string(),
        (false, _) => "Alarm state change event (EventBridge)".to_string(),
    };
    let mut item = state_change(
        detail,
        event.get("time").and_then(value_time),
        &summary,
        Origin { input, index: 0 },
    )?;
    if configuration {
        item.item_type = "ConfigurationUpdate".into();
        item.old_state = None;
    }
    Some(ConfigEvidence {
        alarm_history: vec![item],
        ..Default::default()
    })
}

/// The alarm-state shape shared by the EventBridge event's `detail` and the Lambda action's
/// `alarmData`: `alarmName`, `state {value, reason, timestamp}`, `previousState {value}`.
fn state_change(
    data: &Value,
    fallback: Option<crate::model::Timestamp>,
    summary: &str,
    origin: Origin,
) -> Option<AlarmHistoryItem> {
    let text = |p: &str| data.pointer(p).and_then(Value::as_str).map(str::to_owned);
    Some(AlarmHistoryItem {
        alarm_name: data.get("alarmName")?.as_str()?.to_owned(),
        time: data
            .pointer("/state/timestamp")
            .and_then(value_time)
            .or(fallback)?,
        item_type: "StateUpdate".into(),
        summary: summary.into(),
        old_state: text("/previousState/value"),
        new_state: text("/state/value"),
        reason: text("/state/reason"),
        action_arn: None,
        action_state: None,
        definition: None,
        data_unreadable: None,
        from_summary: false,
        origin,
    })
}

fn alarm_sns_message(
    inner: &Value,
    sns: &Map<String, Value>,
    origin: Origin,
) -> Option<AlarmHistoryItem> {
    let name = inner.get("AlarmName")?.as_str()?.to_owned();
    let time = inner
        .get("StateChangeTime")
        .and_then(value_time)
        .or_else(|| sns.get("Timestamp").and_then(value_time))?;
    Some(AlarmHistoryItem {
        alarm_name: name,
        time,
        item_type: "Action".into(),
        summary: "Alarm notification received through SNS".into(),
        old_state: inner
            .get("OldStateValue")
            .and_then(Value::as_str)
            .map(str::to_owned),
        new_state: inner
            .get("NewStateValue")
            .and_then(Value::as_str)
            .map(str::to_owned),
        reason: inner
            .get("NewStateReason")
            .and_then(Value::as_str)
            .map(str::to_owned),
        action_arn: sns
            .get("TopicArn")
            .and_then(Value::as_str)
            .map(str::to_owned),
        action_state: Some("Delivered".into()),
        definition: None,
        data_unreadable: None,
        from_summary: false,
        origin,
    })
}
