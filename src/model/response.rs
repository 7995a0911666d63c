//! What an incident means and what remains to do about it: its severity (by a documented rule),
//! its impact (what the actor's calls read or changed, as CloudTrail records them), the
//! eradication and recovery steps and the recommendations, each citing the records it rests on.
//! `correlate::response` derives them from the incident; every output reads them from here.

use super::Timestamp;
use serde::Serialize;
use std::borrow::Cow;

/// How grave an incident is, by the rule in `correlate::response::severity`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Every read was refused: the credential is in hostile hands, the decoy's value is not.
    Medium,
    /// The honeytoken's value was returned to the actor.
    #[default]
    High,
    /// The value was returned and the actor kept or extended its access: not contained, a
    /// credential with no known expiry, or credentials it created.
    Critical,
}

impl Severity {
    pub fn describe(self) -> &'static str {
        match self {
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }
}

/// What the actor's calls did, as CloudTrail records them (data the trail does not log, such as
/// what happened to a value once returned, is not here).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// Honeytoken reads that succeeded (no `errorCode`): the value returned to the actor, or,
    /// for the `copies` among them, copied where the actor's request named.
    pub reads_succeeded: usize,
    /// Their eventIDs, in time order: what a sentence on the value obtained cites (not the
    /// reads that failed). Not in the JSON: `access_event_ids` lists every read.
    #[serde(skip)]
    pub succeeded_read_ids: Vec<String>,
    /// Honeytoken reads that failed (an `errorCode`): refused by an access check
    /// (`reads_denied`), or failed otherwise (`read_errors` says which). The JSON also has it
    /// under its former, misleading name `reads_refused` (deprecated; `export::wire`).
    pub reads_with_error: usize,
    /// The error codes of those reads, each once, sorted (`AccessDeniedException`,
    /// `ResourceNotFoundException`): a code that is no access check's (a secret not found
    /// where it was asked for, a throttled call) is a call that failed, not one refused.
    pub read_errors: Vec<String>,
    /// Of `reads_with_error`, those an access check refused (an `errorCode` such as
    /// `AccessDenied`, see [`refusal_code`]); the rest failed otherwise.
    pub reads_denied: usize,
    /// The successful reads that were S3 `CopyObject` calls out of the honeytoken: S3 wrote
    /// the value into the bucket and key the request named, not back to the actor.
    pub copies: Vec<ValueCopy>,
    /// The successful reads (not copies) an AWS service made on the actor's behalf
    /// (`userIdentity.invokedBy`): the value went to that service, not back to the caller.
    pub service_reads: Vec<ServiceRead>,
    /// Successful calls of the actor (and of its derived sessions) that CloudTrail marks as
    /// read-only, honeytoken reads included.
    pub read_only_calls: usize,
    /// Of those, the actor's own look-ups: not the honeytoken reads, not calls an AWS service
    /// made on its behalf (`invokedBy`, e.g. the kms:Decrypt behind a secret read), not the
    /// reads of other stored values (`other_value_reads`), and not the STS calls that issue a
    /// credential (`AssumeRole*`, `GetSessionToken`, `GetFederationToken`).
    pub look_ups: usize,
    /// The actor's successful calls that returned the value of a stored secret or parameter
    /// besides the honeytoken (Secrets Manager, SSM Parameter Store), in time order: values
    /// that may be real credentials, now in the actor's hands. A honeytoken read that also
    /// named other parameters or secrets (`GetParameters`, `BatchGetSecretValue`) is one, by
    /// those other names.
    pub other_value_reads: Vec<OtherValueRead>,
    /// Successful calls of the actor that obtained a credential, by action: a role session
    /// (`sts:AssumeRole*`), a session or federation token (`sts:GetSessionToken`,
    /// `GetFederationToken`), IAM Identity Center role credentials (`sso:GetRoleCredentials`),
    /// an access token or a client registration (`CreateToken`, `CreateTokenWithIAM`,
    /// `RegisterClient` of `sso-oauth`, as AWS documents its OIDC calls, or `sso`, `sso-oidc`).
    /// Other services' credentials usable as such: Cognito identity pool credentials
    /// (`GetCredentialsForIdentity`), `sts:GetWebIdentityToken`, `signin:GetSigninToken`, ECR's
    /// and CodeArtifact's `GetAuthorizationToken`, Redshift's `GetClusterCredentials*`.
    /// A way in, not a change to the account's configuration nor a look-up, whatever
    /// CloudTrail's `readOnly` says (`CreateToken`'s is false). A console sign-in is in the
    /// actor's `console_sign_ins`.
    pub credentials_obtained: Vec<String>,
    pub credentials_obtained_event_ids: Vec<String>,
    /// Successful calls of the actor that started obtaining a credential and issued none: an
    /// IAM Identity Center device authorization (`StartDeviceAuthorization`, which returns a
    /// code for a user to approve, not a token; a token comes from a later `CreateToken`, in
    /// `credentials_obtained` when the evidence holds it); a Cognito OpenID Connect token
    /// (`GetOpenIdToken`, `GetOpenIdTokenForDeveloperIdentity`), exchanged for AWS credentials.
    /// Neither a change nor a credential usable as such.
    pub credential_requests: Vec<String>,
    pub credential_request_event_ids: Vec<String>,
    /// Successful calls not marked read-only (they may have changed something), by action;
    /// not those that obtained a credential (`credentials_obtained`).
    pub changes: Vec<String>,
    pub change_event_ids: Vec<String>,
    /// Calls not marked read-only that an access check refused ([`refusal_code`]:
    /// `AccessDenied`, `Client.UnauthorizedOperation`, …), by action.
    pub refused_changes: Vec<String>,
    pub refused_change_event_ids: Vec<String>,
    /// Calls not marked read-only that failed with another error (DynamoDB's
    /// `ConditionalCheckFailedException`, `ValidationException`, …), by action: not shown
    /// refused, so the actor may hold the permission.
    pub failed_changes: Vec<String>,
    pub failed_change_event_ids: Vec<String>,
    /// Their error codes, each once.
    pub failed_change_errors: Vec<String>,
}

