//! What an actor's identity says of where its credential came from: the role behind a role
//! session, the Lambda function whose execution role issued it. Read from the actor's own data
//! (its ARN, its key origins), for the steps and the report alike.

use super::{Actor, ConsoleSignIn, KeyOrigin, Timestamp};

/// The Lambda service, as an issuing call's caller names it (`userIdentity.invokedBy`).
pub const LAMBDA_SERVICE: &str = "lambda.amazonaws.com";

impl KeyOrigin {
    /// The AWS service that called the issuing API (`lambda.amazonaws.com`), when the caller
    /// is a service rather than a principal.
    pub fn issued_to_service(&self) -> Option<&str> {
        let c = self.caller_arn.as_str();
        (!c.starts_with("arn:") && c.ends_with(".amazonaws.com")).then_some(c)
    }
}

/// The identity types whose calls are made with temporary credentials only (`ASIA…`): a
/// long-term key id (`AKIA…`) on their records contradicts the identity (AWS's own KMS guide
/// example of an `AssumedRole` caller does this).
const TEMPORARY_ONLY: &[&str] = &[
    "AssumedRole",
    "FederatedUser",
    "WebIdentityUser",
    "SAMLUser",
];

impl Actor {
    /// The actor's long-term access key ids (`AKIA…`), but none for an identity that uses
    /// temporary credentials only ([`Actor::inconsistent_keys`]): which credential such a record
    /// stands for is not known.
    pub fn long_term_key_ids(&self) -> impl Iterator<Item = &String> {
        let consistent = !TEMPORARY_ONLY.contains(&self.kind.as_str());
        self.access_key_ids
            .iter()
            .filter(move |k| consistent && k.starts_with("AKIA"))
    }

    /// The long-term key ids (`AKIA…`) the records give an identity that uses temporary
    /// credentials only (a role session's are `ASIA…`): the records disagree with themselves.
    pub fn inconsistent_keys(&self) -> Vec<&str> {
        if !TEMPORARY_ONLY.contains(&self.kind.as_str()) {
            return Vec::new();
        }
        self.access_key_ids
            .iter()
            .filter(|k| k.starts_with("AKIA"))
            .map(String::as_str)
            .collect()
    }

    /// A role session's role name and session name, from its ARN
    /// (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).
    pub fn role_session(&self) -> Option<(&str, &str)> {
        let rest = self.arn.split_once(":assumed-role/")?.1;
        rest.split_once('/')
    }

    /// The role a policy of the actor must go on, in words: `role <sessionContext.sessionIssuer.arn>`,
    /// else the role named by the session's ARN with its account, saying that its ARN is not in
    /// the evidence (the session's ARN omits the role's path: `role/MyRole` may be
    /// `role/some/path/MyRole`). `None` for other identities.
    pub fn role_label(&self) -> Option<String> {
        let (role, _) = self.role_session()?;
        Some(match &self.session_issuer_arn {
            Some(arn) => format!("role {arn}"),
            None => format!(
                "role {role} of account {} (its ARN is not in the evidence: no record of the session carries sessionContext.sessionIssuer.arn, and the session's ARN omits the role's path)",
                self.arn.split(':').nth(4).filter(|a| !a.is_empty()).unwrap_or("unknown")
            ),
        })
    }

    /// The identity's last successful console sign-in at or before `t` (the first read): how
    /// its console session may have begun.
    pub fn sign_in_before(&self, t: Option<Timestamp>) -> Option<&ConsoleSignIn> {
        let t = t?;
        self.console_sign_ins
            .iter()
            .rfind(|s| s.outcome == "success" && s.time <= t)
    }

    /// The Lambda function whose execution role the session is: the session was issued to the
    /// Lambda service, which names the session after the function. `None` otherwise.
    pub fn lambda_function(&self) -> Option<&str> {
        let (_, session) = self.role_session()?;
        self.key_origins
            .iter()
            .any(|k| k.issued_to_service() == Some(LAMBDA_SERVICE))
            .then_some(session)
    }
}
