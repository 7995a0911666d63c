//! What the NIST rows read of the containment and of flow 1, gathered from the timeline for
//! [`super::facts::Facts`]: the blocking containment calls and what they did, the actors' keys
//! no call cut, the notifications and the topics they went to; the detection alarm's
//! transitions to ALARM and the actions that ran (as flow 1's detection counts them:
//! [`crate::model::AlarmHistoryItem::action_ran`]; an alarm defined only in its history counts
//! when its definition then watches a honeytoken metric filter's metric), and which of them
//! rest on a cut item's HistorySummary only. Pure: reads the timeline only.

use crate::model::{AlarmHistoryItem, ContainmentKind, EntryKind, Timeline, Timestamp};

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
    /// The transitions of `alarms` read from a cut item's HistorySummary only, said as flow 1's
    /// unknowns say them: ` The transition to ALARM at T (id) rests on …` (empty when none).
    pub(super) transitions_summary_only: String,
    /// The same for the actions of `alarm_actions`.
    pub(super) actions_summary_only: String,
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

/// Whether `alarm`'s definition in force at `at`, as its alarm history's latest
/// ConfigurationUpdate at or before it records it, watches a honeytoken metric filter's metric
/// (`rules::metric_match::history_matches`, flow 1's rule). A cut item, or none: no.
fn history_links(t: &Timeline, alarm: &str, at: Timestamp) -> bool {
    let Some(h) = t
        .config
        .alarm_history
        .iter()
        .filter(|h| h.alarm_name == alarm && h.item_type == "ConfigurationUpdate")
        .filter(|h| h.time <= at && (h.definition.is_some() || h.data_unreadable.is_some()))
        .max_by_key(|h| (h.time, h.origin))
    else {
        return false;
    };
    h.definition.as_ref().is_some_and(|d| {
        d.in_force()
            && t.detection
                .filters
                .iter()
                .any(|f| crate::rules::metric_match::history_matches(f, d).is_some())
    })
}

/// Flow 1's alarm transitions to ALARM, the alarm actions that ran, their topics, and which of
/// them rest on a cut item's summary only.
pub(super) fn alarms(t: &Timeline) -> Alarms {
    // An alarm row is flow 1's only when an incident cites it or the alarm is a detection
    // alarm (describe-alarms', or one whose alarm history definition in force at the row
    // watches a honeytoken metric filter's metric): another alarm of the history (CPU,
    // billing) going to ALARM in the window is not the honeytoken's detection.
    let detection = |e: &&crate::model::TimelineEntry| {
        e.kind == EntryKind::Alarm
            && (!e.incidents.is_empty()
                || t.detection.alarms.iter().any(|a| a.name == e.actor)
                || history_links(t, &e.actor, e.time))
    };
    // The history item an alarm row shows (the row's eventID is the item's citation).
    let item = |e: &crate::model::TimelineEntry| {
        t.config.alarm_history.iter().find(|h| h.id() == e.event_id)
    };
    let transitions: Vec<&crate::model::TimelineEntry> = t
        .entries
        .iter()
        .filter(detection)
        .filter(|e| e.outcome.ends_with("-> ALARM"))
        .collect();
    let alarms: Vec<String> = transitions.iter().map(|e| e.event_id.clone()).collect();
    // An alarm action counts as flow 1's detection counts it: the history records it ran (a
    // failed one notified nobody; a cut one whose summary does not say is not counted).
    let actions: Vec<&crate::model::TimelineEntry> = t
        .entries
        .iter()
        .filter(detection)
        .filter(|e| e.action.ends_with(":Action"))
        .filter(|e| item(e).is_some_and(|h| h.action_ran() == Some(true)))
        .collect();
    let said = |rows: &[&crate::model::TimelineEntry],
                what: &str,
                rests: &dyn Fn(&AlarmHistoryItem) -> Option<String>| {
        rows.iter()
            .filter_map(|e| {
                let r = rests(item(e)?)?;
                Some(format!(" The {what} at {} ({}) {r}.", e.time, e.event_id))
            })
            .collect::<String>()
    };
    let transitions_summary_only = said(
        &transitions,
        "transition to ALARM",
        &AlarmHistoryItem::transition_from_summary,
    );
    let actions_summary_only = said(
        &actions,
        "alarm action",
        &AlarmHistoryItem::action_from_summary,
    );
    let mut alarm_topics = Vec::new();
    for e in &actions {
        once(&mut alarm_topics, &e.target);
    }
    let alarm_actions: Vec<String> = actions.iter().map(|e| e.event_id.clone()).collect();
    Alarms {
        alarms,
        alarm_actions,
        alarm_topics,
        transitions_summary_only,
        actions_summary_only,
    }
}
