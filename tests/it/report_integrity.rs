//! The report's integrity statement agrees with itself, and its chain of custody says only what
//! the evidence proves (#15): one verdict, stated once in the appendix; the pipeline diagram's
//! "validation" label from the same verification; per-file problems grouped, every file in the
//! attached verify report; hashes taken at analysis time never called hashes on acquisition.

use crate::support;

use std::path::Path;
use support::*;
use trailcase::report::content::IntegrityStatement;
use trailcase::report::Block;

/// The text after the appendix heading.
fn appendix(text: &str) -> &str {
    let at = text
        .rfind("Appendix: evidence")
        .unwrap_or_else(|| panic!("no appendix in {text}"));
    &text[at..]
}

/// Copy `from` into `to`, leaving out what `skip` names (paths relative to `from`).
fn copy_tree(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool, root: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if skip(path.strip_prefix(root).unwrap()) {
            continue;
        }
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target, skip, root);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// The sample as a case assembled by hand with the AWS CLI: no manifest, no digests, no public
/// keys (the bundled sample has all three since #18; these tests are about a case without them).
fn hand_built_sample(dir: &Path) -> std::path::PathBuf {
    let root = repo().join("samples/incident-01");
    let case = dir.join("incident-01");
    let skip = |p: &Path| {
        p == Path::new("manifest.json")
            || p == Path::new("cloudtrail/public-keys.json")
            || p.components().any(|c| c.as_os_str() == "CloudTrail-Digest")
    };
    copy_tree(&root, &case, &skip, &root);
    case
}

fn sample_report(dir: &Path) -> (std::path::PathBuf, String) {
    let pdf = dir.join("report.pdf");
    let case = hand_built_sample(dir);
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    (pdf, text)
}

/// A case without a manifest: its SHA-256 values were taken when the report was made. The
/// report must not present them as hashes on acquisition, anywhere.
#[test]
fn analysis_time_hash_is_not_presented_as_acquisition_hash() {
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = sample_report(dir.path());
    assert!(
        text.contains("every SHA-256 below was taken at analysis time, when this report was made"),
        "{text}"
    );
    assert!(text.contains("not hashes on acquisition"));
    assert!(text.contains("hashed at analysis time (no acquisition record)"));
    assert!(
        !text.contains("hashed on acquisition") && !text.contains("SHA-256 on acquisition"),
        "no input of the sample was hashed on acquisition: {text}"
    );
}

/// Before: the appendix printed the verdict four times (verdict, details, "missing" lines, the
/// verify report) and the 96 files listed in no digest one by one, 96 times the same line.
#[test]
fn repeated_integrity_problems_are_grouped_and_the_verdict_stated_once() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, text) = sample_report(dir.path());
    let appendix = appendix(&text);
    assert_eq!(
        appendix
            .matches("not verifiable: no manifest.json (a case assembled by hand)")
            .count(),
        1,
        "the verdict, once: {appendix}"
    );
    assert_eq!(
        appendix.matches("listed in no digest").count(),
        1,
        "one group: {appendix}"
    );
    assert!(
        appendix.contains("96 files digest log_file_unlisted listed in no digest"),
        "{appendix}"
    );
    assert!(appendix.contains("every file is listed in the attached verify.txt"));
    // The whole list is in the attachment.
    let saved = pdf_attachments(&pdf, &dir.path().join("attached"));
    let verify = std::fs::read_to_string(saved.join("verify.txt")).unwrap();
    assert_eq!(verify.matches("log_file_unlisted").count(), 96, "{verify}");
}

/// The sample's trail says log file validation is on; with no digest in the evidence the
/// diagram said "validation: yes" while the verdict said "not verifiable". The diagram's label
/// now comes from the verification.
#[test]
fn diagram_validation_label_cannot_contradict_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = sample_report(dir.path());
    assert!(!text.contains("validation: yes"), "{text}");
    assert!(text.contains("validation: not verifiable"), "{text}");

    // In the model: whatever the statement says is what the diagram shows.
    let (t, config) = model(&[&repo().join("samples/incident-01")]);
    for label in ["digests verified", "problems found (see Integrity)"] {
        let integrity = IntegrityStatement {
            verdict: "x".into(),
            validation: label.into(),
            ..Default::default()
        };
        let doc = report_doc(&t, &config, integrity);
        let trail = doc
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Diagram(d) => d.nodes.iter().find(|n| n.id == "trail").cloned(),
                _ => None,
            })
            .expect("the pipeline diagram has a trail box");
        assert!(
            trail.lines.contains(&format!("validation: {label}")),
            "{:?}",
            trail.lines
        );
    }
}
