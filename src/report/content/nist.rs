//! Section 10: NIST SP 800-53 Rev. 5 controls (official titles), CSF 2.0 outcomes and the
//! SP 800-61 Rev. 3 function each row serves, with the evidence in this case that supports it,
//! and a plain statement where evidence is missing.

use crate::config::Config;
use crate::model::{ContainmentKind, EntryKind, Timeline};
use crate::report::{Block, Cell, Column, Table};

/// How well the evidence supports a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    Supported,
    Partial,
    Missing,
}

impl Support {
    pub fn text(self) -> &'static str {
        match self {
            Support::Supported => "supported",
            Support::Partial => "partly supported",
            Support::Missing => "no evidence",
        }
    }
}

/// One row of the mapping, as data (tests assert on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NistRow {
    pub id: &'static str,
    pub title: &'static str,
    /// SP 800-61 Rev. 3 organises incident response by CSF 2.0 Function.
    pub ir_function: &'static str,
    pub support: Support,
    /// What the evidence shows, or what is missing.
    pub statement: String,
    /// Event ids, alarm history items or input files.
    pub evidence: Vec<String>,
}

struct Facts {
    trail_files: Vec<String>,
    status_files: Vec<String>,
    validation: Option<bool>,
    multi_region: Option<bool>,
    logging: Option<bool>,
    records: u64,
    accesses: Vec<String>,
    containment: Vec<String>,
    blocking: Vec<String>,
    alarms: Vec<String>,
    alarm_actions: Vec<String>,
    rule_metrics: Vec<String>,
    notifications: Vec<String>,
    filters: Vec<String>,
    incidents: Vec<String>,
    gaps: usize,
    integrity_verified: bool,
    /// Incidents the containment did not fully cut (`partially_contained`), with the issuing
    /// eventIDs of the credentials that stayed valid.
    partial: Vec<String>,
    live_credential_events: Vec<String>,
    /// Incidents whose credential's origin (the call that issued the actor's key) is not in the
    /// evidence: their root cause is unknown.
    origin_unknown: Vec<String>,
}

fn facts(t: &Timeline, config: &Config, integrity_verified: bool) -> Facts {
    let path = |i: u32| {
        t.inputs
            .get(i as usize)
            .map(|x| x.path.to_string())
            .unwrap_or_default()
    };
    let c = &t.config;
    let ids = |k: EntryKind| {
        t.entries
            .iter()
            .filter(|e| e.kind == k && !e.incidents.is_empty())
            .map(|e| e.event_id.clone())
            .collect::<Vec<_>>()
    };
    let mut blocking = Vec::new();
    let mut notifications = Vec::new();
    for i in &t.incidents {
        for a in &i.containment {
            match a.kind {
                ContainmentKind::DenyPolicy
                | ContainmentKind::AccessKeyDeactivated
                | ContainmentKind::AccessKeyDeleted
                | ContainmentKind::RoleSessionsRevoked
                | ContainmentKind::LoginProfileDeleted
                    if a.outcome == "success" =>
                {
                    blocking.push(a.event_id.clone())
                }
                ContainmentKind::Notification => notifications.push(a.event_id.clone()),
                _ => {}
            }
        }
    }
    // A kill-switch result received through SNS is a report that reached its subscribers.
    notifications.extend(
        t.killswitch
            .iter()
            .filter(|r| matches!(r.report.via, "sns" | "lambda-sns-event"))
            .map(|r| r.id.clone()),
    );
    let alarms: Vec<String> = t
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Alarm && e.outcome.ends_with("-> ALARM"))
        .map(|e| e.event_id.clone())
        .collect();
    let alarm_actions: Vec<String> = t
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Alarm && e.action.ends_with(":Action"))
        .map(|e| e.event_id.clone())
        .collect();
    let partial: Vec<String> = t
        .incidents
        .iter()
        .filter(|i| i.containment_status == crate::model::ContainmentStatus::PartiallyContained)
        .map(|i| i.id.clone())
        .collect();
    let live_credential_events: Vec<String> = t
        .incidents
        .iter()
        .flat_map(|i| {
            i.live_credentials
                .iter()
                .map(|c| c.issued_by_event_id.clone())
        })
        .collect();
    let origin_unknown: Vec<String> = t
        .incidents
        .iter()
        .filter(|i| i.actor.key_origins.is_empty())
        .map(|i| i.id.clone())
        .collect();
    Facts {
        origin_unknown,
        partial,
        live_credential_events,
        trail_files: c.trails.iter().map(|x| path(x.origin.input)).collect(),
        status_files: c
            .trail_status
            .iter()
            .map(|x| path(x.origin.input))
            .collect(),
        validation: c.trails.first().and_then(|x| x.log_file_validation),
        multi_region: c.trails.first().and_then(|x| x.multi_region),
        logging: c.trail_status.first().and_then(|x| x.is_logging),
        records: t.records_read,
        accesses: ids(EntryKind::HoneytokenAccess),
        containment: ids(EntryKind::Containment),
        blocking,
        alarms,
        alarm_actions,
        rule_metrics: t
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::RuleTriggered)
            .map(|e| e.event_id.clone())
            .collect(),
        notifications,
        filters: crate::correlate::detection_resources(config, c)
            .filters
            .iter()
            .map(|f| format!("{} ({})", f.name, path(f.origin.input)))
            .collect(),
        incidents: t.incidents.iter().map(|i| i.id.clone()).collect(),
        gaps: t.gaps.len(),
        integrity_verified,
    }
}

