//! The monitoring pipeline as the evidence shows it: alarms and their history, rule metrics,
//! metric filters, EventBridge rules and targets, trail configuration (AWS CLI output shapes).

use super::{Origin, Timestamp};
use serde::Serialize;

/// One `describe-alarm-history` item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlarmHistoryItem {
    pub alarm_name: String,
    pub time: Timestamp,
    /// `StateUpdate`, `Action` or `ConfigurationUpdate`.
    pub item_type: String,
    pub summary: String,
    pub old_state: Option<String>,
    pub new_state: Option<String>,
    pub reason: Option<String>,
    /// For `Action` items: the action ARN named in the summary or `notificationResource`.
    pub action_arn: Option<String>,
    /// For `Action` items: `Succeeded` / `Failed` when HistoryData says (or, HistoryData cut,
    /// its HistorySummary: `from_summary`).
    pub action_state: Option<String>,
    /// For `ConfigurationUpdate` items: the change and the alarm's definition as HistoryData
    /// records it. Not exported: the item itself is, and a link resting on it cites it.
    #[serde(skip)]
    pub definition: Option<HistoryDefinition>,
    /// When HistoryData is present but not JSON: why (cut short, or other). What it records is
    /// then unknown, never taken as absent. Not exported: the evidence gap says it.
    #[serde(skip)]
    pub data_unreadable: Option<String>,
    /// For an item whose HistoryData is not read: a `StateUpdate`'s `old_state` / `new_state`
    /// come from HistorySummary ("Alarm updated from OK to ALARM"; its reason and the datapoint
    /// that crossed the threshold are unknown), an `Action`'s `action_state` too ("Successfully
    /// executed action …": `Succeeded`; "Failed to execute action …": `Failed`). Not exported:
    /// unknowns and the report say it.
    #[serde(skip)]
    pub from_summary: bool,
    pub origin: Origin,
}

/// What a `ConfigurationUpdate` item's HistoryData says of the alarm: `type` (`Create`,
/// `Update`, `Delete`) and, from `createdAlarm` / `updatedAlarm` / `deletedAlarm`, the metric it
/// watches and its actions.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryDefinition {
    pub change: String,
    pub metric_name: Option<String>,
    pub namespace: Option<String>,
    pub alarm_actions: Vec<String>,
    /// The names of the metric's dimensions (`dimensions`), sorted; `None` when not recorded.
    pub dimensions: Option<Vec<String>>,
    /// The whole definition (period, threshold, ...) in describe-alarms' terms, to replay it.
    pub alarm: Box<AlarmDefinition>,
    /// The definition in force before the change, when the item records it: an Update's
    /// `originalUpdatedFields` (the changed fields' former values) over its `updatedAlarm`, a
    /// Delete's `deletedAlarm`. `None` for a Create (the alarm did not exist) or an Update that
    /// does not record the fields it changed.
    pub before: Option<Box<HistoryDefinition>>,
}

impl AlarmHistoryItem {
    /// For a `StateUpdate` whose states are read from its HistorySummary (HistoryData cut):
    /// what its transition rests on, and what is unknown, to follow the transition wherever it
    /// is shown: `rests on the item's HistorySummary ("…") only: …`.
    pub fn transition_from_summary(&self) -> Option<String> {
        (self.from_summary && self.item_type == "StateUpdate").then(|| {
            format!(
                "rests on the item's HistorySummary (\"{}\") only: its HistoryData was cut, so the reason it records and the metric datapoint that crossed the threshold are unknown",
                self.summary
            )
        })
    }

    /// The item's id, as the timeline's row and flow 1's evidence cite it:
    /// `alarm:<name>:<type>:<time>`, the name's '%' and ':' written `%25` and `%3A`
    /// ([`super::id_part`]): split at the first three colons, whatever the name holds.
    pub fn id(&self) -> String {
        format!(
            "alarm:{}:{}:{}",
            super::id_part(&self.alarm_name),
            super::id_part(&self.item_type),
            self.time
        )
    }

    /// Whether an `Action` item says its action ran: its `actionState` (anything but `Failed`
    /// counts, as an item without one always did; the parser reads a cut HistoryData's from
    /// its summary); `None` when its HistoryData could not be read and its summary does not
    /// say. Flow 1's notification and the NIST rows count the same items.
    pub fn action_ran(&self) -> Option<bool> {
        match (self.action_state.as_deref(), &self.data_unreadable) {
            (Some(state), _) => Some(state != "Failed"),
            (None, None) => Some(true),
            (None, Some(_)) => None,
        }
    }

