//! One call, several deliveries. CloudTrail delivers a call that involves two accounts (a
//! cross-account `AssumeRole`, a KMS key or a secret of another account) to each of them: each
//! record has its own eventID and `recipientAccountId`, and both the same `sharedEventID`. An
//! organization trail holds both. They are one call: counted once, the other delivery kept as
//! its own row and tied to the first.
//!
//! Only records alike in what the call was (time, service, API) are taken for deliveries of one
//! call: a record that shares a `sharedEventID` with a different call (forged or altered) is
//! not folded into it, and counts as the call it says it is.

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
pub fn later_deliveries<'e>(
    events: impl IntoIterator<Item = &'e Event>,
) -> HashMap<&'e str, &'e str> {
    let mut later = HashMap::new();
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
    fn a_record_sharing_the_id_of_a_different_call_is_its_own_call() {
        let a = event("a", "AssumeRole", 0, Some("s1"));
        let other_api = event("b", "DeleteUser", 0, Some("s1"));
        let other_time = event("c", "AssumeRole", 5, Some("s1"));
        let copy = event("a", "AssumeRole", 0, Some("s1"));
        assert!(later_deliveries([&a, &other_api, &other_time, &copy]).is_empty());
    }
}
