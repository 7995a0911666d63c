//! The executive summary's bottom line on what the actor got and what is left: the impact
//! (reads, look-ups, changes, refused attempts), whether the value left AWS, and the residual
//! risk, each from the incident's data, with the caveat of incomplete evidence.

use super::words::{list, plain_changes, plural};
use super::{copied_only, decoy};
use crate::model::{ContainmentStatus, ExpiryPassed, Incident, StepsAt, Timeline};
use crate::report::content::fmt;
use std::collections::HashSet;

/// What "the records show no ..." rests on when the evidence is known to be incomplete: the
/// region-hours without trail files, or the other evidence gaps; empty when none is known.
pub(super) fn caveat(t: &Timeline) -> String {
    let hours: usize = t.coverage.not_covered.iter().map(|r| r.hours).sum();
    if hours > 0 {
        format!("{hours} region-hour(s) of the analysed window lack trail files (see the evidence gaps)")
    } else if t.coverage.status == crate::model::CoverageStatus::NotExamined {
        "whether trail files cover the analysed window was not examined".into()
    } else if !t.gaps.is_empty() {
        format!(
            "{} evidence gap(s) may hold more (see the evidence gaps)",
            t.gaps.len()
        )
    } else {
        String::new()
    }
}

/// `caveat`: see [`caveat`], said once after what "the records show no ...".
pub(super) fn impact(t: &Timeline, i: &Incident, caveat: &str) -> String {
    let m = &i.impact;
    // Beside the read that returned the value, the calls that did not: "other", not "more" (the
    // read was no attempt), and "failed: CODE" for an error no access check gives.
    let refused = if m.reads_with_error > 0 {
        let verb = m.failed_reads_verb(m.reads_with_error);
        let verb = match verb.strip_prefix("failed (") {
            Some(codes) => format!("failed: {}", codes.trim_end_matches(')')),
            None => verb,
        };
        format!(
            " ({} {verb})",
            plural(
                m.reads_with_error,
                "other attempt to read it",
                "other attempts to read it"
            )
        )
    } else {
        String::new()
    };
    let read = if i.indirect_only() {
        format!(
            "S3 decrypted the {} for the actor, as it does to return or copy an object: whether the value reached the actor is not shown, since the S3 call itself is not in the evidence{}.",
            decoy(i),
            match m.reads_with_error {
                0 => String::new(),
                1 => format!(
                    "; the actor's direct read in the evidence {}",
                    m.failed_reads_verb(1)
                ),
                n => format!(
                    "; the actor's {n} direct reads in the evidence {}",
                    m.failed_reads_verb(n)
                ),
            }
        )
    } else if copied_only(i) {
        format!(
            "The actor had the {}'s value copied into {}{refused}; the records do not show the value returned to the actor itself.",
            decoy(i),
            m.copied_into()
        )
    } else if !m.copies.is_empty() {
        format!(
            "The actor obtained the {}'s value, and had it copied into {}{refused}.",
            decoy(i),
            m.copied_into()
        )
    } else if m.service_reads_only() {
        format!(
            "The AWS service {} obtained the {}'s value, calling on the actor's behalf (userIdentity.invokedBy){refused}; the records do not show the value returned to the actor itself, nor where the service put it.",
            m.reading_services(),
            decoy(i)
        )
    } else if m.reads_succeeded > 0 {
        format!("The actor obtained the {}'s value{refused}.", decoy(i))
    } else {
        format!(
            "The actor did not obtain the {}'s value: {} {}.",
            decoy(i),
            if m.reads_with_error == 1 {
                "its one attempt".to_string()
            } else {
                format!("all {} attempts", m.reads_with_error)
            },
            m.failed_reads_verb(m.reads_with_error)
        )
    };
    let changes = plain_changes(&m.changes);
    let refused = plain_changes(&m.refused_changes);
    let changed = if changes.is_empty() {
        "The records show no change made by the actor".to_string()
    } else {
        format!("The actor managed to {}", list(&changes))
    };
    let failed = plain_changes(&m.failed_changes);
    // A failed change that no access check refused (a condition, a validation) passed the
    // check: the actor may hold the permission, so it is not told as refused.
    let failed = (!failed.is_empty()).then(|| {
        format!(
            "its attempt to {} failed ({}), an error that is not an access refusal, so the records do not show the actor lacked the permission",
            list(&failed),
            m.failed_change_errors.join(", ")
        )
    });
    let tried = match (refused.is_empty(), failed) {
        (true, None) => ".".to_string(),
        (false, None) => format!("; its attempt to {} was refused.", list(&refused)),
        (true, Some(f)) => format!("; {f}."),
        (false, Some(f)) => format!("; its attempt to {} was refused, and {f}.", list(&refused)),
    };
    // Other secrets' values first: they may be real credentials, not a look around.
    let values = super::other_values::sentence(m);
    let looked = match (values.is_empty(), m.look_ups) {
        (true, 0) => "The records show no other look-up by the actor.".to_string(),
        (true, n) => format!(
            "Besides, it looked around the account ({}).",
            plural(n, "successful look-up", "successful look-ups")
        ),
        (false, 0) => format!("Besides, {values}. The records show no other look-up by the actor."),
        (false, n) => format!(
            "Besides, {values}; it also looked around the account ({}).",
            plural(n, "successful look-up", "successful look-ups")
        ),
    };
    let rests = if caveat.is_empty() || (m.look_ups > 0 && !changes.is_empty()) {
        String::new()
    } else {
        format!(" That rests on the evidence read only: {caveat}.")
    };
    // Credentials obtained: a way in, told apart from changes to the account.
    let obtained = {
        let mut words: Vec<String> = Vec::new();
        for a in &m.credentials_obtained {
            let mut w = super::words::plain_credential(a).to_string();
            if let Some(until) = recorded_expiry(t, m, a) {
                w.push_str(&format!(" (expiring {until}, as its record gives it)"));
            }
            if !words.contains(&w) {
                words.push(w);
            }
        }
        match words.is_empty() {
            true => String::new(),
            false => format!("It obtained new credentials: {}. ", list(&words)),
        }
    };
    // A step toward a credential: what it is, and whether a token followed in the evidence.
    let device = m
        .credential_requests
        .iter()
        .any(|a| a.ends_with(":StartDeviceAuthorization"));
    let started = match device {
        false => String::new(),
        true => format!(
            "It started an IAM Identity Center device sign-in, which issues no credential itself (a token comes only once a user approves the sign-in and the client asks for it){}. ",
            match m.credentials_obtained.iter().any(|a| a.ends_with(":CreateToken")) {
                true => "",
                false => "; no token issued to it is in the evidence",
            }
        ),
    };
    // An OpenID Connect token from Cognito: no AWS credential itself, exchanged for one.
    let openid = m
        .credential_requests
        .iter()
        .any(|a| a.starts_with("cognito-identity:GetOpenIdToken"));
    let started = match openid {
        false => started,
        true => format!(
            "{started}It obtained an OpenID Connect token from a Cognito identity pool, which is no AWS credential itself (it is exchanged for one){}. ",
            match m.credentials_obtained.iter().any(|a| {
                a == "cognito-identity:GetCredentialsForIdentity"
                    || a == "sts:AssumeRoleWithWebIdentity"
            }) {
                true => "",
                false => "; no credential issued for it is in the evidence",
            }
        ),
    };
    format!("{read} {looked} {obtained}{started}{changed}{tried}{rests}")
}

