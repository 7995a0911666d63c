//! What the analysis concluded about the evidence the outputs state without redoing it: which
//! pieces of the collected configuration are the two detection flows, and when the trail
//! delivered the files the records were read from.

use super::{AlarmDefinition, EventRule, MetricFilter, Timestamp};

/// The metric filters, alarms and EventBridge rules that watch the honeytokens (configured in
/// `trailcase.toml`, or recognised by what their patterns name), in the evidence's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DetectionResources {
    pub filters: Vec<MetricFilter>,
    pub alarms: Vec<AlarmDefinition>,
    pub rules: Vec<EventRule>,
}

/// When CloudTrail delivered each trail file among the inputs, as the file's name states it
/// (`..._CloudTrail_<region>_20261120T1407Z_<rand>.json.gz`: to the minute), by input index.
/// Inputs that are not trail files, or whose name states no time, are absent.
pub type Deliveries = std::collections::BTreeMap<u32, Timestamp>;
