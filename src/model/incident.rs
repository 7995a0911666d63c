//! An incident: one actor touching one honeytoken, with its milestones, latencies and findings.

use super::{Origin, Timestamp};
use serde::Serialize;

mod actor;
mod containment;
mod finding;

pub use actor::{Actor, ConsoleSession, ConsoleSignIn, CredentialScope, KeyOrigin};
pub use containment::{
    first_cut, ContainmentAction, ContainmentKind, ContainmentStatus, LiveCredential,
};
pub use finding::{
    changed_calls_only, not_logged_cause, Finding, FindingKind, HONEYTOKEN_CHANGED_ADVICE,
    NOT_LOGGED_SO,
};

/// The moments that make the incident's story. `None` means the evidence does not show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Milestones {
    pub first_access: Option<Timestamp>,
    pub last_access: Option<Timestamp>,
    pub first_actor_activity: Option<Timestamp>,
    /// Flow 1: the detection alarm entering ALARM (alarm history).
    pub flow1_alarm: Option<Timestamp>,
    /// Flow 1: the alarm's SNS action executed (alarm history `Action` item).
    pub flow1_notification: Option<Timestamp>,
    /// With `flow1_alarm` known: what links its alarm to the honeytoken (`[detection].alarms`,
    /// the alarm's describe-alarms definition, or its alarm history `ConfigurationUpdate` item,
    /// cited). Absent when `flow1_alarm` is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow1_alarm_basis: Option<String>,
    /// With no alarm linked to the honeytoken (`flow1_alarm` then unknown): the alarms of the
    /// history that entered ALARM in the incident's window. Not detections: they may or may not
    /// watch the honeytoken. Absent when an alarm is linked, or none entered ALARM.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flow1_unlinked_alarms: Vec<UnlinkedAlarm>,
    /// Flow 2: the EventBridge rule triggered (AWS/Events metric minute, or inferred).
    pub flow2_triggered: Option<Timestamp>,
    /// `metric` (AWS/Events TriggeredRules, one-minute resolution) or `killswitch` (its first call).
    pub flow2_evidence: Option<String>,
    pub containment_start: Option<Timestamp>,
    pub containment_complete: Option<Timestamp>,
    pub last_actor_success: Option<Timestamp>,
    pub first_denied_after_containment: Option<Timestamp>,
    /// The actor's calls (its own and its role sessions') that succeeded after the first call
    /// that cut its access, in time order: in a later second only, as eventTime is to the
    /// second. Not in the JSON: the findings cite them.
    #[serde(skip)]
    pub succeeded_after_containment: Vec<CallAt>,
    /// Those that succeeded in the very second of that call: whether before or after it is
    /// unknown. Not in the JSON: the findings and steps say it.
    #[serde(skip)]
    pub succeeded_same_second: Vec<CallAt>,
    /// The first of the actor's calls an access check refused from that call's second on
    /// (`first_denied_after_containment`, with its eventID). Not in the JSON.
    #[serde(skip)]
    pub first_denied_call: Option<CallAt>,
    /// What the honeytoken calls at `first_access` (T) were, for the sentences that time
    /// something from T: not in the JSON (the report names T from the records themselves).
    #[serde(skip)]
    pub first_access_kind: FirstAccessKind,
    /// Every call at T failed and one of them with an error no access check gives
    /// (`ResourceNotFoundException`): T is a failed attempt, not a refused one. Not in the JSON.
    #[serde(skip)]
    pub first_access_failed: bool,
    /// With no alarm linked at T: the alarms describe-alarms shows on a honeytoken filter's
    /// metric now, each with why its definition at T does not link it (or is unknown), citing
    /// the history item. Not in the JSON: `unknowns` says it.
    #[serde(skip)]
    pub flow1_linked_now: Vec<String>,
    /// With `flow1_linked_now`: what the evidence lacks to settle each such alarm's link at T
    /// (its definition then), or that nothing does (it is recorded and did not watch the
    /// metric), in place of the general advice to link one. Not in the JSON: `unknowns` says it.
    #[serde(skip)]
    pub flow1_link_missing: Option<String>,
}

