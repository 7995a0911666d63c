//! The timeline: the rows every export and the report read, and the run's full result.

use super::{ConfigEvidence, Event, Gap, Incident, InputSummary, Replay, Timestamp};
use serde::Serialize;

/// Why a row is in the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    HoneytokenAccess,
    Containment,
    Alarm,
    RuleTriggered,
    ActorActivity,
    ActorDenied,
    CredentialIssued,
    IamChange,
    PipelineChange,
    /// The kill-switch's own published result (SNS or its log).
    KillswitchResult,
    Other,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::HoneytokenAccess => "honeytoken_access",
            EntryKind::Containment => "containment",
            EntryKind::Alarm => "alarm",
            EntryKind::RuleTriggered => "rule_triggered",
            EntryKind::ActorActivity => "actor_activity",
            EntryKind::ActorDenied => "actor_denied",
            EntryKind::CredentialIssued => "credential_issued",
            EntryKind::IamChange => "iam_change",
            EntryKind::PipelineChange => "pipeline_change",
            EntryKind::KillswitchResult => "killswitch_result",
            EntryKind::Other => "other",
        }
    }
}

/// One row of the timeline, from a CloudTrail record, an alarm history item or a rule metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub time: Timestamp,
    /// eventID for CloudTrail rows; `alarm:<name>:<time>` / `metric:<label>:<time>` otherwise.
    pub event_id: String,
    /// `cloudtrail`, `lookup-events`, `cloudwatch-logs`, `eventbridge`, `alarm-history`, `metric-data`.
    pub source: String,
    pub actor: String,
    pub actor_type: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub source_ip: String,
    pub user_agent: String,
    pub region: String,
    pub kind: EntryKind,
    pub incidents: Vec<String>,
    /// Index into the run's inputs, and the record's index there.
    pub input: u32,
    pub index: u64,
    /// True when another row has the same time (ties are ordered by event id, then origin).
    pub tie: bool,
}

impl TimelineEntry {
    /// The row for a CloudTrail event.
    pub fn from_event(e: &Event, kind: EntryKind, incidents: Vec<String>) -> TimelineEntry {
        TimelineEntry {
            time: e.time,
            event_id: e.event_id.clone(),
            source: e.via.to_string(),
            actor: e.identity.label(),
            actor_type: e.identity.kind.clone(),
            action: e.action(),
            target: e.target.clone().unwrap_or_default(),
            outcome: e.outcome().to_string(),
            source_ip: e.source_ip.clone().unwrap_or_default(),
            user_agent: e.user_agent.clone().unwrap_or_default(),
            region: e.region.clone(),
            kind,
            incidents,
            input: e.origin.input,
            index: e.origin.index,
            tie: false,
        }
    }
}

/// Everything one run produced: the single model that exports and the report read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timeline {
    pub inputs: Vec<InputSummary>,
    pub gaps: Vec<Gap>,
    pub incidents: Vec<Incident>,
    /// Findings about the case as a whole (alarms without access, pipeline changes, gaps).
    pub findings: Vec<super::Finding>,
    pub entries: Vec<TimelineEntry>,
    /// The kept CloudTrail events, sorted, deduplicated (the evidence the entries rest on).
    #[serde(skip)]
    pub events: Vec<Event>,
    pub config: ConfigEvidence,
    /// The detection flows' rules replayed over every record read.
    pub replay: Replay,
    /// The kill-switch's published results, cross-checked with CloudTrail.
    pub killswitch: Vec<super::KillSwitchRun>,
    pub records_read: u64,
    pub records_rejected: u64,
    pub duplicates_dropped: u64,
}

impl Timeline {
    /// The kept event with this id (events are few: the ones the incidents rest on).
    pub fn event(&self, event_id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.event_id == event_id)
    }

    /// Kept events by id, for callers that look many up.
    pub fn event_index(&self) -> std::collections::BTreeMap<&str, &Event> {
        self.events
            .iter()
            .map(|e| (e.event_id.as_str(), e))
            .collect()
    }

    pub fn is_complete(&self) -> bool {
        self.gaps.is_empty()
    }
}
