//! The second pass: every record of the actors, read again from the files whose hashes say they
//! may hold one the first pass did not keep; and the records other principals made from the
//! addresses the honeytoken was read from ([`Nearby`], for `correlate::neighbours`), kept up to
//! [`NEARBY_KEPT_AT_MOST`] and only counted beyond it, so that an address many principals share
//! (a NAT gateway, a proxy) does not hold the whole trail in memory.

use crate::correlate::actor::ActorPlan;
use crate::correlate::neighbours::{AddressCount, Call, Nearby, CALLS_AT_MOST};
use crate::model::Event;
use crate::parse::RecordItem;
use crate::scan::{key_hash, scan, PassOptions, Seen, Selector};
use crate::source::InputFile;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Records of other principals at the actors' addresses kept for the correlation; past this
/// many, they are counted by principal instead (which holds a few bytes per principal).
pub const NEARBY_KEPT_AT_MOST: usize = 20_000;

/// What the second pass read.
pub struct SecondPass {
    /// The actors' records (as the first pass would have kept them).
    pub actors: Vec<Event>,
    pub nearby: Nearby,
}

/// Every key of every actor: the principals whose records the second pass collects.
pub fn wanted_keys(plans: &[ActorPlan]) -> HashSet<String> {
    plans
        .iter()
        .flat_map(|p| p.all_keys().map(str::to_owned))
        .collect()
}