/// A successful S3 `CopyObject` out of the honeytoken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueCopy {
    pub event_id: String,
    /// `s3://bucket/key`, from the request's `bucketName` and `key`; `None` when the record
    /// names no destination.
    pub destination: Option<String>,
}

/// A successful call of the actor that returned another stored secret's or parameter's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherValueRead {
    pub event_id: String,
    /// `eventSource:eventName` without `.amazonaws.com` (`secretsmanager:GetSecretValue`).
    pub action: String,
    /// What the request named besides the honeytoken (`secretId`, `name`, `names`,
    /// `secretIdList`, or a `path` as `PATH (every parameter under it)`), as recorded; empty
    /// when the record names none (a filter).
    pub names: Vec<String>,
}

/// A successful honeytoken read an AWS service made on the actor's behalf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceRead {
    pub event_id: String,
    /// `userIdentity.invokedBy`: the service that made the call (`cloudformation.amazonaws.com`).
    pub invoked_by: String,
}

/// How many destinations a sentence names; the JSON has every copy.
const DESTINATIONS_NAMED: usize = 3;

/// Whether an `errorCode` is an access check's refusal (`AccessDenied`, `AccessDeniedException`,
/// `Client.UnauthorizedOperation`, `VpceAccessDenied`, ...), as opposed to another failure
/// (`ResourceNotFoundException`, `ThrottlingException`, `InvalidRequestException`).
pub fn refusal_code(code: &str) -> bool {
    let c = code.to_ascii_lowercase();
    [
        "accessdenied",
        "unauthorized",
        "notauthorized",
        "forbidden",
        "authorizationerror",
    ]
    .iter()
    .any(|w| c.contains(w))
}

/// How a set of failed calls ended, from their count, how many of them an access check refused
/// and their error codes (each once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failures {
    /// Every one refused by an access check.
    Refused,
    /// None refused by an access check: the codes, joined (`ResourceNotFoundException`).
    Failed(String),
    /// Both: each kind counted with its codes, `1 refused (AccessDenied), 1 failed
    /// (ResourceNotFoundException)`.
    Mixed(String),
}

/// How `failed` calls with the error `codes` (each once) ended, `refused` of them refused by an
/// access check (the rest failed otherwise): the one rule every sentence and table uses.
pub fn failures(failed: usize, refused: usize, codes: &[String]) -> Failures {
    let (denials, others): (Vec<&str>, Vec<&str>) = codes
        .iter()
        .map(String::as_str)
        .partition(|c| refusal_code(c));
    // Codes all an access check's (none recorded included): refused, as before the counts.
    if refused >= failed || codes.iter().all(|c| refusal_code(c)) {
        Failures::Refused
    } else if refused == 0 || denials.is_empty() {
        Failures::Failed(codes.join(", "))
    } else {
        Failures::Mixed(format!(
            "{refused} refused ({}), {} failed ({})",
            denials.join(", "),
            failed - refused,
            others.join(", ")
        ))
    }
}

