//! RC.RP-01: recovery, graded only from recovery actions in the evidence (rule in
//! `docs/nist.md`): after an incident's containment completed, a successful call by someone other
//! than the actor that removes the deny, rotates or deletes the actor's key, or restores its
//! console access. Pure.

use super::facts::{first, Facts, NOT_EXAMINED};
use super::{row, CsfFunction, NistRow, Support};
use crate::model::{EntryKind, Incident, Timeline};

/// IAM calls that are recovery when they act on the contained user after its containment.
const RECOVERY_CALLS: &[&str] = &[
    "DeleteUserPolicy",
    "DetachUserPolicy",
    "CreateAccessKey",
    "DeleteAccessKey",
    "CreateLoginProfile",
    "UpdateLoginProfile",
];

/// EventIDs of the recovery calls on `incident`'s user after its containment completed.
pub(super) fn recovery_calls(t: &Timeline, incident: &Incident) -> Vec<String> {
    let (Some(done), Some(user)) = (
        incident.milestones.containment_complete,
        incident.actor.user_name.as_deref(),
    ) else {
        return Vec::new();
    };
    t.entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::IamChange | EntryKind::Containment))
        .filter(|e| e.time > done && e.outcome == "success")
        .filter(|e| {
            let name = e.action.rsplit(':').next().unwrap_or_default();
            RECOVERY_CALLS.contains(&name)
        })
        .filter(|e| {
            e.target
                .split(|c: char| c.is_whitespace() || c == '/' || c == ',')
                .any(|w| w == user)
        })
        .map(|e| e.event_id.clone())
        .collect()
}

/// The RC.RP-01 row.
pub(super) fn row_for(t: &Timeline, f: &Facts) -> NistRow {
    let contained: Vec<&Incident> = t
        .incidents
        .iter()
        .filter(|i| i.milestones.containment_complete.is_some())
        .collect();
    let calls: Vec<(String, Vec<String>)> = contained
        .iter()
        .map(|i| (i.id.clone(), recovery_calls(t, i)))
        .collect();
    let recovered: Vec<&str> = calls
        .iter()
        .filter(|(_, c)| !c.is_empty())
        .map(|(id, _)| id.as_str())
        .collect();
    let evidence: Vec<String> = calls.iter().flat_map(|(_, c)| c.clone()).collect();
    let (support, statement) = if f.records == 0 {
        (
            Support::Missing,
            format!("{NOT_EXAMINED}: whether there was an incident, and a recovery from it, is not known."),
        )
    } else if f.incidents.is_empty() {
        (
            Support::Missing,
            // No incident found is not no incident: the records may not hold its reads.
            format!(
                "Not shown by this evidence: no incident was found in the {} records examined, so no recovery from one is shown.{}",
                f.records,
                super::unseen::sentence(f)
            ),
        )
    } else if contained.is_empty() {
        (
            Support::Missing,
            "No containment completed in the evidence, so no recovery can follow it.".to_string(),
        )
    } else if recovered.is_empty() {
        (
            Support::Missing,
            "Not evidenced: no recovery action (deny policy removed, access key rotated or deleted, console access restored) on the contained user after the containment is in the evidence.".to_string(),
        )
    } else if recovered.len() < contained.len() {
        (
            Support::Partial,
            format!(
                "Recovery actions on the contained user after the containment are in the evidence for {} only.",
                recovered.join(", ")
            ),
        )
    } else {
        (
            Support::Supported,
            "After the containment, recovery actions on each contained user (deny policy removed, access key rotated or deleted, console access restored) succeeded.".to_string(),
        )
    };
    row(
        "RC.RP-01",
        "The recovery portion of the incident response plan is executed once initiated from the incident response process",
        CsfFunction::Recover,
        support,
        statement,
        if f.incidents.is_empty() {
            super::unseen::cited(f)
        } else {
            first(&evidence, 5)
        },
    )
}
