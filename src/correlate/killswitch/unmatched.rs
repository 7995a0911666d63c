//! A kill-switch configuration that names no caller in the evidence: the configured principals
//! (`[killswitch] principals`, `ssm_documents`) match no call at all, while the evidence holds
//! calls that look like containment of an actor by another principal after its read (so the
//! trail does cover the containment window). Which calls were the kill-switch's is then
//! unknown, so when and whether it contained anyone is unknown too: said as such (a finding and
//! each incident's unknowns), and the calls that look like containment named by eventID as
//! *possible* containment by a principal the configuration does not name, never as the
//! kill-switch's. Without such calls (a trail that does not cover the window, say), the
//! kill-switch's results are "not confirmed" (`findings::unconfirmed`), not this.

use super::super::containment::{actor_role, kind_of, KillSwitchCalls};
use crate::model::{
    ContainmentKind, Event, Finding, FindingKind, Incident, KillSwitchReport, Timestamp,
};
use crate::parse::RecordView;
use serde_json::Value;

/// The calls cited in a finding or an unknown, at most.
const CITED: usize = 10;

/// A call that looks like containment: an IAM change that would cut or narrow a principal's
/// access, naming the principal it acts on.
struct Candidate<'e> {
    event: &'e Event,
    kind: ContainmentKind,
    user: Option<String>,
    role: Option<String>,
    key: Option<String>,
}

/// The IAM calls among `events` that would contain a principal (deny policy, key deactivated or
/// deleted, login profile deleted, removed from a group, role sessions revoked), in time order.
fn candidates(events: &[Event]) -> Vec<Candidate<'_>> {
    events
        .iter()
        .filter(|e| e.event_source == "iam.amazonaws.com")
        .filter_map(|e| {
            let view = RecordView::parse(e.raw.get()).ok()?;
            let req = view.request();
            let kind = kind_of(e, &req);
            if matches!(kind, ContainmentKind::Notification | ContainmentKind::Other) {
                return None;
            }
            let text = |k: &str| req.get(k).and_then(Value::as_str).map(str::to_owned);
            Some(Candidate {
                event: e,
                kind,
                user: text("userName"),
                role: text("roleName"),
                key: text("accessKeyId"),
            })
        })
        .collect()
}

/// The candidates that act on `inc`'s actor, made by another principal, from its first access
/// to `window_ms` after it.
fn on_actor<'c, 'e>(
    inc: &Incident,
    all: &'c [Candidate<'e>],
    window_ms: i64,
) -> Vec<&'c Candidate<'e>> {
    let Some(from) = inc.milestones.first_access else {
        return Vec::new();
    };
    let to = Timestamp(from.millis() + window_ms);
    let a = &inc.actor;
    let role = actor_role(a);
    all.iter()
        .filter(|c| c.event.time >= from && c.event.time <= to)
        .filter(|c| c.event.identity.label() != a.arn)
        .filter(|c| {
            (c.user.is_some() && c.user == a.user_name)
                || (c.role.is_some() && c.role == role)
                || c.key.as_ref().is_some_and(|k| a.access_key_ids.contains(k))
        })
        .collect()
}

/// One candidate in words: `iam:PutUserPolicy (deny-all policy attached) on svc-reporting by
/// ARN at T, success (eventID X)`.
fn describe(c: &Candidate<'_>) -> String {
    let on = c
        .user
        .as_deref()
        .or(c.role.as_deref())
        .or(c.key.as_deref())
        .unwrap_or("the actor");
    format!(
        "{} ({}) on {on} by {} at {}, {} (eventID {})",
        c.event.action(),
        c.kind.describe(),
        c.event.identity.label(),
        c.event.time,
        c.event.outcome(),
        c.event.event_id
    )
}

/// When the configured kill-switch (`who`, `KillSwitchIdentity::describe`) made no call in the
/// evidence, but calls that look like containment of an actor by another principal are there:
/// one case finding (`killswitch_unmatched`) citing those calls (and counting the kill-switch's
/// published results), and each incident concerned told in its unknowns that its containment
/// is unknown. Returns the finding, which the analysis also records as a gap: the containment
/// could not be examined.
pub fn check(
    who: &str,
    calls: &KillSwitchCalls<'_>,
    reports: &[KillSwitchReport],
    incidents: &mut [Incident],
    events: &[Event],
    window_ms: i64,
) -> Option<Finding> {
    if !calls.is_empty() || incidents.is_empty() {
        return None;
    }
    let all = candidates(events);
    let mut cited: Vec<String> = Vec::new();
    let mut concerned = 0;
    for inc in incidents.iter_mut() {
        let found = on_actor(inc, &all, window_ms);
        if found.is_empty() {
            continue;
        }
        concerned += 1;
        let possible = format!(
            "{} call(s) in it look like containment of the actor by a principal the configuration does not name (possible containment, not shown to be the kill-switch's): {}{}",
            found.len(),
            found
                .iter()
                .take(CITED)
                .map(|c| describe(c))
                .collect::<Vec<_>>()
                .join("; "),
            if found.len() > CITED {
                format!("; and {} more", found.len() - CITED)
            } else {
                String::new()
            }
        );
        inc.unknowns.push(format!(
            "containment: unknown: the evidence has no call at all by {who} (the configured kill-switch), so which calls were the kill-switch's, and when or whether it contained the actor, is not examined; {possible}"
        ));
        cited.extend(found.iter().map(|c| c.event.event_id.clone()));
    }
    if concerned == 0 {
        return None;
    }
    cited.sort();
    cited.dedup();
    let seen = match reports.len() {
        0 => format!("{} call(s) that look like containment of an actor by another principal are in it (the \"Containment calls not by the configured kill-switch\" finding, killswitch_unmatched in the JSON, cites their eventIDs; each incident's unknowns name them)", cited.len()),
        r => format!("{} call(s) that look like containment of an actor by another principal, and {r} published kill-switch result(s), are in it (the \"Containment calls not by the configured kill-switch\" finding, killswitch_unmatched in the JSON, cites their eventIDs; each incident's unknowns name them)", cited.len()),
    };
    Some(Finding {
        kind: FindingKind::KillswitchUnmatched,
        severity: "high",
        summary: format!(
            "The evidence has no call at all by {who} (the configured kill-switch), yet {seen}: the configuration may not name the kill-switch's caller. Which calls were the kill-switch's is unknown, so containment (when it began, whether it held) is not examined for {concerned} incident(s); name the kill-switch's role or function in trailcase.toml [killswitch] principals and run again"
        ),
        event_ids: cited,
    })
}
