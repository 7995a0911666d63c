//! The eradication and recovery steps and the recommendations of one incident, each from a piece
//! of evidence the incident holds (a containment call, a live credential, a finding, a
//! technique), citing its eventIDs, most urgent first. Owners are roles, not people.

use super::access_steps::{cut_access, key_steps, origin_step, trust_step};
use super::findings::first_and_more;
use super::response::{contained_by, findings_of, persistence, span, step, IAM};
use crate::model::{
    ContainmentKind, ContainmentStatus, FindingKind, FlowKind, Incident, Priority, ResponseStep,
};

const RESPONDER: &str = "Incident responder";
const LEAD: &str = "Incident lead";
const DETECTION: &str = "Detection engineering";
const KILLSWITCH: &str = "Kill-switch owner (security engineering)";
const SECOPS: &str = "Security operations";

/// Other principals whose calls from the actor's address succeeded after the block: whether
/// they are the actor's is for a responder to find out (no record links them).
fn same_address_step(inc: &Incident) -> Option<ResponseStep> {
    let peers: Vec<&crate::model::AddressPeer> =
        inc.same_address.succeeded_after_containment().collect();
    if peers.is_empty() {
        return None;
    }
    let names = first_and_more(
        peers.len(),
        peers.iter().take(3).map(|p| p.principal.as_str()),
    );
    Some(step(
        Priority::High,
        RESPONDER,
        format!(
            "Find out whether {names} belongs to the actor: its calls from {} succeeded after containment; if it does, revoke its sessions and cut its access",
            inc.same_address.addresses.join(", ")
        ),
        "Check the other identity calling from the actor's address",
        "another principal's calls from the address the honeytoken was read from succeeded after containment; no record links it to the actor".into(),
        peers.iter().flat_map(|p| p.event_ids.iter().cloned()).collect(),
    ))
}

