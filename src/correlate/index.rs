//! The kept events indexed once for the correlation: by where they were read, and by the
//! identifiers that link a record to an actor. Each incident looks its records up instead of
//! scanning them all, so the correlation grows with the evidence, not with incidents × evidence.

use super::plan::arn_of;
use super::plan::ActorPlan;
use crate::model::{Event, Origin};
use std::collections::{BTreeSet, HashMap};

/// Lookups over a sorted slice of events; every list holds indices in the slice's order.
pub struct EventIndex<'e> {
    events: &'e [Event],
    by_origin: HashMap<Origin, usize>,
    /// Records by `userIdentity.arn`.
    by_arn: HashMap<&'e str, Vec<usize>>,
    /// Records without an ARN, by principal id and by access key.
    by_other: HashMap<&'e str, Vec<usize>>,
    /// Records with neither ARN, principal id nor access key (an Identity Center user acting
    /// through a service, an AWS service), by the identity's label.
    by_label: HashMap<String, Vec<usize>>,
    /// Every record by its access key (the role sessions an actor obtained).
    by_key: HashMap<&'e str, Vec<usize>>,
    /// The ARNs each principal id and access key appears under.
    arns_of: HashMap<&'e str, BTreeSet<&'e str>>,
}

/// A principal id or access key that records give to more than one ARN.
pub struct SharedIdentifier<'e> {
    pub what: &'static str,
    pub value: &'e str,
    pub arns: Vec<&'e str>,
    /// eventIDs of a few of the records (one per ARN, up to ten).
    pub event_ids: Vec<&'e str>,
}

impl<'e> EventIndex<'e> {
    pub fn new(events: &'e [Event]) -> EventIndex<'e> {
        let mut ix = EventIndex {
            events,
            by_origin: HashMap::with_capacity(events.len()),
            by_arn: HashMap::new(),
            by_other: HashMap::new(),
            by_label: HashMap::new(),
            by_key: HashMap::new(),
            arns_of: HashMap::new(),
        };
        for (n, e) in events.iter().enumerate() {
            ix.by_origin.insert(e.origin, n);
            let id = &e.identity;
            match arn_of(e) {
                Some(arn) => {
                    ix.by_arn.entry(arn).or_default().push(n);
                    for k in [&id.principal_id, &id.access_key_id].into_iter().flatten() {
                        ix.arns_of.entry(k.as_str()).or_default().insert(arn);
                    }
                }
                None if id.principal_id.is_none() && id.access_key_id.is_none() => {
                    ix.by_label.entry(id.label()).or_default().push(n);
                }
                None => {
                    for k in [&id.principal_id, &id.access_key_id].into_iter().flatten() {
                        let list = ix.by_other.entry(k.as_str()).or_default();
                        if list.last() != Some(&n) {
                            list.push(n);
                        }
                    }
                }
            }
            if let Some(k) = &id.access_key_id {
                ix.by_key.entry(k.as_str()).or_default().push(n);
            }
        }
        ix
    }

    pub fn events(&self) -> &'e [Event] {
        self.events
    }

    /// The record read at `origin`.
    pub fn at(&self, origin: Origin) -> Option<&'e Event> {
        self.by_origin.get(&origin).map(|&n| &self.events[n])
    }

    fn collect(&self, mut found: Vec<usize>) -> Vec<&'e Event> {
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|n| &self.events[n]).collect()
    }

    /// Principal ids and access keys that records give to more than one ARN. CloudTrail gives
    /// each principal its own: some of these records were forged or altered. Sorted by value.
    pub fn shared_identifiers(&self) -> Vec<SharedIdentifier<'e>> {
        let mut out: Vec<SharedIdentifier<'e>> = self
            .arns_of
            .iter()
            .filter(|(_, arns)| arns.len() > 1)
            .map(|(value, arns)| {
                let is_key = self.by_key.contains_key(value);
                SharedIdentifier {
                    what: if is_key { "access key" } else { "principal id" },
                    value,
                    arns: arns.iter().copied().collect(),
                    event_ids: arns
                        .iter()
                        .take(10)
                        .filter_map(|a| self.by_arn.get(a)?.first())
                        .map(|&n| self.events[n].event_id.as_str())
                        .collect(),
                }
            })
            .collect();
        out.sort_by_key(|s| s.value);
        out
    }

    /// The actor's own records (those [`ActorPlan::is_own`] accepts), in the events' order.
    pub fn own(&self, plan: &ActorPlan) -> Vec<&'e Event> {
        let mut found = Vec::new();
        for k in &plan.own_keys {
            for map in [&self.by_arn, &self.by_other] {
                found.extend(map.get(k.as_str()).into_iter().flatten().copied());
            }
            found.extend(self.by_label.get(k).into_iter().flatten().copied());
        }
        // A read whose identity CloudTrail's updated copy corrects is the actor's, whatever the
        // read itself names.
        let updated = plan.group.identity_updates.iter();
        found.extend(updated.filter_map(|(read, _)| self.by_origin.get(read).copied()));
        self.collect(found)
    }

    /// Records of the role sessions the actor obtained (those [`ActorPlan::is_derived`]
    /// accepts), in the events' order.
    pub fn derived(&self, plan: &ActorPlan) -> Vec<&'e Event> {
        let mut found = Vec::new();
        for d in &plan.derived {
            found.extend(
                self.by_key
                    .get(d.access_key_id.as_str())
                    .into_iter()
                    .flatten(),
            );
            if let Some(s) = &d.session_arn {
                found.extend(self.by_arn.get(s.as_str()).into_iter().flatten());
            }
        }
        found.retain(|&n| !plan.is_own(&self.events[n]));
        self.collect(found)
    }
}
