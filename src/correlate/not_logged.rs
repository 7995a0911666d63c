//! Reads the trail could not have recorded: the honeytokens whose reads every trail event
//! selector in the evidence (`get-event-selectors` outputs) leaves out, such as management
//! events logged `WriteOnly` for a Secrets Manager secret, or S3 data events logged only for
//! writes or for other buckets for an S3 decoy. "No honeytoken was read" would then rest on
//! records that could never hold the read: a `reads_not_logged` finding says so instead, and for
//! an S3 decoy it carries what `reads_not_examined` would add (the bucket's data events read),
//! that finding then not raised for it: one cause, said once. Pure.

use crate::classify::S3_EVENT_SOURCES;
use crate::model::{
    AnalysisSettings, ConfigEvidence, Finding, FindingKind, HoneytokenKind, HoneytokenRule,
    Incident, InputSummary, S3DataEvents,
};
use crate::rules::selectors::{may_log, SelectedCall};
use std::collections::BTreeSet;

/// The S3 object calls that return the object and are read events (`readOnly` true). A
/// `CopyObject` out of the object reads it too, but CloudTrail logs it as a write event.
const S3_READS: &[&str] = &["GetObject", "SelectObjectContent"];
const S3_TYPES: &[&str] = &[
    "AWS::S3::Object",
    "AWS::S3Express::Object",
    "AWS::S3ObjectLambda::AccessPoint",
    "AWS::S3Outposts::Object",
];

/// The honeytoken rules (indices into `settings.honeytokens`) whose reads no
/// `get-event-selectors` output in the evidence logs. None without such an output, when a read
/// of the rule's honeytoken is in the evidence anyway (an incident), or, for a secret or
/// parameter, when LookupEvents pages are among the inputs (they hold every management event,
/// whatever the trail logs) or a trail `describe-trails` lists has no selectors in the evidence
/// (it may log them).
pub fn not_logged_rules(
    settings: &AnalysisSettings,
    evidence: &ConfigEvidence,
    inputs: &[InputSummary],
    incidents: &[Incident],
) -> BTreeSet<usize> {
    if evidence.event_selectors.is_empty() {
        return BTreeSet::new();
    }
    let lookup = inputs.iter().any(|i| i.kind.contains("lookup-events"));
    let trails: Vec<&str> = evidence
        .event_selectors
        .iter()
        .filter_map(|s| s.get("TrailARN").and_then(|t| t.as_str()))
        .collect();
    // A trail `describe-trails` lists whose selectors are not in the evidence may log management
    // reads (a trail without custom selectors logs every management event): a secret's or a
    // parameter's reads are then not shown unlogged.
    let unselected_trail = evidence.trails.iter().any(|t| {
        !trails.iter().any(|arn| {
            t.arn.as_deref() == Some(*arn) || arn.ends_with(&format!(":trail/{}", t.name))
        })
    });
    settings
        .honeytokens
        .iter()
        .enumerate()
        .filter(|(_, h)| !read_in_evidence(h, incidents))
        .filter(|(_, h)| h.kind == HoneytokenKind::S3 || !(lookup || unselected_trail))
        .filter(|(_, h)| {
            let arn = object_arn(h);
            let (call, _) = read_call(h, arn.as_deref());
            !evidence.event_selectors.iter().any(|s| may_log(s, &call))
        })
        .map(|(i, _)| i)
        .collect()
}

/// A `reads_not_logged` finding for each rule of `rules` ([`not_logged_rules`]), with the
/// honeytoken it is about (as configured, `HoneytokenRule::describe`). For an S3
/// decoy it also says what the records read hold of S3 data events (`seen`): the bucket's
/// writes only (one cited), no data event at all, or other buckets' (one of each cited), what
/// the `reads_not_examined` finding would say, which is then not raised for the decoy.
pub fn reads_not_logged(
    settings: &AnalysisSettings,
    rules: &BTreeSet<usize>,
    evidence: &ConfigEvidence,
    inputs: &[InputSummary],
    seen: &S3DataEvents,
) -> Vec<(Finding, String)> {
    let files: Vec<&str> = inputs
        .iter()
        .filter(|i| i.kind.contains("event-selectors"))
        .map(|i| &*i.path)
        .collect();
    let trails: Vec<&str> = evidence
        .event_selectors
        .iter()
        .filter_map(|s| s.get("TrailARN").and_then(|t| t.as_str()))
        .collect();
    rules
        .iter()
        .filter_map(|&i| settings.honeytokens.get(i).map(|h| (i, h)))
        .map(|(i, h)| {
            let (read, event_ids) = if h.kind == HoneytokenKind::S3 {
                s3_events_read(i, seen)
            } else {
                (String::new(), Vec::new())
            };
            (
                Finding {
                    kind: FindingKind::ReadsNotLogged,
                    severity: "medium",
                    summary: summary(h, &files, &trails, &read),
                    event_ids,
                },
                h.describe(),
            )
        })
        .collect()
}

