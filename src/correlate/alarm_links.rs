//! Flow 1's alarm linked to the honeytoken through its own alarm history. A `ConfigurationUpdate`
//! item records the alarm's definition as created or updated (metric, namespace, actions); for
//! an alarm with no describe-alarms entry, the definition in force at the first access says
//! whether a honeytoken metric filter feeds it. Reads the configuration evidence only.

use crate::model::{AlarmHistoryItem, HistoryDefinition, MetricFilter, Timestamp};
use std::collections::BTreeMap;

/// The alarm history item's id, as the timeline and `alarm_evidence` cite it.
pub fn cite(h: &AlarmHistoryItem) -> String {
    format!("alarm:{}:{}:{}", h.alarm_name, h.item_type, h.time)
}

/// A honeytoken metric filter's metric.
struct FilterMetric {
    filter: String,
    metric_name: String,
    namespace: Option<String>,
}

/// The alarm definitions of the history, for the alarms the evidence does not otherwise define.
#[derive(Default)]
pub struct HistoryDefinitions<'e> {
    /// Per alarm: its `ConfigurationUpdate` items that record a definition, or whose HistoryData
    /// could not be read (the definition then unknown, never skipped), oldest first.
    by_alarm: BTreeMap<&'e str, Vec<&'e AlarmHistoryItem>>,
    filters: Vec<FilterMetric>,
    /// Whether any metric filter is in the evidence: without one, no metric is known to be fed
    /// by the honeytoken's.
    filters_in_evidence: bool,
    /// What named the honeytoken metric filters: `[detection].metric_filters` or their patterns.
    filters_source: &'static str,
}

impl<'e> HistoryDefinitions<'e> {
    /// `described`: whether describe-alarms defines the alarm (its history is then not used).
    pub fn new(
        history: &'e [AlarmHistoryItem],
        described: impl Fn(&str) -> bool,
        filters: &[&MetricFilter],
        filters_in_evidence: bool,
        filters_configured: bool,
    ) -> Self {
        let mut by_alarm: BTreeMap<&str, Vec<&AlarmHistoryItem>> = BTreeMap::new();
        for h in history
            .iter()
            .filter(|h| {
                h.item_type == "ConfigurationUpdate"
                    && (h.definition.is_some() || h.data_unreadable.is_some())
            })
            .filter(|h| !described(&h.alarm_name))
        {
            by_alarm.entry(h.alarm_name.as_str()).or_default().push(h);
        }
        for items in by_alarm.values_mut() {
            items.sort_by_key(|h| (h.time, h.origin));
        }
        HistoryDefinitions {
            by_alarm,
            filters: filters
                .iter()
                .filter_map(|f| {
                    Some(FilterMetric {
                        filter: f.name.clone(),
                        metric_name: f.metric_name.clone()?,
                        namespace: f.metric_namespace.clone(),
                    })
                })
                .collect(),
            filters_in_evidence,
            filters_source: if filters_configured {
                "[detection].metric_filters, describe-metric-filters"
            } else {
                "describe-metric-filters"
            },
        }
    }

