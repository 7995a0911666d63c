//! `--all` and CloudTrail's updated copies: a record delivered again later with updated data,
//! a new eventID and an `addendum` whose `originalEventID` names the first record. `timeline`
//! counts the call once, under the first record, and marks the copy's row `counted_as` it
//! (`correlate::deliveries::updated_copies`: the original must be a record of the evidence, of
//! the same service and API, with no such addendum of its own). `--all` marks the same rows:
//! the stream notes each record naming an `originalEventID` as it reads it ([`UpdatedCopy::of`]:
//! a byte search, then a parse of those records only), and every record's eventID, service and
//! API and whether it names one go by hash into `export::IdTimes`' sorted run; once every
//! record is read, [`tied`] keeps the copies whose original is there. No record is read again.
//!
//! Memory: one small note per record naming an `originalEventID`, at most `NOTES_KEPT`
//! (`deliveries`); past that none is kept, no such row is marked and a
//! `deliveries_not_marked` gap says so.

use crate::export::IdCalls;
use crate::model::{Gap, GapKind};
use crate::parse::RecordItem;
use std::collections::{HashMap, HashSet};

/// One record naming an `originalEventID`, as the stream read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatedCopy {
    event_id: Box<str>,
    original: Box<str>,
    /// [`call_hash`] of its service and API.
    call: u64,
}

/// Whether a record's text names an `originalEventID` at all (most do not, and need no parse).
pub fn names_original(raw: &str) -> bool {
    memchr::memmem::find(raw.as_bytes(), b"\"originalEventID\"").is_some()
}

/// A hash of a record's service and API (`eventSource`, `eventName`): records of one call
/// share it.
pub fn call_hash(source: &str, name: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0).hash_one((source, name))
}

/// The non-empty `originalEventID` of a record's `addendum`, if it names one (a record that
/// does is no original: `correlate::deliveries::addendum`).
pub fn original_of(item: &RecordItem<'_>) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Outer {
        addendum: Option<Inner>,
    }
    #[derive(serde::Deserialize)]
    struct Inner {
        #[serde(rename = "originalEventID")]
        original: Option<String>,
    }
    serde_json::from_str::<Outer>(item.raw)
        .ok()?
        .addendum?
        .original
        .filter(|o| !o.is_empty())
}

impl UpdatedCopy {
    /// The copy `item` (its eventID `event_id`, its addendum's `originalEventID` `original`)
    /// is, unless it names itself.
    pub fn of(item: &RecordItem<'_>, event_id: &str, original: String) -> Option<UpdatedCopy> {
        if original == event_id {
            return None;
        }
        let v = item.view;
        Some(UpdatedCopy {
            event_id: event_id.into(),
            original: original.into(),
            call: call_hash(
                v.event_source.as_str().unwrap_or_default(),
                v.event_name.as_str().unwrap_or_default(),
            ),
        })
    }
}

/// The hashes (`scan::key_hash`) of the eventIDs the copies name as their originals.
pub fn originals(copies: &[UpdatedCopy], hash: fn(&str) -> u64) -> HashSet<u64> {
    copies.iter().map(|c| hash(&c.original)).collect()
}

/// The copies whose original is a record read of the same service and API that names no
/// `originalEventID` itself (`calls`: the calls read under each original's eventID hash),
/// each copy's eventID with its original's.
pub fn tied(
    copies: Vec<UpdatedCopy>,
    calls: &IdCalls,
    hash: fn(&str) -> u64,
) -> HashMap<String, String> {
    copies
        .into_iter()
        .filter(|c| {
            calls
                .get(&hash(&c.original))
                .is_some_and(|read| read.contains(&(c.call, false)))
        })
        .map(|c| (c.event_id.into(), c.original.into()))
        .collect()
}

/// The gap of a run that saw `named` records naming an `originalEventID`, more than the
/// `kept` it keeps notes of: no updated copy is marked.
pub fn not_marked(named: u64, kept: u64) -> Gap {
    Gap::of_all_inputs(
        GapKind::DeliveriesNotMarked,
        format!(
            "{named} records name an originalEventID (CloudTrail's updated copies of a record), more than the {kept} --all keeps notes of in memory: no updated copy is marked counted_as, so counting the rows without counted_as counts such a call twice; `timeline` (without --all) marks those of its rows"
        ),
    )
}
