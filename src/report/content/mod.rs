//! The report's content: builds a [`ReportDoc`] from the timeline model (which carries the
//! collected configuration and what the analysis concluded from it), section by section, in
//! the order the issue lists. Pure: the caller gives the case and report settings, the
//! generation time, the command line and the integrity verdict. Reads only the model (and the
//! export's CSV helpers): never the configuration, the parsers or the correlation.

mod activity;
mod analysis;
mod appendix;
mod attack;
mod bottom_line;
mod chart_marks;
mod charts;
mod cut;
mod detection;
mod eradication;
mod evidence;
mod facts;
mod flow2_unseen;
mod flow_delay;
pub mod fmt;
mod gap_words;
mod indicators;
mod killswitch;
mod latency;
pub mod many;
pub mod milestones;
pub mod nist;
mod pipeline;
mod posture;
mod prose;
mod reads_unseen;
mod replay;
mod same_address;
mod shared_ids;
mod tampering;
mod templates;

pub use templates::{TemplateError, Templates};

use crate::model::{FindingKind, ReportSettings, Timeline, Timestamp};
use crate::report::{Block, DocMeta, Paper, ReportDoc};
use facts::{incident_window, IncidentFacts};
use serde_json::json;

/// What the evidence says about its own integrity, as the report states it.
#[derive(Debug, Clone, Default)]
pub struct IntegrityStatement {
    /// One sentence for the executive summary.
    pub verdict: String,
    /// True when CloudTrail digests verified the log files.
    pub verified: bool,
    /// The verdict is not "verified": some case's verification found problems, or files
    /// holding records no digest verified, or could not run, or the evidence has nothing to
    /// verify against ("partly verified", "problems found", "could not be verified", "not
    /// verifiable"): as for `trailcase verify`, the run is incomplete (exit code 1).
    pub falls_short: bool,
    /// Some digest was verified with the bundled sample's TEST key, not an AWS key: every
    /// sentence about the digests must say so.
    pub sample_test_key: bool,
    /// Label/value lines for the appendix.
    pub details: Vec<(String, String)>,
    /// Input paths (as the inputs list shows them) whose content a CloudTrail digest verified.
    pub verified_inputs: std::collections::BTreeSet<String>,
    /// Input paths (as the inputs list shows them) of the files that hold records no digest
    /// verified (`IntegrityReport::unverified_record_files`): the records an incident rests on
    /// from them are not verified, and the report says which incidents those are.
    pub unverified_record_inputs: std::collections::BTreeSet<String>,
    /// The full `trailcase verify` text of each case checked, attached to the PDF.
    pub reports: Vec<String>,
    /// The trail's log file validation as the verdict's checks found it, in a few words, for
    /// the pipeline diagram (empty: "not verified"). From the same verification as `verdict`.
    pub validation: String,
    /// The verification's per-file problems, grouped: (number of files, what is wrong, one
    /// file when there is only one). The full list is in the attached verify report.
    pub problem_groups: Vec<ProblemGroup>,
    /// Chain of custody of every input an acquisition manifest lists, by the input's path as
    /// the inputs list shows it.
    pub custody: std::collections::BTreeMap<String, Custody>,
    /// One line per acquisition manifest read: (case, who acquired it, when, with what).
    pub acquisitions: Vec<(String, String)>,
    /// Coverage by region-hour, from the same verification of each case.
    pub coverage: crate::model::TrailCoverage,
    /// Trail log files the verification found in the cases, and of them those a CloudTrail
    /// digest verified (summed over the cases): what the Integrity section states.
    pub log_files: usize,
    pub log_files_verified: usize,
}

impl IntegrityStatement {
    /// The diagram's "validation" label.
    pub fn validation_label(&self) -> &str {
        if self.validation.is_empty() {
            "not verified"
        } else {
            &self.validation
        }
    }
}

