//! Which mark a timeline row gets on the incident chart (`charts`): its lane, its shape and its
//! label. Decided by an exhaustive match on the row's kind, so a new kind must be placed here;
//! a cross in "Denied attempts" is only ever a call an access check refused ([`refusal_code`]).

use crate::model::{refusal_code, EntryKind, TimelineEntry};
use crate::report::{MarkerShape, TimelinePoint};

/// Which labels get their place first when a lane is crowded: the reads, the detections and the
/// kill-switch's results, then its calls and the denied attempts, then the rest of the activity.
pub fn label_priority(kind: EntryKind) -> u8 {
    match kind {
        EntryKind::HoneytokenAccess
        | EntryKind::Alarm
        | EntryKind::RuleTriggered
        | EntryKind::RuleInvocationFailed
        | EntryKind::KillswitchResult => 2,
        EntryKind::Containment | EntryKind::ActorDenied => 1,
        _ => 0,
    }
}

/// A row's mark on the chart, or `None` for a row no incident claims other than a read, an
/// alarm or the kill-switch's (and for a rule metric row, drawn as an interval: `rule_span`).
pub fn point(e: &TimelineEntry) -> Option<TimelinePoint> {
    let action = short_action(&e.action);
    let (lane, marker, label) = match e.kind {
        EntryKind::HoneytokenAccess if e.outcome == "success" => {
            (1, MarkerShape::Dot, Some(action))
        }
        EntryKind::HoneytokenAccess if refusal_code(&e.outcome) => {
            (1, MarkerShape::Cross, Some(format!("{action} denied")))
        }
        // Not refused (`ResourceNotFoundException`...): an attempt that returned nothing.
        EntryKind::HoneytokenAccess => (1, MarkerShape::Dot, Some(format!("{action} failed"))),
        // Every mark a reader sees is labelled: the state an alarm entered (a return to OK as
        // much as ALARM), or its action's outcome.
        EntryKind::Alarm => (2, MarkerShape::Triangle, Some(alarm_label(&e.outcome))),
        // A series naming no flow-2 rule is not the rule's firing: not drawn on its lane.
        EntryKind::RuleTriggered | EntryKind::RuleMetricUnnamed => return None,
        // The rule matched but could not invoke a target: a failure on the rule's lane,
        // labelled as what it is (never a bar of the rule firing, never the kill-switch).
        EntryKind::RuleInvocationFailed => (
            3,
            MarkerShape::Cross,
            Some("target invocation failed".into()),
        ),
        EntryKind::Containment => (4, MarkerShape::Diamond, Some(action)),
        // The decision in words (`already-contained` is the JSON's name for it).
        EntryKind::KillswitchResult => (
            4,
            MarkerShape::Diamond,
            Some(format!("result: {}", e.outcome.replace('-', " "))),
        ),
        EntryKind::ActorDenied => (5, MarkerShape::Cross, Some(action)),
        // The actor's call that failed with an error that is not a refusal: activity, told failed.
        EntryKind::ActorFailed => (0, MarkerShape::Dot, Some(format!("{action} failed"))),
        EntryKind::NetworkActivity
        | EntryKind::ActorActivity
        | EntryKind::CredentialIssued
        | EntryKind::IamChange
        | EntryKind::PipelineChange
        | EntryKind::PipelineAttempt
        | EntryKind::MonitoringChange
        | EntryKind::MonitoringAttempt
        | EntryKind::Insight
        | EntryKind::Other
            if e.incidents.is_empty() =>
        {
            return None
        }
        // A request the VPC endpoint let through: its event records no outcome of the call.
        EntryKind::NetworkActivity => (
            0,
            MarkerShape::Dot,
            Some(format!("{action} (outcome not recorded)")),
        ),
        // Another row an incident claims: drawn as what its outcome shows.
        EntryKind::ActorActivity
        | EntryKind::CredentialIssued
        | EntryKind::IamChange
        | EntryKind::PipelineChange
        | EntryKind::PipelineAttempt
        | EntryKind::MonitoringChange
        | EntryKind::MonitoringAttempt
        | EntryKind::Insight
        | EntryKind::Other => by_outcome(&e.outcome, action),
    };
    Some(TimelinePoint {
        lane,
        time: e.time.secs(),
        label,
        marker,
        priority: label_priority(e.kind),
    })
}

