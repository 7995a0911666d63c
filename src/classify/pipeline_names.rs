//! Whether a call that changes monitoring resources changed the detection pipeline: the
//! resource the record names (an alarm's `alarmNames`, a rule's `name`, a `logGroupName`, a
//! trail's `name`, which may be an ARN...) against the pipeline's pieces as the configuration
//! names them or the collected configuration shows them ([`PipelineNames`]).
//!
//! A trail's S3 bucket is weighed apart: a call that can delete the trail's log files there
//! (`classify/trail_bucket.rs`) reduces what CloudTrail keeps, whichever trail it is; any
//! other call on a bucket is none of the pipeline's.
//!
//! Plain data and pure functions over one record: imports `model`, `parse`,
//! `classify/trail_settings.rs` and `classify/trail_bucket.rs` only.

use super::trail_bucket;
use super::trail_settings::{insights_turned_off, update_trail_reductions};
use crate::model::DetectionSettings;
use crate::parse::RecordView;
use serde_json::Value;
use std::collections::BTreeSet;

/// The kind of monitoring resource a pipeline-changing call acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PieceKind {
    Trail,
    Alarm,
    MetricFilter,
    LogGroup,
    Rule,
    Topic,
    Function,
    /// The S3 bucket a trail delivers its log files to.
    TrailBucket,
}

impl PieceKind {
    /// The resource's name as a sentence says it: "alarm", "log group"...
    pub fn noun(self) -> &'static str {
        match self {
            PieceKind::Trail => "trail",
            PieceKind::Alarm => "alarm",
            PieceKind::MetricFilter => "metric filter",
            PieceKind::LogGroup => "log group",
            PieceKind::Rule => "rule",
            PieceKind::Topic => "topic",
            PieceKind::Function => "function",
            PieceKind::TrailBucket => "trail bucket",
        }
    }
}

/// The detection pipeline's pieces by name (and ARN where one is known), each kind from the
/// configuration (`[detection]`) or the collected configuration. A kind with no name is not
/// known: a change to a resource of that kind may or may not be the pipeline's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PipelineNames {
    pub trails: BTreeSet<String>,
    pub alarms: BTreeSet<String>,
    pub metric_filters: BTreeSet<String>,
    pub log_groups: BTreeSet<String>,
    pub rules: BTreeSet<String>,
    pub topics: BTreeSet<String>,
    pub functions: BTreeSet<String>,
    /// The S3 buckets of every trail in the collected configuration (`S3BucketName`), the
    /// pipeline's or not.
    pub trail_buckets: BTreeSet<String>,
}

impl PipelineNames {
    fn of(&self, kind: PieceKind) -> &BTreeSet<String> {
        match kind {
            PieceKind::Trail => &self.trails,
            PieceKind::Alarm => &self.alarms,
            PieceKind::MetricFilter => &self.metric_filters,
            PieceKind::LogGroup => &self.log_groups,
            PieceKind::Rule => &self.rules,
            PieceKind::Topic => &self.topics,
            PieceKind::Function => &self.functions,
            PieceKind::TrailBucket => &self.trail_buckets,
        }
    }

    /// The pieces `[detection]` names.
    pub fn configured(d: &DetectionSettings) -> Self {
        let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<String>>();
        PipelineNames {
            trails: set(&d.trails),
            alarms: set(&d.alarms),
            metric_filters: set(&d.metric_filters),
            log_groups: set(&d.log_groups),
            rules: set(&d.rules),
            topics: set(&d.topics),
            functions: BTreeSet::new(),
            trail_buckets: BTreeSet::new(),
        }
    }

    /// Adds every name of `other`.
    pub fn extend(&mut self, other: PipelineNames) {
        self.trails.extend(other.trails);
        self.alarms.extend(other.alarms);
        self.metric_filters.extend(other.metric_filters);
        self.log_groups.extend(other.log_groups);
        self.rules.extend(other.rules);
        self.topics.extend(other.topics);
        self.functions.extend(other.functions);
        self.trail_buckets.extend(other.trail_buckets);
    }

