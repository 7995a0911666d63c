//! The pipeline section said "Drawn from the configuration collected with the evidence" over a
//! drawing whose every box was "missing from evidence" (the shared data: records only). With no
//! configuration in the evidence it says so; with some (the sample), it says where it is from.

use crate::support::*;

#[test]
fn the_pipeline_drawing_says_when_it_rests_on_no_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    std::fs::copy(
        repo().join("tests/data/records/sqs-L45.json"),
        evidence.join("sqs-L45.json"),
    )
    .unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[evidence.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("No configuration of the pipeline is in the evidence (no describe-trails, describe-metric-filters, describe-alarms, list-rules or list-targets-by-rule output): the drawing shows where each piece would be, every one missing."),
        "{text}"
    );
    assert!(
        !text.contains("Drawn from the configuration collected"),
        "{text}"
    );

    let sample = dir.path().join("sample.pdf");
    let run = report_pdf(
        &sample,
        &[repo().join("samples/incident-01").to_str().unwrap()],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&sample);
    assert!(
        text.contains("Drawn from the configuration collected with the evidence"),
        "{text}"
    );
}