impl Milestones {
    /// The calls of [`Milestones::succeeded_after_containment`] made with the identity's own
    /// credentials (not a role session it obtained), in time order.
    pub fn own_succeeded_after_containment(&self) -> Vec<&CallAt> {
        self.succeeded_after_containment
            .iter()
            .filter(|c| c.own)
            .collect()
    }
}

/// One call of the actor: when, its eventID, and whether the actor made it itself (not one of
/// the role sessions it obtained).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallAt {
    pub time: Timestamp,
    pub event_id: String,
    pub own: bool,
}

/// What the honeytoken calls at T were: a read, or calls that all failed (refused by an access
/// check or failed otherwise), with or without a read succeeding later.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FirstAccessKind {
    #[default]
    Read,
    /// Every call at T failed and no later one succeeded.
    Attempt,
    /// Every call at T failed; a later read succeeded.
    AttemptThenRead,
}

impl FirstAccessKind {
    /// T in a sentence that times something from it ("29 s after the read"), as the report's
    /// milestones name it: `the read`, `the attempt`, `the first, refused attempt` (`the first,
    /// failed attempt` when `failed`: a call at T failed with an error no access check gives).
    pub fn noun(self, failed: bool) -> &'static str {
        match self {
            FirstAccessKind::Read => "the read",
            FirstAccessKind::Attempt => "the attempt",
            FirstAccessKind::AttemptThenRead if failed => "the first, failed attempt",
            FirstAccessKind::AttemptThenRead => "the first, refused attempt",
        }
    }
}

/// An alarm that entered ALARM in an incident's window that the evidence does not link to the
/// honeytoken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnlinkedAlarm {
    pub alarm: String,
    pub time: Timestamp,
    /// The alarm history item (`alarm:<name>:StateUpdate:<time>`).
    pub cite: String,
    /// The alarm's definition as its history records it (the latest `ConfigurationUpdate`
    /// before the first access, cited) and why it does not link the alarm. Absent when the
    /// history holds none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Present when the item's HistoryData was cut and its states are read from its
    /// HistorySummary: that the transition rests on the summary only, and what is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition: Option<String>,
}

/// Seconds between milestones; `None` when either end is unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Latencies {
    /// first_access -> flow1_alarm
    pub flow1_detect: Option<f64>,
    /// first_access -> flow2_triggered
    pub flow2_detect: Option<f64>,
    /// first_access -> containment_complete
    pub contain: Option<f64>,
    /// first_access -> the later of containment_complete and last_actor_success, or, while
    /// credentials the containment did not cut stay valid, the last of their expiries; `None`
    /// when either end is unknown or the exposure is open-ended (see `unknowns`).
    pub exposure: Option<f64>,
}

/// One copy of a honeytoken read an incident rests on: which eventID, read where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordCopy {
    pub event_id: String,
    pub origin: Origin,
    /// Another input holds a different record with the same eventID (possible tampering): this
    /// copy is the one the incident rests on, the other is kept and named in a finding.
    pub conflicting: bool,
}

/// What a corroborating record is to the read it bears out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CorroborationKind {
    /// The service's `kms:Decrypt` of the honeytoken's value for the read.
    KmsDecrypt,
    /// AWS's per-secret `GetSecretValue` entry of the `BatchGetSecretValue` read (one read).
    BatchEntry,
    /// The same cross-account call as the read, as CloudTrail delivered it to the other account
    /// involved (the same `sharedEventID`, its own eventID): one read, not two.
    SharedEvent,
    /// CloudTrail's later copy of the read with updated data (its own eventID, and an
    /// `addendum` whose `originalEventID` names the read): one read, not two.
    UpdatedCopy,
    /// The `BatchGetSecretValue` whose per-secret `GetSecretValue` entry is the read: a batch by
    /// filters (which names no secret), or one whose entry for the honeytoken was refused (the
    /// batch did not return it).
    Batch,
}

/// A record that bears out a honeytoken read without being another read of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadCorroboration {
    /// The read (an eventID of `access_event_ids`).
    pub read_event_id: String,
    pub kind: CorroborationKind,
    pub event_id: String,
}

/// A record that is another account's delivery of a call the incident counts under another
/// eventID, or CloudTrail's later copy of that record with updated data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Delivery {
    pub event_id: String,
    /// The eventID the call is counted under.
    pub counted_as: String,
    /// When the record is CloudTrail's updated copy of `counted_as` (its `addendum` names it
    /// as `originalEventID`): the addendum's reason and updated fields. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updates: Option<Updates>,
}

