//! Who is collecting, for the manifest's chain of custody: `sts:GetCallerIdentity` once, before
//! anything is acquired. An identity that cannot be read is recorded as unknown (with why), and
//! the acquisition goes on: the evidence is no less complete for it.

use crate::case::manifest::Collector;
use crate::source::aws::config::FALLBACK_REGION;
use crate::source::aws::identity::caller_identity;
use crate::source::aws::AwsContext;

/// The caller as the manifest records it, the region STS was asked in, and whether it answered.
pub(super) struct Asked {
    pub collector: Collector,
    pub region: String,
    pub ok: bool,
}

pub(super) async fn ask(ctx: &AwsContext) -> Asked {
    let region = ctx
        .configured_region()
        .unwrap_or_else(|| FALLBACK_REGION.to_string());
    match caller_identity(ctx, &region).await {
        Ok(id) => Asked {
            collector: Collector {
                arn: id.arn,
                account: id.account,
                user_id: id.user_id,
                unknown_reason: None,
            },
            region,
            ok: true,
        },
        Err(e) => Asked {
            collector: Collector {
                arn: None,
                account: None,
                user_id: None,
                unknown_reason: Some(e.to_string()),
            },
            region,
            ok: false,
        },
    }
}
