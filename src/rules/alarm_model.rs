//! The model's alarm (as collected by `DescribeAlarms`) turned into the definition the alarm
//! replay engine evaluates. Shared by the detection replay (`correlate::replay`) and the posture
//! checks (`posture`), so it lives below both. Imports only `model` and `rules::alarm`.

use super::alarm::{self, ComparisonOperator, Statistic, TreatMissingData};
use crate::model::AlarmDefinition;
use thiserror::Error;

/// Why a collected alarm cannot be replayed (shown as the flow's replay error).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AlarmDefinitionError {
    #[error("alarm {alarm}: comparison operator {operator} is not replayed (anomaly detection or missing)")]
    Comparison { alarm: String, operator: String },
    #[error("alarm {alarm}: statistic {statistic} is not replayed (percentiles or missing)")]
    Statistic { alarm: String, statistic: String },
    #[error("alarm {alarm}: unknown TreatMissingData {value}")]
    TreatMissingData { alarm: String, value: String },
    #[error("alarm {alarm}: no threshold")]
    NoThreshold { alarm: String },
    #[error("alarm {alarm}: its threshold applies to a metric-math expression ({expression}), whose value is not evaluated, so whether and when a read takes it across the threshold is unknown")]
    MetricMath { alarm: String, expression: String },
}

/// The model's alarm on a metric filter's metric as the replay engine takes it, with the
/// filter's `defaultValue` (a property of the filter, not of the alarm); `Err` says why it
/// cannot be replayed.
pub fn alarm_definition(
    a: &AlarmDefinition,
    metric_default_value: Option<f64>,
) -> Result<alarm::AlarmDefinition, AlarmDefinitionError> {
    if let Some(m) = &a.math {
        return Err(AlarmDefinitionError::MetricMath {
            alarm: a.name.clone(),
            expression: m.returned.clone().unwrap_or_else(|| "not recorded".into()),
        });
    }
    let comparison = match a.comparison_operator.as_deref() {
        Some("GreaterThanOrEqualToThreshold") => ComparisonOperator::GreaterThanOrEqualToThreshold,
        Some("GreaterThanThreshold") => ComparisonOperator::GreaterThanThreshold,
        Some("LessThanThreshold") => ComparisonOperator::LessThanThreshold,
        Some("LessThanOrEqualToThreshold") => ComparisonOperator::LessThanOrEqualToThreshold,
        other => {
            return Err(AlarmDefinitionError::Comparison {
                alarm: a.name.clone(),
                operator: other.unwrap_or("(none)").to_string(),
            })
        }
    };
    let statistic = match a.statistic.as_deref() {
        Some("Sum") => Statistic::Sum,
        Some("SampleCount") => Statistic::SampleCount,
        Some("Average") => Statistic::Average,
        Some("Minimum") => Statistic::Minimum,
        Some("Maximum") => Statistic::Maximum,
        other => {
            return Err(AlarmDefinitionError::Statistic {
                alarm: a.name.clone(),
                statistic: other.unwrap_or("(none)").to_string(),
            })
        }
    };
    let treat_missing_data = match a.treat_missing_data.as_deref() {
        None | Some("missing") => TreatMissingData::Missing,
        Some("notBreaching") => TreatMissingData::NotBreaching,
        Some("breaching") => TreatMissingData::Breaching,
        Some("ignore") => TreatMissingData::Ignore,
        Some(other) => {
            return Err(AlarmDefinitionError::TreatMissingData {
                alarm: a.name.clone(),
                value: other.to_string(),
            })
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
            .ok_or_else(|| AlarmDefinitionError::NoThreshold {
                alarm: a.name.clone(),
            })?,
        comparison,
        statistic,
        treat_missing_data,
        metric_default_value,
    })
}
