//! The same records as a trail file or as LookupEvents pages: a case read from LookupEvents alone
//! cannot hold a data event (LookupEvents returns management and Insights events only), so a
//! kill-switch's SNS `Publish` or an S3 object read the trail files show is missing from it. The
//! two used to differ without a word; evidence whose every record came from LookupEvents now
//! carries an `evidence_gaps` finding (info) saying data events are not examined, not absent, in
//! `timeline`, `timeline --all` and the report. A case with any trail file has no such finding.

use crate::support::honeytoken_calls::secret_read;
use crate::support::{of_kind, pdf_text, report_pdf, trailcase};
use serde_json::{json, Value};
use std::path::Path;

const HONEYTOKEN: &str = "Production_Database_Credentials";
const SAYS: &str = "every CloudTrail record read came from LookupEvents";

fn records() -> Vec<Value> {
    vec![
        secret_read("read-1", "mallory", "2026-11-20T14:02:17Z", HONEYTOKEN, &[]),
        secret_read("other-1", "bob", "2026-11-20T14:05:00Z", "app/config", &[]),
    ]
}

fn page(records: &[Value]) -> String {
    let items: Vec<Value> = records
        .iter()
        .map(|r| json!({"EventId": r["eventID"], "EventTime": r["eventTime"], "CloudTrailEvent": r.to_string()}))
        .collect();
    json!({ "Events": items }).to_string()
}

fn said(doc: &Value) -> Vec<String> {
    of_kind(&doc["findings"], "evidence_gaps")
        .iter()
        .map(|f| f["summary"].as_str().unwrap().to_string())
        .filter(|s| s.contains(SAYS))
        .collect()
}

fn timeline(evidence: &Path, all: bool) -> Value {
    let e = evidence.to_str().unwrap();
    let mut args = vec!["timeline", "--quiet", "--honeytoken", HONEYTOKEN, e];
    if all {
        args.insert(1, "--all");
    }
    let run = trailcase(args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    if all {
        doc["summary"].clone()
    } else {
        doc
    }
}

#[test]
fn a_case_of_lookup_events_alone_says_data_events_are_not_examined() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    std::fs::write(evidence.join("lookup.json"), page(&records())).unwrap();
    let doc = timeline(&evidence, false);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1);
    let found = said(&doc);
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    for part in [
        "(1 input(s))",
        "management and Insights events only",
        "SNS Publish",
        "not examined here, not absent",
    ] {
        assert!(found[0].contains(part), "{part} in {}", found[0]);
    }
    assert_eq!(
        said(&timeline(&evidence, true)),
        found,
        "--all states it too"
    );
    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(
        &pdf,
        &["--honeytoken", HONEYTOKEN, evidence.to_str().unwrap()],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains(SAYS), "{text}");

    // The same records in a trail file beside the page: no such finding.
    let trail = json!({ "Records": records() }).to_string();
    std::fs::write(evidence.join("trail.json"), trail).unwrap();
    assert!(said(&timeline(&evidence, false)).is_empty());
}