    /// For an `Action` item whose outcome is read from its HistorySummary (HistoryData cut):
    /// what it rests on, in the words [`Self::transition_from_summary`] uses.
    pub fn action_from_summary(&self) -> Option<String> {
        (self.from_summary && self.item_type == "Action").then(|| {
            format!(
                "rests on the item's HistorySummary (\"{}\") only: its HistoryData was cut",
                self.summary
            )
        })
    }
}

impl HistoryDefinition {
    /// The metric as `namespace/name` (the namespace left out when not recorded).
    pub fn metric(&self) -> Option<String> {
        let name = self.metric_name.as_deref()?;
        Some(match &self.namespace {
            Some(ns) => format!("{ns}/{name}"),
            None => name.to_string(),
        })
    }

    /// Whether the alarm exists with this definition after the change (not a `Delete`).
    pub fn in_force(&self) -> bool {
        self.change != "Delete"
    }

    /// The name of the definition before the change (`before`): `as before the Update`.
    pub const BEFORE: &'static str = "as before the ";
}

/// One metric alarm from `describe-alarms`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlarmDefinition {
    pub name: String,
    pub arn: Option<String>,
    pub namespace: Option<String>,
    pub metric_name: Option<String>,
    pub statistic: Option<String>,
    pub period: Option<u64>,
    pub evaluation_periods: Option<u64>,
    pub datapoints_to_alarm: Option<u64>,
    pub threshold: Option<f64>,
    pub comparison_operator: Option<String>,
    pub treat_missing_data: Option<String>,
    pub alarm_actions: Vec<String>,
    pub state_value: Option<String>,
    /// The names of the metric's dimensions (`Dimensions`), sorted; `None` when not recorded.
    /// Not exported (the alarm's file is).
    #[serde(skip)]
    pub dimensions: Option<Vec<String>>,
    /// `AlarmConfigurationUpdatedTimestamp`: since when this definition is in force. Not
    /// exported (the alarm's file is).
    #[serde(skip)]
    pub config_updated: Option<Timestamp>,
    /// A metric-math alarm's queries (`Metrics`, in place of `MetricName` / `Namespace`).
    /// Not exported (the alarm's file is).
    #[serde(skip)]
    pub math: Option<MetricMath>,
    pub origin: Origin,
}

/// A metric-math alarm's `Metrics` (MetricDataQuery): the metrics its `MetricStat` queries
/// read, and the query whose value the alarm compares to its threshold (`ReturnData`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricMath {
    pub stats: Vec<MathStat>,
    /// The returned query as `<id>: <expression>` (or its metric), when recorded.
    pub returned: Option<String>,
}

impl MetricMath {
    /// The alarm in words: "a metric-math alarm (its expression e1: SUM(m1)) whose MetricStat
    /// queries read m1: CloudTrailMetrics/HoneytokenReads" (the returned expression "not
    /// recorded" when the definition does not say; "no MetricStat query" when it has none).
    pub fn describe(&self) -> String {
        let stats: Vec<String> = self
            .stats
            .iter()
            .map(|q| {
                format!(
                    "{}: {}{}",
                    q.id,
                    q.namespace
                        .as_deref()
                        .map(|n| format!("{n}/"))
                        .unwrap_or_default(),
                    q.name.as_deref().unwrap_or("(metric name not recorded)")
                )
            })
            .collect();
        format!(
            "a metric-math alarm (its expression {}) {}",
            self.returned.as_deref().unwrap_or("not recorded"),
            if stats.is_empty() {
                "with no MetricStat query".to_string()
            } else {
                format!(
                    "whose MetricStat {} {}",
                    if stats.len() == 1 {
                        "query reads"
                    } else {
                        "queries read"
                    },
                    stats.join(", ")
                )
            }
        )
    }
}

/// One `MetricStat` query of a metric-math alarm: its id and the metric it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct MathStat {
    pub id: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// Sorted dimension names.
    pub dimensions: Vec<String>,
}

/// What an AWS/Events series that names no flow-2 rule is, in the words every part of the case
/// uses for it: a clause after "which".
pub const SERIES_NAMES_NO_RULE: &str =
    "names no flow-2 rule (the account's rules together, or another rule)";

/// One `get-metric-data` result (e.g. AWS/Events TriggeredRules for a rule), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSeries {
    pub id: String,
    pub label: String,
    pub points: Vec<(Timestamp, f64)>,
    pub origin: Origin,
}

