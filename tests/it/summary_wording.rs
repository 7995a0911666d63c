//! Sentences of the report that said less, or other, than the evidence: the executive summary
//! named no account ("The credential of a role session of the AWS account was used"), though
//! the record names it; the flows' comparison said flow 2's notification tells "which secret"
//! whatever the honeytoken (a parameter, an S3 object); the flow-2 delay cell put the
//! evidence's own parenthesis inside one of its own.

use crate::support;

use support::*;

/// The AWS Systems Manager User Guide's role session reading the honeytoken parameter
/// `/prod/db-password` (`secrets_per_api`'s case).
fn parameter_report() -> String {
    let evidence = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    crate::secrets_per_api::guiconnect_case(evidence.path());
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(
        &pdf,
        &[
            "--honeytoken",
            "ssm:/prod/db-password",
            evidence.path().to_str().unwrap(),
        ],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    pdf_text(&pdf)
}

#[test]
fn the_summary_names_the_account_whose_credential_was_used() {
    let text = parameter_report();
    assert!(
        text.contains(
            "The credential of a role session of AWS account 123456789012 was used to read the decoy parameter /prod/db-password"
        ),
        "{text}"
    );
    assert!(!text.contains("of the AWS account"), "{text}");
}

#[test]
fn the_flows_comparison_names_what_a_parameters_read_names() {
    let text = parameter_report();
    assert!(!text.contains("which secret"), "{text}");
    assert!(
        text.contains("who, from where and which parameter at once"),
        "{text}"
    );
    assert!(
        text.contains("from where (IP, user agent), which parameter, when"),
        "{text}"
    );
}

/// The sample's series names the rule; relabelled "TriggeredRules" (by its Id) it names none,
/// and the cell says why it is not taken, after a semicolon.
#[test]
fn the_flow2_delay_cell_has_no_parenthesis_inside_another() {
    let out = tempfile::tempdir().unwrap();
    let text = report_text(out.path(), &repo().join("samples/incident-01"));
    assert!(
        text.contains("29 s after the first access, timed by the kill-switch's first call after the read (upper bound: the rule fired before it), inside the minute starting"),
        "{text}"
    );
    assert!(
        !text.contains("after the first access (the kill-switch's"),
        "{text}"
    );
    let unnamed = sample_to_alter(out.path());
    label_triggered_rules(&unnamed, "TriggeredRules");
    let other = tempfile::tempdir().unwrap();
    let unnamed_text = report_text(other.path(), &unnamed);
    assert!(
        unnamed_text.contains("29 s after the first access, timed by the kill-switch's first call after the read; the AWS/Events TriggeredRules series"),
        "{unnamed_text}"
    );
    // The sample's honeytoken is a secret: said so.
    assert!(text.contains("who, from where and which secret at once"));
    assert!(text.contains("The credential of an IAM user of AWS account 123456789012 was used"));
}

#[test]
fn ac2_does_not_call_the_account_disabled_without_the_session_that_kept_working() {
    // The sample's actor kept a role session the deny on its user does not reach: AC-2 said
    // only "The compromised account was disabled".
    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    let rows = trailcase::report::content::nist::rows(
        &t,
        &trailcase::report::content::IntegrityStatement::default(),
    );
    let ac2 = rows.iter().find(|r| r.id == "AC-2").unwrap();
    assert!(
        ac2.statement.contains("The calls did not reach every credential of the actor: the role session arn:aws:sts::123456789012:assumed-role/ReadOnlyAuditRole/svc-reporting-session, obtained earlier (sts:AssumeRole at 2026-11-20T13:59:30Z, eventID 6d0f53a2-5223-444b-adaa-24de7e743f20), was not reached"),
        "{}",
        ac2.statement
    );
    // "Account" read as the AWS account (the executive summary's "AWS account 123456789012"),
    // which nothing disabled: the row names the IAM identity.
    assert!(
        ac2.statement
            .starts_with("Calls to cut the compromised IAM identity's access succeeded: "),
        "{}",
        ac2.statement
    );
    // The AssumeRole that issued the session is cited.
    assert!(ac2
        .evidence
        .contains(&"6d0f53a2-5223-444b-adaa-24de7e743f20".to_string()));
}

#[test]
fn the_appendix_says_one_input_hashed_at_analysis_in_the_singular() {
    // The sample's manifest lists 124 of its 125 inputs: "The other 1 were hashed …". The one
    // it does not list is the manifest itself, said as such.
    let out = tempfile::tempdir().unwrap();
    let case = out.path().join("case");
    copy_dir(&repo().join("samples/incident-01"), &case);
    // One more input no manifest lists (the configuration's copy): the singular again.
    std::fs::copy(
        case.join("trail/trails.json"),
        case.join("trail/trails-copy.json"),
    )
    .unwrap();
    let text = report_text(out.path(), &case);
    assert!(!text.contains("The other 1 were"), "{text}");
    assert!(
        text.contains("The manifest itself is not listed in itself: it is the acquisition record, hashed at analysis time. The other one was hashed at analysis time, when this report was made, from the bytes as stored (compressed files hashed compressed): this is not a hash on acquisition"),
        "{text}"
    );
}
