//! The honeytoken kill-switch: contains the caller of an EventBridge "AWS API Call via CloudTrail"
//! event (the honeytoken read) and reports what it did as a [`ContainmentResult`].
//!
//! An IAM user gets the inline deny-all policy `HoneytokenDenyAll`, every access key deactivated
//! and its console password deleted; an assumed role gets a policy denying sessions issued before
//! now (`aws:TokenIssueTime`, AWS's session revocation) and sessions carrying the caller's source
//! identity. Root, AWS services, the kill-switch's own role and protected principals are only
//! reported. Every step is attempted; each outcome is recorded. Idempotent; dry-run capable.
//!
//! The IAM and SNS calls go through the AWS SDK clients in [`Clients`]; `main.rs` is only the
//! Lambda runtime glue (environment, logging). Nothing here reads the clock: `now` is passed in.

#![forbid(unsafe_code)]

pub mod contain;
pub mod error;
pub mod event;
pub mod policy;
pub mod publish;
pub mod report;
pub mod settings;

pub use contain::contain;
pub use event::{Caller, Trigger};
pub use report::{ContainmentResult, Decision, Step, StepOutcome};
pub use settings::Settings;

/// The SDK clients the kill-switch calls.
#[derive(Debug, Clone)]
pub struct Clients {
    pub iam: aws_sdk_iam::Client,
    pub sns: aws_sdk_sns::Client,
}

impl Clients {
    pub fn new(sdk: &aws_config::SdkConfig) -> Self {
        Clients {
            iam: aws_sdk_iam::Client::new(sdk),
            sns: aws_sdk_sns::Client::new(sdk),
        }
    }
}

/// Contain the caller of `event`, then publish the result to the configured topic (the outcome of
/// publishing is part of the result).
pub async fn handle(
    clients: &Clients,
    settings: &Settings,
    event: &serde_json::Value,
    now: chrono::DateTime<chrono::Utc>,
) -> ContainmentResult {
    let mut result = contain(&clients.iam, settings, event, now).await;
    if let Some(topic) = &settings.result_topic_arn {
        result.published = Some(publish::publish(&clients.sns, topic, &result).await);
    }
    result
}
