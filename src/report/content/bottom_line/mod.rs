//! The executive summary's words for one incident, for management: the bottom line (severity,
//! status, impact, residual risk, next actions), the story in order and what the evidence shows
//! of how the credential was obtained. Plain words only: no ARNs, no API names, no flow numbers
//! (the later sections name them). Every sentence rests on the incident's data; where the
//! evidence is silent the sentence says "unknown".

mod indirect;
mod story;

use super::fmt;
use crate::model::{ContainmentStatus, Incident, Timeline, Timestamp};
use serde_json::{json, Value};
use std::collections::HashSet;

/// The management context of `i` (merged into the incident's template context); `t` holds its
/// records.
pub fn context(t: &Timeline, i: &Incident) -> Value {
    let next: Vec<Value> = i
        .eradication
        .iter()
        .take(3)
        .map(|s| {
            let until = s
                .until
                .map(|t| format!(" (it stays valid until {})", fmt::time(t)))
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
        "impact": impact(i, &caveat(t)),
        "value_left": value_left(t, i),
        "residual": residual(i),
        "next_actions": next,
        "story": story::story(i, flow1_action(t, i), &indirect, read_after_refusal, t_noun),
        "root_cause": story::root_cause(i),
        "what_happened": what_happened(i, &indirect, read_after_refusal, t_noun),
        "short": short(i, &indirect, read_after_refusal),
        "status_detail": status_detail(i),
    })
}

