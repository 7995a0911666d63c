//! When each flow should have fired for an access, and when the evidence says it did.
//!
//! Flow 1: the alarm on the filter's metric is replayed over every match of the filter (noise
//! included, as CloudWatch would see it), with the alarm's own definition. Flow 2: an event
//! EventBridge delivers to the rule (in a state that receives it: `state`) is assumed to reach
//! it within seconds, so the prediction is the event time.

use crate::model::{AlarmHistoryItem, ConfigEvidence, MetricSeries, Timestamp};
use crate::rules::alarm::{self, AlarmState, StateTransition};

/// The delivery delay from CloudTrail to CloudWatch Logs the "latest" prediction allows for.
pub const ASSUMED_DELIVERY_DELAY_SECS: i64 = 300;

/// The alarm replayed over all its metric points, from before the first to after the last.
pub fn replay_alarm(
    def: &alarm::AlarmDefinition,
    points: &[(i64, f64)],
    accesses: &[i64],
) -> Result<Vec<StateTransition>, String> {
    let times = points.iter().map(|p| p.0).chain(accesses.iter().copied());
    let (Some(lo), Some(hi)) = (times.clone().min(), times.max()) else {
        return Ok(Vec::new());
    };
    let span = def.period_seconds * (def.evaluation_periods as i64 + 1);
    alarm::evaluate(def, points, lo - span, hi + span).map_err(|e| e.to_string())
}

/// Flow 1's prediction for an access at `t`: the ALARM transition in force at the first
/// evaluation (within the evaluation window) that finds the alarm in ALARM, and whether that
/// transition happened before this access's period ended (the alarm was already firing).
pub fn predicted_alarm(
    def: &alarm::AlarmDefinition,
    transitions: &[StateTransition],
    t: i64,
) -> Option<(i64, bool)> {
    let p = def.period_seconds;
    if p <= 0 {
        // Refused by the alarm's replay; never divided by.
        return None;
    }
    let first_eval = t.div_euclid(p) * p + p;
    let state_at = |when: i64| {
        transitions
            .iter()
            .take_while(|tr| tr.time <= when)
            .last()
            .map(|tr| (tr.to, tr.time))
    };
    (0..def.evaluation_periods as i64)
        .map(|k| first_eval + k * p)
        .find_map(|when| match state_at(when) {
            Some((AlarmState::Alarm, since)) => Some((since, since < first_eval)),
            _ => None,
        })
}

/// The first ALARM transition of `alarm` in the history at or after `from`, within `window_ms`.
pub fn actual_alarm<'e>(
    evidence: &'e ConfigEvidence,
    alarm: &str,
    from: Timestamp,
    window_ms: i64,
) -> Option<&'e AlarmHistoryItem> {
    evidence
        .alarm_history
        .iter()
        .filter(|h| h.alarm_name == alarm && h.item_type == "StateUpdate")
        .filter(|h| h.new_state.as_deref() == Some("ALARM"))
        .find(|h| h.time >= from && h.time.millis() <= from.millis() + window_ms)
}

/// What an access's actual flow-1 time rests on: the alarm history's transition, and, when
/// its item's HistoryData was cut, that it rests on the item's summary only.
pub fn alarm_evidence(h: &AlarmHistoryItem) -> String {
    match h.transition_from_summary() {
        Some(rests) => format!(
            "alarm history: {} entered ALARM; the transition ({}) {rests}",
            h.alarm_name,
            crate::correlate::alarm_links::cite(h)
        ),
        None => format!("alarm history: {} entered ALARM", h.alarm_name),
    }
}

/// The evidence's TriggeredRules series as one flow-2 rule's replay reads them.
pub struct Triggered<'e> {
    /// Those naming the rule ([`MetricSeries::names_rule`]): the only ones that say it fired.
    pub named: Vec<&'e MetricSeries>,
    /// Those naming no flow-2 rule (the account's rules together, or a rule the export does not
    /// name): shown as what they are, never taken for the rule's firing nor timed from.
    pub unnamed: Vec<&'e MetricSeries>,
}

/// The TriggeredRules series of the evidence for `rule`, one of the case's flow-2 `rules`. A
/// series naming another flow-2 rule is in neither list.
pub fn triggered_series<'e>(
    evidence: &'e ConfigEvidence,
    rule: &str,
    rules: &[String],
) -> Triggered<'e> {
    let mut out = Triggered {
        named: Vec::new(),
        unnamed: Vec::new(),
    };
    for m in evidence.metrics.iter().filter(|m| m.is_triggered_rules()) {
        if m.names_rule(rule) {
            out.named.push(m);
        } else if m.named_rules(rules).is_empty() {
            out.unnamed.push(m);
        }
    }
    out
}

/// The first minute of `series` with a count that can hold an access at `t` (the minute holding
/// it or the next), with the count and the series' label.
fn first_count<'m>(series: &[&'m MetricSeries], t: Timestamp) -> Option<(Timestamp, f64, &'m str)> {
    series
        .iter()
        .flat_map(|m| {
            m.points
                .iter()
                .map(move |(at, v)| (*at, *v, m.label.as_str()))
        })
        .filter(|(m, v, _)| *v > 0.0 && m.millis() + 60_000 > t.millis())
        .filter(|(m, _, _)| m.millis() <= t.millis() + 60_000)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(b.2)))
}

