//! The NIST mapping claims only what the evidence proves (#15): RS.AN-06/07 (investigation and
//! evidence integrity and provenance) are graded from the integrity verification and the
//! acquisition manifests, never from hashes taken at analysis time; RC.RP-01 (recovery) is
//! graded only from recovery calls in the evidence; every row names its CSF 2.0 Function in one
//! form. The grading rules are in docs/nist.md.

use crate::support;

use std::path::Path;
use support::*;
use trailcase::report::content::nist::{self, NistRow, Support};
use trailcase::report::content::{Custody, IntegrityStatement};

fn find<'a>(rows: &'a [NistRow], id: &str) -> &'a NistRow {
    rows.iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

/// An integrity statement as a verified, fully acquired case gives it: every input listed in a
/// manifest, with or without the identity that collected it.
fn acquired(t: &trailcase::model::Timeline, collector_recorded: bool) -> IntegrityStatement {
    let mut st = IntegrityStatement {
        verified: true,
        acquisitions: vec![("case (manifest.json)".into(), "acquired".into())],
        reports: vec!["verified".into()],
        ..Default::default()
    };
    for i in &t.inputs {
        st.custody.insert(
            i.path.to_string(),
            Custody {
                sha256: i.sha256.clone(),
                acquired_at: "2026-11-20T15:00:00Z".into(),
                source: "s3://bucket/key".into(),
                collector: "arn:aws:iam::123456789012:user/ir".into(),
                collector_recorded,
                tool_version: "0.1.0".into(),
            },
        );
    }
    st
}

#[test]
fn analysis_time_hashes_alone_do_not_grade_evidence_custody_supported() {
    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    // The sample: no manifest, no digest. SHA-256 values taken at analysis time prove nothing
    // about the collection.
    let rows = nist::rows(&t, &IntegrityStatement::default());
    for id in ["RS.AN-06", "RS.AN-07"] {
        assert_eq!(find(&rows, id).support, Support::Missing, "{id}");
    }
    assert!(find(&rows, "RS.AN-06")
        .statement
        .contains("No acquisition manifest is in the evidence"));
    assert!(find(&rows, "RS.AN-07")
        .statement
        .contains("their SHA-256 was taken at analysis time"));

    // Listed in a manifest but the manifest does not say who collected: partly.
    let rows = nist::rows(&t, &acquired(&t, false));
    assert_eq!(find(&rows, "RS.AN-06").support, Support::Partial);
    assert!(find(&rows, "RS.AN-06")
        .statement
        .contains("does not record the identity that collected"));
    // Verified and acquired, collector recorded: the investigation's records are supported.
    let rows = nist::rows(&t, &acquired(&t, true));
    assert_eq!(find(&rows, "RS.AN-06").support, Support::Supported);
    assert_eq!(find(&rows, "RS.AN-07").support, Support::Supported);
    assert!(find(&rows, "RS.AN-07")
        .evidence
        .contains(&"1 acquisition manifest(s) (appendix)".to_string()));

    // A verification that found problems never grades the evidence supported.
    let mut broken = acquired(&t, true);
    broken.verified = false;
    let rows = nist::rows(&t, &broken);
    for id in ["RS.AN-06", "RS.AN-07"] {
        assert_eq!(find(&rows, id).support, Support::Partial, "{id}");
    }
}

/// A copy of the sample with a responder's `DeleteUserPolicy` of the deny policy after the
/// containment (14:02:48Z).
fn sample_with_recovery(dir: &Path) {
    let (ok, out) = tool(
        "cp",
        &[
            "-r",
            repo().join("samples/incident-01").to_str().unwrap(),
            dir.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}");
    let record = serde_json::json!({"Records": [{
        "eventVersion": "1.10",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLERESPONDR1", "arn": "arn:aws:iam::123456789012:user/ir-responder", "accountId": "123456789012", "accessKeyId": "AKIA4EXAMPLERESPONDR", "userName": "ir-responder"},
        "eventTime": "2026-11-20T14:20:00Z",
        "eventSource": "iam.amazonaws.com",
        "eventName": "DeleteUserPolicy",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"userName": "svc-reporting", "policyName": "HoneytokenDenyAll"},
        "responseElements": null,
        "requestID": "0f7d4a5e-7d0c-4a43-9b7e-3c1f0e2f0a01",
        "eventID": "5e1c0b7a-recovery-deny-removed-0001",
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management"
    }]});
    std::fs::create_dir_all(dir.join("responder")).unwrap();
    std::fs::write(
        dir.join("responder/recovery.json"),
        serde_json::to_vec(&record).unwrap(),
    )
    .unwrap();
}

#[test]
fn recovery_is_not_claimed_without_a_recovery_call_in_evidence() {
    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    let rows = nist::rows(&t, &IntegrityStatement::default());
    let rc = find(&rows, "RC.RP-01");
    assert_eq!(rc.support, Support::Missing);
    assert!(rc
        .statement
        .starts_with("Not evidenced: no recovery action"));
    assert!(rc.evidence.is_empty());
}

#[test]
fn a_deny_removed_after_containment_is_cited_as_recovery() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    sample_with_recovery(&case);
    let (t, _) = model(&[&case]);
    let rows = nist::rows(&t, &IntegrityStatement::default());
    let rc = find(&rows, "RC.RP-01");
    assert_eq!(rc.support, Support::Supported, "{}", rc.statement);
    assert_eq!(rc.evidence, vec!["5e1c0b7a-recovery-deny-removed-0001"]);
    assert_eq!(rc.ir_function, "Recover (RC)");

    // The PDF shows the row, its Function and the call it rests on.
    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    // The responder's file is not in the sample's manifest: an `acquired_file_added` gap.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("acquired_file_added"), "{text}");
    for needle in [
        "RC.RP-01",
        "Recover (RC)",
        "5e1c0b7a-recovery-deny-removed-0001",
        "RS.AN-06",
        "RS.AN-07",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
}

#[test]
fn every_nist_row_names_its_csf_function_in_one_form() {
    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    let rows = nist::rows(&t, &IntegrityStatement::default());
    let functions = [
        "Govern (GV)",
        "Identify (ID)",
        "Protect (PR)",
        "Detect (DE)",
        "Respond (RS)",
        "Recover (RC)",
    ];
    for r in &rows {
        assert!(
            functions.contains(&r.ir_function),
            "{}: {}",
            r.id,
            r.ir_function
        );
        // A CSF 2.0 outcome id names its own Function: RS.* rows serve Respond, and so on.
        if let Some((prefix, _)) = r.id.split_once('.') {
            assert!(
                r.ir_function.ends_with(&format!("({prefix})")),
                "{}: {}",
                r.id,
                r.ir_function
            );
        }
    }
}

/// The sample's own `manifest.json` (the acquisition record, which cannot list itself) was
/// counted as an input no manifest lists: RS.AN-06 said "but 124 of 125 input(s) are listed in
/// an acquisition manifest" and RS.AN-07 could never be supported for a collected case. The
/// appendix now says the manifest is the record itself, and the grades count the other inputs.
#[test]
fn the_manifest_itself_is_not_an_input_missing_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let text = sample_report_text(dir.path());
    assert!(!text.contains("124 of 125 input(s) are listed"), "{text}");
    assert!(
        text.contains("The acquisition is recorded in a manifest, but the manifest does not record the identity that collected 124 of the inputs it lists."),
        "{text}"
    );
    assert!(
        text.contains("The manifest itself is not listed in itself: it is the acquisition record, hashed at analysis time."),
        "{text}"
    );
}