/// A call made (activity), refused (a denied attempt: the lane says so) or failed otherwise
/// (activity, told failed).
fn by_outcome(outcome: &str, action: String) -> (usize, MarkerShape, Option<String>) {
    if outcome == "success" {
        (0, MarkerShape::Dot, Some(action))
    } else if refusal_code(outcome) {
        (5, MarkerShape::Cross, Some(action))
    } else {
        (0, MarkerShape::Dot, Some(format!("{action} failed")))
    }
}

/// An alarm row's label: the state it entered (`OLD -> NEW`: `ALARM`, `OK`, `insufficient
/// data`), or, for an action item, `action ` and its outcome (`action succeeded`).
fn alarm_label(outcome: &str) -> String {
    match outcome.rsplit_once("-> ") {
        Some((_, "INSUFFICIENT_DATA")) => "insufficient data".into(),
        Some((_, state)) => state.to_string(),
        None => format!("action {}", outcome.to_lowercase()),
    }
}

/// The API's name without its service (`events:DisableRule` is `DisableRule`).
pub fn short_action(action: &str) -> String {
    action
        .split_once(':')
        .map_or(action, |(_, n)| n)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::point;
    use crate::model::{EntryKind, TimelineEntry, Timestamp};
    use crate::report::MarkerShape;

    fn row(kind: EntryKind, action: &str, outcome: &str) -> TimelineEntry {
        TimelineEntry {
            time: Timestamp::from_secs(1_795_183_320),
            event_id: "e-1".into(),
            source: "cloudtrail".into(),
            actor: "arn:aws:iam::123456789012:user/deploy".into(),
            actor_type: "IAMUser".into(),
            action: action.into(),
            target: String::new(),
            outcome: outcome.into(),
            source_ip: String::new(),
            user_agent: String::new(),
            region: "us-east-1".into(),
            kind,
            incidents: vec!["INC-001".into()],
            input: 0,
            index: 0,
            tie: false,
            counted_as: String::new(),
        }
    }

    fn mark(kind: EntryKind, action: &str, outcome: &str) -> Option<(usize, MarkerShape, String)> {
        point(&row(kind, action, outcome)).map(|p| (p.lane, p.marker, p.label.unwrap_or_default()))
    }

    #[test]
    fn a_failed_change_an_incident_claims_is_drawn_failed_not_denied() {
        // A pipeline change the actor tried on a rule that does not exist: it failed, no access
        // check refused it, so it is no denied attempt.
        assert_eq!(
            mark(
                EntryKind::PipelineAttempt,
                "events:DisableRule",
                "ResourceNotFoundException"
            ),
            Some((0, MarkerShape::Dot, "DisableRule failed".into()))
        );
        // Refused: a denied attempt.
        assert_eq!(
            mark(
                EntryKind::PipelineAttempt,
                "events:DisableRule",
                "AccessDenied"
            ),
            Some((5, MarkerShape::Cross, "DisableRule".into()))
        );
        // Made: the actor's activity.
        assert_eq!(
            mark(EntryKind::PipelineChange, "events:DisableRule", "success"),
            Some((0, MarkerShape::Dot, "DisableRule".into()))
        );
    }

    #[test]
    fn every_alarm_mark_is_labelled_with_the_state_it_entered() {
        for (outcome, label) in [
            ("OK -> ALARM", "ALARM"),
            ("ALARM -> OK", "OK"),
            ("OK -> INSUFFICIENT_DATA", "insufficient data"),
            ("Succeeded", "action succeeded"),
        ] {
            assert_eq!(
                mark(EntryKind::Alarm, "cloudwatch:StateUpdate", outcome),
                Some((2, MarkerShape::Triangle, label.into())),
                "{outcome}"
            );
        }
    }

    #[test]
    fn the_actors_own_rows_keep_their_marks() {
        assert_eq!(
            mark(EntryKind::ActorDenied, "iam:CreateUser", "AccessDenied"),
            Some((5, MarkerShape::Cross, "CreateUser".into()))
        );
        assert_eq!(
            mark(
                EntryKind::ActorFailed,
                "dynamodb:PutItem",
                "ConditionalCheckFailedException"
            ),
            Some((0, MarkerShape::Dot, "PutItem failed".into()))
        );
        assert_eq!(
            mark(EntryKind::ActorActivity, "s3:ListBuckets", "success"),
            Some((0, MarkerShape::Dot, "ListBuckets".into()))
        );
    }
}
