//! The steps about the actor's access itself: how to cut it, by what the actor is (an IAM
//! policy reaches users and roles, not the root user, an Identity Center user, another
//! account's principal or an AWS service), and what to do with each of its long-term access
//! keys, as the evidence shows each one (deactivated by a cited call, or still active).

use super::response::{step, IAM};
use crate::model::{
    CrossAccount, Incident, IndicatorKind, KeyFate, Priority, ResponseStep, LAMBDA_SERVICE,
};

/// How to cut the actor's access, by what it is: an IAM policy reaches users and roles, not the
/// root user, an Identity Center user, a principal of another account or an AWS service. When
/// the decoy is of another account (`cross`), the policy goes in the actor's account: the
/// decoy's can only take back its trust ([`trust_step`]).
pub(super) fn cut_access(
    a: &crate::model::Actor,
    cross: Option<&CrossAccount>,
    keys_clause: &str,
) -> String {
    let who = &a.arn;
    // A SAML sign-in began the session: the identity provider can stop the user signing in again.
    let keys_clause = &match a.console_sign_ins.iter().rev().find_map(|s| s.saml_provider_arn.as_deref()) {
        Some(idp) if a.kind == "AssumedRole" => format!(
            "{keys_clause}; it signed in through SAML provider {idp}: disable the user at that identity provider too"
        ),
        _ => keys_clause.to_string(),
    };
    let in_account = cross
        .map(|x| {
            format!(
                " in its own AWS account {} (the caller's: the decoy's account {} cannot attach a policy there)",
                x.actor_account, x.honeytoken_account
            )
        })
        .unwrap_or_default();
    // A record with no identity type still names the principal by its ARN: an IAM user's or a
    // role session's ARN says which it is.
    let kind = match a.kind.as_str() {
        "" if who.starts_with("arn:aws:iam::") && who.contains(":user/") => "IAMUser",
        "" if who.starts_with("arn:aws:sts::") && who.contains(":assumed-role/") => "AssumedRole",
        kind => kind,
    };
    match kind {
        "Root" => format!(
            "Cut the access of the account's root user ({who}): no IAM policy applies to it; change its password, delete its access keys, require MFA, and deny it with a service control policy if the account is in an organization"
        ),
        "IdentityCenterUser" => format!(
            "Cut the access of Identity Center user {who}: disable the user in IAM Identity Center and revoke its active sessions"
        ),
        "SAMLUser" | "WebIdentityUser" => format!(
            "Cut the access of {who}: disable the user at its identity provider, and deny the role it federated into (its sessions stay valid until they expire)"
        ),
        "AWSAccount" => format!(
            "Cut the access of {who} (account {}): remove what lets that account in (the honeytoken's resource policy, a role's trust policy), or deny it there",
            a.account_id.as_deref().unwrap_or("unknown")
        ),
        kind if kind == "AWSService" || (kind.is_empty() && who.ends_with(".amazonaws.com")) => format!(
            "Find who acted through {who}: the records name no principal of this account to cut off; look for the call that made the service act (its trigger, its role) before cutting that principal's access"
        ),
        "AssumedRole" => format!(
            "Cut the access of role session {who}{in_account} (a policy attaches to its role, not to a session): attach a deny-all policy to {}, which cuts every other user of the role too, or revoke the role's sessions issued before now (IAM \"Revoke active sessions\" on the role){keys_clause}",
            a.role_label().unwrap_or_else(|| who.clone())
        ),
        "IAMUser" => format!("Cut the access of {who}{in_account}: attach a deny-all policy{keys_clause}"),
        // GetFederationToken's session: its permissions are the IAM user's that asked for the
        // token, within the session policy, plus what a resource-based policy naming the session
        // grants (IAM User Guide, "Permissions for GetFederationToken"); no policy attaches to it.
        "FederatedUser" => format!(
            "Cut the access of federated user {who}{in_account}: a policy cannot attach to it; its permissions are those of the IAM user that requested its token (GetFederationToken), {}, within its session policy, plus what a resource-based policy naming it grants: attach a deny-all policy to that user, which cuts that user's own access too, and remove {who} from any resource-based policy that names it{keys_clause}",
            a.session_issuer_arn.as_deref().map_or_else(
                || "not named in the evidence (no record of the session carries sessionContext.sessionIssuer.arn)".to_string(),
                str::to_string
            )
        ),
        // `Unknown` (CloudTrail's word for a directory user, among others), no type, or a type
        // trailcase does not know: which policy reaches it is not in the records.
        kind => {
            let who = if who.is_empty() {
                match &a.principal_id {
                    Some(p) => format!("the caller with principalId {p} (its records give no ARN)"),
                    None => "the caller (its records give no ARN and no principalId)".to_string(),
                }
            } else {
                who.clone()
            };
            let kind = if kind.is_empty() {
                "no identity type".to_string()
            } else {
                format!("the identity type {kind}")
            };
            format!(
                "Find which principal {who}{in_account} is before cutting its access: its records give {kind}, so what cuts it (an IAM policy reaches IAM users and role sessions only) is not shown by them{keys_clause}"
            )
        }
    }
}

