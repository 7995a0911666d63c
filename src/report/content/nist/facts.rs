//! The facts of a case the NIST grading rules read: what was examined, what fired, what the
//! containment did, and what the integrity verification and acquisition manifests prove.
//! Pure: reads the timeline (with the detection flows it names) and the integrity statement.

use crate::model::UnmarkedReads;
use crate::model::{ContainmentKind, EntryKind, Timeline};
use crate::report::content::IntegrityStatement;
use std::collections::BTreeMap;

/// The input kind of a case's `manifest.json` (the acquisition record itself).
pub(super) const MANIFEST_KIND: &str = "trailcase-manifest";

/// What the grading rules need, gathered once.
pub(super) struct Facts {
    /// How the honeytoken was chosen, as a sentence's subject says it: "the honeytoken is
    /// configured", or, with none configured, that the name looked for is the built-in default.
    pub(super) configured: &'static str,
    /// The honeytoken in plain words ("decoy secret", "decoy storage object", "decoy
    /// parameter"), or "decoy" when the incidents' honeytokens are of more than one kind or
    /// there is none.
    pub(super) decoy: &'static str,
    /// What the incidents' honeytokens are, as configured ("secret", "S3 object", "SSM
    /// parameter"), each once in that order: what a read's record names.
    pub(super) honeytoken_kinds: Vec<&'static str>,
    pub(super) trail_files: Vec<String>,
    pub(super) status_files: Vec<String>,
    pub(super) validation: Option<bool>,
    pub(super) multi_region: Option<bool>,
    pub(super) logging: Option<bool>,
    pub(super) records: u64,
    /// The inputs the CloudTrail records were read from, each with its count: what a row that
    /// rests on the records alone cites.
    pub(super) record_inputs: Vec<String>,
    pub(super) accesses: Vec<String>,
    /// Why some honeytoken's reads could not be seen (`reads_not_examined` findings): the
    /// evidence holds no S3 data event on its bucket.
    pub(super) reads_not_examined: bool,
    /// The other buckets whose S3 data events were read, when some honeytoken's reads were not
    /// examined: data events were logged, not for its bucket.
    pub(super) s3_elsewhere: Vec<String>,
    /// The eventIDs those cite.
    pub(super) s3_elsewhere_ids: Vec<String>,
    /// The access points S3 data events were read through, when some honeytoken's reads were
    /// not examined and neither the records nor trailcase.toml name their bucket: no bucket,
    /// perhaps the decoy's.
    pub(super) s3_access_points: Vec<String>,
    /// The eventIDs those cite.
    pub(super) s3_access_point_ids: Vec<String>,
    /// The eventIDs of a write data event on each decoy bucket whose only data events read are
    /// writes (`PutObject`, `readOnly` false): writes of it were logged, not reads.
    pub(super) s3_decoy_writes: Vec<String>,
    /// The bucket-level reads (`ListObjects`, `HeadBucket`...) on the decoy buckets whose reads
    /// were not examined, read in records without a data event's fields: each may be a read
    /// data event; the record does not show it. Their APIs, the first records kept and how
    /// many more were read.
    pub(super) s3_decoy_unmarked: UnmarkedReads,
    /// The same for object-level reads (`GetObject`, `HeadObject`...) on such buckets.
    pub(super) s3_decoy_unmarked_objects: UnmarkedReads,
    /// The kept records of an object-level read of an S3 decoy itself without a data event's
    /// fields, each as its API and eventID (`S3DataEvents::decoy_unmarked_own`).
    pub(super) decoy_unmarked_own: Vec<(String, String)>,
    /// Whether any S3 data event was read (some perhaps naming no bucket).
    pub(super) s3_data_events: bool,
    /// The `get-event-selectors` inputs, when they show some honeytoken's reads not logged
    /// (`reads_not_logged` findings); empty otherwise.
    pub(super) reads_not_logged: Vec<String>,
    /// Why a honeytoken's reads could not be seen, and what that cites
    /// ([`crate::report::content::reads_unseen::why`]); `None` when they could.
    pub(super) unseen: Option<(String, Vec<String>)>,
    /// The `logging_reduced` findings whose call succeeded, each as its summary and eventIDs
    /// ([`crate::report::content::reads_unseen::logging_reduced`]).
    pub(super) logging_reduced: Vec<(String, Vec<String>)>,
    /// Beside an incident's read: the sentence saying that another configured honeytoken's
    /// reads could not be seen, and its findings' eventIDs
    /// ([`crate::report::content::reads_unseen::others_sentence`]); empty when none.
    pub(super) unseen_others: (String, Vec<String>),
    /// The eventIDs the `honeytoken_changed` findings cite: calls on a decoy that are not reads.
    pub(super) decoy_changed: Vec<String>,
    /// The eventIDs the `decoy_bucket_batch_delete` findings cite: batch deletes on a decoy's
    /// bucket that may have deleted it (their records name no key).
    pub(super) decoy_batch_deletes: Vec<String>,
    /// The eventIDs the `unnamed_read` findings cite: reads that name no resource (through an
    /// access point whose bucket the evidence does not name, no `requestParameters`, S3
    /// decrypting some object of a decoy's bucket), any of which may have read the decoy.
    pub(super) unnamed_reads: Vec<String>,
    /// The eventIDs the `decrypt_without_read` findings cite: a `kms:Decrypt` of a
    /// honeytoken's value with no read of it, which may be a read whose record is missing.
    pub(super) decrypts_without_read: Vec<String>,
    pub(super) containment: Vec<String>,
    pub(super) blocking: Vec<String>,
    /// What the blocking calls did, each once in the order first seen ("deny-all policy
    /// attached", "access key AKIA… deactivated").
    pub(super) blocking_kinds: Vec<String>,
    /// Whether a deny-all policy (which covers every key of the user) is among them.
    pub(super) deny_policy: bool,
    /// When the first call that cut access succeeded, and whether and when the identity's own
    /// calls stopped succeeding after it, with the eventIDs.
    pub(super) cut_effect: super::cut_effect::CutEffect,
    /// What each incident's containment did and achieved, per the records (IR-4, AC-2, RS.MI-01).
    pub(super) achieved: super::achieved::Achieved,
    /// The actors' long-term access keys no containment call deactivated or deleted: still
    /// active as far as the evidence shows.
    pub(super) active_keys: Vec<String>,
    pub(super) alarms: Vec<String>,
    pub(super) alarm_actions: Vec<String>,
    /// The SNS topics (or other actions) the alarm actions of `alarm_actions` ran, and the
    /// topics the kill-switch's `sns:Publish` calls published to, each once.
    pub(super) alarm_topics: Vec<String>,
    /// ` The transition to ALARM at T (id) rests on the item's HistorySummary … .` for each of
    /// `alarms` read from a cut item's summary only; empty when none.
    pub(super) transitions_summary_only: String,
    /// The same for the alarm actions of `alarm_actions`.
    pub(super) actions_summary_only: String,
    pub(super) killswitch_topics: Vec<String>,
    /// Kill-switch results in the case as an SNS subscriber received them.
    pub(super) results_received: usize,
    pub(super) rule_metrics: Vec<String>,
    pub(super) notifications: Vec<String>,
    pub(super) filters: Vec<String>,
    pub(super) incidents: Vec<String>,
    pub(super) gaps: usize,
    pub(super) integrity_verified: bool,
    /// Trail log files in the cases, and of them those a CloudTrail digest verified.
    pub(super) log_files: usize,
    pub(super) log_files_verified: usize,
    /// Files the digests' own check found a problem with (a log file modified, a digest
    /// whose signature fails), apart from the manifest's problems.
    pub(super) digest_problems: usize,
    /// Honeytoken reads that returned the value, over every incident (the rest were refused).
    pub(super) reads_succeeded: usize,
    /// Honeytoken reads refused (or failed otherwise), over every incident.
    pub(super) reads_with_error: usize,
    /// Of those, the reads an access check refused (the rest failed otherwise).
    pub(super) reads_denied: usize,
    /// Every failed read's error is an access check's refusal: "refused" says what they were.
    pub(super) reads_all_refusals: bool,
    /// Every incident's successful reads are known only from S3's `kms:Decrypt` of the decoy object
    /// ([`crate::model::Incident::indirect_only`]): the S3 call itself is not in the evidence.
    pub(super) indirect_only: bool,
    /// The digests were signed with the bundled sample's TEST key, not AWS's.
    pub(super) sample_test_key: bool,
    /// Files the integrity verification found a problem with.
    pub(super) integrity_problems: usize,
    /// Acquisition manifests read, and `trailcase verify` reports attached to the PDF.
    pub(super) manifests: usize,
    pub(super) verify_reports: usize,
    /// Input paths but the manifests themselves, and of them those an acquisition manifest lists
    /// (acquisition-time SHA-256, source, time) and those whose manifest also records the
    /// identity that collected them.
    pub(super) inputs: Vec<String>,
    pub(super) acquired: usize,
    pub(super) collector_recorded: usize,
    /// Incidents the containment did not fully cut (`partially_contained`), with the issuing
    /// eventIDs of the credentials that stayed valid.
    pub(super) partial: Vec<String>,
    pub(super) live_credential_events: Vec<String>,
    /// Incidents whose credential's origin (the call that issued the actor's key) is not in the
    /// evidence: their root cause is unknown.
    pub(super) origin_unknown: Vec<String>,
}

