//! The SP 800-53 Rev. 5 control rows (AU, SI, SC, IR, AC, CA), each graded by its rule in
//! `docs/nist.md`. Pure.

use super::facts::{first, yn, Facts, NOT_EXAMINED};
use super::flows::FlowsSeen;
use super::{activity, decoy, ir4};
use super::{row, unseen, CsfFunction, NistRow, Support};

/// The incidents' honeytokens' kinds as configured ("S3 object", "secret or SSM parameter"):
/// what the reads' records name; "honeytoken" when none is known.
fn honeytoken_kinds(f: &Facts) -> String {
    match f.honeytoken_kinds.as_slice() {
        [] => "honeytoken".into(),
        [one] => (*one).into(),
        many => {
            let (last, rest) = many.split_last().unwrap_or((&"honeytoken", &[]));
            format!("{} or {last}", rest.join(", "))
        }
    }
}

/// The SP 800-53 Rev. 5 control rows.
pub(super) fn rows(f: &Facts) -> Vec<NistRow> {
    let mut out = Vec::new();
    // Without the trail configuration, the records themselves are what shows events logged:
    // the row cites the inputs they were read from.
    let (s, st, ev) = match (!f.trail_files.is_empty(), f.records > 0) {
        (true, true) => (Support::Supported, format!("A trail (multi-region: {}) records management events; {} records were examined.", yn(f.multi_region), f.records), f.trail_files.clone()),
        (false, true) => (Support::Partial, format!("{} CloudTrail records were examined (the evidence names the inputs they were read from), but the trail configuration (describe-trails) is not in the evidence.", f.records), first(&f.record_inputs, 3)),
        _ => (Support::Missing, "No CloudTrail records and no trail configuration in the evidence.".into(), f.trail_files.clone()),
    };
    out.push(row(
        "AU-2",
        "Event Logging",
        CsfFunction::Protect,
        s,
        st,
        ev,
    ));
    out.push(if f.records == 0 {
        row("AU-3", "Content of Audit Records", CsfFunction::Detect, Support::Missing, format!("{NOT_EXAMINED}, so the content of the audit records is not shown."), vec![])
    } else if f.accesses.is_empty() && !(f.decrypts_without_read.is_empty() && f.unnamed_reads.is_empty()) {
        // Calls that may have read the decoy: their records show who made them, not whether
        // they read it.
        let maybe: Vec<String> = first(&f.decrypts_without_read, 2).into_iter().chain(first(&f.unnamed_reads, 2)).collect();
        // Only the findings this case holds are named.
        let findings = match (f.decrypts_without_read.is_empty(), f.unnamed_reads.is_empty()) {
            (false, false) => "the \"A decrypt with no read\" and \"Reads that name no resource\" findings",
            (false, true) => "the \"A decrypt with no read\" finding",
            _ => "the \"Reads that name no resource\" finding",
        };
        row("AU-3", "Content of Audit Records", CsfFunction::Detect, Support::Partial, format!("No read naming the honeytoken is in the {} records examined; the records of the calls that may have read it (eventID {}: {findings}) show who made them, from where, when and with what outcome, not whether they read the decoy.", f.records, maybe.join(", ")), maybe)
    } else if f.accesses.is_empty() {
        row("AU-3", "Content of Audit Records", CsfFunction::Detect, Support::Missing, format!("Not shown by this evidence: no honeytoken read is in the {} records examined, so no record shows who read the decoy, from where, when and with what outcome.{}", f.records, unseen::sentence(f)), unseen::cited(f))
    } else {
        row("AU-3", "Content of Audit Records", CsfFunction::Detect, Support::Supported, format!("The honeytoken reads record who (userIdentity), from where (sourceIPAddress, userAgent), when, what (eventSource:eventName and the {} the call names) and the outcome.{}", honeytoken_kinds(f), f.unseen_others.0), first(&f.accesses, 4).into_iter().chain(f.unseen_others.1.iter().cloned()).collect())
    });
    let flow_evidence = f.flow_evidence();
    out.push(row(
        "AU-6",
        "Audit Record Review, Analysis, and Reporting",
        CsfFunction::Detect,
        f.flows_seen().support(),
        String::from(match f.flows_seen() {
            FlowsSeen::Neither => "No alarm transition or rule metric shows the records being reviewed automatically.",
            FlowsSeen::Both => "Both flows reviewed the records automatically (an alarm transition and the rule's metrics are in the evidence); this report is the analysis and reporting.",
            FlowsSeen::Flow1 => "Flow 1 reviewed the records automatically (an alarm transition is in the evidence); no rule metric shows flow 2 doing so. This report is the analysis and reporting.",
            FlowsSeen::Flow2 => "Flow 2 reviewed the records automatically (the rule's metrics are in the evidence); no alarm transition shows flow 1 doing so. This report is the analysis and reporting.",
        }) + &f.transitions_summary_only,
        first(&flow_evidence, 4),
    ));
    let (s, st) = au9(f);
    // The digests' verification is in the Integrity section; the trail configuration shows
    // whether validation is on.
    let mut au9_evidence = Vec::new();
    if f.log_files_verified > 0 {
        au9_evidence.push(format!(
            "CloudTrail digests: {} of {} log files verified (Integrity)",
            f.log_files_verified, f.log_files
        ));
    }
    au9_evidence.extend(f.trail_files.iter().cloned());
    out.push(row(
        "AU-9",
        "Protection of Audit Information",
        CsfFunction::Protect,
        s,
        st,
        au9_evidence,
    ));
    out.push(match f.logging {
        Some(true) => row("AU-12", "Audit Record Generation", CsfFunction::Protect, Support::Supported, format!("get-trail-status shows the trail logging (multi-region: {}).", yn(f.multi_region)), f.status_files.clone()),
        Some(false) => row("AU-12", "Audit Record Generation", CsfFunction::Protect, Support::Partial, "get-trail-status shows the trail NOT logging at collection time.".into(), f.status_files.clone()),
        None if f.records > 0 => row("AU-12", "Audit Record Generation", CsfFunction::Protect, Support::Partial, format!("{} CloudTrail records were generated (the evidence names the inputs they were read from), but the trail status (get-trail-status) is not in the evidence.", f.records), first(&f.record_inputs, 3)),
        None => row("AU-12", "Audit Record Generation", CsfFunction::Protect, Support::Missing, format!("{NOT_EXAMINED} and the trail status (get-trail-status) is not in the evidence: whether records were generated is not known."), vec![]),
    });
    let mut monitoring = f.filters.clone();
    monitoring.extend(first(&flow_evidence, 3));
    out.push(row(
        "SI-4",
        "System Monitoring",
        CsfFunction::Detect,
        if !f.filters.is_empty() && !flow_evidence.is_empty() { Support::Supported } else if !monitoring.is_empty() { Support::Partial } else { Support::Missing },
        match (f.filters.is_empty(), flow_evidence.is_empty()) {
            (false, false) => "A metric filter watches the honeytoken (flow 1's), and the detection flows' own evidence (alarm transition, rule metric) shows them firing; the evidence column names which.",
            (false, true) => "A metric filter watches the honeytoken (flow 1's), but no alarm transition or rule metric in the evidence shows a flow firing.",
            (true, false) => "A detection flow fired (alarm transition or rule metric in the evidence), but no metric filter is in the collected configuration.",
            (true, true) => "No metric filter, alarm transition or rule metric is in the evidence: the monitoring is not shown.",
        }
        .to_string()
            + &f.transitions_summary_only,
        monitoring,
    ));
    out.push(decoy::sc26(f, &flow_evidence));
    let unblocked = ir4::ir4_unblocked(f);
    // Beside a contained incident: activity on a decoy that opened none, which no incident
    // handles.
    let (besides, besides_ids) = activity::beside_reads(f);
    let besides = if besides.is_empty() {
        besides
    } else {
        format!("{besides} No incident here handles them.")
    };
    // And another configured honeytoken whose reads could not be seen, as AU-3 says it.
    let besides = format!("{besides}{}", f.unseen_others.0);
    let besides_ids: Vec<String> = besides_ids
        .into_iter()
        .chain(f.unseen_others.1.iter().cloned())
        .collect();
    out.push(if f.blocking.is_empty() {
        row(
            "IR-4",
            "Incident Handling",
            CsfFunction::Respond,
            Support::Missing,
            unblocked.0,
            first(&f.containment, 4)
                .into_iter()
                .chain(unblocked.1)
                .collect(),
        )
    } else {
        // What the kill-switch's calls did and what the actor's calls after them show, never
        // "cut" or "contained" beyond that; partly supported while a credential of the actor is
        // shown live after it, the records do not show the calls in effect, or another
        // configured honeytoken's reads could not be seen.
        row(
            "IR-4",
            "Incident Handling",
            CsfFunction::Respond,
            if f.partial.is_empty()
                && !f.cut_effect.not_shown_effective
                && f.unseen_others.0.is_empty()
            {
                Support::Supported
            } else {
                Support::Partial
            },
            format!("{}{besides}", f.achieved.done),
            first(&f.blocking, 3)
                .into_iter()
                .chain(f.achieved.cited.iter().cloned())
                .chain(first(&f.live_credential_events, 3))
                .chain(besides_ids)
                .fold(Vec::new(), |mut v: Vec<String>, id| {
                    if !v.contains(&id) {
                        v.push(id);
                    }
                    v
                }),
        )
    });
    out.push(row(
        "IR-5",
        "Incident Monitoring",
        CsfFunction::Respond,
        if f.incidents.is_empty() { Support::Missing } else { Support::Supported },
        if f.records == 0 { format!("{NOT_EXAMINED}: no incident could be found to monitor.") } else if f.incidents.is_empty() { format!("Not shown by this evidence: no incident was found in the {} records examined, so none was tracked.{}", f.records, unseen::sentence(f)) } else { "Each incident is tracked with its timeline, milestones and evidence in this report and its JSON export.".into() },
        if f.incidents.is_empty() { unseen::cited(f) } else { f.incidents.clone() },
    ));
    let notes = f.notifications_evidence();
    out.push(row(
        "IR-6",
        "Incident Reporting",
        CsfFunction::Respond,
        f.notifications_support(),
        f.notifications_statement(),
        first(&notes, 4),
    ));
    out.push(if f.blocking.is_empty() {
        row(
            "AC-2",
            "Account Management",
            CsfFunction::Respond,
            Support::Missing,
            "No call that cut a compromised IAM identity's access (user or role) succeeded in the evidence.".into(),
            vec![],
        )
    } else {
        // A key no call deactivated is still active as far as the evidence shows: only a
        // deny-all policy (which covers every key of the user) disables the account with it.
        let left = if f.active_keys.is_empty() {
            String::new()
        } else {
            format!(
                "; access key(s) {} not deactivated in the evidence (still active as far as it shows)",
                f.active_keys.join(", ")
            )
        };
        // A call IAM accepted is not the identity unable to act from that second: when its
        // calls stopped succeeding is what the records show (`cut_effect`).
        let whole = f.active_keys.is_empty() || f.deny_policy;
        row(
            "AC-2",
            "Account Management",
            CsfFunction::Respond,
            // A credential of the actor shown live after the cut (used after it, or valid
            // past it) is access the account management did not end.
            if whole && !f.cut_effect.not_shown_effective && f.partial.is_empty() {
                Support::Supported
            } else {
                Support::Partial
            },
            format!(
                // "IAM identity", not "account": the summary says "AWS account" for the
                // account the actor's credential belongs to, which nothing disabled.
                "Calls to cut {}the compromised IAM identity's access succeeded: {}{left}.{}{}",
                if whole { "" } else { "part of " },
                f.blocking_kinds.join(", "),
                match f.cut_effect.sentences.as_str() {
                    "" => String::new(),
                    said => format!(" {said}"),
                },
                // A role session obtained before the deny is not the identity's own
                // credential: which one stayed live, per the records.
                if f.achieved.live.is_empty() {
                    String::new()
                } else {
                    format!(" The calls did not reach every credential of the actor: {}", f.achieved.live)
                }
            ),
            first(&f.blocking, 4)
                .into_iter()
                .chain(f.cut_effect.cited.iter().cloned())
                .chain(first(&f.live_credential_events, 3))
                .collect(),
        )
    });
    out.push(row(
        "CA-7",
        "Continuous Monitoring",
        CsfFunction::Identify,
        if f.logging == Some(true) && !flow_evidence.is_empty() { Support::Supported } else if f.logging == Some(true) || !flow_evidence.is_empty() { Support::Partial } else { Support::Missing },
        if f.logging == Some(true) && !flow_evidence.is_empty() {
            "The trail logged, and the detection flows' own evidence (alarm transitions, rule metrics) shows them running; the latencies measured here show how well.".into()
        } else if f.logging != Some(true) && flow_evidence.is_empty() {
            "The trail, the alarm and the rule are meant to run continuously; neither the trail status nor the flows' own evidence (alarm transitions, rule metrics) is in the evidence to show any of them running.".into()
        } else {
            "The trail, the alarm and the rule are meant to run continuously; the evidence does not show all of them running (trail status or the flows' own evidence is missing).".into()
        },
        first(&flow_evidence, 2),
    ));
    out
}

