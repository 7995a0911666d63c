//! Splunk security_content's real CloudTrail records (`tests/data/splunk-security-content`,
//! Apache-2.0: see `tests/data/SOURCES.md`) read as a responder would have them: the
//! executive summary of a case with no read beside a stopped trail.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The record of `data_sources/<name>.yml`.
fn record(name: &str) -> Value {
    read_json(&repo().join(format!(
        "tests/data/splunk-security-content/aws_cloudtrail_{name}.json"
    )))
}

/// A folder `evidence` in `dir` holding one trail file of the records `names`, with `toml` as
/// its trailcase.toml when given.
fn evidence(dir: &Path, names: &[&str], toml: Option<&str>) -> PathBuf {
    let evidence = dir.join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    let records: Vec<Value> = names.iter().map(|n| record(n)).collect();
    std::fs::write(
        evidence.join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    if let Some(toml) = toml {
        std::fs::write(evidence.join("trailcase.toml"), toml).unwrap();
    }
    evidence
}

#[test]
fn no_read_beside_a_stopped_trail_is_not_an_all_clear() {
    let dir = tempfile::tempdir().unwrap();
    let case = evidence(
        dir.path(),
        &["stoplogging", "deletetrail", "getobject"],
        None,
    );
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        !text.contains("No honeytoken was read in the evidence examined."),
        "{text}"
    );
    for words in [
        "No read of a honeytoken is in the evidence examined, but this is not an all-clear: the records show CloudTrail logging reduced (below).",
        "The records show CloudTrail logging stopped, deleted or narrowed: a read after it may not be recorded. 2 trail(s) stopped, deleted or narrowed by other principals: cloudtrail:DeleteTrail on trail redatomictesttrail, cloudtrail:StopLogging on trail my-cloudtrail-trail",
        "(eventID 9f8d2b82-6e9d-45b8-9055-78d8c00ca416, 1c53bcce-650d-486a-b3f6-f64fd853e509)",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }

    // Without the trail's changes, the summary's no-read line is as before.
    let dir = tempfile::tempdir().unwrap();
    let case = evidence(dir.path(), &["getobject"], None);
    let pdf = dir.path().join("r.pdf");
    report_pdf(&pdf, &[case.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("No honeytoken was read in the evidence examined."),
        "{text}"
    );
    assert!(!text.contains("CloudTrail logging reduced"), "{text}");
}
