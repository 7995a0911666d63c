//! The timeline: the rows every export and the report read, and the run's full result.

use super::{ConfigEvidence, Event, Gap, Incident, InputSummary, Origin, Replay, Timestamp};
use serde::Serialize;

/// Why a row is in the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    HoneytokenAccess,
    Containment,
    Alarm,
    /// A datapoint of an AWS/Events rule metric whose series names a flow-2 rule (its label or
    /// id: [`super::MetricSeries::names_rule`]); the row's actor is the rule(s) it names.
    RuleTriggered,
    /// A datapoint of an AWS/Events rule metric whose series names no flow-2 rule (the account's
    /// rules together, or another rule): shown as what it is, never as a flow-2 rule's firing.
    RuleMetricUnnamed,
    /// A datapoint of AWS/Events FailedInvocations whose series names a flow-2 rule: the rule
    /// matched an event but could not invoke a target (which one, the metric does not say): the
    /// kill-switch or the SNS topic may not have run. Never the rule's firing or the
    /// kill-switch's run.
    RuleInvocationFailed,
    ActorActivity,
    /// The actor's call that an access check refused (`AccessDenied` and the like:
    /// [`super::refusal_code`]).
    ActorDenied,
    /// The actor's call that failed, not refused: another error (`ConditionalCheckFailedException`,
    /// `ResourceNotFoundException`, `ValidationException`...), which does not show that the actor
    /// lacked the permission.
    ActorFailed,
    CredentialIssued,
    IamChange,
    PipelineChange,
    /// A change to the monitoring pipeline that failed (denied, not found, invalid): it changed
    /// nothing, but someone tried.
    PipelineAttempt,
    /// A change to a monitoring resource (an alarm, a rule, a log group...) by a principal of
    /// no incident, whose membership of the detection pipeline is unknown.
    MonitoringChange,
    /// [`EntryKind::MonitoringChange`] of a call that failed.
    MonitoringAttempt,
    /// A CloudTrail Insights event: unusual call or error rates of one API (no caller).
    Insight,
    /// The actor's request through a VPC endpoint that the endpoint let through (a CloudTrail
    /// network activity event): it does not record whether the call succeeded.
    NetworkActivity,
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
            EntryKind::RuleMetricUnnamed => "rule_metric_unnamed",
            EntryKind::RuleInvocationFailed => "rule_invocation_failed",
            EntryKind::ActorActivity => "actor_activity",
            EntryKind::ActorDenied => "actor_denied",
            EntryKind::ActorFailed => "actor_failed",
            EntryKind::CredentialIssued => "credential_issued",
            EntryKind::IamChange => "iam_change",
            EntryKind::PipelineChange => "pipeline_change",
            EntryKind::PipelineAttempt => "pipeline_attempt",
            EntryKind::MonitoringChange => "monitoring_change",
            EntryKind::MonitoringAttempt => "monitoring_attempt",
            EntryKind::Insight => "insight",
            EntryKind::NetworkActivity => "network_activity",
            EntryKind::KillswitchResult => "killswitch_result",
            EntryKind::Other => "other",
        }
    }
}

/// One row of the timeline, from a CloudTrail record, an alarm history item or a rule metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub time: Timestamp,
    /// eventID for CloudTrail rows; `alarm:<name>:<item>:<time>` / `metric:<label>:<time>`
    /// otherwise, a name's or label's '%' and ':' written `%25` and `%3A` ([`super::id_part`]).
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
    /// For another account's delivery of a call an incident counts under another record
    /// (`Incident::deliveries`): that record's eventID; empty otherwise.
    pub counted_as: String,
}

impl TimelineEntry {
    /// Where the row's record was read.
    pub fn origin(&self) -> Origin {
        Origin {
            input: self.input,
            index: self.index,
        }
    }

    /// The row for a CloudTrail event. A CloudTrail Insights event is a row of kind `insight`
    /// whatever `kind` says (it is no call: nobody made it): its action is the API it measured,
    /// its target what was measured and the statistics (`ApiCallRateInsight: 0.6 calls/min
    /// against a baseline of ...`), its outcome its state (`Start` or `End`).
    pub fn from_event(e: &Event, kind: EntryKind, incidents: Vec<String>) -> TimelineEntry {
        let insight = e.insight();
        let (actor, actor_type, action, target, outcome, kind) = match &insight {
            Some(i) => (
                INSIGHT_ACTOR.to_string(),
                "AwsCloudTrailInsight".to_string(),
                i.action(),
                format!("{}: {}", i.measured(), i.statistics()),
                i.state.clone(),
                EntryKind::Insight,
            ),
            None => (
                e.identity.label(),
                e.identity.kind.clone(),
                e.action(),
                e.target.clone().unwrap_or_default(),
                e.outcome().to_string(),
                kind,
            ),
        };
        TimelineEntry {
            time: e.time,
            event_id: e.event_id.clone(),
            source: e.via.to_string(),
            actor,
            actor_type,
            action,
            target,
            outcome,
            source_ip: e.source_ip.clone().unwrap_or_default(),
            user_agent: e.user_agent.clone().unwrap_or_default(),
            region: e.region.clone(),
            kind,
            incidents,
            input: e.origin.input,
            index: e.origin.index,
            tie: false,
            counted_as: String::new(),
        }
    }
}

/// The actor of an insight row: CloudTrail Insights wrote it, no principal made it.
pub const INSIGHT_ACTOR: &str = "CloudTrail Insights";

