//! One call, several deliveries. CloudTrail delivers a call that involves two accounts (a
//! cross-account `AssumeRole`, a KMS key or a secret of another account) to each of them: each
//! record has its own eventID and `recipientAccountId`, and both the same `sharedEventID`. An
//! organization trail holds both. They are one call: counted once, the other delivery kept as
//! its own row and tied to the first.
//!
//! Only records alike in what the call was (time, service, API) are taken for deliveries of one
//! call: a record that shares a `sharedEventID` with a different call (forged or altered) is
//! not folded into it, and counts as the call it says it is.
//!
//! CloudTrail may also deliver a record again later, with updated data: a new eventID and an
//! `addendum` whose `originalEventID` names the first record (the CloudTrail User Guide, "CloudTrail
//! record contents": `originalEventID` is given for `UPDATED_DATA`). That copy is the same call:
//! counted once, under the first record, and kept as a row tied to it ([`updated_copies`]). An
//! `addendum` without `originalEventID` (a `DELIVERY_DELAY` or `SERVICE_OUTAGE` record delivered
//! late, not again) names no earlier record and is a call of its own.

use crate::model::Event;
use std::collections::{BTreeMap, HashMap};

/// The record's `sharedEventID`: CloudTrail's one id for a call delivered to several accounts
/// (absent when one account was involved).
pub fn shared_event_id(e: &Event) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Shared {
        #[serde(rename = "sharedEventID")]
        shared: Option<String>,
    }
    if !names_shared_event(e) {
        return None;
    }
    serde_json::from_str::<Shared>(e.raw.get())
        .ok()?
        .shared
        .filter(|s| !s.is_empty())
}

/// Whether the record's text names a `sharedEventID` at all: most records do not, and need no
/// parse for it.
pub fn names_shared_event(e: &Event) -> bool {
    memchr::memmem::find(e.raw.get().as_bytes(), b"\"sharedEventID\"").is_some()
}

/// A record's `addendum`, when it names the earlier record it is an updated copy of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addendum {
    /// `addendum.reason` (`UPDATED_DATA`; empty when absent).
    pub reason: String,
    /// `addendum.updatedFields` as recorded (empty when absent).
    pub updated_fields: String,
    pub original_event_id: String,
}

impl Addendum {
    /// Whether the copy updates the record's `userIdentity` (`updatedFields` names it, alone or
    /// in a list): the copy then says who made the call, not the earlier record.
    pub fn updates_identity(&self) -> bool {
        crate::model::Updates::names_user_identity(&self.updated_fields)
    }
}

/// The record's `addendum` when it names an `originalEventID`; `None` otherwise (most records
/// name no addendum and need no parse for it).
pub fn addendum(e: &Event) -> Option<Addendum> {
    #[derive(serde::Deserialize)]
    struct Outer {
        addendum: Option<Inner>,
    }
    #[derive(serde::Deserialize)]
    struct Inner {
        reason: Option<String>,
        #[serde(rename = "updatedFields")]
        updated_fields: Option<serde_json::Value>,
        #[serde(rename = "originalEventID")]
        original: Option<String>,
    }
    memchr::memmem::find(e.raw.get().as_bytes(), b"\"originalEventID\"")?;
    let inner = serde_json::from_str::<Outer>(e.raw.get()).ok()?.addendum?;
    let original_event_id = inner.original.filter(|s| !s.is_empty())?;
    let updated_fields = match inner.updated_fields {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    };
    Some(Addendum {
        reason: inner.reason.unwrap_or_default(),
        updated_fields,
        original_event_id,
    })
}

/// Of `events`, each record that is CloudTrail's updated copy of another record of `events`
/// (its `addendum.originalEventID` names that record's eventID, of the same service and API),
/// as (the original, the copy, its addendum), in the order of the copies. A copy whose
/// original is not in `events` is not tied: the call is counted under the copy.
pub fn updated_copies<'e>(
    events: impl IntoIterator<Item = &'e Event>,
) -> Vec<(&'e Event, &'e Event, Addendum)> {
    let events: Vec<&'e Event> = events.into_iter().collect();
    let copies: Vec<(&'e Event, Addendum)> = events
        .iter()
        .filter_map(|e| Some((*e, addendum(e)?)))
        .collect();
    if copies.is_empty() {
        return Vec::new();
    }
    let mut by_id: BTreeMap<&str, &'e Event> = BTreeMap::new();
    for e in &events {
        by_id.entry(e.event_id.as_str()).or_insert(e);
    }
    copies
        .into_iter()
        .filter_map(|(copy, a)| {
            let original = *by_id.get(a.original_event_id.as_str())?;
            let same = original.event_id != copy.event_id
                && original.event_source == copy.event_source
                && original.event_name == copy.event_name
                && addendum(original).is_none();
            same.then_some((original, copy, a))
        })
        .collect()
}

/// The calls of `events` (in the timeline's order) delivered more than once, each as its
/// deliveries with the one counted first: the delivery that names the caller by ARN (the other
/// account's may name it by principal id only, as an `AWSAccount` identity), else the first.
/// Records are only taken for one call when their `key` is the same too.
pub fn delivered_twice<'e, K: Ord>(
    events: impl IntoIterator<Item = (&'e Event, K)>,
) -> Vec<Vec<&'e Event>> {
    let mut by_id: BTreeMap<(K, String), Vec<Vec<&'e Event>>> = BTreeMap::new();
    for (e, key) in events {
        let Some(id) = shared_event_id(e) else {
            continue;
        };
        let calls = by_id.entry((key, id)).or_default();
        match calls.iter_mut().find(|c| same_call(c[0], e)) {
            Some(call) => call.push(e),
            None => calls.push(vec![e]),
        }
    }
    let mut out: Vec<Vec<&'e Event>> = by_id
        .into_values()
        .flatten()
        .filter(|call| call.len() > 1)
        .collect();
    for call in &mut out {
        if let Some(n) = call.iter().position(|e| e.identity.arn.is_some()) {
            let counted = call.remove(n);
            call.insert(0, counted);
        }
    }
    out
}