impl MetricSeries {
    /// Whether its label or id names EventBridge's TriggeredRules metric (any case): the series
    /// flow 2's timing and the replay read the rule's matches from.
    pub fn is_triggered_rules(&self) -> bool {
        self.label.to_ascii_lowercase().contains("triggered")
            || self.id.to_ascii_lowercase().contains("triggered")
    }

    /// Whether the series names EventBridge rule `rule` (by name, or by an ARN ending in
    /// `/<name>`) in its label or id: `trailcase collect` labels each `<rule> <metric>`, from its
    /// query on the rule's `RuleName` dimension. A whole word only: rule `Honeytoken` is not
    /// named by `HoneytokenOther TriggeredRules`. A series that names no rule is not evidence
    /// that a given rule fired.
    pub fn names_rule(&self, rule: &str) -> bool {
        let words = |s: &str| {
            s.split(|c: char| c.is_whitespace() || matches!(c, '/' | ':' | ',' | '=' | '"'))
                .any(|w| w == rule)
        };
        words(&self.label) || words(&self.id)
    }

    /// The rules among `rules` the series names ([`MetricSeries::names_rule`]), in their order:
    /// empty for a series that names none of them (all rules of the account, or a rule the
    /// export does not name), which is never evidence that one of them fired.
    pub fn named_rules<'r>(&self, rules: &'r [String]) -> Vec<&'r str> {
        rules
            .iter()
            .filter(|r| self.names_rule(r))
            .map(String::as_str)
            .collect()
    }
}

/// One `describe-metric-filters` item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricFilter {
    pub name: String,
    pub pattern: String,
    pub log_group: Option<String>,
    pub metric_name: Option<String>,
    pub metric_namespace: Option<String>,
    pub metric_value: Option<String>,
    /// The value published for a minute without a match (`defaultValue`), when the filter has one.
    pub default_value: Option<f64>,
    /// The names of the dimensions the filter publishes its metric with (`dimensions`), sorted;
    /// empty when it sets none. Not exported (the filter's file is).
    #[serde(skip)]
    pub metric_dimensions: Vec<String>,
    pub origin: Origin,
}

/// One EventBridge rule from `list-rules` or `describe-rule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRule {
    pub name: String,
    pub arn: Option<String>,
    pub event_pattern: Option<String>,
    pub state: Option<String>,
    pub description: Option<String>,
    pub event_bus: Option<String>,
    pub origin: Origin,
}

/// One target from `list-targets-by-rule`. The output does not name its rule; the rule is taken
/// from the file name (`targets-<rule>.json`) when it follows the case layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleTarget {
    pub rule: Option<String>,
    pub id: String,
    pub arn: String,
    pub origin: Origin,
}

/// One trail from `describe-trails`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrailConfig {
    pub name: String,
    pub arn: Option<String>,
    pub s3_bucket: Option<String>,
    pub home_region: Option<String>,
    pub multi_region: Option<bool>,
    pub include_global_events: Option<bool>,
    pub log_file_validation: Option<bool>,
    pub cloudwatch_log_group_arn: Option<String>,
    pub organization_trail: Option<bool>,
    pub origin: Origin,
}

/// `get-trail-status` output, flattened to sorted key/value text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrailStatus {
    pub is_logging: Option<bool>,
    pub fields: Vec<(String, String)>,
    pub origin: Origin,
}

/// Everything about the monitoring pipeline found among the inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ConfigEvidence {
    pub alarms: Vec<AlarmDefinition>,
    pub alarm_history: Vec<AlarmHistoryItem>,
    pub metrics: Vec<MetricSeries>,
    pub metric_filters: Vec<MetricFilter>,
    pub rules: Vec<EventRule>,
    pub targets: Vec<RuleTarget>,
    pub trails: Vec<TrailConfig>,
    pub trail_status: Vec<TrailStatus>,
    /// `get-event-selectors` outputs, kept as parsed JSON.
    pub event_selectors: Vec<serde_json::Value>,
    /// The kill-switch's published results (exported, cross-checked, as the timeline's `killswitch`).
    #[serde(skip)]
    pub killswitch_reports: Vec<super::KillSwitchReport>,
    /// `trailcase posture` results (exported as the timeline's `posture`).
    #[serde(skip)]
    pub posture: Vec<super::PostureResult>,
    /// `s3control list-access-points` outputs: the access points of a bucket (what `collect`
    /// asks for each S3 decoy's). Not exported: the finding naming those the configuration
    /// lacks cites them.
    #[serde(skip)]
    pub access_points: Vec<ListedAccessPoint>,
}

