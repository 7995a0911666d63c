//! Who is collecting: `sts:GetCallerIdentity` once per acquisition, so that the case's manifest
//! names the identity that acquired the evidence (chain of custody). Read-only; needs no IAM
//! permission. Returns only the identity (account, ARN, user ID): never the credentials.

use super::error::{AwsError, Operation};
use super::AwsContext;

pub const GET_CALLER_IDENTITY: Operation = Operation::new("sts", "GetCallerIdentity");

/// The caller as STS names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account: Option<String>,
    pub arn: Option<String>,
    pub user_id: Option<String>,
}

/// Ask STS who the credentials belong to, in `region`.
pub async fn caller_identity(ctx: &AwsContext, region: &str) -> Result<CallerIdentity, AwsError> {
    let out = ctx
        .sts(region)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(GET_CALLER_IDENTITY, &e))?;
    Ok(CallerIdentity {
        account: out.account().map(str::to_owned),
        arn: out.arn().map(str::to_owned),
        user_id: out.user_id().map(str::to_owned),
    })
}