/// What a series naming no flow-2 rule shows after an access at `t`, as what it is (its label,
/// its count and minute), or `None` when it shows no count then.
pub fn unnamed_count(series: &[&MetricSeries], t: Timestamp) -> Option<String> {
    let (minute, v, label) = first_count(series, t)?;
    Some(format!(
        "AWS/Events TriggeredRules series \"{label}\", which {}: {v} in the minute starting {minute}",
        crate::model::SERIES_NAMES_NO_RULE
    ))
}

/// The sentence a replay row gives an unnamed series' count ([`unnamed_count`]) for `rule`.
pub fn not_this_rule(unnamed: &str, rule: &str) -> String {
    format!("{unnamed}: not evidence that rule {rule} fired")
}

/// Flow 2's actual firing for an access at `t`: the end of the first TriggeredRules minute that
/// can hold it (an upper bound at one-minute resolution), or an earlier kill-switch call in it.
/// `series` must name the rule ([`Triggered::named`]).
pub fn actual_trigger(
    series: &[&MetricSeries],
    t: Timestamp,
    kill_calls: &[Timestamp],
) -> Option<(Timestamp, String)> {
    let (minute, _, _) = first_count(series, t)?;
    let end = Timestamp(minute.millis() + 60_000);
    match kill_calls.iter().copied().find(|k| *k >= t && *k < end) {
        Some(k) => Some((
            k,
            format!("the kill-switch's first call after the access, inside the TriggeredRules minute starting {minute}"),
        )),
        None => Some((
            end,
            format!("AWS/Events TriggeredRules > 0 in the minute starting {minute} (upper bound; one-minute resolution)"),
        )),
    }
}

/// actual - predicted, in seconds, when both are known.
pub fn delay(predicted: Option<Timestamp>, actual: Option<Timestamp>) -> Option<f64> {
    Some(predicted?.seconds_until(actual?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::alarm::{ComparisonOperator, Statistic, TreatMissingData};

    fn def() -> alarm::AlarmDefinition {
        alarm::AlarmDefinition {
            period_seconds: 60,
            evaluation_periods: 1,
            datapoints_to_alarm: 1,
            threshold: 1.0,
            comparison: ComparisonOperator::GreaterThanOrEqualToThreshold,
            statistic: Statistic::Sum,
            treat_missing_data: TreatMissingData::NotBreaching,
            metric_default_value: None,
        }
    }

    #[test]
    fn a_second_access_while_in_alarm_is_already_covered() {
        let d = def();
        let points = [(137, 1.0), (185, 1.0)];
        let tr = replay_alarm(&d, &points, &[137, 185]).unwrap();
        assert_eq!(predicted_alarm(&d, &tr, 137), Some((180, false)));
        assert_eq!(predicted_alarm(&d, &tr, 185), Some((180, true)));
    }

    fn series(label: &str, points: &[(i64, f64)]) -> MetricSeries {
        MetricSeries {
            id: "r0m0".into(),
            label: label.into(),
            points: points
                .iter()
                .map(|&(s, v)| (Timestamp(s * 1000), v))
                .collect(),
            origin: crate::model::Origin { input: 0, index: 0 },
        }
    }

    #[test]
    fn a_series_names_a_rule_by_a_whole_word() {
        let names = |label: &str| series(label, &[]).names_rule("Honeytoken");
        assert!(names("Honeytoken TriggeredRules"));
        assert!(names(
            "arn:aws:events:us-east-1:123456789012:rule/Honeytoken"
        ));
        assert!(!names("HoneytokenOther TriggeredRules"));
        assert!(!names("TriggeredRules"));
    }

    /// A rule's replay reads the series naming it; one naming no flow-2 rule is said as what
    /// it is and never times it; one naming another flow-2 rule is in neither list.
    #[test]
    fn only_a_series_naming_the_rule_times_it() {
        let rules = ["A".to_string(), "B".to_string()];
        let evidence = ConfigEvidence {
            metrics: vec![
                series("A TriggeredRules", &[(120, 1.0)]),
                series("B TriggeredRules", &[(60, 1.0)]),
                series("TriggeredRules", &[(60, 2.0)]),
            ],
            ..Default::default()
        };
        let split = triggered_series(&evidence, "A", &rules);
        let labels = |v: &[&MetricSeries]| v.iter().map(|m| m.label.clone()).collect::<Vec<_>>();
        assert_eq!(labels(&split.named), ["A TriggeredRules"]);
        assert_eq!(labels(&split.unnamed), ["TriggeredRules"]);
        let read = Timestamp(70_000);
        let (actual, _) = actual_trigger(&split.named, read, &[]).unwrap();
        assert_eq!(
            actual,
            Timestamp(180_000),
            "A's own minute, not the earlier unnamed one"
        );
        assert_eq!(
            unnamed_count(&split.unnamed, read).unwrap(),
            format!("AWS/Events TriggeredRules series \"TriggeredRules\", which {}: 2 in the minute starting {}", crate::model::SERIES_NAMES_NO_RULE, Timestamp(60_000))
        );
        let alone = triggered_series(&evidence, "A", &rules[..1]);
        assert_eq!(
            labels(&alone.unnamed),
            ["B TriggeredRules", "TriggeredRules"]
        );
    }

    #[test]
    fn a_match_below_the_threshold_does_not_fire() {
        let mut d = def();
        d.threshold = 5.0;
        let tr = replay_alarm(&d, &[(137, 1.0)], &[137]).unwrap();
        assert_eq!(predicted_alarm(&d, &tr, 137), None);
    }
}
