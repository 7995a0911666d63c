//! Other principals at the actor's address ([`SameAddress`]): the records the analysis read
//! again because they came from an address the honeytoken was read from, by a principal that is
//! no incident's actor. No key links them to the actor, so they are never its activity; what
//! they did after the containment's block is the lead a responder follows when the actor may hold
//! credentials the evidence does not show it obtaining.

mod count;

pub use count::{AddressCount, Call, CALLS_AT_MOST};

use super::findings::first_and_more;
use super::plan::ActorPlan;
use crate::model::{
    AddressPeer, Event, Finding, FindingKind, SameAddress, Timestamp, PEER_EVENT_IDS,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Principals a finding names; the others are counted.
const NAMED: usize = 5;

/// What the analysis found at the actors' addresses.
#[derive(Debug)]
pub enum Nearby {
    /// Every record, sorted and without copies.
    Listed(Vec<Event>),
    /// Too many records to keep: each (address, principal)'s count.
    Counted(Vec<AddressCount>),
}

impl Default for Nearby {
    fn default() -> Self {
        Nearby::Listed(Vec::new())
    }
}

/// [`Nearby`] looked up by address.
pub struct NearbyIndex<'n> {
    nearby: &'n Nearby,
    by_address: HashMap<&'n str, Vec<usize>>,
}

