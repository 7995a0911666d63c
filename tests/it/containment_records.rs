//! What the report says the containment did and achieved, read as an auditor checks it against
//! the records (session 33). IR-4 said "The kill-switch cut the user's access automatically";
//! AC-2 was "supported" though the actor's role session stayed live after the cut; the residual
//! risk said a credential "stays usable until" a time long past when the report was made. Each
//! is checked on the sample (or a copy altered for the case), through the CLI's PDF (exit 0) or
//! the NIST rows the PDF prints.

use crate::support;

use support::*;
use trailcase::report::content::{nist, IntegrityStatement};

const DENY: &str = "91229c3a-309d-46cd-b37b-0d4ff185f9f9";
const KEY_OFF: &str = "431b89ec-1677-42be-b50a-2509c66de27e";
const FIRST_REFUSED: &str = "85a157a1-d87c-40ec-9c47-7bf1faabd1f2";
const LAST_OWN_SUCCESS: &str = "f1274bbc-977e-4f9f-a47d-eb56a6664e70";
const ASSUME_ROLE: &str = "6d0f53a2-5223-444b-adaa-24de7e743f20";
const LAST_SESSION_CALL: &str = "6549dea5-26d7-4f75-ae9c-f56cdb6d268a";

fn grade(t: &trailcase::model::Timeline, id: &str) -> (String, &'static str) {
    let rows = nist::rows(t, &IntegrityStatement::default());
    let r = rows.iter().find(|r| r.id == id).unwrap();
    (r.statement.clone(), r.support.text())
}

/// IR-4 names the kill-switch's calls and what the actor's calls after them show; AC-2 and
/// RS.MI-01 are partly supported while the role session obtained before the cut is live.
#[test]
fn ir4_states_what_was_done_and_what_it_achieved() {
    let dir = tempfile::tempdir().unwrap();
    let text = sample_report_text(dir.path());
    for said in [
        format!("The kill-switch attached a deny-all policy to svc-reporting at 2026-11-20T14:02:46Z (eventID {DENY}) and deactivated access key AKIA4EXAMPLESVCREPT7Q at 2026-11-20T14:02:47Z (eventID {KEY_OFF})."),
        format!("The actor's calls with the credentials of arn:aws:iam::123456789012:user/svc-reporting itself were refused from 2026-11-20T14:03:05Z (eventID {FIRST_REFUSED}, 19 s after the kill-switch's first such call); 1 call(s) with them still succeeded before that, the last at 2026-11-20T14:02:51Z (eventID {LAST_OWN_SUCCESS})."),
    ] {
        // Table cells wrap mid-identifier (pdftotext drops the hyphen at a break): compare
        // without spaces and hyphens.
        let fold = |s: &str| s.replace([' ', '-'], "");
        assert!(fold(&text).contains(&fold(&said)), "{said}\n{text}");
    }
    assert!(
        !text.contains("cut the user's access automatically"),
        "{text}"
    );
    assert!(
        !text.contains("The calls did not reach every credential of the actor: The"),
        "{text}"
    );

    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    let (ir4, ir4_grade) = grade(&t, "IR-4");
    assert_eq!(ir4_grade, "partly supported", "{ir4}");
    // The row runs across a page in the PDF: its last sentence is checked in the row itself.
    assert!(
        ir4.ends_with(&format!("The role session arn:aws:sts::123456789012:assumed-role/ReadOnlyAuditRole/svc-reporting-session, obtained earlier (sts:AssumeRole at 2026-11-20T13:59:30Z, eventID {ASSUME_ROLE}), was not reached: a call with it succeeded after the containment, the last at 2026-11-20T14:09:00Z (eventID {LAST_SESSION_CALL}); issued to expire at 2026-11-20T15:59:30Z.")),
        "{ir4}"
    );
    let (ac2, ac2_grade) = grade(&t, "AC-2");
    assert_eq!(ac2_grade, "partly supported", "{ac2}");
    assert!(
        ac2.contains(&format!("The calls did not reach every credential of the actor: the role session arn:aws:sts::123456789012:assumed-role/ReadOnlyAuditRole/svc-reporting-session, obtained earlier (sts:AssumeRole at 2026-11-20T13:59:30Z, eventID {ASSUME_ROLE}), was not reached")),
        "{ac2}"
    );
    assert!(
        ac2.starts_with("Calls to cut the compromised IAM identity's access succeeded"),
        "{ac2}"
    );
    let (mi, mi_grade) = grade(&t, "RS.MI-01");
    assert_eq!(mi_grade, "partly supported", "{mi}");
    assert!(mi.contains("the last at 2026-11-20T14:09:00Z"), "{mi}");
}

