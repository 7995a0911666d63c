//! Detection flow 1 (CloudWatch Logs metric filter -> alarm -> SNS) and the EventBridge rule's metrics:
//! `logs describe-metric-filters`, `cloudwatch describe-alarms`, `describe-alarm-history` (newest first)
//! and `get-metric-data` for AWS/Events. The alarm fires about three minutes after the read because the
//! trail reaches CloudWatch Logs late; the rule fires within the minute.

use super::deployed_at;
use crate::identity::{ACCOUNT, ALARM_TOPIC_ARN, MAIN_REGION};
use crate::json::J;
use crate::time::{alarm_reason, at, cli, cw, epoch_ms, Epoch};
use crate::{arr, obj};

pub const ALARM_NAME: &str = "HoneytokenSecretAccessAlarm";
const ROOT_ALARM: &str = "RootAccountUsage";
pub const METRIC_NAMESPACE: &str = "CloudTrailMetrics";
pub const METRIC_NAME: &str = "HoneytokenSecretAccessCount";

/// An instant with milliseconds.
#[derive(Clone, Copy)]
pub struct Stamp(pub Epoch, pub u32);

/// The alarm's transitions on the incident day.
pub fn alarm_fired() -> Stamp {
    Stamp(at(2026, 11, 20, 14, 5, 21), 532)
}
fn action_done() -> Stamp {
    Stamp(at(2026, 11, 20, 14, 5, 21), 618)
}
pub fn alarm_cleared() -> Stamp {
    Stamp(at(2026, 11, 20, 14, 12, 21), 907)
}
/// The minutes in which the EventBridge rule matched (the read and the denied second read).
pub fn rule_minutes() -> [Epoch; 2] {
    [at(2026, 11, 20, 14, 3, 0), at(2026, 11, 20, 14, 2, 0)]
}
fn created() -> Stamp {
    Stamp(deployed_at() + 81, 204)
}
fn first_ok() -> Stamp {
    Stamp(deployed_at() + 123, 118)
}

fn alarm_arn(name: &str) -> String {
    format!("arn:aws:cloudwatch:{MAIN_REGION}:{ACCOUNT}:alarm:{name}")
}

pub fn metric_filters() -> J {
    let filter = |name: &str, pattern: &str, metric: &str, created: Epoch| {
        obj! {
            "filterName" => name,
            "filterPattern" => pattern,
            "metricTransformations" => arr![obj! {
                "metricName" => metric,
                "metricNamespace" => METRIC_NAMESPACE,
                "metricValue" => "1",
                "defaultValue" => 0.0,
            }],
            "creationTime" => epoch_ms(created, 912),
            "logGroupName" => super::trail::LOG_GROUP,
        }
    };
    obj! {
        "metricFilters" => arr![
            filter(
                "HoneytokenSecretAccess",
                "{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") && ($.requestParameters.secretId = \"*Production_Database_Credentials*\") }",
                METRIC_NAME,
                deployed_at(),
            ),
            filter(
                "RootAccountUsage",
                "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
                "RootAccountUsageCount",
                deployed_at() - 86_400 * 40,
            ),
        ],
    }
}

fn reason_data(query: Stamp, start: Epoch, value: f64, samples: f64) -> J {
    obj! {
        "version" => "1.0",
        "queryDate" => cw(query.0, query.1),
        "startDate" => cw(start, 0),
        "statistic" => "Sum",
        "period" => 60,
        "recentDatapoints" => arr![value],
        "threshold" => 1.0,
        "evaluatedDatapoints" => arr![obj! { "timestamp" => cw(start, 0), "sampleCount" => samples, "value" => value }],
    }
}

fn alarm_reason_text(value: f64, at: Epoch, crossed: bool) -> String {
    let (not, transition) = if crossed {
        ("", "OK -> ALARM")
    } else {
        ("not ", "ALARM -> OK")
    };
    format!(
        "Threshold Crossed: 1 out of the last 1 datapoints [{value:?} ({})] was {not}greater than or equal to the threshold (1.0) (minimum 1 datapoint for {transition} transition).",
        alarm_reason(at)
    )
}

fn cleared_reason() -> (String, J) {
    let minute = alarm_cleared().0 - 81;
    let query = Stamp(alarm_cleared().0, alarm_cleared().1 - 6);
    (
        alarm_reason_text(0.0, minute, false),
        reason_data(query, minute, 0.0, 1.0),
    )
}

fn fired_reason() -> (String, J) {
    let minute = at(2026, 11, 20, 14, 2, 0);
    let query = Stamp(alarm_fired().0, alarm_fired().1 - 4);
    (
        alarm_reason_text(1.0, minute, true),
        reason_data(query, minute, 1.0, 1.0),
    )
}

