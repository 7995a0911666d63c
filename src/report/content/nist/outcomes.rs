//! The CSF 2.0 outcome rows of detection, containment, analysis and notification (DE.CM,
//! DE.AE, RS.MI-01, RS.AN-03, RS.CO-02), each graded by its rule in `docs/nist.md`. Pure.

use super::activity;
use super::facts::{first, Facts, NOT_EXAMINED};
use super::flows::FlowsSeen;
use super::{row, unseen, CsfFunction, NistRow, Support};

/// The CSF 2.0 outcome rows of detection and response.
pub(super) fn rows(f: &Facts) -> Vec<NistRow> {
    let mut out = Vec::new();
    let flow_evidence = f.flow_evidence();
    let notes = f.notifications_evidence();
    out.push(row(
        "DE.CM-01",
        "Networks and network services are monitored to find potentially adverse events",
        CsfFunction::Detect,
        f.flows_seen().support(),
        match f.flows_seen() {
            FlowsSeen::Neither => "No alarm transition or rule metric in the evidence shows AWS API activity being monitored.",
            FlowsSeen::Both => "AWS API activity is monitored by both flows (an alarm transition and the rule's metrics are in the evidence).",
            FlowsSeen::Flow1 => "AWS API activity is monitored by flow 1 (an alarm transition is in the evidence); no rule metric shows flow 2.",
            FlowsSeen::Flow2 => "AWS API activity is monitored by flow 2 (the rule's metrics are in the evidence); no alarm transition shows flow 1.",
        }
        .to_string()
            + &f.transitions_summary_only,
        first(&flow_evidence, 2),
    ));
    // Calls on the decoy, or possibly on it, that no read is among.
    let (activity, activity_ids) = activity::possible_activity(f);
    // Beside the incidents' reads: activity on another decoy that opened no incident.
    let (besides, besides_ids) = activity::beside_reads(f);
    // And, beside the reads, another honeytoken whose reads could not be seen.
    let besides = format!("{besides}{}", f.unseen_others.0);
    let besides_ids: Vec<String> = besides_ids
        .into_iter()
        .chain(f.unseen_others.1.iter().cloned())
        .collect();
    let no_read = if f.decrypts_without_read.is_empty() {
        "No read"
    } else {
        "No read call"
    };
    out.push(row(
        "DE.CM-03",
        "Personnel activity and technology usage are monitored to find potentially adverse events",
        CsfFunction::Detect,
        if f.records > 0 && f.accesses.is_empty() && !activity.is_empty() {
            Support::Partial
        } else if f.records == 0 || f.accesses.is_empty() {
            Support::Missing
        } else if flow_evidence.is_empty() {
            Support::Partial
        } else {
            Support::Supported
        },
        if f.records == 0 {
            format!("{NOT_EXAMINED}: activity on the decoy is not known.")
        } else if f.accesses.is_empty() && !activity.is_empty() {
            format!(
                "{no_read} of the decoy is in the {} records examined, but activity on it, or possibly on it, was recorded: {}.{}",
                f.records,
                activity.join("; and "),
                unseen::sentence(f)
            )
        } else if let (true, Some((why, _))) = (f.accesses.is_empty(), unseen::why(f)) {
            format!("Not examined: no read of the decoy could be in the {} records examined: {why}, so whether it was read is unknown (not an all-clear). No other activity on it is in them.", f.records)
        } else if f.accesses.is_empty() {
            format!("Not shown by this evidence: no activity on the decoy is in the {} records examined.", f.records)
        } else if flow_evidence.is_empty() {
            format!("Principal activity on the decoy was recorded; no detection of it (alarm transition, rule metric) is in the evidence.{besides}")
        } else {
            format!("Principal activity on the decoy was recorded and detected.{besides}")
        },
        if f.accesses.is_empty() {
            activity_ids.iter().cloned().chain(unseen::cited(f)).collect()
        } else {
            first(&f.accesses, 2).into_iter().chain(besides_ids.iter().cloned()).collect()
        },
    ));
    out.push(row(
        "DE.AE-02",
        "Potentially adverse events are analyzed to better understand associated activities",
        CsfFunction::Detect,
        if f.incidents.is_empty() {
            Support::Missing
        } else {
            Support::Supported
        },
        if f.records == 0 {
            format!("{NOT_EXAMINED}: no event was analysed.")
        } else if f.incidents.is_empty() && !activity.is_empty() {
            format!(
                "Not shown by this evidence: no incident ({} of a honeytoken) is in the {} records examined, so no actor's activity around one was analysed. Activity on the decoy, or possibly on it, is in the records, told as findings and not analysed as an incident: {}.{}",
                no_read.to_lowercase(),
                f.records,
                activity.join("; and "),
                unseen::sentence(f)
            )
        } else if f.incidents.is_empty() {
            format!(
                "Not shown by this evidence: no honeytoken read is in the {} records examined, so no actor's activity around one was analysed.{}",
                f.records,
                unseen::sentence(f)
            )
        } else {
            format!(
                "The actor's activity before and after the {} is analysed in this report.{}",
                if f.reads_succeeded > 0 { "read" } else { "attempt" },
                besides.replace(", told as findings:", ", told as findings and not analysed as an incident:")
            )
        },
        if f.incidents.is_empty() {
            activity_ids.into_iter().chain(unseen::cited(f)).collect()
        } else {
            f.incidents.iter().cloned().chain(besides_ids).collect()
        },
    ));
    out.push(row(
        "DE.AE-03",
        "Information is correlated from multiple sources",
        CsfFunction::Detect,
        if flow_evidence.is_empty() || f.records == 0 {
            Support::Missing
        } else if f.incidents.is_empty() {
            Support::Partial
        } else {
            Support::Supported
        },
        (match (f.records > 0, f.incidents.is_empty(), f.flows_seen()) {
            (false, _, FlowsSeen::Neither) => format!("{NOT_EXAMINED}, and no alarm transition or rule metric is in the evidence: nothing was correlated."),
            (false, _, _) => format!("{NOT_EXAMINED}: the detection flows' evidence (alarm transitions, rule metrics) has no CloudTrail record to be correlated with."),
            (true, _, FlowsSeen::Neither) => "Not shown by this evidence: only CloudTrail is in the evidence, with no alarm transition or rule metric to correlate it with.".into(),
            (true, true, _) => "CloudTrail and the detection flows' evidence (alarm transitions, rule metrics) are in the case, but no incident was found to correlate them for.".into(),
            (true, false, FlowsSeen::Both) => "CloudTrail, alarm history and rule metrics are correlated per incident.".into(),
            (true, false, FlowsSeen::Flow1) => "CloudTrail and alarm history are correlated per incident; no rule metric is in the evidence.".into(),
            (true, false, FlowsSeen::Flow2) => "CloudTrail and rule metrics are correlated per incident; no alarm transition is in the evidence.".into(),
        }) + &f.transitions_summary_only,
        first(&flow_evidence, 2),
    ));
    out.push(row(
        "RS.MI-01",
        "Incidents are contained",
        CsfFunction::Respond,
        if f.blocking.is_empty() {
            Support::Missing
        } else if !f.partial.is_empty() || f.cut_effect.not_shown_effective {
            Support::Partial
        } else {
            Support::Supported
        },
        // What the containment calls did and what the actor's calls after them show (as
        // IR-4 says it), never "contained" beyond that.
        if f.blocking.is_empty() {
            "No containment in the evidence.".into()
        } else if !f.partial.is_empty() {
            format!(
                "Partly: the kill-switch's calls (IR-4 names them and their effect) did not reach every credential of the actor: {}",
                f.achieved.live
            )
        } else {
            format!(
                "{} No credential the evidence links to the actor (its keys, the role sessions it obtained) was left out of the calls.",
                f.achieved.done
            )
        },
        first(&f.blocking, 3)
            .into_iter()
            .chain(first(&f.live_credential_events, 3))
            .collect(),
    ));
    let (support, statement) = if f.records == 0 {
        (
            Support::Missing,
            format!("{NOT_EXAMINED}: nothing was analysed, and whether there was an incident is not known."),
        )
    } else if f.incidents.is_empty() {
        (
            Support::Missing,
            format!("Not shown by this evidence: no incident was found in the {} records examined, so no analysis of one was performed.{}", f.records, unseen::sentence(f)),
        )
    } else if !f.origin_unknown.is_empty() {
        (
            Support::Partial,
            format!(
                "Timeline, actor and findings establish what took place. The root cause is unknown for {}: the evidence does not show how the actor obtained the credential it used (no call that issued or created its key).{}",
                f.origin_unknown.join(", "),
                f.unseen_others.0
            ),
        )
    } else if !f.unseen_others.0.is_empty() {
        // What took place is established for the reads the records hold, not for a decoy
        // whose reads they could not hold.
        (Support::Partial, format!("Timeline, actor and findings establish what took place in the reads the records hold, and each actor's key links back to the call that issued it (root cause: how the credential was obtained).{}", f.unseen_others.0))
    } else {
        (Support::Supported, "Timeline, actor and findings establish what took place, and each actor's key links back to the call that issued it (root cause: how the credential was obtained).".into())
    };
    // Beside the incidents, another configured honeytoken whose reads could not be seen (the
    // statement says it as AU-3 does): its findings' eventIDs.
    let evidence = if f.incidents.is_empty() {
        unseen::cited(f)
    } else {
        f.incidents
            .iter()
            .chain(&f.unseen_others.1)
            .cloned()
            .collect()
    };
    out.push(row("RS.AN-03", "Analysis is performed to establish what has taken place during an incident and the root cause of the incident", CsfFunction::Respond, support, statement, evidence));
    out.push(row(
        "RS.CO-02",
        "Internal and external stakeholders are notified of incidents",
        CsfFunction::Respond,
        f.notifications_support(),
        f.notifications_statement(),
        first(&notes, 2),
    ));
    out
}
