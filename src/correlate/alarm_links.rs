//! Flow 1's alarm linked to the honeytoken at a time through its own alarm history. A
//! `ConfigurationUpdate` item records the alarm's definition as created, updated or deleted
//! (metric, namespace, actions; for an Update, the fields it changed): the definition in force
//! at the first access (`alarm_at`) says whether a honeytoken metric filter fed it then. For an
//! alarm describe-alarms defines, that entry is its definition at the first access unless the
//! history records a change after it, or the entry's own update time is after it. Reads the
//! configuration evidence only.

pub use super::alarm_at::cite;
use super::alarm_at::{in_force, InForce};
use crate::model::{AlarmHistoryItem, HistoryDefinition, MetricFilter, Timestamp};
use crate::rules::metric_match::{self, MetricMatch};
use std::collections::BTreeMap;

/// What describe-alarms says of an alarm: whether its definition watches a honeytoken filter's
/// metric, and since when it is in force (`AlarmConfigurationUpdatedTimestamp`).
#[derive(Clone, Copy)]
pub struct Described {
    pub links: bool,
    pub since: Option<Timestamp>,
}

/// The alarm definitions of the history, with describe-alarms' for the alarms it defines.
#[derive(Default)]
pub struct HistoryDefinitions<'e> {
    /// Per alarm: its `ConfigurationUpdate` items that record a definition, or whose HistoryData
    /// could not be read (the definition then unknown, never skipped), oldest first.
    by_alarm: BTreeMap<&'e str, Vec<&'e AlarmHistoryItem>>,
    /// The alarms describe-alarms defines.
    described: BTreeMap<&'e str, Described>,
    /// The honeytoken metric filters.
    filters: Vec<&'e MetricFilter>,
    /// Whether any metric filter is in the evidence: without one, no metric is known to be fed
    /// by the honeytoken's.
    filters_in_evidence: bool,
    /// What named the honeytoken metric filters: `[detection].metric_filters` or their patterns.
    filters_source: &'static str,
}

impl<'e> HistoryDefinitions<'e> {
    pub fn new(
        history: &'e [AlarmHistoryItem],
        described: BTreeMap<&'e str, Described>,
        filters: &[&'e MetricFilter],
        filters_in_evidence: bool,
        filters_configured: bool,
    ) -> Self {
        let mut by_alarm: BTreeMap<&str, Vec<&AlarmHistoryItem>> = BTreeMap::new();
        for h in history.iter().filter(|h| {
            h.item_type == "ConfigurationUpdate"
                && (h.definition.is_some() || h.data_unreadable.is_some())
        }) {
            by_alarm.entry(h.alarm_name.as_str()).or_default().push(h);
        }
        for items in by_alarm.values_mut() {
            items.sort_by_key(|h| (h.time, h.origin));
        }
        HistoryDefinitions {
            by_alarm,
            described,
            filters: filters.to_vec(),
            filters_in_evidence,
            filters_source: if filters_configured {
                "[detection].metric_filters, describe-metric-filters"
            } else {
                "describe-metric-filters"
            },
        }
    }

    /// The definition the history says was in force at `t`, when it says: for an alarm
    /// describe-alarms defines, only when the history records a change after `t` (the entry
    /// shows the definition after it).
    pub fn state(&self, alarm: &str, t: Timestamp) -> Option<InForce<'e>> {
        let items = self.by_alarm.get(alarm)?;
        if self.described.contains_key(alarm) && !items.iter().any(|h| h.time > t) {
            return None;
        }
        in_force(items, t)
    }

    fn feeding(&self, d: &HistoryDefinition) -> Option<(&'e MetricFilter, MetricMatch)> {
        self.filters
            .iter()
            .find_map(|f| Some((*f, metric_match::history_matches(f, d)?)))
    }

    /// Whether the alarm watched a honeytoken filter's metric at `t`: by the history's
    /// definition in force then, or, where the history does not say, by describe-alarms' (when
    /// in force since before `t`).
    pub fn links(&self, alarm: &str, t: Timestamp) -> bool {
        match self.state(alarm, t) {
            Some(s) => s.definition().is_some_and(|d| self.feeding(d).is_some()),
            None => self
                .described
                .get(alarm)
                .is_some_and(|d| d.links && d.since.is_none_or(|s| s <= t)),
        }
    }

    /// Whether the history, not describe-alarms, gives the alarm's definition at `t`.
    pub fn decides(&self, alarm: &str, t: Timestamp) -> bool {
        self.state(alarm, t).is_some()
    }

