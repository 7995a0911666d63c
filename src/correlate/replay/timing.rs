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

/// TriggeredRules series that can speak for `rule`: those naming it, else every one when the
/// case has a single flow-2 rule (the metric's label does not always name its rule).
pub fn triggered_series<'e>(
    evidence: &'e ConfigEvidence,
    rule: &str,
    single_rule: bool,
) -> Vec<&'e MetricSeries> {
    let triggered: Vec<&MetricSeries> = evidence
        .metrics
        .iter()
        .filter(|m| m.is_triggered_rules())
        .collect();
    let named: Vec<&MetricSeries> = triggered
        .iter()
        .copied()
        .filter(|m| names_rule(m, rule))
        .collect();
    if !named.is_empty() || !single_rule {
        named
    } else {
        triggered
    }
}

/// Whether a metric series names `rule` ([`MetricSeries::names_rule`]).
pub fn names_rule(m: &MetricSeries, rule: &str) -> bool {
    m.names_rule(rule)
}

/// Flow 2's actual firing for an access at `t`: the end of the first TriggeredRules minute that
/// can hold it (an upper bound at one-minute resolution), or an earlier kill-switch call in it.
pub fn actual_trigger(
    series: &[&MetricSeries],
    t: Timestamp,
    kill_calls: &[Timestamp],
) -> Option<(Timestamp, String)> {
    let minute = series
        .iter()
        .flat_map(|m| m.points.iter())
        .filter(|(m, v)| *v > 0.0 && m.millis() + 60_000 > t.millis())
        .filter(|(m, _)| m.millis() <= t.millis() + 60_000)
        .map(|(m, _)| *m)
        .min()?;
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

    #[test]
    fn a_series_names_a_rule_by_a_whole_word() {
        let series = |label: &str| MetricSeries {
            id: "r0m0".into(),
            label: label.into(),
            points: Vec::new(),
            origin: crate::model::Origin { input: 0, index: 0 },
        };
        assert!(names_rule(
            &series("Honeytoken TriggeredRules"),
            "Honeytoken"
        ));
        assert!(names_rule(
            &series("arn:aws:events:us-east-1:123456789012:rule/Honeytoken"),
            "Honeytoken"
        ));
        assert!(!names_rule(
            &series("HoneytokenOther TriggeredRules"),
            "Honeytoken"
        ));
        assert!(!names_rule(&series("TriggeredRules"), "Honeytoken"));
    }

    #[test]
    fn a_match_below_the_threshold_does_not_fire() {
        let mut d = def();
        d.threshold = 5.0;
        let tr = replay_alarm(&d, &[(137, 1.0)], &[137]).unwrap();
        assert_eq!(predicted_alarm(&d, &tr, 137), None);
    }
}