/// With the role session expired before the cut (its issuing call's expiration moved to
/// 14:00:30), no credential of the actor is shown live after it: AC-2 is supported, and IR-4
/// names no unreached session.
#[test]
fn ac2_is_supported_only_when_no_credential_is_live_after_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let n = alter_records(&case, |r| {
        if r["eventID"] == ASSUME_ROLE {
            r["responseElements"]["credentials"]["expiration"] = "Nov 20, 2026, 2:00:30 PM".into();
        }
        true
    });
    assert!(n >= 1, "the AssumeRole record is in the sample");
    let (t, _) = model(&[&case]);
    let (ac2, ac2_grade) = grade(&t, "AC-2");
    assert_eq!(ac2_grade, "supported", "{ac2}");
    assert!(!ac2.contains("did not reach"), "{ac2}");
    let (ir4, _) = grade(&t, "IR-4");
    assert!(!ir4.contains("was not reached"), "{ir4}");
    let text = report_text(dir.path(), &case);
    assert!(
        text.contains(
            "The kill-switch's calls reached every credential the evidence links to the actor"
        ),
        "{text}"
    );
}

/// The residual risk is told as of when the report was made (its title page's "Generated" and
/// its PDF metadata's date, both SOURCE_DATE_EPOCH) and of the evidence's own end: once the
/// session's expiry has passed (the sample's evidence runs past it) it "was usable", with the
/// expiry after both it "stays usable".
#[test]
fn the_residual_risk_is_told_as_of_the_reports_own_time() {
    let dir = tempfile::tempdir().unwrap();
    let after = dir.path().join("after.pdf");
    let run = report_pdf(&after, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&after);
    assert!(text.contains("Generated 2026-11-25T16:00:00Z"), "{text}");
    let (_, info) = tool("pdfinfo", &[after.to_str().unwrap()]);
    assert!(info.contains("Nov 25 16:00:00 2026"), "{info}");
    assert!(
        text.contains("A temporary credential the actor obtained before the block was not revoked in the evidence and expired at 2026-11-20T15:59:30Z (the evidence runs past that time); whether it was used from elsewhere before then is shown only by records in the trail, examined up to 2026-11-20T15:59:49Z."),
        "{text}"
    );
    assert!(!text.contains("stays usable until"), "{text}");
    assert!(
        text.contains("(it expired at 2026-11-20T15:59:30Z: the evidence runs to 2026-11-20T15:59:49Z, after that time)"),
        "{text}"
    );
    // The eradication step on the session says so too: it is what is still worth doing after
    // the expiry (expired_credential_step.rs has both sides).
    assert!(
        text.contains("Confirm that session key ASIA4EXAMPLEAUDITSS5K of role ReadOnlyAuditRole was not used before it expired at 2026-11-20T15:59:30Z"),
        "{text}"
    );

    // 2026-11-20T16:30:00Z, of the sample with the session issued to expire at 17:00: before
    // the expiry, which the evidence (to 15:59:49Z) does not run past either.
    let case = sample_session_expiring_at_five(dir.path());
    let before = dir.path().join("before.pdf");
    let args = vec![
        "report",
        "--quiet",
        "--out",
        before.to_str().unwrap(),
        case.to_str().unwrap(),
    ];
    let run = trailcase_env(args, &[("SOURCE_DATE_EPOCH", "1795192200")]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&before);
    assert!(text.contains("Generated 2026-11-20T16:30:00Z"), "{text}");
    assert!(
        text.contains("A temporary credential the actor obtained before the block stays usable until 2026-11-20T17:00:00Z unless it is revoked."),
        "{text}"
    );
    assert!(
        !text.contains("expired before this report was made"),
        "{text}"
    );
    assert!(!text.contains("was not used before it expired"), "{text}");
}
