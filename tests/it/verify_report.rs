//! `trailcase verify --report REPORT.pdf CASE` (#18, "Auditors"): an auditor holding the report and
//! the evidence checks in one command that every input the report attests is in the case with the
//! same SHA-256, and that the report's attachments match the SHA-256 its appendix prints.

use crate::support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use support::*;

/// One report of the sample, shared by the tests (rendering is the slow part).
fn sample_report() -> &'static Path {
    static REPORT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, pdf) = REPORT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("report.pdf");
        let run = report_pdf(&pdf, &["samples/incident-01"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        (dir, pdf)
    });
    pdf
}

fn verify_report(pdf: &Path, case: &Path) -> Run {
    trailcase([
        "verify",
        "--report",
        pdf.to_str().unwrap(),
        case.to_str().unwrap(),
    ])
}

/// The report with its attachment `name` replaced by `bytes`, or its Creator by `creator`.
fn rewritten(pdf: &Path, out: &Path, name: Option<(&str, &[u8])>, creator: Option<&str>) {
    let mut doc = lopdf::Document::load(pdf).unwrap();
    if let Some((name, bytes)) = name {
        let stream_id = doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| {
                d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Filespec".as_slice())
            })
            .find(|d| {
                d.get(b"UF").and_then(|f| f.as_str()).ok() == Some(name.as_bytes())
                    || d.get(b"F").and_then(|f| f.as_str()).ok() == Some(name.as_bytes())
            })
            .map(|d| {
                d.get(b"EF")
                    .unwrap()
                    .as_dict()
                    .unwrap()
                    .get(b"F")
                    .unwrap()
                    .as_reference()
                    .unwrap()
            })
            .unwrap_or_else(|| panic!("no attachment {name}"));
        let stream = doc
            .get_object_mut(stream_id)
            .unwrap()
            .as_stream_mut()
            .unwrap();
        stream.dict.remove(b"Filter");
        stream.set_content(bytes.to_vec());
    }
    if let Some(creator) = creator {
        let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let dict = doc.get_object_mut(info).unwrap().as_dict_mut().unwrap();
        dict.set("Creator", lopdf::Object::string_literal(creator));
    }
    doc.save(out).unwrap();
}

#[test]
fn a_report_matches_the_case_it_was_made_from() {
    let run = verify_report(sample_report(), &repo().join("samples/incident-01"));
    assert_eq!(run.code, 0, "{}{}", run.text(), run.stderr);
    let text = run.text();
    assert!(
        text.starts_with("verdict: verified: all 125 input(s) the report attests are in the case with the same SHA-256, and its 4 attachment(s) match the SHA-256 its appendix prints"),
        "{text}"
    );
    let json = trailcase([
        "verify",
        "--format",
        "json",
        "--report",
        sample_report().to_str().unwrap(),
        "samples/incident-01",
    ]);
    assert_eq!(json.code, 0);
    let v = json.json();
    assert_eq!(v["verified"], true);
    assert_eq!(v["inputs_matching"], 125);
    assert_eq!(v["attachments_matching"], 4);
}

/// Another case (here the sample with one page of LookupEvents gone and a posture result changed):
/// the missing and the different inputs are named.
#[test]
fn a_report_of_another_case_names_the_missing_and_different_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("other-case");
    copy_dir(&repo().join("samples/incident-01"), &case);
    std::fs::remove_file(case.join("lookup-events/us-east-1-GetSecretValue-page-2.json")).unwrap();
    std::fs::write(case.join("posture/posture.json"), b"{}\n").unwrap();
    let run = verify_report(sample_report(), &case);
    assert_eq!(run.code, 1, "{}{}", run.text(), run.stderr);
    let text = run.text();
    assert!(
        text.starts_with("verdict: problems found: 2 (input_missing 1, input_changed 1)"),
        "{text}"
    );
    assert!(text.contains("inputs: 123 of 125 attested input(s) present with the same SHA-256"));
    assert!(text.contains(
        "samples/incident-01/lookup-events/us-east-1-GetSecretValue-page-2.json\n    input_missing"
    ));
    assert!(text.contains("samples/incident-01/posture/posture.json\n    input_changed SHA-256 is"));
}

#[test]
fn a_tampered_attachment_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let tampered = dir.path().join("tampered.pdf");
    rewritten(
        sample_report(),
        &tampered,
        Some(("verify.txt", b"verdict: verified\n")),
        None,
    );
    let run = verify_report(&tampered, &repo().join("samples/incident-01"));
    assert_eq!(run.code, 1, "{}{}", run.text(), run.stderr);
    let text = run.text();
    assert!(
        text.starts_with("verdict: problems found: 1 (attachment_modified 1)"),
        "{text}"
    );
    assert!(
        text.contains("verify.txt\n    attachment_modified SHA-256 is"),
        "{text}"
    );
    assert!(text.contains("attachments: 3 of 4 match"), "{text}");
}

#[test]
fn not_a_pdf_and_not_a_trailcase_report_are_errors() {
    let run = verify_report(
        &repo().join("Cargo.toml"),
        &repo().join("samples/incident-01"),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("Cargo.toml: not a PDF"),
        "{}",
        run.stderr
    );

    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.pdf");
    rewritten(sample_report(), &other, None, Some("LibreOffice 24.2"));
    let run = verify_report(&other, &repo().join("samples/incident-01"));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("not a trailcase report: it was made by \"LibreOffice 24.2\""),
        "{}",
        run.stderr
    );
}