impl<'n> NearbyIndex<'n> {
    pub fn new(nearby: &'n Nearby) -> NearbyIndex<'n> {
        let mut by_address: HashMap<&str, Vec<usize>> = HashMap::new();
        match nearby {
            Nearby::Listed(events) => {
                for (n, e) in events.iter().enumerate() {
                    if let Some(ip) = e.source_ip.as_deref() {
                        by_address.entry(ip).or_default().push(n);
                    }
                }
            }
            Nearby::Counted(counts) => {
                for (n, c) in counts.iter().enumerate() {
                    by_address.entry(c.address.as_str()).or_default().push(n);
                }
            }
        }
        NearbyIndex { nearby, by_address }
    }

    fn at<'a>(&'a self, addresses: &'a [String]) -> impl Iterator<Item = usize> + 'a {
        let mut found: Vec<usize> = addresses
            .iter()
            .flat_map(|a| self.by_address.get(a.as_str()).into_iter().flatten())
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found.into_iter()
    }

    /// What the records at the plan's addresses show; `block`: when the containment's block
    /// took effect, if the evidence has one.
    pub fn same_address(&self, plan: &ActorPlan, block: Option<Timestamp>) -> SameAddress {
        let mut principals: Vec<AddressPeer> = match self.nearby {
            Nearby::Listed(events) => {
                let mut by: BTreeMap<(String, String), Vec<&Event>> = BTreeMap::new();
                // An actor known only by its label (no key to leave it out by) is not its own
                // neighbour.
                for n in self.at(&plan.addresses) {
                    let e = &events[n];
                    if plan.is_own(e) {
                        continue;
                    }
                    by.entry((e.identity.label(), e.identity.kind.clone()))
                        .or_default()
                        .push(e);
                }
                by.into_iter()
                    .map(|((principal, kind), records)| peer(principal, kind, &records, block))
                    .collect()
            }
            Nearby::Counted(counts) => {
                let mut by: BTreeMap<(String, String), (AddressCount, BTreeSet<String>)> =
                    BTreeMap::new();
                for n in self.at(&plan.addresses) {
                    let c = &counts[n];
                    if plan.own_keys.contains(&c.principal) {
                        continue;
                    }
                    by.entry((c.principal.clone(), c.kind.clone()))
                        .and_modify(|(sum, at)| {
                            sum.merge(c);
                            at.insert(c.address.clone());
                        })
                        .or_insert_with(|| (c.clone(), BTreeSet::from([c.address.clone()])));
                }
                by.into_iter()
                    .map(|((principal, kind), (sum, at))| {
                        counted_peer(principal, kind, sum, at, block)
                    })
                    .collect()
            }
        };
        principals.sort_by(|a, b| (a.first, &a.principal).cmp(&(b.first, &b.principal)));
        SameAddress {
            addresses: plan.addresses.clone(),
            records_examined: matches!(self.nearby, Nearby::Listed(_)),
            principals,
        }
    }
}

/// One principal's counted records as an [`AddressPeer`]: its calls after the block from their
/// times (once per record) while they were kept, and its latest eventIDs (those after the block
/// when there are any).
fn counted_peer(
    principal: String,
    kind: String,
    mut sum: AddressCount,
    at: BTreeSet<String>,
    block: Option<Timestamp>,
) -> AddressPeer {
    let after: Option<Vec<Call>> = sum.calls.as_mut().zip(block).map(|(calls, b)| {
        calls.sort_unstable();
        calls.dedup();
        calls.iter().copied().filter(|c| c.time >= b).collect()
    });
    let latest = match (&after, block) {
        (Some(a), Some(b)) if !a.is_empty() => sum.latest.iter().filter(|l| l.0 >= b).collect(),
        _ => sum.latest.iter().collect::<Vec<_>>(),
    };
    AddressPeer {
        principal,
        kind,
        addresses: at.into_iter().collect(),
        records: sum.records,
        first: sum.first,
        last: sum.last,
        after_containment: after.as_ref().map(|a| a.len() as u64),
        succeeded_after_containment: after
            .as_ref()
            .map(|a| a.iter().filter(|c| c.succeeded).count() as u64),
        actions: Vec::new(),
        event_ids: latest.into_iter().map(|l| l.1.clone()).collect(),
    }
}

/// One principal's records (in time order) as an [`AddressPeer`].
fn peer(
    principal: String,
    kind: String,
    records: &[&Event],
    block: Option<Timestamp>,
) -> AddressPeer {
    let after: Option<Vec<&Event>> =
        block.map(|b| records.iter().copied().filter(|e| e.time >= b).collect());
    let named: &[&Event] = match &after {
        Some(a) if !a.is_empty() => a,
        _ => records,
    };
    AddressPeer {
        principal,
        kind,
        addresses: records
            .iter()
            .filter_map(|e| e.source_ip.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        records: records.len() as u64,
        first: records.first().map(|e| e.time).unwrap_or_default(),
        last: records.last().map(|e| e.time).unwrap_or_default(),
        after_containment: after.as_ref().map(|a| a.len() as u64),
        succeeded_after_containment: after
            .as_ref()
            .map(|a| a.iter().filter(|e| e.succeeded()).count() as u64),
        actions: records
            .iter()
            .map(|e| e.action())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        event_ids: named
            .iter()
            .take(PEER_EVENT_IDS)
            .map(|e| e.event_id.clone())
            .collect(),
    }
}

/// The finding a responder must see: other principals called AWS from the actor's address,
/// after the block above all (`blocked`: the evidence has the block). `None` when the evidence
/// read has none.
pub fn finding(same: &SameAddress, blocked: bool) -> Option<Finding> {
    let peers = &same.principals;
    if peers.is_empty() {
        return None;
    }
    let at = same.addresses.join(", ");
    let unlinked = "no record in the evidence links them to the actor (such as the call that issued their credentials)";
    let after: Vec<&AddressPeer> = peers
        .iter()
        .filter(|p| p.after_containment.unwrap_or(0) > 0)
        .collect();
    let records: u64 = peers.iter().map(|p| p.records).sum();
    let counted = format!(
        "{records} records by {} other principal(s) came from {at}, where the honeytoken was read from: too many to examine one by one (the address may be shared, as a NAT gateway or proxy is)",
        peers.len()
    );
    if after.is_empty() {
        let summary = if !same.records_examined {
            let then = if !blocked {
                ""
            } else if peers.iter().all(|p| p.after_containment.is_some()) {
                ", and none of their calls was at or after containment (counted from the records' times)"
            } else {
                ", and what they did after containment was not examined"
            };
            format!("{counted}; {unlinked}{then}")
        } else {
            let named = first_and_more(
                peers.len(),
                peers
                    .iter()
                    .take(NAMED)
                    .map(|p| format!("{} ({} call(s))", p.principal, p.records)),
            );
            let when = if peers[0].after_containment.is_some() {
                ", none of them after containment"
            } else {
                ""
            };
            format!(
                "Other principals called AWS from {at}, where the honeytoken was read from{when}: {named}; {unlinked}"
            )
        };
        return Some(Finding {
            kind: FindingKind::SameAddressActivity,
            severity: "medium",
            summary,
            event_ids: peers
                .iter()
                .flat_map(|p| p.event_ids.iter().cloned())
                .collect(),
        });
    }
    let named = first_and_more(
        after.len(),
        after.iter().take(NAMED).map(|p| {
            format!(
                "{} ({} call(s) after containment, {} of them succeeded, the last at {})",
                p.principal,
                p.after_containment.unwrap_or(0),
                p.succeeded_after_containment.unwrap_or(0),
                p.last
            )
        }),
    );
    let counted = if same.records_examined {
        String::new()
    } else {
        format!(" ({counted}; the calls after containment are counted from the records' times, and each principal's latest are cited)")
    };
    Some(Finding {
        kind: FindingKind::SameAddressActivity,
        severity: "high",
        summary: format!(
            "After containment, {} other principal(s) called AWS from {at}, where the honeytoken was read from: {named}; {unlinked}. If one is the actor's (a role session it assumed before the evidence begins, say), the containment did not reach it{counted}",
            after.len()
        ),
        event_ids: after
            .iter()
            .flat_map(|p| p.event_ids.iter().cloned())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::keys::KeyIssue;
    use crate::correlate::plan::AccessGroup;
    use crate::model::{Identity, Origin};

    fn event(id: &str, secs: i64, arn: &str, ip: &str, error: Option<&str>) -> Event {
        let mut e = Event::for_test(
            Timestamp::from_secs(secs),
            id,
            "s3.amazonaws.com",
            "ListBuckets",
            "{}",
        );
        e.identity = Identity {
            arn: Some(arn.into()),
            kind: "AssumedRole".into(),
            ..Default::default()
        };
        e.source_ip = Some(ip.into());
        e.error_code = error.map(str::to_owned);
        e.read_only = Some(true);
        e.origin = Origin {
            input: 0,
            index: secs as u64,
        };
        e
    }

    fn plan(addresses: &[&str]) -> ActorPlan {
        ActorPlan {
            group: AccessGroup {
                rule: 0,
                honeytoken: "h".into(),
                shown: "h".into(),
                actor_key: "arn:aws:iam::1:user/a".into(),
                accesses: Vec::new(),
                origins: Vec::new(),
                first_read: Timestamp::from_secs(0),
                folded: Vec::new(),
                refused_in_batch: Vec::new(),
                delivered_twice: Vec::new(),
                updated_copies: Vec::new(),
                identity_updates: Vec::new(),
                unsettled: Vec::new(),
                other_readings: Vec::new(),
            },
            own_keys: Vec::new(),
            derived: Vec::<KeyIssue>::new(),
            origins: Vec::new(),
            addresses: addresses.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn calls_after_the_block_are_counted_and_cited_and_other_addresses_ignored() {
        let s = "arn:aws:sts::1:assumed-role/R/s";
        let nearby = Nearby::Listed(vec![
            event("e1", 10, s, "203.0.113.9", None),
            event("e2", 20, s, "203.0.113.9", None),
            event("e3", 30, s, "203.0.113.9", Some("AccessDenied")),
            event(
                "e4",
                40,
                "arn:aws:sts::1:assumed-role/Q/x",
                "198.51.100.1",
                None,
            ),
        ]);
        let ix = NearbyIndex::new(&nearby);
        let same = ix.same_address(&plan(&["203.0.113.9"]), Some(Timestamp::from_secs(20)));
        assert!(same.records_examined);
        assert_eq!(same.principals.len(), 1);
        let p = &same.principals[0];
        assert_eq!(p.principal, s);
        assert_eq!(
            (
                p.records,
                p.after_containment,
                p.succeeded_after_containment
            ),
            (3, Some(2), Some(1))
        );
        assert_eq!(p.event_ids, ["e2", "e3"]);
        let f = finding(&same, true).unwrap();
        assert_eq!(f.severity, "high");
        assert!(
            f.summary
                .contains("2 call(s) after containment, 1 of them succeeded"),
            "{}",
            f.summary
        );
        assert_eq!(f.event_ids, ["e2", "e3"]);

        let none = ix.same_address(&plan(&["203.0.113.9"]), None);
        assert_eq!(none.principals[0].after_containment, None);
        assert_eq!(none.principals[0].event_ids, ["e1", "e2", "e3"]);
        let f = finding(&none, false).unwrap();
        assert_eq!(f.severity, "medium");
        assert!(
            !f.summary.contains("none of them after containment"),
            "{}",
            f.summary
        );
        assert!(finding(&ix.same_address(&plan(&["192.0.2.1"]), None), false).is_none());
    }

    #[test]
    fn counted_records_are_summed_per_principal_and_not_examined() {
        let c = |address: &str, records, first, last| AddressCount {
            address: address.into(),
            principal: "arn:p".into(),
            kind: "IAMUser".into(),
            records,
            first: Timestamp::from_secs(first),
            last: Timestamp::from_secs(last),
            calls: None,
            latest: Vec::new(),
        };
        let nearby = Nearby::Counted(vec![c("10.0.0.1", 5, 50, 60), c("10.0.0.2", 7, 10, 20)]);
        let ix = NearbyIndex::new(&nearby);
        let same = ix.same_address(
            &plan(&["10.0.0.1", "10.0.0.2"]),
            Some(Timestamp::from_secs(0)),
        );
        assert!(!same.records_examined);
        let p = &same.principals[0];
        assert_eq!((p.records, p.first.0, p.last.0), (12, 10_000, 60_000));
        assert_eq!(p.after_containment, None);
        let f = finding(&same, true).unwrap();
        assert!(
            f.summary.starts_with("12 records by 1 other principal(s)"),
            "{}",
            f.summary
        );
        assert!(
            f.summary.contains("after containment was not examined"),
            "{}",
            f.summary
        );
    }

    /// Counted with their times: the calls at or after the block are counted once per record
    /// (a copy read from two files, and at two addresses, is one call), and the latest of them
    /// cited.
    #[test]
    fn counted_records_with_their_times_tell_the_calls_after_the_block() {
        let mut one = AddressCount::new(
            "10.0.0.1".into(),
            "arn:p".into(),
            "AssumedRole".into(),
            Timestamp::from_secs(0),
        );
        let mut two = AddressCount::new(
            "10.0.0.2".into(),
            "arn:p".into(),
            "AssumedRole".into(),
            Timestamp::from_secs(0),
        );
        let call = |secs: i64, id: &str, succeeded| Call {
            time: Timestamp::from_secs(secs),
            id: crate::scan::key_hash(id),
            succeeded,
        };
        for n in 0..40 {
            let id = format!("e{n:02}");
            one.add(call(n * 10, &id, n % 2 == 0), &id);
        }
        // A copy of e39 (from another file), and a record at the other address.
        one.add(call(390, "e39", false), "e39");
        two.add(call(395, "f00", true), "f00");
        let nearby = Nearby::Counted(vec![one, two]);
        let ix = NearbyIndex::new(&nearby);
        let same = ix.same_address(
            &plan(&["10.0.0.1", "10.0.0.2"]),
            Some(Timestamp::from_secs(370)),
        );
        assert!(!same.records_examined);
        let p = &same.principals[0];
        assert_eq!(p.records, 42, "each copy counts as a record");
        // e37, e38, e39 and f00: four calls at or after 370 s, two of them succeeded.
        assert_eq!(p.after_containment, Some(4));
        assert_eq!(p.succeeded_after_containment, Some(2));
        assert_eq!(p.event_ids, ["e37", "e38", "e39", "f00"]);
        let f = finding(&same, true).unwrap();
        assert_eq!(f.severity, "high");
        assert!(
            f.summary
                .contains("4 call(s) after containment, 2 of them succeeded"),
            "{}",
            f.summary
        );
        assert!(
            f.summary.contains("too many to examine one by one"),
            "{}",
            f.summary
        );

        let before = ix.same_address(
            &plan(&["10.0.0.1", "10.0.0.2"]),
            Some(Timestamp::from_secs(1_000)),
        );
        assert_eq!(before.principals[0].after_containment, Some(0));
        assert_eq!(
            before.principals[0].event_ids.len(),
            20,
            "the latest records"
        );
        let f = finding(&before, true).unwrap();
        assert_eq!(f.severity, "medium");
        assert!(
            f.summary
                .contains("none of their calls was at or after containment"),
            "{}",
            f.summary
        );
    }
}
