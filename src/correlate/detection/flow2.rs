//! Flow 2's time (EventBridge rule -> SNS / kill-switch): the AWS/Events TriggeredRules minute
//! after the access, narrowed by the kill-switch's first call, or that call alone. Reads the
//! configuration evidence only.

use super::{Flow2, Flows};
use crate::model::Timestamp;

impl Flows<'_> {
    /// Flow 2 fired at or before the end of the first TriggeredRules minute with a count after
    /// the access; the kill-switch's first call in that minute, when earlier, tightens the bound.
    /// `access` names the first access in the sentence (`the read`, `the attempt`).
    pub fn flow2(
        &self,
        first_access: Timestamp,
        access: &str,
        window_ms: i64,
        first_kill: Option<Timestamp>,
    ) -> Flow2 {
        let triggered: Vec<_> = self
            .evidence
            .metrics
            .iter()
            .filter(|m| m.is_triggered_rules())
            .collect();
        let minute = triggered
            .iter()
            .flat_map(|m| m.points.iter())
            .filter(|(t, v)| {
                *v > 0.0
                    && t.millis() + 60_000 > first_access.millis()
                    && t.millis() <= first_access.millis() + window_ms
            })
            .map(|(t, _)| *t)
            .min();
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
                evidence: Some(
                    "the kill-switch's first call (no AWS/Events metrics in the evidence)".into(),
                ),
                unknown: if triggered.is_empty() {
                    vec!["flow2_triggered: no AWS/Events TriggeredRules metric data; inferred from the kill-switch".into()]
                } else {
                    vec!["flow2_triggered: TriggeredRules shows no trigger after the access; inferred from the kill-switch".into()]
                },
            },
            (None, None) => Flow2 {
                time: None,
                evidence: None,
                unknown: vec![if triggered.is_empty() {
                    crate::model::NO_RULE_EVIDENCE.into()
                } else {
                    "flow2_triggered: TriggeredRules shows no trigger after the access, and no kill-switch call is in the evidence".into()
                }],
            },
        }
    }
}
