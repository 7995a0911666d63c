//! The JSON document (schema_version 4).

use super::redact::{redact_in_place, redacted_text};
use crate::model::*;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 4;

#[derive(Serialize)]
pub struct Document<'a> {
    pub schema_version: u32,
    pub tool: Tool,
    pub case: &'a CaseMeta,
    /// The honeytokens looked for and where they came from (`default`: none was configured,
    /// the built-in name was looked for).
    pub honeytokens: WireHoneytokens<'a>,
    /// False when any evidence could not be read (see `gaps`).
    pub complete: bool,
    pub summary: Summary,
    pub incidents: Vec<WireIncident<'a>>,
    pub findings: &'a [Finding],
    pub timeline: Vec<Row>,
    pub pipeline: &'a ConfigEvidence,
    /// The detection flows' rules replayed over every record read.
    pub replay: &'a Replay,
    /// The kill-switch's published results, each step cross-checked with CloudTrail.
    pub killswitch: Vec<super::wire_runs::WireKillSwitchRun<'a>>,
    /// `trailcase posture` results found in the case or among the inputs.
    pub posture: Vec<super::wire_runs::WirePosture<'a>>,
    /// Which region-hours of the analysed window hold no trail file, or why that was not
    /// examined.
    pub coverage: &'a TrailCoverage,
    /// Whether the command examined the evidence's integrity: `timeline` does not (its exit
    /// code says nothing of it), `report --timeline-json` states the report's verdict.
    pub integrity: WireIntegrity,
    pub inputs: &'a [InputSummary],
    pub gaps: &'a [Gap],
    /// Each eventID different kept records share, with every copy (the findings name the
    /// first few): only when there is one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<WireConflict<'a>>,
}

/// The honeytokens a run looked for: `source` `configuration`, `flags` or `default`, the rules
/// as `kind:pattern`, and with the default, what that means and how to configure one.
#[derive(Serialize)]
pub struct WireHoneytokens<'a> {
    #[serde(flatten)]
    pub stated: &'a HoneytokensStated,
    /// With `source` `default`: that no honeytoken was configured and how to configure one;
    /// null otherwise.
    pub note: Option<&'static str>,
}

/// What the command that wrote the document examined of the evidence's integrity.
#[derive(Serialize)]
pub struct WireIntegrity {
    /// `examined` (`statement` is the verdict, as `trailcase verify` states it) or
    /// `not_examined` (`statement` says what to run for one).
    pub status: &'static str,
    pub statement: String,
}

impl WireIntegrity {
    /// `timeline`'s: it checks no log file against the digests and states no verdict.
    pub fn not_examined() -> Self {
        WireIntegrity {
            status: "not_examined",
            statement: NOT_EXAMINED.into(),
        }
    }

    /// The integrity verdict of a command that examined it (`report`).
    pub fn examined(verdict: &str) -> Self {
        WireIntegrity {
            status: "examined",
            statement: verdict.into(),
        }
    }
}

/// What `timeline` says of the evidence's integrity: nothing, and where to find it.
pub const NOT_EXAMINED: &str = "not examined by `timeline`: it checks no log file against the CloudTrail digests and states no integrity verdict, and its exit code says nothing of one (its coverage checks the digests' signatures only to tell the hours a verified digest proves empty; its gaps acquired_file_changed and acquired_file_added only compare the files with a case's manifest.json); run `trailcase verify CASE` or `trailcase report` for the verdict";

/// Different records under one eventID, as `timeline --all` names them at its end.
#[derive(Serialize)]
pub struct WireConflict<'a> {
    pub event_id: &'a str,
    pub copies: Vec<WirePlace>,
}

