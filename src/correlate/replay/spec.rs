//! The rules the replay evaluates: one [`FlowSpec`] per flow-1 metric filter (with the alarm on
//! its metric) and per flow-2 EventBridge rule, from the pipeline evidence or the command line;
//! and a flow-1 spec's alarm as defined at the first access.
//!
//! Pure: reads the configuration evidence; no I/O.

use super::Context;
use crate::model::{AlarmDefinition, AnalysisSettings, ConfigEvidence, Event, FlowKind, Timestamp};
use crate::rules::detector::Detector;
use crate::rules::event_pattern::EventPattern;
use crate::rules::filter_pattern::FilterPattern;
use serde_json::Value;

/// One rule to replay, from the pipeline evidence or the command line.
#[derive(Debug, Clone)]
pub struct FlowSpec {
    pub flow: FlowKind,
    pub resource: String,
    pub pattern: String,
    /// The compiled rule, or AWS's reason for refusing it.
    pub detector: Result<Detector, String>,
    /// Flow 1: the filter's `metricValue` (`1`, `$.field`).
    pub metric_value: Option<String>,
    /// Flow 1: the filter's `defaultValue`, published for every minute without a match.
    pub metric_default_value: Option<f64>,
    /// Flow 1: the alarm on the filter's metric.
    pub alarm: Option<AlarmDefinition>,
    /// Flow 1: where `alarm`'s definition comes from when not describe-alarms, and where
    /// `[detection].alarms` and the evidence disagree on it.
    pub alarm_basis: Option<String>,
    /// Flow 1 with no `alarm`: why none is replayed though the evidence holds one on the
    /// metric (on it only by a definition after the first access, or unknown then).
    pub alarm_none_because: Option<String>,
    /// Flow 2: the rule's `State` as collected (describe-rule, list-rules); `None` when the
    /// evidence does not hold it (a rule given on the command line).
    pub state: Option<String>,
    /// Flow 2: the collected rule's region, account and bus (from its ARN), which the calls
    /// changing a rule of its name must share to be its own.
    pub scope: Option<super::rule_scope::RuleScope>,
    /// Flow 1: the filter's log group (a filter's name is unique within its log group only), which
    /// a PutMetricFilter of its name must name to be its own.
    pub log_group: Option<String>,
}

impl FlowSpec {
    pub fn event_rule(resource: &str, pattern: &str) -> FlowSpec {
        let detector = EventPattern::parse(pattern)
            .map(Detector::Event)
            .map_err(|e| e.to_string());
        FlowSpec::bare(FlowKind::EventRule, resource, pattern, detector)
    }

    pub fn metric_filter(resource: &str, pattern: &str) -> FlowSpec {
        let detector = FilterPattern::parse(pattern)
            .map(Detector::Filter)
            .map_err(|e| format!("Invalid metric filter pattern: {e}"));
        FlowSpec::bare(FlowKind::MetricFilter, resource, pattern, detector)
    }

    /// A rule with nothing known of it but its pattern.
    fn bare(
        flow: FlowKind,
        resource: &str,
        pattern: &str,
        detector: Result<Detector, String>,
    ) -> FlowSpec {
        FlowSpec {
            flow,
            resource: resource.to_string(),
            pattern: pattern.to_string(),
            detector,
            metric_value: None,
            metric_default_value: None,
            alarm: None,
            alarm_basis: None,
            alarm_none_because: None,
            state: None,
            scope: None,
            log_group: None,
        }
    }

