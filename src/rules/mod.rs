//! Pure rule engines used to replay alerting flows over collected evidence: EventBridge event patterns,
//! CloudWatch Logs filter patterns and CloudWatch metric-alarm evaluation (and `metric_match`:
//! whether an alarm watches a metric filter's metric, for correlation and posture alike); and the trail's own
//! rule of what it logs at all (`selectors`: its event selectors).
//!
//! Nothing here performs I/O or reads the clock; callers hand in parsed records and time ranges.

pub mod alarm;
mod alarm_model;
pub mod detector;
pub mod event_pattern;
pub mod filter_pattern;
pub mod metric_match;
pub mod rule_state;
pub mod selectors;

pub use alarm_model::{alarm_definition, AlarmDefinitionError};
