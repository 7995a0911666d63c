//! The kill-switch's calls on an actor, each recognised by what it does, and what the actor's own
//! calls show after the first one that cut its access.

use crate::classify::Classifier;
use crate::model::{
    Actor, CallAt, ContainmentAction, ContainmentKind, Event, Milestones, Timestamp,
};
use crate::parse::RecordView;
use serde_json::Value;
use std::collections::HashMap;

/// One kill-switch call, read once for every incident.
struct Call<'e> {
    event: &'e Event,
    kind: ContainmentKind,
    /// The access key the call names, if any.
    access_key_id: Option<String>,
}

/// The kill-switch's calls, by the principal they name; calls that name nobody (its result
/// notification) apply to every incident in their window. Built once: each incident then looks
/// up its own calls instead of reading every record again.
pub struct KillSwitchCalls<'e> {
    calls: Vec<Call<'e>>,
    /// Indices into `calls` (in time order) by `userName`, `roleName` and `accessKeyId`.
    by_user: HashMap<String, Vec<usize>>,
    by_role: HashMap<String, Vec<usize>>,
    by_key: HashMap<String, Vec<usize>>,
    anonymous: Vec<usize>,
}

impl<'e> KillSwitchCalls<'e> {
    /// `events` sorted by time.
    pub fn new(events: &'e [Event], classifier: &Classifier) -> KillSwitchCalls<'e> {
        let mut out = KillSwitchCalls {
            calls: Vec::new(),
            by_user: HashMap::new(),
            by_role: HashMap::new(),
            by_key: HashMap::new(),
            anonymous: Vec::new(),
        };
        for e in events {
            let Ok(view) = RecordView::parse(e.raw.get()) else {
                continue;
            };
            if !classifier.is_killswitch(&view) {
                continue;
            }
            let req = view.request();
            let n = out.calls.len();
            let mut named = false;
            for (key, map) in [
                ("userName", &mut out.by_user),
                ("roleName", &mut out.by_role),
                ("accessKeyId", &mut out.by_key),
            ] {
                if let Some(v) = req.get(key).and_then(Value::as_str) {
                    map.entry(v.to_owned()).or_default().push(n);
                    named = true;
                }
            }
            if !named && req.get("groupName").and_then(Value::as_str).is_none() {
                out.anonymous.push(n);
            }
            out.calls.push(Call {
                event: e,
                kind: kind_of(e, &req),
                access_key_id: req
                    .get("accessKeyId")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            });
        }
        out
    }

    /// Whether the evidence holds no call at all by the configured kill-switch.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// Every kill-switch call, in time order.
    pub fn events(&self) -> impl Iterator<Item = &'e Event> + '_ {
        self.calls.iter().map(|c| c.event)
    }

    /// Kill-switch calls in `[first_access, first_access + window]` that act on this actor, or on
    /// nobody in particular (its result notification), in time order.
    pub fn actions(
        &self,
        actor: &Actor,
        first_access: Timestamp,
        window_ms: i64,
    ) -> Vec<ContainmentAction> {
        let role = actor_role(actor);
        let in_window = |n: &usize| {
            let t = self.calls[*n].event.time;
            t >= first_access && t.millis() <= first_access.millis() + window_ms
        };
        let mut found: Vec<usize> = Vec::new();
        let mut add = |map: &HashMap<String, Vec<usize>>, k: Option<&str>| {
            if let Some(list) = k.and_then(|k| map.get(k)) {
                found.extend(list.iter().filter(|n| in_window(n)));
            }
        };
        add(&self.by_user, actor.user_name.as_deref());
        add(&self.by_role, role.as_deref());
        for k in &actor.access_key_ids {
            add(&self.by_key, Some(k));
        }
        let from = self
            .anonymous
            .partition_point(|&n| self.calls[n].event.time < first_access);
        found.extend(
            self.anonymous[from..]
                .iter()
                .take_while(|n| in_window(n))
                .copied(),
        );
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|n| {
                let c = &self.calls[n];
                ContainmentAction {
                    time: c.event.time,
                    kind: c.kind,
                    action: c.event.action(),
                    event_id: c.event.event_id.clone(),
                    outcome: c.event.outcome().to_string(),
                    access_key_id: c.access_key_id.clone(),
                    origin: c.event.origin,
                }
            })
            .collect()
    }
}

/// The role behind an assumed-role actor (`assumed-role/<role>/<session>`).
pub(super) fn actor_role(actor: &Actor) -> Option<String> {
    let (_, rest) = actor.arn.split_once(":assumed-role/")?;
    rest.split('/').next().map(str::to_owned)
}

pub(super) fn kind_of(e: &Event, req: &Value) -> ContainmentKind {
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

/// The calls that change the actor's access.
pub fn effective(actions: &[ContainmentAction]) -> Vec<&ContainmentAction> {
    actions.iter().filter(|a| is_effective(a.kind)).collect()
}

/// When the first call that cuts the actor's access succeeded.
pub fn blocking_time(actions: &[ContainmentAction]) -> Option<Timestamp> {
    crate::model::first_cut(actions).map(|a| a.time)
}

/// The last containment call, provided at least one call that cuts access succeeded.
pub fn complete(actions: &[ContainmentAction]) -> Option<Timestamp> {
    blocking_time(actions)?;
    effective(actions).iter().map(|a| a.time).max()
}

/// What the actor's calls (`own`, and `derived`: its role sessions') show after the first call
/// that cut its access, at `cut`: those that succeeded in a later second, those in the cut's
/// own second (eventTime is to the second: their order is unknown, never "after"), and the
/// first refused by an access check from that second on (another failure, a condition or a
/// missing resource, shows nothing of the block).
pub fn after_cut(m: &mut Milestones, own: &[&Event], derived: &[&Event], cut: Timestamp) {
    let tagged = || {
        own.iter()
            .map(|e| (*e, true))
            .chain(derived.iter().map(|e| (*e, false)))
    };
    let at = |(e, own): (&Event, bool)| CallAt {
        time: e.time,
        event_id: e.event_id.clone(),
        own,
    };
    let mut ok: Vec<(&Event, bool)> = tagged().filter(|(e, _)| e.succeeded()).collect();
    ok.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
    m.succeeded_after_containment = ok
        .iter()
        .filter(|(e, _)| e.time > cut)
        .map(|&x| at(x))
        .collect();
    m.succeeded_same_second = ok
        .iter()
        .filter(|(e, _)| e.time == cut)
        .map(|&x| at(x))
        .collect();
    m.first_denied_call = tagged()
        .filter(|(e, _)| e.time >= cut && e.denied())
        .min_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()))
        .map(at);
    m.first_denied_after_containment = m.first_denied_call.as_ref().map(|c| c.time);
}