    /// The successful calls in `events` named in `apis` that act on this flow's rule or filter,
    /// each with its record: the rule's (EventBridge) name or an ARN ending in `/<name>`, or the
    /// filter's (CloudWatch Logs) name, in the collected rule's region, account and bus ([`Self::scope`])
    /// or on the collected filter's log group, where the evidence gives them.
    pub fn calls_on<'e>(&self, events: &'e [Event], apis: &[&str]) -> Vec<(&'e Event, Value)> {
        // A rule's calls may name it by ARN; a filter's name may itself hold a `/`, so only
        // the whole name is a filter's.
        let (source, name_key, suffix) = match self.flow {
            FlowKind::EventRule => (
                "events.amazonaws.com",
                "name",
                format!("/{}", self.resource),
            ),
            FlowKind::MetricFilter => ("logs.amazonaws.com", "filterName", String::new()),
        };
        events
            .iter()
            .filter(|e| e.event_source == source && e.error_code.is_none())
            .filter(|e| apis.contains(&e.event_name.as_str()))
            .filter_map(|e| {
                let record: Value = serde_json::from_str(e.raw.get()).ok()?;
                let params = record.get("requestParameters")?;
                let name = params.get(name_key).and_then(Value::as_str)?;
                if name != self.resource && (suffix.is_empty() || !name.ends_with(&suffix)) {
                    return None;
                }
                if self
                    .scope
                    .as_ref()
                    .is_some_and(|s| !s.holds(e, &record, params))
                {
                    return None;
                }
                // A filter of the same name on another log group is another filter.
                if let Some(group) = &self.log_group {
                    if params.get("logGroupName").and_then(Value::as_str) != Some(group.as_str()) {
                        return None;
                    }
                }
                Some((e, record))
            })
            .collect()
    }

    /// What identifies the rule: a pre-pass and the full pass agree when these are equal.
    pub fn key(&self) -> (FlowKind, &str, &str) {
        (self.flow, &self.resource, &self.pattern)
    }
}

/// The case's detection rules as the pipeline evidence shows them: the flow-1 metric filters
/// (with the alarm on each one's metric) and the flow-2 EventBridge rules.
pub fn specs(settings: &AnalysisSettings, evidence: &ConfigEvidence) -> Vec<FlowSpec> {
    let rules = &settings.honeytokens;
    let mut out = Vec::new();
    for f in crate::correlate::detection::detection_filters(settings, evidence, rules) {
        let mut spec = FlowSpec::metric_filter(&f.name, &f.pattern);
        spec.metric_value = f.metric_value.clone();
        spec.metric_default_value = f.default_value;
        spec.log_group = f.log_group.clone();
        // The latest definition: `build` takes the one in force at the first access.
        let chosen =
            crate::correlate::spec_alarm::choose(f, &settings.detection.alarms, evidence, None);
        spec.alarm = chosen.alarm;
        spec.alarm_basis = chosen.basis;
        out.push(spec);
    }
    let flows = crate::correlate::detection::Flows::new(settings, evidence, rules);
    for r in evidence.rules.iter().filter(|r| flows.is_rule(&r.name)) {
        if let Some(p) = &r.event_pattern {
            let mut spec = FlowSpec::event_rule(&r.name, p);
            spec.state = r.state.clone();
            spec.scope = r
                .arn
                .as_deref()
                .and_then(super::rule_scope::RuleScope::of_arn);
            out.push(spec);
        }
    }
    out
}

/// A flow-1 spec with the alarm whose definition was in force at the first access (the rule of
/// flow 1's detection), or, with no access, the latest, said as such; other specs as they are.
pub fn in_force_at(spec: &FlowSpec, first_access: Option<Timestamp>, cx: &Context<'_>) -> FlowSpec {
    let mut spec = spec.clone();
    let filter = cx
        .evidence
        .metric_filters
        .iter()
        .find(|f| f.name == spec.resource && f.pattern == spec.pattern);
    if let (FlowKind::MetricFilter, Some(f)) = (spec.flow, filter) {
        let chosen = crate::correlate::spec_alarm::choose(
            f,
            &cx.settings.detection.alarms,
            cx.evidence,
            first_access,
        );
        spec.alarm = chosen.alarm;
        spec.alarm_basis = chosen.basis;
        spec.alarm_none_because = chosen.none_because;
    }
    spec
}
