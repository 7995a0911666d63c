//! Notifications that arrive as evidence: CloudWatch alarm state changes (EventBridge event,
//! Lambda alarm action, SNS message) become alarm history items; SNS / SQS notices of new
//! CloudTrail log objects are recognised (they carry no records).

use super::shape::value_time;
use crate::model::{AlarmHistoryItem, ConfigEvidence, Origin};
use serde_json::{Map, Value};

/// Recognise a notification object.
pub fn lift(obj: &Map<String, Value>, input: u32) -> Option<(&'static str, ConfigEvidence)> {
    let origin = Origin { input, index: 0 };
    // Lambda's SNS event record wraps the notification in `Sns`.
    let sns = obj.get("Sns").and_then(Value::as_object).unwrap_or(obj);
    if let Some(Value::String(message)) = sns.get("Message") {
        let inner: Value = serde_json::from_str(message).unwrap_or(Value::Null);
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
        let data = &obj["alarmData"];
        let item = AlarmHistoryItem {
            alarm_name: data.get("alarmName")?.as_str()?.to_owned(),
            time: obj.get("time").and_then(value_time)?,
            item_type: "StateUpdate".into(),
            summary: "Alarm state change delivered to a Lambda action".into(),
            old_state: data
                .pointer("/previousState/value")
                .and_then(Value::as_str)
                .map(str::to_owned),
            new_state: data
                .pointer("/state/value")
                .and_then(Value::as_str)
                .map(str::to_owned),
            reason: data
                .pointer("/state/reason")
                .and_then(Value::as_str)
                .map(str::to_owned),
            action_arn: None,
            action_state: None,
            origin,
        };
        let config = ConfigEvidence {
            alarm_history: vec![item],
            ..Default::default()
        };
        return Some(("alarm-lambda-action", config));
    }
    None
}

/// An EventBridge "CloudWatch Alarm State Change" event.
pub fn alarm_state_change(event: &Value, input: u32) -> Option<ConfigEvidence> {
    let d = event.get("detail")?;
    let time = d
        .pointer("/state/timestamp")
        .and_then(value_time)
        .or_else(|| event.get("time").and_then(value_time))?;
    let item = AlarmHistoryItem {
        alarm_name: d.get("alarmName")?.as_str()?.to_owned(),
        time,
        item_type: "StateUpdate".into(),
        summary: "Alarm state change event (EventBridge)".into(),
        old_state: d
            .pointer("/previousState/value")
            .and_then(Value::as_str)
            .map(str::to_owned),
        new_state: d
            .pointer("/state/value")
            .and_then(Value::as_str)
            .map(str::to_owned),
        reason: d
            .pointer("/state/reason")
            .and_then(Value::as_str)
            .map(str::to_owned),
        action_arn: None,
        action_state: None,
        origin: Origin { input, index: 0 },
    };
    Some(ConfigEvidence {
        alarm_history: vec![item],
        ..Default::default()
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
        origin,
    })
}
