//! What the NIST rows read of the containment and of flow 1, gathered from the timeline for
//! [`super::facts::Facts`]: the blocking containment calls and what they did, the actors' keys
//! no call cut, the notifications and the topics they went to; the detection alarm's
//! transitions to ALARM and the actions that ran. Pure: reads the timeline only.

use crate::model::{ContainmentKind, EntryKind, Timeline};

/// The containment as the rows read it.
pub(super) struct Containment {
    pub(super) blocking: Vec<String>,
    pub(super) blocking_kinds: Vec<String>,
    pub(super) notifications: Vec<String>,
    pub(super) active_keys: Vec<String>,
    pub(super) killswitch_topics: Vec<String>,
    pub(super) results_received: usize,
}

/// Flow 1's alarm as the rows read it.
pub(super) struct Alarms {
    pub(super) alarms: Vec<String>,
    pub(super) alarm_actions: Vec<String>,
    pub(super) alarm_topics: Vec<String>,
}

/// Push `x` onto `v` unless it is empty or already there.
fn once(v: &mut Vec<String>, x: &str) {
    if !x.is_empty() && !v.iter().any(|y| y == x) {
        v.push(x.to_string());
    }
}

/// The blocking containment calls that succeeded and what they did, the notifications (publishes
/// and kill-switch results received through SNS) and their topics, and the actors' long-term
/// keys no call cut.
pub(super) fn containment(t: &Timeline) -> Containment {
    let mut blocking = Vec::new();
    let mut blocking_kinds: Vec<String> = Vec::new();
    let mut notifications = Vec::new();
    let mut active_keys: Vec<String> = Vec::new();
    for i in &t.incidents {
        for k in i.long_term_keys().iter().filter(|k| k.active()) {
            if !active_keys.iter().any(|a| a == k.key) {
                active_keys.push(k.key.to_string());
            }
        }
        for a in &i.containment {
            match a.kind {
                ContainmentKind::DenyPolicy
                | ContainmentKind::AccessKeyDeactivated
                | ContainmentKind::AccessKeyDeleted
                | ContainmentKind::RoleSessionsRevoked
                | ContainmentKind::LoginProfileDeleted
                    if a.outcome == "success" =>
                {
                    blocking.push(a.event_id.clone());
                    // A key's deactivation or deletion names the key: another key of the
                    // user is not covered by it.
                    let what = match (a.kind, a.access_key_id.as_deref()) {
                        (
                            ContainmentKind::AccessKeyDeactivated
                            | ContainmentKind::AccessKeyDeleted,
                            Some(key),
                        ) => a.kind.describe().replacen(
                            "access key",
                            &format!("access key {key}"),
                            1,
                        ),
                        _ => a.kind.describe().to_string(),
                    };
                    if !blocking_kinds.contains(&what) {
                        blocking_kinds.push(what);
                    }
                }
                // A publish the service refused sent nothing.
                ContainmentKind::Notification if a.outcome == "success" => {
                    notifications.push(a.event_id.clone())
                }
                _ => {}
            }
        }
    }
    let mut killswitch_topics = Vec::new();
    for e in t
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Containment && notifications.contains(&e.event_id))
    {
        once(&mut killswitch_topics, &e.target);
    }
    // A kill-switch result received through SNS is a report that reached its subscribers.
    let received: Vec<String> = t
        .killswitch
        .iter()
        .filter(|r| matches!(r.report.via, "sns" | "lambda-sns-event"))
        .map(|r| r.id.clone())
        .collect();
    let results_received = received.len();
    notifications.extend(received);
    Containment {
        blocking,
        blocking_kinds,
        notifications,
        active_keys,
        killswitch_topics,
        results_received,
    }
}

/// Flow 1's alarm transitions to ALARM, the alarm actions that did not fail, and their topics.
pub(super) fn alarms(t: &Timeline) -> Alarms {
    // An alarm row is flow 1's only when an incident cites it or the alarm is a detection
    // alarm: another alarm of the history (CPU, billing) going to ALARM in the window is not
    // the honeytoken's detection.
    let detection = |e: &&crate::model::TimelineEntry| {
        e.kind == EntryKind::Alarm
            && (!e.incidents.is_empty() || t.detection.alarms.iter().any(|a| a.name == e.actor))
    };
    let alarms: Vec<String> = t
        .entries
        .iter()
        .filter(detection)
        .filter(|e| e.outcome.ends_with("-> ALARM"))
        .map(|e| e.event_id.clone())
        .collect();
    // An alarm action the history records as failed notified nobody.
    let actions: Vec<&crate::model::TimelineEntry> = t
        .entries
        .iter()
        .filter(detection)
        .filter(|e| e.action.ends_with(":Action") && e.outcome != "Failed")
        .collect();
    let mut alarm_topics = Vec::new();
    for e in &actions {
        once(&mut alarm_topics, &e.target);
    }
    let alarm_actions: Vec<String> = actions.iter().map(|e| e.event_id.clone()).collect();
    Alarms {
        alarms,
        alarm_actions,
        alarm_topics,
    }
}
