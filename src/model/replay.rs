//! Detection replay: what each flow's own rule says about the evidence. For every honeytoken access,
//! whether the flow matches it and when it should have fired versus when it did; which accesses it
//! misses; which other events it would page on.

use super::Timestamp;
use serde::Serialize;

/// Which detection flow a replayed rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowKind {
    /// Flow 1: CloudWatch Logs metric filter -> alarm -> SNS.
    MetricFilter,
    /// Flow 2: EventBridge rule -> SNS and the kill-switch.
    EventRule,
}

impl FlowKind {
    /// 1 or 2, as the report numbers the flows.
    pub fn number(self) -> u8 {
        match self {
            FlowKind::MetricFilter => 1,
            FlowKind::EventRule => 2,
        }
    }
}

/// A matched event in a list (noise examples, `rules replay` output).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ReplayMatch {
    pub time: Timestamp,
    pub event_id: String,
    pub action: String,
    pub actor: String,
    pub target: String,
    pub outcome: String,
}

/// Flow 2: whether the rule's collected `State` lets EventBridge deliver an access its pattern
/// matches (a rule in state `ENABLED` is not delivered read-only management events).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StateDelivery {
    /// Delivered, not a read-only management event, or not flow 2.
    #[default]
    Delivered,
    /// Not delivered (`ENABLED` and a read-only management event) or not matched at all
    /// (`DISABLED`): the access is missed (`missed_because`; `rule_state` says which).
    NotDelivered,
    /// Not delivered or not matched in the collected state, yet the evidence shows the rule
    /// firing (`note`).
    FiredAnyway,
    /// The state is not in the evidence: delivery unknown (`note`).
    Unknown,
}

/// One honeytoken access as one flow's rule sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessReplay {
    pub incident: String,
    pub event_id: String,
    pub time: Timestamp,
    /// The flow's pattern matches the access.
    pub matched: bool,
    /// Flow 2: the event time. Flow 1: the end of the alarm period that first breaches with this
    /// access in it, assuming the record reaches CloudWatch Logs at once; when the replayed alarm
    /// is already in ALARM for an earlier access, the time it entered ALARM (before this access;
    /// `note` says so). `None`: would not fire.
    pub predicted: Option<Timestamp>,
    /// Flow 1 only: the same with the assumed delivery delay (see [`Replay::assumptions`]).
    pub predicted_latest: Option<Timestamp>,
    /// What the evidence shows: the alarm's transition to ALARM (flow 1); the end of the rule's
    /// TriggeredRules minute or an earlier kill-switch call in it (flow 2).
    pub actual: Option<Timestamp>,
    pub actual_evidence: Option<String>,
    /// actual - predicted, in seconds.
    pub delay_seconds: Option<f64>,
    /// Anything that qualifies the prediction (e.g. the alarm was already in ALARM).
    pub note: Option<String>,
    /// Flow 2, a missed access: why the rule could not have seen it though its pattern matches
    /// the record's content. EventBridge delivers the record as another kind of event than the
    /// rule matches (a request refused at a VPC endpoint is a network activity event, never an
    /// "AWS API Call via CloudTrail"), or the rule's collected state `ENABLED` is not delivered
    /// read-only management events such as GetSecretValue (`missed_by_state`). Absent for any
    /// other row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missed_because: Option<String>,
    /// Flow 2: what the rule's collected state makes of a read its pattern matches. Not in the
    /// JSON (`missed_because` or `note` tells it).
    #[serde(skip)]
    pub by_state: StateDelivery,
    /// Flow 2: the rule's `State` this access is judged by (`DISABLED`, `ENABLED`,
    /// `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`): the one the last PutRule, EnableRule
    /// or DisableRule record before the access set, else as collected (describe-rule,
    /// list-rules). Absent for flow 1 and when the state at the access is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_state: Option<String>,
    /// Flow 2: what `rule_state` rests on: `API eventID at TIME (state X), the last call
    /// setting the rule's state before this access`, `as collected (...)`, or `unknown: ...`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_state_basis: Option<String>,
    /// Flow 1, when the evidence records PutMetricAlarm calls on the alarm: the definition that
    /// predicts this access: `PutMetricAlarm eventID at TIME (RULE), the last
    /// PutMetricAlarm on the alarm before this access`, `the alarm as defined at the first
    /// access (...)`, or `unknown: ...` (a call in the same second). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alarm_definition: Option<String>,
    /// Flow 2: the label of the call `rule_state` rests on, when it rests on one. Not in the
    /// JSON (`rule_state_basis` tells it).
    #[serde(skip)]
    pub state_set_by: Option<String>,
    /// The definition of the flow's pattern the access is judged by, when the evidence records
    /// a change of it (`PutRule`, `PutMetricFilter`): the change's API, eventID and time ("(the
    /// pattern as collected)" when it set that one), or "unknown: ..." before the first change or
    /// in the same second as one (judged by the pattern before it).
    /// Absent when no change is in the evidence: the pattern as collected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Whether the pattern as collected matches the access: the flow's counts and flow 1's
    /// alarm replay are of its matches. Not in the JSON (`matched` with `definition` tells it).
    #[serde(skip)]
    pub collected_matches: bool,
}

