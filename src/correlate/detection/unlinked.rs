//! Flow 1 when no alarm of the evidence is linked to the honeytoken at the first access: the
//! alarms that entered ALARM in the window, named as unlinked (what their history says they
//! watched), those describe-alarms links now but not then (and what the evidence lacks to link
//! them), and those whose link is unknown. Reads the configuration evidence through `Flows`.

use super::{Flow1, Flows};
use crate::correlate::alarm_links::cite;
use crate::model::{AlarmHistoryItem, Timestamp, UnlinkedAlarm};
use crate::rules::metric_match::{self, AlarmMetric};

impl Flows<'_> {
    /// The alarms describe-alarms links to the honeytoken whose definition in force at `t` is
    /// another, or unknown: said, as their transitions are then not taken for flow 1's.
    pub(super) fn described_not_in_force(&self, t: Timestamp) -> Vec<String> {
        if self.configured() {
            return Vec::new();
        }
        let mut names: Vec<&str> = self.alarm_set.iter().map(String::as_str).collect();
        names.sort_unstable();
        names
            .into_iter()
            .filter(|a| !self.history.links(a, t))
            .filter_map(|a| {
                let why = self.history.unlinked(a, t)?;
                let then = if self.history.link_unknown(a, t).is_some() {
                    "whether that is its definition in force at the first access is unknown"
                } else {
                    "that is not its definition in force at the first access"
                };
                Some(format!(
                    "alarm {a}'s describe-alarms definition watches the honeytoken metric filter's metric, but {then} ({why}): its transitions are not taken for flow 1's"
                ))
            })
            .collect()
    }

    /// For an alarm describe-alarms defines whose metric no honeytoken filter publishes though
    /// one has its name: the namespace or dimensions that differ.
    pub(super) fn described_unlinked(&self, name: &str) -> Option<String> {
        let a = self.evidence.alarms.iter().find(|a| a.name == name)?;
        let why = metric_match::near_miss(
            &self.filters,
            &AlarmMetric {
                name: a.metric_name.as_deref(),
                namespace: a.namespace.as_deref(),
                dimensions: a.dimensions.as_deref(),
                source: "describe-alarms",
            },
        )?;
        Some(format!(
            "its definition (describe-alarms) watches {}{}; {why}",
            a.namespace
                .as_deref()
                .map(|n| format!("{n}/"))
                .unwrap_or_default(),
            a.metric_name.as_deref().unwrap_or_default()
        ))
    }

    /// The alarms that entered ALARM in the window whose link to the honeytoken is unknown
    /// (their history's definition at the first access could not be read), as unknowns: flow
    /// 1's alarm may be one of them.
    pub(super) fn links_unknown(&self, first_access: Timestamp, window_ms: i64) -> Vec<String> {
        if self.configured() {
            return Vec::new();
        }
        let mut out: Vec<String> = self
            .evidence
            .alarm_history
            .iter()
            .filter(|h| h.item_type == "StateUpdate" && h.new_state.as_deref() == Some("ALARM"))
            .filter(|h| Self::in_window(h.time, first_access, window_ms))
            // describe-alarms' linked alarms are told by `described_not_in_force`.
            .filter(|h| !self.is_alarm(&h.alarm_name))
            .filter_map(|h| {
                let why = self.history.link_unknown(&h.alarm_name, first_access)?;
                Some(format!(
                    "flow1_alarm: alarm {} entered ALARM at {} ({}{}), but whether it is linked to the honeytoken is unknown: {why}",
                    h.alarm_name,
                    h.time,
                    cite(h),
                    summary_only(h)
                ))
            })
            .collect();
        out.dedup();
        out
    }

    /// Flow 1 when no alarm is linked to the honeytoken: its time is unknown; the alarms of the
    /// history that entered ALARM in the window are named, as alarms that may or may not watch
    /// the honeytoken.
    pub(super) fn flow1_unlinked(&self, first_access: Timestamp, window_ms: i64) -> Flow1 {
        let unlinked: Vec<UnlinkedAlarm> = self
            .evidence
            .alarm_history
            .iter()
            .filter(|h| h.item_type == "StateUpdate" && h.new_state.as_deref() == Some("ALARM"))
            .filter(|h| Self::in_window(h.time, first_access, window_ms))
            .map(|h| UnlinkedAlarm {
                alarm: h.alarm_name.clone(),
                time: h.time,
                cite: cite(h),
                definition: self
                    .history
                    .unlinked(&h.alarm_name, first_access)
                    .or_else(|| self.described_unlinked(&h.alarm_name)),
                transition: h
                    .transition_from_summary()
                    .map(|r| format!("the transition to ALARM {r}")),
            })
            .collect();
        let mut defined: Vec<String> = unlinked
            .iter()
            // An alarm describe-alarms links now is told with why, first (`linked_now`).
            .filter(|u| !self.is_alarm(&u.alarm))
            .filter_map(|u| Some(format!("{}: {}", u.alarm, u.definition.as_deref()?)))
            .collect();
        defined.dedup();
        let defined = if defined.is_empty() {
            String::new()
        } else {
            format!(
                "; what the alarm history says they watched: {}",
                defined.join("; ")
            )
        };
        let seen = if unlinked.is_empty() {
            format!(
                "no alarm of the history entered ALARM within {} minutes of the first access",
                window_ms / 60_000
            )
        } else {
            format!(
                "alarm(s) that entered ALARM within {} minutes of the first access, not linked to it (they may or may not watch it): {}",
                window_ms / 60_000,
                unlinked
                    .iter()
                    .map(|u| match &u.transition {
                        Some(r) => format!("{} at {} ({}: {r})", u.alarm, u.time, u.cite),
                        None => format!("{} at {}", u.alarm, u.time),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let linked_now = self.described_not_in_force(first_access);
        // With an alarm on the metric now, describe-alarms and the filters are in the evidence:
        // what is missing is its definition at the first access, said per alarm.
        let link_missing = (!linked_now.is_empty()).then(|| {
            let mut names: Vec<&str> = self.alarm_set.iter().map(String::as_str).collect();
            names.sort_unstable();
            names
                .into_iter()
                // The alarms `described_not_in_force` names.
                .filter(|a| !self.history.links(a, first_access))
                .filter(|a| self.history.unlinked(a, first_access).is_some())
                .map(|a| self.history.missing_at(a, first_access))
                .collect::<Vec<_>>()
                .join("; ")
        });
        let (head, advice) = match &link_missing {
            None => (
                crate::model::FLOW1_ALARM_UNLINKED.to_string(),
                format!("to link one, {}", crate::model::FLOW1_LINK_ADVICE),
            ),
            Some(missing) => (
                format!(
                    "{}: {}",
                    crate::model::FLOW1_ALARM_LINKED_ONLY_NOW,
                    linked_now.join("; ")
                ),
                format!("what the evidence lacks to link it at the first access: {missing}"),
            ),
        };
        Flow1 {
            alarm: None,
            notification: None,
            basis: None,
            unknown: vec![format!("{head}; {seen}{defined}; {advice}")],
            unlinked,
            linked_now,
            link_missing,
        }
    }
}

/// `; the transition rests on the item's HistorySummary only: …` for a transition read from a
/// cut item's summary, to follow its cite; nothing otherwise.
fn summary_only(h: &AlarmHistoryItem) -> String {
    h.transition_from_summary()
        .map(|r| format!("; the transition {r}"))
        .unwrap_or_default()
}