/// What an updated copy's `addendum` says.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Updates {
    /// `addendum.reason` as recorded (`UPDATED_DATA`).
    pub reason: String,
    /// `addendum.updatedFields` as recorded.
    pub updated_fields: String,
}

impl Updates {
    /// Whether an addendum's `updatedFields` (one name, or several in any separator) names
    /// `userIdentity`: the copy then says who made the call, not the earlier record.
    pub fn names_user_identity(updated_fields: &str) -> bool {
        updated_fields
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|f| f == "userIdentity")
    }
}

/// The honeytoken belongs to another AWS account than its reader's: the caller's credential is
/// of `actor_account`, the decoy of `honeytoken_account`. What the evidence shows, not why the
/// call was allowed (a policy of the decoy's account that trusts the caller's, not in the
/// records).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossAccount {
    /// `userIdentity.accountId` of the reads.
    pub actor_account: String,
    pub honeytoken_account: String,
    /// Where the decoy's account is read from: `honeytoken_arn` (the account field of the ARN
    /// the read names) or `recipient_account_id` (the account CloudTrail delivered the read to,
    /// when it is not the caller's).
    pub shown_by: &'static str,
    /// The reads that show it.
    pub event_ids: Vec<String>,
}

/// One actor's accesses to one honeytoken, and everything the evidence says about them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub id: String,
    /// The honeytoken as the access named it (ARN when the record has one).
    pub honeytoken: String,
    /// Its canonical name (a secret's name without the ARN's random suffix).
    pub honeytoken_name: String,
    /// The configured honeytoken pattern that matched, e.g. `secret:Production_*`.
    pub honeytoken_rule: String,
    pub actor: Actor,
    /// The decoy is of another account than the actor's; `None`: the evidence names no other
    /// account for it (the same account, or none named).
    pub cross_account: Option<CrossAccount>,
    pub milestones: Milestones,
    pub latency_seconds: Latencies,
    pub access_event_ids: Vec<String>,
    /// The copies of the honeytoken reads this incident rests on (input and record index).
    pub access_records: Vec<RecordCopy>,
    /// Records that bear out the reads: the service's `kms:Decrypt`, a batch read's entries.
    pub corroboration: Vec<ReadCorroboration>,
    /// The actor's records that are another account's delivery of a call counted under another
    /// eventID (the same `sharedEventID`, time and API): rows of their own, counted once.
    pub deliveries: Vec<Delivery>,
    pub containment: Vec<ContainmentAction>,
    /// Containment as the evidence shows it.
    pub containment_status: ContainmentStatus,
    /// Credentials of the actor the containment did not cut (`partially_contained`).
    pub live_credentials: Vec<LiveCredential>,
    /// Other principals at the addresses the honeytoken was read from (no key links them to
    /// the actor).
    pub same_address: super::SameAddress,
    /// The actor's source IPs, user agents, keys and sessions, with first and last sight.
    pub indicators: Vec<super::Indicator>,
    /// The MITRE ATT&CK techniques the actor's calls are consistent with (`docs/attack.md`).
    pub attack: Vec<super::AttackTechnique>,
    /// Every CloudTrail event this incident rests on, sorted by time.
    pub event_ids: Vec<String>,
    /// Alarm history items (alarm name and time) this incident cites.
    pub alarm_evidence: Vec<String>,
    pub findings: Vec<Finding>,
    /// Milestones the evidence cannot establish, each with the reason.
    pub unknowns: Vec<String>,
    /// How grave the incident is (`correlate::response::severity`), and why.
    pub severity: super::Severity,
    pub severity_basis: String,
    /// What the actor's calls read or changed, as CloudTrail records them.
    pub impact: super::Impact,
    /// What remains to do about this actor, most urgent first.
    pub eradication: Vec<super::ResponseStep>,
    /// What to change so the next incident goes better, from the findings, most urgent first.
    pub recommendations: Vec<super::ResponseStep>,
    /// Where each record of `event_ids` was read: the copies this incident rests on.
    #[serde(skip)]
    pub origins: Vec<Origin>,
}

