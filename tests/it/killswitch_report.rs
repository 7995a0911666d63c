//! The report on the sample case shows the kill-switch's own account of each run, step by step,
//! with what CloudTrail shows for each step, in the model and in the PDF's text; the pipeline
//! section says when no posture result is in the case.

use crate::support;

use support::*;
use trailcase::report::content::{self, IntegrityStatement};
use trailcase::report::{Block, NodeStatus};

fn sample_doc() -> trailcase::report::ReportDoc {
    doc_of(&[&repo().join("samples/incident-01")])
}

fn doc_of(inputs: &[&std::path::Path]) -> trailcase::report::ReportDoc {
    let (t, config) = model(inputs);
    report_doc(&t, &config, IntegrityStatement::default())
}

#[test]
fn the_killswitch_steps_and_their_corroboration_are_in_the_report() {
    let doc = sample_doc();
    let at = doc
        .blocks
        .iter()
        .position(
            |b| matches!(b, Block::Heading { text, .. } if text == "The kill-switch's own account"),
        )
        .expect("the kill-switch's account");
    let detection = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { level: 1, text } if text == "Detection and kill-switch evidence"))
        .unwrap();
    assert!(
        at > detection,
        "inside the detection and kill-switch section"
    );
    let tables: Vec<Vec<Vec<String>>> = doc.blocks[at..]
        .iter()
        .take_while(|b| !matches!(b, Block::Heading { level: 1, .. }))
        .filter_map(|b| match b {
            Block::Table(t) => Some(
                t.rows
                    .iter()
                    .map(|r| r.iter().map(|c| c.text.clone()).collect())
                    .collect(),
            ),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 2, "one table per run");
    let first: Vec<(&str, &str, &str)> = tables[0]
        .iter()
        .map(|r| (r[0].lines().next().unwrap(), r[1].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        first,
        [
            (
                "iam:PutUserPolicy",
                "done",
                "confirmed: succeeded at 2026-11-20T14:02:46Z"
            ),
            (
                "iam:UpdateAccessKey",
                "done",
                "confirmed: succeeded at 2026-11-20T14:02:47Z"
            ),
            (
                "iam:DeleteLoginProfile",
                "unchanged",
                "confirmed: call made and failed (NoSuchEntityException): nothing changed"
            ),
        ]
    );
    // The step's target and eventIDs under it.
    assert_eq!(
        tables[0][0][0],
        "iam:PutUserPolicy\nsvc-reporting\n91229c3a-309d-46cd-b37b-0d4ff185f9f9"
    );
    assert!(tables[1].iter().all(|r| r[1] == "unchanged"));
}

#[test]
fn the_published_result_is_incident_reporting_evidence() {
    let (t, _) = model(&[&repo().join("samples/incident-01")]);
    let rows = content::nist::rows(&t, &Default::default());
    let ir6 = rows.iter().find(|r| r.id == "IR-6").unwrap();
    assert!(
        ir6.evidence
            .iter()
            .any(|e| e.starts_with("killswitch:2026-11-20T14:02:45Z")),
        "{:?}",
        ir6.evidence
    );
}

/// The paragraph under "Pipeline posture", and the table after it if any.
fn posture_part(doc: &trailcase::report::ReportDoc) -> (String, Option<&trailcase::report::Table>) {
    let at = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { text, .. } if text == "Pipeline posture"))
        .unwrap();
    let text = match &doc.blocks[at + 1] {
        Block::Paragraph(spans) => spans.iter().map(|s| s.text.as_str()).collect(),
        other => panic!("{other:?}"),
    };
    let table = doc.blocks[at + 2..]
        .iter()
        .take_while(|b| !matches!(b, Block::Heading { .. }))
        .find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        });
    (text, table)
}

#[test]
fn the_pipeline_section_shows_the_posture_the_case_holds() {
    let doc = sample_doc();
    let (text, table) = posture_part(&doc);
    assert!(
        text.starts_with("trailcase posture checked the deployed pipeline")
            && text.contains("14 pass, 0 fail"),
        "{text}"
    );
    let table = table.expect("a table of the checks");
    assert_eq!(table.rows.len(), 14);
    assert!(table
        .rows
        .iter()
        .all(|r| r.iter().any(|c| c.text == "PASS")));
    // Evidence without a posture result says so.
    let trail_only = doc_of(&[&repo().join("samples/incident-01/cloudtrail")]);
    let (text, table) = posture_part(&trail_only);
    assert!(
        text.starts_with("No trailcase posture result is in the case"),
        "{text}"
    );
    assert!(table.is_none());
}