/// The decoy is of another account: that account can take back what lets the actor's account
/// in. Which policy allowed the read is not in the records: the step says what to check.
pub(super) fn trust_step(inc: &Incident) -> Option<ResponseStep> {
    let x = inc.cross_account.as_ref()?;
    // Refused reads show no trust to take back.
    if inc.impact.reads_succeeded == 0 {
        return None;
    }
    Some(step(
        Priority::Immediate,
        IAM,
        format!(
            "In AWS account {} (the decoy's), remove what lets account {} in: check {} for a statement that trusts account {} or {}, and remove or narrow it (the likely way in; the records do not show which policy allowed the read)",
            x.honeytoken_account,
            x.actor_account,
            inc.cross_account_trust(),
            x.actor_account,
            inc.actor.arn
        ),
        "Take back the decoy account's trust in the caller's account",
        format!(
            "the read came from a credential of account {} into account {}: a call across accounts succeeds only where a policy of the resource's account allows it, and none is in the evidence",
            x.actor_account, x.honeytoken_account
        ),
        x.event_ids.clone(),
    ))
}

/// The actor's long-term keys to replace, each said as the evidence shows it: the keys a
/// containment call deactivated (cited) are to be deleted; a key no call deactivated or deleted
/// is still active as far as the evidence shows, and is to be deactivated first (cited by the
/// actor's calls with it). A deleted key needs nothing more.
pub(super) fn key_steps(inc: &Incident, who: &str) -> Vec<ResponseStep> {
    let fates = inc.long_term_keys();
    // Whose keys: an IAM user's (or the root user's) long-term key, not the AWS account's.
    let holder = match (inc.actor.kind.as_str(), inc.actor.user_name.as_deref()) {
        ("Root", _) => "the root user's".to_string(),
        (_, Some(name)) => format!("IAM user {name}'s"),
        _ => "the compromised user's".to_string(),
    };
    let deactivated: Vec<&KeyFate> = fates
        .iter()
        .filter(|f| f.deleted_by.is_empty() && !f.deactivated_by.is_empty())
        .collect();
    let active: Vec<&KeyFate> = fates.iter().filter(|f| f.active()).collect();
    let names = |v: &[&KeyFate]| v.iter().map(|f| f.key).collect::<Vec<_>>().join(", ");
    let replace = |n: usize| {
        format!(
            "Replace {holder} access key{}",
            if n == 1 { "" } else { "s" }
        )
    };
    let mut out = Vec::new();
    if !deactivated.is_empty() {
        out.push(step(
            Priority::High,
            IAM,
            format!(
                "Delete the deactivated access key(s) {} of {who} and give the key's owner new credentials through the usual process",
                names(&deactivated)
            ),
            &if active.is_empty() {
                replace(deactivated.len())
            } else if deactivated.len() == 1 {
                "Replace the deactivated access key".to_string()
            } else {
                "Replace the deactivated access keys".to_string()
            },
            format!(
                "the kill-switch deactivated {}; a deactivated key can be reactivated",
                deactivated
                    .iter()
                    .map(|f| format!("{} (eventID {})", f.key, f.deactivated_by.join(", ")))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            deactivated
                .iter()
                .flat_map(|f| f.deactivated_by.iter().map(|id| id.to_string()))
                .collect(),
        ));
    }
    if !active.is_empty() {
        // The records that show each key in the actor's hands: its first and last use.
        let mut ids: Vec<String> = Vec::new();
        for f in &active {
            for i in inc
                .indicators
                .iter()
                .filter(|i| i.kind == IndicatorKind::AccessKey && i.value == f.key)
            {
                for id in [&i.first_event_id, &i.last_event_id] {
                    if !id.is_empty() && !ids.contains(id) {
                        ids.push(id.clone());
                    }
                }
            }
        }
        if ids.is_empty() {
            ids = inc.access_event_ids.clone();
        }
        out.push(step(
            Priority::Immediate,
            IAM,
            format!(
                "Deactivate, then delete, access key(s) {} of {who} and give the key's owner new credentials through the usual process",
                names(&active)
            ),
            &if deactivated.is_empty() {
                replace(active.len())
            } else if active.len() == 1 {
                "Deactivate the access key the evidence shows still active".to_string()
            } else {
                "Deactivate the access keys the evidence shows still active".to_string()
            },
            format!(
                "the evidence shows no call that deactivated or deleted {}: still active as far as the evidence shows{}",
                names(&active),
                if deactivated.is_empty() {
                    String::new()
                } else {
                    format!(" (the kill-switch deactivated only {})", names(&deactivated))
                }
            ),
            ids,
        ));
    }
    out
}

/// Where to look for how the actor came to hold its credential: the Lambda function whose
/// execution role issued the session, the identity provider a SAML sign-in came through, the
/// call that issued the credential ([`super::issued_credential`]), or, with none in the
/// evidence, where the credential is stored and used.
pub(super) fn origin_step(inc: &Incident, owner: &str) -> ResponseStep {
    let a = &inc.actor;
    if let (Some(function), Some(k)) = (
        a.lambda_function(),
        a.key_origins
            .iter()
            .find(|k| k.issued_to_service() == Some(LAMBDA_SERVICE)),
    ) {
        return step(
            Priority::High,
            owner,
            format!(
                "Review Lambda function {function}, whose execution {} the calls were made as: its code and the packages it loads, its environment variables, its event sources (what invokes it) and recent changes to it; the calls are the function's own, or made with credentials taken from it",
                a.role_label().unwrap_or_else(|| format!("role {}", a.arn))
            ),
            "Review the Lambda function whose role made the calls",
            format!(
                "STS issued the session's credential {} at {} to the Lambda service ({LAMBDA_SERVICE}) for the function's execution role; Lambda names the session after the function",
                k.access_key_id, k.issued_at
            ),
            vec![k.issued_by_event_id.clone()],
        );
    }
    if let Some(s) = a.sign_in_before(inc.milestones.first_access) {
        if let Some(idp) = &s.saml_provider_arn {
            return step(
                Priority::High,
                owner,
                format!(
                    "Find who signed in as {} through SAML provider {idp} at {}: the identity provider's sign-in log for that user and time, and how its password or session was obtained{}",
                    a.arn,
                    s.time,
                    match s.mfa_used.as_deref() {
                        Some(m) => format!(" (MFA used: {m}, as the sign-in record states)"),
                        None => String::new(),
                    }
                ),
                "Find how the federated sign-in was obtained",
                "the session began with a SAML console sign-in; the identity provider holds how the user authenticated".into(),
                vec![s.event_id.clone()],
            );
        }
    }
    if let Some(c) = &a.console_session {
        return console_session_step(inc, c, owner);
    }
    if let Some(s) = super::issued_credential::scoped_credential_step(inc, owner)
        .or_else(|| super::issued_credential::issued_credential_step(inc, owner))
    {
        return s;
    }
    step(
        Priority::High,
        owner,
        format!(
            "Find how the actor obtained the credentials of {}: where they are stored and used (hosts, CI, code repositories), and their use before the first call in the evidence",
            a.arn
        ),
        "Find how the credential was stolen",
        "the evidence shows the credential's use, not how it was obtained".into(),
        inc.event_ids.iter().take(1).cloned().collect(),
    )
}

/// The actor's records say its calls were made with an AWS console session's credential: how
/// that session began is a sign-in, not a stored key.
fn console_session_step(
    inc: &Incident,
    c: &crate::model::ConsoleSession,
    owner: &str,
) -> ResponseStep {
    let a = &inc.actor;
    let mut ids = vec![c.first_event_id.clone()];
    let signed_in = match a.sign_in_before(inc.milestones.first_access) {
        Some(s) => {
            ids.push(s.event_id.clone());
            format!(
                "the console sign-in at {} (eventID {}) is the last before the first access",
                s.time, s.event_id
            )
        }
        None => "no console sign-in of it is in the evidence".to_string(),
    };
    let how = if a.kind == "AssumedRole" {
        "the sign-in that led into the role (a console sign-in and role switch, IAM Identity Center, or an identity provider's federation: their sign-in logs for that time)"
    } else {
        "the identity's console sign-in (signin:ConsoleLogin in CloudTrail) and whether its password or MFA was taken"
    };
    step(
        Priority::High,
        owner,
        format!(
            "Find how the console session of {} began: {} of its records state sessionCredentialFromConsole \"true\" (the first: eventID {}), so the calls were made from an AWS Management Console session, not with a stored access key; {signed_in}; look for {how}",
            a.arn, c.records, c.first_event_id
        ),
        "Find how the console session was obtained",
        "the records state that the session's credential came from the AWS console (sessionCredentialFromConsole \"true\"); how the session began is not in them".into(),
        ids,
    )
}