/// Files that share one problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemGroup {
    /// The case the files are in.
    pub case: String,
    pub files: usize,
    /// The check and kind (`digest log_file_unlisted`).
    pub kind: String,
    pub detail: String,
    /// The file, when the group holds one only.
    pub only: Option<String>,
}

/// What an acquisition manifest recorded about one input when it was acquired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Custody {
    /// SHA-256 of the bytes as acquired, hex.
    pub sha256: String,
    /// RFC 3339 UTC.
    pub acquired_at: String,
    /// `s3://bucket/key` or `aws:<service>:<operation>:<region>`.
    pub source: String,
    /// The identity that collected (its ARN), or why it is unknown.
    pub collector: String,
    /// The manifest records the identity that collected (`collector` is its ARN).
    pub collector_recorded: bool,
    /// The trailcase version that acquired it.
    pub tool_version: String,
}

/// Everything the report is built from.
pub struct ReportInput<'a> {
    pub timeline: &'a Timeline,
    /// The case metadata, the honeytoken patterns and the configuration used
    /// (`Config::report_settings`).
    pub settings: ReportSettings,
    pub generated_unix: i64,
    pub command_line: Vec<String>,
    pub paper: Paper,
    pub templates: &'a Templates,
    pub integrity: IntegrityStatement,
}

/// Build the report document.
pub fn build(input: &ReportInput<'_>) -> Result<ReportDoc, TemplateError> {
    // Cited eventIDs that different records share are cited with how many records share them.
    let marked = shared_ids::marked(input.timeline);
    let full = marked.as_ref().unwrap_or(input.timeline);
    // Beyond a few dozen incidents the sections detail the first ones; `full` counts them all.
    let detailed = many::detailed(full);
    let t: &Timeline = &detailed;
    let case = &input.settings.case;
    let case_id = case.id.clone().unwrap_or_else(|| "unnamed case".into());
    let title = case
        .title
        .clone()
        .unwrap_or_else(|| "Honeytoken incident report".into());
    let classification = case
        .classification
        .clone()
        .unwrap_or_else(|| "UNCLASSIFIED".into());
    let context = template_context(input, full, t);
    let mut blocks = vec![cover(input, &title, &case_id, &classification)];
    blocks.push(Block::heading(1, "Executive summary"));
    blocks.extend(many::summary(full));
    blocks.extend(prose::blocks(
        &input.templates.render("executive_summary.tera", &context)?,
    ));
    blocks.extend(pipeline::section(t, &input.integrity));
    blocks.extend(charts::timeline_section(t));
    blocks.extend(latency::section(t));
    blocks.extend(analysis::flow_comparison(t));
    blocks.extend(replay::section(t));
    // The actors' calls and what is printed of them, decided once for the evidence tables,
    // their attachments and the appendix.
    let calls = activity::of_incidents(t);
    blocks.extend(evidence::section(t, &calls, &input.integrity));
    blocks.extend(detection::section(t));
    blocks.extend(killswitch::section(t));
    blocks.extend(indicators::section(
        t,
        Timestamp::from_secs(input.generated_unix),
    ));
    blocks.extend(attack::section(t));
    blocks.extend(eradication::section(
        t,
        Timestamp::from_secs(input.generated_unix),
    ));
    blocks.extend(analysis::security_analysis(t));
    blocks.extend(nist::section(t, &input.integrity));
    blocks.push(Block::heading(1, "Lessons learned"));
    blocks.extend(prose::blocks(
        &input.templates.render("lessons_learned.tera", &context)?,
    ));
    let mut attachments = appendix::attachments(t, &input.integrity);
    attachments.push(indicators::attachment(full));
    attachments.extend(activity::attachments(t, &calls));
    attachments.extend(evidence::attachments(t));
    attachments.extend(many::attachment(full));
    attachments.extend(killswitch::attachment(t));
    attachments.extend(detection::attachments(t));
    attachments.extend(replay::attachment(t));
    attachments.extend(posture::attachment(t));
    blocks.extend(appendix::section(
        t,
        &input.settings.configuration,
        &input.command_line,
        &input.integrity,
        &attachments,
        &activity::summarised(&calls),
    ));
    // After the cover: the sections, and the appendix's parts, with their pages.
    blocks.insert(1, contents(&blocks));
    Ok(ReportDoc {
        meta: DocMeta {
            title: format!("{title} ({case_id})"),
            subject: "Forensic incident report: honeytoken access, detection and containment"
                .into(),
            author: case.analyst.clone().unwrap_or_else(|| "trailcase".into()),
            keywords: vec![
                "incident response".into(),
                "CloudTrail".into(),
                "honeytoken".into(),
                "NIST SP 800-61".into(),
                case_id.clone(),
            ],
            case_id,
            classification,
            created_unix: input.generated_unix,
            creator: format!("trailcase {}", env!("CARGO_PKG_VERSION")),
        },
        paper: input.paper,
        blocks,
        attachments,
    })
}