/// Addresses a sentence names at most; the JSON timeline has every read with its address.
const ADDRESSES_NAMED: usize = 10;

pub(super) fn value_left(t: &Timeline, i: &Incident) -> String {
    if i.impact.reads_succeeded == 0 {
        return "No: the value was never returned to the actor.".into();
    }
    let copied = if i.impact.copies.is_empty() {
        String::new()
    } else {
        format!(" copied into {}", i.impact.copied_into())
    };
    if copied_only(i) {
        return format!("Unknown: the records show the value{copied}, not where it went next.");
    }
    if i.indirect_only() {
        return "Unknown: KMS records show S3 decrypting the object for the actor; the S3 call that returned or copied it is not in the evidence, nor where the value went next.".into();
    }
    if i.impact.service_reads_only() {
        return format!(
            "Unknown: the records show the value returned to the AWS service {} calling on the actor's behalf, not where the service put it nor where it went next.",
            i.impact.reading_services()
        );
    }
    // The addresses of the reads that returned the value, in the order of the reads: not every
    // address the actor's other calls came from (nor a copy's, whose value S3 kept).
    let copies: HashSet<&str> = i
        .impact
        .copies
        .iter()
        .map(|c| c.event_id.as_str())
        .collect();
    let mut seen = HashSet::new();
    let ips: Vec<String> = i
        .access_records
        .iter()
        .filter_map(|copy| t.event_at(copy.origin))
        .filter(|e| e.succeeded() && !copies.contains(e.event_id.as_str()))
        .filter_map(|e| e.source_address())
        .filter(|ip| seen.insert(*ip))
        .map(str::to_owned)
        .collect();
    let at = match ips.len() {
        0 => String::new(),
        1 => format!(" at the address {}", ips[0]),
        n if n <= ADDRESSES_NAMED => format!(" at the addresses {}", list(&ips)),
        n => format!(
            " at {n} addresses, the first {}, and {} more (the JSON timeline has every read with its address)",
            ips[..ADDRESSES_NAMED].join(", "),
            n - ADDRESSES_NAMED
        ),
    };
    let and = if copied.is_empty() { "" } else { " and" };
    format!("Unknown: the records show the value was returned to the actor{at}{and}{copied}, not where it went next.")
}

