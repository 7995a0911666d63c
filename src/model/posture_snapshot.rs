//! What `trailcase posture` read of the deployed pipeline in one region: plain data, filled by
//! `source::aws::posture` and judged by `posture`'s checks (so it lives below both). A part that
//! could not be read holds the reason (`Err`), which its checks report as UNKNOWN. Imports only
//! `model`.

use super::AlarmDefinition;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// A part as read, or why it could not be (an error naming the missing permission).
pub type Fetched<T> = Result<T, String>;

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub region: String,
    /// The honeytoken as `--honeytoken` gives it: a secret's name, `ssm:NAME` or `s3:BUCKET/KEY`.
    pub honeytoken: String,
    pub trails: Fetched<Vec<TrailState>>,
    /// `None`: the secret does not exist; `Err` also when the honeytoken is not a secret.
    pub secret: Fetched<Option<SecretState>>,
    /// An SSM parameter or S3 object honeytoken, looked up without reading it: `None`, it is not
    /// there; `Err` also when the honeytoken is a secret or a pattern (not looked up).
    pub decoy: Fetched<Option<DecoyState>>,
    pub metric_filters: Fetched<Vec<FilterState>>,
    pub alarms: Fetched<Vec<AlarmState>>,
    pub rules: Fetched<Vec<RuleState>>,
    /// Every SNS topic an alarm or a rule targets, by ARN.
    pub topics: BTreeMap<String, Fetched<TopicState>>,
    /// Every Lambda function a rule targets, by ARN; `None`: it does not exist.
    pub functions: BTreeMap<String, Fetched<Option<FunctionState>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrailState {
    pub name: String,
    pub arn: String,
    pub home_region: Option<String>,
    pub multi_region: bool,
    pub log_file_validation: bool,
    pub log_group_arn: Option<String>,
    pub status: Fetched<TrailStatus>,
}

impl TrailState {
    /// The log group's name from its ARN (`arn:aws:logs:r:a:log-group:NAME:*`).
    pub fn log_group_name(&self) -> Option<&str> {
        let arn = self.log_group_arn.as_deref()?;
        let rest = arn.split_once(":log-group:")?.1;
        Some(rest.strip_suffix(":*").unwrap_or(rest))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrailStatus {
    pub is_logging: bool,
    pub latest_cloudwatch_logs_delivery: Option<DateTime<Utc>>,
    pub latest_cloudwatch_logs_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecretState {
    pub name: String,
    pub arn: String,
    /// Scheduled for deletion.
    pub deleted: bool,
}

/// An SSM parameter or S3 object decoy that was found.
#[derive(Debug, Clone, PartialEq)]
pub struct DecoyState {
    /// The parameter's name, or the object's `s3://BUCKET/KEY`.
    pub name: String,
    /// The parameter's ARN as DescribeParameters gives it (an object's listing gives none).
    pub arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FilterState {
    pub name: String,
    pub log_group: String,
    pub pattern: String,
    pub metric_namespace: String,
    pub metric_name: String,
    /// The names of the metric's dimensions, sorted (none: the metric has none).
    pub metric_dimensions: Vec<String>,
    pub default_value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlarmState {
    pub definition: AlarmDefinition,
    pub actions_enabled: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleState {
    pub name: String,
    pub arn: String,
    pub state: String,
    pub pattern: Option<String>,
    /// Target ARNs.
    pub targets: Fetched<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicState {
    pub confirmed: usize,
    pub pending: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionState {
    pub arn: String,
    /// The function's resource-based policy (GetPolicy), `None` when it has none.
    pub policy: Option<String>,
    /// Its execution role.
    pub role_arn: Option<String>,
    /// The documents of the role's inline and attached policies, as IAM returns them
    /// (URL-encoded JSON).
    pub role_policies: Fetched<Vec<String>>,
}
