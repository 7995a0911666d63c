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
    failures, refusal_code, steps_at, ExpiryPassed, Failures, Impact, OtherValueRead, Priority,
    ResponseStep, ServiceRead, Severity, StepsAt, ValueCopy,
};
pub use s3_data_events::{S3DataEvents, UnmarkedReads, OTHER_BUCKETS_KEPT, UNMARKED_KEPT};
pub use settings::{
    AnalysisSettings, DetectionSettings, HoneytokenKind, HoneytokenRule, HoneytokenSource,
    HoneytokensStated, KillSwitchIdentity, DEFAULT_HONEYTOKEN_NOTE,
};
pub use time::Timestamp;
pub use timeline::{Conflict, EntryKind, Timeline, TimelineEntry};
pub use unseen::UnseenReads;

/// `name` as one ':'-separated part of an evidence id (`alarm:<name>:<item>:<time>`,
/// `metric:<series>:<minute>`, `killswitch:<time>:<about>`): '%' and ':' written `%25` and
/// `%3A`, so that a name holding a colon (an ARN) cannot be read as two parts, and a program
/// splits the id at its colons outside the time (which keeps its own). A name with neither is
/// unchanged.
pub fn id_part(name: &str) -> std::borrow::Cow<'_, str> {
    if name.contains([':', '%']) {
        std::borrow::Cow::Owned(name.replace('%', "%25").replace(':', "%3A"))
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// The id of a rule metric datapoint: `metric:<series>:<minute>` ([`id_part`]).
pub fn metric_point_id(series: &str, minute: Timestamp) -> String {
    format!("metric:{}:{minute}", id_part(series))
}

/// The name a unit enum variant (a gap kind, a finding kind) has in the JSON, e.g.
/// `truncated_gzip`: every output that names one uses the JSON's spelling.
pub fn wire_name<T: serde::Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An alarm name or metric series holding ':' (an ARN) cannot be read as two parts of an
    /// evidence id: split at its first colons, the id gives the name back.
    #[test]
    fn an_evidence_id_splits_back_into_its_parts_whatever_the_name_holds() {
        let t = Timestamp::from_secs(1_795_183_320);
        for series in [
            "Rule TriggeredRules",
            "arn:aws:events:us-east-1:1:rule/r",
            "100%:x",
        ] {
            let id = metric_point_id(series, t);
            let mut parts = id.splitn(3, ':');
            assert_eq!(parts.next(), Some("metric"));
            let name = parts.next().unwrap();
            assert_eq!(name.replace("%3A", ":").replace("%25", "%"), series, "{id}");
            assert_eq!(parts.next(), Some("2026-11-20T14:02:00Z"), "{id}");
        }
        assert_eq!(
            metric_point_id("Rule TriggeredRules", t),
            "metric:Rule TriggeredRules:2026-11-20T14:02:00Z"
        );
        assert_eq!(id_part("a:b%c"), "a%3Ab%25c");
    }
}