/// Where one record was read.
#[derive(Serialize)]
pub struct WirePlace {
    pub input: String,
    pub record_index: u64,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct Summary {
    pub inputs: usize,
    pub records_read: u64,
    pub records_rejected: u64,
    /// Records read that repeat another record read (same eventID and content), over every
    /// record read, kept or not.
    pub duplicates_dropped: u64,
    /// Records kept although another input holds a different record with their eventID.
    pub conflicting_copies: u64,
    /// Whether the two numbers above are exact (`complete`) or a lower bound (`partial`,
    /// `kept_rows_only`: a `copy_count_incomplete` gap says why).
    pub copy_count: crate::model::CopiesCounted,
    pub gaps: usize,
    pub incidents: usize,
    pub timeline_rows: usize,
    /// The earliest and latest eventTime of every record read, kept or not (`None`: none read).
    pub first_record: Option<Timestamp>,
    pub last_record: Option<Timestamp>,
}

#[derive(Serialize)]
pub struct WireHoneytoken<'a> {
    /// The decoy's ARN as the reads' records give it (`requestParameters` or `resources`);
    /// `None` when they name it without one (the name is then in `name` only).
    pub arn: Option<&'a str>,
    pub name: &'a str,
    pub rule: &'a str,
}

#[derive(Serialize)]
pub struct WireIncident<'a> {
    pub id: &'a str,
    pub honeytoken: WireHoneytoken<'a>,
    pub actor: &'a Actor,
    /// The decoy is of another AWS account than the actor's (null: the evidence names none).
    pub cross_account: Option<&'a crate::model::CrossAccount>,
    pub milestones: &'a Milestones,
    pub latency_seconds: &'a Latencies,
    pub access_event_ids: &'a [String],
    /// The copy of each read the incident rests on: input path and record index.
    pub access_records: Vec<WireRecordCopy<'a>>,
    /// Records that bear out the reads (the service's kms:Decrypt, a batch read's entries).
    pub corroboration: &'a [ReadCorroboration],
    pub deliveries: &'a [Delivery],
    pub containment: &'a [ContainmentAction],
    pub containment_status: ContainmentStatus,
    pub live_credentials: &'a [LiveCredential],
    /// Other principals at the addresses the honeytoken was read from (no record links them to
    /// the actor).
    pub same_address: &'a crate::model::SameAddress,
    /// Source IPs, user agents, keys and sessions of the actor, first and last seen.
    pub indicators: &'a [Indicator],
    /// MITRE ATT&CK techniques the actor's calls are consistent with, with their eventIDs.
    pub attack: &'a [AttackTechnique],
    pub event_ids: &'a [String],
    pub alarm_evidence: &'a [String],
    pub findings: &'a [Finding],
    pub unknowns: &'a [String],
    /// How grave the incident is, by the rule in `docs/response.md`, and why.
    pub severity: crate::model::Severity,
    pub severity_basis: &'a str,
    /// What the actor's calls read or changed, as CloudTrail records them.
    pub impact: WireImpact<'a>,
    /// What remains to do about the actor, most urgent first, each citing its eventIDs. A step
    /// on a credential whose recorded expiry the evidence runs past (its last record is later)
    /// is the step for after the expiry, as the report ranks it: a fact of the records, the same
    /// whenever the document is made.
    pub eradication: Vec<std::borrow::Cow<'a, crate::model::ResponseStep>>,
    /// What to change, from the findings, most urgent first.
    pub recommendations: &'a [crate::model::ResponseStep],
}

/// An incident's impact: the model's fields, then `reads_refused`, the name `reads_with_error`
/// had until it was found to mislead (it counts every read with an errorCode, not only the
/// refusals, which are `reads_denied`). Deprecated, kept with the same value for readers of the
/// old name.
#[derive(Serialize)]
pub struct WireImpact<'a> {
    #[serde(flatten)]
    pub impact: &'a crate::model::Impact,
    pub reads_refused: usize,
}

/// One copy of a record: the input it was read from and its index there.
#[derive(Serialize)]
pub struct WireRecordCopy<'a> {
    pub event_id: &'a str,
    pub input: String,
    pub record_index: u64,
    /// Another input holds a different record with this eventID (see the findings).
    pub conflicting: bool,
}

fn input_path(inputs: &[InputSummary], input: u32) -> String {
    inputs
        .get(input as usize)
        .map(|i| i.path.to_string())
        .unwrap_or_default()
}

