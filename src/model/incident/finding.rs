//! What a responder must see in an incident (a finding, its kind and the evidence it rests
//! on), and the fixed sentences some findings' summaries end with.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    SuccessAfterContainment,
    UncoveredSession,
    NoContainment,
    ContainmentStepFailed,
    AccessWithoutAlarm,
    /// Replay: a flow's own rule does not match a honeytoken access (or its alarm would not breach).
    AccessMissedByFlow,
    AlarmWithoutAccess,
    /// Replay: a flow's rule matches events that are not honeytoken accesses.
    FlowNoise,
    /// A change to a piece of the detection pipeline (named by the configuration or the
    /// collected configuration), or a failed attempt at one.
    PipelineTampering,
    /// A trail stopped, deleted or narrowed (StopLogging, DeleteTrail, PutEventSelectors, an
    /// UpdateTrail turning off Multi-Region or global events, removing CloudWatch Logs delivery
    /// or log file validation, or setting the S3 bucket) that no evidence shows is the
    /// pipeline's: CloudTrail records less, whichever it is.
    LoggingReduced,
    /// A change to a monitoring resource (an alarm, a rule, a log group...) whose membership of
    /// the detection pipeline is unknown (the record names none, or the pipeline's resources
    /// of that kind are not known).
    MonitoringChange,
    EvidenceGaps,
    /// The kill-switch's result: a decision short of contained (partial, failed, protected, not contained).
    KillswitchNotContained,
    /// The kill-switch's result: a dry run, so nothing was contained.
    KillswitchDryRun,
    /// The kill-switch's result: a step it reports as failed.
    KillswitchStepFailed,
    /// The kill-switch's result and CloudTrail disagree (a step not borne out, or a call not reported).
    KillswitchMismatch,
    /// The configured kill-switch made no call in the evidence, while its results or calls that
    /// look like containment by another principal are there: which calls were the
    /// kill-switch's, and so the containment, is unknown (also a gap of the same name).
    KillswitchUnmatched,
    /// A `trailcase posture` check in the case failed.
    PostureCheckFailed,
    /// Two inputs hold different records under one eventID (possible tampering): both are kept.
    ConflictingCopies,
    /// A principal id or access key that records give to more than one ARN (possible forgery).
    SharedIdentifier,
    /// A `kms:Decrypt` of a honeytoken's value with no read of it in the evidence: the read's
    /// record may be missing.
    DecryptWithoutRead,
    /// Other principals called AWS from an address the honeytoken was read from (no key links
    /// them to the actor), after containment above all.
    SameAddressActivity,
    /// Reads of the kind of resource a honeytoken is that name no resource (no
    /// `requestParameters`), or S3's `kms:Decrypt` under a bucket key (it names the bucket, not
    /// the object): whether they read a honeytoken is not known.
    UnnamedRead,
    /// No record of the evidence could show a read of a honeytoken: reads of an S3 object
    /// honeytoken with no S3 data event in the evidence.
    ReadsNotExamined,
    /// The trail's event selectors in the evidence log none of the calls that read a
    /// honeytoken (management events `WriteOnly` for a secret; no S3 read data event of the
    /// decoy's bucket): no read of it can be in the trail's records.
    ReadsNotLogged,
    /// Calls on a honeytoken that are not reads (an S3 decoy object written, deleted, its ACL
    /// changed; a decoy secret's value put, the secret deleted...): no incident, but the decoy
    /// drew them.
    HoneytokenChanged,
    /// S3 batch deletes (`DeleteObjects`) on a decoy's bucket whose records name no key
    /// (CloudTrail does not log them): whether the decoy was among the objects deleted is not
    /// known.
    DecoyBucketBatchDelete,
    /// An incident's reads known only from S3's `kms:Decrypt` of the honeytoken object for the
    /// principal: the S3 call itself is not in the evidence.
    IndirectRead,
    /// Access points of an S3 decoy's bucket that a `list-access-points` output in the evidence
    /// lists and the honeytoken's `access_points` do not name: counted as the decoy bucket's
    /// in this analysis, to be added to the configuration.
    AccessPointsNotConfigured,
}

