//! Which detection flows the case shows firing, and what the notification rows (IR-6, RS.CO-02)
//! say of the notifications: methods on [`Facts`] the rows share. Pure: reads [`Facts`].

use super::facts::{first, Facts};
use super::Support;

/// Which flows' own evidence of firing the case holds: an alarm transition to ALARM (flow 1),
/// rule metric datapoints (flow 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FlowsSeen {
    Neither,
    Flow1,
    Flow2,
    Both,
}

impl FlowsSeen {
    /// A row resting on both flows: supported with both, partly with one.
    pub(super) fn support(self) -> Support {
        match self {
            FlowsSeen::Neither => Support::Missing,
            FlowsSeen::Both => Support::Supported,
            FlowsSeen::Flow1 | FlowsSeen::Flow2 => Support::Partial,
        }
    }
}

impl Facts {
    pub(super) fn flows_seen(&self) -> FlowsSeen {
        match (self.alarms.is_empty(), self.rule_metrics.is_empty()) {
            (true, true) => FlowsSeen::Neither,
            (false, true) => FlowsSeen::Flow1,
            (true, false) => FlowsSeen::Flow2,
            (false, false) => FlowsSeen::Both,
        }
    }

    /// Alarm transitions to ALARM, then rule metric datapoints: the flows that fired.
    pub(super) fn flow_evidence(&self) -> Vec<String> {
        self.alarms
            .iter()
            .chain(self.rule_metrics.iter())
            .cloned()
            .collect()
    }

    /// What the notifications in the evidence show, in one sentence for IR-6 and RS.CO-02:
    /// where each was published (an SNS publish is not a delivery to the responders), and
    /// whether a subscriber's copy is in the case.
    pub(super) fn notifications_statement(&self) -> String {
        let topics = |v: &[String]| {
            if v.is_empty() {
                "a topic the evidence does not name".to_string()
            } else {
                format!("SNS topic {}", v.join(", "))
            }
        };
        let ks_published = self.notifications.len() > self.results_received;
        let mut parts = Vec::new();
        if !self.alarm_actions.is_empty() {
            parts.push(format!(
                "The alarm's action published to {} (the alarm history records it executed)",
                topics(&self.alarm_topics)
            ));
        }
        if ks_published {
            let ids = self.killswitch_publishes();
            parts.push(format!(
                "the kill-switch published its result to {} (sns:Publish succeeded in CloudTrail{})",
                topics(&self.killswitch_topics),
                if self.results_received > 0 {
                    String::new()
                } else {
                    format!(
                        ": eventID{} {}",
                        if ids.len() == 1 { "" } else { "s" },
                        first(ids, 3).join(", ")
                    )
                }
            ));
        }
        if self.results_received > 0 {
            parts.push(format!(
                "{} kill-switch result(s) are in the case as an SNS subscriber received them (trailcase does not verify the copies' SNS signatures)",
                self.results_received
            ));
        }
        if parts.is_empty() {
            return "No notification (alarm SNS action, kill-switch publication) is in the evidence.".into();
        }
        let mut s = parts.join("; ");
        if let Some(c) = s.get(..1) {
            s = c.to_uppercase() + &s[1..];
        }
        s.push('.');
        if self.alarm_actions.is_empty() {
            s.push_str(" No alarm SNS action is in the evidence.");
        }
        s.push_str(&self.actions_summary_only);
        if !ks_published && self.results_received == 0 {
            s.push_str(" No kill-switch publication is in the evidence.");
        }
        if self.results_received == 0 {
            s.push_str(" A publish shows the message reached its SNS topic, not that it was delivered or that anyone was reported to: no subscriber's copy and no report by a person is in the evidence.");
        } else if !self.alarm_actions.is_empty() {
            s.push_str(" That the alarm's message reached the responders is not in the evidence (no delivery record).");
        }
        // A message on a topic, even one a subscriber received, is not a person informed: what
        // IR-6 asks (incidents reported to the incident response capability and to whom the
        // organisation names) is not in CloudTrail or SNS evidence.
        s.push_str(" Whether a person read a notification, and whether the incident was reported to the incident response capability or outside it, is not examined: no such record is in the evidence.");
        s
    }

    /// How well the notifications bear out a report (IR-6, RS.CO-02): a subscriber's copy of a
    /// result shows one delivered to an endpoint, publishes alone (an alarm action, an
    /// `sns:Publish`) a message reaching its topic; neither shows a person informed or the
    /// incident reported, which no evidence here can: partly supported at best.
    pub(super) fn notifications_support(&self) -> Support {
        if self.notifications_evidence().is_empty() {
            Support::Missing
        } else {
            Support::Partial
        }
    }

    /// The eventIDs of the kill-switch's successful `sns:Publish` calls (the received results
    /// follow them in `notifications`).
    fn killswitch_publishes(&self) -> &[String] {
        &self.notifications[..self.notifications.len() - self.results_received]
    }

    /// Alarm SNS actions, then kill-switch publications: the notifications sent.
    pub(super) fn notifications_evidence(&self) -> Vec<String> {
        self.alarm_actions
            .iter()
            .chain(self.notifications.iter())
            .cloned()
            .collect()
    }
}
