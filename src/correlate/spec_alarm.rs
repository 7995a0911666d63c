//! Which alarm the replay evaluates on a flow-1 metric filter's metric, and on what basis. With
//! a honeytoken access, the rule of the case's flow 1 (`alarm_at`): each alarm's definition in
//! force at the first access (describe-alarms', or its alarm history's where that records a
//! change after the access or describe-alarms lacks the alarm); an alarm on the metric only
//! since a later change is not replayed, one whose definition then is unknown is named. With no
//! access to take a time from, the latest definition: describe-alarms', else the history's
//! latest ConfigurationUpdate, said as such. Among the alarms on the metric, one named in
//! `[detection].alarms` first; where it names alarms and none is on the metric but another is,
//! the one replayed is named with the disagreement, never picked silently. Reads the
//! configuration evidence only.

use super::alarm_at::InForce;
use super::alarm_links::{cite, Described, HistoryDefinitions};
use crate::model::{AlarmDefinition, AlarmHistoryItem, ConfigEvidence, MetricFilter, Timestamp};
use crate::rules::metric_match;
use std::collections::{BTreeMap, BTreeSet};

/// The alarm to replay on `f`'s metric and, when not plainly describe-alarms' agreeing with
/// the configuration, where it comes from; with none, why (for the replay's error).
pub struct Chosen {
    pub alarm: Option<AlarmDefinition>,
    pub basis: Option<String>,
    /// With no alarm: why none is replayed when the evidence holds one on the metric now.
    pub none_because: Option<String>,
}

/// The alarm to replay on `f`'s metric, by its definition in force at `first_access` (the
/// earliest honeytoken access), or, with none, by the latest definition.
pub fn choose(
    f: &MetricFilter,
    configured: &[String],
    evidence: &ConfigEvidence,
    first_access: Option<Timestamp>,
) -> Chosen {
    let on_metric = |a: &&AlarmDefinition| super::detection::described_feeding(&[f], a).is_some();
    let described: Vec<&AlarmDefinition> = evidence.alarms.iter().filter(on_metric).collect();
    let Some(t) = first_access else {
        return latest(f, configured, evidence, &described);
    };
    let history = HistoryDefinitions::new(
        &evidence.alarm_history,
        evidence
            .alarms
            .iter()
            .map(|a| {
                (
                    a.name.as_str(),
                    Described {
                        links: on_metric(&a),
                        since: a.config_updated,
                    },
                )
            })
            .collect(),
        &[f],
        true,
        false,
    );
    let names: BTreeSet<&str> = evidence
        .alarms
        .iter()
        .map(|a| a.name.as_str())
        .chain(evidence.alarm_history.iter().map(|h| h.alarm_name.as_str()))
        .collect();
    // In force at t and on the metric: describe-alarms' (basis None) or the history's.
    let mut at_t: Vec<(AlarmDefinition, Option<String>)> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for name in names {
        match history.state(name, t) {
            None => {
                let Some(a) = described.iter().find(|a| a.name == name) else {
                    continue;
                };
                match a.config_updated.filter(|s| *s > t) {
                    None => at_t.push(((*a).clone(), None)),
                    Some(since) => unknown.push(format!(
                        "alarm {name}'s describe-alarms definition, on the metric, is in force since {since} (AlarmConfigurationUpdatedTimestamp), after the first access, and the alarm history records no definition before it: its definition at the first access is unknown"
                    )),
                }
            }
            Some(s @ InForce::Unknown { .. }) => {
                if described.iter().any(|a| a.name == name) || on_metric_history(f, name, evidence)
                {
                    let InForce::Unknown { why, .. } = &s else {
                        continue;
                    };
                    unknown.push(format!(
                        "alarm {name}'s definition at the first access is unknown ({}: {why})",
                        s.at()
                    ));
                }
            }
            Some(s) => {
                let Some(d) = s.definition() else { continue };
                if metric_match::history_matches(f, d).is_none() {
                    continue;
                }
                let mut alarm = (*d.alarm).clone();
                alarm.name = name.to_string();
                let later = matches!(s, InForce::Recorded { later: true, .. });
                let described_too = evidence.alarms.iter().any(|a| a.name == name);
                at_t.push((
                    alarm,
                    Some(format!(
                        "its definition is the one in force at the first access ({t}), as the {}{}{}",
                        s.at(),
                        if later {
                            ", the alarm's first recorded change after it, records it before that change"
                        } else {
                            " records it"
                        },
                        if described_too {
                            "; describe-alarms shows a later definition"
                        } else {
                            "; no describe-alarms entry for it is in the evidence"
                        }
                    )),
                ));
            }
        }
    }
    let chosen = at_t
        .iter()
        .find(|(a, _)| configured.contains(&a.name))
        .or(at_t.first())
        .cloned();
    let unknown_note = (!unknown.is_empty()).then(|| unknown.join("; "));
    let Some((alarm, basis)) = chosen else {
        // On the metric now (describe-alarms or the history's latest), but not at t.
        let now = latest(f, configured, evidence, &described);
        let because = now.alarm.map(|a| {
            format!(
                "no alarm watched the filter's metric at the first access ({t}) by the definition then in force (the rule of flow 1's detection); {} is on it only by a later definition, not replayed{}",
                a.name,
                unknown_note
                    .as_deref()
                    .map(|u| format!("; {u}"))
                    .unwrap_or_default()
            )
        });
        return Chosen {
            alarm: None,
            basis: None,
            none_because: because.or(unknown_note),
        };
    };
    let source = if basis.is_none() {
        "describe-alarms"
    } else {
        "its alarm history"
    };
    let mut notes: Vec<String> = basis.into_iter().collect();
    if !configured.is_empty() && !configured.contains(&alarm.name) {
        notes.push(format!(
            "[detection].alarms names {}, none of which the evidence shows on this filter's metric; {} is on it ({source}) and is the alarm replayed: which alarm is flow 1's, the configured or this one, the evidence does not settle",
            configured.join(", "),
            alarm.name
        ));
    }
    notes.extend(unknown_note);
    Chosen {
        alarm: Some(alarm),
        basis: (!notes.is_empty()).then(|| notes.join("; ")),
        none_because: None,
    }
}

