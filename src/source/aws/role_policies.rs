//! The policy documents of an IAM role, inline and attached (default version), as IAM returns
//! them (URL-encoded JSON), for `trailcase posture`'s least-privilege check of the kill-switch.

use super::error::{AwsError, Operation};
use super::AwsContext;
use crate::model::posture_snapshot::Fetched;

fn why<E, R>(
    name: &'static str,
    e: aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> String
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    AwsError::from_sdk(Operation::new("iam", name), &e).to_string()
}

pub async fn documents(ctx: &AwsContext, role_arn: &str) -> Fetched<Vec<String>> {
    let iam = ctx.iam();
    let role = role_arn.rsplit('/').next().unwrap_or(role_arn);
    let mut docs = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .list_role_policies()
            .role_name(role)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| why("ListRolePolicies", e))?;
        for name in page.policy_names() {
            let p = iam
                .get_role_policy()
                .role_name(role)
                .policy_name(name)
                .send()
                .await
                .map_err(|e| why("GetRolePolicy", e))?;
            docs.push(p.policy_document().to_string());
        }
        marker = page.marker().map(str::to_owned);
        if !page.is_truncated() {
            break;
        }
    }
    let attached = iam
        .list_attached_role_policies()
        .role_name(role)
        .send()
        .await
        .map_err(|e| why("ListAttachedRolePolicies", e))?;
    for a in attached.attached_policies() {
        let Some(arn) = a.policy_arn() else { continue };
        let policy = iam
            .get_policy()
            .policy_arn(arn)
            .send()
            .await
            .map_err(|e| why("GetPolicy", e))?;
        let Some(version) = policy.policy().and_then(|p| p.default_version_id()) else {
            continue;
        };
        let v = iam
            .get_policy_version()
            .policy_arn(arn)
            .version_id(version)
            .send()
            .await
            .map_err(|e| why("GetPolicyVersion", e))?;
        if let Some(doc) = v.policy_version().and_then(|v| v.document()) {
            docs.push(doc.to_string());
        }
    }
    Ok(docs)
}
