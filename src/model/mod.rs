//! The timeline model: plain data that every output (export, report) reads.
//!
//! Nothing here does I/O or knows where the evidence came from beyond an [`Origin`].

mod actor_origin;
mod attack;
mod case;
mod config_evidence;
mod coverage;
mod detection;
mod event;
mod gap;
mod incident;
mod indicator;
mod killswitch;
mod neighbours;
mod posture;
pub mod posture_snapshot;
mod replay;
mod response;
mod s3_data_events;
mod settings;
mod time;
mod timeline;
pub mod trail_key;
mod unseen;

pub use actor_origin::LAMBDA_SERVICE;
pub use attack::{AttackCall, AttackTechnique};
pub use case::{CaseMeta, ReportSettings};
pub use config_evidence::{
    AlarmDefinition, AlarmHistoryItem, ConfigEvidence, EventRule, HistoryDefinition,
    ListedAccessPoint, MathStat, MetricFilter, MetricMath, MetricSeries, RuleTarget, TrailConfig,
    TrailStatus, SERIES_NAMES_NO_RULE,
};
pub use coverage::{CoverageStatus, CoverageWindow, MissingFile, RegionHours, TrailCoverage};
pub use detection::{Deliveries, DetectionResources};
pub use event::{action_name, Event, Identity, LabelParts, Origin, NETWORK_OUTCOME};
pub use gap::{CopiesCounted, Gap, GapKind, InputSummary};
pub use incident::{
    changed_calls_only, first_cut, not_logged_cause, Actor, CallAt, ConsoleSession, ConsoleSignIn,
    ContainmentAction, ContainmentKind, ContainmentStatus, CorroborationKind, CredentialScope,
    CrossAccount, Delivery, Finding, FindingKind, FirstAccessKind, Incident, KeyFate, KeyOrigin,
    Latencies, LiveCredential, Milestones, ReadCorroboration, RecordCopy, UnlinkedAlarm, Updates,
    ALARM_HISTORY_KEPT, DENY_WITHOUT_CONTAINMENT, FLOW1_ALARM_LINKED_ONLY_NOW,
    FLOW1_ALARM_UNLINKED, FLOW1_LINK_ADVICE, HONEYTOKEN_CHANGED_ADVICE, NOT_LOGGED_SO,
    NO_ALARM_HISTORY, NO_RULE_EVIDENCE, OTHER_READING_ARN, UNNAMED_RULE_EVIDENCE,
    UNSETTLED_SECRET_ARN,
};
pub use indicator::{Indicator, IndicatorKind};
pub use killswitch::{
    decision_words, step_outcome_words, Corroboration, KillSwitchCaller, KillSwitchDecision,
    KillSwitchReport, KillSwitchRun, KillSwitchStep, KillSwitchTrigger, StepCheck, StepOutcome,
};
pub use neighbours::{AddressPeer, SameAddress, PEER_EVENT_IDS};
pub use posture::{PostureCheck, PostureResult, PostureStatus};
pub use replay::{AccessReplay, FlowKind, FlowReplay, Replay, ReplayMatch, StateDelivery};
pub use response::{
    failures, refusal_code, Failures, Impact, OtherValueRead, Priority, ResponseStep, ServiceRead,
    Severity, ValueCopy,
};
pub use s3_data_events::{S3DataEvents, UnmarkedReads, OTHER_BUCKETS_KEPT, UNMARKED_KEPT};
pub use settings::{
    AnalysisSettings, DetectionSettings, HoneytokenKind, HoneytokenRule, KillSwitchIdentity,
};
pub use time::Timestamp;
pub use timeline::{Conflict, EntryKind, Timeline, TimelineEntry};
pub use unseen::UnseenReads;

/// The name a unit enum variant (a gap kind, a finding kind) has in the JSON, e.g.
/// `truncated_gzip`: every output that names one uses the JSON's spelling.
pub fn wire_name<T: serde::Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