    /// The basis of a link at `t` (the first access) the history gives, citing the item.
    pub fn basis(&self, alarm: &str, t: Timestamp) -> Option<String> {
        let s = self.state(alarm, t)?;
        let d = s.definition()?;
        let (f, how) = self.feeding(d)?;
        let which = match &s {
            InForce::Recorded { later: true, .. } => format!(
                ", the alarm's first recorded change after the first access: {}, watched",
                before(d)
            ),
            _ => format!(
                ": the alarm's definition ({}), the latest before the first access, watches",
                d.change
            ),
        };
        let described = if self.described.contains_key(alarm) {
            "; describe-alarms shows its definition after a later change, not the one at the first access"
        } else {
            "; no describe-alarms entry for it is in the evidence"
        };
        Some(format!(
            "{}{which} {}, the metric of the honeytoken metric filter {} ({}){}{described}",
            s.at(),
            match &d.alarm.math {
                Some(_) => format!(
                    "a metric-math expression over {}",
                    f.metric_name.as_deref().unwrap_or_default()
                ),
                None => d.metric().unwrap_or_default(),
            },
            f.name,
            self.filters_source,
            how.rests_on()
        ))
    }

    /// The alarms the history or describe-alarms links at `t`.
    pub fn linked_at(&self, t: Timestamp) -> Vec<&'e str> {
        let mut names: Vec<&'e str> = self
            .by_alarm
            .keys()
            .chain(self.described.keys())
            .copied()
            .filter(|a| self.links(a, t))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// For an alarm linked at `t`: the changes after it, up to `until`, after which its
    /// definition no longer links it (another metric, deleted, or not known).
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
                    None => match d.and_then(|d| d.alarm.math.as_ref()) {
                        // Linked at the read, so a honeytoken metric filter is known: none of
                        // the queries reads its metric now.
                        Some(math) => format!(
                            "changed to {}, none of which reads the honeytoken metric filter's metric,",
                            math.describe()
                        ),
                        None => "changed to record no metric (neither a metric name nor metric-math queries)".to_string(),
                    },
                };
                format!(
                    "flow1_alarm: alarm {alarm}'s definition {what} at {} ({}), after the first access: its transitions from then on are not taken for flow 1's (the definition at the first access is the one that links it)",
                    h.time,
                    cite(h)
                )
            })
            .collect()
    }

    /// For an alarm whose definition in force at `t` is not known: why its link to the
    /// honeytoken is unknown, citing what it rests on.
    pub fn link_unknown(&self, alarm: &str, t: Timestamp) -> Option<String> {
        match self.state(alarm, t) {
            Some(s @ InForce::Unknown { .. }) => {
                let InForce::Unknown { why, .. } = &s else {
                    return None;
                };
                Some(format!("{}: {why}: {UNKNOWN_AT_T}", s.at()))
            }
            Some(_) => None,
            None => {
                let d = self.described.get(alarm)?;
                let since = d.since.filter(|s| *s > t)?;
                let history = match self.cut_before(alarm, t) {
                    Some(h) => format!(
                        "the alarm history's item that records its definition before it could not be read ({}, the alarm_history_data_unreadable gap)",
                        cite(h)
                    ),
                    None => "the alarm history records no definition in force before it".into(),
                };
                Some(format!(
                    "its describe-alarms definition is in force since {since} (AlarmConfigurationUpdatedTimestamp), after the first access, and {history}: {UNKNOWN_AT_T}"
                ))
            }
        }
    }

    /// The latest `ConfigurationUpdate` item of `alarm` at or before `t` whose HistoryData could
    /// not be read, when it is the latest at or before `t`: the definition it records is the
    /// one in force at `t`, unknown.
    fn cut_before(&self, alarm: &str, t: Timestamp) -> Option<&'e AlarmHistoryItem> {
        self.by_alarm
            .get(alarm)?
            .iter()
            .rev()
            .find(|h| h.time <= t)
            .filter(|h| h.data_unreadable.is_some())
            .copied()
    }

    /// For an alarm not linked at `t`: what its history says it watched then, and why that does
    /// not link it. `None` when the history does not say (or describe-alarms does).
    pub fn unlinked(&self, alarm: &str, t: Timestamp) -> Option<String> {
        if let Some(why) = self.link_unknown(alarm, t) {
            return Some(why);
        }
        let s = self.state(alarm, t)?;
        let at = s.at();
        let (d, later) = match s {
            InForce::Unknown { .. } => return None,
            InForce::NotCreated(h) => {
                return Some(format!(
                    "its alarm history's first recorded definition is after the first access (Create at {}, {}): the alarm did not exist then",
                    h.time,
                    cite(h)
                ))
            }
            InForce::Recorded { def, later, .. } => (def, later),
        };
        if !d.in_force() {
            return Some(format!("{at}: deleted before the first access"));
        }
        let at = if later {
            format!(
                "{at}, the alarm's first recorded change after the first access: {}, watched",
                before(d)
            )
        } else {
            format!("{at}: its definition ({}) watches", d.change)
        };
        let why = if !self.filters_in_evidence {
            "no metric filter is in the evidence to say whether the honeytoken's feeds it: collect the log group's metric filters (describe-metric-filters) to link it"
        } else if self.filters.is_empty() {
            "no metric filter of the evidence is recognised as the honeytoken's: name it in [detection].metric_filters to link it"
        } else {
            "no honeytoken metric filter of the evidence feeds it"
        };
        let Some(metric) = d.metric() else {
            // A metric-math alarm: which metrics its queries read, and whether one is the
            // honeytoken's (none is, or the alarm would be linked).
            let Some(math) = &d.alarm.math else {
                return Some(format!(
                    "{at} no metric it records (neither a metric name nor metric-math queries)"
                ));
            };
            let why = if self.filters_in_evidence && !self.filters.is_empty() {
                "none of them reads the honeytoken metric filter's metric (name, namespace and dimension names)"
            } else {
                why
            };
            // "… watches" / "… watched" said of an alarm: "is" / "was".
            let at = at
                .strip_suffix(" watches")
                .map(|a| format!("{a} is"))
                .or_else(|| at.strip_suffix(" watched").map(|a| format!("{a} was")))
                .unwrap_or(at);
            return Some(format!(
                "{at} {}{}; {why}",
                math.describe(),
                actions(&d.alarm_actions)
            ));
        };
        Some(format!("{at} {metric}{}; {why}", actions(&d.alarm_actions)))
    }
}

