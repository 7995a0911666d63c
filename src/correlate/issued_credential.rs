//! Where to look for how the actor came to hold a temporary credential whose issue is in the
//! evidence: the STS call that issued it names who was given it (a web identity, a SAML user, a
//! principal that assumed the role), so the step points there rather than to where a stored
//! credential might be kept. Reads the incident only; no other module of `correlate`.

use super::response::step;
use crate::model::{Incident, KeyOrigin, Priority, ResponseStep};

/// The step for the first credential of the actor whose issuing call is in the evidence and
/// was not made for an AWS service (a Lambda function's role is [`super::access_steps`]'s).
pub(super) fn issued_credential_step(inc: &Incident, owner: &str) -> Option<ResponseStep> {
    let a = &inc.actor;
    let k = a
        .key_origins
        .iter()
        .filter(|k| k.issued_to_service().is_none() && !k.caller_arn.is_empty())
        .min_by(|x, y| {
            (x.issued_at, &x.issued_by_event_id).cmp(&(y.issued_at, &y.issued_by_event_id))
        })?;
    let (given_to, look) = where_to_look(k);
    Some(step(
        Priority::High,
        owner,
        format!(
            "Find how {given_to} came to be used: STS issued the credential {} of {} at {} by {} to {} (eventID {}); look at {look}",
            k.access_key_id, a.arn, k.issued_at, k.issued_by_action, k.caller_arn, k.issued_by_event_id
        ),
        "Find how the credential's issue was obtained",
        format!(
            "the records show the credential {} issued by {} to {}; how {given_to} came to be used is not in them",
            k.access_key_id, k.issued_by_action, k.caller_arn
        ),
        vec![k.issued_by_event_id.clone()],
    ))
}

/// What the issuing call was given, in words, and where to look next.
fn where_to_look(k: &KeyOrigin) -> (&'static str, &'static str) {
    match k.issued_by_action.as_str() {
        "sts:AssumeRoleWithWebIdentity" => (
            "the web identity token",
            "the workload that holds that identity provider's tokens for that subject (a CI job, a Kubernetes service account, an application), its logs for that time, and the conditions of the role's trust policy on the provider, audience and subject",
        ),
        "sts:AssumeRoleWithSAML" => (
            "the SAML assertion",
            "the identity provider's sign-in log for that user and time, and how its password or session was obtained",
        ),
        _ => (
            "that principal",
            "that principal's own records in the evidence and how its credentials were obtained",
        ),
    }
}
