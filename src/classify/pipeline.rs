//! Changes to the monitoring pipeline: which calls change it (the trail, the alarms, the metric
//! filters, the rules, their topics, the kill-switch's function; the honeytokens and the
//! pipeline's own secrets and parameters), and which only tried (the call failed).

use super::{canonical_name, identifiers, Classifier};
use crate::model::HoneytokenKind;
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

/// Changes to secrets and parameters: pipeline changes only when they touch a honeytoken or
/// one of the pipeline's own resources (see [`Classifier::is_pipeline_change`]); any other
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
    /// A call that changed the monitoring pipeline: the trail, the alarms, the metric filters,
    /// the rules, their topics, the kill-switch's function, and the honeytokens and the
    /// pipeline's own secrets and parameters (names matching a kill-switch pattern). A call
    /// that failed changed nothing: see [`Classifier::is_pipeline_attempt`].
    pub fn is_pipeline_change(&self, view: &RecordView<'_>) -> bool {
        view.succeeded() && self.is_pipeline_call(view)
    }

    /// A call that would have changed the monitoring pipeline but failed (AccessDenied, not
    /// found, invalid: `RecordView::failure`): an attempt, not a change.
    pub fn is_pipeline_attempt(&self, view: &RecordView<'_>) -> bool {
        view.failure().is_some() && self.is_pipeline_call(view)
    }

    /// A call to a pipeline-changing API on the pipeline, whatever its outcome.
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
        if self
            .honeytoken(view)
            .is_some_and(|h| !matches!(h.identity, super::SecretIdentity::Other { .. }))
        {
            return true;
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
/// configuration: [`Classifier::is_pipeline_change`]).
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
