//! Containment as the evidence shows it, not as the kill-switch intended: which of the actor's
//! credentials the containment did not cut, and until when they stay valid.
//!
//! A deny policy on an IAM user does not reach the role sessions the user obtained earlier with
//! `sts:AssumeRole`: such a session keeps its role's permissions until it expires, unless the
//! kill-switch revoked the role's sessions (a `PutRolePolicy` denying tokens issued before
//! now). Sessions issued by `GetSessionToken` or `GetFederationToken` are evaluated against
//! the user's own policies at each call, so the user's deny covers them.
//!
//! Decision (where the issue is silent): a second long-term access key is not a live
//! credential here, because every containment trailcase recognises on a user (the deny-all
//! policy) covers all of the user's keys; a containment that only deactivated one key is
//! reported by the existing `no_containment` / kill-switch findings.

use crate::classify::keys::KeyIssue;
use crate::model::{ContainmentAction, ContainmentKind, ContainmentStatus, LiveCredential};
use crate::model::{Event, Milestones, Timestamp};

/// The containment state of one incident and the credentials it did not cut.
pub fn assess(
    m: &Milestones,
    derived: &[KeyIssue],
    containment: &[ContainmentAction],
    deny_time: Option<Timestamp>,
) -> (ContainmentStatus, Vec<LiveCredential>) {
    let Some(complete) = m.containment_complete else {
        return (ContainmentStatus::NotContained, Vec::new());
    };
    let live: Vec<LiveCredential> = not_reached(derived, containment, deny_time)
        .filter_map(|d| {
            let expires = d.expiration.as_deref().and_then(expiration_time);
            // A session that had already expired when containment completed is no risk.
            if expires.is_some_and(|e| e <= complete) {
                return None;
            }
            Some(LiveCredential {
                access_key_id: d.access_key_id.clone(),
                session_arn: d.session_arn.clone(),
                issued_by_action: d.action.clone(),
                issued_by_event_id: d.event_id.clone(),
                issued_at: d.time,
                expires,
                reason: "a role session obtained before containment: the deny on the user does not reach it, and no revocation of the role's sessions is in the evidence".into(),
                last_success_after_containment: None,
                refused_after_containment: 0,
                first_refused_after_containment: None,
            })
        })
        .collect();
    if live.is_empty() {
        (ContainmentStatus::Contained, live)
    } else {
        (ContainmentStatus::PartiallyContained, live)
    }
}

/// Whether `e` was made with the credential `key` (or in its role session).
fn made_with(key: &str, session: Option<&str>, e: &Event) -> bool {
    e.identity.access_key_id.as_deref() == Some(key)
        || (session.is_some() && e.identity.arn.as_deref() == session)
}

/// The calls made with a credential that succeeded after containment (`deny_time`; every
/// successful one when there is no deny).
pub fn used_after<'e>(
    key: &'e str,
    session: Option<&'e str>,
    calls: &'e [&'e Event],
    deny_time: Option<Timestamp>,
) -> impl Iterator<Item = &'e Event> + 'e {
    calls.iter().copied().filter(move |e| {
        made_with(key, session, e) && deny_time.is_none_or(|t| e.time > t) && e.succeeded()
    })
}

/// The calls made with a credential after containment (`deny_time`) that an access check
/// refused ([`Event::denied`]), in time order (none without a deny: there is no "after").
pub fn refused_after<'e>(
    key: &'e str,
    session: Option<&'e str>,
    calls: &'e [&'e Event],
    deny_time: Option<Timestamp>,
) -> impl Iterator<Item = &'e Event> + 'e {
    calls.iter().copied().filter(move |e| {
        made_with(key, session, e) && deny_time.is_some_and(|t| e.time > t) && e.denied()
    })
}

/// The role sessions the actor obtained that the containment does not reach: issued before
/// the deny (or with no deny at all), when the role's sessions were not revoked.
pub fn not_reached<'a>(
    derived: &'a [KeyIssue],
    containment: &[ContainmentAction],
    deny_time: Option<Timestamp>,
) -> impl Iterator<Item = &'a KeyIssue> {
    let sessions_revoked = containment
        .iter()
        .any(|c| c.kind == ContainmentKind::RoleSessionsRevoked && c.outcome == "success");
    derived
        .iter()
        .filter(move |d| !sessions_revoked && deny_time.is_none_or(|t| d.time <= t))
}

/// When the exposure ends: the later of containment and the actor's last successful call, or,
/// while credentials stay live, the last of their expiries. `Err` when a live credential has no
/// known expiry: the exposure is open-ended, and the reason says which credential.
pub fn exposure_end(m: &Milestones, live: &[LiveCredential]) -> Result<Option<Timestamp>, String> {
    let mut end = match (m.containment_complete, m.last_actor_success) {
        (Some(c), Some(s)) => Some(c.max(s)),
        (Some(c), None) => Some(c),
        _ => None,
    };
    for c in live {
        match c.expires {
            Some(e) => end = Some(end.map_or(e, |x| x.max(e))),
            None => {
                return Err(format!(
                    "exposure: open-ended: {} ({}) was not cut by the containment and its expiry is not in the evidence",
                    c.session_arn.as_deref().unwrap_or(&c.access_key_id),
                    c.access_key_id
                ))
            }
        }
    }
    Ok(end)
}

