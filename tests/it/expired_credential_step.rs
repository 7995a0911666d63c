//! The step on a temporary credential the containment did not reach, read at two times
//! (session 34). The sample's role session was issued to expire at 2026-11-20T15:59:30Z. A
//! report made after that said "Revoke the role session ... priority immediate" under a legend
//! "Immediate: the actor may still have access", and the JSON said "it stays valid until it
//! expires" whenever it was read. Now a report made before the expiry keeps the revocation
//! immediate; one made after it ranks the step by what is still worth doing (confirm the key
//! was not used elsewhere before it expired), in the table and in the executive summary alike;
//! and the JSON, which has no time of its own, states the expiry as a fact and what remains
//! once it has passed.

use crate::support;

use support::*;

/// The sample's report made at `epoch` (SOURCE_DATE_EPOCH), as text; it exits 0.
fn sample_report_at(epoch: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = trailcase_env(
        [
            "report",
            "--quiet",
            "--out",
            pdf.to_str().unwrap(),
            repo().join("samples/incident-01").to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", epoch)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    pdf_text(&pdf)
}

#[test]
fn before_the_expiry_the_revocation_is_immediate() {
    // 2026-11-20T15:00:00Z: the session is still valid.
    let text = sample_report_at("1795186800");
    assert!(
        text.contains("• Revoke the role session the actor obtained before containment (it stays valid until 2026-11-20T15:59:30Z unless revoked). IAM administrator; priority immediate."),
        "{text}"
    );
    assert!(
        text.contains("Immediate IAM administrator Revoke the sessions of role ReadOnlyAuditRole issued before containment"),
        "{text}"
    );
    assert!(
        !text.contains("expired at 2026-11-20T15:59:30Z, before this report"),
        "{text}"
    );
}

#[test]
fn after_the_expiry_the_step_is_what_is_still_worth_doing() {
    // 2026-11-24T00:00:00Z: four days after the expiry.
    let text = sample_report_at(REPORT_EPOCH);
    assert!(
        text.contains("• Confirm the temporary credential the actor obtained before containment was not used elsewhere (it expired at 2026-11-20T15:59:30Z, before this report was made). Incident responder; priority high."),
        "{text}"
    );
    assert!(
        text.contains("High Incident responder Confirm that session key ASIA4EXAMPLEAUDITSS5K of role ReadOnlyAuditRole was not used before it expired at 2026-11-20T15:59:30Z in records this evidence does not hold"),
        "{text}"
    );
    // No step is immediate any more, and none says the expired session is to be revoked now.
    assert!(!text.contains("priority immediate"), "{text}");
    assert!(
        !text.contains("Immediate IAM administrator Revoke the sessions"),
        "{text}"
    );
    assert!(!text.contains("stays valid"), "{text}");
    // Nor do the indicators call it LIVE.
    assert!(!text.contains("LIVE until 2026-11-20T15:59:30Z"), "{text}");
    assert!(text.contains("not cut, expired"), "{text}");
}

#[test]
fn the_json_states_the_expiry_as_a_fact_whenever_it_is_read() {
    let doc = trailcase(["timeline", "--quiet", "samples/incident-01"]).json();
    let step = &doc["incidents"][0]["eradication"][0];
    assert_eq!(step["priority"], "immediate");
    assert_eq!(step["until"], "2026-11-20T15:59:30Z");
    let action = step["action"].as_str().unwrap();
    assert!(action.contains("which ends session key ASIA4EXAMPLEAUDITSS5K, issued to expire at 2026-11-20T15:59:30Z; once that time has passed it can no longer be used"), "{action}");
    // No sentence of the JSON speaks of the expiry in the present tense.
    let all = doc.to_string();
    assert!(!all.contains("stays valid"), "{all}");
    assert!(!all.contains("live sessions have expired"), "{all}");
}