    /// Whether the resource `id` of `kind` (a name or an ARN, as the record gives it) is one of
    /// the pipeline's.
    fn contains(&self, kind: PieceKind, id: &str) -> bool {
        let short = short_name(kind, id);
        self.of(kind).iter().any(|known| {
            known == id
                || short_name(kind, known) == short
                // An SNS subscription's ARN is its topic's ARN and an id.
                || (kind == PieceKind::Topic && id.starts_with(&format!("{known}:")))
        })
    }
}

/// A resource's name without its ARN: `arn:aws:cloudtrail:…:trail/NAME` → `NAME`,
/// `arn:aws:logs:…:log-group:NAME:*` → `NAME`, `arn:aws:lambda:…:function:NAME:QUALIFIER` →
/// `NAME`, an alarm's, rule's or topic's ARN → its last part.
fn short_name(kind: PieceKind, id: &str) -> String {
    if !id.starts_with("arn:") {
        return match kind {
            // A function named `NAME:QUALIFIER` (a version or alias).
            PieceKind::Function => id.split(':').next().unwrap_or(id).to_string(),
            _ => id.to_string(),
        };
    }
    let resource = id.splitn(6, ':').nth(5).unwrap_or(id);
    let name = match kind {
        PieceKind::LogGroup => resource
            .strip_prefix("log-group:")
            .map(|r| r.strip_suffix(":*").unwrap_or(r))
            .unwrap_or(resource),
        PieceKind::Function => resource
            .strip_prefix("function:")
            .and_then(|r| r.split(':').next())
            .unwrap_or(resource),
        PieceKind::Alarm => resource.strip_prefix("alarm:").unwrap_or(resource),
        _ => resource.rsplit('/').next().unwrap_or(resource),
    };
    name.to_string()
}

/// What a pipeline-changing call is to the detection pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// It names a piece of the pipeline.
    Pipeline,
    /// It stops, deletes or narrows a trail that is not known to be the pipeline's, or can
    /// delete a trail's log files from its S3 bucket: evidence of blinding CloudTrail,
    /// whichever trail it is.
    Blinding,
    /// It names resources of a kind whose pipeline pieces are known, none of them the pipeline's.
    Other,
    /// The record names no resource, or the pipeline's pieces of its kind are not known.
    Unknown,
}

/// The kind of resource a pipeline-changing API acts on, and the parameters that name it.
fn piece_of(source: &str, name: &str) -> Option<(PieceKind, &'static [&'static str])> {
    Some(match source {
        "cloudtrail.amazonaws.com" => (PieceKind::Trail, &["name", "trailName"]),
        "monitoring.amazonaws.com" => (PieceKind::Alarm, &["alarmNames", "alarmName"]),
        "logs.amazonaws.com" if name.contains("MetricFilter") => {
            (PieceKind::MetricFilter, &["filterName"])
        }
        "logs.amazonaws.com" => (PieceKind::LogGroup, &["logGroupName", "logGroupIdentifier"]),
        "events.amazonaws.com" => (PieceKind::Rule, &["name", "rule"]),
        "sns.amazonaws.com" => (PieceKind::Topic, &["topicArn", "subscriptionArn"]),
        "lambda.amazonaws.com" => (PieceKind::Function, &["functionName"]),
        "s3.amazonaws.com" => (PieceKind::TrailBucket, &["bucketName"]),
        _ => return None,
    })
}

/// Trail calls that stop, delete or narrow what CloudTrail records; an `UpdateTrail` does when
/// it sets a setting of [`update_trail_reductions`].
const BLINDING: &[&str] = &["StopLogging", "DeleteTrail", "PutEventSelectors"];