/// AU-9 rests on the same facts as the Integrity section: how many of the cases' trail log
/// files a CloudTrail digest verified, and the problems the digests' own check found (a
/// manifest's missing file is not a digest's problem).
fn au9(f: &Facts) -> (Support, String) {
    let key = if f.sample_test_key {
        ", with the bundled sample's own TEST key, not an AWS CloudTrail key"
    } else {
        ""
    };
    let others = f.integrity_problems.saturating_sub(f.digest_problems);
    let other = if others > 0 {
        format!(" The verification found {others} other problem(s), not in the digests' check (see Integrity).")
    } else {
        String::new()
    };
    let (v, n) = (f.log_files_verified, f.log_files);
    if v > 0 && v == n && f.digest_problems == 0 {
        (
            Support::Supported,
            format!("CloudTrail digest files verified {v} of {n} trail log files offline (signatures, chain, log-file hashes){key}; every input is hashed with SHA-256 (appendix).{other}"),
        )
    } else if v > 0 {
        let mut not = Vec::new();
        if f.digest_problems > 0 {
            not.push(format!(
                "the digests' check found problems in {} file(s)",
                f.digest_problems
            ));
        }
        if n > v {
            not.push(format!(
                "{} log file(s) are not verified by a digest",
                n - v
            ));
        }
        (
            Support::Partial,
            format!("CloudTrail digest files verified {v} of {n} trail log files offline (signatures, chain, log-file hashes){key}; {} (see Integrity).{other}", not.join(", and ")),
        )
    } else if f.validation == Some(true) {
        (
            Support::Partial,
            "Log file validation is enabled on the trail, but no digest verified a log file of this case; inputs rest on their SHA-256, which the appendix says was recorded on acquisition or taken at analysis time. Run trailcase verify on the collected case.".into(),
        )
    } else {
        (
            Support::Missing,
            "No evidence that log file validation is enabled and no digest verified; only the SHA-256 of each input (appendix).".into(),
        )
    }
}
