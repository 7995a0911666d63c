//! The non-trail evidence of a case, shaped as `aws ... --output json` (CLI v2) prints it: LookupEvents
//! pages, CloudWatch alarms and metrics, the Logs metric filters, EventBridge rules and targets, and the
//! trail's configuration. Each function returns a document; writing files is the caller's job.

pub mod cloudwatch;
pub mod eventbridge;
pub mod killswitch;
pub mod lookup;
pub mod posture;
pub mod trail;

use crate::time::{at, Epoch};

/// When the monitoring was deployed (alarm, filter and rule creation), before the incident.
pub fn deployed_at() -> Epoch {
    at(2026, 11, 2, 10, 14, 37)
}
