//! A LookupEvents item read without a whole `Value`: its `CloudTrailEvent` string and its
//! `EventTime`, the rest checked and passed over.

use serde_json::Value;
use std::borrow::Cow;

/// A LookupEvents item (`{"EventTime": ..., "CloudTrailEvent": "<the record as a string>",
/// ...}`) read without a whole `Value`: only the two fields used, the rest checked and passed
/// over. `None` sends the item the general way, which reads it the same: not an object, no
/// `CloudTrailEvent` string, a repeated field (a `Value` keeps the last), or not JSON.
#[derive(serde::Deserialize)]
pub(super) struct LookupItem<'a> {
    #[serde(rename = "CloudTrailEvent", borrow)]
    pub(super) cloud_trail_event: Cow<'a, str>,
    #[serde(rename = "EventTime", default)]
    pub(super) event_time: Option<Value>,
    /// A key that makes an object read as a record itself ([`crate::parse::RecordView::looks_like_record`]),
    /// whatever its value: such an item goes the way of `Ctx::single`, the record first.
    #[serde(
        rename = "eventName",
        alias = "eventSource",
        alias = "userIdentity",
        alias = "eventTime",
        alias = "insightDetails",
        default,
        deserialize_with = "present"
    )]
    record_key: bool,
}

/// A value of any kind, `null` included, was there.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    <serde::de::IgnoredAny as serde::Deserialize>::deserialize(d).map(|_| true)
}

impl<'a> LookupItem<'a> {
    /// A LookupEvents page's element read as an item straight away, when it holds no key that
    /// would make it a record: what `Ctx::single` does after reading it as a record in vain.
    pub(super) fn read_item_only(raw: &'a str) -> Option<LookupItem<'a>> {
        LookupItem::read(raw).filter(|item| !item.record_key)
    }

    pub(super) fn read(raw: &'a str) -> Option<LookupItem<'a>> {
        // A struct reads from an array too: only an object is an item.
        if !raw.trim_start().starts_with('{') {
            return None;
        }
        serde_json::from_str(raw).ok()
    }
}