/// The monitoring resource a pipeline-changing call names: its kind and the names or ARNs as
/// the record gives them (empty when the record names none), sorted.
pub fn named_piece(view: &RecordView<'_>) -> Option<(PieceKind, Vec<String>)> {
    let source = view.event_source.as_str()?;
    let name = view.event_name.as_str()?;
    let (kind, keys) = piece_of(source, name)?;
    let req = view.request();
    let mut ids: Vec<String> = Vec::new();
    for key in keys {
        match req.get(*key) {
            Some(Value::String(s)) if !s.is_empty() => ids.push(s.clone()),
            Some(Value::Array(list)) => ids.extend(
                list.iter()
                    .filter_map(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            _ => {}
        }
    }
    ids.sort();
    ids.dedup();
    Some((kind, ids))
}

/// Whether the pipeline-changing call `view` changed the pipeline (see [`Membership`]);
/// `killswitch` tells a function name that matches the kill-switch's patterns.
pub fn membership(
    names: &PipelineNames,
    view: &RecordView<'_>,
    killswitch: impl Fn(&str) -> bool,
) -> Membership {
    let Some((kind, ids)) = named_piece(view) else {
        return Membership::Unknown;
    };
    // A bucket no trail of the collected configuration delivers to, or a call that deletes
    // nothing, is the account's business: no bucket is a piece of the detection pipeline.
    if kind == PieceKind::TrailBucket {
        return if ids.iter().any(|id| names.contains(kind, id))
            && !trail_bucket::deletions(view).is_empty()
        {
            Membership::Blinding
        } else {
            Membership::Other
        };
    }
    let pipeline = ids.iter().any(|id| {
        names.contains(kind, id)
            || (kind == PieceKind::Function && killswitch(&short_name(kind, id)))
    });
    if pipeline {
        Membership::Pipeline
    } else if kind == PieceKind::Trail
        && (view
            .event_name
            .as_str()
            .is_some_and(|n| BLINDING.contains(&n))
            || !update_trail_reductions(view).is_empty())
    {
        Membership::Blinding
    } else if ids.is_empty() || names.of(kind).is_empty() {
        Membership::Unknown
    } else {
        Membership::Other
    }
}

/// `api on noun id, id` for a call: what was changed as the record names it, e.g.
/// `monitoring:DeleteAlarms on alarm cpu-mon`, or `events:DeleteRule on a rule the record does
/// not name`.
/// An `UpdateTrail` that reduces logging names the settings it changed (`… (isMultiRegionTrail
/// false: …)`); a `PutInsightSelectors` that turns Insights off says so.
pub fn described(action: &str, view: &RecordView<'_>) -> String {
    let call = match named_piece(view) {
        Some((kind, ids)) if !ids.is_empty() => {
            format!("{action} on {} {}", kind.noun(), ids.join(", "))
        }
        Some((kind, _)) => format!("{action} on a {} the record does not name", kind.noun()),
        None => action.to_string(),
    };
    let mut settings = update_trail_reductions(view);
    settings.extend(insights_turned_off(view).map(str::to_owned));
    settings.extend(trail_bucket::deletions(view));
    if settings.is_empty() {
        call
    } else {
        format!("{call} ({})", settings.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_and_names_of_one_piece_match() {
        let mut n = PipelineNames::default();
        n.trails.insert("honeytoken-trail".into());
        n.log_groups
            .insert("arn:aws:logs:us-east-1:1:log-group:aws-cloudtrail-logs:*".into());
        n.topics
            .insert("arn:aws:sns:us-east-1:1:honeytoken-alarm-email".into());
        assert!(n.contains(
            PieceKind::Trail,
            "arn:aws:cloudtrail:us-east-1:1:trail/honeytoken-trail"
        ));
        assert!(n.contains(PieceKind::LogGroup, "aws-cloudtrail-logs"));
        assert!(!n.contains(PieceKind::LogGroup, "aws-cloudtrail-logs-2"));
        assert!(n.contains(
            PieceKind::Topic,
            "arn:aws:sns:us-east-1:1:honeytoken-alarm-email:0b1c2d3e"
        ));
        assert!(!n.contains(
            PieceKind::Topic,
            "arn:aws:sns:us-east-1:1:honeytoken-alarm-email-2"
        ));
        assert_eq!(
            short_name(
                PieceKind::Function,
                "arn:aws:lambda:us-east-1:1:function:HoneytokenKillSwitch:live"
            ),
            "HoneytokenKillSwitch"
        );
    }
}
