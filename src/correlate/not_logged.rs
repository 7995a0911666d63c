//! Reads the trail could not have recorded: the honeytokens whose reads every trail event
//! selector in the evidence (`get-event-selectors` outputs) leaves out, such as management
//! events logged `WriteOnly` for a Secrets Manager secret, or S3 data events logged only for
//! writes or for other buckets for an S3 decoy. "No honeytoken was read" would then rest on
//! records that could never hold the read: a `reads_not_logged` finding says so instead. Pure.

use crate::classify::S3_EVENT_SOURCES;
use crate::model::{
    AnalysisSettings, ConfigEvidence, Finding, FindingKind, HoneytokenKind, HoneytokenRule,
    Incident, InputSummary,
};
use crate::rules::selectors::{may_log, SelectedCall};

/// The S3 object calls that return the object and are read events (`readOnly` true). A
/// `CopyObject` out of the object reads it too, but CloudTrail logs it as a write event.
const S3_READS: &[&str] = &["GetObject", "SelectObjectContent"];
const S3_TYPES: &[&str] = &[
    "AWS::S3::Object",
    "AWS::S3Express::Object",
    "AWS::S3ObjectLambda::AccessPoint",
    "AWS::S3Outposts::Object",
];

/// A finding for each honeytoken rule whose reads no `get-event-selectors` output in the
/// evidence logs. Nothing without such an output, when a read of the rule's honeytoken is in
/// the evidence anyway (an incident), or, for a secret or parameter, when LookupEvents pages
/// are among the inputs (they hold every management event, whatever the trail logs) or a trail
/// `describe-trails` lists has no selectors in the evidence (it may log them).
pub fn reads_not_logged(
    settings: &AnalysisSettings,
    evidence: &ConfigEvidence,
    inputs: &[InputSummary],
    incidents: &[Incident],
) -> Vec<Finding> {
    if evidence.event_selectors.is_empty() {
        return Vec::new();
    }
    let files: Vec<&str> = inputs
        .iter()
        .filter(|i| i.kind.contains("event-selectors"))
        .map(|i| &*i.path)
        .collect();
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
        .filter(|h| !read_in_evidence(h, incidents))
        .filter(|h| h.kind == HoneytokenKind::S3 || !(lookup || unselected_trail))
        .filter(|h| {
            let arn = object_arn(h);
            let (call, _) = read_call(h, arn.as_deref());
            !evidence.event_selectors.iter().any(|s| may_log(s, &call))
        })
        .map(|h| Finding {
            kind: FindingKind::ReadsNotLogged,
            severity: "medium",
            summary: summary(h, &files, &trails),
            event_ids: Vec::new(),
        })
        .collect()
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

fn summary(h: &HoneytokenRule, files: &[&str], trails: &[&str]) -> String {
    let (_, what) = read_call(h, None);
    let (calls, after) = match h.kind {
        HoneytokenKind::Secret => (
            "GetSecretValue or BatchGetSecretValue",
            "(and no LookupEvents page, which would, is among the inputs)",
        ),
        HoneytokenKind::SsmParameter => (
            "GetParameter, GetParameters, GetParametersByPath or GetParameterHistory",
            "(and no LookupEvents page, which would, is among the inputs)",
        ),
        HoneytokenKind::S3 => (
            "GetObject or SelectObjectContent",
            "(a CopyObject out of the object, which CloudTrail logs as a write event, could be)",
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
        "reads of {} not logged: {from} log no {what}, so the trail's records can hold no {calls} of it {after}: whether it was read is unknown, not \"no read\"",
        h.describe()
    )
}