fn cover(input: &ReportInput<'_>, title: &str, case_id: &str, classification: &str) -> Block {
    let t = input.timeline;
    let case = &input.settings.case;
    let nothing = t.records_read == 0;
    let window = incident_window(t)
        .map(|(a, b)| format!("{} to {}", fmt::time(a), fmt::time(b)))
        .unwrap_or_else(|| {
            if nothing {
                "unknown: nothing was examined".into()
            } else {
                "no incident found".into()
            }
        });
    let examined = if nothing {
        format!(
            "NOTHING: no CloudTrail record in the {} input(s); this report is not an all-clear",
            t.inputs.len()
        )
    } else {
        format!(
            "{} CloudTrail record{} from {} input(s), {} evidence gap(s)",
            t.records_read,
            if t.records_read == 1 { "" } else { "s" },
            t.inputs.len(),
            t.gaps.len()
        )
    };
    Block::Cover {
        title: title.to_string(),
        subtitle: "Forensic incident report".into(),
        fields: vec![
            ("Case".into(), case_id.to_string()),
            (
                "Organisation".into(),
                case.organisation
                    .clone()
                    .unwrap_or_else(|| "not stated".into()),
            ),
            (
                "Prepared by".into(),
                case.analyst.clone().unwrap_or_else(|| "not stated".into()),
            ),
            ("Classification".into(), classification.to_string()),
            ("Evidence examined".into(), examined),
            ("Incident window".into(), window),
            (
                "Incidents".into(),
                if nothing {
                    "unknown".into()
                } else {
                    t.incidents.len().to_string()
                },
            ),
            (
                "Generated".into(),
                fmt::time(crate::model::Timestamp::from_secs(input.generated_unix)),
            ),
            (
                "Tool".into(),
                format!("trailcase {}", env!("CARGO_PKG_VERSION")),
            ),
        ],
    }
}

