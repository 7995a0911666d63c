//! A report that finds no honeytoken read in evidence it could not read in full: the executive
//! summary's first sentence is not the all-clear of a case read in full, and its completeness
//! line names the gaps (file, record, reason) rather than listing every kind a gap can be.

use crate::support;

use std::io::Write;
use support::*;

/// The public Stratus Red Team secrets-retrieval records (`tests/data/SOURCES.md`), gzipped
/// and cut after `keep` bytes.
fn truncated_trail_file(keep: usize) -> Vec<u8> {
    let path = shared_data().join(
        "cloudtrail/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json",
    );
    let records: serde_json::Value = read_json(&path);
    let doc = serde_json::json!({ "Records": records });
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(doc.to_string().as_bytes()).unwrap();
    let bytes = gz.finish().unwrap();
    assert!(bytes.len() > keep);
    bytes[..keep].to_vec()
}

#[test]
fn no_read_in_a_truncated_file_is_not_an_all_clear() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir(&case).unwrap();
    std::fs::write(case.join("trail.json.gz"), truncated_trail_file(1500)).unwrap();
    std::fs::write(
        case.join("trailcase.toml"),
        "[[honeytoken]]\nkind = \"secret\"\npattern = \"stratus-red-team-retrieve-secret-3\"\n",
    )
    .unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        !text.contains("No honeytoken was read in the evidence examined"),
        "{text}"
    );
    assert!(
        text.contains("No read of a honeytoken was found in the evidence that could be read, but this is not an all-clear: 2 evidence gaps left records unread or missing, and a read may be among them."),
        "{text}"
    );
    // The completeness line names the gap itself.
    assert!(
        text.contains("Completeness: 2 evidence gap(s): trail.json.gz: "),
        "{text}"
    );
}
