//! The report is an archival PDF (issue #18, "Auditors"): PDF/A-3b, checked by krilla's
//! validator when it is written (a violation fails the render), with every attachment an
//! associated file of the document, also when the evidence holds text the fonts lack.

use crate::support;

use std::path::Path;
use support::*;

/// The PDF/A identification in the document's XMP metadata (pdfinfo -meta).
fn pdfa_id(pdf: &Path) -> (String, String) {
    let (ok, xmp) = tool("pdfinfo", &["-meta", pdf.to_str().unwrap()]);
    assert!(ok, "{xmp}");
    let tag = |name: &str| {
        let open = format!("<pdfaid:{name}>");
        xmp.split(&open)
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_default()
            .to_string()
    };
    (tag("part"), tag("conformance"))
}

/// The PDF with object streams expanded (qpdf --qdf), as text to search.
fn expanded(pdf: &Path, dir: &Path) -> String {
    let out = dir.join("expanded.pdf");
    let (ok, msg) = tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            pdf.to_str().unwrap(),
            out.to_str().unwrap(),
        ],
    );
    assert!(ok, "{msg}");
    String::from_utf8_lossy(&std::fs::read(out).unwrap()).into_owned()
}

#[test]
fn the_sample_report_is_pdf_a_3b_with_its_attachments_as_associated_files() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(pdfa_id(&pdf), ("3".into(), "B".into()));
    let (ok, check) = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(ok, "{check}");

    let files = pdf_attachments(&pdf, &dir.path().join("att"));
    let attached = std::fs::read_dir(files).unwrap().count();
    assert!(attached >= 3, "the evidence lists are attached");
    let text = expanded(&pdf, dir.path());
    assert_eq!(
        text.matches("/AFRelationship").count(),
        attached,
        "each attachment is an associated file"
    );
    assert!(
        text.contains("/AF ["),
        "the catalog lists the associated files"
    );
    assert!(
        text.contains("/OutputIntents"),
        "PDF/A needs an output intent"
    );
}

#[test]
fn text_the_fonts_lack_still_gives_an_archival_report() {
    // A honeytoken read whose user agent and ARN carry an emoji, a private-use character, a
    // control character, right-to-left overrides, CJK, Arabic and a mathematical letter.
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir(&case).unwrap();
    let record = serde_json::json!({
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "accountId": "123456789012",
            "arn": "arn:aws:iam::123456789012:user/m\u{e4}llory-\u{4e2d}\u{6587}",
            "accessKeyId": "AKIAEXAMPLE123456789", "userName": "mallory"},
        "eventTime": "2026-11-20T14:02:17Z", "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue", "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.9",
        "userAgent": "evil \u{1F600} \u{e000} \u{7} \u{202e}rtl \u{4e2d}\u{6587} \u{627}\u{644}\u{639} \u{1D400} \u{fffd}",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "responseElements": null, "requestID": "r1",
        "eventID": "e1f0c3a2-0000-4000-8000-000000000001", "readOnly": true,
        "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "123456789012"
    });
    std::fs::write(
        case.join("trail.json"),
        serde_json::json!({ "Records": [record] }).to_string(),
    )
    .unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    // Incomplete (no trail coverage for the hour) but written, and archival.
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(pdfa_id(&pdf), ("3".into(), "B".into()));
    assert!(pdf_text(&pdf).contains("evil"));
}