impl Impact {
    /// What became of the `n` honeytoken reads that failed, as a verb phrase: `was refused` /
    /// `were refused` when every error is an access check's refusal, else `failed` with the
    /// codes (`failed (ResourceNotFoundException)`): those calls were not shown refused.
    ///
    /// With both kinds among them, each is counted: `were refused or failed: 1 refused
    /// (AccessDeniedException), 1 failed (ResourceNotFoundException)`.
    pub fn failed_reads_verb(&self, n: usize) -> String {
        match failures(self.reads_with_error, self.reads_denied, &self.read_errors) {
            Failures::Refused => if n == 1 {
                "was refused"
            } else {
                "were refused"
            }
            .to_string(),
            Failures::Failed(codes) => format!("failed ({codes})"),
            Failures::Mixed(split) => format!(
                "{} refused or failed: {split}",
                if n == 1 { "was" } else { "were" }
            ),
        }
    }

    /// The successful reads that returned the value to the actor (not copies).
    pub fn reads_returned(&self) -> usize {
        self.reads_succeeded.saturating_sub(self.copies.len())
    }

    /// The successful reads that returned the value to the caller itself: neither copies nor
    /// reads an AWS service made on its behalf.
    pub fn reads_to_actor(&self) -> usize {
        self.reads_returned()
            .saturating_sub(self.service_reads.len())
    }

    /// Every successful read was an AWS service's on the actor's behalf: the records show the
    /// value returned to the service, never to the actor.
    pub fn service_reads_only(&self) -> bool {
        !self.service_reads.is_empty() && self.copies.is_empty() && self.reads_to_actor() == 0
    }

    /// The services that read the value on the actor's behalf, each once: `config.amazonaws.com`.
    pub fn reading_services(&self) -> String {
        let mut names: Vec<&str> = self
            .service_reads
            .iter()
            .map(|r| r.invoked_by.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names.join(", ")
    }

    /// Where the copies put the value, in words: `s3://bucket/key, a bucket and key of the
    /// actor's choosing`, an unknown destination said so.
    pub fn copied_into(&self) -> String {
        let mut known: Vec<&str> = Vec::new();
        for d in self.copies.iter().filter_map(|c| c.destination.as_deref()) {
            if !known.contains(&d) {
                known.push(d);
            }
        }
        let mut places: Vec<String> = known
            .iter()
            .take(DESTINATIONS_NAMED)
            .map(|d| d.to_string())
            .collect();
        if known.len() > DESTINATIONS_NAMED {
            places.push(format!("{} more", known.len() - DESTINATIONS_NAMED));
        }
        if self.copies.iter().any(|c| c.destination.is_none()) {
            places.push("a destination the record does not name (unknown)".into());
        }
        let many = known.len() + usize::from(self.copies.iter().any(|c| c.destination.is_none()));
        let list = match places.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        format!(
            "{list}, {} of the actor's choosing",
            if many > 1 {
                "buckets and keys"
            } else {
                "a bucket and key"
            }
        )
    }

    /// What the successful reads did with the value, for a sentence: `the honeytoken's value was
    /// returned to the actor (2 successful reads) and copied into …`.
    pub fn value_obtained(&self) -> String {
        let plural = |n: usize, one: &str, many: &str| {
            format!("{n} successful {}", if n == 1 { one } else { many })
        };
        let mut parts = Vec::new();
        let returned = self.reads_to_actor();
        if returned > 0 {
            parts.push(format!(
                "returned to the actor ({})",
                plural(returned, "read", "reads")
            ));
        }
        if !self.service_reads.is_empty() {
            parts.push(format!(
                "returned to the AWS service {} calling on the actor's behalf (userIdentity.invokedBy; {})",
                self.reading_services(),
                plural(self.service_reads.len(), "read", "reads")
            ));
        }
        if !self.copies.is_empty() {
            parts.push(format!(
                "copied into {} ({})",
                self.copied_into(),
                plural(self.copies.len(), "copy", "copies")
            ));
        }
        format!("the honeytoken's value was {}", parts.join(" and "))
    }
}

/// When a step or recommendation should be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Now: the actor may still have access.
    Immediate,
    /// Before the incident is closed.
    High,
    /// Soon after.
    Medium,
    /// When convenient.
    Low,
}

impl Priority {
    pub fn describe(self) -> &'static str {
        match self {
            Priority::Immediate => "Immediate",
            Priority::High => "High",
            Priority::Medium => "Medium",
            Priority::Low => "Low",
        }
    }
}

