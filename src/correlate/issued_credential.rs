//! Where to look for how the actor came to hold a temporary credential whose issue is in the
//! evidence: the STS call that issued it names who was given it (a web identity, a SAML user, a
//! principal that assumed the role), and `userIdentity.inScopeOf` the resource it was issued to
//! (an EC2 instance), and `sessionContext.sourceIdentity` the name set for the session, so the
//! step points there rather than to where a stored credential might be kept. Reads the incident
//! only; no other module of `correlate`.

use super::response::step;
use crate::model::{Actor, Incident, KeyOrigin, Priority, ResponseStep};

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

/// The step for credentials the actor's records state were issued to a resource
/// (`userIdentity.inScopeOf`, e.g. an EC2 instance's role credentials): examine that resource.
pub(super) fn scoped_credential_step(inc: &Incident, owner: &str) -> Option<ResponseStep> {
    let a = &inc.actor;
    let s = a.credentials_issued_to.first()?;
    let what = match s.issuer_type.as_str() {
        "AWS::EC2::Instance" => format!("EC2 instance {}", s.resource),
        "" => format!("resource {}", s.resource),
        t => format!("{t} {}", s.resource),
    };
    let others = match a.credentials_issued_to.len() {
        1 => String::new(),
        n => format!(
            " ({} other resources too: incidents[].actor.credentials_issued_to)",
            n - 1
        ),
    };
    let noun = if s.issuer_type == "AWS::EC2::Instance" {
        "instance"
    } else {
        "resource"
    };
    let addresses = if a.source_ips.is_empty() {
        "the records name no address of the calls".to_string()
    } else {
        format!(
            "compare the calls' addresses ({}) with the {noun}'s",
            a.source_ips.join(", ")
        )
    };
    Some(step(
        Priority::High,
        owner,
        format!(
            "Examine {what}{others}: the records state the credentials of {} were issued to it (userIdentity.inScopeOf, issuerType {}; {} of the actor's records, the first eventID {}). Look at what on it made the calls (its processes and users, access to its credential source such as the instance metadata service) and whether the calls came from it or from elsewhere with credentials taken from it: {addresses}",
            a.arn,
            if s.issuer_type.is_empty() { "not stated" } else { &s.issuer_type },
            s.records,
            s.first_event_id
        ),
        "Examine the resource the credentials were issued to",
        "the records state the resource the credentials were issued to (userIdentity.inScopeOf.credentialsIssuedTo); whether the calls were made from it, or with credentials taken from it, is not in them".into(),
        vec![s.first_event_id.clone()],
    ))
}

/// The origin step told the source identity the actor's records state
/// (`sessionContext.sourceIdentity`): the name whoever assumed the role set for the session.
pub(super) fn with_source_identity(mut step: ResponseStep, a: &Actor) -> ResponseStep {
    if a.source_identities.is_empty() {
        return step;
    }
    let names = a.source_identities.join(", ");
    step.action.push_str(&format!(
        ". The records state the session's source identity {names} (sessionContext.sourceIdentity): the name set by whoever assumed the role, kept through role chaining; start from who that is and the call that assumed the role"
    ));
    step.reason.push_str(&format!(
        "; the records state the source identity {names}, not who set it"
    ));
    step
}
