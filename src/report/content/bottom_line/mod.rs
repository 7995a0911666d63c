//! The executive summary's words for one incident, for management: the bottom line (severity,
//! status, impact, residual risk, next actions), the story in order and what the evidence shows
//! of how the credential was obtained. Plain words only: no ARNs, no API names, no flow numbers
//! (the later sections name them). Every sentence rests on the incident's data; where the
//! evidence is silent the sentence says "unknown". Here: the context, the status and what
//! happened; `impact` the impact, the value left and the residual risk; `story` the story;
//! `words` the plain words for changes; `indirect` reads known only from S3's decryption.

mod impact;
mod indirect;
mod other_values;
mod story;
mod words;

use impact::{caveat, impact, residual, value_left};
use words::plural;

use super::fmt;
use crate::model::{ContainmentStatus, Incident, Timeline, Timestamp};
use serde_json::{json, Value};

/// The management context of `i` (merged into the incident's template context); `t` holds its
/// records; `made`: when this report was made (its title page's "Generated").
pub fn context(t: &Timeline, i: &Incident, made: Timestamp) -> Value {
    // The steps as they stand when the report was made: one on a credential whose expiry the
    // evidence runs past, or that expired before then, is the step that replaces it.
    let at = t.steps_at(Some(made));
    let next: Vec<Value> = crate::model::steps_at(&i.eradication, at)
        .iter()
        .take(3)
        .map(|s| {
            let until = s
                .until
                .map(|u| match at.expired(u) {
                    Some(passed) => format!(" ({})", passed.clause(u)),
                    None => format!(" (it stays valid until {} unless revoked)", fmt::time(u)),
                })
                .unwrap_or_default();
            json!({"priority": s.priority.describe(), "owner": s.owner, "text": format!("{}{until}", s.plain)})
        })
        .collect();
    let indirect = indirect::IndirectReads::of(t, i);
    let read_after_refusal = read_after_refusal(t, i);
    // What the summary times detection and containment from: T, named for what it was.
    let t_noun = super::milestones::first_access(t, i).noun();
    json!({
        "severity": i.severity.describe(),
        "severity_basis": story::capitalise(&i.severity_basis),
        "status_title": status_title(i.containment_status),
        // Another honeytoken's reads unseen: the reads told are not all there may have been.
        "impact": format!("{}{}", impact(t, i, &caveat(t)), super::reads_unseen::others_sentence(t).0),
        "value_left": value_left(t, i),
        "residual": residual(i, at),
        "next_actions": next,
        "story": story::story(i, flow1_action(t, i), &indirect, read_after_refusal.clone(), t_noun, story::Examined::of(t)),
        "root_cause": story::root_cause(i),
        "what_happened": what_happened(i, &indirect, read_after_refusal.clone(), t_noun),
        "short": short(i, &indirect, read_after_refusal),
        "status_detail": status_detail(i),
    })
}

/// When the first successful read was, if the first access (T) was refused (or failed) and the
/// incident's only kind of access is a read: "read at T" would then state a read the records
/// show refused. With it, how the calls at T ended ("was refused", "failed
/// (ResourceNotFoundException)": [`crate::model::failures`]' words).
fn read_after_refusal(t: &Timeline, i: &Incident) -> Option<(Timestamp, String)> {
    let first = super::milestones::first_access(t, i);
    (first.refused && Access::of(i) == Access::Read)
        .then_some(first.first_success)
        .flatten()
        .map(|read| (read, first.failed_words))
}

/// The honeytoken in plain words, from its rule's kind (`secret:…`, `s3:…`, `ssm:…`).
pub(in crate::report::content) fn decoy(i: &Incident) -> &'static str {
    match i.honeytoken_rule.split(':').next() {
        Some("secret") => "decoy secret",
        Some("s3") => "decoy storage object",
        Some("ssm") => "decoy parameter",
        _ => "decoy",
    }
}

/// "which secret", "which object", "which parameter": what a record of a read of the decoy of
/// `rule` (`secret:…`, `s3:…`, `ssm:…`) names, as the flows' comparison says it.
pub(in crate::report::content) fn which(rule: &str) -> &'static str {
    match rule.split(':').next() {
        Some("secret") => "which secret",
        Some("s3") => "which object",
        Some("ssm") => "which parameter",
        _ => "which honeytoken",
    }
}

/// [`which`] for every incident of `incidents` when they agree, else "which honeytoken" (also
/// with none).
pub(in crate::report::content) fn which_of(incidents: &[Incident]) -> &'static str {
    let mut kinds = incidents.iter().map(|i| which(&i.honeytoken_rule));
    match kinds.next() {
        Some(first) if kinds.all(|k| k == first) => first,
        _ => "which honeytoken",
    }
}

