//! Flow 1 with `[detection].alarms`: the configured alarms stay flow 1's, and where the
//! evidence disagrees (a configured alarm shown on another metric, or nowhere; an alarm linked
//! by the evidence the configuration does not name) it is said in `unknowns`. Reads the
//! configuration evidence through `Flows` only.

use super::Flows;
use crate::model::Timestamp;

impl Flows<'_> {
    /// Where `[detection].alarms` and the evidence disagree at `t`: a configured alarm whose
    /// definition in force (describe-alarms, or its history) watches no honeytoken filter's
    /// metric, and an alarm the evidence links that the configuration does not name. The
    /// configured alarms stay flow 1's; the disagreement is said.
    pub(super) fn configured_disagreements(&self, t: Timestamp) -> Vec<String> {
        if self.filters.is_empty() {
            return Vec::new();
        }
        let mut configured: Vec<&str> = self.alarm_set.iter().map(String::as_str).collect();
        configured.sort_unstable();
        let mut out: Vec<String> = configured
            .iter()
            .filter(|a| !self.history.links(a, t))
            .filter_map(|a| {
                let why = self
                    .history
                    .unlinked(a, t)
                    .or_else(|| self.described_unlinked(a))
                    .or_else(|| self.described_watch(a))?;
                Some(format!(
                    "flow1_alarm: [detection].alarms names {a}, but the evidence does not show it watching a honeytoken metric filter's metric at the first access ({why}); it is taken as flow 1's because it is named there"
                ))
            })
            .collect();
        out.extend(
            self.history
                .linked_at(t)
                .into_iter()
                .filter(|a| !self.is_alarm(a))
                .map(|a| {
                    let basis = if self.history.decides(a, t) {
                        self.history.basis(a, t)
                    } else {
                        self.described_basis(a)
                    };
                    format!(
                        "flow1_alarm: the evidence links alarm {a} to the honeytoken ({}), but [detection].alarms does not name it: its transitions are not taken for flow 1's",
                        basis.unwrap_or_default()
                    )
                }),
        );
        out
    }

    /// The alarms `[detection].alarms` names that the evidence shows nowhere (no describe-alarms
    /// entry, no alarm history item or notification): what they watched and whether they
    /// fired was not examined, never taken as "did not fire".
    pub(super) fn configured_absent(&self) -> Vec<String> {
        if !self.configured() {
            return Vec::new();
        }
        let mut names: Vec<&str> = self
            .alarm_set
            .iter()
            .map(String::as_str)
            .filter(|a| !self.evidence.alarms.iter().any(|d| d.name == *a))
            .filter(|a| {
                !self
                    .evidence
                    .alarm_history
                    .iter()
                    .any(|h| h.alarm_name == *a)
            })
            .collect();
        names.sort_unstable();
        names
            .into_iter()
            .map(|a| format!(
                "flow1_alarm: [detection].alarms names {a}, but the evidence holds nothing of it (no describe-alarms entry, no alarm history item): its definition and its transitions are not in the evidence, not examined; collect them (describe-alarms, describe-alarm-history --alarm-name {a})"
            ))
            .collect()
    }

    /// What describe-alarms says alarm `name` watches, when it defines it.
    fn described_watch(&self, name: &str) -> Option<String> {
        let a = self.evidence.alarms.iter().find(|a| a.name == name)?;
        if a.metric_name.is_none() {
            if let Some(math) = &a.math {
                // Called with the honeytoken's filters known and the alarm not linked: none of
                // its queries reads their metric.
                return Some(format!(
                    "its definition (describe-alarms) is {}, none of which reads the honeytoken metric filter's metric",
                    math.describe()
                ));
            }
        }
        Some(format!(
            "its definition (describe-alarms) watches {}{}",
            a.namespace
                .as_deref()
                .map(|n| format!("{n}/"))
                .unwrap_or_default(),
            a.metric_name.as_deref().unwrap_or("no single metric")
        ))
    }
}
