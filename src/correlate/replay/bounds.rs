//! How much of the replay is kept: noise examples per rule and access rows per flow, shared
//! out among the rules replayed, and the cut of one flow's rows once it is judged.
//!
//! Pure: depends on the model only.

use crate::model::FlowReplay;

/// Noise examples kept per rule, at most: fewer when there are many rules (see
/// [`examples_per_rule`]).
pub const MAX_EXAMPLES: usize = 1_000;
/// Noise examples kept for all rules together, past ten rules: an account with thousands of
/// filters on `GetSecretValue` would otherwise keep a thousand copies of each example.
const EXAMPLES_IN_ALL: usize = 10_000;
/// Noise examples kept per rule, at least.
const MIN_EXAMPLES: usize = 10;

/// Accesses listed per flow in all, and at most and at least per flow (see [`access_rows_per_flow`]).
const ACCESS_ROWS_IN_ALL: usize = 20_000;
const MAX_ACCESS_ROWS: usize = 1_000;
const MIN_ACCESS_ROWS: usize = 10;

/// How many accesses each of `rules` replayed rules lists.
pub fn access_rows_per_flow(rules: usize) -> usize {
    (ACCESS_ROWS_IN_ALL / rules.max(1)).clamp(MIN_ACCESS_ROWS, MAX_ACCESS_ROWS)
}

/// List at most `cap` accesses of the flow, the missed ones first, in time order; the totals
/// keep every access. Once its judgement is taken: the findings read every access.
pub fn bound_rows(f: &mut FlowReplay, cap: usize) {
    if f.accesses.len() > cap {
        let mut order: Vec<usize> = (0..f.accesses.len()).collect();
        order.sort_by_key(|&n| (f.accesses[n].matched, n));
        let mut keep = vec![false; f.accesses.len()];
        for &n in &order[..cap] {
            keep[n] = true;
        }
        let mut k = keep.into_iter();
        f.accesses.retain(|_| k.next().unwrap_or(false));
    }
    f.matched_accesses.truncate(cap);
    f.missed_accesses.truncate(cap);
    // The rows of every flow are kept: give back what the cut ones took.
    f.accesses.shrink_to_fit();
    f.matched_accesses.shrink_to_fit();
    f.missed_accesses.shrink_to_fit();
}

/// How many noise examples each of `rules` replayed rules keeps.
pub fn examples_per_rule(rules: usize) -> usize {
    (EXAMPLES_IN_ALL / rules.max(1)).clamp(MIN_EXAMPLES, MAX_EXAMPLES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccessReplay, FlowKind, Replay, Timestamp};
    fn access(n: i64, matched: bool) -> AccessReplay {
        AccessReplay {
            incident: "INC-001".into(),
            event_id: format!("e{n}"),
            time: Timestamp::from_secs(n),
            matched,
            predicted: None,
            predicted_latest: None,
            actual: None,
            actual_evidence: None,
            delay_seconds: None,
            note: None,
            missed_because: None,
            by_state: crate::model::StateDelivery::Delivered,
            definition: None,
            collected_matches: matched,
            rule_state: None,
            rule_state_basis: None,
            state_set_by: None,
            alarm_definition: None,
        }
    }

    /// Past the bound, the missed accesses are listed first, then the earliest matched ones,
    /// in time order; the totals are not touched.
    #[test]
    fn bounded_rows_keep_the_missed_first_in_time_order() {
        let accesses: Vec<AccessReplay> = (0..5).map(|n| access(n, n < 3)).collect();
        let mut r = Replay {
            flows: vec![FlowReplay {
                flow: FlowKind::EventRule,
                resource: "r".into(),
                pattern: "{}".into(),
                alarm: None,
                alarm_basis: None,
                error: None,
                matches: 3,
                matches_at_least: false,
                accesses_total: 5,
                matched_total: 3,
                missed_total: 2,
                matched_accesses: vec!["e0".into(), "e1".into(), "e2".into()],
                missed_accesses: vec!["e3".into(), "e4".into()],
                accesses,
                noise_count: 0,
                noise_examples: Vec::new(),
                predicted_pages: Some(3),
                pages_unknown: None,
            }],
            assumptions: Vec::new(),
            records_evaluated: 5,
            max_examples: 10,
            max_access_rows: 3,
        };
        bound_rows(&mut r.flows[0], r.max_access_rows);
        let f = &r.flows[0];
        let ids: Vec<&str> = f.accesses.iter().map(|a| a.event_id.as_str()).collect();
        assert_eq!(ids, ["e0", "e3", "e4"]);
        assert_eq!(f.matched_accesses, ["e0", "e1", "e2"]);
        assert_eq!(f.missed_accesses, ["e3", "e4"]);
        assert_eq!(
            (f.accesses_total, f.matched_total, f.missed_total),
            (5, 3, 2)
        );
        assert_eq!(access_rows_per_flow(2), 1_000);
        assert_eq!(access_rows_per_flow(100), 200);
        assert_eq!(access_rows_per_flow(8_000), 10);
    }
}