/// Read again the files that may hold a record of a `wanted` principal key not `kept` already
/// (the first pass kept every record of those keys), or a record another principal made from
/// one of the plans' addresses; `seen[i]` is what the first pass saw of input `i`.
pub fn second_pass(
    files: &[InputFile],
    seen: &[Seen],
    plans: &[ActorPlan],
    wanted: HashSet<String>,
    kept: &HashSet<String>,
    opts: PassOptions<'_>,
) -> SecondPass {
    let addresses: HashSet<String> = plans
        .iter()
        .flat_map(|p| p.addresses.iter().cloned())
        .collect();
    let which = files_to_read_again(seen, &wanted, kept, &addresses);
    if which.is_empty() {
        return SecondPass {
            actors: Vec::new(),
            nearby: Nearby::default(),
        };
    }
    let opts = PassOptions {
        index: false,
        ..opts
    };
    let select = ActorsAndNearby {
        keys: wanted,
        addresses,
        kept: AtomicUsize::new(0),
        counts: Mutex::new(Counts::within(CALLS_AT_MOST)),
    };
    // A record kept without an actor's key was kept for its address.
    let (actors, mut nearby): (Vec<Event>, Vec<Event>) =
        scan(files, &which, opts, &select, &|_| {})
            .into_iter()
            .flat_map(|r| r.events)
            .partition(|e| e.identity.principal_keys().any(|k| select.keys.contains(k)));
    let nearby = if select.kept.load(Ordering::Relaxed) > NEARBY_KEPT_AT_MOST {
        Nearby::Counted(
            select
                .counts
                .into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .by
                .into_values()
                .collect(),
        )
    } else {
        // One record read from several files (copies) is one record.
        nearby.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        nearby.dedup_by(|a, b| a.event_id == b.event_id);
        Nearby::Listed(nearby)
    };
    SecondPass { actors, nearby }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Keeps the actors' records, and other principals' records at the actors' addresses while
/// fewer than [`NEARBY_KEPT_AT_MOST`] have been (counting them all by principal).
struct ActorsAndNearby {
    keys: HashSet<String>,
    addresses: HashSet<String>,
    kept: AtomicUsize,
    counts: Mutex<Counts>,
}

/// Every record at the addresses, counted by (address, principal, type): sorted when counted,
/// so the order of threads is not seen.
struct Counts {
    by: BTreeMap<(String, String, String), AddressCount>,
    /// Entries the counts keep for their calls, until `budget` ([`CALLS_AT_MOST`]).
    calls: usize,
    budget: usize,
    /// Past it: no count keeps calls, the ones made later neither (the total only grows, so
    /// whether it went past does not depend on the order the threads counted in).
    forgotten: bool,
}

impl Counts {
    fn within(budget: usize) -> Counts {
        Counts {
            by: BTreeMap::new(),
            calls: 0,
            budget,
            forgotten: false,
        }
    }

    fn add(&mut self, key: (String, String, String), call: Call, event_id: &str) {
        let forgotten = self.forgotten;
        let count = self.by.entry(key).or_insert_with_key(|(a, p, k)| {
            let mut c = AddressCount::new(a.clone(), p.clone(), k.clone(), call.time);
            if forgotten {
                c.forget_calls();
            }
            c
        });
        self.calls += count.add(call, event_id);
        if self.calls > self.budget && !forgotten {
            self.forgotten = true;
            self.by.values_mut().for_each(AddressCount::forget_calls);
        }
    }
}

impl Selector for ActorsAndNearby {
    fn keep(&self, _: u32, item: &RecordItem<'_>) -> bool {
        if item.view.principal_keys().any(|k| self.keys.contains(k)) {
            return true;
        }
        let Some(ip) = item
            .view
            .source_ip
            .as_str()
            .filter(|ip| self.addresses.contains(*ip))
        else {
            return false;
        };
        let event_id = item.view.event_id.as_str().unwrap_or_default();
        let call = Call {
            time: item.time,
            id: key_hash(event_id),
            succeeded: item.view.succeeded(),
        };
        let key = (
            ip.to_string(),
            item.view.label().into_owned(),
            item.view.identity().kind,
        );
        lock(&self.counts).add(key, call, event_id);
        self.kept.fetch_add(1, Ordering::Relaxed) < NEARBY_KEPT_AT_MOST
    }
}

/// The files the second pass reads: those whose principals (hashes of their records' keys)
/// include a `wanted` key the first pass did not keep every record of, and those with a record
/// made from one of `addresses` by a principal that is not `wanted`.
fn files_to_read_again(
    seen: &[Seen],
    wanted: &HashSet<String>,
    kept: &HashSet<String>,
    addresses: &HashSet<String>,
) -> Vec<u32> {
    let not_kept: BTreeSet<u64> = wanted
        .iter()
        .filter(|k| !kept.contains(*k))
        .map(|k| key_hash(k))
        .collect();
    let all_wanted: HashSet<u64> = wanted.iter().map(|k| key_hash(k)).collect();
    let at: HashSet<u64> = addresses.iter().map(|a| key_hash(a)).collect();
    if not_kept.is_empty() && at.is_empty() {
        return Vec::new();
    }
    seen.iter()
        .enumerate()
        .filter(|(_, s)| {
            s.principals.iter().any(|h| not_kept.contains(h))
                || s.addresses
                    .iter()
                    .any(|(a, p)| at.contains(a) && !all_wanted.contains(p))
        })
        .map(|(i, _)| i as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

    fn call(secs: i64, id: &str) -> Call {
        Call {
            time: Timestamp::from_secs(secs),
            id: key_hash(id),
            succeeded: true,
        }
    }

    fn key(principal: &str) -> (String, String, String) {
        ("10.0.0.1".into(), principal.into(), "AssumedRole".into())
    }

    /// The counts keep each principal's calls and latest eventIDs until the budget; past it
    /// none keeps them, not even a principal first seen later, whatever the order of records.
    #[test]
    fn past_the_budget_no_count_keeps_its_calls() {
        let mut within = Counts::within(100);
        for n in 0..30 {
            within.add(key("a"), call(n, &format!("a{n:02}")), &format!("a{n:02}"));
        }
        let a = &within.by[&key("a")];
        assert_eq!(a.records, 30);
        assert_eq!(a.calls.as_ref().map(Vec::len), Some(30));
        let latest: Vec<&str> = a.latest.iter().map(|l| l.1.as_str()).collect();
        assert_eq!(latest.len(), 20);
        assert_eq!((latest[0], latest[19]), ("a10", "a29"));

        for order in [false, true] {
            let mut counts = Counts::within(50);
            let mut records: Vec<(&str, i64)> = (0..30).map(|n| ("a", n)).collect();
            records.extend((0..5).map(|n| ("b", n)));
            if order {
                records.reverse();
            }
            for (p, n) in records {
                let id = format!("{p}{n:02}");
                counts.add(key(p), call(n, &id), &id);
            }
            for p in ["a", "b"] {
                let c = &counts.by[&key(p)];
                assert_eq!(c.calls, None, "{p}, reversed: {order}");
                assert!(c.latest.is_empty());
            }
            assert_eq!(counts.by[&key("a")].records, 30);
        }
    }

    fn set(keys: &[&str]) -> HashSet<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    fn seen(principals: &[&str], addresses: &[(&str, &str)]) -> Seen {
        Seen {
            principals: principals.iter().map(|k| key_hash(k)).collect(),
            addresses: addresses
                .iter()
                .map(|(a, p)| (key_hash(a), key_hash(p)))
                .collect(),
        }
    }

    /// The second pass reads the files that hold a wanted key the first pass did not keep every
    /// record of; a hash of a key kept already, or of no wanted key, does not send a file back.
    #[test]
    fn files_are_read_again_for_the_wanted_keys_not_kept() {
        let files = vec![
            seen(&["AKIA1", "arn:user/a"], &[]),
            seen(&["arn:user/b"], &[]),
            seen(&["ASIA2"], &[]),
            seen(&[], &[]),
        ];
        let none = HashSet::new();
        let wanted = set(&["AKIA1", "arn:user/a", "ASIA2"]);
        assert_eq!(files_to_read_again(&files, &wanted, &none, &none), [0, 2]);
        assert_eq!(
            files_to_read_again(&files, &wanted, &set(&["AKIA1", "arn:user/a"]), &none),
            [2]
        );
        assert!(files_to_read_again(&files, &wanted, &wanted, &none).is_empty());
        assert!(files_to_read_again(&files, &none, &none, &none).is_empty());
    }

    /// A file is read again for an address only when another principal than the actors made a
    /// record from it there: the actors' own records at their address send no file back.
    #[test]
    fn files_are_read_again_for_other_principals_at_the_actors_addresses() {
        let files = vec![
            seen(&["arn:user/a"], &[("203.0.113.9", "arn:user/a")]),
            seen(&["arn:role/x"], &[("203.0.113.9", "arn:role/x")]),
            seen(&["arn:role/y"], &[("198.51.100.1", "arn:role/y")]),
        ];
        let wanted = set(&["arn:user/a"]);
        let at = set(&["203.0.113.9"]);
        assert_eq!(files_to_read_again(&files, &wanted, &wanted, &at), [1]);
        assert_eq!(
            files_to_read_again(&files, &wanted, &HashSet::new(), &at),
            [0, 1]
        );
    }
}
