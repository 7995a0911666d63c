//! The count of a principal's records at one address ([`AddressCount`]), kept when the
//! records there are too many to list: how many, when, and enough of each call ([`Call`]) to
//! count those after the containment's block, within [`CALLS_AT_MOST`] for all together.

use crate::model::{Timestamp, PEER_EVENT_IDS};

/// Calls kept for every counted principal together (with their latest eventIDs, one each):
/// within it, the calls after the block are counted from their times; past it, not examined.
pub const CALLS_AT_MOST: usize = 1_000_000;

/// One record of a counted principal: enough to count its calls after any time, once per record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Call {
    pub time: Timestamp,
    /// A hash of its eventID: a record read from several files (copies) is one call.
    pub id: u64,
    pub succeeded: bool,
}

/// The records of one principal at one address, counted (each copy of a record counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressCount {
    pub address: String,
    pub principal: String,
    pub kind: String,
    pub records: u64,
    pub first: Timestamp,
    pub last: Timestamp,
    /// Its calls, while every principal's together are within [`CALLS_AT_MOST`]; `None` past it.
    pub calls: Option<Vec<Call>>,
    /// Its latest records (time, eventID), at most [`PEER_EVENT_IDS`], in time order; empty when
    /// `calls` is `None`.
    pub latest: Vec<(Timestamp, String)>,
}

impl AddressCount {
    /// Nothing counted yet.
    pub fn new(address: String, principal: String, kind: String, at: Timestamp) -> AddressCount {
        AddressCount {
            address,
            principal,
            kind,
            records: 0,
            first: at,
            last: at,
            calls: Some(Vec::new()),
            latest: Vec::new(),
        }
    }

    /// Count one record; returns how many entries it added to what is kept (its call, and its
    /// eventID when it is among the latest).
    pub fn add(&mut self, call: Call, event_id: &str) -> usize {
        self.records += 1;
        self.first = self.first.min(call.time);
        self.last = self.last.max(call.time);
        let Some(calls) = &mut self.calls else {
            return 0;
        };
        calls.push(call);
        let key = (call.time, event_id);
        let before = self.latest.len();
        let at = self.latest.partition_point(|l| (l.0, l.1.as_str()) < key);
        let copy = self
            .latest
            .get(at)
            .is_some_and(|l| (l.0, l.1.as_str()) == key);
        if !copy && (before < PEER_EVENT_IDS || at > 0) {
            self.latest.insert(at, (call.time, event_id.to_string()));
            if self.latest.len() > PEER_EVENT_IDS {
                self.latest.remove(0);
            }
        }
        1 + self.latest.len() - before
    }

    /// Stop keeping calls (every principal's together went past [`CALLS_AT_MOST`]).
    pub fn forget_calls(&mut self) {
        self.calls = None;
        self.latest = Vec::new();
    }

    /// Fold `other` (the same principal) into this count.
    pub fn merge(&mut self, other: &AddressCount) {
        self.records += other.records;
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        match (&mut self.calls, &other.calls) {
            (Some(mine), Some(theirs)) => mine.extend_from_slice(theirs),
            _ => self.calls = None,
        }
        if self.calls.is_none() {
            self.latest = Vec::new();
            return;
        }
        self.latest.extend(other.latest.iter().cloned());
        self.latest.sort();
        self.latest.dedup();
        let cut = self.latest.len().saturating_sub(PEER_EVENT_IDS);
        self.latest.drain(..cut);
    }
}
