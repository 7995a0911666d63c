//! From kept records to incidents: who touched which honeytoken, what the detection flows and
//! the kill-switch did about it, and what a responder must see. Pure: no I/O, no clock.

pub mod actor;
mod attack;
pub mod canonical;
mod changes;
mod containment;
pub mod copies;
mod credential_scope;
mod credentials;
mod cross_account;
mod deliveries;
mod detection;
pub use detection::{detection_resources, DetectionResources};
mod access_points;
mod access_steps;
mod alarm_at;
mod alarm_links;
mod entries;
mod findings;
mod index;
mod indicators;
mod issued_credential;
mod killswitch;
pub mod neighbours;
mod not_logged;
mod partiql;
mod pipeline_findings;
mod pipeline_pieces;
mod plan;
mod reads;
pub mod replay;
pub mod response;
mod response_steps;
mod spec_alarm;
mod value_reads;

use crate::classify::keys::{self, KeyIndex};
use crate::classify::Classifier;
use crate::model::{AnalysisSettings, OTHER_READING_ARN, UNSETTLED_SECRET_ARN};
use crate::model::{
    ConfigEvidence, Event, Finding, FirstAccessKind, Gap, Incident, KillSwitchRun, Latencies,
    Milestones, Origin, RecordCopy, TimelineEntry,
};
use actor::{AccessGroup, ActorPlan};
use containment::KillSwitchCalls;
use index::EventIndex;

/// The principals whose every record the second pass must collect.
pub fn plan(settings: &AnalysisSettings, events: &[Event], keys: &KeyIndex) -> Vec<ActorPlan> {
    let classifier = Classifier::new(settings).knowing(events);
    let index = EventIndex::new(events);
    actor::groups(&classifier, events)
        .into_iter()
        .map(|g| actor::plan_for(g, &index, keys))
        .collect()
}

pub use not_logged::{not_logged_rules, reads_not_logged};
pub use reads::{copies_out, reads_not_examined};

/// What the correlation concludes.
#[derive(Debug, Default)]
pub struct Correlation {
    pub incidents: Vec<Incident>,
    pub findings: Vec<Finding>,
    /// The configured honeytokens whose reads could not be seen, and the finding saying why
    /// (filled after the correlation, with those findings).
    pub unseen_reads: Vec<crate::model::UnseenReads>,
    pub entries: Vec<TimelineEntry>,
    pub killswitch: Vec<KillSwitchRun>,
    /// The pieces of the collected configuration that make up the two detection flows.
    pub detection: crate::model::DetectionResources,
}

/// Build incidents, case findings and timeline rows. `events` must be sorted and deduplicated.
pub fn correlate(
    settings: &AnalysisSettings,
    plans: &[ActorPlan],
    events: &[Event],
    evidence: &ConfigEvidence,
    gaps: &[Gap],
    nearby: &neighbours::Nearby,
) -> Correlation {
    let flows = detection::Flows::new(settings, evidence, &settings.honeytokens);
    let classifier = Classifier::new(settings)
        .knowing(events)
        .with_pipeline(pipeline_pieces::pipeline_names(settings, evidence, &flows));
    let window_ms = settings.detection.window_ms();
    let index = EventIndex::new(events);
    let calls = KillSwitchCalls::new(events, &classifier);
    let who = settings.killswitch.describe();
    let nearby = neighbours::NearbyIndex::new(nearby);
    let cx = IncidentContext {
        nearby: &nearby,
        index: &index,
        calls: &calls,
        classifier: &classifier,
        flows: &flows,
        window_ms,
        who: &who,
    };
    let mut incidents: Vec<Incident> = plans
        .iter()
        .enumerate()
        .map(|(n, plan)| build_incident(n, plan, &cx))
        .collect();
    let unread = reads::corroborate(plans, &mut incidents, &index, &classifier);
    let mut findings = findings::case_findings(
        &incidents,
        &index,
        &classifier,
        &flows,
        evidence,
        gaps,
        window_ms,
    );
    findings.extend(unread);
    findings.extend(reads::unnamed(&index, &classifier));
    findings.extend(reads::bucket_decrypts(&index, &classifier));
    findings.extend(access_points::unknown_bucket_reads(&index, &classifier));
    findings.extend(changes::honeytoken_changes(&index, &classifier));
    let runs = killswitch::runs(
        &evidence.killswitch_reports,
        &calls,
        &incidents,
        window_ms,
        &who,
    );
    killswitch::place(&runs, &mut incidents, &mut findings);
    killswitch::unconfirmed(&runs, &mut incidents, &index, &who);
    findings.extend(killswitch::unmatched(
        &who,
        &calls,
        &evidence.killswitch_reports,
        &mut incidents,
        events,
        window_ms,
    ));
    findings.extend(findings::posture_findings(evidence));
    let mut entries = entries::build(&incidents, &index, &classifier, evidence, &flows);
    entries::add_killswitch_rows(&mut entries, &runs);
    Correlation {
        incidents,
        findings,
        unseen_reads: Vec::new(),
        entries,
        killswitch: runs,
        detection: detection_model(settings, evidence),
    }
}

