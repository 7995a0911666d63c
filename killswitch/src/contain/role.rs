//! Revoke a role's sessions: an inline policy denying every session issued before now
//! (`aws:TokenIssueTime`, what the IAM console's "Revoke active sessions" does) and every session
//! carrying the caller's source identity. Idempotent: when the policy in place already denies the
//! session that read the honeytoken, nothing is changed.

use super::user::failed;
use crate::error::CallError;
use crate::policy::{decode, iso, parse_time, Revocation, ROLE_POLICY};
use crate::report::{Step, StepOutcome};
use chrono::{DateTime, Utc};

/// The role session that made the call.
pub struct Session<'a> {
    pub role_name: &'a str,
    /// When its credentials were issued (else the call's time, which is later: still covered).
    pub issued: Option<&'a str>,
    pub source_identity: Option<&'a str>,
}

pub async fn revoke(
    iam: &aws_sdk_iam::Client,
    s: &Session<'_>,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Step {
    const ACTION: &str = "iam:PutRolePolicy";
    let issued = s.issued.and_then(parse_time);
    let existing = match iam
        .get_role_policy()
        .role_name(s.role_name)
        .policy_name(ROLE_POLICY)
        .send()
        .await
    {
        Ok(out) => decode(out.policy_document()).and_then(|d| Revocation::parse(&d)),
        // Absent, or unreadable: revoking (again) is the right thing to try either way.
        Err(_) => None,
    };
    if let Some(r) = &existing {
        if r.covers(issued, s.source_identity) {
            return Step::new(
                ACTION,
                s.role_name,
                StepOutcome::Unchanged,
                format!(
                    "{ROLE_POLICY} already denies sessions issued before {}",
                    iso(r.issued_before)
                ),
            );
        }
    }
    let mut source_identities = existing.map(|r| r.source_identities).unwrap_or_default();
    if let Some(id) = s.source_identity {
        if !source_identities.iter().any(|x| x == id) {
            source_identities.push(id.to_string());
        }
    }
    let wanted = Revocation {
        issued_before: now,
        source_identities,
    };
    let mut detail = format!("{ROLE_POLICY} denies sessions issued before {}", iso(now));
    if !wanted.source_identities.is_empty() {
        detail.push_str(&format!(
            " and sessions with source identity {}",
            wanted.source_identities.join(", ")
        ));
    }
    if dry_run {
        return Step::new(ACTION, s.role_name, StepOutcome::WouldDo, detail);
    }
    match iam
        .put_role_policy()
        .role_name(s.role_name)
        .policy_name(ROLE_POLICY)
        .policy_document(wanted.document().to_string())
        .send()
        .await
    {
        Ok(_) => Step::new(ACTION, s.role_name, StepOutcome::Done, detail),
        Err(e) => failed(ACTION, s.role_name, CallError::from_sdk(ACTION, e)),
    }
}