    /// The item whose definition is in force at `t`: the latest at or before it.
    fn item_at(&self, alarm: &str, t: Timestamp) -> Option<&'e AlarmHistoryItem> {
        self.by_alarm
            .get(alarm)?
            .iter()
            .rev()
            .find(|h| h.time <= t)
            .copied()
    }

    fn feeding(&self, d: &HistoryDefinition) -> Option<&FilterMetric> {
        let name = d.metric_name.as_deref()?;
        self.filters.iter().find(|f| {
            f.metric_name == name
                && (f.namespace.is_none() || d.namespace.is_none() || f.namespace == d.namespace)
        })
    }

    /// Whether the alarm's definition in force at `t` watches a honeytoken filter's metric.
    pub fn links(&self, alarm: &str, t: Timestamp) -> bool {
        self.item_at(alarm, t)
            .and_then(|h| h.definition.as_ref())
            .is_some_and(|d| d.in_force() && self.feeding(d).is_some())
    }

    /// The basis of a link at `t` (the first access), citing the item.
    pub fn basis(&self, alarm: &str, t: Timestamp) -> Option<String> {
        let h = self.item_at(alarm, t)?;
        let d = h.definition.as_ref().filter(|d| d.in_force())?;
        let f = self.feeding(d)?;
        Some(format!(
            "alarm history ConfigurationUpdate at {} ({}): the alarm's definition ({}), the latest before the first access, watches {}, the metric of the honeytoken metric filter {} ({}); no describe-alarms entry for it is in the evidence",
            h.time,
            cite(h),
            d.change,
            d.metric().unwrap_or_default(),
            f.filter,
            self.filters_source
        ))
    }

    /// The alarms whose definition in force at `t` links them.
    pub fn linked_at(&self, t: Timestamp) -> Vec<&'e str> {
        self.by_alarm
            .keys()
            .copied()
            .filter(|a| self.links(a, t))
            .collect()
    }

    /// For an alarm linked at `t`: the changes after it, up to `until`, after which its
    /// definition no longer links it (another metric, or deleted).
    pub fn unlinking_changes(&self, alarm: &str, t: Timestamp, until: Timestamp) -> Vec<String> {
        let Some(items) = self.by_alarm.get(alarm) else {
            return Vec::new();
        };
        items
            .iter()
            .filter(|h| h.time > t && h.time <= until && !self.links(alarm, h.time))
            .map(|h| {
                if let Some(why) = &h.data_unreadable {
                    return format!(
                        "flow1_alarm: alarm {alarm}'s definition was changed at {} ({}), after the first access, but that alarm history item could not be read ({why}): whether it still watched the honeytoken's metric from then on is unknown, so its transitions from then on are not taken for flow 1's",
                        h.time,
                        cite(h)
                    );
                }
                let d = h.definition.as_ref();
                let what = match d.and_then(|d| d.in_force().then(|| d.metric()).flatten()) {
                    Some(m) => format!("changed to watch {m}"),
                    None if d.is_some_and(|d| !d.in_force()) => "deleted".to_string(),
                    None => "changed to watch no single metric".to_string(),
                };
                format!(
                    "flow1_alarm: alarm {alarm}'s definition {what} at {} ({}), after the first access: its transitions from then on are not taken for flow 1's (the definition at the first access is the one that links it)",
                    h.time,
                    cite(h)
                )
            })
            .collect()
    }

    /// For an alarm whose history's definition in force at `t` could not be read: why its link
    /// to the honeytoken is unknown, citing the item.
    pub fn link_unknown(&self, alarm: &str, t: Timestamp) -> Option<String> {
        let h = self.item_at(alarm, t)?;
        let why = h.data_unreadable.as_deref()?;
        Some(format!(
            "alarm history ConfigurationUpdate at {} ({}): {}",
            h.time,
            cite(h),
            unreadable(why)
        ))
    }

    /// For an alarm not linked at `t`: what its history says it watched then, and why that does
    /// not link it. `None` when its history records no definition (or describe-alarms has it).
    pub fn unlinked(&self, alarm: &str, t: Timestamp) -> Option<String> {
        let items = self.by_alarm.get(alarm)?;
        let Some(h) = self.item_at(alarm, t) else {
            let first = items.first()?;
            if let Some(why) = &first.data_unreadable {
                return Some(format!(
                    "its alarm history's first recorded definition is after the first access (at {}, {}) and could not be read ({why})",
                    first.time,
                    cite(first)
                ));
            }
            return Some(format!(
                "its alarm history's first recorded definition is after the first access ({} at {}, {})",
                first.definition.as_ref().map_or("", |d| d.change.as_str()),
                first.time,
                cite(first)
            ));
        };
        let at = format!(
            "alarm history ConfigurationUpdate at {} ({})",
            h.time,
            cite(h)
        );
        if let Some(why) = &h.data_unreadable {
            return Some(format!("{at}: {}", unreadable(why)));
        }
        let d = h.definition.as_ref()?;
        if !d.in_force() {
            return Some(format!("{at}: deleted before the first access"));
        }
        let Some(metric) = d.metric() else {
            return Some(format!(
                "{at}: its definition ({}) names no single metric",
                d.change
            ));
        };
        let why = if !self.filters_in_evidence {
            "no metric filter is in the evidence to say whether the honeytoken's feeds it: collect the log group's metric filters (describe-metric-filters) to link it"
        } else if self.filters.is_empty() {
            "no metric filter of the evidence is recognised as the honeytoken's: name it in [detection].metric_filters to link it"
        } else {
            "no honeytoken metric filter of the evidence feeds it"
        };
        Some(format!(
            "{at}: its definition ({}) watches {metric}{}; {why}",
            d.change,
            actions(&d.alarm_actions)
        ))
    }
}

/// An alarm whose definition in force is recorded by an item that could not be read.
fn unreadable(why: &str) -> String {
    format!("this alarm history item, the latest before the first access, records the alarm's definition, but it could not be read ({why}): the definition in force at the first access, and so whether the alarm watched the honeytoken's metric, is unknown")
}

fn actions(a: &[String]) -> String {
    if a.is_empty() {
        " with no alarm action".to_string()
    } else {
        format!(" with alarm action(s) {}", a.join(", "))
    }
}