fn actor_plain(kind: &str) -> String {
    match kind {
        "IAMUser" => "an IAM user".into(),
        "AssumedRole" => "a role session".into(),
        "Root" => "the account's root user".into(),
        "FederatedUser" => "a federated user".into(),
        "IdentityCenterUser" => "an Identity Center user".into(),
        // A record may name no type (AWS's own examples do): say so, not "of type ".
        "" => "an identity (its type not recorded)".into(),
        other => format!("an identity of type {other}"),
    }
}

/// Every successful read was an S3 copy out of the decoy: the value went where the actor's
/// request named, not back to the actor.
fn copied_only(i: &Incident) -> bool {
    !i.impact.copies.is_empty() && i.impact.reads_returned() == 0
}

/// What the actor did to the decoy: its value returned, copied by S3 where the actor's request
/// named, both, or neither (every attempt refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    Read,
    Copied,
    ReadAndCopied,
    Tried,
}

impl Access {
    pub(super) fn of(i: &Incident) -> Access {
        if copied_only(i) {
            Access::Copied
        } else if i.impact.reads_succeeded == 0 {
            Access::Tried
        } else if i.impact.copies.is_empty() {
            Access::Read
        } else {
            Access::ReadAndCopied
        }
    }
}

/// ` into s3://bucket/key, a bucket and key of the actor's choosing,` after the decoy's name
/// when a successful read was a copy (` and copy it into ...`, or `copied` when `past`, when
/// others returned the value; the comma only before `when`, the time that follows).
fn into(i: &Incident, when: &str, past: bool) -> String {
    let comma = if when.is_empty() { "" } else { "," };
    let copy = if past { "copied" } else { "copy" };
    match Access::of(i) {
        Access::Copied => format!(" into {}{comma}", i.impact.copied_into()),
        Access::ReadAndCopied => {
            format!(" and {copy} it into {}{comma}", i.impact.copied_into())
        }
        Access::Read | Access::Tried => String::new(),
    }
}

/// The actor's account: `AWS account <id>`, the id the reads' `userIdentity.accountId` names
/// (the cross-account reads' when the decoy is of another account: both are then named), that
/// the records disagree on it (`userIdentity.accountId` is not the account of the principal's
/// ARN: [`crate::model::Actor::account_disagrees`]), or that the records name none.
fn actor_account(i: &Incident) -> String {
    match (&i.cross_account, i.actor.established_account()) {
        (Some(x), _) => format!("AWS account {}", x.actor_account),
        (None, Some(a)) => format!("AWS account {a}"),
        (None, None) if i.actor.account_disagrees().is_some() => {
            "an AWS account the records disagree on".into()
        }
        (None, None) => "an AWS account the records do not name".into(),
    }
}

/// ` (of another AWS account, <id>)` after the decoy's name when it is of another account than
/// the actor's.
pub(super) fn other_account(i: &Incident) -> String {
    i.cross_account
        .as_ref()
        .map(|x| format!(" (of another AWS account, {})", x.honeytoken_account))
        .unwrap_or_default()
}