/// STS's `credentials.expiration` as a time (see [`crate::parse::time::sts_expiration`]).
pub fn expiration_time(text: &str) -> Option<Timestamp> {
    crate::parse::time::sts_expiration(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn at(t: &str) -> Timestamp {
        crate::parse::time::parse_time(t).unwrap()
    }

    fn session(issued: &str, expiration: Option<&str>) -> KeyIssue {
        KeyIssue {
            access_key_id: "ASIAEXAMPLESESSION01".into(),
            action: "sts:AssumeRole".into(),
            event_id: "issue-1".into(),
            time: at(issued),
            caller_arn: "arn:aws:iam::1:user/u".into(),
            caller_keys: vec![],
            session_arn: Some("arn:aws:sts::1:assumed-role/R/s".into()),
            expiration: expiration.map(str::to_owned),
        }
    }

    fn call(kind: ContainmentKind, time: &str) -> ContainmentAction {
        ContainmentAction {
            time: at(time),
            kind,
            action: "iam:PutUserPolicy".into(),
            event_id: "deny-1".into(),
            outcome: "success".into(),
            access_key_id: None,
            origin: Origin { input: 0, index: 0 },
        }
    }

    fn contained_at(t: &str) -> Milestones {
        Milestones {
            first_access: Some(at("2026-11-20T14:00:00Z")),
            containment_complete: Some(at(t)),
            ..Default::default()
        }
    }

    #[test]
    fn a_role_session_the_deny_does_not_reach_makes_it_partial_until_it_expires() {
        let m = contained_at("2026-11-20T14:01:00Z");
        let deny = [call(ContainmentKind::DenyPolicy, "2026-11-20T14:01:00Z")];
        let d = [session(
            "2026-11-20T13:59:00Z",
            Some("Nov 20, 2026, 3:59:00 PM"),
        )];
        let (status, live) = assess(&m, &d, &deny, Some(deny[0].time));
        assert_eq!(status, ContainmentStatus::PartiallyContained);
        assert_eq!(live[0].expires, Some(at("2026-11-20T15:59:00Z")));
        assert_eq!(
            exposure_end(&m, &live),
            Ok(Some(at("2026-11-20T15:59:00Z")))
        );
    }

    #[test]
    fn without_a_known_expiry_the_exposure_is_open_ended() {
        let m = contained_at("2026-11-20T14:01:00Z");
        let deny = [call(ContainmentKind::DenyPolicy, "2026-11-20T14:01:00Z")];
        let (status, live) = assess(
            &m,
            &[session("2026-11-20T13:59:00Z", None)],
            &deny,
            Some(deny[0].time),
        );
        assert_eq!(status, ContainmentStatus::PartiallyContained);
        let open = exposure_end(&m, &live).unwrap_err();
        assert!(open.contains("open-ended") && open.contains("arn:aws:sts::1:assumed-role/R/s"));
    }

    #[test]
    fn revoked_or_expired_sessions_and_no_containment() {
        let m = contained_at("2026-11-20T14:01:00Z");
        let mut calls = vec![call(ContainmentKind::DenyPolicy, "2026-11-20T14:01:00Z")];
        let expired = [session(
            "2026-11-20T12:00:00Z",
            Some("2026-11-20T13:00:00Z"),
        )];
        assert_eq!(
            assess(&m, &expired, &calls, Some(calls[0].time)).0,
            ContainmentStatus::Contained
        );
        calls.push(call(
            ContainmentKind::RoleSessionsRevoked,
            "2026-11-20T14:01:00Z",
        ));
        let live = [session("2026-11-20T13:59:00Z", None)];
        assert_eq!(
            assess(&m, &live, &calls, Some(calls[0].time)).0,
            ContainmentStatus::Contained
        );
        let none = Milestones::default();
        assert_eq!(
            assess(&none, &live, &[], None).0,
            ContainmentStatus::NotContained
        );
    }

    #[test]
    fn cloudtrail_expirations_are_read() {
        let t = expiration_time("Nov 20, 2026, 4:00:41 PM").unwrap();
        assert_eq!(
            t,
            crate::parse::time::parse_time("2026-11-20T16:00:41Z").unwrap()
        );
        // Without the comma after the year, as some published records write it.
        assert_eq!(
            expiration_time("Nov 20, 2026 4:00:41 PM"),
            Some(crate::parse::time::parse_time("2026-11-20T16:00:41Z").unwrap())
        );
        assert_eq!(expiration_time("Nov 20, 2026 13:00:41 PM"), None);
        let t = expiration_time("Nov 21, 2026, 2:02:44 AM").unwrap();
        assert_eq!(
            t,
            crate::parse::time::parse_time("2026-11-21T02:02:44Z").unwrap()
        );
        assert_eq!(
            expiration_time("2026-11-20T16:00:41Z"),
            crate::parse::time::parse_time("2026-11-20T16:00:41Z")
        );
        assert_eq!(expiration_time("soon"), None);
    }
}
