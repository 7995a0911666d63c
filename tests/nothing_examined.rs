//! No evidence is not "all clear" (issue #15): a run that read no CloudTrail record says that
//! nothing was examined (a gap, exit code 1, in every output), and its report says so on the
//! cover and in the executive summary instead of "No honeytoken was read".

mod support;

use support::*;

fn cases() -> Vec<(&'static str, tempfile::TempDir)> {
    let empty = tempfile::tempdir().unwrap();
    let no_records = tempfile::tempdir().unwrap();
    std::fs::write(no_records.path().join("a.json"), "{\"Records\": []}").unwrap();
    let config_only = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("samples/incident-01/cloudwatch/alarm-history.json"),
        config_only.path().join("alarm-history.json"),
    )
    .unwrap();
    vec![
        ("an empty directory", empty),
        ("an empty records file", no_records),
        ("configuration only", config_only),
    ]
}

#[test]
fn no_evidence_is_not_all_clear_in_the_timeline() {
    for (what, dir) in cases() {
        let d = dir.path().to_str().unwrap();
        let run = trailcase(["timeline", d]);
        assert_eq!(run.code, 1, "{what}: {}", run.stderr);
        let doc = run.json();
        assert_eq!(doc["complete"], false, "{what}");
        assert_eq!(doc["summary"]["records_read"], 0, "{what}");
        let gaps = doc["gaps"].as_array().unwrap();
        assert!(
            gaps.iter().any(|g| g["kind"] == "no_records"
                && g["reason"]
                    .as_str()
                    .unwrap()
                    .contains("nothing was examined")),
            "{what}: {gaps:?}"
        );
        let all = trailcase(["timeline", d, "--all", "--format", "jsonl"]);
        assert_eq!(all.code, 1, "{what}: --all");
        assert!(
            all.text().contains("\"gap_kind\":\"no_records\""),
            "{what}: --all"
        );
    }
}

#[test]
fn a_report_over_no_records_says_nothing_was_examined() {
    let (_, dir) = cases().remove(0);
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Evidence examined NOTHING: no CloudTrail record"),
        "cover"
    );
    assert!(
        text.contains("Incident window unknown: nothing was examined"),
        "cover"
    );
    assert!(
        text.contains("Nothing was examined: the evidence holds no CloudTrail record"),
        "executive summary"
    );
    assert!(text.contains("This is not an all-clear"));
    assert!(!text.contains("No honeytoken was read"));
    assert!(!text.contains("every input was read in full"));
}
