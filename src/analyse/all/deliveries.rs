//! `--all` and the calls delivered to two accounts (a cross-account `AssumeRole`, a KMS key or
//! secret of another account: each delivery its own eventID, both one `sharedEventID`). The
//! stream notes every record that names a `sharedEventID` as it reads it ([`Delivery::of`]: a
//! byte search, then a parse of those records only); once every record is read, before the
//! merge, [`later`] says which rows are later deliveries and under which eventID the call is
//! counted, by the default timeline's rule (`correlate::deliveries::delivered_twice`), whether
//! or not the call is an incident's. No record is read again.
//!
//! Memory: one small note per record naming a `sharedEventID` (cross-account calls only), at
//! most [`NOTES_KEPT`] of them (about 250 bytes each, with the strings, so some 250 MB; the
//! sort and grouping of [`later`] add about as much while they run). Past that, every note is
//! dropped and none is taken again: no row is marked (which rows would be marked must not
//! depend on which thread read what first), and the run has a `deliveries_not_marked` gap.

use crate::model::{Gap, GapKind};
use crate::parse::RecordItem;
use std::collections::{BTreeMap, HashMap};

/// At most this many records naming a `sharedEventID` are noted.
pub const NOTES_KEPT: u64 = 1_000_000;

/// The gap of a run that saw `named` records naming a `sharedEventID`, more than the `kept`
/// it keeps notes of ([`NOTES_KEPT`]): no later delivery is marked.
pub fn not_marked(named: u64, kept: u64) -> Gap {
    Gap::of_all_inputs(
        GapKind::DeliveriesNotMarked,
        format!(
            "{named} records name a sharedEventID (calls delivered to two accounts), more than the {kept} --all keeps notes of in memory: no later delivery of such a call is marked counted_as, so counting the rows without counted_as counts such a call once per delivery; `timeline` (without --all) marks those of incidents (incidents[].deliveries) and of calls of no incident"
        ),
    )
}

/// One record naming a `sharedEventID`, as the stream read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    shared: Box<str>,
    time: i64,
    source: Box<str>,
    name: Box<str>,
    event_id: Box<str>,
    /// The record names its caller by ARN (the delivery counted, before any other).
    by_arn: bool,
    /// Where it was read: (input, record index).
    at: (u32, u64),
}

impl Delivery {
    /// The delivery `item` (read from the input at `input`, its eventID `event_id`) is, if its
    /// record names a `sharedEventID`.
    pub fn of(input: u32, item: &RecordItem<'_>, event_id: &str) -> Option<Delivery> {
        #[derive(serde::Deserialize)]
        struct Shared {
            #[serde(rename = "sharedEventID")]
            shared: Option<String>,
        }
        memchr::memmem::find(item.raw.as_bytes(), b"\"sharedEventID\"")?;
        let shared = serde_json::from_str::<Shared>(item.raw).ok()?.shared?;
        if shared.is_empty() {
            return None;
        }
        let v = item.view;
        Some(Delivery {
            shared: shared.into(),
            time: item.time.millis(),
            source: v.event_source.as_str().unwrap_or_default().into(),
            name: v.event_name.as_str().unwrap_or_default().into(),
            event_id: event_id.into(),
            by_arn: v.identity().arn.is_some(),
            at: (input, item.index),
        })
    }

    /// Another delivery of the same call: alike in time, service and API (a record that shares
    /// a `sharedEventID` with a different call is not folded into it).
    fn same_call(&self, other: &Delivery) -> bool {
        self.time == other.time && self.source == other.source && self.name == other.name
    }
}

/// The later deliveries among `notes`, each eventID with the eventID its call is counted
/// under: the delivery that names the caller by ARN, else the first in the timeline's order
/// (time, eventID, where it was read).
pub fn later(mut notes: Vec<Delivery>) -> HashMap<String, String> {
    notes.sort_by(|a, b| (a.time, &a.event_id, a.at).cmp(&(b.time, &b.event_id, b.at)));
    let mut by_id: BTreeMap<&str, Vec<Vec<&Delivery>>> = BTreeMap::new();
    for d in &notes {
        let calls = by_id.entry(&d.shared).or_default();
        match calls.iter_mut().find(|c| c[0].same_call(d)) {
            Some(call) => call.push(d),
            None => calls.push(vec![d]),
        }
    }
    let mut out = HashMap::new();
    for call in by_id.into_values().flatten().filter(|c| c.len() > 1) {
        let counted = call.iter().find(|d| d.by_arn).unwrap_or(&call[0]);
        for d in call.iter().filter(|d| d.event_id != counted.event_id) {
            out.insert(d.event_id.to_string(), counted.event_id.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: &str, shared: &str, secs: i64, name: &str, by_arn: bool) -> Delivery {
        Delivery {
            shared: shared.into(),
            time: secs * 1000,
            source: "sts.amazonaws.com".into(),
            name: name.into(),
            event_id: id.into(),
            by_arn,
            at: (0, 0),
        }
    }

    /// The delivery naming the caller by ARN is counted, whatever its eventID; a copy of it
    /// (same eventID) is no later delivery; a record of another call under the same
    /// `sharedEventID` is not folded in; a lone delivery is not marked.
    #[test]
    fn later_deliveries_by_the_timeline_rule() {
        let later = later(vec![
            note("b", "s1", 10, "AssumeRole", true),
            note("a", "s1", 10, "AssumeRole", false),
            note("b", "s1", 10, "AssumeRole", true),
            note("c", "s1", 11, "GetSessionToken", false),
            note("d", "s2", 12, "AssumeRole", false),
            note("e", "s3", 13, "AssumeRole", false),
            note("f", "s3", 13, "AssumeRole", false),
        ]);
        let mut pairs: Vec<(&str, &str)> = later
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        pairs.sort();
        assert_eq!(pairs, [("a", "b"), ("f", "e")]);
    }
}