/// `full`: the whole timeline, its cited eventIDs marked ([`shared_ids::marked`]); `t`: the
/// timeline the detailed sections read (see [`many::detailed`]).
fn template_context(input: &ReportInput<'_>, full: &Timeline, t: &Timeline) -> serde_json::Value {
    // Each incident resting on records no digest verified says so where it is summed up, not
    // only in the integrity paragraph: it may rest on nothing else (a forged file).
    let resting = unverified_incidents(full, &input.integrity);
    let incidents: Vec<serde_json::Value> = t
        .incidents
        .iter()
        .map(|i| {
            let mut c = IncidentFacts::new(t, i).context(t);
            if let (Some(c), serde_json::Value::Object(b)) = (
                c.as_object_mut(),
                bottom_line::context(t, i, Timestamp::from_secs(input.generated_unix)),
            ) {
                c.extend(b);
            }
            let unverified = resting.iter().find(|(id, _)| *id == i.id);
            if let (Some(c), Some((_, u))) = (c.as_object_mut(), unverified) {
                c.insert("unverified".into(), u.as_str().into());
            }
            c
        })
        .collect();
    // The earliest and latest eventTime of every record read (kept or not): the period the
    // records span, not a claim that every hour between them was read. Nothing is said of
    // dates without it.
    let span = t
        .records_period
        .map(|(a, b)| match t.records_read {
            1 => format!("its eventTime {}", fmt::time(a)),
            _ => format!("their eventTimes from {} to {}", fmt::time(a), fmt::time(b)),
        })
        .unwrap_or_default();
    // Whether the alarm history was in the evidence (an input of that kind, even one with no
    // item): only then can an alarm without a read be looked for.
    let alarm_history_examined = !t.config.alarm_history.is_empty()
        || t.inputs.iter().any(|i| i.kind.contains("alarm-history"));
    let (of_account, across) = many::accounts(&full.incidents);
    json!({
        "case": input.settings.case,
        "incidents_of_account": of_account,
        "incidents_across": across,
        "incidents": incidents,
        "incident_count": full.incidents.len(),
        "incidents_not_detailed": many::not_detailed(full),
        "records_read": t.records_read,
        "inputs": t.inputs.len(),
        "gaps": t.gaps.len(),
        // The gaps that left records unread, and the first few gaps named: a "no read" with
        // such a gap is not an all-clear.
        "gaps_hiding": gap_words::hiding(t),
        "gap_summary": gap_words::summary(t),
        "evidence_span": span,
        "honeytokens": match input.settings.honeytoken_source {
            crate::model::HoneytokenSource::Default => format!("{} (trailcase's built-in default name)", input.settings.honeytokens.join(", ")),
            _ => input.settings.honeytokens.join(", "),
        },
        // None configured: the name looked for is only the default, and how to name one's own.
        "honeytoken_default": (input.settings.honeytoken_source == crate::model::HoneytokenSource::Default).then_some(crate::model::DEFAULT_HONEYTOKEN_NOTE),
        "alarm_history_examined": alarm_history_examined,
        // No honeytoken filter and no detection alarm definition: no alarm in the history can
        // be linked to the honeytoken, so its silence shows nothing.
        "detection_alarm_known": !(t.detection.alarms.is_empty() && t.detection.filters.is_empty()),
        "alarm_without_access": t.findings.iter().filter(|f| f.kind == FindingKind::AlarmWithoutAccess).count(),
        "decrypts_without_read": t.findings.iter().filter(|f| f.kind == FindingKind::DecryptWithoutRead).map(|f| f.summary.clone()).collect::<Vec<_>>(),
        "honeytoken_changed": t.findings.iter().filter(|f| f.kind == FindingKind::HoneytokenChanged).map(|f| crate::model::changed_calls_only(&f.summary).to_string()).collect::<Vec<_>>(),
        "honeytoken_changed_advice": crate::model::HONEYTOKEN_CHANGED_ADVICE,
        "reads_not_logged": t.findings.iter().filter(|f| f.kind == FindingKind::ReadsNotLogged).map(|f| crate::model::not_logged_cause(&f.summary).to_string()).collect::<Vec<_>>(),
        // Where else a read not logged may be recorded: LookupEvents keeps management events
        // (a secret's, a parameter's reads), never S3 data events.
        "not_logged_s3": t.unseen_reads.iter().any(|u| u.finding == FindingKind::ReadsNotLogged && u.honeytoken.starts_with("s3:")),
        "not_logged_management": t.unseen_reads.iter().any(|u| u.finding == FindingKind::ReadsNotLogged && !u.honeytoken.starts_with("s3:")),
        "decoy_bucket_batch_deletes": t.findings.iter().filter(|f| f.kind == FindingKind::DecoyBucketBatchDelete).map(|f| f.summary.clone()).collect::<Vec<_>>(),
        "reads_not_examined": t.findings.iter().filter(|f| f.kind == FindingKind::ReadsNotExamined).map(|f| f.summary.clone()).collect::<Vec<_>>(),
        "unnamed_reads": t.findings.iter().filter(|f| f.kind == FindingKind::UnnamedRead).map(|f| f.summary.clone()).collect::<Vec<_>>(),
        "logging_reduced": logging_reduced(full),
        // "a read after it" for one change, "after them" for several.
        "logging_reduced_after": reads_unseen::after_reduced(full),
        // What "no incident" leaves unknown (reads not seen, logging reduced), for the lessons.
        "no_incident_caveat": reads_unseen::caveat(full),
        "integrity": integrity_sentence(&input.integrity, &resting),
        // Records that share an eventID and differ: every branch of the summary rests on them.
        "conflicting_copies": tampering::summary(full),
    })
}

