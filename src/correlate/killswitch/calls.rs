//! The kill-switch principal's changing calls, indexed so that matching thousands of published
//! results against thousands of calls costs what the matches cost, not results × calls: by
//! time, by (action, name) for a step, by name for the calls a result does not report. A call
//! is claimed once (by the first step that bears it out, or listed once as unreported), and
//! each index skips what is claimed without scanning it again.

use crate::correlate::containment::KillSwitchCalls;
use crate::model::Event;
use crate::parse::RecordView;
use serde_json::Value;
use std::collections::HashMap;

/// The kill-switch principal's CloudTrail calls that change something, in time order (the
/// events' order), their indices, and which are claimed.
pub struct Calls<'e> {
    pub list: Vec<&'e Event>,
    times: Vec<i64>,
    /// Calls by (action, name), for a step: its action and target. A call's names are the
    /// string values of its requestParameters (user, key, role, topic, ...).
    by_step: HashMap<(String, String), Skip>,
    /// Calls by name, for the calls a result does not report.
    by_name: HashMap<String, Skip>,
    claimed: Vec<bool>,
}

/// One index's calls (ascending) with a skip pointer past each claimed one, so that a claimed
/// call is stepped over at most once per index (path-halving, as in a disjoint-set forest).
#[derive(Default)]
struct Skip {
    calls: Vec<usize>,
    /// `next[p]` is p while `calls[p]` may be unclaimed, else a later position.
    next: Vec<usize>,
}

impl Skip {
    fn push(&mut self, call: usize) {
        if self.calls.last() != Some(&call) {
            self.next.push(self.calls.len());
            self.calls.push(call);
        }
    }

    /// The first position at or after `p` not yet known to be claimed (`calls.len()` if none).
    fn find(&mut self, mut p: usize) -> usize {
        while p < self.calls.len() && self.next[p] != p {
            let q = self.next[p];
            self.next[p] = if q < self.calls.len() {
                self.next[q]
            } else {
                q
            };
            p = q;
        }
        p
    }

    /// Every unclaimed call of this index with a time in `[from, to)`, now claimed (and
    /// stepped over from now on).
    fn take(&mut self, times: &[i64], claimed: &mut [bool], (from, to): (i64, i64)) -> Vec<usize> {
        let mut out = Vec::new();
        let mut p = self.find(self.calls.partition_point(|&c| times[c] < from));
        while p < self.calls.len() && times[self.calls[p]] < to {
            let c = self.calls[p];
            if !claimed[c] {
                claimed[c] = true;
                out.push(c);
            }
            self.next[p] = p + 1;
            p = self.find(p + 1);
        }
        out
    }
}

impl<'e> Calls<'e> {
    /// The changing ones among the kill-switch's calls (in time order).
    pub fn new(all: &KillSwitchCalls<'e>) -> Calls<'e> {
        let mut out = Calls {
            list: Vec::new(),
            times: Vec::new(),
            by_step: HashMap::new(),
            by_name: HashMap::new(),
            claimed: Vec::new(),
        };
        for e in all.events() {
            let reads = e.read_only == Some(true)
                || ["Get", "List", "Describe"]
                    .iter()
                    .any(|p| e.event_name.starts_with(p));
            if reads {
                continue;
            }
            let Ok(view) = RecordView::parse(e.raw.get()) else {
                continue;
            };
            let mut names: Vec<String> = match view.request() {
                Value::Object(m) => m
                    .values()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            };
            names.sort();
            names.dedup();
            let n = out.list.len();
            let action = e.action();
            for name in &names {
                out.by_name.entry(name.clone()).or_default().push(n);
                out.by_step
                    .entry((action.clone(), name.clone()))
                    .or_default()
                    .push(n);
            }
            out.times.push(e.time.millis());
            out.claimed.push(false);
            out.list.push(e);
        }
        out
    }

    /// Whether any call, claimed or not, falls in `[from, to)`.
    pub fn any_in(&self, (from, to): (i64, i64)) -> bool {
        let p = self.times.partition_point(|&t| t < from);
        self.times.get(p).is_some_and(|&t| t < to)
    }

    /// Claim the unclaimed calls of `action` naming `target` in `[from, to)`, in time order.
    pub fn claim_step(&mut self, action: &str, target: &str, window: (i64, i64)) -> Vec<usize> {
        let key = (action.to_owned(), target.to_owned());
        match self.by_step.get_mut(&key) {
            Some(skip) => skip.take(&self.times, &mut self.claimed, window),
            None => Vec::new(),
        }
    }

    /// Claim the unclaimed calls in `[from, to)` naming any of `names`, in time order.
    pub fn claim_naming<'n>(
        &mut self,
        names: impl IntoIterator<Item = &'n String>,
        window: (i64, i64),
    ) -> Vec<usize> {
        let mut out = Vec::new();
        for name in names {
            if let Some(skip) = self.by_name.get_mut(name) {
                out.extend(skip.take(&self.times, &mut self.claimed, window));
            }
        }
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skip(calls: &[usize]) -> Skip {
        let mut s = Skip::default();
        calls.iter().for_each(|&c| s.push(c));
        s
    }

    #[test]
    fn take_claims_each_call_once_and_only_in_its_window() {
        let times = [0, 10, 10, 20, 30, 40];
        let mut claimed = vec![false; times.len()];
        let mut a = skip(&[0, 1, 2, 3, 4, 5]);
        let mut b = skip(&[1, 3, 5]);
        assert_eq!(a.take(&times, &mut claimed, (10, 21)), [1, 2, 3]);
        // Claimed through another index: stepped over, never returned again.
        assert_eq!(b.take(&times, &mut claimed, (0, 100)), [5]);
        assert_eq!(a.take(&times, &mut claimed, (0, 35)), [0, 4]);
        assert_eq!(a.take(&times, &mut claimed, (0, 100)), Vec::<usize>::new());
        assert!(claimed.iter().all(|&c| c));
    }

    #[test]
    fn a_window_before_or_after_every_call_takes_nothing() {
        let times = [5, 6];
        let mut claimed = vec![false; 2];
        let mut a = skip(&[0, 1]);
        assert!(a.take(&times, &mut claimed, (0, 5)).is_empty());
        assert!(a.take(&times, &mut claimed, (7, 9)).is_empty());
        assert_eq!(claimed, [false, false]);
    }
}
