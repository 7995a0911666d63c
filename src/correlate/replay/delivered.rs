//! How EventBridge delivers each honeytoken access's record, when not as an API call: a
//! request refused at a VPC endpoint is a network activity event, which EventBridge delivers as
//! "AWS Network Activity Event via CloudTrail" (EventBridge User Guide, "AWS service events
//! delivered via AWS CloudTrail"). A flow-2 rule on API calls then misses the access though its
//! pattern matches the record's content: the rule could not have seen it, and the replay says
//! so rather than leave a bare miss.
//!
//! Pure: reads the access records already in memory.

use crate::model::Event;
use crate::rules::detector::Detector;
use crate::rules::event_pattern::{delivered_detail_type, API_CALL};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// An access's record that EventBridge delivers with another `detail-type` than an API call's.
pub struct Delivered {
    pub detail_type: &'static str,
    record: Value,
}

/// The access records (by eventID) that EventBridge does not deliver as API calls. Only those
/// are kept: a read loop of thousands of API calls keeps nothing.
pub fn of_accesses<'e>(events: &'e [Event], ids: &HashSet<&str>) -> BTreeMap<&'e str, Delivered> {
    events
        .iter()
        .filter(|e| ids.contains(e.event_id.as_str()))
        .filter_map(|e| {
            let record: Value = serde_json::from_str(e.raw.get()).ok()?;
            let detail_type = delivered_detail_type(&record);
            (detail_type != API_CALL).then_some((
                e.event_id.as_str(),
                Delivered {
                    detail_type,
                    record,
                },
            ))
        })
        .collect()
}

impl Delivered {
    fn text(&self, key: &str) -> Option<&str> {
        self.record.get(key).and_then(Value::as_str)
    }

    /// What kind of record this is, in words, with what it records of a refusal.
    fn kind(&self) -> String {
        let event_type = self.text("eventType").unwrap_or_default();
        match event_type {
            "AwsVpceEvent" => {
                let endpoint = self
                    .text("vpcEndpointId")
                    .map(|v| format!(" through VPC endpoint {v}"))
                    .unwrap_or_default();
                let refused = match self.text("errorCode") {
                    Some(code) => format!(", refused there ({code})"),
                    None => String::new(),
                };
                format!("a CloudTrail network activity event (eventType AwsVpceEvent) of the request{endpoint}{refused}")
            }
            "" => "a record without an eventType".into(),
            other => format!("a record of eventType {other}"),
        }
    }

    /// Why flow 2's rule missed this access, when its pattern matches the record as an API call
    /// and not as EventBridge delivers it; `None` when the pattern misses the content itself.
    pub fn missed_because(&self, detector: &Detector) -> Option<String> {
        if !detector.matches_as(&self.record, API_CALL) {
            return None;
        }
        let dt = self.detail_type;
        Some(format!(
            "EventBridge does not deliver this record as \"{API_CALL}\": it is {}, which EventBridge delivers as \"{dt}\" (EventBridge User Guide, \"AWS service events delivered via AWS CloudTrail\"). The rule's pattern matches the record as an API call but not as \"{dt}\", so the rule could not have seen this access: not a failure to match the call. A rule meant to see such records must also match detail-type \"{dt}\"",
            self.kind()
        ))
    }
}