#[test]
fn the_pdf_text_carries_the_killswitch_account() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.pdf");
    let run = report_pdf(&out, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&out);
    for needle in [
        "The kill-switch's own account",
        "Kill-switch run at 2026-11-20T14:02:45Z: reported contained",
        "Kill-switch run at 2026-11-20T14:03:33Z: reported already contained",
        "message 2933050f-9ef7-46e1-8443-55ed1cde836a",
        "no change expected: CloudTrail has no such change by a principal matching *KillSwitch*, as reported",
        // The chart's label of the second run's result.
        "result: already contained",
        // The executive summary.
        "The kill-switch's own report says contained; CloudTrail bears out 3 of its 6 steps; the other 3 report no change, and CloudTrail shows none.",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
}

/// The kill-switch tables and the chart printed the JSON's names ("nothing-expected:",
/// "already-contained"): a reader sees words. None of the kebab-case names of a decision, a
/// step's outcome or a step's corroboration is anywhere in the sample's PDF.
#[test]
fn the_pdf_prints_no_machine_names_of_the_killswitch_account() {
    let dir = tempfile::tempdir().unwrap();
    let text = sample_report_text(dir.path());
    for name in [
        "nothing-expected",
        "not-in-cloudtrail",
        "already-contained",
        "partially-contained",
        "would-contain",
        "not-contained",
        "would-do",
        "Some(",
        "None,",
    ] {
        assert!(!text.contains(name), "{name}: {text}");
    }
}

#[test]
fn a_failing_posture_check_outlines_its_part_of_the_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let posture = serde_json::json!({"schema_version": 1, "tool_version": "0.1.0",
        "checked_at": "2026-11-24T11:00:00Z", "honeytoken": "Production_Database_Credentials",
        "regions": ["us-east-1"], "pass": 1, "fail": 1, "unknown": 0,
        "checks": [
            {"region": "us-east-1", "id": "flow1.alarm", "status": "PASS", "reason": "goes to ALARM on one read"},
            {"region": "us-east-1", "id": "flow1.topic", "status": "FAIL", "reason": "no confirmed subscription"}]});
    std::fs::write(dir.path().join("posture.json"), posture.to_string()).unwrap();
    let doc = doc_of(&[&repo().join("samples/incident-01"), dir.path()]);
    let diagram = diagram(&doc);
    let node = |id: &str| diagram.nodes.iter().find(|n| n.id == id).unwrap();
    assert_eq!(node("sns1").status, NodeStatus::Failing);
    assert!(node("sns1")
        .lines
        .iter()
        .any(|l| l == "Failed check: The alarm's topic has a confirmed subscriber (flow1.topic)"));
    assert_eq!(node("alarm").status, NodeStatus::Present);
    // The box reads as English in the PDF, the check's id beside it (it said "posture FAIL:
    // flow1.topic").
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let sample = repo().join("samples/incident-01");
    let run = report_pdf(
        &pdf,
        &[sample.to_str().unwrap(), dir.path().to_str().unwrap()],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Failed check: The alarm's topic has a confirmed subscriber (flow1.topic)"),
        "{text}"
    );
    assert!(!text.contains("posture FAIL"), "{text}");
}

/// A posture run over many regions fails the same checks in each: the box names the first three
/// distinct checks and counts the rest, and the report still renders (hundreds of lines in one
/// box ran off the page, and past a PDF string's length the report failed).
#[test]
fn a_box_names_its_first_failed_checks_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let checks: Vec<serde_json::Value> = (0..400)
        .map(|n| {
            serde_json::json!({"region": format!("region-{n}"), "id": format!("trail.check-{}", n % 6),
                               "status": "FAIL", "reason": "off"})
        })
        .collect();
    let posture = serde_json::json!({"schema_version": 1, "tool_version": "0.1.0",
        "checked_at": "2026-11-24T11:00:00Z", "honeytoken": "Production_Database_Credentials",
        "regions": ["us-east-1"], "pass": 0, "fail": 400, "unknown": 0, "checks": checks});
    std::fs::write(dir.path().join("posture.json"), posture.to_string()).unwrap();
    let sample = repo().join("samples/incident-01");
    let doc = doc_of(&[&sample, dir.path()]);
    let diagram = diagram(&doc);
    let trail = diagram.nodes.iter().find(|n| n.id == "trail").unwrap();
    let fails: Vec<&String> = trail
        .lines
        .iter()
        .filter(|l| l.starts_with("Failed check: ") || l.starts_with("and "))
        .collect();
    assert_eq!(
        fails,
        [
            "Failed check: trail.check-0",
            "Failed check: trail.check-1",
            "Failed check: trail.check-2",
            "and 3 more failed checks (Pipeline posture)"
        ]
    );
    // Beside the evidence, not in it (trailcase refuses to write into its evidence).
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("posture.pdf");
    let run = report_pdf(
        &pdf,
        &[sample.to_str().unwrap(), dir.path().to_str().unwrap()],
    );
    assert!(run.code <= 1, "{}", run.stderr);
}
