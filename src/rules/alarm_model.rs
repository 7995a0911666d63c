//! The model's alarm (as collected by `DescribeAlarms`) turned into the definition the alarm
//! replay engine evaluates. Shared by the detection replay (`correlate::replay`) and the posture
//! checks (`posture`), so it lives below both. Imports only `model` and `rules::alarm`.

use super::alarm::{self, ComparisonOperator, Statistic, TreatMissingData};
use crate::model::AlarmDefinition;

/// The model's alarm on a metric filter's metric as the replay engine takes it, with the
/// filter's `defaultValue` (a property of the filter, not of the alarm); `Err` says why it
/// cannot be replayed.
pub fn alarm_definition(
    a: &AlarmDefinition,
    metric_default_value: Option<f64>,
) -> Result<alarm::AlarmDefinition, String> {
    let comparison = match a.comparison_operator.as_deref() {
        Some("GreaterThanOrEqualToThreshold") => ComparisonOperator::GreaterThanOrEqualToThreshold,
        Some("GreaterThanThreshold") => ComparisonOperator::GreaterThanThreshold,
        Some("LessThanThreshold") => ComparisonOperator::LessThanThreshold,
        Some("LessThanOrEqualToThreshold") => ComparisonOperator::LessThanOrEqualToThreshold,
        other => {
            return Err(format!(
                "alarm {}: comparison operator {} is not replayed (anomaly detection or missing)",
                a.name,
                other.unwrap_or("(none)")
            ))
        }
    };
    let statistic = match a.statistic.as_deref() {
        Some("Sum") => Statistic::Sum,
        Some("SampleCount") => Statistic::SampleCount,
        Some("Average") => Statistic::Average,
        Some("Minimum") => Statistic::Minimum,
        Some("Maximum") => Statistic::Maximum,
        other => {
            return Err(format!(
                "alarm {}: statistic {} is not replayed (percentiles or missing)",
                a.name,
                other.unwrap_or("(none)")
            ))
        }
    };
    let treat_missing_data = match a.treat_missing_data.as_deref() {
        None | Some("missing") => TreatMissingData::Missing,
        Some("notBreaching") => TreatMissingData::NotBreaching,
        Some("breaching") => TreatMissingData::Breaching,
        Some("ignore") => TreatMissingData::Ignore,
        Some(other) => {
            return Err(format!(
                "alarm {}: unknown TreatMissingData {other}",
                a.name
            ))
        }
    };
    let evaluation_periods = a.evaluation_periods.unwrap_or(1) as u32;
    Ok(alarm::AlarmDefinition {
        period_seconds: a.period.unwrap_or(60) as i64,
        evaluation_periods,
        datapoints_to_alarm: a
            .datapoints_to_alarm
            .map_or(evaluation_periods, |d| d as u32),
        threshold: a
            .threshold
            .ok_or_else(|| format!("alarm {}: no threshold", a.name))?,
        comparison,
        statistic,
        treat_missing_data,
        metric_default_value,
    })
}
