//! CloudWatch metric-alarm evaluation over the metric a metric filter would have published: pure replay that
//! says when an alarm would have entered ALARM and when it would have returned to OK.
//!
//! Simplifications (stated, not hidden): the alarm is evaluated once at the end of every period, with periods
//! aligned to multiples of the period length since the epoch (what CloudWatch does for 60 s periods); the
//! metric filter's `defaultValue` fills every minute without a match; the "missing" and "ignore" treatments
//! judge a partially missing window on the datapoints present instead of looking further back.

use thiserror::Error;

/// Above this many periods in a range the replay is refused (a typo in the range, not a real incident).
const MAX_PERIODS: i64 = 5_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComparisonOperator {
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
    /// Anomaly-detection band operators: need a model this replay does not have.
    LessThanLowerOrGreaterThanUpperThreshold,
    LessThanLowerThreshold,
    GreaterThanUpperThreshold,
}

impl ComparisonOperator {
    fn breaches(self, value: f64, threshold: f64) -> Result<bool, AlarmError> {
        Ok(match self {
            ComparisonOperator::GreaterThanOrEqualToThreshold => value >= threshold,
            ComparisonOperator::GreaterThanThreshold => value > threshold,
            ComparisonOperator::LessThanThreshold => value < threshold,
            ComparisonOperator::LessThanOrEqualToThreshold => value <= threshold,
            other => return Err(AlarmError::Unsupported(other)),
        })
    }

