//! Contain an IAM user: the inline deny-all policy, every access key inactive, no console
//! password. Each step reads first, so a second run changes nothing and says so.

use crate::error::CallError;
use crate::policy::{decode, deny_all, USER_POLICY};
use crate::report::{Step, StepOutcome};
use aws_sdk_iam::types::StatusType;

pub async fn contain(iam: &aws_sdk_iam::Client, user: &str, dry_run: bool) -> Vec<Step> {
    let mut steps = vec![deny_policy(iam, user, dry_run).await];
    steps.extend(access_keys(iam, user, dry_run).await);
    steps.push(login_profile(iam, user, dry_run).await);
    steps
}

async fn deny_policy(iam: &aws_sdk_iam::Client, user: &str, dry_run: bool) -> Step {
    const ACTION: &str = "iam:PutUserPolicy";
    let wanted = deny_all();
    let existing = iam
        .get_user_policy()
        .user_name(user)
        .policy_name(USER_POLICY)
        .send()
        .await
        .map_err(|e| CallError::from_sdk("iam:GetUserPolicy", e));
    let note = match &existing {
        Ok(out) if decode(out.policy_document()).as_ref() == Some(&wanted) => {
            return Step::new(
                ACTION,
                user,
                StepOutcome::Unchanged,
                format!("{USER_POLICY} already denies everything"),
            );
        }
        Ok(_) => format!("{USER_POLICY} exists with another document: replaced"),
        Err(e) if e.is_not_found() => format!("inline policy {USER_POLICY} denies everything"),
        // Could not read it: putting it is still the right thing to try.
        Err(e) => format!("{USER_POLICY} put without reading it first ({e})"),
    };
    if dry_run {
        return Step::new(ACTION, user, StepOutcome::WouldDo, note);
    }
    match iam
        .put_user_policy()
        .user_name(user)
        .policy_name(USER_POLICY)
        .policy_document(wanted.to_string())
        .send()
        .await
    {
        Ok(_) => Step::new(ACTION, user, StepOutcome::Done, note),
        Err(e) => failed(ACTION, user, CallError::from_sdk(ACTION, e)),
    }
}

async fn access_keys(iam: &aws_sdk_iam::Client, user: &str, dry_run: bool) -> Vec<Step> {
    const ACTION: &str = "iam:UpdateAccessKey";
    // A user has at most two access keys: one page.
    let keys = match iam.list_access_keys().user_name(user).send().await {
        Ok(out) => out.access_key_metadata,
        Err(e) => {
            return vec![failed(
                ACTION,
                user,
                CallError::from_sdk("iam:ListAccessKeys", e),
            )]
        }
    };
    if keys.is_empty() {
        return vec![Step::new(
            ACTION,
            user,
            StepOutcome::Unchanged,
            "the user has no access keys",
        )];
    }
    let mut steps = Vec::new();
    for key in keys {
        let id = key.access_key_id().unwrap_or_default().to_string();
        let step = if key.status() == Some(&StatusType::Inactive) {
            Step::new(ACTION, &id, StepOutcome::Unchanged, "already inactive")
        } else if dry_run {
            Step::new(ACTION, &id, StepOutcome::WouldDo, "Active -> Inactive")
        } else {
            match iam
                .update_access_key()
                .user_name(user)
                .access_key_id(&id)
                .status(StatusType::Inactive)
                .send()
                .await
            {
                Ok(_) => Step::new(ACTION, &id, StepOutcome::Done, "Active -> Inactive"),
                Err(e) => failed(ACTION, &id, CallError::from_sdk(ACTION, e)),
            }
        };
        steps.push(step);
    }
    steps
}

async fn login_profile(iam: &aws_sdk_iam::Client, user: &str, dry_run: bool) -> Step {
    const ACTION: &str = "iam:DeleteLoginProfile";
    let unchanged = || {
        Step::new(
            ACTION,
            user,
            StepOutcome::Unchanged,
            "no console password (login profile) to delete",
        )
    };
    match iam.get_login_profile().user_name(user).send().await {
        Err(e) => {
            let e = CallError::from_sdk("iam:GetLoginProfile", e);
            if e.is_not_found() {
                return unchanged();
            }
        }
        Ok(_) if dry_run => {
            return Step::new(
                ACTION,
                user,
                StepOutcome::WouldDo,
                "console password deleted",
            )
        }
        Ok(_) => {}
    }
    match iam.delete_login_profile().user_name(user).send().await {
        Ok(_) => Step::new(ACTION, user, StepOutcome::Done, "console password deleted"),
        Err(e) => match CallError::from_sdk(ACTION, e) {
            e if e.is_not_found() => unchanged(),
            e => failed(ACTION, user, e),
        },
    }
}

pub(super) fn failed(action: &str, target: &str, e: CallError) -> Step {
    Step::new(action, target, StepOutcome::Failed, e.to_string())
}