/// One timeline row on the wire.
#[derive(Serialize, Clone)]
pub struct Row {
    pub time: Timestamp,
    pub event_id: String,
    pub kind: &'static str,
    pub source: String,
    pub actor: String,
    pub actor_type: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub source_ip: String,
    pub user_agent: String,
    pub region: String,
    pub incidents: Vec<String>,
    pub input: String,
    pub record_index: u64,
    pub tie: bool,
    /// For another account's delivery of a call an incident counts under another record
    /// (`incidents[].deliveries`), or CloudTrail's updated copy of a record (its
    /// `addendum.originalEventID`): that record's eventID. Absent otherwise, so that
    /// `select(.counted_as | not)` keeps each call once.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub counted_as: String,
    /// The original CloudTrail record, secrets redacted (absent for alarm and metric rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Value>,
}

/// A row's fields, borrowed: what `row_json` writes (a row without its record).
#[derive(Debug, Clone, Copy)]
pub struct RowFields<'a> {
    pub time: Timestamp,
    pub event_id: &'a str,
    pub kind: &'a str,
    pub source: &'a str,
    pub actor: &'a str,
    pub actor_type: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub outcome: &'a str,
    pub source_ip: &'a str,
    pub user_agent: &'a str,
    pub region: &'a str,
    pub incidents: &'a [String],
    pub input: &'a str,
    pub record_index: u64,
    pub tie: bool,
    /// Empty unless the row is another delivery of a call counted under that eventID.
    pub counted_as: &'a str,
}

impl Row {
    /// The row's fields, borrowed; `None` for a row that carries its record.
    pub fn fields(&self) -> Option<RowFields<'_>> {
        if self.record.is_some() {
            return None;
        }
        Some(RowFields {
            time: self.time,
            event_id: &self.event_id,
            kind: self.kind,
            source: &self.source,
            actor: &self.actor,
            actor_type: &self.actor_type,
            action: &self.action,
            target: &self.target,
            outcome: &self.outcome,
            source_ip: &self.source_ip,
            user_agent: &self.user_agent,
            region: &self.region,
            incidents: &self.incidents,
            input: &self.input,
            record_index: self.record_index,
            tie: self.tie,
            counted_as: &self.counted_as,
        })
    }

    /// The row of `e`, read from the input at `input`, taking `e`'s strings (its `target` and
    /// `user_agent` redacted, as every row's are).
    pub fn from_owned_entry(mut e: TimelineEntry, input: String) -> Row {
        redact_in_place(&mut e.target);
        redact_in_place(&mut e.user_agent);
        Row {
            time: e.time,
            event_id: e.event_id,
            kind: e.kind.as_str(),
            source: e.source,
            actor: e.actor,
            actor_type: e.actor_type,
            action: e.action,
            target: e.target,
            outcome: e.outcome,
            source_ip: e.source_ip,
            user_agent: e.user_agent,
            region: e.region,
            incidents: e.incidents,
            input,
            record_index: e.index,
            tie: e.tie,
            counted_as: e.counted_as,
            record: None,
        }
    }

    /// The row of `e` with its redacted `record`; its `target` and `user_agent` redacted as
    /// [`super::redact_text`] redacts free text.
    pub fn from_entry(
        e: &TimelineEntry,
        inputs: &[InputSummary],
        record: Option<serde_json::Value>,
    ) -> Row {
        Row {
            time: e.time,
            event_id: e.event_id.clone(),
            kind: e.kind.as_str(),
            source: e.source.clone(),
            actor: e.actor.clone(),
            actor_type: e.actor_type.clone(),
            action: e.action.clone(),
            target: redacted_text(&e.target).into_owned(),
            outcome: e.outcome.clone(),
            source_ip: e.source_ip.clone(),
            user_agent: redacted_text(&e.user_agent).into_owned(),
            region: e.region.clone(),
            incidents: e.incidents.clone(),
            input: input_path(inputs, e.input),
            record_index: e.index,
            tie: e.tie,
            counted_as: e.counted_as.clone(),
            record,
        }
    }
}

