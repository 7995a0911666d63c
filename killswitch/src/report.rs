//! The kill-switch's result: what it decided, about whom, when, and each step's outcome. Published
//! to SNS and logged as one JSON document (`schema_version` 1), which trailcase reads as evidence.
//! The format itself is `trailcase_common::killswitch`; what the steps add up to is decided here.

// The format is shared with trailcase (which reads it) and samplegen: trailcase-common.
pub use trailcase_common::killswitch::{
    ContainmentResult, Decision, Step, StepOutcome, SCHEMA_VERSION, TOOL,
};

/// The decision the steps of a containment add up to.
pub fn decide(steps: &[Step]) -> Decision {
    let count = |o: StepOutcome| steps.iter().filter(|s| s.outcome == o).count();
    let failed = count(StepOutcome::Failed);
    if failed > 0 {
        return if failed == steps.len() {
            Decision::Failed
        } else {
            Decision::PartiallyContained
        };
    }
    if count(StepOutcome::WouldDo) > 0 {
        Decision::WouldContain
    } else if count(StepOutcome::Done) > 0 {
        Decision::Contained
    } else {
        Decision::AlreadyContained
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decision_follows_the_steps() {
        let s = |o| Step::new("iam:X", "t", o, "");
        use StepOutcome::*;
        assert_eq!(decide(&[s(Done), s(Unchanged)]), Decision::Contained);
        assert_eq!(decide(&[s(Unchanged)]), Decision::AlreadyContained);
        assert_eq!(decide(&[s(Done), s(Failed)]), Decision::PartiallyContained);
        assert_eq!(decide(&[s(Failed)]), Decision::Failed);
        assert_eq!(decide(&[s(WouldDo), s(Unchanged)]), Decision::WouldContain);
    }
}