impl FindingKind {
    /// The finding's name in English, as the report's findings table heads it (its JSON
    /// identifier, [`crate::model::wire_name`], on the line under) and as a sentence names it:
    /// the "{title}" finding.
    pub fn title(self) -> &'static str {
        match self {
            FindingKind::SuccessAfterContainment => "Calls succeeded after containment",
            FindingKind::UncoveredSession => "A session the containment did not reach",
            FindingKind::NoContainment => "No containment",
            FindingKind::ContainmentStepFailed => "A containment step failed",
            FindingKind::AccessWithoutAlarm => "A read no alarm followed",
            FindingKind::AccessMissedByFlow => "A read a detection flow misses",
            FindingKind::AlarmWithoutAccess => "An alarm with no read before it",
            FindingKind::FlowNoise => "A detection rule matching other calls",
            FindingKind::PipelineTampering => "A change to the detection pipeline",
            FindingKind::LoggingReduced => "CloudTrail logging reduced",
            FindingKind::MonitoringChange => "A change to monitoring",
            FindingKind::EvidenceGaps => "Evidence gaps",
            FindingKind::KillswitchNotContained => "The kill-switch did not contain",
            FindingKind::KillswitchDryRun => "A kill-switch dry run",
            FindingKind::KillswitchStepFailed => "A kill-switch step failed",
            FindingKind::KillswitchMismatch => "The kill-switch and CloudTrail disagree",
            FindingKind::KillswitchUnmatched => {
                "Containment calls not by the configured kill-switch"
            }
            FindingKind::PostureCheckFailed => "A posture check not passed",
            FindingKind::ConflictingCopies => "Records sharing an eventID",
            FindingKind::SharedIdentifier => "An identifier shared by principals",
            FindingKind::DecryptWithoutRead => "A decrypt with no read",
            FindingKind::SameAddressActivity => "Other principals at the actor's address",
            FindingKind::UnnamedRead => "Reads that name no resource",
            FindingKind::ReadsNotExamined => "Reads not examined",
            FindingKind::ReadsNotLogged => "Reads not logged",
            FindingKind::HoneytokenChanged => "The honeytoken changed",
            FindingKind::DecoyBucketBatchDelete => "A batch delete on the decoy's bucket",
            FindingKind::IndirectRead => "A read known only from decryption",
            FindingKind::AccessPointsNotConfigured => "Access points not configured",
        }
    }

    /// How a sentence names the finding: the "CloudTrail logging reduced" finding.
    pub fn named(self) -> String {
        format!("the \"{}\" finding", self.title())
    }
}

/// What every [`FindingKind::HoneytokenChanged`] summary ends with: why there is no incident,
/// and what to do. A text that lists several such findings says it once
/// ([`changed_calls_only`]).
pub const HONEYTOKEN_CHANGED_ADVICE: &str = "None returned the decoy's value, so trailcase opens no incident for them (its incidents are reads); but the decoy drew them (no workload is meant to touch it): investigate them as a security event, find out who made them, and whether the decoy still holds what it held (a write or delete replaces or removes it)";

/// A [`FindingKind::HoneytokenChanged`] summary without [`HONEYTOKEN_CHANGED_ADVICE`]: its
/// count and its calls.
pub fn changed_calls_only(summary: &str) -> &str {
    summary
        .strip_suffix(HONEYTOKEN_CHANGED_ADVICE)
        .map_or(summary, |s| s.trim_end().trim_end_matches('.'))
}

/// What every [`FindingKind::ReadsNotLogged`] summary says after the selectors' cause
/// ("reads of X not logged: the trail's event selectors (...) log no ..."), before the detail:
/// [`not_logged_cause`] cuts there.
pub const NOT_LOGGED_SO: &str = ", so the trail's records can hold no ";

/// A [`FindingKind::ReadsNotLogged`] summary cut to its cause: which decoy's reads, and which
/// selectors log none of them.
pub fn not_logged_cause(summary: &str) -> &str {
    summary
        .split_once(NOT_LOGGED_SO)
        .map_or(summary, |(cause, _)| cause)
}

/// Something a responder must see, with the evidence it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// `high`, `medium` or `info`.
    pub severity: &'static str,
    pub summary: String,
    pub event_ids: Vec<String>,
}

/// The clause a summary ends with when the finding cites eventIDs that different records share
/// ([`Finding::cite_shared`]): `" (eventID 1 is shared by 117 different records, 1111 by 36"`
/// then this tail.
const SHARED_HEAD: &str = " (eventID ";
const SHARED_TAIL: &str = ": an eventID alone does not say which of them this rests on; the JSON timeline's conflicts lists where each was read)";

impl Finding {
    /// Say in the summary which cited eventIDs different records share, with how many records
    /// each (`shared`, in citing order): an auditor who looks one up finds that many.
    pub fn cite_shared(&mut self, shared: &[(&str, usize)]) {
        let Some(((id, n), rest)) = shared.split_first() else {
            return;
        };
        let rest: String = rest
            .iter()
            .map(|(id, n)| format!(", {id} by {n}"))
            .collect();
        self.summary.push_str(&format!(
            "{SHARED_HEAD}{id} is shared by {n} different records{rest}{SHARED_TAIL}"
        ));
    }

    /// The summary without the clause [`Finding::cite_shared`] added: for a reader who is told
    /// at each citation how many records share the eventID.
    pub fn summary_unshared(&self) -> &str {
        self.summary
            .strip_suffix(SHARED_TAIL)
            .and_then(|s| s.rsplit_once(SHARED_HEAD))
            .map_or(&self.summary, |(summary, _)| summary)
    }
}
