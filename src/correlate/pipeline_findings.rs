//! Findings about changes to monitoring resources, worded by what the records show: a change to
//! a piece of the detection pipeline (named by the configuration or the collected
//! configuration), a trail stopped, deleted or narrowed whichever it is, and a change to an
//! alarm, rule, log group... whose membership of the pipeline is unknown. A change to a resource
//! known not to be the pipeline's raises none.

use crate::classify::{pipeline_names, Classifier, Membership};
use crate::model::{Event, Finding, FindingKind};
use crate::parse::RecordView;

/// Whose calls the findings are about: the incident's actor, every other principal, or (with no
/// incident, so no actor to tell them from) every principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Actor,
    Others,
    Anyone,
}

/// The calls on monitoring resources among `events`, by what they are to the pipeline and
/// whether they succeeded.
#[derive(Default)]
struct Calls<'e> {
    pipeline: Vec<&'e Event>,
    pipeline_failed: Vec<&'e Event>,
    blinding: Vec<&'e Event>,
    blinding_failed: Vec<&'e Event>,
    unknown: Vec<&'e Event>,
    unknown_failed: Vec<&'e Event>,
}

fn sort<'e>(events: &[&'e Event], classifier: &Classifier) -> Calls<'e> {
    let mut c = Calls::default();
    for e in events {
        let Ok(v) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        if classifier.is_killswitch(&v) || !classifier.is_pipeline_call(&v) {
            continue;
        }
        let failed = v.failure().is_some();
        if !failed && !v.succeeded() {
            continue;
        }
        let list = match (classifier.membership(&v), failed) {
            (Some(Membership::Pipeline), false) => &mut c.pipeline,
            (Some(Membership::Pipeline), true) => &mut c.pipeline_failed,
            (Some(Membership::Blinding), false) => &mut c.blinding,
            (Some(Membership::Blinding), true) => &mut c.blinding_failed,
            (Some(Membership::Unknown), false) => &mut c.unknown,
            (Some(Membership::Unknown), true) => &mut c.unknown_failed,
            (Some(Membership::Other), _) => continue,
            // A change to the pipeline's own secret or parameter (a honeytoken's is not one).
            (None, false) => &mut c.pipeline,
            (None, true) => &mut c.pipeline_failed,
        };
        list.push(*e);
    }
    c
}

/// `api on noun id` for each distinct call, with the error of a failed one:
/// `monitoring:DeleteAlarms on alarm cpu-mon`, `cloudtrail:StopLogging on trail t (AccessDenied)`.
fn described(events: &[&Event]) -> String {
    let mut v: Vec<String> = events
        .iter()
        .map(|e| {
            let call = RecordView::parse(e.raw.get())
                .map(|v| pipeline_names::described(&e.action(), &v))
                .unwrap_or_else(|_| e.action());
            if e.succeeded() {
                call
            } else {
                format!("{call} ({})", e.outcome())
            }
        })
        .collect();
    v.sort();
    // The same call on the same resource more than once (two records, or two copies of one
    // eventID with different content) is said once, with how many records say it.
    let mut out: Vec<String> = Vec::new();
    for group in v.chunk_by(|a, b| a == b) {
        out.push(match group.len() {
            1 => group[0].clone(),
            n => format!("{} ({n} records)", group[0]),
        });
    }
    out.join(", ")
}

/// The eventIDs of `events`, each once, in their order (two records may share one).
fn ids(events: &[&Event]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    events
        .iter()
        .filter(|e| seen.insert(e.event_id.as_str()))
        .map(|e| e.event_id.clone())
        .collect()
}

/// Why the pipeline membership of `events`' resources is unknown, kind by kind: the record
/// names none, or nothing names the pipeline's resources of that kind.
fn unknown_why(events: &[&Event]) -> String {
    let mut unnamed = std::collections::BTreeSet::new();
    let mut unlisted = std::collections::BTreeSet::new();
    for e in events {
        let Ok(v) = RecordView::parse(e.raw.get()) else {
            continue;
        };
        match pipeline_names::named_piece(&v) {
            Some((kind, ids)) if ids.is_empty() => unnamed.insert(kind.noun()),
            Some((kind, _)) => unlisted.insert(kind.noun()),
            None => false,
        };
    }
    let mut why = Vec::new();
    if !unnamed.is_empty() {
        let v: Vec<&str> = unnamed.into_iter().collect();
        why.push(format!("a record names no {}", v.join(" or ")));
    }
    if !unlisted.is_empty() {
        let v: Vec<String> = unlisted.into_iter().map(|n| format!("{n}s")).collect();
        why.push(format!(
            "neither trailcase.toml's [detection] nor the collected configuration names the pipeline's {}",
            v.join(", ")
        ));
    }
    format!(
        "whether they are part of the detection pipeline is unknown ({})",
        why.join("; ")
    )
}