/// The other secrets and parameters whose values the actor read: they may be real credentials,
/// and are exposed whatever the containment did.
fn other_values_step(inc: &Incident) -> Option<ResponseStep> {
    let reads = &inc.impact.other_value_reads;
    if reads.is_empty() {
        return None;
    }
    let mut names: Vec<&str> = Vec::new();
    for n in reads.iter().flat_map(|r| &r.names) {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    let named = match names.len() {
        0 => "the ones its calls read (the records name a filter, not the secrets)".to_string(),
        n => first_and_more(n, names.iter().take(5).copied()),
    };
    Some(step(
        Priority::Immediate,
        SECOPS,
        format!(
            "Rotate the secrets and parameters whose values the actor read besides the decoy ({named}) and find where each is used: unless they are decoys too, they are real credentials in the actor's hands"
        ),
        "Rotate the other secrets the actor read",
        format!(
            "{} successful call(s) of the actor returned the values of stored secrets or parameters other than the honeytoken",
            reads.len()
        ),
        reads.iter().map(|r| r.event_id.clone()).collect(),
    ))
}

/// The calls to review after containment: those that succeeded in a later second than the first
/// call that cut the actor's access, and those in its very second (eventTime is to the second:
/// their order is unknown), never a call before it (the AssumeRole that issued a session).
fn after_containment_step(inc: &Incident) -> Option<ResponseStep> {
    let m = &inc.milestones;
    let (after, same) = (&m.succeeded_after_containment, &m.succeeded_same_second);
    if after.is_empty() && same.is_empty() {
        return None;
    }
    let block = crate::model::first_cut(&inc.containment)?;
    let mut reason = format!(
        "the kill-switch's first call to cut the actor's access succeeded at {} (eventID {})",
        block.time, block.event_id
    );
    if let (Some(first), Some(last)) = (after.first(), after.last()) {
        reason.push_str(&format!(
            "; {} call(s) of the actor or its role sessions succeeded in a later second, the first at {} and the last at {} (eventID {})",
            after.len(),
            first.time,
            last.time,
            last.event_id
        ));
    }
    if !same.is_empty() {
        reason.push_str(&format!(
            "; {} succeeded in that same second, before or after it (eventTime is to the second: the order is unknown)",
            same.len()
        ));
    }
    Some(step(
        Priority::High,
        RESPONDER,
        format!(
            "Review the {} call(s) that succeeded after containment began at {}{} and what they reached: data the trail does not log (e.g. S3 object reads without data events) is not in the evidence",
            after.len(),
            block.time,
            if same.is_empty() {
                String::new()
            } else {
                format!(
                    ", and the {} in that same second (their order is unknown)",
                    same.len()
                )
            }
        ),
        "Check what the actor did after containment",
        reason,
        after
            .iter()
            .chain(same.iter())
            .map(|c| c.event_id.clone())
            .collect(),
    ))
}

/// A temporary credential the containment did not reach: revoke it while it is valid. Its
/// recorded expiry is stated as a fact ("issued to expire at T"), true whenever the step is
/// read; once it has passed, revoking matters no more, and what is still worth doing is to
/// confirm from the records where this evidence does not reach that it was not used before it
/// expired (`once_expired`, which the JSON gives when the evidence runs past the expiry and the
/// report when that or its own time is after it: `ResponseStep::at`).
fn live_credential_step(c: &crate::model::LiveCredential) -> ResponseStep {
    let role = c
        .session_arn
        .as_deref()
        .and_then(|s| s.split("assumed-role/").nth(1))
        .and_then(|r| r.split('/').next());
    let Some(expires) = c.expires else {
        return step(
            Priority::Immediate,
            IAM,
            match role {
                Some(r) => format!(
                    "Revoke the sessions of role {r} issued before containment (IAM \"Revoke active sessions\" on the role), which ends session key {}: the evidence does not give its expiry",
                    c.access_key_id
                ),
                None => format!(
                    "Revoke temporary key {} ({}): the evidence does not give its expiry",
                    c.access_key_id, c.issued_by_action
                ),
            },
            "Revoke the temporary credential the actor obtained before containment",
            c.reason.clone(),
            vec![c.issued_by_event_id.clone()],
        );
    };
    let after = format!(
        "once that time has passed it can no longer be used, and what remains is to confirm that it was not used before then in records this evidence does not hold: search the CloudTrail of every region and account for access key {} up to {expires}",
        c.access_key_id
    );
    let (action, plain) = match role {
        Some(r) => (
            format!(
                "Revoke the sessions of role {r} issued before containment (IAM \"Revoke active sessions\" on the role), which ends session key {}, issued to expire at {expires}; {after}",
                c.access_key_id
            ),
            "Revoke the role session the actor obtained before containment",
        ),
        None => (
            format!(
                "Revoke temporary key {} ({}), issued to expire at {expires}; {after}",
                c.access_key_id, c.issued_by_action
            ),
            "Revoke the temporary credential the actor obtained before containment",
        ),
    };
    let mut s = step(
        Priority::Immediate,
        IAM,
        action,
        plain,
        c.reason.clone(),
        vec![c.issued_by_event_id.clone()],
    );
    s.until = Some(expires);
    let mut expired = step(
        Priority::High,
        RESPONDER,
        format!(
            "Confirm that {} was not used before it expired at {expires} in records this evidence does not hold: search the CloudTrail of every region and account for access key {} up to that time. Revoking it no longer matters{}",
            match role {
                Some(r) => format!("session key {} of role {r}", c.access_key_id),
                None => format!("temporary key {} ({})", c.access_key_id, c.issued_by_action),
            },
            c.access_key_id,
            match role {
                Some(r) => format!(
                    "; revoke the sessions of role {r} only if the actor may hold another session of it that the evidence does not show"
                ),
                None => String::new(),
            }
        ),
        "Confirm the temporary credential the actor obtained before containment was not used elsewhere",
        // Completed by `ResponseStep::at` with what shows the expiry passed.
        c.reason.clone(),
        vec![c.issued_by_event_id.clone()],
    );
    expired.until = Some(expires);
    s.once_expired = Some(Box::new(expired));
    s
}

/// What remains to do about the actor.
pub fn eradication(inc: &Incident) -> Vec<ResponseStep> {
    let a = &inc.actor;
    let who = a.user_name.clone().unwrap_or_else(|| a.arn.clone());
    let long_term: Vec<&String> = a.long_term_key_ids().collect();
    let keys = long_term
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = Vec::new();
    // With no block in CloudTrail, first cut the actor's access, or, when the kill-switch
    // reports one, confirm it.
    let keys_clause = |what: &str| {
        if keys.is_empty() {
            String::new()
        } else {
            format!(" and {what} access key(s) {keys}")
        }
    };
    let first = match inc.containment_status {
        ContainmentStatus::NotContained => Some((
            cut_access(a, inc.cross_account.as_ref(), &keys_clause("deactivate")),
            if inc.cross_account.is_some() {
                "Cut the actor's access now, in the caller's account"
            } else {
                "Cut the actor's access now"
            },
            "no containment call on the actor succeeded in the evidence",
        )),
        ContainmentStatus::Unconfirmed if inc.deny_without_containment() => Some((
            format!(
                "Confirm that {} is cut off: find the deny in its policies that refused its calls and who attached it{}, and cut its access if not",
                a.arn,
                keys_clause("the state of")
            ),
            "Confirm the actor's access is cut",
            "its calls were refused by an explicit deny, but no containment call or kill-switch report is in the evidence",
        )),
        ContainmentStatus::Unconfirmed => Some((
            format!(
                "Confirm that {} is cut off: check its policies for the kill-switch's deny{}, and cut its access if not",
                a.arn,
                keys_clause("the state of")
            ),
            "Confirm the actor's access is cut",
            "the kill-switch reports the actor contained, but no call by the configured kill-switch is in the CloudTrail evidence",
        )),
        _ => None,
    };
    if let Some((action, plain, reason)) = first {
        out.push(step(
            Priority::Immediate,
            IAM,
            action,
            plain,
            reason.into(),
            inc.access_event_ids.clone(),
        ));
    }
    out.extend(trust_step(inc));
    out.extend(other_values_step(inc));
    out.extend(inc.live_credentials.iter().map(live_credential_step));
    if let Some(s) = same_address_step(inc) {
        out.push(s);
    }
    for t in persistence(inc).filter(|t| t.succeeded) {
        let actions: Vec<&str> = t
            .calls
            .iter()
            .filter(|c| c.succeeded > 0)
            .map(|c| c.action.as_str())
            .collect();
        out.push(step(
            Priority::Immediate,
            IAM,
            format!(
                "Find and delete what the actor's {} created ({}: {})",
                actions.join(", "),
                t.id,
                t.name
            ),
            "Remove the credentials or accounts the actor created",
            "a persistence call of the actor succeeded".into(),
            t.event_ids.clone(),
        ));
    }
    // Only where a containment is in the evidence: without one, there is no "after" to speak of
    // (the first step is to cut or confirm the actor's access).
    let contained = matches!(
        inc.containment_status,
        ContainmentStatus::Contained | ContainmentStatus::PartiallyContained
    );
    if contained {
        out.extend(after_containment_step(inc));
    }
    out.extend(key_steps(inc, &who));
    out.push(super::issued_credential::with_source_identity(
        origin_step(inc, LEAD),
        &inc.actor,
    ));
    let deny: Vec<String> = contained_by(inc, ContainmentKind::DenyPolicy)
        .map(|c| c.event_id.clone())
        .collect();
    if !deny.is_empty() {
        let last = inc.live_credentials.iter().filter_map(|c| c.expires).max();
        out.push(step(
            Priority::Medium,
            IAM,
            format!(
                "Keep the kill-switch's deny-all policy on {} until its keys are replaced{}; then remove it",
                a.role_label().unwrap_or_else(|| who.clone()),
                last.map(|t| format!(" and the temporary credentials it does not reach have expired (issued to expire by {t})"))
                    .unwrap_or_default()
            ),
            "Lift the block only once the account's keys are replaced",
            // What the records show, not the policy's state today, which no record here holds.
            "the deny is what refused the actor's user's calls in the evidence (whether it is still attached is not examined)".into(),
            deny,
        ));
    }
    if inc.impact.reads_succeeded > 0 {
        out.push(step(
            Priority::Medium,
            SECOPS,
            format!(
                "Treat the value of {} as known to the actor: keep it a decoy (never a real secret) and alert on any use of it, inside or outside AWS",
                inc.honeytoken_name
            ),
            "Watch for any use of the decoy's value",
            if inc.indirect_only() {
                "S3 decrypted the honeytoken object for the actor (kms:Decrypt; the S3 call itself is not in the evidence): the value may have been returned to it".into()
            } else if inc.impact.copies.is_empty() {
                "a read returned the honeytoken's value to the actor".into()
            } else {
                inc.impact.value_obtained()
            },
            // The reads that returned the value, not those refused.
            if inc.impact.succeeded_read_ids.is_empty() {
                inc.access_event_ids.clone()
            } else {
                inc.impact.succeeded_read_ids.clone()
            },
        ));
    }
    out.sort_by_key(|s| s.priority);
    out
}

/// What to change, from the findings and latencies.
pub fn recommendations(inc: &Incident) -> Vec<ResponseStep> {
    let l = &inc.latency_seconds;
    let first_read: Vec<String> = inc.access_event_ids.iter().take(1).cloned().collect();
    let mut out = Vec::new();
    if let (Some(f1), Some(f2)) = (l.flow1_detect, l.flow2_detect) {
        if f1 - f2 >= 60.0 {
            out.push(step(
                Priority::Medium,
                DETECTION,
                format!(
                    "The alarm fired {} after {}, at least {} after the rule (the rule's time is an upper bound): keep the rule as the containment trigger, and shorten the alarm path (the trail's delivery to the log group, the alarm's period and evaluation periods) or accept it as the slower, independent check",
                    span(f1),
                    inc.milestones
                        .first_access_kind
                        .noun(inc.milestones.first_access_failed),
                    span(f1 - f2)
                ),
                "Rely on the fast detection path for containment; shorten the slow one",
                "the metric-filter alarm is slower than the EventBridge rule".into(),
                first_read.clone(),
            ));
        }
    }
    let alarm_history = format!(
        "the alarm history (describe-alarm-history; {})",
        crate::model::ALARM_HISTORY_KEPT
    );
    for (missing, which, flow, collect) in [
        (
            l.flow1_detect,
            "metric filter and alarm",
            FlowKind::MetricFilter,
            alarm_history.as_str(),
        ),
        (
            l.flow2_detect,
            "EventBridge rule",
            FlowKind::EventRule,
            "the rule's AWS/Events metrics (TriggeredRules, Invocations) and the kill-switch's CloudTrail calls",
        ),
    ] {
        if missing.is_some() || inc.access_event_ids.is_empty() {
            continue;
        }
        if flow == FlowKind::MetricFilter && inc.flow1_alarm_unlinked() {
            // An alarm may have fired: the evidence does not say which one watches the
            // honeytoken. Not a failure to repair, a link to make.
            out.push(step(
                Priority::High,
                DETECTION,
                match &inc.milestones.flow1_link_missing {
                    Some(missing) => format!("Settle flow 1's alarm at the first access (an alarm watches the honeytoken's metric now, not by a definition shown in force then); what the evidence lacks: {missing}"),
                    None => format!("Link flow 1's alarm to the honeytoken: {}; then whether the {which} detected the read can be judged", crate::model::FLOW1_LINK_ADVICE),
                },
                "Link the detection alarm to the honeytoken",
                format!("{}, so whether the metric filter and alarm detected the read is unknown", inc.flow1_unlinked_why()),
                first_read.clone(),
            ));
        } else if !inc.flow_examined(flow) {
            // Nothing to judge the flow by: not a failure, a gap.
            out.push(step(
                Priority::High,
                DETECTION,
                format!("Collect {collect} for the incident window: whether the {which} detected the read is not in the evidence"),
                "Collect the missing detection evidence",
                format!("the evidence holds nothing that would show the {which} firing"),
                first_read.clone(),
            ));
        } else {
            out.push(step(
                Priority::High,
                DETECTION,
                format!("Find why the {which} did not detect the read in the evidence, and test it with a read of the honeytoken"),
                "Repair a detection path that did not fire",
                format!("no detection by the {which} is in the evidence"),
                first_read.clone(),
            ));
        }
    }
    let by_finding: [(FindingKind, Priority, &str, &str); 8] = [
        (
            FindingKind::AccessMissedByFlow,
            Priority::High,
            DETECTION,
            "Fix the detection pattern that misses honeytoken reads",
        ),
        (
            FindingKind::UncoveredSession,
            Priority::High,
            KILLSWITCH,
            "Make the kill-switch also revoke role sessions the user obtained",
        ),
        (
            FindingKind::PipelineTampering,
            Priority::High,
            SECOPS,
            "Investigate the change to the detection pipeline",
        ),
        (
            FindingKind::LoggingReduced,
            Priority::High,
            SECOPS,
            "Restore the trail's logging and find out who changed it and why",
        ),
        (
            FindingKind::MonitoringChange,
            Priority::Medium,
            SECOPS,
            "Check whether the changed monitoring resources belong to the detection pipeline",
        ),
        (
            FindingKind::KillswitchMismatch,
            Priority::Medium,
            KILLSWITCH,
            "Reconcile the kill-switch's report with CloudTrail",
        ),
        (
            FindingKind::KillswitchStepFailed,
            Priority::Medium,
            KILLSWITCH,
            "Fix the kill-switch step that failed",
        ),
        (
            FindingKind::SuccessAfterContainment,
            Priority::Low,
            KILLSWITCH,
            "Deactivate the actor's keys as well as denying",
        ),
    ];
    for (kind, priority, owner, plain) in by_finding {
        for f in findings_of(inc, kind) {
            let action = match kind {
                FindingKind::UncoveredSession => "Extend the kill-switch to revoke the sessions of roles the user assumed (a deny on the user does not reach them)".to_string(),
                FindingKind::SuccessAfterContainment => {
                    let keys = inc.long_term_keys();
                    let active: Vec<&str> =
                        keys.iter().filter(|k| k.active()).map(|k| k.key).collect();
                    let deactivating = if contained_by(inc, ContainmentKind::AccessKeyDeactivated)
                        .next()
                        .is_none()
                    {
                        "Also deactivate the access key".to_string()
                    } else if active.is_empty() {
                        "Keep deactivating the access key".to_string()
                    } else {
                        format!(
                            "Deactivate every access key of the user (the evidence shows {} not deactivated)",
                            active.join(", ")
                        )
                    };
                    format!(
                        "{deactivating} alongside the deny, and treat calls in the seconds after containment as the actor's (IAM is eventually consistent)"
                    )
                }
                // The finding is the step's reason ("Why"), said once.
                _ => plain.to_string(),
            };
            out.push(step(
                priority,
                owner,
                action,
                plain,
                f.summary.clone(),
                f.event_ids.clone(),
            ));
        }
    }
    for f in findings_of(inc, FindingKind::ContainmentStepFailed).filter(|f| f.severity != "info") {
        out.push(step(
            Priority::High,
            KILLSWITCH,
            "Fix the containment step that failed".to_string(),
            "Fix a containment step that failed",
            f.summary.clone(),
            f.event_ids.clone(),
        ));
    }
    let reach: Vec<&str> = inc
        .attack
        .iter()
        .filter(|t| t.succeeded && !t.tactics.iter().all(|x| x == "Discovery"))
        .flat_map(|t| t.calls.iter().filter(|c| c.succeeded > 0))
        .map(|c| c.action.as_str())
        .collect();
    if !reach.is_empty() {
        out.push(step(
            Priority::Medium,
            "IAM administrator",
            format!(
                "Review the permissions of {}: it could call {}; grant only what its work needs",
                inc.actor.arn,
                reach.join(", ")
            ),
            "Reduce the compromised account's permissions to what it needs",
            "the actor's successful calls show what the credential allows".into(),
            inc.attack
                .iter()
                .filter(|t| t.succeeded && !t.tactics.iter().all(|x| x == "Discovery"))
                .flat_map(|t| t.event_ids.iter().cloned())
                .collect(),
        ));
    }
    out.sort_by_key(|s| s.priority);
    out
}