fn first(v: &[String], n: usize) -> Vec<String> {
    let mut out: Vec<String> = v.iter().take(n).cloned().collect();
    if v.len() > n {
        out.push(format!("and {} more", v.len() - n));
    }
    out
}

fn row(
    id: &'static str,
    title: &'static str,
    ir: &'static str,
    support: Support,
    statement: String,
    evidence: Vec<String>,
) -> NistRow {
    NistRow {
        id,
        title,
        ir_function: ir,
        support,
        statement,
        evidence,
    }
}

/// The mapping for this case.
pub fn rows(t: &Timeline, config: &Config, integrity_verified: bool) -> Vec<NistRow> {
    let f = facts(t, config, integrity_verified);
    let yes = |b: Option<bool>| b == Some(true);
    let mut out = Vec::new();
    let (s, st) = match (!f.trail_files.is_empty(), f.records > 0) {
        (true, true) => (Support::Supported, format!("A trail (multi-region: {}) records management events; {} records were examined.", yn(f.multi_region), f.records)),
        (false, true) => (Support::Partial, format!("{} CloudTrail records were examined, but the trail configuration (describe-trails) is not in the evidence.", f.records)),
        _ => (Support::Missing, "No CloudTrail records and no trail configuration in the evidence.".into()),
    };
    out.push(row(
        "AU-2",
        "Event Logging",
        "Protect (preparation)",
        s,
        st,
        f.trail_files.clone(),
    ));
    out.push(if f.accesses.is_empty() {
        row("AU-3", "Content of Audit Records", "Detect", if f.records > 0 { Support::Partial } else { Support::Missing }, "The records carry identity, source, time, action and outcome, but no honeytoken read is in the evidence to show it for this case.".into(), vec![])
    } else {
        row("AU-3", "Content of Audit Records", "Detect", Support::Supported, "The honeytoken reads record who (userIdentity), from where (sourceIPAddress, userAgent), when, what (eventSource:eventName, secret) and the outcome.".into(), first(&f.accesses, 4))
    });
    let flow_evidence: Vec<String> = f
        .alarms
        .iter()
        .chain(f.rule_metrics.iter())
        .cloned()
        .collect();
    out.push(row(
        "AU-6",
        "Audit Record Review, Analysis, and Reporting",
        "Detect",
        if flow_evidence.is_empty() { Support::Missing } else { Support::Supported },
        if flow_evidence.is_empty() { "No alarm transition or rule metric shows the records being reviewed automatically.".into() } else { "Both flows review the records automatically; this report is the analysis and reporting.".into() },
        first(&flow_evidence, 4),
    ));
    let (s, st) = match (yes(f.validation), f.integrity_verified) {
        (_, true) => (Support::Supported, "CloudTrail digest files were verified offline (signatures, chain, log-file hashes); every input is hashed with SHA-256 (appendix).".into()),
        (true, false) => (Support::Partial, "Log file validation is enabled on the trail, but no digest was verified for this case; inputs are hashed with SHA-256 on acquisition (appendix). Run trailcase verify on the collected case.".into()),
        (false, false) => (Support::Missing, "No evidence that log file validation is enabled and no digest verified; only the SHA-256 of each input (appendix).".into()),
    };
    out.push(row(
        "AU-9",
        "Protection of Audit Information",
        "Protect (preparation)",
        s,
        st,
        f.trail_files.clone(),
    ));
    out.push(match f.logging {
        Some(true) => row("AU-12", "Audit Record Generation", "Protect (preparation)", Support::Supported, format!("get-trail-status shows the trail logging (multi-region: {}).", yn(f.multi_region)), f.status_files.clone()),
        Some(false) => row("AU-12", "Audit Record Generation", "Protect (preparation)", Support::Partial, "get-trail-status shows the trail NOT logging at collection time.".into(), f.status_files.clone()),
        None => row("AU-12", "Audit Record Generation", "Protect (preparation)", if f.records > 0 { Support::Partial } else { Support::Missing }, "Records were generated, but the trail status (get-trail-status) is not in the evidence.".into(), vec![]),
    });
    let mut monitoring = f.filters.clone();
    monitoring.extend(first(&flow_evidence, 3));
    out.push(row(
        "SI-4",
        "System Monitoring",
        "Detect",
        if !f.filters.is_empty() && !flow_evidence.is_empty() { Support::Supported } else if !monitoring.is_empty() { Support::Partial } else { Support::Missing },
        "A metric filter and alarm (flow 1) and an EventBridge rule (flow 2) watch the honeytoken; the evidence shows which fired.".into(),
        monitoring,
    ));
    out.push(if f.accesses.is_empty() {
        row(
            "SC-26",
            "Decoys",
            "Detect",
            Support::Partial,
            "The honeytoken is configured, but no read of it is in the evidence.".into(),
            vec![],
        )
    } else {
        row(
            "SC-26",
            "Decoys",
            "Detect",
            Support::Supported,
            "A decoy secret no workload reads was read, and the read was detected.".into(),
            first(&f.accesses, 4),
        )
    });
    out.push(if f.blocking.is_empty() {
        row(
            "IR-4",
            "Incident Handling",
            "Respond",
            Support::Missing,
            if f.incidents.is_empty() {
                "No incident to handle.".into()
            } else {
                "No successful containment call is in the evidence.".into()
            },
            first(&f.containment, 4),
        )
    } else if !f.partial.is_empty() {
        row(
            "IR-4",
            "Incident Handling",
            "Respond",
            Support::Partial,
            format!(
                "The kill-switch cut the user's access automatically, but {} stayed partially contained: credentials it did not cut (role sessions obtained earlier) stayed valid.",
                f.partial.join(", ")
            ),
            first(&f.blocking, 3)
                .into_iter()
                .chain(first(&f.live_credential_events, 3))
                .collect(),
        )
    } else {
        row(
            "IR-4",
            "Incident Handling",
            "Respond",
            Support::Supported,
            "The kill-switch contained the actor automatically (deny policy, key deactivation)."
                .into(),
            first(&f.blocking, 5),
        )
    });
    out.push(row(
        "IR-5",
        "Incident Monitoring",
        "Respond",
        if f.incidents.is_empty() { Support::Partial } else { Support::Supported },
        if f.incidents.is_empty() { "No incident was found; the case record is this report.".into() } else { "Each incident is tracked with its timeline, milestones and evidence in this report and its JSON export.".into() },
        f.incidents.clone(),
    ));
    let notes: Vec<String> = f
        .alarm_actions
        .iter()
        .chain(f.notifications.iter())
        .cloned()
        .collect();
    out.push(row(
        "IR-6",
        "Incident Reporting",
        "Respond",
        if notes.is_empty() {
            Support::Missing
        } else {
            Support::Supported
        },
        if notes.is_empty() {
            "No notification (alarm SNS action, kill-switch publication) is in the evidence.".into()
        } else {
            "The alarm's SNS action and the kill-switch's published result notified the responders."
                .into()
        },
        first(&notes, 4),
    ));
    out.push(if f.blocking.is_empty() {
        row(
            "AC-2",
            "Account Management",
            "Respond",
            Support::Missing,
            "No account was disabled in the evidence.".into(),
            vec![],
        )
    } else {
        row(
            "AC-2",
            "Account Management",
            "Respond",
            Support::Supported,
            "The compromised account was disabled: deny-all policy, access key deactivated.".into(),
            first(&f.blocking, 4),
        )
    });
    out.push(row(
        "CA-7",
        "Continuous Monitoring",
        "Identify: improvement",
        if f.logging == Some(true) && !flow_evidence.is_empty() { Support::Supported } else { Support::Partial },
        "The trail, the alarm and the rule run continuously; the latencies measured here show how well.".into(),
        first(&flow_evidence, 2),
    ));
    // CSF 2.0 outcomes.
    out.push(row(
        "DE.CM-01",
        "Networks and network services are monitored to find potentially adverse events",
        "Detect",
        if flow_evidence.is_empty() {
            Support::Missing
        } else {
            Support::Supported
        },
        "AWS API activity is monitored by both flows.".into(),
        first(&flow_evidence, 2),
    ));
    out.push(row(
        "DE.CM-03",
        "Personnel activity and technology usage are monitored to find potentially adverse events",
        "Detect",
        if f.accesses.is_empty() {
            Support::Partial
        } else {
            Support::Supported
        },
        "Principal activity on the decoy was recorded and detected.".into(),
        first(&f.accesses, 2),
    ));
    out.push(row(
        "DE.AE-02",
        "Potentially adverse events are analyzed to better understand associated activities",
        "Detect",
        if f.incidents.is_empty() {
            Support::Partial
        } else {
            Support::Supported
        },
        "The actor's activity before and after the read is analysed in this report.".into(),
        f.incidents.clone(),
    ));
    out.push(row(
        "DE.AE-03",
        "Information is correlated from multiple sources",
        "Detect",
        if flow_evidence.is_empty() || f.incidents.is_empty() {
            Support::Partial
        } else {
            Support::Supported
        },
        "CloudTrail, alarm history and rule metrics are correlated per incident.".into(),
        first(&flow_evidence, 2),
    ));
    out.push(row(
        "RS.MI-01",
        "Incidents are contained",
        "Respond",
        if f.blocking.is_empty() {
            Support::Missing
        } else if !f.partial.is_empty() {
            Support::Partial
        } else {
            Support::Supported
        },
        if f.blocking.is_empty() {
            "No containment in the evidence.".into()
        } else if !f.partial.is_empty() {
            format!(
                "Partly: {} kept credentials the containment did not cut, valid until they expire (see the executive summary and the findings).",
                f.partial.join(", ")
            )
        } else {
            "The kill-switch contained the actor; no credential of the actor escaped it.".into()
        },
        first(&f.blocking, 3)
            .into_iter()
            .chain(first(&f.live_credential_events, 3))
            .collect(),
    ));
    let (support, statement) = if f.incidents.is_empty() {
        (
            Support::Partial,
            "No incident was found, so there is no root cause to establish.".to_string(),
        )
    } else if !f.origin_unknown.is_empty() {
        (
            Support::Partial,
            format!(
                "Timeline, actor and findings establish what took place. The root cause is unknown for {}: the evidence does not show how the actor obtained the credential it used (no call that issued or created its key).",
                f.origin_unknown.join(", ")
            ),
        )
    } else {
        (Support::Supported, "Timeline, actor and findings establish what took place, and each actor's key links back to the call that issued it (root cause: how the credential was obtained).".to_string())
    };
    out.push(row("RS.AN-03", "Analysis is performed to establish what has taken place during an incident and the root cause of the incident", "Respond", support, statement, f.incidents.clone()));
    out.push(row(
        "RS.CO-02",
        "Internal and external stakeholders are notified of incidents",
        "Respond",
        if notes.is_empty() {
            Support::Missing
        } else {
            Support::Supported
        },
        "Notifications were sent through SNS.".into(),
        first(&notes, 2),
    ));
    if f.gaps > 0 {
        for r in out.iter_mut().filter(|r| r.support == Support::Supported) {
            r.statement.push_str(&format!(
                " ({} evidence gap(s) in this case: see the appendix.)",
                f.gaps
            ));
        }
    }
    out
}