/// The `unknowns` entry of a read that names the secret by `arn`, whose last seven characters
/// `-{suffix}` may be the honeytoken's random suffix or the end of another secret's name.
fn unsettled_arn(arn: &str, suffix: &str, honeytoken: &str) -> String {
    let other = arn.split_once(":secret:").map_or(arn, |(_, name)| name);
    format!(
        "{UNSETTLED_SECRET_ARN} {arn}; that `{suffix}` is the honeytoken's own random suffix, \
         and not the end of the name of a secret named {other}, is not shown by the evidence \
         (no record in it gives the full ARN of {honeytoken} in that account and region)"
    )
}

/// The `unknowns` entry of a read that names the honeytoken only by the other reading of `arn`
/// (`classify::other_reading`): the ARN could name the honeytoken or `other`.
fn other_reading(
    kind: crate::model::HoneytokenKind,
    arn: &str,
    other: &str,
    honeytoken: &str,
) -> String {
    let why = match kind {
        crate::model::HoneytokenKind::SsmParameter => format!(
            "a parameter's ARN is written the same for the name with and without a leading `/`, \
             so it may be the honeytoken parameter {honeytoken} or the parameter {other}"
        ),
        _ => format!(
            "a call may name a secret by a partial ARN (its name without the random suffix), so it \
             may be the honeytoken {honeytoken} named by its whole name, or the full ARN of a \
             secret named {other} whose random suffix is its last six characters"
        ),
    };
    format!(
        "{OTHER_READING_ARN} {arn} could name the honeytoken or another resource: {why}. The \
         call is counted as a read of the honeytoken (missing a read of the decoy would be a \
         false all-clear); which resource it read, the evidence does not show"
    )
}

/// Fill the incident's severity, eradication steps and recommendations: once every finding of
/// the incident is known (after the replay).
pub fn respond(inc: &mut Incident) {
    let (severity, basis) = response::severity(inc);
    inc.severity = severity;
    inc.severity_basis = basis;
    inc.eradication = response_steps::eradication(inc);
    inc.recommendations = response_steps::recommendations(inc);
}

/// [`detection_resources`] as the model keeps it: owned, for the outputs to read.
fn detection_model(
    settings: &AnalysisSettings,
    evidence: &ConfigEvidence,
) -> crate::model::DetectionResources {
    let d = detection_resources(settings, evidence);
    crate::model::DetectionResources {
        filters: d.filters.into_iter().cloned().collect(),
        alarms: d.alarms.into_iter().cloned().collect(),
        rules: d.rules.into_iter().cloned().collect(),
    }
}