/// One thing to do: an eradication or recovery step, or a recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseStep {
    pub priority: Priority,
    /// The role that should do it, e.g. `IAM administrator`.
    pub owner: String,
    /// What to do, naming the principals, keys and roles.
    pub action: String,
    /// The same in plain words, without identifiers (for the executive summary).
    pub plain: String,
    /// Why, from the evidence.
    pub reason: String,
    /// When the step stops being this urgent (a credential's recorded expiry), if it does: its
    /// `action` then says what is still worth doing after it. The JSON has no "now" of its own:
    /// it gives the step for after the expiry when the evidence itself runs past it (its last
    /// record is later: [`StepsAt`]), else this one, which states both; the report shows the
    /// one that applies when it was made ([`ResponseStep::at`]).
    pub until: Option<Timestamp>,
    /// The records it rests on.
    pub event_ids: Vec<String>,
    /// The step as it stands once `until` has passed (the credential expired): what is still
    /// worth doing then, at its own priority; its `reason` is completed by
    /// [`ResponseStep::at`] with what shows the expiry passed. Not in the JSON (its `action`
    /// says it, or the JSON gives this step in its place).
    #[serde(skip)]
    pub once_expired: Option<Box<ResponseStep>>,
}

/// The times a step bound to a credential's expiry is read against: the evidence's own end
/// (the latest eventTime of the records read: the same whenever and wherever the output is
/// made, so the JSON, which has no clock, can use it) and, for a report, when it was made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepsAt {
    pub evidence_end: Option<Timestamp>,
    pub made: Option<Timestamp>,
}

/// What shows that a credential's recorded expiry has passed ([`StepsAt::expired`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryPassed {
    /// The evidence runs past it: its last record is at this later time.
    ByEvidence(Timestamp),
    /// The report was made at or after it (the evidence ends before it).
    BeforeReport,
}

impl ExpiryPassed {
    /// "it expired at T: the evidence runs to T2, after that time", "it expired at T, before
    /// this report was made".
    pub fn clause(self, expiry: Timestamp) -> String {
        match self {
            ExpiryPassed::ByEvidence(end) => {
                format!("it expired at {expiry}: the evidence runs to {end}, after that time")
            }
            ExpiryPassed::BeforeReport => {
                format!("it expired at {expiry}, before this report was made")
            }
        }
    }
}

impl StepsAt {
    /// The JSON's: the evidence's end only.
    pub fn evidence(evidence_end: Option<Timestamp>) -> StepsAt {
        StepsAt {
            evidence_end,
            made: None,
        }
    }

    /// Whether a credential recorded to expire at `expiry` has expired, and what shows it: the
    /// evidence first (a fact of the records, true whenever read), else the report's time.
    pub fn expired(self, expiry: Timestamp) -> Option<ExpiryPassed> {
        match (self.evidence_end, self.made) {
            (Some(end), _) if end > expiry => Some(ExpiryPassed::ByEvidence(end)),
            (_, Some(made)) if expiry <= made => Some(ExpiryPassed::BeforeReport),
            _ => None,
        }
    }
}

impl ResponseStep {
    /// This step as of `at`: once its `until` has passed ([`StepsAt::expired`]), the step that
    /// replaces it, its reason ending with the expiry and what shows it passed; else itself.
    pub fn at(&self, at: StepsAt) -> Cow<'_, ResponseStep> {
        let (Some(after), Some(until)) = (&self.once_expired, self.until) else {
            return Cow::Borrowed(self);
        };
        match at.expired(until) {
            Some(passed) => {
                let mut step = (**after).clone();
                step.reason = format!("{}; {}", after.reason, passed.clause(until));
                Cow::Owned(step)
            }
            None => Cow::Borrowed(self),
        }
    }
}

/// `steps` as of `at` ([`ResponseStep::at`]), most urgent first again (a step whose credential
/// expired may rank lower than it did); steps of one priority keep their order.
pub fn steps_at(steps: &[ResponseStep], at: StepsAt) -> Vec<Cow<'_, ResponseStep>> {
    let mut out: Vec<Cow<'_, ResponseStep>> = steps.iter().map(|s| s.at(at)).collect();
    out.sort_by_key(|s| s.priority);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_count_each_kind_only_when_both_are_there() {
        let codes = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(failures(2, 2, &codes(&["AccessDenied"])), Failures::Refused);
        assert_eq!(
            failures(1, 0, &codes(&["ResourceNotFoundException"])),
            Failures::Failed("ResourceNotFoundException".into())
        );
        assert_eq!(
            failures(
                3,
                1,
                &codes(&["AccessDenied", "NoSuchKey", "ThrottlingException"])
            ),
            Failures::Mixed(
                "1 refused (AccessDenied), 2 failed (NoSuchKey, ThrottlingException)".into()
            )
        );
    }
}
