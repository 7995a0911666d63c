//! What each incident's containment did and what it achieved, per the records, for IR-4, AC-2
//! and RS.MI-01: the kill-switch's calls that cut access (what each did, to whom, when, its
//! eventID), then the actor's calls after them (the first refused, the last that still
//! succeeded with the identity's own credentials), then each credential the containment did not
//! reach (how it was obtained, its last use after containment, its expiry). No "cut" or
//! "contained" beyond what those records show. Pure: reads the incidents.

use crate::model::{first_cut, ContainmentAction, ContainmentKind, Incident, Timeline};
use crate::report::content::fmt;

/// The sentences for every incident with a successful call that cut access, and what they cite.
#[derive(Debug, Default)]
pub(super) struct Achieved {
    /// What was done and what it achieved, one sentence group per incident (prefixed with the
    /// incident's id when there are several); empty when no call cut access.
    pub(super) done: String,
    /// The credentials the containment did not reach, as `done` ends with them (lower case,
    /// to follow a colon); empty when there are none.
    pub(super) live: String,
    /// The eventIDs the sentences name, each once, in the order named.
    pub(super) cited: Vec<String>,
}

/// What one successful containment call did, as a verb phrase ("attached a deny-all policy to
/// svc-reporting"). `target` is the call's target as its timeline row shows it.
fn did(a: &ContainmentAction, target: &str) -> String {
    let key = a.access_key_id.as_deref().unwrap_or(target);
    match a.kind {
        ContainmentKind::DenyPolicy => format!("attached a deny-all policy to {target}"),
        ContainmentKind::AccessKeyDeactivated => format!("deactivated access key {key}"),
        ContainmentKind::AccessKeyDeleted => format!("deleted access key {key}"),
        ContainmentKind::RoleSessionsRevoked => {
            format!("revoked the earlier sessions of role {target}")
        }
        ContainmentKind::LoginProfileDeleted => format!("removed the console login of {target}"),
        _ => format!("{} on {target}", a.action),
    }
}

fn push_once(cited: &mut Vec<String>, id: &str) {
    if !cited.iter().any(|c| c == id) {
        cited.push(id.to_string());
    }
}

/// The sentences for one incident; `None` when no call of it cut access.
fn incident(t: &Timeline, i: &Incident, cited: &mut Vec<String>) -> Option<(String, String)> {
    let cut = first_cut(&i.containment)?;
    let target = |id: &str| {
        t.entries
            .iter()
            .find(|e| e.event_id == id)
            .map(|e| e.target.split_whitespace().next().unwrap_or("").to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "the actor's identity".into())
    };
    let calls: Vec<String> = i
        .containment
        .iter()
        .filter(|a| {
            a.outcome == "success"
                && (a.kind.cuts_access() || a.kind == ContainmentKind::LoginProfileDeleted)
        })
        .map(|a| {
            push_once(cited, &a.event_id);
            format!(
                "{} at {} (eventID {})",
                did(a, &target(&a.event_id)),
                fmt::time(a.time),
                a.event_id
            )
        })
        .collect();
    let mut s = format!("The kill-switch {}.", fmt::list(&calls));
    let m = &i.milestones;
    let own_after = m.own_succeeded_after_containment();
    let last_own = own_after.last();
    let whose = format!("the credentials of {} itself", i.actor.arn);
    match (&m.first_denied_call, last_own) {
        (Some(d), last) if d.own && last.is_none_or(|l| d.time > l.time) => {
            push_once(cited, &d.event_id);
            s.push_str(&format!(
                " The actor's calls with {whose} were refused from {} (eventID {}, {} after the kill-switch's first such call)",
                fmt::time(d.time),
                d.event_id,
                fmt::duration((d.time.millis() - cut.time.millis()) as f64 / 1000.0)
            ));
            if let Some(l) = last {
                push_once(cited, &l.event_id);
                s.push_str(&format!(
                    "; {} call(s) with them still succeeded before that, the last at {} (eventID {})",
                    own_after.len(),
                    fmt::time(l.time),
                    l.event_id
                ));
            }
            s.push('.');
        }
        (Some(d), Some(l)) => {
            push_once(cited, &d.event_id);
            push_once(cited, &l.event_id);
            s.push_str(&format!(
                " A call of the actor was refused at {} (eventID {}), yet one with {whose} succeeded later, at {} (eventID {}): the records do not show the calls in effect.",
                fmt::time(d.time),
                d.event_id,
                fmt::time(l.time),
                l.event_id
            ));
        }
        (Some(d), None) => {
            push_once(cited, &d.event_id);
            s.push_str(&format!(
                " No later call with {whose} is in the evidence; the first of the actor's calls refused after them, at {} (eventID {}), was made with a role session it obtained.",
                fmt::time(d.time),
                d.event_id
            ));
        }
        (None, Some(l)) => {
            push_once(cited, &l.event_id);
            s.push_str(&format!(
                " No call of the actor refused after them is in the evidence, and {} call(s) with {whose} still succeeded, the last at {} (eventID {}): the records do not show the calls in effect.",
                own_after.len(),
                fmt::time(l.time),
                l.event_id
            ));
        }
        (None, None) => s.push_str(&format!(
            " No later call with {whose} is in the evidence to show them in effect (or not)."
        )),
    }
    let live: Vec<String> = i
        .live_credentials
        .iter()
        .map(|c| {
            push_once(cited, &c.issued_by_event_id);
            let name = c
                .session_arn
                .as_deref()
                .map(|a| format!("the role session {a}"))
                .unwrap_or_else(|| format!("the temporary key {}", c.access_key_id));
            let used = match c.last_success_after_containment {
                Some(at) => {
                    let id = m
                        .succeeded_after_containment
                        .iter()
                        .rev()
                        .find(|x| !x.own && x.time == at)
                        .map(|x| x.event_id.clone());
                    if let Some(id) = &id {
                        push_once(cited, id);
                    }
                    format!(
                        "a call with it succeeded after the containment, the last at {}{}",
                        fmt::time(at),
                        id.map(|id| format!(" (eventID {id})")).unwrap_or_default()
                    )
                }
                None => "no call with it after the containment is in the evidence".into(),
            };
            let until = match c.expires {
                Some(e) => format!("issued to expire at {}", fmt::time(e)),
                None => "its expiry is not in the evidence".into(),
            };
            format!(
                "{name}, obtained earlier ({} at {}, eventID {}), was not reached: {used}; {until}",
                c.issued_by_action,
                fmt::time(c.issued_at),
                c.issued_by_event_id
            )
        })
        .collect();
    let live = if live.is_empty() {
        String::new()
    } else {
        format!("{}.", live.join("; "))
    };
    if let Some(rest) = live.strip_prefix("the ") {
        s.push_str(" The ");
        s.push_str(rest);
    }
    Some((s, live))
}

/// What every incident's containment did and achieved.
pub(super) fn achieved(t: &Timeline) -> Achieved {
    let mut out = Achieved::default();
    let many = t.incidents.len() > 1;
    let (mut done, mut live) = (Vec::new(), Vec::new());
    for i in &t.incidents {
        if let Some((d, l)) = incident(t, i, &mut out.cited) {
            let tag = if many {
                format!("{}: ", i.id)
            } else {
                String::new()
            };
            done.push(format!("{tag}{d}"));
            if !l.is_empty() {
                live.push(format!("{tag}{l}"));
            }
        }
    }
    out.done = done.join(" ");
    out.live = live.join(" ");
    out
}
