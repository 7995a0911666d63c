//! The detection pipeline's pieces the collected configuration shows, by name: the detection
//! metric filters and their log groups, the alarms they feed and the alarms' topics, the
//! detection rules and their targets (topics, the kill-switch's function), and the trails that
//! deliver to those log groups. What the classifier weighs a change to a monitoring resource
//! against ([`crate::classify::PipelineNames`]); the configured names are its own.

use super::detection::{detection_filters, Flows};
use crate::classify::PipelineNames;
use crate::model::{AnalysisSettings, ConfigEvidence};

/// The pipeline's pieces in `evidence`. An alarm counts only when the configuration names it
/// or a detection metric filter feeds it.
pub fn pipeline_names(
    settings: &AnalysisSettings,
    evidence: &ConfigEvidence,
    flows: &Flows<'_>,
) -> PipelineNames {
    let mut n = PipelineNames::default();
    for f in detection_filters(settings, evidence, &settings.honeytokens) {
        n.metric_filters.insert(f.name.clone());
        n.log_groups.extend(f.log_group.clone());
    }
    n.log_groups
        .extend(settings.detection.log_groups.iter().cloned());
    for a in evidence.alarms.iter().filter(|a| flows.is_alarm(&a.name)) {
        n.alarms.insert(a.name.clone());
        n.alarms.extend(a.arn.clone());
        n.topics.extend(
            a.alarm_actions
                .iter()
                .filter(|t| t.starts_with("arn:aws:sns:"))
                .cloned(),
        );
    }
    for r in evidence.rules.iter().filter(|r| flows.is_rule(&r.name)) {
        n.rules.insert(r.name.clone());
        n.rules.extend(r.arn.clone());
    }
    for t in evidence
        .targets
        .iter()
        .filter(|t| t.rule.as_deref().is_some_and(|r| flows.is_rule(r)))
    {
        if t.arn.starts_with("arn:aws:sns:") {
            n.topics.insert(t.arn.clone());
        } else if t.arn.starts_with("arn:aws:lambda:") {
            n.functions.insert(t.arn.clone());
        }
    }
    // Every collected trail's bucket: a call that deletes log files there reduces what
    // CloudTrail keeps, whichever trail it is.
    n.trail_buckets
        .extend(evidence.trails.iter().filter_map(|t| t.s3_bucket.clone()));
    let delivers_to_pipeline = |arn: &str| {
        let group = arn
            .split_once(":log-group:")
            .map_or(arn, |(_, g)| g.strip_suffix(":*").unwrap_or(g));
        n.log_groups.iter().any(|l| {
            l == arn
                || l == group
                || l.split_once(":log-group:")
                    .is_some_and(|(_, g)| g.strip_suffix(":*").unwrap_or(g) == group)
        })
    };
    let trails: Vec<_> = evidence
        .trails
        .iter()
        .filter(|t| {
            t.cloudwatch_log_group_arn
                .as_deref()
                .is_some_and(delivers_to_pipeline)
        })
        .collect();
    for t in trails {
        n.trails.insert(t.name.clone());
        n.trails.extend(t.arn.clone());
    }
    n
}