/// One access point a `list-access-points` output lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedAccessPoint {
    pub name: String,
    pub bucket: String,
    pub arn: Option<String>,
    pub alias: Option<String>,
    pub origin: Origin,
}

impl ConfigEvidence {
    pub fn merge(&mut self, other: ConfigEvidence) {
        self.alarms.extend(other.alarms);
        self.alarm_history.extend(other.alarm_history);
        self.metrics.extend(other.metrics);
        self.metric_filters.extend(other.metric_filters);
        self.rules.extend(other.rules);
        self.targets.extend(other.targets);
        self.trails.extend(other.trails);
        self.trail_status.extend(other.trail_status);
        self.event_selectors.extend(other.event_selectors);
        self.killswitch_reports.extend(other.killswitch_reports);
        self.posture.extend(other.posture);
        self.access_points.extend(other.access_points);
    }

    /// Sort every list by a total order and drop exact duplicates (the same config collected twice).
    pub fn normalise(&mut self) {
        self.access_points.sort_by(|a, b| {
            (&a.bucket, &a.name, &a.arn, a.origin).cmp(&(&b.bucket, &b.name, &b.arn, b.origin))
        });
        self.access_points
            .dedup_by(|a, b| a.bucket == b.bucket && a.name == b.name && a.arn == b.arn);
        self.alarms
            .sort_by(|a, b| (&a.name, a.origin).cmp(&(&b.name, b.origin)));
        self.alarms
            .dedup_by(|a, b| a.name == b.name && a.arn == b.arn);
        self.alarm_history.sort_by(|a, b| {
            (a.time, &a.alarm_name, &a.item_type, a.origin).cmp(&(
                b.time,
                &b.alarm_name,
                &b.item_type,
                b.origin,
            ))
        });
        self.alarm_history.dedup_by(|a, b| {
            a.time == b.time
                && a.alarm_name == b.alarm_name
                && a.item_type == b.item_type
                && a.summary == b.summary
        });
        self.metrics
            .sort_by(|a, b| (&a.label, &a.id, a.origin).cmp(&(&b.label, &b.id, b.origin)));
        self.metric_filters.sort_by(|a, b| {
            (&a.log_group, &a.name, a.origin).cmp(&(&b.log_group, &b.name, b.origin))
        });
        self.metric_filters
            .dedup_by(|a, b| a.name == b.name && a.log_group == b.log_group);
        // describe-rule carries more than list-rules; keep the first by origin, fill gaps later.
        self.rules
            .sort_by(|a, b| (&a.name, a.origin).cmp(&(&b.name, b.origin)));
        self.rules.dedup_by(|later, first| {
            if later.name != first.name {
                return false;
            }
            if first.event_pattern.is_none() {
                first.event_pattern = later.event_pattern.take();
            }
            if first.description.is_none() {
                first.description = later.description.take();
            }
            true
        });
        self.targets.sort_by(|a, b| {
            (&a.rule, &a.id, &a.arn, a.origin).cmp(&(&b.rule, &b.id, &b.arn, b.origin))
        });
        self.targets
            .dedup_by(|a, b| a.rule == b.rule && a.id == b.id && a.arn == b.arn);
        self.trails
            .sort_by(|a, b| (&a.name, a.origin).cmp(&(&b.name, b.origin)));
        self.trails
            .dedup_by(|a, b| a.name == b.name && a.arn == b.arn);
        self.trail_status.sort_by_key(|s| s.origin);
        self.killswitch_reports.sort_by_key(|r| (r.at, r.origin));
        // The same result delivered twice (SNS and the function's log) is one run.
        let mut kept: Vec<super::KillSwitchReport> = Vec::new();
        for r in std::mem::take(&mut self.killswitch_reports) {
            match kept.iter_mut().find(|k| k.same_result(&r)) {
                Some(k) => {
                    k.copies.push(r.origin);
                    k.topic_arn = k.topic_arn.take().or(r.topic_arn);
                    k.message_id = k.message_id.take().or(r.message_id);
                }
                None => kept.push(r),
            }
        }
        self.killswitch_reports = kept;
        self.posture
            .sort_by(|a, b| (&a.checked_at, a.origin).cmp(&(&b.checked_at, b.origin)));
        self.posture
            .dedup_by(|a, b| a.checked_at == b.checked_at && a.checks == b.checks);
    }
}