/// What every incident is built from, prepared once.
struct IncidentContext<'a, 'e> {
    index: &'a EventIndex<'e>,
    nearby: &'a neighbours::NearbyIndex<'a>,
    calls: &'a KillSwitchCalls<'e>,
    classifier: &'a Classifier,
    flows: &'a detection::Flows<'a>,
    window_ms: i64,
    /// Who counts as the kill-switch, in words (`KillSwitchIdentity::describe`).
    who: &'a str,
}

fn build_incident(n: usize, plan: &ActorPlan, cx: &IncidentContext<'_, '_>) -> Incident {
    let IncidentContext {
        index,
        nearby,
        calls,
        classifier,
        flows,
        window_ms,
        who,
    } = *cx;
    let AccessGroup {
        honeytoken,
        shown,
        rule,
        origins,
        unsettled,
        other_readings,
        ..
    } = &plan.group;
    let access_events: Vec<&Event> = origins.iter().filter_map(|&o| index.at(o)).collect();
    let first_access = access_events.iter().map(|e| e.time).min();
    let last_access = access_events.iter().map(|e| e.time).max();
    // Every record of the actor, each delivery of a cross-account call included (`own_rows`,
    // `derived_rows`: the incident's rows), and its calls, each counted once (`own`, `derived`:
    // what the incident says the actor did).
    let own_rows: Vec<&Event> = index.own(plan);
    let derived_rows: Vec<&Event> = index.derived(plan);
    let deliveries = later_deliveries(plan, &own_rows, &derived_rows);
    let once = |e: &&Event| {
        deliveries
            .binary_search_by(|d| d.event_id.as_str().cmp(&e.event_id))
            .is_err()
    };
    let own: Vec<&Event> = own_rows.iter().copied().filter(once).collect();
    let derived: Vec<&Event> = derived_rows.iter().copied().filter(once).collect();
    // Every delivery names the actor: CloudTrail's updated copy of a read may be the only
    // record that names it rightly (its addendum updates `userIdentity`).
    let actor = actor::describe(plan, &own_rows);
    // Records that disagree on the caller's account establish none to cross from.
    let cross_account =
        cross_account::cross_account(actor.established_account(), shown, &access_events);

    // T as the records show it: every honeytoken call at T failed (refused or otherwise) is an
    // attempt, not a read.
    let at_t_failed = first_access.is_some_and(|t| {
        access_events
            .iter()
            .filter(|e| e.time == t)
            .all(|e| !e.succeeded())
    });
    // Of those, one failed with an error no access check gives: failed, not refused.
    let first_access_failed = at_t_failed
        && first_access.is_some_and(|t| {
            access_events.iter().filter(|e| e.time == t).any(|e| {
                e.error_code
                    .as_deref()
                    .is_some_and(|c| !crate::model::refusal_code(c))
            })
        });
    let first_access_kind = match (at_t_failed, access_events.iter().any(|e| e.succeeded())) {
        (false, _) => FirstAccessKind::Read,
        (true, false) => FirstAccessKind::Attempt,
        (true, true) => FirstAccessKind::AttemptThenRead,
    };
    let mut m = Milestones {
        first_access,
        last_access,
        first_access_kind,
        first_access_failed,
        ..Default::default()
    };
    m.first_actor_activity = own.iter().chain(derived.iter()).map(|e| e.time).min();
    let mut unknowns: Vec<String> = unsettled
        .iter()
        .map(|(arn, suffix)| unsettled_arn(arn, suffix, honeytoken))
        .chain(other_readings.iter().map(|(arn, other)| {
            other_reading(classifier.rules()[*rule].kind, arn, other, honeytoken)
        }))
        .collect();
    let odd = actor.inconsistent_keys();
    if !odd.is_empty() {
        unknowns.push(format!(
            "access key: the records of {} ({}) carry the long-term access key id(s) {} (AKIA…), where such an identity's keys are temporary (ASIA…): the records disagree, so whether a user's long-term key or the session's temporary key was used is not known, and no step replaces the key on this evidence",
            actor.arn,
            actor.kind,
            odd.join(", ")
        ));
    }

    if let Some(d) = actor.account_disagrees() {
        unknowns.push(format!(
            "account: {d}; which AWS account the credential is of is not known (actor.account_id is the records' userIdentity.accountId, no more), so no crossing of accounts is stated and the steps name the principal by its ARN"
        ));
    }

    if let Some(d) = actor.issuer_disagrees() {
        unknowns.push(format!(
            "role: {d}, so which role a policy must go on to cut {} is not known; the steps name the role of the session's ARN",
            actor.arn
        ));
    }

    let containment = first_access
        .map(|t| calls.actions(&actor, t, window_ms))
        .unwrap_or_default();
    let effective = containment::effective(&containment);
    m.containment_start = effective.first().map(|c| c.time);
    m.containment_complete = containment::complete(&containment);
    let deny_time = containment::blocking_time(&containment);
    if containment.is_empty() {
        unknowns.push(format!("containment: no call on this actor by {who}"));
    } else if m.containment_complete.is_none() {
        unknowns.push("containment_complete: no containment call succeeded".to_string());
    }

    if let Some(t) = first_access {
        let f1 = flows.flow1(t, window_ms);
        m.flow1_alarm = f1.alarm;
        m.flow1_notification = f1.notification;
        m.flow1_alarm_basis = f1.basis;
        m.flow1_unlinked_alarms = f1.unlinked;
        m.flow1_linked_now = f1.linked_now;
        m.flow1_link_missing = f1.link_missing;
        unknowns.extend(f1.unknown);
        let first_kill = containment.first().map(|c| c.time);
        let f2 = flows.flow2(
            t,
            first_access_kind.noun(first_access_failed),
            window_ms,
            first_kill,
        );
        m.flow2_triggered = f2.time;
        m.flow2_evidence = f2.evidence;
        unknowns.extend(f2.unknown);
    }
    let all_actor = || own.iter().chain(derived.iter());
    m.last_actor_success = all_actor().filter(|e| e.succeeded()).map(|e| e.time).max();
    if let Some(d) = deny_time {
        containment::after_cut(&mut m, &own, &derived, d);
    }

    let (containment_status, mut live_credentials) =
        credentials::assess(&m, &plan.derived, &containment, deny_time);
    for c in &mut live_credentials {
        let used = credentials::used_after(
            &c.access_key_id,
            c.session_arn.as_deref(),
            &derived,
            deny_time,
        );
        c.last_success_after_containment = used.map(|e| e.time).max();
        let mut refused: Vec<&Event> = credentials::refused_after(
            &c.access_key_id,
            c.session_arn.as_deref(),
            &derived,
            deny_time,
        )
        .collect();
        refused.sort_by(|a, b| a.time.cmp(&b.time).then(a.event_id.cmp(&b.event_id)));
        c.refused_after_containment = refused.len() as u64;
        c.first_refused_after_containment = refused.first().map(|e| e.event_id.clone());
    }
    let exposure_end = match credentials::exposure_end(&m, &live_credentials) {
        Ok(end) => end,
        Err(open_ended) => {
            unknowns.push(open_ended);
            None
        }
    };
    let latency_seconds = latencies(&m, exposure_end);
    let same_address = nearby.same_address(plan, deny_time);
    let mut incident_findings = findings::incident_findings(
        &m,
        &own,
        &derived,
        &containment,
        deny_time,
        plan,
        flows,
        classifier,
        who,
    );
    incident_findings.extend(neighbours::finding(&same_address, deny_time.is_some()));
    incident_findings.extend(reads::indirect(&access_events, shown));
    let mut records: Vec<(crate::model::Timestamp, &str, Origin)> = own_rows
        .iter()
        .chain(derived_rows.iter())
        .map(|e| e.sort_key())
        .chain(
            containment
                .iter()
                .map(|c| (c.time, c.event_id.as_str(), c.origin)),
        )
        .collect();
    records.sort();
    records.dedup();
    let mut seen = std::collections::HashSet::new();
    let event_ids: Vec<String> = records
        .iter()
        .filter(|r| seen.insert(r.1))
        .map(|r| r.1.to_string())
        .collect();
    let record_origins: Vec<Origin> = records.iter().map(|r| r.2).collect();
    let mut sorted_access = access_events.clone();
    sorted_access.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut access_event_ids: Vec<String> =
        sorted_access.iter().map(|e| e.event_id.clone()).collect();
    access_event_ids.dedup();
    let access_records = sorted_access
        .iter()
        .map(|e| RecordCopy {
            event_id: e.event_id.clone(),
            origin: e.origin,
            conflicting: false,
        })
        .collect();
    let issues: Vec<&keys::KeyIssue> = plan.origins.iter().chain(&plan.derived).collect();
    let indicators = indicators::collect(
        &own,
        &derived,
        &access_event_ids,
        &issues,
        &live_credentials,
    );
    Incident {
        id: format!("INC-{:03}", n + 1),
        honeytoken: shown.clone(),
        honeytoken_name: honeytoken.clone(),
        honeytoken_rule: classifier.rules()[*rule].describe(),
        actor,
        cross_account,
        alarm_evidence: flows.alarm_evidence(first_access, window_ms),
        milestones: m,
        latency_seconds,
        access_event_ids,
        access_records,
        corroboration: Vec::new(),
        deliveries,
        containment,
        containment_status,
        live_credentials,
        same_address,
        indicators,
        attack: attack::collect(own.iter().chain(derived.iter()).copied()),
        event_ids,
        findings: incident_findings,
        unknowns,
        severity: Default::default(),
        severity_basis: String::new(),
        impact: response::impact(&access_events, honeytoken, all_actor().copied()),
        eradication: Vec::new(),
        recommendations: Vec::new(),
        origins: record_origins,
    }
}

