//! Decide whom to contain and run the steps: IAM users in `user.rs`, role sessions in `role.rs`;
//! root, services, the kill-switch's own role and protected principals are only reported.

mod role;
mod user;

use crate::event::{self, Caller};
use crate::report::{decide, ContainmentResult, Decision, Step, SCHEMA_VERSION, TOOL};
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Contain the caller of `event` (an EventBridge CloudTrail event) as `settings` say.
pub async fn contain(
    iam: &aws_sdk_iam::Client,
    settings: &Settings,
    event: &Value,
    now: DateTime<Utc>,
) -> ContainmentResult {
    let trigger = event::trigger(event);
    let caller = event::caller(event);
    let (decision, summary, steps) = match &caller {
        None => report_only(
            Decision::NotContained,
            "the event names no caller (userIdentity is missing)".into(),
        ),
        Some(c) => match exemption(c, settings) {
            Some((decision, why)) => report_only(decision, why),
            None => {
                let steps = match c {
                    Caller::IamUser { user_name, .. } => {
                        user::contain(iam, user_name, settings.dry_run).await
                    }
                    Caller::AssumedRole {
                        role_name,
                        session_issued,
                        source_identity,
                        ..
                    } => {
                        let session = role::Session {
                            role_name,
                            issued: session_issued.as_deref().or(trigger.event_time.as_deref()),
                            source_identity: source_identity.as_deref(),
                        };
                        vec![role::revoke(iam, &session, settings.dry_run, now).await]
                    }
                    _ => unreachable!("exemption() reports every other caller"),
                };
                let decision = decide(&steps);
                let mut summary = summarise(decision, c, &steps);
                if let Some(service) = event::through_service(event) {
                    summary.push_str(&format!(
                        " (the call was made through the AWS service {service} on the caller's behalf: userIdentity.invokedBy)"
                    ));
                }
                (decision, summary, steps)
            }
        },
    };
    ContainmentResult {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        tool_version: env!("CARGO_PKG_VERSION"),
        at: crate::policy::iso(now),
        dry_run: settings.dry_run,
        decision,
        summary,
        trigger,
        caller,
        steps,
        published: None,
    }
}

fn report_only(decision: Decision, why: String) -> (Decision, String, Vec<Step>) {
    (decision, why, Vec::new())
}

/// Why this caller is not touched, if it is not.
fn exemption(c: &Caller, settings: &Settings) -> Option<(Decision, String)> {
    let own = settings.own_role_arn.as_deref();
    match c {
        Caller::Root { .. } => Some((
            Decision::NotContained,
            "the caller is the account root user: never touched automatically; secure it by hand (MFA, no access keys)".into(),
        )),
        Caller::AwsService { name } => Some((
            Decision::NotContained,
            format!("the caller is the AWS service {name}: never touched"),
        )),
        Caller::Other { identity_type, arn } => Some((
            Decision::NotContained,
            format!(
                "the caller ({identity_type} {}) is not an IAM user or role session: contain it by hand",
                arn.as_deref().unwrap_or("without an ARN")
            ),
        )),
        _ if own.is_some_and(|own| c.arns().contains(&own)) => Some((
            Decision::Protected,
            "the caller is the kill-switch's own role: never touched".into(),
        )),
        _ => settings.protected_match(&c.arns()).map(|p| {
            (
                Decision::Protected,
                format!("the caller matches the protected principal pattern {p}: never touched"),
            )
        }),
    }
}

fn summarise(decision: Decision, c: &Caller, steps: &[Step]) -> String {
    let who = c
        .arns()
        .first()
        .copied()
        .unwrap_or("the caller")
        .to_string();
    let failed: Vec<&str> = steps
        .iter()
        .filter(|s| s.outcome == crate::report::StepOutcome::Failed)
        .map(|s| s.action.as_str())
        .collect();
    match decision {
        Decision::Contained => format!("{who} contained ({} steps)", steps.len()),
        Decision::AlreadyContained => format!("{who} was already contained: nothing changed"),
        Decision::WouldContain => format!("dry run: {who} would be contained"),
        Decision::PartiallyContained => {
            format!("{who} partially contained: {} failed", failed.join(", "))
        }
        Decision::Failed => format!("containing {who} failed: {}", failed.join(", ")),
        Decision::Protected | Decision::NotContained => format!("{who} not touched"),
    }
}