pub fn describe_alarms() -> J {
    let (reason, data) = cleared_reason();
    let honeytoken = obj! {
        "AlarmName" => ALARM_NAME,
        "AlarmArn" => alarm_arn(ALARM_NAME),
        "AlarmDescription" => "Any read of the honeytoken secret Production_Database_Credentials (CloudTrail metric filter)",
        "AlarmConfigurationUpdatedTimestamp" => cli(created().0, created().1),
        "ActionsEnabled" => true,
        "OKActions" => arr![],
        "AlarmActions" => arr![ALARM_TOPIC_ARN],
        "InsufficientDataActions" => arr![],
        "StateValue" => "OK",
        "StateReason" => reason,
        "StateReasonData" => data.compact(),
        "StateUpdatedTimestamp" => cli(alarm_cleared().0, alarm_cleared().1),
        "MetricName" => METRIC_NAME,
        "Namespace" => METRIC_NAMESPACE,
        "Statistic" => "Sum",
        "Dimensions" => arr![],
        "Period" => 60,
        "EvaluationPeriods" => 1,
        "DatapointsToAlarm" => 1,
        "Threshold" => 1.0,
        "ComparisonOperator" => "GreaterThanOrEqualToThreshold",
        "TreatMissingData" => "notBreaching",
        "StateTransitionedTimestamp" => cli(alarm_cleared().0, alarm_cleared().1),
    };
    let root_since = Stamp(deployed_at() - 86_400 * 40 + 140, 77);
    let root = obj! {
        "AlarmName" => ROOT_ALARM,
        "AlarmArn" => alarm_arn(ROOT_ALARM),
        "AlarmDescription" => "CIS 4.3: use of the root account",
        "AlarmConfigurationUpdatedTimestamp" => cli(root_since.0 - 60, 512),
        "ActionsEnabled" => true,
        "OKActions" => arr![],
        "AlarmActions" => arr![format!("arn:aws:sns:{MAIN_REGION}:{ACCOUNT}:security-alerts")],
        "InsufficientDataActions" => arr![],
        "StateValue" => "OK",
        "StateReason" => "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].",
        "StateReasonData" => obj! {
            "version" => "1.0",
            "queryDate" => cw(root_since.0, root_since.1),
            "statistic" => "Sum",
            "period" => 300,
            "recentDatapoints" => arr![],
            "threshold" => 1.0,
        }.compact(),
        "StateUpdatedTimestamp" => cli(root_since.0, root_since.1),
        "MetricName" => "RootAccountUsageCount",
        "Namespace" => METRIC_NAMESPACE,
        "Statistic" => "Sum",
        "Dimensions" => arr![],
        "Period" => 300,
        "EvaluationPeriods" => 1,
        "DatapointsToAlarm" => 1,
        "Threshold" => 1.0,
        "ComparisonOperator" => "GreaterThanOrEqualToThreshold",
        "TreatMissingData" => "notBreaching",
        "StateTransitionedTimestamp" => cli(root_since.0, root_since.1),
    };
    obj! { "MetricAlarms" => arr![honeytoken, root], "CompositeAlarms" => arr![] }
}

fn history_item(at: Stamp, kind: &str, summary: String, data: J) -> J {
    obj! {
        "AlarmName" => ALARM_NAME,
        "AlarmType" => "MetricAlarm",
        "Timestamp" => cli(at.0, at.1),
        "HistoryItemType" => kind,
        "HistorySummary" => summary,
        "HistoryData" => data.compact(),
    }
}

fn state(value: &str, reason: String, data: Option<J>) -> J {
    let mut s = obj! { "stateValue" => value, "stateReason" => reason };
    if let Some(d) = data {
        s.push("stateReasonData", d);
    }
    s
}

/// The SNS message the alarm action published: a metric crossed a threshold, nothing about who or what.
fn published_message(reason: &str) -> J {
    obj! {
        "AlarmName" => ALARM_NAME,
        "AlarmDescription" => "Any read of the honeytoken secret Production_Database_Credentials (CloudTrail metric filter)",
        "AWSAccountId" => ACCOUNT,
        "AlarmConfigurationUpdatedTimestamp" => cw(created().0, created().1),
        "NewStateValue" => "ALARM",
        "NewStateReason" => reason,
        "StateChangeTime" => cw(alarm_fired().0, alarm_fired().1),
        "Region" => "US East (N. Virginia)",
        "AlarmArn" => alarm_arn(ALARM_NAME),
        "OldStateValue" => "OK",
        "OKActions" => arr![],
        "AlarmActions" => arr![ALARM_TOPIC_ARN],
        "InsufficientDataActions" => arr![],
        "Trigger" => obj! {
            "MetricName" => METRIC_NAME,
            "Namespace" => METRIC_NAMESPACE,
            "StatisticType" => "Statistic",
            "Statistic" => "SUM",
            "Unit" => J::Null,
            "Dimensions" => arr![],
            "Period" => 60,
            "EvaluationPeriods" => 1,
            "DatapointsToAlarm" => 1,
            "ComparisonOperator" => "GreaterThanOrEqualToThreshold",
            "Threshold" => 1.0,
            "TreatMissingData" => "notBreaching",
            "EvaluateLowSampleCountPercentile" => "",
        },
    }
}