/// One replayed rule: a metric filter (with the alarm on its metric) or an EventBridge rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowReplay {
    pub flow: FlowKind,
    /// The metric filter's or the rule's name.
    pub resource: String,
    pub pattern: String,
    /// Flow 1: the alarm on the filter's metric that was evaluated.
    pub alarm: Option<String>,
    /// Flow 1: where `alarm`'s definition comes from when not describe-alarms (its alarm
    /// history), and where `[detection].alarms` and the evidence disagree on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alarm_basis: Option<String>,
    /// Why the rule or its alarm could not be replayed (AWS's reason for an invalid pattern).
    pub error: Option<String>,
    /// Distinct events the pattern matches among all records read.
    pub matches: u64,
    /// More events match than the replay keeps for one rule (a share of five million, smaller
    /// when thousands of rules are replayed): `matches` and `noise_count` are lower bounds and
    /// flow 1's alarm is not replayed. Whether an access is matched stays exact.
    pub matches_at_least: bool,
    /// Every honeytoken access judged against the flow, and how many it matches and misses
    /// (all of them, listed below or not).
    pub accesses_total: u64,
    pub matched_total: u64,
    pub missed_total: u64,
    /// The accesses, at most [`Replay::max_access_rows`] (the missed ones first), in time order.
    pub accesses: Vec<AccessReplay>,
    /// eventIDs of the honeytoken accesses the pattern matches / does not match, at most
    /// [`Replay::max_access_rows`] each.
    pub matched_accesses: Vec<String>,
    pub missed_accesses: Vec<String>,
    /// Distinct matched events that are not honeytoken accesses: what the flow would page on.
    pub noise_count: u64,
    /// The earliest noise matches (at most [`Replay::max_examples`]).
    pub noise_examples: Vec<ReplayMatch>,
    /// Notifications the flow would have sent over the evidence: ALARM transitions (flow 1),
    /// matched events (flow 2). `None`: not known, the alarm could not be replayed (`error`).
    pub predicted_pages: Option<u64>,
    /// Flow 1: why `predicted_pages` is not known although the alarm was replayed (its state
    /// unknown for part of the evidence, around PutMetricAlarm calls); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages_unknown: Option<String>,
}

/// The replay of the case's detection pipeline over every record read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Replay {
    pub flows: Vec<FlowReplay>,
    /// What the predictions assume that the evidence cannot show.
    pub assumptions: Vec<String>,
    /// Records the rules were evaluated against (every CloudTrail record read, duplicates included).
    pub records_evaluated: u64,
    /// Noise examples kept per flow, at most: 1,000, fewer when more than ten rules are
    /// replayed (10,000 for all of them, at least 10 each).
    pub max_examples: usize,
    /// Accesses listed per flow, at most: 1,000, fewer when more than twenty rules are replayed
    /// (20,000 for all of them, at least 10 each). An actor's loop of reads times thousands of
    /// rules would otherwise list every read once per rule.
    pub max_access_rows: usize,
}