/// `t_noun`: the first access (T) as the containment's delay is timed from it ("the read",
/// "the attempt"...: [`super::milestones::FirstAccess::noun`]).
fn what_happened(
    i: &Incident,
    indirect: &indirect::IndirectReads,
    read_after_refusal: Option<(Timestamp, String)>,
    t_noun: &str,
) -> String {
    let access = Access::of(i);
    let read = match access {
        Access::Copied => "copy",
        Access::Read | Access::ReadAndCopied => "read",
        Access::Tried => "try to read",
    };
    // Read and copied: the first access may be either, and the other came later.
    let at = if access == Access::ReadAndCopied {
        "from"
    } else {
        "at"
    };
    let when = when_read(i, read_after_refusal, at);
    let used = if i.indirect_only() {
        format!(
            "KMS records show S3 decrypting the {} {}{} for the credential of {} of {}{}, as S3 does to return or copy an object (or to complete a multipart upload onto its key); the S3 call itself is not in the evidence.{} It is a honeytoken, which no legitimate work is meant to read.",
            decoy(i),
            i.honeytoken_name,
            other_account(i),
            actor_plain(&i.actor.kind),
            actor_account(i),
            indirect.when(i),
            indirect.refused_sentence(i),
        )
    } else {
        format!(
            "The credential of {} of {} was used to {read} the {} {}{}{}{when}: a honeytoken, which no legitimate work is meant to read.",
            actor_plain(&i.actor.kind),
            actor_account(i),
            decoy(i),
            i.honeytoken_name,
            other_account(i),
            into(i, &when, false),
        )
    };
    format!(
        "{used} {}",
        match (i.containment_status, i.latency_seconds.contain) {
            (ContainmentStatus::NotContained, _) => "Nothing in the evidence blocked the actor.".to_string(),
            (ContainmentStatus::Unconfirmed, _) if i.deny_without_containment() => "No containment call and no kill-switch report is in the evidence, but CloudTrail shows the actor's calls refused by an explicit deny in its own policies afterwards: something blocked it that the evidence does not show.".to_string(),
            (ContainmentStatus::Unconfirmed, _) => "The kill-switch reports blocking the actor, but no call by the configured kill-switch is in the CloudTrail evidence: the block is not confirmed.".to_string(),
            // The calls IAM accepted, then what the records show of their effect: not "blocked
            // at 31 s" when a call with the credential succeeded after that.
            (s, d) => format!(
                "The automatic kill-switch's calls to block that credential were complete{}{}.{}",
                d.map(|d| format!(" {} after {t_noun}", fmt::duration(d))).unwrap_or_default(),
                block_effect(i, t_noun, "with it"),
                if s == ContainmentStatus::PartiallyContained {
                    format!(" A temporary credential the actor had obtained earlier was not reached by the block: {}.", unrevoked(i))
                } else {
                    String::new()
                }
            ),
        }
    )
}

/// What the records show of the temporary credentials the block did not reach: nothing in them
/// revoked the credentials before their recorded expiry ("before its recorded expiry at T"; the
/// latest, with several), or at all when an expiry is not in the evidence. Not "stayed usable
/// until T": a revocation the evidence does not hold cannot be ruled out, and "stayed usable"
/// alone read as "is still usable" when it had long expired.
fn unrevoked(i: &Incident) -> String {
    let expiries: Option<Vec<Timestamp>> = i.live_credentials.iter().map(|c| c.expires).collect();
    match expiries.as_deref() {
        Some([one]) => format!(
            "nothing in the evidence revoked it before its recorded expiry at {}",
            fmt::time(*one)
        ),
        Some(all @ [_, _, ..]) => format!(
            "nothing in the evidence revoked them before their recorded expiries (the last at {})",
            fmt::time(*all.iter().max().expect("two or more"))
        ),
        _ => "nothing in the evidence revoked it, and its expiry is not in the evidence".into(),
    }
}

/// What the records show of the block's effect on the actor's own credential, as a clause after
/// the containment's time: a call `who` (`with it`, `of the user`) that still succeeded after
/// the first cutting call (IAM applies a change after a delay), and the first of its calls
/// refused, each timed from T (`t_noun`); nothing when the records show neither.
pub(super) fn block_effect(i: &Incident, t_noun: &str, who: &str) -> String {
    let m = &i.milestones;
    let Some(t) = m.first_access else {
        return String::new();
    };
    let since = |x: Timestamp| fmt::duration(t.seconds_until(x));
    let last = m
        .own_succeeded_after_containment()
        .iter()
        .map(|c| c.time)
        .max();
    let refused = m
        .first_denied_call
        .as_ref()
        .filter(|d| d.own)
        .map(|d| d.time);
    match (last, refused) {
        (Some(l), Some(d)) if d > l => format!(
            "; a call {who} still succeeded {} after {t_noun}; the first one refused after the block came {} after it",
            since(l),
            since(d)
        ),
        (Some(l), _) => format!("; a call {who} still succeeded {} after {t_noun}", since(l)),
        (None, Some(d)) => format!(
            "; the first call {who} refused after the block came {} after {t_noun}",
            since(d)
        ),
        (None, None) => String::new(),
    }
}

/// When the honeytoken was read, as a clause: ` at T2 (a first attempt at T1 was refused)` (or
/// `failed (ResourceNotFoundException)`) when a read followed a refused or failed first
/// access, else ` {at} T` of the first access (`at` or `from`), or nothing without one.
fn when_read(i: &Incident, read_after_refusal: Option<(Timestamp, String)>, at: &str) -> String {
    match (read_after_refusal, i.milestones.first_access) {
        (Some((read, how)), Some(refused)) => format!(
            " at {} (a first attempt at {} {how})",
            fmt::time(read),
            fmt::time(refused),
        ),
        _ => i
            .milestones
            .first_access
            .map(|t| format!(" {at} {}", fmt::time(t)))
            .unwrap_or_default(),
    }
}

