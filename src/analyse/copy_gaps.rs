//! What the copy count over every record read (`copy_count`) gives the timeline: its numbers
//! when it compared every record it had to, and otherwise a `copy_count_incomplete` gap and
//! `Timeline::copy_count` saying the numbers are a lower bound, which count and why. A count
//! that failed is never replaced in silence by the kept rows' own count. Pure: takes the
//! count's result, returns values; depends on nothing but the model.

use super::copy_count::{Counted, Differing};
use crate::model::{CopiesCounted, Gap, GapKind, InputSummary, Timeline};
use std::collections::BTreeMap;
use std::io;

/// How the count over every record read ended.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Complete,
    /// Records that share an eventID with another could not be read again, by input.
    Partial(BTreeMap<u32, u64>),
    /// The count failed (the error).
    Failed(String),
}

impl Outcome {
    /// The outcome of `all`, the copies it counted (none when it failed) and the records it
    /// found differing under one eventID.
    pub(super) fn of(all: io::Result<Counted>) -> (Outcome, u64, Vec<Differing>) {
        match all {
            Err(e) => (Outcome::Failed(e.to_string()), 0, Vec::new()),
            Ok(c) if c.unread.is_empty() => (Outcome::Complete, c.duplicates, c.differing),
            Ok(c) => (Outcome::Partial(c.unread), c.duplicates, c.differing),
        }
    }

    /// States the outcome in `t`, whose copy numbers are set: `copy_count`, and the gaps that
    /// say why the numbers are a lower bound, if they are.
    pub fn state(&self, t: &mut Timeline) {
        t.copy_count = self.counted();
        let gaps = self.gaps(t.duplicates_dropped, t.conflicting_copies, &t.inputs);
        t.gaps.extend(gaps);
        t.gaps.sort();
    }

    /// What `summary.copy_count` says.
    pub(super) fn counted(&self) -> CopiesCounted {
        match self {
            Outcome::Complete => CopiesCounted::Complete,
            Outcome::Partial(_) => CopiesCounted::Partial,
            Outcome::Failed(_) => CopiesCounted::KeptRowsOnly,
        }
    }

    /// The gaps that say so, given the numbers the timeline states (`duplicates` dropped,
    /// `conflicting` copies kept): none when the count is complete, one of the run when it
    /// failed, one per input with records not compared.
    pub(super) fn gaps(
        &self,
        duplicates: u64,
        conflicting: u64,
        inputs: &[InputSummary],
    ) -> Vec<Gap> {
        let numbers = format!(
            "summary.duplicates_dropped ({duplicates}) and summary.conflicting_copies ({conflicting}) are a lower bound, not a complete count"
        );
        match self {
            Outcome::Complete => Vec::new(),
            Outcome::Failed(error) => vec![Gap::of_all_inputs(
                GapKind::CopyCountIncomplete,
                format!(
                    "the count of copies over every record read failed ({error}): {numbers}; they count only the copies among the records the analysis kept (the honeytoken's reads, the actors' records, the pipeline's changes), and whether any other record read was a copy of another, or a different record under its eventID, is unknown (summary.copy_count is kept_rows_only)"
                ),
            )],
            Outcome::Partial(unread) => unread
                .iter()
                .map(|(&input, n)| Gap {
                    path: inputs
                        .get(input as usize)
                        .map_or_else(|| format!("(input {input})"), |i| i.path.to_string()),
                    index: None,
                    kind: GapKind::CopyCountIncomplete,
                    reason: format!(
                        "{n} record(s) of this input share an eventID with another record read but could not be read again to compare their content for the copy count (the input changed or became unreadable after the first pass read it): whether they are copies or different records under one eventID is unknown, and {numbers} (summary.copy_count is partial)"
                    ),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str) -> InputSummary {
        InputSummary {
            path: path.into(),
            sha256: String::new(),
            size: 0,
            kind: "cloudtrail-records".into(),
            records_read: 2,
            records_rejected: 0,
        }
    }

    /// A count that failed (a temporary file of it unreadable) is no longer the kept rows'
    /// count in silence: it counts no copy of its own, says `kept_rows_only`, and its gap names
    /// the count, the error and what the numbers then rest on.
    #[test]
    fn a_failed_count_is_a_named_gap_not_the_kept_rows_count() {
        let (outcome, duplicates, differing) = Outcome::of(Err(io::Error::other("run unreadable")));
        assert_eq!((duplicates, differing.len()), (0, 0));
        assert_eq!(outcome.counted(), CopiesCounted::KeptRowsOnly);
        let gaps = outcome.gaps(3, 0, &[input("a.json")]);
        assert_eq!(gaps.len(), 1);
        assert_eq!(gaps[0].kind, GapKind::CopyCountIncomplete);
        assert_eq!(gaps[0].path, "(all inputs)");
        for said in [
            "the count of copies over every record read failed (run unreadable)",
            "summary.duplicates_dropped (3)",
            "a lower bound",
            "only the copies among the records the analysis kept",
            "kept_rows_only",
        ] {
            assert!(gaps[0].reason.contains(said), "{said}: {}", gaps[0].reason);
        }
    }

    /// Records that could not be read again (their input changed after the first pass): a gap
    /// per input, naming it and how many records were not compared; `partial`.
    #[test]
    fn records_not_read_again_are_a_gap_of_their_input() {
        let counted = Counted {
            duplicates: 1,
            differing: Vec::new(),
            unread: BTreeMap::from([(1, 2)]),
        };
        let (outcome, duplicates, _) = Outcome::of(Ok(counted));
        assert_eq!(duplicates, 1);
        assert_eq!(outcome.counted(), CopiesCounted::Partial);
        let gaps = outcome.gaps(1, 0, &[input("a.json"), input("b.json")]);
        assert_eq!(gaps.len(), 1);
        assert_eq!(gaps[0].path, "b.json");
        assert!(
            gaps[0].reason.starts_with("2 record(s) of this input"),
            "{}",
            gaps[0].reason
        );
        assert!(gaps[0].reason.contains("changed or became unreadable"));
        assert!(gaps[0].reason.contains("partial"));
    }

    #[test]
    fn a_complete_count_has_no_gap() {
        let counted = Counted {
            duplicates: 4,
            differing: Vec::new(),
            unread: BTreeMap::new(),
        };
        let (outcome, duplicates, _) = Outcome::of(Ok(counted));
        assert_eq!(
            (outcome.counted(), duplicates),
            (CopiesCounted::Complete, 4)
        );
        assert!(outcome.gaps(4, 0, &[]).is_empty());
    }
}