/// What the records read hold of S3 data events, for the S3 decoy of rule `i`: a clause, and
/// the eventIDs it cites.
fn s3_events_read(i: usize, seen: &S3DataEvents) -> (String, Vec<String>) {
    if let Some(id) = seen.decoy_writes.get(&i) {
        return (
            format!("; the decoy bucket's data events among the records read are writes only (eventID {id}), which show nothing of its reads"),
            vec![id.clone()],
        );
    }
    if !seen.any {
        return (
            "; none of the records read is an S3 data event".to_string(),
            Vec::new(),
        );
    }
    if seen.other_buckets.is_empty() {
        return (String::new(), Vec::new());
    }
    (
        format!(
            "; the S3 data events among the records read are of {}{} (one eventID of each cited)",
            seen.other_buckets
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            if seen.more_buckets { " and more" } else { "" }
        ),
        seen.other_buckets.values().cloned().collect(),
    )
}

/// An incident of the rule's honeytoken: its read was recorded, so some source logged it.
fn read_in_evidence(h: &HoneytokenRule, incidents: &[Incident]) -> bool {
    incidents
        .iter()
        .any(|i| crate::classify::name_matches(h.kind, &h.pattern, &i.honeytoken))
}

/// The S3 decoy's object ARN when its pattern names one object (no wildcard) in a general
/// purpose bucket: a selector's ARN condition is weighed only then (a directory bucket's ARNs
/// have another form).
fn object_arn(h: &HoneytokenRule) -> Option<String> {
    let name = h
        .pattern
        .strip_prefix("arn:aws:s3:::")
        .unwrap_or(&h.pattern);
    let bucket = name.split('/').next().unwrap_or(name);
    (h.kind == HoneytokenKind::S3
        && !name.contains(['*', '?'])
        && !name.starts_with("arn:")
        && name.contains('/')
        && !bucket.ends_with("--x-s3"))
    .then(|| format!("arn:aws:s3:::{name}"))
}

/// The read of `h` as the selectors see it (with the decoy object's `arn` when known), and the
/// events it is one of, in words.
fn read_call<'a>(h: &HoneytokenRule, arn: Option<&'a str>) -> (SelectedCall<'a>, &'static str) {
    match h.kind {
        HoneytokenKind::Secret => (
            SelectedCall {
                category: "Management",
                read_only: true,
                event_sources: &["secretsmanager.amazonaws.com"],
                event_names: &["GetSecretValue", "BatchGetSecretValue"],
                resource_types: &["AWS::SecretsManager::Secret"],
                arn: None,
            },
            "management read events (GetSecretValue is one)",
        ),
        HoneytokenKind::SsmParameter => (
            SelectedCall {
                category: "Management",
                read_only: true,
                event_sources: &["ssm.amazonaws.com"],
                event_names: &[
                    "GetParameter",
                    "GetParameters",
                    "GetParametersByPath",
                    "GetParameterHistory",
                ],
                resource_types: &["AWS::SSM::Parameter"],
                arn: None,
            },
            "management read events (GetParameter is one)",
        ),
        HoneytokenKind::S3 => (
            SelectedCall {
                category: "Data",
                read_only: true,
                event_sources: S3_EVENT_SOURCES,
                event_names: S3_READS,
                resource_types: S3_TYPES,
                arn,
            },
            "S3 read data events of the decoy's bucket (GetObject is one)",
        ),
    }
}

fn summary(h: &HoneytokenRule, files: &[&str], trails: &[&str], read: &str) -> String {
    let (_, what) = read_call(h, None);
    let (calls, after, unless) = match h.kind {
        HoneytokenKind::Secret => (
            "GetSecretValue or BatchGetSecretValue",
            " (and no LookupEvents page, which would, is among the inputs)",
            "",
        ),
        HoneytokenKind::SsmParameter => (
            "GetParameter, GetParameters, GetParametersByPath or GetParameterHistory",
            " (and no LookupEvents page, which would, is among the inputs)",
            "",
        ),
        HoneytokenKind::S3 => (
            "GetObject or SelectObjectContent",
            " (a CopyObject out of the object, which CloudTrail logs as a write event, could be)",
            " unless KMS records show S3 decrypting it",
        ),
    };
    let of = match trails {
        [] => String::new(),
        t => format!("; trail {}", t.join(", ")),
    };
    let from = match files {
        [] => "the trail's event selectors in the evidence".to_string(),
        f => format!("the trail's event selectors ({}{of})", f.join(", ")),
    };
    format!(
        "reads of {} not logged: {from} log no {what}{}{calls} of it{after}{read}: whether it was read is unknown{unless}, not \"no read\"",
        h.describe(),
        crate::model::NOT_LOGGED_SO,
    )
}