/// When the first successful read was, if the first access (T) was refused and the incident's
/// only kind of access is a read: "read at T" would then state a read the records show refused.
fn read_after_refusal(t: &Timeline, i: &Incident) -> Option<Timestamp> {
    let first = super::milestones::first_access(t, i);
    (first.refused && Access::of(i) == Access::Read)
        .then_some(first.first_success)
        .flatten()
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

fn actor_plain(kind: &str) -> String {
    match kind {
        "IAMUser" => "an IAM user".into(),
        "AssumedRole" => "a role session".into(),
        "Root" => "the account's root user".into(),
        "FederatedUser" => "a federated user".into(),
        "IdentityCenterUser" => "an Identity Center user".into(),
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

/// The actor's account: `AWS account <id>` when the decoy is of another account (both are then
/// named), else `the AWS account`.
fn actor_account(i: &Incident) -> String {
    match &i.cross_account {
        Some(x) => format!("AWS account {}", x.actor_account),
        None => "the AWS account".into(),
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
    read_after_refusal: Option<Timestamp>,
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
            (ContainmentStatus::Unconfirmed, _) => "The kill-switch reports blocking the actor, but none of its calls is in the CloudTrail evidence: the block is not confirmed.".to_string(),
            (s, d) => format!(
                "The automatic kill-switch blocked that credential{}{}.",
                d.map(|d| format!(" {} after {t_noun}", fmt::duration(d))).unwrap_or_default(),
                if s == ContainmentStatus::PartiallyContained {
                    ", but a temporary credential the actor had obtained earlier stayed usable"
                } else {
                    ""
                }
            ),
        }
    )
}

/// When the honeytoken was read, as a clause: ` at T2 (a first attempt at T1 was refused)` when
/// a read followed a refused first access, else ` {at} T` of the first access (`at` or `from`),
/// or nothing without one.
fn when_read(i: &Incident, read_after_refusal: Option<Timestamp>, at: &str) -> String {
    match (read_after_refusal, i.milestones.first_access) {
        (Some(read), Some(refused)) => format!(
            " at {} (a first attempt at {} was refused)",
            fmt::time(read),
            fmt::time(refused)
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
    read_after_refusal: Option<Timestamp>,
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
                ", but a temporary credential stayed usable"
            } else {
                ""
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
                1 => "; its direct read in the evidence was refused".to_string(),
                n => format!("; its {n} direct reads in the evidence were refused"),
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
                "The kill-switch's published result reports the actor contained, and none of its calls on the actor is in the CloudTrail evidence; but from {} CloudTrail shows the actor's calls refused by an explicit deny in its own policies, as the kill-switch's deny would refuse them. The block is likely, not confirmed: another deny would do the same.",
                fmt::time(t)
            ),
            None => "The kill-switch's published result reports the actor contained, but none of its calls on the actor is in the CloudTrail evidence: the block is neither confirmed nor ruled out.".into(),
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

/// A change the actor made or tried, in plain words.
pub(super) fn plain_change(action: &str) -> String {
    let known = [
        ("iam:CreateAccessKey", "create a new access key"),
        ("iam:CreateUser", "create a new user"),
        ("iam:CreateLoginProfile", "create a console password"),
        ("iam:UpdateLoginProfile", "change a console password"),
        ("iam:AttachUserPolicy", "give itself more permissions"),
        ("iam:PutUserPolicy", "give itself more permissions"),
        ("iam:AttachRolePolicy", "give a role more permissions"),
        ("iam:CreateRole", "create a new role"),
        ("iam:UpdateAssumeRolePolicy", "change who may use a role"),
        ("secretsmanager:PutSecretValue", "change a secret"),
        ("secretsmanager:DeleteSecret", "delete a secret"),
        // "an audit trail": an account may have several, and which one feeds detection is the
        // findings' to say.
        ("cloudtrail:StopLogging", "stop an audit trail's logging"),
        ("cloudtrail:DeleteTrail", "delete an audit trail"),
        ("cloudtrail:UpdateTrail", "change an audit trail's settings"),
        (
            "cloudtrail:PutEventSelectors",
            "change which events an audit trail records",
        ),
        (
            "cloudtrail:PutInsightSelectors",
            "change an audit trail's Insights settings",
        ),
    ];
    known
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, p)| p.to_string())
        .unwrap_or_else(|| {
            let name = action.split(':').nth(1).unwrap_or(action);
            format!("make a change ({name})")
        })
}

/// API names a sentence lists at most before "and N more" (the JSON's `impact` has them all).
const CHANGES_NAMED: usize = 5;

/// The changes of `actions` (distinct APIs, in order) in plain words: each one the summary knows
/// in its own words, the others grouped in one item ("make changes of 22 kinds (EnableKey,
/// DeleteAlias, … and 17 more)") rather than "make a change (X)" once per API.
fn plain_changes(actions: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut others: Vec<&str> = Vec::new();
    for a in actions {
        let p = plain_change(a);
        if p.starts_with("make a change (") {
            others.push(a.split(':').nth(1).unwrap_or(a));
        } else if !out.contains(&p) {
            out.push(p);
        }
    }
    let other = if out.is_empty() { "" } else { "other " };
    match others.as_slice() {
        [] => {}
        [one] if out.is_empty() => out.push(format!("make a change ({one})")),
        [one] => out.push(format!("make another change ({one})")),
        many => {
            let named: Vec<String> = many
                .iter()
                .take(CHANGES_NAMED)
                .map(|s| s.to_string())
                .collect();
            let names = if many.len() > CHANGES_NAMED {
                format!(
                    "{} and {} more",
                    named.join(", "),
                    many.len() - CHANGES_NAMED
                )
            } else {
                list(&named)
            };
            out.push(format!(
                "make {other}changes of {} kinds ({names})",
                many.len()
            ));
        }
    }
    out
}

pub(super) fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("one {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What "the records show no ..." rests on when the evidence is known to be incomplete: the
/// region-hours without trail files, or the other evidence gaps; empty when none is known.
fn caveat(t: &Timeline) -> String {
    let hours: usize = t.coverage.not_covered.iter().map(|r| r.hours).sum();
    if hours > 0 {
        format!("{hours} region-hour(s) of the analysed window lack trail files (see the evidence gaps)")
    } else if t.coverage.status == crate::model::CoverageStatus::NotExamined {
        "whether trail files cover the analysed window was not examined".into()
    } else if !t.gaps.is_empty() {
        format!(
            "{} evidence gap(s) may hold more (see the evidence gaps)",
            t.gaps.len()
        )
    } else {
        String::new()
    }
}

/// `caveat`: see [`caveat`], said once after what "the records show no ...".
fn impact(i: &Incident, caveat: &str) -> String {
    let m = &i.impact;
    // Beside the read that returned the value, the calls that did not: "other", not "more" (the
    // read was no attempt), and "failed: CODE" for an error no access check gives.
    let refused = if m.reads_refused > 0 {
        let verb = m.failed_reads_verb(m.reads_refused);
        let verb = match verb.strip_prefix("failed (") {
            Some(codes) => format!("failed: {}", codes.trim_end_matches(')')),
            None => verb,
        };
        format!(
            " ({} {verb})",
            plural(
                m.reads_refused,
                "other attempt to read it",
                "other attempts to read it"
            )
        )
    } else {
        String::new()
    };
    let read = if i.indirect_only() {
        format!(
            "S3 decrypted the {} for the actor, as it does to return or copy an object: whether the value reached the actor is not shown, since the S3 call itself is not in the evidence{}.",
            decoy(i),
            match m.reads_refused {
                0 => String::new(),
                1 => "; the actor's direct read in the evidence was refused".to_string(),
                n => format!("; the actor's {n} direct reads in the evidence were refused"),
            }
        )
    } else if copied_only(i) {
        format!(
            "The actor had the {}'s value copied into {}{refused}; the records do not show the value returned to the actor itself.",
            decoy(i),
            m.copied_into()
        )
    } else if !m.copies.is_empty() {
        format!(
            "The actor obtained the {}'s value, and had it copied into {}{refused}.",
            decoy(i),
            m.copied_into()
        )
    } else if m.service_reads_only() {
        format!(
            "The AWS service {} obtained the {}'s value, calling on the actor's behalf (userIdentity.invokedBy){refused}; the records do not show the value returned to the actor itself, nor where the service put it.",
            m.reading_services(),
            decoy(i)
        )
    } else if m.reads_succeeded > 0 {
        format!("The actor obtained the {}'s value{refused}.", decoy(i))
    } else {
        format!(
            "The actor did not obtain the {}'s value: {} {}.",
            decoy(i),
            if m.reads_refused == 1 {
                "its one attempt".to_string()
            } else {
                format!("all {} attempts", m.reads_refused)
            },
            m.failed_reads_verb(m.reads_refused)
        )
    };
    let changes = plain_changes(&m.changes);
    let refused = plain_changes(&m.refused_changes);
    let changed = if changes.is_empty() {
        "The records show no change made by the actor".to_string()
    } else {
        format!("The actor managed to {}", list(&changes))
    };
    let tried = if refused.is_empty() {
        ".".to_string()
    } else {
        format!("; its attempt to {} was refused.", list(&refused))
    };
    let looked = match m.look_ups {
        0 => "The records show no other look-up by the actor.".to_string(),
        n => format!(
            "Besides, it looked around the account ({}).",
            plural(n, "successful look-up", "successful look-ups")
        ),
    };
    let rests = if caveat.is_empty() || (m.look_ups > 0 && !changes.is_empty()) {
        String::new()
    } else {
        format!(" That rests on the evidence read only: {caveat}.")
    };
    format!("{read} {looked} {changed}{tried}{rests}")
}

/// Addresses a sentence names at most; the JSON timeline has every read with its address.
const ADDRESSES_NAMED: usize = 10;

fn value_left(t: &Timeline, i: &Incident) -> String {
    if i.impact.reads_succeeded == 0 {
        return "No: the value was never returned to the actor.".into();
    }
    let copied = if i.impact.copies.is_empty() {
        String::new()
    } else {
        format!(" copied into {}", i.impact.copied_into())
    };
    if copied_only(i) {
        return format!("Unknown: the records show the value{copied}, not where it went next.");
    }
    if i.indirect_only() {
        return "Unknown: KMS records show S3 decrypting the object for the actor; the S3 call that returned or copied it is not in the evidence, nor where the value went next.".into();
    }
    if i.impact.service_reads_only() {
        return format!(
            "Unknown: the records show the value returned to the AWS service {} calling on the actor's behalf, not where the service put it nor where it went next.",
            i.impact.reading_services()
        );
    }
    // The addresses of the reads that returned the value, in the order of the reads: not every
    // address the actor's other calls came from (nor a copy's, whose value S3 kept).
    let copies: HashSet<&str> = i
        .impact
        .copies
        .iter()
        .map(|c| c.event_id.as_str())
        .collect();
    let mut seen = HashSet::new();
    let ips: Vec<String> = i
        .access_records
        .iter()
        .filter_map(|copy| t.event_at(copy.origin))
        .filter(|e| e.succeeded() && !copies.contains(e.event_id.as_str()))
        .filter_map(|e| e.source_address())
        .filter(|ip| seen.insert(*ip))
        .map(str::to_owned)
        .collect();
    let at = match ips.len() {
        0 => String::new(),
        1 => format!(" at the address {}", ips[0]),
        n if n <= ADDRESSES_NAMED => format!(" at the addresses {}", list(&ips)),
        n => format!(
            " at {n} addresses, the first {}, and {} more (the JSON timeline has every read with its address)",
            ips[..ADDRESSES_NAMED].join(", "),
            n - ADDRESSES_NAMED
        ),
    };
    let and = if copied.is_empty() { "" } else { " and" };
    format!("Unknown: the records show the value was returned to the actor{at}{and}{copied}, not where it went next.")
}

fn residual(i: &Incident) -> String {
    let mut out = Vec::new();
    match i.containment_status {
        ContainmentStatus::NotContained => {
            out.push("No cut of the actor's access is in the evidence: it may still use the stolen credential.".to_string())
        }
        ContainmentStatus::Unconfirmed => out.push(
            "Whether the actor's access was cut is not confirmed: until the user's policies and keys are checked, assume it may still use the stolen credential."
                .to_string(),
        ),
        ContainmentStatus::PartiallyContained => {
            for c in &i.live_credentials {
                out.push(match c.expires {
                    Some(t) => format!(
                        "A temporary credential the actor obtained before the block stays usable until {} unless it is revoked.",
                        fmt::time(t)
                    ),
                    None => "A temporary credential the actor obtained before the block stays usable, with no known expiry, unless it is revoked.".to_string(),
                });
            }
        }
        ContainmentStatus::Contained => out.push(
            "The actor's access is blocked; the blocked credential stays a risk until it is deleted and replaced."
                .to_string(),
        ),
    }
    let blocked = matches!(
        i.containment_status,
        ContainmentStatus::Contained | ContainmentStatus::PartiallyContained
    );
    if blocked
        && i.same_address
            .succeeded_after_containment()
            .next()
            .is_some()
    {
        out.push("Another identity kept calling AWS from the address the decoy was read from after the block: no record links it to the actor, but if it is the actor's, the block did not reach it.".into());
    }
    if copied_only(i) {
        out.push(format!(
            "A copy of the decoy's value is in {}: any use of the value elsewhere is a further sign of this actor.",
            i.impact.copied_into()
        ));
    } else if i.indirect_only() {
        out.push("The decoy's value may be in the actor's hands (S3 decrypted it for the actor): any use of it elsewhere is a further sign of this actor.".into());
    } else if i.impact.service_reads_only() {
        out.push(format!(
            "The decoy's value went to the AWS service {} on the actor's behalf, and may be where the service put it for the actor: any use of it elsewhere is a further sign of this actor.",
            i.impact.reading_services()
        ));
    } else if i.impact.reads_succeeded > 0 {
        out.push("The decoy's value is in the actor's hands: any use of it elsewhere is a further sign of this actor.".into());
    }
    out.join(" ")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn words(actions: &[&str]) -> String {
        let actions: Vec<String> = actions.iter().map(|a| a.to_string()).collect();
        list(&plain_changes(&actions))
    }

    /// Changes the summary has no words for are grouped, not said once each (22 KMS calls read
    /// "make a change (EnableKey), make a change (DeleteAlias), …").
    #[test]
    fn many_changes_are_grouped_with_the_first_named() {
        let kms: Vec<String> = (1..=22).map(|n| format!("kms:Call{n}")).collect();
        let kms: Vec<&str> = kms.iter().map(String::as_str).collect();
        assert_eq!(
            words(&kms),
            "make changes of 22 kinds (Call1, Call2, Call3, Call4, Call5 and 17 more)"
        );
        let mut with_known = vec!["iam:CreateAccessKey"];
        with_known.extend(&kms[..3]);
        assert_eq!(
            words(&with_known),
            "create a new access key and make other changes of 3 kinds (Call1, Call2 and Call3)"
        );
        assert_eq!(words(&["kms:EnableKey"]), "make a change (EnableKey)");
        assert_eq!(
            words(&["iam:CreateAccessKey", "kms:EnableKey"]),
            "create a new access key and make another change (EnableKey)"
        );
    }
}
