//! Publish the result to the SNS topic the responders (and trailcase) read.

use crate::error::CallError;
use crate::report::{ContainmentResult, Step, StepOutcome};

/// SNS subjects are at most 100 ASCII characters.
fn subject(result: &ContainmentResult) -> String {
    let who = result
        .caller
        .as_ref()
        .and_then(|c| c.arns().first().map(|a| a.to_string()))
        .unwrap_or_default();
    let decision = serde_json::to_value(result.decision)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let text: String = format!("Honeytoken kill-switch: {decision} {who}")
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .take(100)
        .collect();
    text
}

pub async fn publish(sns: &aws_sdk_sns::Client, topic: &str, result: &ContainmentResult) -> Step {
    const ACTION: &str = "sns:Publish";
    let message = serde_json::to_string_pretty(result).unwrap_or_else(|e| e.to_string());
    match sns
        .publish()
        .topic_arn(topic)
        .subject(subject(result))
        .message(message)
        .send()
        .await
    {
        Ok(out) => Step::new(
            ACTION,
            topic,
            StepOutcome::Done,
            format!("message {}", out.message_id().unwrap_or("(no id)")),
        ),
        Err(e) => Step::new(
            ACTION,
            topic,
            StepOutcome::Failed,
            CallError::from_sdk(ACTION, e).to_string(),
        ),
    }
}