fn yn(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

pub fn section(t: &Timeline, config: &Config, integrity_verified: bool) -> Vec<Block> {
    let rows = rows(t, config, integrity_verified);
    let table = |filter: &dyn Fn(&NistRow) -> bool| {
        Block::Table(Table {
            columns: vec![
                Column::new("Control", 0.9),
                Column::new("Title", 2.2),
                Column::new("SP 800-61r3", 1.2),
                Column::new("What the evidence shows", 3.6),
                Column::new("Evidence", 2.6),
                Column::new("Status", 1.1),
            ],
            rows: rows
                .iter()
                .filter(|r| filter(r))
                .map(|r| {
                    vec![
                        Cell::text(r.id),
                        Cell::text(r.title),
                        Cell::text(r.ir_function),
                        Cell::text(&r.statement),
                        Cell::mono(if r.evidence.is_empty() {
                            "none".into()
                        } else {
                            r.evidence.join("\n")
                        }),
                        if r.support == Support::Supported {
                            Cell::text(r.support.text())
                        } else {
                            Cell::alert(r.support.text())
                        },
                    ]
                })
                .collect(),
            caption: None,
        })
    };
    vec![
        Block::heading(1, "NIST mapping"),
        Block::para("Each row names a NIST SP 800-53 Rev. 5 control or a CSF 2.0 outcome, the SP 800-61 Rev. 3 function (incident response organised by CSF 2.0 Function) it serves, what the evidence in this case shows, and the evidence itself: CloudTrail eventIDs, alarm history items (alarm:<name>:<item>:<time>) or input files listed with their SHA-256 in the appendix. Where the evidence is missing, the row says so."),
        Block::heading(2, "SP 800-53 Rev. 5 controls"),
        table(&|r| !r.id.contains('.')),
        Block::heading(2, "CSF 2.0 outcomes"),
        table(&|r| r.id.contains('.')),
    ]
}
