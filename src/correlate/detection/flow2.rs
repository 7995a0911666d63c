//! Flow 2's time (EventBridge rule -> SNS / kill-switch): the AWS/Events TriggeredRules minute
//! after the access, narrowed by the kill-switch's first call, or that call alone. Only a series
//! naming a flow-2 rule (its `RuleName`, as the replay's "fired anyway" requires) says the rule
//! fired: a series naming no rule, or another one, is not this rule's firing, and the milestone
//! then rests on the kill-switch or is unknown, saying why. Reads the configuration evidence
//! only.

use super::{Flow2, Flows};
use crate::model::{MetricSeries, Timestamp, UNNAMED_RULE_EVIDENCE};

impl Flows<'_> {
    /// Flow 2 fired at or before the end of the first TriggeredRules minute with a count after
    /// the access, in a series naming a flow-2 rule; the kill-switch's first call in that
    /// minute, when earlier, tightens the bound. `access` names the first access in the
    /// sentence (`the read`, `the attempt`).
    pub fn flow2(
        &self,
        first_access: Timestamp,
        access: &str,
        window_ms: i64,
        first_kill: Option<Timestamp>,
    ) -> Flow2 {
        let (named, other): (Vec<&MetricSeries>, Vec<&MetricSeries>) = self
            .evidence
            .metrics
            .iter()
            .filter(|m| m.is_triggered_rules())
            .partition(|m| !m.named_rules(&self.rules).is_empty());
        let minute = first_minute(&named, first_access, window_ms).map(|(t, _)| t);
        // A firing only a series naming no flow-2 rule shows: said, not taken.
        let not_taken = first_minute(&other, first_access, window_ms).filter(|_| minute.is_none()).map(|(m, label)| {
            format!(
                "the AWS/Events TriggeredRules series \"{label}\" shows a rule firing in the minute starting {m}, but it does not name {} (no RuleName in its label or id), so it is not evidence that the rule fired",
                self.rules_named()
            )
        });
        match (minute, first_kill) {
            (Some(m), kill) => {
                let end = Timestamp(m.millis() + 60_000);
                // The time and the sentence say which of the two it rests on.
                let (time, evidence) = match kill {
                    Some(k) if k >= first_access && k < end => (
                        k,
                        format!("the kill-switch's first call after {access} (upper bound: the rule fired before it), inside the minute starting {m} in which AWS/Events TriggeredRules > 0"),
                    ),
                    _ => (
                        end.max(first_access),
                        format!("AWS/Events TriggeredRules > 0 in the minute starting {m} (upper bound; one-minute resolution)"),
                    ),
                };
                Flow2 {
                    time: Some(time),
                    evidence: Some(evidence),
                    unknown: Vec::new(),
                }
            }
            (None, Some(k)) => Flow2 {
                time: Some(k),
                evidence: Some(match &not_taken {
                    Some(why) => format!("the kill-switch's first call after {access}; {why}"),
                    None if named.is_empty() && other.is_empty() => {
                        "the kill-switch's first call (no AWS/Events metrics in the evidence)".into()
                    }
                    None if named.is_empty() => format!(
                        "the kill-switch's first call (no AWS/Events TriggeredRules series in the evidence names {})",
                        self.rules_named()
                    ),
                    None => "the kill-switch's first call (TriggeredRules shows no trigger after the access)".into(),
                }),
                unknown: vec![match not_taken {
                    Some(why) => format!("flow2_triggered: {why}; inferred from the kill-switch"),
                    None if named.is_empty() && other.is_empty() => "flow2_triggered: no AWS/Events TriggeredRules metric data; inferred from the kill-switch".into(),
                    None if named.is_empty() => format!(
                        "flow2_triggered: no AWS/Events TriggeredRules series in the evidence names {}; inferred from the kill-switch",
                        self.rules_named()
                    ),
                    None => "flow2_triggered: TriggeredRules shows no trigger after the access; inferred from the kill-switch".into(),
                }],
            },
            (None, None) => Flow2 {
                time: None,
                evidence: None,
                unknown: vec![if named.is_empty() && other.is_empty() {
                    crate::model::NO_RULE_EVIDENCE.into()
                } else if named.is_empty() {
                    format!(
                        "{UNNAMED_RULE_EVIDENCE}{}: {}, and no kill-switch call is in the evidence",
                        self.rules_named(),
                        not_taken.unwrap_or_else(|| "none shows a firing after the access either".into())
                    )
                } else {
                    "flow2_triggered: TriggeredRules shows no trigger after the access, and no kill-switch call is in the evidence".into()
                }],
            },
        }
    }

    /// The flow-2 rules, for a sentence: "rule R", "rules R, S", or that none is known.
    fn rules_named(&self) -> String {
        match self.rules.as_slice() {
            [] => "a flow-2 rule (none is known)".into(),
            [r] => format!("rule {r}"),
            rs => format!("rules {}", rs.join(", ")),
        }
    }
}

/// The first minute of `series` with a count that can hold an access at `from` (within
/// `window_ms`), and the label of the series that shows it.
fn first_minute<'m>(
    series: &[&'m MetricSeries],
    from: Timestamp,
    window_ms: i64,
) -> Option<(Timestamp, &'m str)> {
    series
        .iter()
        .flat_map(|m| m.points.iter().map(move |p| (p, m.label.as_str())))
        .filter(|((t, v), _)| {
            *v > 0.0
                && t.millis() + 60_000 > from.millis()
                && t.millis() <= from.millis() + window_ms
        })
        .map(|((t, _), label)| (*t, label))
        .min()
}