/// The `logging_reduced` findings of `t` with a call that succeeded, each with the eventIDs it
/// rests on ([`reads_unseen::logging_reduced`]).
fn logging_reduced(t: &Timeline) -> Vec<String> {
    reads_unseen::logging_reduced(t)
        .into_iter()
        .map(|(summary, ids)| format!("{summary} (eventID {})", ids.join(", ")))
        .collect()
}

/// The summary's integrity sentence: the verdict, then each incident that rests on records read
/// from files no digest verified, with how many of its records (and of its honeytoken reads)
/// come from them.
/// `resting`: [`unverified_incidents`].
fn integrity_sentence(integrity: &IntegrityStatement, resting: &[(&str, String)]) -> String {
    if resting.is_empty() {
        return integrity.verdict.clone();
    }
    format!(
        "{} Incidents resting on records from files no digest verified: {}.",
        integrity.verdict.trim_end_matches('.').to_owned() + ".",
        named_incidents(resting)
    )
}

/// [`unverified_incidents`] in one run of text: `INC-002: 1 of its ...; INC-005: ...`.
pub fn named_incidents(resting: &[(&str, String)]) -> String {
    resting
        .iter()
        .map(|(id, clause)| format!("{id}: {clause}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Each incident with records read from files no digest verified, by its id, with a clause
/// saying how many (`1 of its 1 honeytoken read(s), 1 of its 1 record(s)`; `call(s)` when the
/// first honeytoken access was refused or failed).
pub fn unverified_incidents<'t>(
    t: &'t Timeline,
    integrity: &IntegrityStatement,
) -> Vec<(&'t str, String)> {
    if integrity.unverified_record_inputs.is_empty() {
        return Vec::new();
    }
    let unverified = |input: u32| {
        t.inputs
            .get(input as usize)
            .is_some_and(|i| integrity.unverified_record_inputs.contains(&*i.path))
    };
    t.incidents
        .iter()
        .filter_map(|i| {
            let reads = i
                .access_records
                .iter()
                .filter(|r| unverified(r.origin.input))
                .count();
            let records = i.origins.iter().filter(|o| unverified(o.input)).count();
            (reads + records > 0).then(|| {
                // A refused or failed first access is no read: the honeytoken's records are calls.
                let what = match i.milestones.first_access_kind {
                    crate::model::FirstAccessKind::Read => "read(s)",
                    _ => "call(s)",
                };
                let clause = format!(
                    "{reads} of its {} honeytoken {what}, {records} of its {} record(s)",
                    i.access_records.len(),
                    i.origins.len()
                );
                (i.id.as_str(), clause)
            })
        })
        .collect()
}

/// The table of contents: every section (level-1 heading) and the parts (level 2) of the appendix.
fn contents(blocks: &[Block]) -> Block {
    let mut appendix = false;
    let mut entries = Vec::new();
    for b in blocks {
        if let Block::Heading { level, text } = b {
            if *level == 1 {
                appendix = text.starts_with("Appendix");
            }
            if *level == 1 || (*level == 2 && appendix) {
                entries.push(crate::report::ContentsEntry {
                    level: *level,
                    text: text.clone(),
                });
            }
        }
    }
    Block::Contents(entries)
}

/// Headings of level 1, in order: the report's sections (for tests and the README).
pub fn sections(doc: &ReportDoc) -> Vec<String> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: 1, text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}
