//! Which alarm the replay evaluates on a flow-1 metric filter's metric, and on what basis: an
//! alarm named in `[detection].alarms` that describe-alarms shows on the metric; else one
//! describe-alarms shows on it; else one whose alarm history records its definition (no
//! describe-alarms entry). Where `[detection].alarms` names alarms and none is on the metric
//! but another is, the one replayed is named with the disagreement, never picked silently.
//! Reads the configuration evidence only.

use super::alarm_links::cite;
use crate::model::{AlarmDefinition, AlarmHistoryItem, ConfigEvidence, MetricFilter};
use crate::rules::metric_match::{self, AlarmMetric};
use std::collections::BTreeMap;

/// The alarm to replay on `f`'s metric and, when not plainly describe-alarms' agreeing with
/// the configuration, where it comes from.
pub fn choose(
    f: &MetricFilter,
    configured: &[String],
    evidence: &ConfigEvidence,
) -> (Option<AlarmDefinition>, Option<String>) {
    let on_metric = |a: &&AlarmDefinition| super::detection::described_feeding(&[f], a).is_some();
    let described: Vec<&AlarmDefinition> = evidence.alarms.iter().filter(on_metric).collect();
    if let Some(a) = described.iter().find(|a| configured.contains(&a.name)) {
        return (Some((*a).clone()), None);
    }
    let from_history = history_defined(f, evidence);
    let chosen: Option<(AlarmDefinition, String)> = match described.first() {
        Some(a) => Some(((*a).clone(), "describe-alarms".to_string())),
        None => from_history
            .iter()
            .find(|(a, _)| configured.contains(&a.name))
            .or(from_history.first())
            .map(|(a, h)| {
                (
                    a.clone(),
                    format!(
                        "its alarm history's latest ConfigurationUpdate ({}); no describe-alarms entry for it is in the evidence",
                        cite(h)
                    ),
                )
            }),
    };
    let Some((alarm, source)) = chosen else {
        return (None, None);
    };
    if configured.is_empty() || configured.contains(&alarm.name) {
        let basis = (source != "describe-alarms")
            .then(|| format!("its definition is the one recorded by {source}"));
        return (Some(alarm), basis);
    }
    let basis = format!(
        "[detection].alarms names {}, none of which the evidence shows on this filter's metric; {} is on it ({source}) and is the alarm replayed: which alarm is flow 1's, the configured or this one, the evidence does not settle",
        configured.join(", "),
        alarm.name
    );
    (Some(alarm), Some(basis))
}

/// The alarms describe-alarms does not define whose latest `ConfigurationUpdate` item is read,
/// in force and on `f`'s metric, with that item; by alarm name.
fn history_defined<'e>(
    f: &MetricFilter,
    evidence: &'e ConfigEvidence,
) -> Vec<(AlarmDefinition, &'e AlarmHistoryItem)> {
    let mut latest: BTreeMap<&str, &AlarmHistoryItem> = BTreeMap::new();
    for h in evidence
        .alarm_history
        .iter()
        .filter(|h| h.item_type == "ConfigurationUpdate")
        .filter(|h| h.definition.is_some() || h.data_unreadable.is_some())
        .filter(|h| !evidence.alarms.iter().any(|a| a.name == h.alarm_name))
    {
        let e = latest.entry(h.alarm_name.as_str()).or_insert(h);
        if (h.time, h.origin) > (e.time, e.origin) {
            *e = h;
        }
    }
    latest
        .into_values()
        .filter_map(|h| {
            let d = h.definition.as_ref().filter(|d| d.in_force())?;
            let metric = AlarmMetric {
                name: d.metric_name.as_deref(),
                namespace: d.namespace.as_deref(),
                dimensions: d.dimensions.as_deref(),
                source: "the alarm history",
            };
            metric_match::matches(f, &metric)?;
            let mut alarm = (*d.alarm).clone();
            alarm.name = h.alarm_name.clone();
            Some((alarm, h))
        })
        .collect()
}