/// The actor's records that are another account's delivery of a call already counted: of a
/// honeytoken read (the group's), or of any other call (see [`deliveries`]); sorted by eventID.
fn later_deliveries(
    plan: &ActorPlan,
    own: &[&Event],
    derived: &[&Event],
) -> Vec<crate::model::Delivery> {
    let mut all: Vec<&Event> = own.iter().chain(derived).copied().collect();
    all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    all.dedup_by(|a, b| std::ptr::eq(*a, *b));
    // CloudTrail's updated copies among them, by eventID: their addendum names what they update.
    let updates: std::collections::HashMap<&str, (&str, deliveries::Addendum)> =
        deliveries::updated_copies(all.iter().copied())
            .into_iter()
            .map(|(original, copy, a)| (copy.event_id.as_str(), (original.event_id.as_str(), a)))
            .collect();
    let pair = |event_id: &str, counted_as: &str| crate::model::Delivery {
        event_id: event_id.to_string(),
        counted_as: counted_as.to_string(),
        updates: updates
            .get(event_id)
            .filter(|(original, _)| *original == counted_as)
            .map(|(_, a)| crate::model::Updates {
                reason: a.reason.clone(),
                updated_fields: a.updated_fields.clone(),
            }),
    };
    let mut out: Vec<crate::model::Delivery> = deliveries::later_deliveries(all)
        .into_iter()
        .map(|(later, counted)| pair(later, counted))
        .chain(
            plan.group
                .delivered_twice
                .iter()
                .chain(&plan.group.updated_copies)
                .map(|(counted, later)| pair(later, counted)),
        )
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.event_id == b.event_id);
    out
}

fn latencies(m: &Milestones, exposure_end: Option<crate::model::Timestamp>) -> Latencies {
    let since = |t: Option<crate::model::Timestamp>| Some(m.first_access?.seconds_until(t?));
    Latencies {
        flow1_detect: since(m.flow1_alarm),
        flow2_detect: since(m.flow2_triggered),
        contain: since(m.containment_complete),
        exposure: since(exposure_end),
    }
}
