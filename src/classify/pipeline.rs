//! Changes to the monitoring pipeline: which calls change it (the trail, the alarms, the metric
//! filters, the rules, their topics, the kill-switch's function, each as the record names it
//! and the pipeline is known: `classify/pipeline_names.rs`; the pipeline's own secrets and
//! parameters), and which only tried (the call failed). A honeytoken is not part of the
//! pipeline: a call that changes it is `classify/changes.rs`'s, said once.

use super::{canonical_name, identifiers, pipeline_names, Classifier, Membership};
use crate::model::{EntryKind, HoneytokenKind};
use crate::parse::RecordView;

/// Calls that change what the detection pipeline sees or does.
const PIPELINE_APIS: &[(&str, &[&str])] = &[
    (
        "cloudtrail.amazonaws.com",
        &[
            "StopLogging",
            "DeleteTrail",
            "UpdateTrail",
            "PutEventSelectors",
            "PutInsightSelectors",
        ],
    ),
    (
        "monitoring.amazonaws.com",
        &[
            "DeleteAlarms",
            "DisableAlarmActions",
            "PutMetricAlarm",
            "SetAlarmState",
        ],
    ),
    (
        "logs.amazonaws.com",
        &[
            "DeleteMetricFilter",
            "PutMetricFilter",
            "DeleteLogGroup",
            "DeleteLogStream",
            "PutRetentionPolicy",
            "DeleteSubscriptionFilter",
        ],
    ),
    (
        "events.amazonaws.com",
        &[
            "DeleteRule",
            "DisableRule",
            "PutRule",
            "RemoveTargets",
            "PutTargets",
        ],
    ),
    ("s3.amazonaws.com", super::trail_bucket::APIS),
    (
        "sns.amazonaws.com",
        &[
            "DeleteTopic",
            "Unsubscribe",
            "SetTopicAttributes",
            "RemovePermission",
        ],
    ),
];

/// Changes to secrets and parameters: pipeline changes only when they touch one of the
/// pipeline's own resources, never a honeytoken (`classify/changes.rs`; see
/// [`Classifier::monitoring_kind`]); any other
/// secret is the account's business, not the pipeline's.
const SECRET_CHANGE_APIS: &[(&str, &[&str])] = &[
    (
        "secretsmanager.amazonaws.com",
        &[
            "DeleteSecret",
            "PutResourcePolicy",
            "DeleteResourcePolicy",
            "UpdateSecret",
            "RotateSecret",
            "PutSecretValue",
            "UpdateSecretVersionStage",
            "CancelRotateSecret",
        ],
    ),
    (
        "ssm.amazonaws.com",
        &[
            "PutParameter",
            "DeleteParameter",
            "DeleteParameters",
            "LabelParameterVersion",
        ],
    ),
];

impl Classifier {
    /// The row kind of a call on the detection pipeline or another monitoring resource, its
    /// membership weighed once; `None` for any other call, and for one with no outcome.
    /// - `PipelineChange`: a call that changed the pipeline: one naming a piece of it
    ///   (configured or in the collected configuration: [`Membership::Pipeline`]), a trail
    ///   stopped, deleted or narrowed whichever it is ([`Membership::Blinding`]), and the
    ///   pipeline's own secrets and parameters (names matching a kill-switch pattern, not a
    ///   honeytoken). `PipelineAttempt`: the same call failed (AccessDenied, not found,
    ///   invalid: `RecordView::failure`), which changed nothing.
    /// - `MonitoringChange`: a call that changed a monitoring resource (an alarm, a rule, a log
    ///   group...) not known to be the pipeline's nor known not to be: the record names none, or
    ///   the configuration and the collected configuration name no piece of its kind
    ///   ([`Membership::Unknown`]). `MonitoringAttempt`: the same call failed.
    pub fn monitoring_kind(&self, view: &RecordView<'_>) -> Option<EntryKind> {
        let changed = view.succeeded();
        if !changed && view.failure().is_none() {
            return None;
        }
        let membership = self.membership(view);
        if matches!(
            membership,
            Some(Membership::Pipeline | Membership::Blinding)
        ) || self.is_pipeline_secret_change(view)
        {
            Some(if changed {
                EntryKind::PipelineChange
            } else {
                EntryKind::PipelineAttempt
            })
        } else {
            (membership == Some(Membership::Unknown)).then_some(if changed {
                EntryKind::MonitoringChange
            } else {
                EntryKind::MonitoringAttempt
            })
        }
    }

    /// What a call to a pipeline-changing API is to the pipeline; `None` for other calls.
    pub fn membership(&self, view: &RecordView<'_>) -> Option<Membership> {
        is_pipeline_api(view).then(|| {
            pipeline_names::membership(&self.pipeline, view, |name| {
                self.killswitch.iter().any(|p| p.matches(name))
            })
        })
    }

    /// A call to a pipeline-changing API (whatever resource it names and whatever its outcome),
    /// or a change to the pipeline's secrets: what the scan keeps.
    pub fn is_pipeline_call(&self, view: &RecordView<'_>) -> bool {
        is_pipeline_api(view) || self.is_pipeline_secret_change(view)
    }

    fn is_pipeline_secret_change(&self, view: &RecordView<'_>) -> bool {
        let (Some(source), Some(name)) = (view.event_source.as_str(), view.event_name.as_str())
        else {
            return false;
        };
        if !SECRET_CHANGE_APIS
            .iter()
            .any(|(s, names)| *s == source && names.contains(&name))
        {
            return false;
        }
        // A change to a honeytoken is a change to the bait, not to what detects its reads: it is
        // the `honeytoken_changed` finding ([`Classifier::change`]), said once, even when the
        // decoy's name also matches a kill-switch pattern.
        if self
            .honeytoken(view)
            .is_some_and(|h| !matches!(h.identity, super::SecretIdentity::Other { .. }))
        {
            return false;
        }
        let kind = if source == "ssm.amazonaws.com" {
            HoneytokenKind::SsmParameter
        } else {
            HoneytokenKind::Secret
        };
        identifiers(kind, &view.request(), &view.resources())
            .iter()
            .any(|id| {
                let canonical = canonical_name(kind, id);
                self.killswitch
                    .iter()
                    .any(|p| p.matches(&canonical) || p.matches(id))
            })
    }
}

/// A call to an API that changes the trail, the alarms, the metric filters, the rules, their
/// topics or the kill-switch's function, whatever its outcome (secrets and parameters need the
/// configuration: [`Classifier::monitoring_kind`]).
fn is_pipeline_api(view: &RecordView<'_>) -> bool {
    let (Some(source), Some(name)) = (view.event_source.as_str(), view.event_name.as_str()) else {
        return false;
    };
    PIPELINE_APIS
        .iter()
        .any(|(s, names)| *s == source && names.contains(&name))
        || (source == "lambda.amazonaws.com"
            && [
                "UpdateFunctionCode",
                "UpdateFunctionConfiguration",
                "DeleteFunction",
                "PutFunctionConcurrency",
                "RemovePermission",
            ]
            .iter()
            .any(|p| name.starts_with(p)))
}
