//! An incident's meaning and what remains to do: its impact (from the actor's records), its
//! severity by one rule, the eradication and recovery steps and the recommendations, each from
//! the incident's own milestones, credentials, techniques and findings, citing their eventIDs.
//! Runs once every finding of the incident is known (after the replay). Never says more than
//! the incident holds: a step exists only when its evidence does.

use crate::model::{
    refusal_code, ContainmentKind, ContainmentStatus, Event, FindingKind, Impact, Incident,
    Priority, ResponseStep, ServiceRead, Severity, ValueCopy,
};

/// The owner of the steps on IAM: a role, not a person (as every owner).
pub(super) const IAM: &str = "IAM administrator";

/// What the actor's calls read or changed. `access`: the honeytoken reads; `actor`: every call
/// of the actor and of its derived sessions.
pub fn impact<'e>(
    access: &[&Event],
    honeytoken: &str,
    actor: impl Iterator<Item = &'e Event>,
) -> Impact {
    let access_ids: std::collections::HashSet<&str> =
        access.iter().map(|a| a.event_id.as_str()).collect();
    let mut calls: Vec<&Event> = actor.collect();
    calls.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // The same record reached twice (its origin): not every record of an eventID, as
    // different records can share one (reused or altered: the case's `conflicting_copies`),
    // and each is a call the records show.
    calls.dedup_by(|a, b| a.origin == b.origin);
    let mut out = Impact {
        reads_succeeded: access.iter().filter(|e| e.succeeded()).count(),
        succeeded_read_ids: {
            let mut ok: Vec<&&Event> = access.iter().filter(|e| e.succeeded()).collect();
            ok.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            let mut ids: Vec<String> = ok.iter().map(|e| e.event_id.clone()).collect();
            ids.dedup();
            ids
        },
        reads_with_error: access.iter().filter(|e| e.refused()).count(),
        reads_denied: access
            .iter()
            .filter(|e| e.refused() && e.error_code.as_deref().is_some_and(refusal_code))
            .count(),
        service_reads: access
            .iter()
            // S3's kms:Decrypt of a decoy object is an indirect read, told as such elsewhere.
            .filter(|e| e.succeeded() && !is_copy(e) && e.event_source != "kms.amazonaws.com")
            .filter_map(|e| {
                Some(ServiceRead {
                    event_id: e.event_id.clone(),
                    invoked_by: e.identity.invoked_by.clone()?,
                })
            })
            .collect(),
        read_errors: access
            .iter()
            .filter_map(|e| e.error_code.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        copies: access
            .iter()
            .filter(|e| e.succeeded() && is_copy(e))
            .map(|e| ValueCopy {
                event_id: e.event_id.clone(),
                destination: copy_destination(e),
            })
            .collect(),
        other_value_reads: super::value_reads::collect(&access_ids, honeytoken, &calls),
        ..Impact::default()
    };
    let value_reads: std::collections::HashSet<String> = out
        .other_value_reads
        .iter()
        .map(|r| r.event_id.clone())
        .collect();
    // A network activity event the VPC endpoint let through records no outcome: neither a
    // call made nor one refused (the service's own record of it is). A sign-in
    // (`signin.amazonaws.com`: ConsoleLogin, CheckMfa, SwitchRole, …) changes nothing: it is how
    // a session begins (the actor's `console_sign_ins`).
    // `GetSigninToken` is the exception: a token that signs a browser in, obtained.
    for e in calls.into_iter().filter(|e| {
        !e.passed_endpoint()
            && (e.event_source != "signin.amazonaws.com" || e.event_name == "GetSigninToken")
    }) {
        // A credential obtained is a way in, whatever `readOnly` says (sso's CreateToken is
        // not read-only): neither a change nor a look-up.
        if e.succeeded() && issues_a_credential(e) {
            if read_only(e) {
                out.read_only_calls += 1;
            }
            let action = e.action();
            if !out.credentials_obtained.contains(&action) {
                out.credentials_obtained.push(action);
            }
            out.credentials_obtained_event_ids.push(e.event_id.clone());
            continue;
        }
        // A step toward a credential, not one, nor a change (readOnly false as it may be).
        if e.succeeded() && starts_a_credential(e) {
            let action = e.action();
            if !out.credential_requests.contains(&action) {
                out.credential_requests.push(action);
            }
            out.credential_request_event_ids.push(e.event_id.clone());
            continue;
        }
        let (names, ids) = match (read_only(e), e.succeeded()) {
            (true, true) => {
                out.read_only_calls += 1;
                if !access_ids.contains(e.event_id.as_str())
                    && e.identity.invoked_by.is_none()
                    && !value_reads.contains(&e.event_id)
                {
                    out.look_ups += 1;
                }
                continue;
            }
            (true, false) => continue,
            (false, true) => (&mut out.changes, &mut out.change_event_ids),
            // Refused by an access check, or failed otherwise (a condition, a validation):
            // only the first says the actor lacked the permission.
            (false, false) => match e.error_code.as_deref() {
                Some(code) if !crate::model::refusal_code(code) => {
                    if !out.failed_change_errors.iter().any(|c| c == code) {
                        out.failed_change_errors.push(code.to_string());
                    }
                    (&mut out.failed_changes, &mut out.failed_change_event_ids)
                }
                _ => (&mut out.refused_changes, &mut out.refused_change_event_ids),
            },
        };
        let action = e.action();
        if !names.contains(&action) {
            names.push(action);
        }
        ids.push(e.event_id.clone());
    }
    out.failed_change_errors.sort();
    out
}

/// The event sources IAM Identity Center's OIDC calls (`CreateToken`, `CreateTokenWithIAM`,
/// `RegisterClient`, `StartDeviceAuthorization`) may be recorded under. `sso-oauth.amazonaws.com`
/// is the one AWS documents (the EventBridge events reference, "AWS IAM Identity Center events":
/// `eventSource: sso-oauth.amazonaws.com`; the service's IAM prefix is `sso-oauth`).
/// `sso-oidc.amazonaws.com` (the SDK's service name) is kept though no AWS page or record we hold
/// shows it: missing such a call would hide a credential. `sso.amazonaws.com` is IAM Identity
/// Center's own (and its portal's `GetRoleCredentials`). No record in tests/data or the shared
/// data has any OIDC call (session 35's grep).
const IDENTITY_CENTER: [&str; 3] = [
    "sso.amazonaws.com",
    "sso-oauth.amazonaws.com",
    "sso-oidc.amazonaws.com",
];

/// A call that issues a credential: STS's (`AssumeRole`, `AssumeRoleWithSAML`,
/// `AssumeRoleWithWebIdentity`, `AssumeRoot`, `GetSessionToken`, `GetFederationToken`), which
/// CloudTrail marks read-only, and IAM Identity Center's (`sso:GetRoleCredentials`; `CreateToken`,
/// `CreateTokenWithIAM` and `RegisterClient`, recorded under one of [`IDENTITY_CENTER`]), some
/// of which it does not (`CreateToken`): a new way in, neither a look around nor a change to the
/// account's configuration. `iam:CreateAccessKey` is not here: it changes the account (a key
/// that stays until deleted), as the persistence technique it is.
///
/// Other services' calls that return a credential usable as such, as AWS documents each (API
/// references; each service's CloudTrail chapter lists the call as logged):
/// `cognito-identity:GetCredentialsForIdentity` (AWS credentials of an identity pool's role),
/// `sts:GetWebIdentityToken` (a signed JWT for services outside AWS), `signin:GetSigninToken`
/// (a token that signs a browser in to the console with federation credentials),
/// `ecr:GetAuthorizationToken` and `ecr-public:GetAuthorizationToken` (a registry password,
/// valid 12 hours), `codeartifact:GetAuthorizationToken` (a bearer token for package managers),
/// `redshift:GetClusterCredentials` and `GetClusterCredentialsWithIAM` (a temporary database
/// password). Not here: `rds generate-db-auth-token` (the SDK signs the token locally: no
/// call, no record) and Cognito's `GetOpenIdToken*` ([`starts_a_credential`]).
pub(super) fn issues_a_credential(e: &Event) -> bool {
    let name = e.event_name.as_str();
    match e.event_source.as_str() {
        "sts.amazonaws.com" => {
            name.starts_with("AssumeRole")
                || matches!(
                    name,
                    "AssumeRoot" | "GetSessionToken" | "GetFederationToken" | "GetWebIdentityToken"
                )
        }
        source if IDENTITY_CENTER.contains(&source) => matches!(
            name,
            "GetRoleCredentials" | "CreateToken" | "CreateTokenWithIAM" | "RegisterClient"
        ),
        "cognito-identity.amazonaws.com" => name == "GetCredentialsForIdentity",
        "signin.amazonaws.com" => name == "GetSigninToken",
        "ecr.amazonaws.com" | "ecr-public.amazonaws.com" | "codeartifact.amazonaws.com" => {
            name == "GetAuthorizationToken"
        }
        "redshift.amazonaws.com" => {
            matches!(
                name,
                "GetClusterCredentials" | "GetClusterCredentialsWithIAM"
            )
        }
        _ => false,
    }
}

/// A call that starts obtaining a credential and issues none itself: IAM Identity Center's
/// `StartDeviceAuthorization` returns a device code and a code for a user to approve in a
/// browser (the OAuth 2.0 device authorization grant); a token comes only from a later
/// `CreateToken` once a user approved it. Neither a change to the account nor a credential.
/// Cognito's `GetOpenIdToken` and `GetOpenIdTokenForDeveloperIdentity` return an OpenID Connect
/// token that is no AWS credential itself: it is exchanged for one (`GetCredentialsForIdentity`,
/// `sts:AssumeRoleWithWebIdentity`), which is in `credentials_obtained` when the evidence holds it.
pub(super) fn starts_a_credential(e: &Event) -> bool {
    let name = e.event_name.as_str();
    match e.event_source.as_str() {
        source if IDENTITY_CENTER.contains(&source) => name == "StartDeviceAuthorization",
        "cognito-identity.amazonaws.com" => {
            matches!(
                name,
                "GetOpenIdToken" | "GetOpenIdTokenForDeveloperIdentity"
            )
        }
        _ => false,
    }
}

/// An S3 `CopyObject`: as a honeytoken read, a copy out of it (the classifier reads its source).
fn is_copy(e: &Event) -> bool {
    crate::classify::is_s3_source(&e.event_source) && e.event_name == "CopyObject"
}

/// Where a `CopyObject` wrote: `s3://bucket/key` from the request's `bucketName` and `key`.
fn copy_destination(e: &Event) -> Option<String> {
    let record = e.record();
    let req = &record["requestParameters"];
    let text = |k: &str| req[k].as_str().filter(|s| !s.is_empty());
    Some(format!("s3://{}/{}", text("bucketName")?, text("key")?))
}

/// CloudTrail's `readOnly`; where a record lacks it (LookupEvents), the API's verb decides. A
/// DynamoDB PartiQL call of `SELECT`s only reads, whatever `readOnly` says
/// ([`super::partiql::select_only`]).
fn read_only(e: &Event) -> bool {
    if super::partiql::select_only(e) {
        return true;
    }
    e.read_only.unwrap_or_else(|| {
        const VERBS: [&str; 9] = [
            "Get", "List", "Describe", "Head", "Lookup", "Search", "BatchGet", "Query", "Scan",
        ];
        VERBS.iter().any(|v| e.event_name.starts_with(v))
    })
}

/// The severity rule: **Medium** when every honeytoken read was refused (the value stayed
/// secret); **Critical** when the value was returned and the actor kept or extended its access
/// (not contained, a live credential with no known expiry, or a persistence technique such as
/// creating an access key that succeeded); **High** when the value was returned otherwise.
pub fn severity(inc: &Incident) -> (Severity, String) {
    let i = &inc.impact;
    if i.reads_succeeded == 0 {
        // A refused call is an attempt to read, not a read: the value was never returned.
        return (
            Severity::Medium,
            match i.reads_with_error {
                0 => "no call in the evidence is known to have returned the honeytoken's value"
                    .to_string(),
                1 => format!(
                    "the one attempt to read the honeytoken {}: its value was not returned",
                    i.failed_reads_verb(1)
                ),
                n => format!(
                    "all {n} attempts to read the honeytoken {}: its value was not returned",
                    i.failed_reads_verb(n)
                ),
            },
        );
    }
    let mut kept = Vec::new();
    match inc.containment_status {
        ContainmentStatus::NotContained => {
            kept.push("no containment of the actor succeeded in the evidence".to_string())
        }
        ContainmentStatus::Unconfirmed => kept.push(
            "the actor's containment is not confirmed: the kill-switch reports it, CloudTrail shows no call of the configured kill-switch"
                .to_string(),
        ),
        _ => {}
    }
    if inc.live_credentials.iter().any(|c| c.expires.is_none()) {
        kept.push("a credential the containment did not cut has no known expiry".to_string());
    }
    for t in persistence(inc).filter(|t| t.succeeded) {
        kept.push(format!("{} succeeded ({})", t.name, t.id));
    }
    let returned = if inc.indirect_only() {
        format!(
            "S3 decrypted the honeytoken object for the actor ({} known only from kms:Decrypt; the S3 call itself is not in the evidence){}",
            match i.reads_succeeded {
                1 => "1 read".to_string(),
                n => format!("{n} reads"),
            },
            match i.reads_with_error {
                0 => String::new(),
                1 => format!("; 1 read in the evidence {}", i.failed_reads_verb(1)),
                n => format!("; {n} reads in the evidence {}", i.failed_reads_verb(n)),
            }
        )
    } else {
        i.value_obtained()
    };
    if kept.is_empty() {
        (
            Severity::High,
            format!(
                "{returned}; the actor's access is {}",
                inc.containment_status.describe()
            ),
        )
    } else {
        (
            Severity::Critical,
            format!("{returned}; {}", kept.join("; ")),
        )
    }
}

/// The actor's techniques that add a foothold (new credentials, accounts), not the use of the
/// credential it already had (T1078).
pub fn persistence(inc: &Incident) -> impl Iterator<Item = &crate::model::AttackTechnique> {
    inc.attack
        .iter()
        .filter(|t| t.tactics.iter().any(|x| x == "Persistence") && !t.id.starts_with("T1078"))
}

/// `d` seconds in words (`3 min 4.5 s`), to the tenth of a second as the report's tables say
/// them: a recommendation must not say `3 min 5 s` of what the milestones say `3 min 4.5 s`.
pub fn span(secs: f64) -> String {
    let tenths = (secs * 10.0).round().max(0.0) as i64;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    let seconds = |s: i64| match tenth {
        0 => format!("{s}"),
        t => format!("{s}.{t}"),
    };
    match (whole / 3600, (whole % 3600) / 60, whole % 60) {
        (0, 0, s) => format!("{} s", seconds(s)),
        (0, m, 0) if tenth == 0 => format!("{m} min"),
        (0, m, s) => format!("{m} min {} s", seconds(s)),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// The findings of `kind` on the incident.
pub fn findings_of(
    inc: &Incident,
    kind: FindingKind,
) -> impl Iterator<Item = &crate::model::Finding> {
    inc.findings.iter().filter(move |f| f.kind == kind)
}

/// The successful containment calls of `kind`.
pub fn contained_by(
    inc: &Incident,
    kind: ContainmentKind,
) -> impl Iterator<Item = &crate::model::ContainmentAction> {
    inc.containment
        .iter()
        .filter(move |c| c.kind == kind && c.outcome == "success")
}

/// A step (helper for the step lists).
pub fn step(
    priority: Priority,
    owner: &str,
    action: String,
    plain: &str,
    reason: String,
    event_ids: Vec<String>,
) -> ResponseStep {
    ResponseStep {
        priority,
        owner: owner.to_string(),
        action,
        plain: plain.to_string(),
        reason,
        until: None,
        event_ids,
        once_expired: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttackCall, AttackTechnique, LiveCredential, Timestamp};

    fn incident(reads_ok: usize, refused: usize, status: ContainmentStatus) -> Incident {
        Incident {
            id: "INC-001".into(),
            honeytoken: "h".into(),
            honeytoken_name: "h".into(),
            honeytoken_rule: "secret:h".into(),
            actor: Default::default(),
            cross_account: None,
            milestones: Default::default(),
            latency_seconds: Default::default(),
            access_event_ids: vec!["read".into()],
            access_records: Vec::new(),
            corroboration: Vec::new(),
            deliveries: Vec::new(),
            containment: Vec::new(),
            containment_status: status,
            live_credentials: Vec::new(),
            same_address: Default::default(),
            indicators: Vec::new(),
            attack: Vec::new(),
            event_ids: vec!["first".into(), "read".into()],
            alarm_evidence: Vec::new(),
            findings: Vec::new(),
            unknowns: Vec::new(),
            severity: Severity::default(),
            severity_basis: String::new(),
            impact: Impact {
                reads_succeeded: reads_ok,
                reads_with_error: refused,
                ..Impact::default()
            },
            eradication: Vec::new(),
            recommendations: Vec::new(),
            origins: Vec::new(),
        }
    }

    fn create_key(succeeded: bool) -> AttackTechnique {
        AttackTechnique {
            id: "T1098.001".into(),
            name: "Account Manipulation: Additional Cloud Credentials".into(),
            tactics: vec!["Persistence".into()],
            calls: vec![AttackCall {
                action: "iam:CreateAccessKey".into(),
                succeeded: u64::from(succeeded),
                failed: u64::from(!succeeded),
                refused: u64::from(!succeeded),
                errors: Vec::new(),
            }],
            succeeded,
            first_seen: Timestamp::from_secs(0),
            last_seen: Timestamp::from_secs(0),
            event_ids: vec!["key".into()],
        }
    }

    #[test]
    fn every_read_refused_is_medium_whatever_the_containment() {
        let i = incident(0, 2, ContainmentStatus::NotContained);
        let (s, why) = severity(&i);
        assert_eq!(s, Severity::Medium);
        assert!(
            why.contains("all 2 attempts to read the honeytoken were refused"),
            "{why}"
        );
    }

    #[test]
    fn a_returned_value_is_high_when_contained_or_partially() {
        for status in [
            ContainmentStatus::Contained,
            ContainmentStatus::PartiallyContained,
        ] {
            let mut i = incident(1, 0, status);
            i.attack.push(create_key(false));
            assert_eq!(severity(&i).0, Severity::High, "{status:?}");
        }
    }

    #[test]
    fn a_returned_value_with_access_kept_or_extended_is_critical() {
        let (s, why) = severity(&incident(1, 0, ContainmentStatus::NotContained));
        assert_eq!(s, Severity::Critical);
        assert!(
            why.contains("no containment of the actor succeeded"),
            "{why}"
        );
        let mut created = incident(1, 0, ContainmentStatus::Contained);
        created.attack.push(create_key(true));
        let (s, why) = severity(&created);
        assert_eq!(s, Severity::Critical);
        assert!(why.contains("T1098.001"), "{why}");
        let mut open = incident(1, 0, ContainmentStatus::PartiallyContained);
        open.live_credentials.push(LiveCredential {
            access_key_id: "ASIA1".into(),
            session_arn: None,
            issued_by_action: "sts:GetSessionToken".into(),
            issued_by_event_id: "issue".into(),
            issued_at: Timestamp::from_secs(0),
            expires: None,
            reason: "r".into(),
            last_success_after_containment: None,
            refused_after_containment: 0,
            first_refused_after_containment: None,
        });
        assert_eq!(severity(&open).0, Severity::Critical);
    }

    #[test]
    fn not_contained_puts_cutting_access_first_and_every_step_cites_records() {
        let mut i = incident(1, 0, ContainmentStatus::NotContained);
        i.actor.arn = "arn:aws:iam::1:user/u".into();
        i.actor.access_key_ids = vec!["AKIAX".into()];
        i.attack.push(create_key(true));
        crate::correlate::respond(&mut i);
        let first = &i.eradication[0];
        assert_eq!(first.priority, Priority::Immediate);
        assert!(first
            .action
            .starts_with("Cut the access of arn:aws:iam::1:user/u"));
        assert!(i
            .eradication
            .iter()
            .any(|s| s.action.contains("iam:CreateAccessKey") && s.event_ids == ["key"]));
        assert!(i.eradication.iter().any(|s| s
            .action
            .starts_with("Deactivate, then delete, access key(s) AKIAX")));
        assert!(i.eradication.iter().all(|s| !s.event_ids.is_empty()));
        assert!(i
            .eradication
            .windows(2)
            .all(|w| w[0].priority <= w[1].priority));
        // No detection in the evidence: both paths get a repair recommendation.
        assert_eq!(
            i.recommendations
                .iter()
                .filter(|r| r.plain == "Repair a detection path that did not fire")
                .count(),
            2
        );
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(184.5), "3 min 4.5 s");
        assert_eq!(span(155.5), "2 min 35.5 s");
        assert_eq!(span(29.0), "29 s");
        assert_eq!(span(120.0), "2 min");
        assert_eq!(span(7033.0), "1 h 57 min");
    }
}