/// The whole JSON document for a timeline.
pub fn document<'a>(
    t: &'a Timeline,
    case: &'a CaseMeta,
    honeytokens: &'a HoneytokensStated,
) -> Document<'a> {
    use rayon::prelude::*;
    // Each row's record parsed and redacted on both cores (the busy-actor set's 1,650 rows were
    // one core's work while the other idled): the same rows, collected in the entries' order.
    let timeline: Vec<Row> = t
        .entries
        .par_iter()
        .map(|e| {
            let record = t
                .event_at(e.origin())
                .filter(|ev| ev.event_id == e.event_id)
                .map(|ev| {
                    let mut v = ev.record();
                    super::redact(&mut v);
                    v
                });
            Row::from_entry(e, &t.inputs, record)
        })
        .collect();
    Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "trailcase",
            version: env!("CARGO_PKG_VERSION"),
        },
        case,
        honeytokens: WireHoneytokens {
            stated: honeytokens,
            note: (honeytokens.source == HoneytokenSource::Default)
                .then_some(DEFAULT_HONEYTOKEN_NOTE),
        },
        complete: t.is_complete(),
        integrity: WireIntegrity::not_examined(),
        summary: Summary {
            inputs: t.inputs.len(),
            records_read: t.records_read,
            records_rejected: t.records_rejected,
            duplicates_dropped: t.duplicates_dropped,
            conflicting_copies: t.conflicting_copies,
            copy_count: t.copy_count,
            gaps: t.gaps.len(),
            incidents: t.incidents.len(),
            timeline_rows: t.entries.len(),
            first_record: t.records_period.map(|p| p.0),
            last_record: t.records_period.map(|p| p.1),
        },
        incidents: t
            .incidents
            .iter()
            .map(|i| WireIncident {
                id: &i.id,
                honeytoken: WireHoneytoken {
                    arn: Some(i.honeytoken.as_str()).filter(|shown| shown.starts_with("arn:")),
                    name: &i.honeytoken_name,
                    rule: &i.honeytoken_rule,
                },
                actor: &i.actor,
                cross_account: i.cross_account.as_ref(),
                milestones: &i.milestones,
                latency_seconds: &i.latency_seconds,
                access_event_ids: &i.access_event_ids,
                access_records: i
                    .access_records
                    .iter()
                    .map(|c| WireRecordCopy {
                        event_id: &c.event_id,
                        input: input_path(&t.inputs, c.origin.input),
                        record_index: c.origin.index,
                        conflicting: c.conflicting,
                    })
                    .collect(),
                corroboration: &i.corroboration,
                deliveries: &i.deliveries,
                containment: &i.containment,
                containment_status: i.containment_status,
                live_credentials: &i.live_credentials,
                same_address: &i.same_address,
                indicators: &i.indicators,
                attack: &i.attack,
                event_ids: &i.event_ids,
                alarm_evidence: &i.alarm_evidence,
                findings: &i.findings,
                unknowns: &i.unknowns,
                severity: i.severity,
                severity_basis: &i.severity_basis,
                impact: WireImpact {
                    impact: &i.impact,
                    reads_refused: i.impact.reads_with_error,
                },
                eradication: crate::model::steps_at(&i.eradication, t.steps_at(None)),
                recommendations: &i.recommendations,
            })
            .collect(),
        findings: &t.findings,
        timeline,
        pipeline: &t.config,
        replay: &t.replay,
        killswitch: super::wire_runs::runs(&t.killswitch, &t.inputs),
        posture: super::wire_runs::posture(&t.config.posture, &t.inputs),
        coverage: &t.coverage,
        inputs: &t.inputs,
        gaps: &t.gaps,
        conflicts: t
            .conflicts
            .iter()
            .map(|c| WireConflict {
                event_id: &c.event_id,
                copies: c
                    .copies
                    .iter()
                    .map(|o| WirePlace {
                        input: input_path(&t.inputs, o.input),
                        record_index: o.index,
                    })
                    .collect(),
            })
            .collect(),
    }
}