pub fn alarm_history() -> J {
    let (ok_reason, ok_data) = cleared_reason();
    let (alarm_reason, alarm_data) = fired_reason();
    let cleared = history_item(
        alarm_cleared(),
        "StateUpdate",
        "Alarm updated from ALARM to OK".into(),
        obj! {
            "version" => "1.0",
            "oldState" => state("ALARM", alarm_reason.clone(), Some(alarm_data.clone())),
            "newState" => state("OK", ok_reason, Some(ok_data)),
        },
    );
    let action = history_item(
        action_done(),
        "Action",
        format!("Successfully executed action {ALARM_TOPIC_ARN}"),
        obj! {
            "actionState" => "Succeeded",
            "stateUpdateTimestamp" => epoch_ms(alarm_fired().0, alarm_fired().1),
            "notificationResource" => ALARM_TOPIC_ARN,
            "publishedMessage" => published_message(&alarm_reason).compact(),
        },
    );
    let fired = history_item(
        alarm_fired(),
        "StateUpdate",
        "Alarm updated from OK to ALARM".into(),
        obj! {
            "version" => "1.0",
            "oldState" => state("OK", "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (20/11/26 14:01:00)] was not greater than or equal to the threshold (1.0) (minimum 1 datapoint for ALARM -> OK transition).".into(), None),
            "newState" => state("ALARM", alarm_reason, Some(alarm_data)),
        },
    );
    let initial_reason = "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].".to_string();
    let first = history_item(
        first_ok(),
        "StateUpdate",
        "Alarm updated from INSUFFICIENT_DATA to OK".into(),
        obj! {
            "version" => "1.0",
            "oldState" => state("INSUFFICIENT_DATA", "Unchecked: Initial alarm creation".into(), None),
            "newState" => state("OK", initial_reason, Some(obj! {
                "version" => "1.0",
                "queryDate" => cw(first_ok().0, first_ok().1 - 3),
                "statistic" => "Sum",
                "period" => 60,
                "recentDatapoints" => arr![],
                "threshold" => 1.0,
            })),
        },
    );
    let creation = history_item(
        created(),
        "ConfigurationUpdate",
        format!("Alarm \"{ALARM_NAME}\" created"),
        obj! {
            "type" => "Create",
            "version" => "1.0",
            "createdAlarm" => obj! {
                "namespace" => METRIC_NAMESPACE,
                "metricName" => METRIC_NAME,
                "dimensions" => arr![],
                "statistic" => "Sum",
                "period" => 60,
                "evaluationPeriods" => 1,
                "datapointsToAlarm" => 1,
                "threshold" => 1.0,
                "comparisonOperator" => "GreaterThanOrEqualToThreshold",
                "treatMissingData" => "notBreaching",
                "actionsEnabled" => true,
                "alarmActions" => arr![ALARM_TOPIC_ARN],
                "okactions" => arr![],
                "insufficientDataActions" => arr![],
                "alarmName" => ALARM_NAME,
                "alarmArn" => alarm_arn(ALARM_NAME),
                "stateValue" => "INSUFFICIENT_DATA",
                "timeout" => 0,
            },
        },
    );
    obj! { "AlarmHistoryItems" => arr![cleared, action, fired, first, creation] }
}

/// AWS/Events metrics of the rule over the window: datapoints only where the rule matched, newest first.
/// Each query's label names the rule as `trailcase collect` writes it (`<rule> <metric>`, from
/// its query on the rule's `RuleName` dimension): a series naming no rule is not evidence that
/// this rule fired. The ids are the CLI user's own.
pub fn rule_metric_data() -> J {
    let series = |id: &str, metric: &str, per_match: f64| {
        let label = format!("{} {metric}", super::eventbridge::RULE_NAME);
        let (stamps, values): (Vec<J>, Vec<J>) = if per_match == 0.0 {
            (Vec::new(), Vec::new())
        } else {
            rule_minutes()
                .iter()
                .map(|m| (J::from(cli(*m, 0)), J::from(per_match)))
                .unzip()
        };
        obj! { "Id" => id, "Label" => label.as_str(), "Timestamps" => J::Arr(stamps), "Values" => J::Arr(values), "StatusCode" => "Complete" }
    };
    obj! {
        "MetricDataResults" => arr![
            series("triggeredrules", "TriggeredRules", 1.0),
            // Two targets: the alert topic and the kill-switch Lambda.
            series("invocations", "Invocations", 2.0),
            series("failedinvocations", "FailedInvocations", 0.0),
            series("matchedevents", "MatchedEvents", 1.0),
        ],
        "Messages" => arr![],
    }
}
