//! The kill-switch's calls on an actor, each recognised by what it does.

use super::classify::Classifier;
use crate::model::{Actor, ContainmentAction, ContainmentKind, Event, Timestamp};
use crate::parse::RecordView;
use serde_json::Value;

/// Kill-switch calls in `[first_access, first_access + window]` that act on this actor, or on
/// nobody in particular (its result notification).
pub fn actions(
    events: &[Event],
    classifier: &Classifier,
    actor: &Actor,
    first_access: Timestamp,
    window_ms: i64,
) -> Vec<ContainmentAction> {
    let role = actor_role(actor);
    let mut out = Vec::new();
    for e in events {
        if e.time < first_access || e.time.millis() > first_access.millis() + window_ms {
            continue;
        }
        let Ok(view) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        if !classifier.is_killswitch(&view) {
            continue;
        }
        let req = view.request();
        let s = |k: &str| req.get(k).and_then(Value::as_str);
        let names_someone = ["userName", "roleName", "groupName", "accessKeyId"]
            .iter()
            .any(|k| s(k).is_some());
        let on_actor = s("userName").is_some_and(|u| actor.user_name.as_deref() == Some(u))
            || s("roleName").is_some_and(|r| role.as_deref() == Some(r))
            || s("accessKeyId").is_some_and(|k| actor.access_key_ids.iter().any(|a| a == k));
        if on_actor || !names_someone {
            out.push(ContainmentAction {
                time: e.time,
                kind: kind_of(e, &req),
                action: e.action(),
                event_id: e.event_id.clone(),
                outcome: e.outcome().to_string(),
            });
        }
    }
    out
}

/// The role behind an assumed-role actor (`assumed-role/<role>/<session>`).
fn actor_role(actor: &Actor) -> Option<String> {
    let (_, rest) = actor.arn.split_once(":assumed-role/")?;
    rest.split('/').next().map(str::to_owned)
}

fn kind_of(e: &Event, req: &Value) -> ContainmentKind {
    let doc = req
        .get("policyDocument")
        .and_then(Value::as_str)
        .unwrap_or("");
    let policy_arn = req.get("policyArn").and_then(Value::as_str).unwrap_or("");
    match (e.event_source.as_str(), e.event_name.as_str()) {
        ("iam.amazonaws.com", "PutUserPolicy" | "PutRolePolicy" | "PutGroupPolicy") => {
            if doc.contains("TokenIssueTime") {
                ContainmentKind::RoleSessionsRevoked
            } else if doc.contains("Deny") {
                ContainmentKind::DenyPolicy
            } else {
                ContainmentKind::Other
            }
        }
        ("iam.amazonaws.com", "AttachUserPolicy" | "AttachRolePolicy" | "AttachGroupPolicy")
            if policy_arn.contains("Deny") =>
        {
            ContainmentKind::DenyPolicy
        }
        ("iam.amazonaws.com", "UpdateAccessKey")
            if req.get("status").and_then(Value::as_str) == Some("Inactive") =>
        {
            ContainmentKind::AccessKeyDeactivated
        }
        ("iam.amazonaws.com", "DeleteAccessKey") => ContainmentKind::AccessKeyDeleted,
        ("iam.amazonaws.com", "DeleteLoginProfile") => ContainmentKind::LoginProfileDeleted,
        ("iam.amazonaws.com", "RemoveUserFromGroup") => ContainmentKind::GroupRemoved,
        ("sns.amazonaws.com", "Publish") => ContainmentKind::Notification,
        _ => ContainmentKind::Other,
    }
}

fn is_effective(k: ContainmentKind) -> bool {
    !matches!(k, ContainmentKind::Notification | ContainmentKind::Other)
}

fn is_blocking(k: ContainmentKind) -> bool {
    matches!(
        k,
        ContainmentKind::DenyPolicy
            | ContainmentKind::RoleSessionsRevoked
            | ContainmentKind::AccessKeyDeactivated
            | ContainmentKind::AccessKeyDeleted
    )
}

/// The calls that change the actor's access.
pub fn effective(actions: &[ContainmentAction]) -> Vec<&ContainmentAction> {
    actions.iter().filter(|a| is_effective(a.kind)).collect()
}

/// When the first call that cuts the actor's access succeeded.
pub fn blocking_time(actions: &[ContainmentAction]) -> Option<Timestamp> {
    actions
        .iter()
        .filter(|a| is_blocking(a.kind) && a.outcome == "success")
        .map(|a| a.time)
        .min()
}

/// The last containment call, provided at least one call that cuts access succeeded.
pub fn complete(actions: &[ContainmentAction]) -> Option<Timestamp> {
    blocking_time(actions)?;
    effective(actions).iter().map(|a| a.time).max()
}