/// The `unknowns` that say a flow's evidence is not in the case at all (rather than that the
/// evidence shows the flow did not fire): what to recommend differs.
pub const NO_ALARM_HISTORY: &str =
    "flow1_alarm: no alarm history (describe-alarm-history) in the evidence";
pub const NO_RULE_EVIDENCE: &str =
    "flow2_triggered: no rule metrics and no kill-switch call in the evidence";

/// How the unknown starts when the evidence's TriggeredRules series name no flow-2 rule and no
/// kill-switch call is in it: as with [`NO_RULE_EVIDENCE`], the evidence cannot show the rule
/// fire (a series naming no rule is not evidence that this rule fired).
pub const UNNAMED_RULE_EVIDENCE: &str =
    "flow2_triggered: no AWS/Events TriggeredRules series in the evidence names ";

/// How long CloudWatch keeps an alarm's history, as its documentation says it, for the advice
/// to collect it: the command-line reference (mon-describe-alarm-history) and an AWS blog say
/// two weeks; the current API reference (DescribeAlarmHistory) states no period.
pub const ALARM_HISTORY_KEPT: &str = "CloudWatch keeps two weeks of it by its command-line reference (mon-describe-alarm-history); its API reference states no period";

/// The start of the `unknowns` entry that says a read names the secret by an ARN whose last seven
/// characters (`-` and six) may be the honeytoken's random suffix or the end of another secret's
/// name, and the evidence does not say which.
pub const UNSETTLED_SECRET_ARN: &str = "honeytoken: the read names the secret by the ARN";
/// How an `unknowns` entry on a read that names the honeytoken only by the other reading of an
/// ARN (a partial secret ARN, a parameter ARN without the leading `/`) begins.
pub const OTHER_READING_ARN: &str = "honeytoken: the record's ARN";

/// The start of the `unknowns` entry that says no alarm of the evidence is linked to the
/// honeytoken (neither `[detection].alarms` nor a metric filter names one): when flow 1
/// detected the access is unknown, and no alarm of the history is taken for its.
pub const FLOW1_ALARM_UNLINKED: &str =
    "flow1_alarm: unknown: no alarm linked to the honeytoken in the evidence";

/// The start of the `unknowns` entry that says no alarm was linked to the honeytoken at the
/// first access though describe-alarms shows one on its metric filter's metric now (its
/// definition then was another, or is unknown).
pub const FLOW1_ALARM_LINKED_ONLY_NOW: &str =
    "flow1_alarm: unknown: no alarm linked to the honeytoken at the first access";

/// How to link flow 1's alarm to the honeytoken, said wherever none is.
pub const FLOW1_LINK_ADVICE: &str = "name the detection alarm in trailcase.toml ([detection].alarms), or collect its definition (describe-alarms) with the log group's metric filters (describe-metric-filters) so that an alarm fed by the honeytoken's metric filter is recognised";

/// The start of the `unknowns` entry that says no containment call or kill-switch report on the
/// actor is in the evidence, but CloudTrail shows its calls refused by an explicit deny in its
/// own policies: something blocked it that the evidence does not show (status `unconfirmed`).
pub const DENY_WITHOUT_CONTAINMENT: &str =
    "containment: no containment call and no kill-switch report on the actor is in the evidence";

/// What the containment calls in the evidence did to one of the actor's long-term access keys
/// (`AKIA…`), by the key each successful call names (`requestParameters.accessKeyId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFate<'a> {
    pub key: &'a str,
    /// The successful calls that deactivated it (eventIDs); empty: none in the evidence.
    pub deactivated_by: Vec<&'a str>,
    /// The successful calls that deleted it (eventIDs).
    pub deleted_by: Vec<&'a str>,
}

impl KeyFate<'_> {
    /// Neither deactivated nor deleted in the evidence: still active as far as it shows.
    pub fn active(&self) -> bool {
        self.deactivated_by.is_empty() && self.deleted_by.is_empty()
    }
}