/// The residual risk of `i`, as of `made` (when this report was made: its title page's
/// "Generated", SOURCE_DATE_EPOCH or now); `evidence_end`: the latest eventTime read.
pub(super) fn residual(i: &Incident, at: StepsAt) -> String {
    let mut out = Vec::new();
    match i.containment_status {
        ContainmentStatus::NotContained => {
            out.push("No cut of the actor's access is in the evidence: it may still use the stolen credential.".to_string())
        }
        ContainmentStatus::Unconfirmed => out.push(
            "Whether the actor's access was cut is not confirmed: until the user's policies and keys are checked, assume it may still use the stolen credential."
                .to_string(),
        ),
        ContainmentStatus::PartiallyContained => {
            for c in &i.live_credentials {
                out.push(match c.expires {
                    // Expired (the evidence runs past it, or the report was made after it): no
                    // longer usable, but what it did until then is only what the trail holds.
                    Some(t) if at.expired(t).is_some() => format!(
                        "A temporary credential the actor obtained before the block was not revoked in the evidence and expired at {} ({}); whether it was used from elsewhere before then is shown only by records in the trail, examined up to {}.",
                        fmt::time(t),
                        match at.expired(t) {
                            Some(ExpiryPassed::ByEvidence(_)) => "the evidence runs past that time",
                            _ => "expired before this report was made",
                        },
                        at.evidence_end.map(fmt::time).unwrap_or_else(|| "no record (none was read)".into())
                    ),
                    Some(t) => format!(
                        "A temporary credential the actor obtained before the block stays usable until {} unless it is revoked.",
                        fmt::time(t)
                    ),
                    None => "A temporary credential the actor obtained before the block stays usable, with no known expiry, unless it is revoked.".to_string(),
                });
            }
        }
        ContainmentStatus::Contained => out.push(
            "The kill-switch's calls reached every credential the evidence links to the actor; that credential stays a risk until it is deleted and replaced (a deny can be removed, a deactivated key reactivated)."
                .to_string(),
        ),
    }
    let blocked = matches!(
        i.containment_status,
        ContainmentStatus::Contained | ContainmentStatus::PartiallyContained
    );
    if blocked
        && i.same_address
            .succeeded_after_containment()
            .next()
            .is_some()
    {
        out.push("Another identity kept calling AWS from the address the decoy was read from after the block: no record links it to the actor, but if it is the actor's, the block did not reach it.".into());
    }
    if copied_only(i) {
        out.push(format!(
            "A copy of the decoy's value is in {}: any use of the value elsewhere is a further sign of this actor.",
            i.impact.copied_into()
        ));
    } else if i.indirect_only() {
        out.push("The decoy's value may be in the actor's hands (S3 decrypted it for the actor): any use of it elsewhere is a further sign of this actor.".into());
    } else if i.impact.service_reads_only() {
        out.push(format!(
            "The decoy's value went to the AWS service {} on the actor's behalf, and may be where the service put it for the actor: any use of it elsewhere is a further sign of this actor.",
            i.impact.reading_services()
        ));
    } else if i.impact.reads_succeeded > 0 {
        out.push("The decoy's value is in the actor's hands: any use of it elsewhere is a further sign of this actor.".into());
    }
    out.join(" ")
}

/// When the credential of `action` (one of `m.credentials_obtained`) expires, as the first of
/// its records that states it writes it (other services' credentials only: a role session's
/// expiry is told with the actor's keys): Cognito's `credentials.expiration`, Redshift's and
/// CodeArtifact's `expiration`, ECR's `authorizationData[].expiresAt` (a number of seconds since
/// 1970 is written as a UTC time). Never the credential itself. `None` when no record of it
/// holds one (CloudTrail may leave `responseElements` out).
fn recorded_expiry(t: &Timeline, m: &crate::model::Impact, action: &str) -> Option<String> {
    if action.starts_with("sts:") || action.starts_with("sso") {
        return None;
    }
    m.credentials_obtained_event_ids
        .iter()
        .filter_map(|id| t.event(id))
        .filter(|e| e.action() == action)
        .find_map(|e| {
            let record = e.record();
            let r = &record["responseElements"];
            let v = [
                &r["credentials"]["expiration"],
                &r["credentials"]["Expiration"],
                &r["expiration"],
                &r["authorizationData"][0]["expiresAt"],
                &r["authorizationData"]["expiresAt"],
            ]
            .into_iter()
            .find(|v| !v.is_null())?
            .clone();
            match v {
                // As written (e.g. "Jan 12, 2024 6:33:37 PM"), at most a date's length.
                serde_json::Value::String(s) if !s.is_empty() => {
                    Some(s.chars().filter(|c| !c.is_control()).take(40).collect())
                }
                serde_json::Value::Number(n) => n
                    .as_f64()
                    .filter(|s| s.is_finite() && s.abs() < 1e11)
                    .map(|s| crate::model::Timestamp::from_secs(s.floor() as i64).to_rfc3339()),
                _ => None,
            }
        })
}
