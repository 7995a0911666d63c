//! trailcase: turn AWS audit evidence (CloudTrail, CloudWatch, EventBridge) into a forensic incident case.
//!
//! Data flows one way: sources -> parse -> model (timeline) -> correlate -> export / report.

pub mod report;