impl Incident {
    /// The policies of the decoy's account that may let another account read it, by the
    /// honeytoken's kind (`secret:`, `s3:`, `ssm:`): what to check when the read crossed
    /// accounts (the records do not show which one allowed it).
    pub fn cross_account_trust(&self) -> &'static str {
        match self.honeytoken_rule.split(':').next() {
            Some("secret") => "the secret's resource policy and the key policy of the KMS key that encrypts it",
            Some("s3") => "the bucket policy, the object's ACL and, if it is encrypted with a KMS key, that key's policy",
            Some("ssm") => "the parameter's sharing (AWS RAM resource share) and the key policy of the KMS key that encrypts it",
            _ => "the decoy's resource policy and the key policy of the KMS key that encrypts it",
        }
    }

    /// The actor's long-term access keys, in the actor's order, each with the containment
    /// calls that deactivated or deleted it. A call that names no key is no key's: the
    /// evidence does not say which key it acted on.
    pub fn long_term_keys(&self) -> Vec<KeyFate<'_>> {
        let by = |key: &str, kind: ContainmentKind| -> Vec<&str> {
            self.containment
                .iter()
                .filter(|c| {
                    c.kind == kind
                        && c.outcome == "success"
                        && c.access_key_id.as_deref() == Some(key)
                })
                .map(|c| c.event_id.as_str())
                .collect()
        };
        self.actor
            .long_term_key_ids()
            .map(|k| KeyFate {
                key: k,
                deactivated_by: by(k, ContainmentKind::AccessKeyDeactivated),
                deleted_by: by(k, ContainmentKind::AccessKeyDeleted),
            })
            .collect()
    }

    /// Whether every honeytoken read of the incident that succeeded is known only from S3's
    /// `kms:Decrypt` of the object for the actor (its `indirect_read` finding, which cites only
    /// successful Decrypts): the S3 calls are not in the evidence, so what they were (a read, a
    /// copy, a multipart upload onto the key) is not known either. Refused reads may be in the
    /// evidence beside them ([`Incident::indirect_event_ids`] tells which reads are which).
    pub fn indirect_only(&self) -> bool {
        let indirect = self.indirect_event_ids();
        // Every Decrypt cited succeeded, so each is one of the successful reads: as many as
        // them means no other read succeeded.
        !indirect.is_empty() && self.impact.reads_succeeded <= indirect.len()
    }

    /// The eventIDs of the reads known only from S3's `kms:Decrypt` (`indirect_read` finding).
    pub fn indirect_event_ids(&self) -> Vec<&str> {
        self.findings
            .iter()
            .filter(|f| f.kind == FindingKind::IndirectRead)
            .flat_map(|f| f.event_ids.iter().map(String::as_str))
            .collect()
    }

    /// Whether the actor was refused by a deny no containment call or report in the evidence
    /// accounts for ([`DENY_WITHOUT_CONTAINMENT`]).
    pub fn deny_without_containment(&self) -> bool {
        self.unknowns
            .iter()
            .any(|u| u.starts_with(DENY_WITHOUT_CONTAINMENT))
    }

    /// Whether no alarm of the evidence is linked to the honeytoken, so flow 1's time is
    /// unknown (the alarms that went to ALARM are in `milestones.flow1_unlinked_alarms`).
    pub fn flow1_alarm_unlinked(&self) -> bool {
        self.unknowns.iter().any(|u| {
            u.starts_with(FLOW1_ALARM_UNLINKED) || u.starts_with(FLOW1_ALARM_LINKED_ONLY_NOW)
        })
    }

    /// Why no alarm is linked to the honeytoken (with `flow1_alarm_unlinked`): none in the
    /// evidence, or none shown at the first access though describe-alarms links one now.
    pub fn flow1_unlinked_why(&self) -> &'static str {
        if self.milestones.flow1_linked_now.is_empty() {
            "no alarm in the evidence is linked to the honeytoken"
        } else {
            "no alarm is shown linked to the honeytoken at the first access, though describe-alarms shows one on its metric now"
        }
    }

    /// Whether the evidence could show the flow fire for this incident: the alarm history (flow
    /// 1), the rule's metrics or the kill-switch's calls (flow 2).
    pub fn flow_examined(&self, flow: super::FlowKind) -> bool {
        let missing = match flow {
            super::FlowKind::MetricFilter => NO_ALARM_HISTORY,
            super::FlowKind::EventRule => NO_RULE_EVIDENCE,
        };
        let unnamed =
            |u: &str| flow == super::FlowKind::EventRule && u.starts_with(UNNAMED_RULE_EVIDENCE);
        !self.unknowns.iter().any(|u| u == missing || unnamed(u))
    }
}