/// Whether the alarm's latest recorded definition in the history watches `f`'s metric.
fn on_metric_history(f: &MetricFilter, name: &str, evidence: &ConfigEvidence) -> bool {
    history_defined(f, evidence, false)
        .iter()
        .any(|(a, _)| a.name == name)
}

/// The latest definition: describe-alarms', else the history's latest ConfigurationUpdate; the
/// basis says it is the latest, taken for want of an access time.
fn latest(
    f: &MetricFilter,
    configured: &[String],
    evidence: &ConfigEvidence,
    described: &[&AlarmDefinition],
) -> Chosen {
    const NO_ACCESS: &str = "no honeytoken access gives a time to take its definition in force at, so the latest definition in the evidence is replayed";
    let from_history = history_defined(f, evidence, true);
    let chosen: Option<(AlarmDefinition, String)> = match described
        .iter()
        .find(|a| configured.contains(&a.name))
        .or(described.first())
    {
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
        return Chosen {
            alarm: None,
            basis: None,
            none_because: None,
        };
    };
    let basis = if configured.is_empty() || configured.contains(&alarm.name) {
        format!("{NO_ACCESS}: the one recorded by {source}")
    } else {
        format!(
            "{NO_ACCESS}; [detection].alarms names {}, none of which the evidence shows on this filter's metric; {} is on it ({source}) and is the alarm replayed: which alarm is flow 1's, the configured or this one, the evidence does not settle",
            configured.join(", "),
            alarm.name
        )
    };
    Chosen {
        alarm: Some(alarm),
        basis: Some(basis),
        none_because: None,
    }
}

/// The alarms whose latest `ConfigurationUpdate` item is read, in force and on `f`'s metric,
/// with that item; by alarm name. `undescribed`: only those describe-alarms does not define.
fn history_defined<'e>(
    f: &MetricFilter,
    evidence: &'e ConfigEvidence,
    undescribed: bool,
) -> Vec<(AlarmDefinition, &'e AlarmHistoryItem)> {
    let mut latest: BTreeMap<&str, &AlarmHistoryItem> = BTreeMap::new();
    for h in evidence
        .alarm_history
        .iter()
        .filter(|h| h.item_type == "ConfigurationUpdate")
        .filter(|h| h.definition.is_some() || h.data_unreadable.is_some())
        .filter(|h| !undescribed || !evidence.alarms.iter().any(|a| a.name == h.alarm_name))
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
            metric_match::history_matches(f, d)?;
            let mut alarm = (*d.alarm).clone();
            alarm.name = h.alarm_name.clone();
            Some((alarm, h))
        })
        .collect()
}
