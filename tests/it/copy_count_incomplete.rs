//! A copy count that failed, or that could not compare every record, is a named evidence gap
//! (`copy_count_incomplete`), never the kept rows' own count in silence: `summary.copy_count`
//! says whether `duplicates_dropped` and `conflicting_copies` are exact or a lower bound, the
//! gap says which count and why, the run is incomplete (exit code 1), and the report's gaps and
//! its inputs paragraph say so. A count's temporary file failing, or an input changing between
//! the first pass and the count, has no hook in the binary: the outcome is stated on the sample's
//! analysis here (`analyse::CopyCountOutcome`, as the analysis states it), and unit tests in
//! `analyse::copy_gaps` and `export::copy_count` test how each outcome is found.

use crate::support;

use support::*;
use trailcase::analyse::CopyCountOutcome;
use trailcase::report::content::IntegrityStatement;

/// The sample's analysis, its copy count then stated as `outcome`.
fn sample_with(
    outcome: CopyCountOutcome,
) -> (trailcase::model::Timeline, trailcase::config::Config) {
    let (mut t, config) = model(&[&repo().join("samples/incident-01")]);
    assert!(t.gaps.is_empty(), "{:?}", t.gaps);
    outcome.state(&mut t);
    (t, config)
}

/// The complete count says so, in a document the schema accepts.
#[test]
fn a_complete_copy_count_says_complete() {
    let run = trailcase(["timeline", "--quiet", "samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["summary"]["copy_count"], "complete");
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
}

/// A failed count: the JSON says `kept_rows_only` and carries a gap of the run naming the
/// count, the error and what the numbers rest on; the run is incomplete; the schema accepts it.
#[test]
fn a_failed_copy_count_is_a_gap_in_the_json_and_the_run_is_incomplete() {
    let (t, config) = sample_with(CopyCountOutcome::Failed(
        "failed to fill whole buffer".into(),
    ));
    assert!(!t.is_complete(), "exit code 1 follows from a gap");
    let doc = serde_json::to_value(trailcase::export::document(
        &t,
        &config.case,
        &config.honeytokens_stated(),
    ))
    .unwrap();
    assert_eq!(doc["complete"], false);
    assert_eq!(doc["summary"]["copy_count"], "kept_rows_only");
    let gaps: Vec<_> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "copy_count_incomplete")
        .collect();
    assert_eq!(gaps.len(), 1, "{}", doc["gaps"]);
    assert_eq!(gaps[0]["path"], "(all inputs)");
    let reason = gaps[0]["reason"].as_str().unwrap();
    for said in [
        "the count of copies over every record read failed (failed to fill whole buffer)",
        &format!(
            "summary.duplicates_dropped ({})",
            doc["summary"]["duplicates_dropped"]
        ),
        "a lower bound, not a complete count",
        "kept_rows_only",
    ] {
        assert!(reason.contains(said), "{said}: {reason}");
    }
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
}

/// Records not read again: a gap on the input that held them, `partial`; and in the PDF, the
/// gap in the evidence gaps and "at least" in the inputs paragraph.
#[test]
fn records_not_compared_are_a_gap_of_their_input_in_the_report() {
    let (t, config) = model(&[&repo().join("samples/incident-01")]);
    let input = t
        .inputs
        .iter()
        .position(|i| i.path.ends_with(".json.gz"))
        .expect("a trail file in the sample");
    let path = t.inputs[input].path.to_string();
    let (t, _) = sample_with(CopyCountOutcome::Partial(
        [(input as u32, 2)].into_iter().collect(),
    ));
    let doc = serde_json::to_value(trailcase::export::document(
        &t,
        &config.case,
        &config.honeytokens_stated(),
    ))
    .unwrap();
    assert_eq!(doc["summary"]["copy_count"], "partial");
    let gap = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == "copy_count_incomplete")
        .expect("the gap");
    assert_eq!(gap["path"], path.as_str());
    assert!(gap["reason"]
        .as_str()
        .unwrap()
        .starts_with("2 record(s) of this input share an eventID"));

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let bytes =
        trailcase::report::render_pdf(&report_doc(&t, &config, IntegrityStatement::default()))
            .unwrap();
    std::fs::write(&pdf, bytes).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("copy_count_incomplete"), "no gap row");
    assert!(
        text.contains("could not be read again to compare their content for the copy count"),
        "no reason"
    );
    assert!(
        text.contains(&format!(
            "at least {} duplicate copies dropped",
            t.duplicates_dropped
        )) && text.contains("whether the analysis kept it or not). The copy count is incomplete"),
        "inputs paragraph: {}",
        &text[text.find("records read").unwrap_or(0)..][..400]
    );
}