/// Different records that share an eventID (possible tampering): each is evidence (kept as a row
/// when the case reads it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub event_id: String,
    /// Where each distinct copy was read, in the timeline's order (time, then origin).
    pub copies: Vec<Origin>,
}

/// Everything one run produced: the single model that exports and the report read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timeline {
    pub inputs: Vec<InputSummary>,
    pub gaps: Vec<Gap>,
    pub incidents: Vec<Incident>,
    /// Findings about the case as a whole (alarms without access, pipeline changes, gaps).
    pub findings: Vec<super::Finding>,
    /// The configured honeytokens whose reads could not be seen, each with the finding
    /// (`reads_not_logged`, `reads_not_examined`) among `findings` that says why.
    #[serde(skip)]
    pub unseen_reads: Vec<super::UnseenReads>,
    pub entries: Vec<TimelineEntry>,
    /// The kept CloudTrail events, sorted, deduplicated (the evidence the entries rest on).
    #[serde(skip)]
    pub events: Vec<Event>,
    pub config: ConfigEvidence,
    /// The pieces of `config` that make up the two detection flows.
    #[serde(skip)]
    pub detection: super::DetectionResources,
    /// When the trail delivered each trail file among `inputs` (from the file's name).
    #[serde(skip)]
    pub deliveries: super::Deliveries,
    /// The detection flows' rules replayed over every record read.
    pub replay: Replay,
    /// The kill-switch's published results, cross-checked with CloudTrail.
    pub killswitch: Vec<super::KillSwitchRun>,
    /// Who counts as the kill-switch, in words (`KillSwitchIdentity::describe`: "a principal
    /// matching *KillSwitch*"): what the report says it looked for. Empty: not known.
    #[serde(skip)]
    pub killswitch_identity: String,
    pub records_read: u64,
    /// Where the honeytokens looked for came from: with the built-in default, a sentence that
    /// names the honeytoken says so (the JSON states it in `honeytokens`).
    #[serde(skip)]
    pub honeytoken_source: super::HoneytokenSource,
    /// The earliest and latest eventTime of every record read, kept or not (`None`: no record
    /// read): the period the evidence spans, not a claim that every hour of it was read.
    #[serde(skip)]
    pub records_period: Option<(super::Timestamp, super::Timestamp)>,
    pub records_rejected: u64,
    /// The S3 data events among the records read, kept or not, by bucket: without one on a
    /// decoy's bucket, the evidence cannot show a read of it (`reads_not_examined` finding).
    #[serde(skip)]
    pub s3_data_events: super::S3DataEvents,
    /// Records read that repeat another record read (same eventID, same content), kept by the
    /// analysis or not, dropped: counted over every record read.
    pub duplicates_dropped: u64,
    /// Records kept although another record has their eventID with different content.
    pub conflicting_copies: u64,
    /// Whether the two numbers above are exact or a lower bound (a `copy_count_incomplete` gap
    /// says why).
    pub copy_count: super::CopiesCounted,
    /// Each eventID that different kept records share, and where every one of them was read
    /// (the findings name a few; this names all).
    #[serde(skip)]
    pub conflicts: Vec<Conflict>,
    /// Which region-hours of the analysed window hold no trail file (cases with the trail key
    /// layout), or why that was not examined.
    pub coverage: super::TrailCoverage,
    /// The kept events by eventID and by origin, built on first use (after the analysis).
    #[serde(skip)]
    pub(crate) lookup: std::sync::OnceLock<EventLookup>,
}

/// Kept events by eventID (the first copy) and by where they were read.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventLookup {
    by_id: std::collections::HashMap<String, usize>,
    by_origin: std::collections::HashMap<Origin, usize>,
}

impl Timeline {
    /// What a step bound to a credential's expiry is read against: the evidence's own end (its
    /// last record's eventTime) and, for a report, when it was made (`made`).
    pub fn steps_at(&self, made: Option<super::Timestamp>) -> super::StepsAt {
        super::StepsAt {
            evidence_end: self.records_period.map(|(_, end)| end),
            made,
        }
    }

    fn lookup(&self) -> &EventLookup {
        self.lookup.get_or_init(|| {
            let mut l = EventLookup::default();
            for (n, e) in self.events.iter().enumerate() {
                l.by_id.entry(e.event_id.clone()).or_insert(n);
                l.by_origin.insert(e.origin, n);
            }
            l
        })
    }

    /// The kept event with this id (its first copy when inputs hold conflicting copies).
    pub fn event(&self, event_id: &str) -> Option<&Event> {
        self.lookup().by_id.get(event_id).map(|&n| &self.events[n])
    }

    /// The kept event read at `origin` (the copy a timeline row or an incident rests on).
    pub fn event_at(&self, origin: Origin) -> Option<&Event> {
        self.lookup()
            .by_origin
            .get(&origin)
            .map(|&n| &self.events[n])
    }

    /// Set the trail coverage; its uncovered ranges become gaps.
    pub fn apply_coverage(&mut self, coverage: super::TrailCoverage) {
        let gaps = coverage.gaps();
        // A file both the manifest and a digest list is one gap: the digest's.
        let named: std::collections::BTreeSet<&str> =
            gaps.iter().map(|g| g.path.as_str()).collect();
        self.gaps.retain(|g| {
            g.kind != super::GapKind::AcquiredFileMissing || !named.contains(g.path.as_str())
        });
        self.gaps.extend(gaps);
        self.coverage = coverage;
    }

    pub fn is_complete(&self) -> bool {
        self.gaps.is_empty()
    }
}