/// Of `events` (in the timeline's order), each later delivery of a call by its eventID, with
/// the eventID of the delivery counted (see [`delivered_twice`]).
/// CloudTrail's updated copies of a record are tied to it the same way (see [`updated_copies`]).
pub fn later_deliveries<'e>(
    events: impl IntoIterator<Item = &'e Event>,
) -> HashMap<&'e str, &'e str> {
    let events: Vec<&'e Event> = events.into_iter().collect();
    let mut later = HashMap::new();
    for (original, copy, _) in updated_copies(events.iter().copied()) {
        later.insert(copy.event_id.as_str(), original.event_id.as_str());
    }
    for call in delivered_twice(events.into_iter().map(|e| (e, ()))) {
        for e in &call[1..] {
            if e.event_id != call[0].event_id {
                later.insert(e.event_id.as_str(), call[0].event_id.as_str());
            }
        }
    }
    later
}

/// Two records that may be deliveries of one call: the same time, service and API.
fn same_call(a: &Event, b: &Event) -> bool {
    a.time == b.time && a.event_source == b.event_source && a.event_name == b.event_name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

    fn event(id: &str, name: &str, second: i64, shared: Option<&str>) -> Event {
        let raw = match shared {
            Some(s) => format!(r#"{{"eventID":"{id}","sharedEventID":"{s}"}}"#),
            None => format!(r#"{{"eventID":"{id}"}}"#),
        };
        Event::for_test(
            Timestamp::from_secs(1_700_000_000 + second),
            id,
            "sts.amazonaws.com",
            name,
            &raw,
        )
    }

    #[test]
    fn the_second_delivery_of_a_call_is_tied_to_the_first() {
        let a = event("a", "AssumeRole", 0, Some("s1"));
        let b = event("b", "AssumeRole", 0, Some("s1"));
        let c = event("c", "AssumeRole", 0, None);
        let later = later_deliveries([&a, &b, &c]);
        assert_eq!(later, HashMap::from([("b", "a")]));
    }

    #[test]
    fn an_updated_copy_is_tied_to_the_record_it_names_and_a_late_delivery_is_not() {
        let raw =
            |id: &str, addendum: &str| format!(r#"{{"eventID":"{id}","addendum":{{{addendum}}}}}"#);
        let at = Timestamp::from_secs(1_700_000_000);
        let e =
            |id: &str, raw: &str| Event::for_test(at, id, "sts.amazonaws.com", "AssumeRole", raw);
        let a = e("a", r#"{"eventID":"a"}"#);
        let b = e(
            "b",
            &raw(
                "b",
                r#""reason":"UPDATED_DATA","updatedFields":"userIdentity","originalEventID":"a""#,
            ),
        );
        let late = e("c", &raw("c", r#""reason":"DELIVERY_DELAY""#));
        let orphan = e(
            "d",
            &raw("d", r#""reason":"UPDATED_DATA","originalEventID":"zz""#),
        );
        let later = later_deliveries([&a, &b, &late, &orphan]);
        assert_eq!(later, HashMap::from([("b", "a")]));
        let got = addendum(&b).unwrap();
        assert_eq!(
            (got.reason.as_str(), got.updated_fields.as_str()),
            ("UPDATED_DATA", "userIdentity")
        );
    }

    #[test]
    fn a_record_sharing_the_id_of_a_different_call_is_its_own_call() {
        let a = event("a", "AssumeRole", 0, Some("s1"));
        let other_api = event("b", "DeleteUser", 0, Some("s1"));
        let other_time = event("c", "AssumeRole", 5, Some("s1"));
        let copy = event("a", "AssumeRole", 0, Some("s1"));
        assert!(later_deliveries([&a, &other_api, &other_time, &copy]).is_empty());
    }
}
