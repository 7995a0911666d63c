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

    /// The role a policy of the actor must go on, in words: `role <sessionContext.sessionIssuer.arn>`
    /// when that is the session's own role ([`Actor::issuer_disagrees`] says nothing), else the
    /// role named by the session's ARN with its account, saying why its ARN is not known (none
    /// in the evidence, or the one in the records is not the session's role: the session's ARN
    /// omits the role's path, `role/MyRole` may be `role/some/path/MyRole`). `None` for other
    /// identities.
    pub fn role_label(&self) -> Option<String> {
        let (role, account) = self.session_role()?;
        if let (Some(arn), None) = (&self.session_issuer_arn, self.issuer_disagrees()) {
            return Some(format!("role {arn}"));
        }
        let why = match self.issuer_disagrees() {
            Some(d) => format!("its ARN is not known: {d}"),
            None => "its ARN is not in the evidence: no record of the session carries sessionContext.sessionIssuer.arn, and the session's ARN omits the role's path".to_string(),
        };
        Some(format!("role {role} of account {account} ({why})"))
    }

    /// A role session's role name and account, from its ARN
    /// (`arn:aws:sts::<account>:assumed-role/<role>[/<session>]`; the account `unknown` when the
    /// ARN has none).
    fn session_role(&self) -> Option<(&str, &str)> {
        let rest = self.arn.split_once(":assumed-role/")?.1;
        let role = rest.split('/').next().filter(|r| !r.is_empty())?;
        let account = self.arn.split(':').nth(4).filter(|a| !a.is_empty());
        Some((role, account.unwrap_or("unknown")))
    }

    /// The account the actor's records establish: `userIdentity.accountId` when the
    /// principal's own ARN agrees with it ([`Actor::account_disagrees`] says nothing), `None`
    /// when the records name none or two.
    pub fn established_account(&self) -> Option<&str> {
        self.account_id
            .as_deref()
            .filter(|a| !a.is_empty() && self.account_disagrees().is_none())
    }

    /// How the records' `userIdentity.accountId` disagrees with the account of the principal's
    /// own ARN (an `iam` or `sts` ARN: `arn:aws:sts::<account>:assumed-role/...`), in words:
    /// CloudTrail writes the principal's own account in both, so records that give two were
    /// altered, and which account the credential is of is not known (Cloud Custodian's
    /// recorded `RunInstances` by `assumed-role/GR_Dev_Developer/Radiant` does this). `None`
    /// when they agree, when either is missing, and for identities without such an ARN.
    pub fn account_disagrees(&self) -> Option<String> {
        let stated = self.account_id.as_deref().filter(|a| !a.is_empty())?;
        let parts: Vec<&str> = self.arn.splitn(6, ':').collect();
        let ["arn", _, "iam" | "sts", _, in_arn, _] = parts.as_slice() else {
            return None;
        };
        (!in_arn.is_empty() && *in_arn != stated).then(|| {
            format!(
                "the records' userIdentity.accountId {stated} is not account {in_arn} of the principal's ARN {}: CloudTrail writes the principal's own account in both, so the records disagree on the caller's account",
                self.arn
            )
        })
    }

    /// How the session's `sessionContext.sessionIssuer.arn` disagrees with the session's own
    /// ARN, in words: CloudTrail writes there the IAM role the session is of
    /// (`arn:aws:iam::<account>:role/<path><role>`), in the session's account; an STS ARN, or a
    /// role of another name or account, is not that role, so no policy step can rest on it.
    /// `None` when they agree or either is missing.
    pub fn issuer_disagrees(&self) -> Option<String> {
        let (role, account) = self.session_role()?;
        let issuer = self.session_issuer_arn.as_deref()?;
        let parts: Vec<&str> = issuer.splitn(6, ':').collect();
        let (service, issuer_account, resource) = match parts.as_slice() {
            ["arn", _, service, _, account, resource] => (*service, *account, *resource),
            _ => ("", "", ""),
        };
        let issuer_role = resource
            .strip_prefix("role/")
            .map(|r| r.rsplit('/').next().unwrap_or(r));
        let problem = match issuer_role {
            None => "is not an IAM role's ARN".to_string(),
            Some(_) if service != "iam" => "is not an IAM role's ARN".to_string(),
            Some(r) if r != role || issuer_account != account => format!(
                "names role {r} of account {issuer_account}, where the session's ARN {} names role {role} of account {account}",
                self.arn
            ),
            Some(_) => return None,
        };
        Some(format!(
            "the records' sessionContext.sessionIssuer.arn {issuer} {problem}: the records disagree on the session's role"
        ))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(arn: &str, account: Option<&str>) -> Actor {
        Actor {
            arn: arn.into(),
            account_id: account.map(str::to_owned),
            ..Actor::default()
        }
    }

    #[test]
    fn only_an_iam_or_sts_arn_of_another_account_disagrees_with_the_account_id() {
        let session = "arn:aws:sts::111122223333:assumed-role/r/s";
        assert_eq!(
            actor(session, Some("111122223333")).account_disagrees(),
            None
        );
        assert_eq!(
            actor(session, Some("111122223333")).established_account(),
            Some("111122223333")
        );
        let other = actor(session, Some("444455556666"));
        assert!(other
            .account_disagrees()
            .is_some_and(|d| d.contains("444455556666 is not account 111122223333")));
        assert_eq!(other.established_account(), None);
        // No account on one side, or no principal ARN (a service, an account, a label): none.
        assert_eq!(actor(session, None).account_disagrees(), None);
        assert_eq!(actor(session, Some("")).established_account(), None);
        assert_eq!(
            actor("arn:aws:sts:::assumed-role/r/s", Some("1")).account_disagrees(),
            None
        );
        assert_eq!(
            actor("s3.amazonaws.com", Some("1")).account_disagrees(),
            None
        );
        assert_eq!(
            actor("arn:aws:s3:::bucket/key", Some("111122223333")).account_disagrees(),
            None
        );
    }
}
