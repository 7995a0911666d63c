//! Loose CloudTrail records with no detection evidence at all (no rule, no rule metric, no
//! alarm history; Stratus Red Team's secrets retrieval, `tests/data/SOURCES.md`): the executive
//! summary's detection line said "the real-time event rule left no evidence of detecting it;
//! there is no alarm in the evidence from the log-based path", telling of a rule and an alarm
//! the evidence does not hold. It now says whether each flow fired is unknown, and why.

use crate::support;

use support::*;

/// Stratus Red Team's secrets retrieval with one of the secrets it read as the honeytoken.
fn secrets_case(dir: &std::path::Path) -> std::path::PathBuf {
    stratus_case(
        dir,
        "aws.credential-access.secretsmanager-retrieve-secrets.json",
        Some(("secret", "stratus-red-team-retrieve-secret-3")),
    )
}

#[test]
fn detection_with_no_pipeline_evidence_is_unknown_not_silent() {
    let dir = tempfile::tempdir().unwrap();
    let case = secrets_case(dir.path());
    let (_, text) = timeline_and_unverifiable_report(&case, &[]);
    assert!(
        text.contains("Detection. Whether a real-time event rule detected it is unknown: no EventBridge rule, rule metric or kill-switch result is in the evidence; whether the log-based alarm fired is unknown: no alarm history (describe-alarm-history) is in the evidence."),
        "{text}"
    );
    assert!(!text.contains("left no evidence of detecting it"), "{text}");
    assert!(
        !text.contains("there is no alarm in the evidence"),
        "{text}"
    );
}

/// The root cause named the actor's client "another tool" when it was none trailcase knows by
/// name: a manager cannot tell what that is. It now names the user agent.
#[test]
fn an_unrecognised_client_is_named_by_its_user_agent() {
    let dir = tempfile::tempdir().unwrap();
    let case = secrets_case(dir.path());
    let (_, text) = timeline_and_unverifiable_report(&case, &[]);
    assert!(
        text.contains("from one network address with a tool trailcase does not recognise (user agent \"stratus-red-team_10e7edf3-5063-4eba-8842-68f83bb52d65\")."),
        "{text}"
    );
    assert!(!text.contains("another tool"), "{text}");
}