    fn phrase(self) -> &'static str {
        match self {
            ComparisonOperator::GreaterThanOrEqualToThreshold => "greater than or equal to",
            ComparisonOperator::GreaterThanThreshold => "greater than",
            ComparisonOperator::LessThanThreshold => "less than",
            ComparisonOperator::LessThanOrEqualToThreshold => "less than or equal to",
            _ => "outside the band of",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    Sum,
    SampleCount,
    Average,
    Minimum,
    Maximum,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreatMissingData {
    Missing,
    NotBreaching,
    Breaching,
    Ignore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlarmState {
    Ok,
    Alarm,
    InsufficientData,
}

/// A metric alarm on a metric-filter metric.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmDefinition {
    pub period_seconds: i64,
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: u32,
    pub threshold: f64,
    pub comparison: ComparisonOperator,
    pub statistic: Statistic,
    pub treat_missing_data: TreatMissingData,
    /// The metric filter's `defaultValue`, published for every minute without a match.
    pub metric_default_value: Option<f64>,
}

/// A change of alarm state at the end of the period that caused it.
#[derive(Debug, Clone, PartialEq)]
pub struct StateTransition {
    pub time: i64,
    pub from: AlarmState,
    pub to: AlarmState,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum AlarmError {
    #[error(
        "comparison operator {0:?} needs an anomaly-detection model, which replay does not support"
    )]
    Unsupported(ComparisonOperator),
    #[error("invalid alarm definition: {0}")]
    InvalidDefinition(&'static str),
    #[error("time range covers more than {MAX_PERIODS} periods")]
    RangeTooLong,
}

fn validate(def: &AlarmDefinition, from: i64, to: i64) -> Result<(), AlarmError> {
    def.comparison.breaches(0.0, 0.0)?;
    if def.period_seconds <= 0 {
        return Err(AlarmError::InvalidDefinition("period must be positive"));
    }
    if def.evaluation_periods == 0 {
        return Err(AlarmError::InvalidDefinition(
            "evaluation periods must be at least 1",
        ));
    }
    if def.datapoints_to_alarm == 0 || def.datapoints_to_alarm > def.evaluation_periods {
        return Err(AlarmError::InvalidDefinition(
            "datapoints to alarm must be between 1 and evaluation periods",
        ));
    }
    if to < from {
        return Err(AlarmError::InvalidDefinition(
            "the range ends before it starts",
        ));
    }
    if (to - from) / def.period_seconds > MAX_PERIODS {
        return Err(AlarmError::RangeTooLong);
    }
    Ok(())
}

/// The statistic of one period, `None` when the period has no datapoint at all.
fn period_value(def: &AlarmDefinition, sorted: &[(i64, f64)], start: i64) -> Option<f64> {
    let end = start + def.period_seconds;
    let lo = sorted.partition_point(|p| p.0 < start);
    let hi = sorted.partition_point(|p| p.0 < end);
    let mut values: Vec<f64> = sorted[lo..hi].iter().map(|p| p.1).collect();
    if let Some(default) = def.metric_default_value {
        let mut minute = start.div_euclid(60) * 60;
        while minute < end {
            let has_match = sorted[lo..hi]
                .iter()
                .any(|p| p.0.div_euclid(60) * 60 == minute);
            if !has_match && minute >= start {
                values.push(default);
            }
            minute += 60;
        }
    }
    if values.is_empty() {
        return None;
    }
    let sum: f64 = values.iter().sum();
    Some(match def.statistic {
        Statistic::Sum => sum,
        Statistic::SampleCount => values.len() as f64,
        Statistic::Average => sum / values.len() as f64,
        Statistic::Minimum => values.iter().copied().fold(f64::INFINITY, f64::min),
        Statistic::Maximum => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    })
}

/// The state one evaluation window leads to, with the reason; `None` keeps the current state.
fn judge(
    def: &AlarmDefinition,
    window: &[Option<f64>],
) -> Result<Option<(AlarmState, String)>, AlarmError> {
    let n = window.len();
    let m = def.datapoints_to_alarm as usize;
    let present = window.iter().flatten().count();
    let mut breaching = 0;
    for value in window.iter().flatten() {
        if def.comparison.breaches(*value, def.threshold)? {
            breaching += 1;
        }
    }
    let missing = n - present;
    if def.treat_missing_data == TreatMissingData::Breaching {
        breaching += missing;
    }
    let summary = |count: usize| {
        format!(
            "{count} out of the last {n} datapoints {} {} the threshold ({})",
            if count == 1 { "was" } else { "were" },
            def.comparison.phrase(),
            def.threshold
        )
    };
    if breaching >= m {
        return Ok(Some((
            AlarmState::Alarm,
            format!("Threshold Crossed: {}", summary(breaching)),
        )));
    }
    if present == 0 {
        return Ok(match def.treat_missing_data {
            TreatMissingData::Missing => Some((
                AlarmState::InsufficientData,
                format!("Insufficient Data: {n} datapoints were unknown"),
            )),
            TreatMissingData::Ignore => None,
            TreatMissingData::NotBreaching | TreatMissingData::Breaching => Some((
                AlarmState::Ok,
                format!("Threshold Crossed: no datapoints were received for {n} periods, treated as not breaching"),
            )),
        });
    }
    Ok(Some((
        AlarmState::Ok,
        format!("Threshold Crossed: {}", summary(breaching)),
    )))
}

/// Replays the alarm over `[from, to]` (unix seconds): one evaluation at the end of each period, starting in
/// `INSUFFICIENT_DATA`, and returns every state change in time order.
pub fn evaluate(
    def: &AlarmDefinition,
    points: &[(i64, f64)],
    from: i64,
    to: i64,
) -> Result<Vec<StateTransition>, AlarmError> {
    evaluate_from(def, points, from, to, AlarmState::InsufficientData)
}

/// [`evaluate`] starting in `state`: an alarm whose definition an update replaced at `from`
/// keeps the state it was in (CloudWatch API Reference, PutMetricAlarm), so only a change from
/// it is a transition.
pub fn evaluate_from(
    def: &AlarmDefinition,
    points: &[(i64, f64)],
    from: i64,
    to: i64,
    state: AlarmState,
) -> Result<Vec<StateTransition>, AlarmError> {
    validate(def, from, to)?;
    let mut sorted = points.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let period = def.period_seconds;
    let n = def.evaluation_periods as i64;
    let mut state = state;
    let mut transitions = Vec::new();
    let mut window: Vec<Option<f64>> = Vec::with_capacity(n as usize);
    // The first evaluation is at the first period boundary after `from`.
    let mut end = from.div_euclid(period) * period + period;
    while end <= to {
        window.clear();
        for k in (1..=n).rev() {
            window.push(period_value(def, &sorted, end - k * period));
        }
        if let Some((next, reason)) = judge(def, &window)? {
            if next != state {
                transitions.push(StateTransition {
                    time: end,
                    from: state,
                    to: next,
                    reason,
                });
                state = next;
            }
        }
        end += period;
    }
    Ok(transitions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(n: u32, m: u32, missing: TreatMissingData) -> AlarmDefinition {
        AlarmDefinition {
            period_seconds: 60,
            evaluation_periods: n,
            datapoints_to_alarm: m,
            threshold: 1.0,
            comparison: ComparisonOperator::GreaterThanOrEqualToThreshold,
            statistic: Statistic::Sum,
            treat_missing_data: missing,
            metric_default_value: None,
        }
    }

    fn states(t: &[StateTransition]) -> Vec<(i64, AlarmState)> {
        t.iter().map(|t| (t.time, t.to)).collect()
    }

    #[test]
    fn one_match_fires_at_the_end_of_its_minute() {
        let t = evaluate(
            &def(1, 1, TreatMissingData::NotBreaching),
            &[(90, 1.0)],
            0,
            240,
        )
        .unwrap();
        assert_eq!(
            states(&t),
            [
                (60, AlarmState::Ok),
                (120, AlarmState::Alarm),
                (180, AlarmState::Ok)
            ]
        );
        assert!(t[1]
            .reason
            .starts_with("Threshold Crossed: 1 out of the last 1 datapoints was"));
    }

    #[test]
    fn two_of_three_datapoints() {
        let d = def(3, 2, TreatMissingData::NotBreaching);
        let t = evaluate(&d, &[(10, 1.0)], 0, 300).unwrap();
        assert!(!states(&t).iter().any(|s| s.1 == AlarmState::Alarm));
        let t = evaluate(&d, &[(10, 1.0), (130, 1.0)], 0, 360).unwrap();
        assert_eq!(
            states(&t),
            [
                (60, AlarmState::Ok),
                (180, AlarmState::Alarm),
                (240, AlarmState::Ok)
            ]
        );
    }

    #[test]
    fn missing_data_treatments() {
        let none: &[(i64, f64)] = &[];
        let t = evaluate(&def(1, 1, TreatMissingData::NotBreaching), none, 0, 120).unwrap();
        assert_eq!(states(&t), [(60, AlarmState::Ok)]);
        let t = evaluate(&def(1, 1, TreatMissingData::Breaching), none, 0, 120).unwrap();
        assert_eq!(states(&t), [(60, AlarmState::Alarm)]);
        let t = evaluate(&def(1, 1, TreatMissingData::Missing), none, 0, 120).unwrap();
        assert!(t.is_empty(), "stays INSUFFICIENT_DATA");
        let t = evaluate(&def(1, 1, TreatMissingData::Ignore), &[(10, 1.0)], 0, 240).unwrap();
        assert_eq!(
            states(&t),
            [(60, AlarmState::Alarm)],
            "ignore keeps ALARM through empty minutes"
        );
        let t = evaluate(&def(1, 1, TreatMissingData::Missing), &[(10, 1.0)], 0, 240).unwrap();
        assert_eq!(
            states(&t),
            [(60, AlarmState::Alarm), (120, AlarmState::InsufficientData)]
        );
    }

    #[test]
    fn sum_versus_sample_count() {
        let mut d = def(1, 1, TreatMissingData::NotBreaching);
        d.threshold = 3.0;
        // Three matches with metricValue 1: Sum = SampleCount = 3; one match with metricValue 5: Sum 5, count 1.
        let points = [(5, 1.0), (6, 1.0), (7, 1.0), (65, 5.0)];
        let t = evaluate(&d, &points, 0, 120).unwrap();
        assert_eq!(states(&t), [(60, AlarmState::Alarm)]);
        d.statistic = Statistic::SampleCount;
        let t = evaluate(&d, &points, 0, 120).unwrap();
        assert_eq!(states(&t), [(60, AlarmState::Alarm), (120, AlarmState::Ok)]);
    }

    #[test]
    fn default_value_fills_empty_minutes() {
        let mut d = def(1, 1, TreatMissingData::Missing);
        d.metric_default_value = Some(0.0);
        let t = evaluate(&d, &[], 0, 120).unwrap();
        assert_eq!(
            states(&t),
            [(60, AlarmState::Ok)],
            "a published 0 is data, not missing"
        );
    }

    #[test]
    fn anomaly_operators_are_unsupported() {
        let mut d = def(1, 1, TreatMissingData::Missing);
        d.comparison = ComparisonOperator::GreaterThanUpperThreshold;
        assert!(matches!(
            evaluate(&d, &[], 0, 60),
            Err(AlarmError::Unsupported(_))
        ));
        d.comparison = ComparisonOperator::GreaterThanThreshold;
        d.datapoints_to_alarm = 2;
        assert!(matches!(
            evaluate(&d, &[], 0, 60),
            Err(AlarmError::InvalidDefinition(_))
        ));
    }
}