/// One line for a summary of several incidents.
fn short(
    i: &Incident,
    indirect: &indirect::IndirectReads,
    read_after_refusal: Option<(Timestamp, String)>,
) -> String {
    let access = Access::of(i);
    let (read, at) = match access {
        Access::Copied => ("Copied", "at"),
        Access::Read => ("Read", "at"),
        Access::ReadAndCopied => ("Read", "from"),
        Access::Tried => ("Tried to read", "at"),
    };
    let when = when_read(i, read_after_refusal, at);
    let contained = match (i.containment_status, i.latency_seconds.contain) {
        (ContainmentStatus::NotContained, _) => "not blocked in the evidence".to_string(),
        (ContainmentStatus::Unconfirmed, _) => {
            "blocked by the kill-switch's own report, not confirmed by CloudTrail".to_string()
        }
        (s, d) => format!(
            "blocked{}{}",
            d.map(|d| format!(" {} later", fmt::duration(d)))
                .unwrap_or_default(),
            if s == ContainmentStatus::PartiallyContained {
                format!(
                    ", but not a temporary credential it had obtained earlier: {}",
                    unrevoked(i)
                )
            } else {
                String::new()
            }
        ),
    };
    if i.indirect_only() {
        return format!(
            "S3 decrypted the {} {}{} for the credential of {} (KMS records; the S3 call itself is not in the evidence){}; {contained}.",
            decoy(i),
            i.honeytoken_name,
            indirect.when(i),
            actor_plain(&i.actor.kind),
            match indirect.refused_count {
                0 => String::new(),
                1 => format!(
                    "; its direct read in the evidence {}",
                    i.impact.failed_reads_verb(1)
                ),
                n => format!(
                    "; its {n} direct reads in the evidence {}",
                    i.impact.failed_reads_verb(n)
                ),
            }
        );
    }
    format!(
        "{read} the {} {}{}{}{when} with the credential of {}{}; {contained}.",
        decoy(i),
        i.honeytoken_name,
        other_account(i),
        into(i, &when, true),
        actor_plain(&i.actor.kind),
        if i.cross_account.is_some() {
            format!(" of {}", actor_account(i))
        } else {
            String::new()
        }
    )
}

fn status_detail(i: &Incident) -> String {
    match i.containment_status {
        ContainmentStatus::Contained => {
            "The block covers every credential the evidence links to the actor (its keys, the role sessions it obtained).".into()
        }
        ContainmentStatus::PartiallyContained => format!(
            "The block did not reach {} the actor already held.",
            plural(
                i.live_credentials.len(),
                "temporary credential",
                "temporary credentials"
            )
        ),
        ContainmentStatus::NotContained => {
            "No block of the actor succeeded in the evidence.".into()
        }
        ContainmentStatus::Unconfirmed if i.deny_without_containment() => format!(
            "No containment call and no kill-switch report on the actor is in the evidence; but from {} CloudTrail shows the actor's calls refused by an explicit deny in its own policies. A deny was attached by a call the evidence does not hold: who blocked the actor, and when, is not known.",
            i.milestones
                .first_denied_after_containment
                .map(fmt::time)
                .unwrap_or_else(|| "an unknown time".into())
        ),
        ContainmentStatus::Unconfirmed => match i.milestones.first_denied_after_containment {
            Some(t) => format!(
                "The kill-switch's published result reports the actor contained, and no call on the actor by the configured kill-switch is in the CloudTrail evidence; but from {} CloudTrail shows the actor's calls refused by an explicit deny in its own policies, as the kill-switch's deny would refuse them. The block is likely, not confirmed: another deny would do the same.",
                fmt::time(t)
            ),
            None => "The kill-switch's published result reports the actor contained, but no call on the actor by the configured kill-switch is in the CloudTrail evidence: the block is neither confirmed nor ruled out.".into(),
        },
    }
}

fn status_title(s: ContainmentStatus) -> &'static str {
    match s {
        ContainmentStatus::Contained => "Contained",
        ContainmentStatus::PartiallyContained => "Partially contained",
        ContainmentStatus::NotContained => "Not contained",
        ContainmentStatus::Unconfirmed => "Containment not confirmed",
    }
}

/// What flow 1's alarm action ran (an SNS topic's ARN), from the alarm history item at the
/// incident's `flow1_notification`.
fn flow1_action<'t>(t: &'t Timeline, i: &Incident) -> Option<&'t str> {
    let at = i.milestones.flow1_notification?;
    t.config
        .alarm_history
        .iter()
        .find(|h| h.item_type == "Action" && h.time == at)
        .and_then(|h| h.action_arn.as_deref())
}