impl HistoryDefinitions<'_> {
    /// For an alarm describe-alarms links now but not at `t`: what the evidence lacks to settle
    /// its link at `t` (its definition then), or, when the history records that definition and
    /// it did not link the alarm, that nothing does.
    pub fn missing_at(&self, alarm: &str, t: Timestamp) -> String {
        let collect = format!(
            "collect its alarm history's ConfigurationUpdate items from before the first access (describe-alarm-history --alarm-name {alarm} --history-item-type ConfigurationUpdate; {}), or name it in trailcase.toml ([detection].alarms) if it is known to have watched the honeytoken's metric then",
            crate::model::ALARM_HISTORY_KEPT
        );
        match self.state(alarm, t) {
            Some(InForce::Unknown { item, .. }) if item.data_unreadable.is_some() => format!(
                "alarm {alarm}'s definition in force at the first access is recorded only by an alarm history item whose HistoryData could not be read ({}, the alarm_history_data_unreadable gap): collecting it again gives the same item, so only trailcase.toml ([detection].alarms) can name the alarm flow 1's, if it is known to have watched the honeytoken's metric then",
                cite(item)
            ),
            Some(InForce::Unknown { item, .. }) => format!(
                "alarm {alarm}'s definition in force at the first access: its first recorded change after it ({}) does not record the fields it changed; {collect}",
                cite(item)
            ),
            Some(s) => format!(
                "nothing for alarm {alarm}: its definition in force at the first access is recorded ({}) and did not watch the honeytoken's metric, so it was not flow 1's for this read",
                s.at()
            ),
            None if self.cut_before(alarm, t).is_some() => format!(
                "alarm {alarm}'s definition in force at the first access is recorded only by an alarm history item whose HistoryData could not be read ({}, the alarm_history_data_unreadable gap), and describe-alarms shows only a later one: collecting the history again gives the same item, so only trailcase.toml ([detection].alarms) can name the alarm flow 1's, if it is known to have watched the honeytoken's metric then",
                self.cut_before(alarm, t).map(cite).unwrap_or_default()
            ),
            None => {
                let since = self
                    .described
                    .get(alarm)
                    .and_then(|d| d.since)
                    .map(|s| format!(" since {s}"))
                    .unwrap_or_default();
                format!(
                    "alarm {alarm}'s definition in force at the first access: describe-alarms shows only the one in force{since}; {collect}"
                )
            }
        }
    }
}

/// What is unknown when the definition in force at the first access is.
const UNKNOWN_AT_T: &str = "the definition in force at the first access, and so whether the alarm watched the honeytoken's metric, is unknown";

/// The definition before a change, as the change's item records it.
fn before(d: &HistoryDefinition) -> &'static str {
    if d.change.ends_with("Delete") {
        "its definition before that Delete (deletedAlarm)"
    } else {
        "its definition before that Update (the changed fields' former values, originalUpdatedFields, over the updated definition)"
    }
}

fn actions(a: &[String]) -> String {
    if a.is_empty() {
        " with no alarm action".to_string()
    } else {
        format!(" with alarm action(s) {}", a.join(", "))
    }
}