pub(super) fn facts(t: &Timeline, integrity: &IntegrityStatement) -> Facts {
    // The unmarked reads on the buckets of decoys whose reads were not examined, every bucket's
    // together: the first kept records, their APIs (each once, sorted) and how many more.
    let unmarked = |seen: &BTreeMap<usize, UnmarkedReads>| {
        let mut all = UnmarkedReads::default();
        for (_, s) in seen
            .iter()
            .filter(|(i, _)| !t.s3_data_events.decoy_rules.contains(i))
        {
            all.merge(s.clone());
        }
        all
    };
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
    let super::gather::Containment {
        blocking,
        blocking_kinds,
        notifications,
        active_keys,
        killswitch_topics,
        results_received,
    } = super::gather::containment(t);
    let super::gather::Alarms {
        alarms,
        alarm_actions,
        alarm_topics,
        transitions_summary_only,
        actions_summary_only,
    } = super::gather::alarms(t);
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
    let mut decoys: Vec<&'static str> = t
        .incidents
        .iter()
        .map(crate::report::content::bottom_line::decoy)
        .collect();
    decoys.sort_unstable();
    decoys.dedup();
    let honeytoken_kinds: Vec<&'static str> = [
        ("secret", "secret"),
        ("s3", "S3 object"),
        ("ssm", "SSM parameter"),
    ]
    .into_iter()
    .filter(|(rule, _)| {
        t.incidents
            .iter()
            .any(|i| i.honeytoken_rule.split(':').next() == Some(*rule))
    })
    .map(|(_, kind)| kind)
    .collect();
    Facts {
        configured: match t.honeytoken_source {
            crate::model::HoneytokenSource::Default => "no honeytoken was configured (trailcase looked for its built-in default, the secret name Production_Database_Credentials)",
            _ => "the honeytoken is configured",
        },
        honeytoken_kinds,
        decoy: match decoys[..] {
            [one] => one,
            _ => "decoy",
        },
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
        record_inputs: t
            .inputs
            .iter()
            .filter(|i| i.records_read > 0)
            .map(|i| {
                format!(
                    "{} ({} record{})",
                    i.path,
                    i.records_read,
                    if i.records_read == 1 { "" } else { "s" }
                )
            })
            .collect(),
        accesses: ids(EntryKind::HoneytokenAccess),
        reads_not_examined: t
            .findings
            .iter()
            .any(|f| f.kind == crate::model::FindingKind::ReadsNotExamined),
        s3_elsewhere: t
            .s3_data_events
            .other_buckets
            .keys()
            .cloned()
            .chain(
                t.s3_data_events
                    .more_buckets
                    .then(|| "more not named".to_string()),
            )
            .collect(),
        s3_elsewhere_ids: t.s3_data_events.other_buckets.values().cloned().collect(),
        s3_access_points: t
            .s3_data_events
            .access_points
            .keys()
            .cloned()
            .chain(
                t.s3_data_events
                    .more_access_points
                    .then(|| "more not named".to_string()),
            )
            .collect(),
        s3_access_point_ids: t.s3_data_events.access_points.values().cloned().collect(),
        s3_decoy_writes: t
            .s3_data_events
            .decoy_writes
            .iter()
            .filter(|(i, _)| !t.s3_data_events.decoy_rules.contains(i))
            .map(|(_, id)| id.clone())
            .collect(),
        s3_decoy_unmarked: unmarked(&t.s3_data_events.decoy_unmarked),
        s3_decoy_unmarked_objects: unmarked(&t.s3_data_events.decoy_unmarked_objects),
        decoy_unmarked_own: t.s3_data_events.decoy_unmarked_own.clone(),
        s3_data_events: t.s3_data_events.any,
        reads_not_logged: if t
            .findings
            .iter()
            .any(|f| f.kind == crate::model::FindingKind::ReadsNotLogged)
        {
            t.inputs
                .iter()
                .filter(|i| i.kind.contains("event-selectors"))
                .map(|i| i.path.to_string())
                .collect()
        } else {
            Vec::new()
        },
        unseen: crate::report::content::reads_unseen::why(t),
        logging_reduced: crate::report::content::reads_unseen::logging_reduced(t),
        unseen_others: crate::report::content::reads_unseen::others_sentence(t),
        decoy_changed: t
            .findings
            .iter()
            .filter(|f| f.kind == crate::model::FindingKind::HoneytokenChanged)
            .flat_map(|f| f.event_ids.iter().cloned())
            .collect(),
        decoy_batch_deletes: t
            .findings
            .iter()
            .filter(|f| f.kind == crate::model::FindingKind::DecoyBucketBatchDelete)
            .flat_map(|f| f.event_ids.iter().cloned())
            .collect(),
        unnamed_reads: t
            .findings
            .iter()
            .filter(|f| f.kind == crate::model::FindingKind::UnnamedRead)
            .flat_map(|f| f.event_ids.iter().cloned())
            .collect(),
        decrypts_without_read: t
            .findings
            .iter()
            .filter(|f| f.kind == crate::model::FindingKind::DecryptWithoutRead)
            .flat_map(|f| f.event_ids.iter().cloned())
            .collect(),
        containment: ids(EntryKind::Containment),
        deny_policy: t.incidents.iter().any(|i| {
            i.containment
                .iter()
                .any(|a| a.kind == ContainmentKind::DenyPolicy && a.outcome == "success")
        }),
        blocking,
        blocking_kinds,
        cut_effect: super::cut_effect::cut_effect(t),
        achieved: super::achieved::achieved(t),
        active_keys,
        alarms,
        alarm_actions,
        alarm_topics,
        transitions_summary_only,
        actions_summary_only,
        killswitch_topics,
        results_received,
        rule_metrics: t
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::RuleTriggered)
            .map(|e| e.event_id.clone())
            .collect(),
        notifications,
        filters: t
            .detection
            .filters
            .iter()
            .map(|f| format!("{} ({})", f.name, path(f.origin.input)))
            .collect(),
        incidents: t.incidents.iter().map(|i| i.id.clone()).collect(),
        gaps: t.gaps.len(),
        integrity_verified: integrity.verified,
        log_files: integrity.log_files,
        log_files_verified: integrity.log_files_verified,
        digest_problems: integrity
            .problem_groups
            .iter()
            .filter(|g| g.kind.starts_with("digest "))
            .map(|g| g.files)
            .sum(),
        reads_succeeded: t.incidents.iter().map(|i| i.impact.reads_succeeded).sum(),
        reads_with_error: t.incidents.iter().map(|i| i.impact.reads_with_error).sum(),
        reads_denied: t.incidents.iter().map(|i| i.impact.reads_denied).sum(),
        reads_all_refusals: t
            .incidents
            .iter()
            .flat_map(|i| &i.impact.read_errors)
            .all(|c| crate::model::refusal_code(c)),
        indirect_only: !t.incidents.is_empty() && t.incidents.iter().all(|i| i.indirect_only()),
        sample_test_key: integrity.sample_test_key,
        integrity_problems: integrity.problem_groups.iter().map(|g| g.files).sum(),
        manifests: integrity.acquisitions.len(),
        verify_reports: integrity.reports.len(),
        acquired: t
            .inputs
            .iter()
            .filter(|i| i.kind != MANIFEST_KIND)
            .filter(|i| integrity.custody.contains_key(&*i.path))
            .count(),
        collector_recorded: t
            .inputs
            .iter()
            .filter(|i| i.kind != MANIFEST_KIND)
            .filter(|i| {
                integrity
                    .custody
                    .get(&*i.path)
                    .is_some_and(|c| c.collector_recorded)
            })
            .count(),
        // The case's own manifest cannot list itself: it is the acquisition record, not an
        // input whose provenance is missing.
        inputs: t
            .inputs
            .iter()
            .filter(|i| i.kind != MANIFEST_KIND)
            .map(|i| i.path.to_string())
            .collect(),
    }
}

/// The start of a row's statement when no CloudTrail record was examined: the row is not
/// evidenced because nothing was looked at, not because the evidence shows a failure.
pub(super) const NOT_EXAMINED: &str = "Not examined: no CloudTrail record was examined";

/// `v`'s first `n` items and "and N more", one more listed whole
/// ([`crate::report::content::reads_unseen::first`]).
pub(super) fn first(v: &[String], n: usize) -> Vec<String> {
    crate::report::content::reads_unseen::first(v, n)
}

pub(super) fn yn(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}