const BLINDING_WHY: &str = "no evidence shows that the trail feeds the detection pipeline, but CloudTrail records less either way";

/// Whether any of `events` is a call on a trail's S3 bucket (a lifecycle rule that expires
/// objects, the bucket deleted), not on the trail: the findings then say so.
fn on_trail_bucket(events: &[&Event]) -> bool {
    events.iter().any(|e| e.event_source == "s3.amazonaws.com")
}

/// The blinding findings' words for `events`: what was done (as "stopped, deleted or narrowed
/// a trail" says it) and why it matters, with the calls on a trail's bucket said as such.
fn blinding_words(events: &[&Event]) -> (&'static str, &'static str, &'static str) {
    if on_trail_bucket(events) {
        (
            "stopped, deleted or narrowed a trail, or deleted its S3 bucket or set it to expire objects",
            "stop, delete or narrow a trail, or delete its S3 bucket or set it to expire objects",
            "no evidence shows that the trail feeds the detection pipeline, but CloudTrail records or keeps less either way",
        )
    } else {
        (
            "stopped, deleted or narrowed a trail",
            "stop, delete or narrow a trail",
            BLINDING_WHY,
        )
    }
}

/// The findings on `events`' changes to monitoring resources, by `whose` calls they are.
pub fn findings(events: &[&Event], classifier: &Classifier, whose: Whose) -> Vec<Finding> {
    let c = sort(events, classifier);
    let mut out = Vec::new();
    let mut push = |kind, severity, summary: String, events: &[&Event]| {
        if !events.is_empty() {
            out.push(Finding {
                kind,
                severity,
                summary,
                event_ids: ids(events),
            });
        }
    };
    let (did, _, why) = blinding_words(&c.blinding);
    let (_, tried_to, _) = blinding_words(&c.blinding_failed);
    match whose {
        Whose::Actor => {
            push(
                FindingKind::PipelineTampering,
                "high",
                format!(
                    "the actor changed the monitoring pipeline: {}",
                    described(&c.pipeline)
                ),
                &c.pipeline,
            );
            push(
                FindingKind::PipelineTampering,
                "medium",
                format!(
                    "the actor tried to change the monitoring pipeline and failed (nothing changed): {}",
                    described(&c.pipeline_failed)
                ),
                &c.pipeline_failed,
            );
            push(
                FindingKind::LoggingReduced,
                "high",
                format!("the actor {did}: {}; {why}", described(&c.blinding)),
                &c.blinding,
            );
            push(
                FindingKind::LoggingReduced,
                "medium",
                format!(
                    "the actor tried to {tried_to} and failed (nothing changed): {}",
                    described(&c.blinding_failed)
                ),
                &c.blinding_failed,
            );
            push(
                FindingKind::MonitoringChange,
                "medium",
                format!(
                    "the actor changed monitoring resources: {}; {}",
                    described(&c.unknown),
                    unknown_why(&c.unknown)
                ),
                &c.unknown,
            );
            push(
                FindingKind::MonitoringChange,
                "info",
                format!(
                    "the actor tried to change monitoring resources and failed (nothing changed): {}; {}",
                    described(&c.unknown_failed),
                    unknown_why(&c.unknown_failed)
                ),
                &c.unknown_failed,
            );
        }
        Whose::Others | Whose::Anyone => {
            let by = if whose == Whose::Others {
                " by other principals"
            } else {
                ""
            };
            push(
                FindingKind::PipelineTampering,
                "medium",
                format!(
                    "{} change(s) to the monitoring pipeline{by}: {}",
                    c.pipeline.len(),
                    described(&c.pipeline)
                ),
                &c.pipeline,
            );
            push(
                FindingKind::PipelineTampering,
                "info",
                format!(
                    "{} failed attempt(s) to change the monitoring pipeline{by} (nothing changed): {}",
                    c.pipeline_failed.len(),
                    described(&c.pipeline_failed)
                ),
                &c.pipeline_failed,
            );
            push(
                FindingKind::LoggingReduced,
                "medium",
                // Counted in records, not trails: one trail may be stopped twice, and a
                // record may name a trail by name and another by ARN.
                format!(
                    "{} call(s){by} that {did}: {}; {why}",
                    c.blinding.len(),
                    described(&c.blinding)
                ),
                &c.blinding,
            );
            push(
                FindingKind::LoggingReduced,
                "info",
                format!(
                    "{} failed attempt(s){by} to {tried_to} (nothing changed): {}",
                    c.blinding_failed.len(),
                    described(&c.blinding_failed)
                ),
                &c.blinding_failed,
            );
            push(
                FindingKind::MonitoringChange,
                "info",
                format!(
                    "{} change(s) to monitoring resources{by}: {}; {}",
                    c.unknown.len(),
                    described(&c.unknown),
                    unknown_why(&c.unknown)
                ),
                &c.unknown,
            );
        }
    }
    out
}
