//! The step on a temporary credential the containment did not reach, read at two times
//! (session 34) and against the evidence's own end (session 35). The sample's role session was
//! issued to expire at 2026-11-20T15:59:30Z, and its evidence runs to 2026-11-20T15:59:49Z. A
//! report made after the expiry said "Revoke the role session ... priority immediate" under a
//! legend "Immediate: the actor may still have access"; session 34 ranked the step by the
//! report's time, but the JSON (no clock) still ranked it immediate although its own last record
//! is after the expiry. Now the evidence running past the expiry settles it in the JSON and the
//! PDF alike (the step for after it: confirm the key was not used elsewhere, high); a report made
//! after the expiry settles it too; only with the expiry after both does the revocation stay
//! immediate.

use crate::support;

use std::path::Path;
use support::*;

/// The report of `case` made at `epoch` (SOURCE_DATE_EPOCH), as text; it exits 0 or 1 (an
/// altered copy's digests no longer match).
fn report_at(case: &Path, epoch: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = trailcase_env(
        [
            "report",
            "--quiet",
            "--out",
            pdf.to_str().unwrap(),
            case.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", epoch)],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    pdf_text(&pdf)
}

#[test]
fn before_the_expiry_the_revocation_is_immediate() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_session_expiring_at_five(dir.path());
    // 2026-11-20T16:30:00Z: after the evidence's last record, before the session expires.
    let text = report_at(&case, "1795192200");
    assert!(
        text.contains("• Revoke the role session the actor obtained before containment (it stays valid until 2026-11-20T17:00:00Z unless revoked). IAM administrator; priority immediate."),
        "{text}"
    );
    assert!(
        text.contains("Immediate IAM administrator Revoke the sessions of role ReadOnlyAuditRole issued before containment"),
        "{text}"
    );
    assert!(!text.contains("it expired at"), "{text}");
    assert!(text.contains("LIVE until 2026-11-20T17:00:00Z"), "{text}");
    assert!(!text.contains("(the records run to"), "{text}");
    assert!(!text.contains("(before this report)"), "{text}");
    // The JSON, which has no time of its own, keeps it immediate: its evidence ends before.
    let doc = trailcase(["timeline", "--quiet", case.to_str().unwrap()]).json();
    let step = &doc["incidents"][0]["eradication"][0];
    assert_eq!(step["priority"], "immediate", "{step}");
    assert_eq!(step["until"], "2026-11-20T17:00:00Z");
}

#[test]
fn after_the_expiry_the_step_is_what_is_still_worth_doing() {
    // 2026-11-24T00:00:00Z: four days after the expiry.
    let text = report_at(&repo().join("samples/incident-01"), REPORT_EPOCH);
    assert!(
        text.contains("• Confirm the temporary credential the actor obtained before containment was not used elsewhere (it expired at 2026-11-20T15:59:30Z: the evidence runs to 2026-11-20T15:59:49Z, after that time). Incident responder; priority high."),
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

/// A report made (by SOURCE_DATE_EPOCH) before the expiry, of evidence that runs past it: the
/// records themselves show the session expired, so the step is the one for after it.
#[test]
fn evidence_that_runs_past_the_expiry_settles_the_step_whenever_the_report_is_made() {
    // 2026-11-20T15:00:00Z: before the expiry, and before the evidence's last record.
    let text = report_at(&repo().join("samples/incident-01"), "1795186800");
    assert!(
        text.contains("• Confirm the temporary credential the actor obtained before containment was not used elsewhere (it expired at 2026-11-20T15:59:30Z: the evidence runs to 2026-11-20T15:59:49Z, after that time). Incident responder; priority high."),
        "{text}"
    );
    assert!(!text.contains("priority immediate"), "{text}");
    assert!(!text.contains("stays valid"), "{text}");
    // The indicators agree (session 36): the session is not LIVE though the report's time is
    // before its expiry; the records' end shows it passed.
    assert!(!text.contains("LIVE until 2026-11-20T15:59:30Z"), "{text}");
    // (pdftotext runs the table's columns together: the expiry and what shows it passed are
    // two lines of one cell.)
    assert!(text.contains("expired 2026-11-20T15:59:30Z"), "{text}");
    assert!(
        text.contains("(the records run to 2026-11-20T15:59:49Z)"),
        "{text}"
    );
}

#[test]
fn the_json_ranks_the_step_by_the_evidence_s_own_end() {
    let doc = trailcase(["timeline", "--quiet", "samples/incident-01"]).json();
    assert_eq!(doc["summary"]["last_record"], "2026-11-20T15:59:49Z");
    let steps = doc["incidents"][0]["eradication"].as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| s["event_ids"][0] == SESSION_ISSUED_BY)
        .expect("the session's step");
    assert_eq!(step["priority"], "high", "{step}");
    assert_eq!(step["owner"], "Incident responder");
    assert_eq!(step["until"], "2026-11-20T15:59:30Z");
    let action = step["action"].as_str().unwrap();
    assert!(action.starts_with("Confirm that session key ASIA4EXAMPLEAUDITSS5K of role ReadOnlyAuditRole was not used before it expired at 2026-11-20T15:59:30Z"), "{action}");
    let reason = step["reason"].as_str().unwrap();
    assert!(
        reason.ends_with("it expired at 2026-11-20T15:59:30Z: the evidence runs to 2026-11-20T15:59:49Z, after that time"),
        "{reason}"
    );
    // No step is immediate: the first is high, as the report's.
    assert_eq!(steps[0]["priority"], "high");
    // No sentence of the JSON speaks of the expiry in the present tense, nor of a report.
    let all = doc.to_string();
    assert!(!all.contains("stays valid"), "{all}");
    assert!(!all.contains("live sessions have expired"), "{all}");
    assert!(!all.contains("before this report was made"), "{all}");
}
