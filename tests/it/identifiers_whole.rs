//! An auditor searches the PDF for an identifier the JSON gives (session 35): a finding kind
//! (`containment_step_failed`), a posture check id, a CloudTrail call (`secretsmanager:
//! GetSecretValue`). A table cell used to break such a word at `_` or `:` when it was wider
//! than its column, and the PDF's text then held `containment_step_ failed`, which a search
//! misses: a cell of a few words is now set smaller to keep its longest word on one line.

use crate::support;

use support::*;

#[test]
fn the_samples_finding_kinds_checks_and_calls_are_whole_in_the_pdf_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = sample_report_text(dir.path());
    let doc = trailcase(["timeline", "samples/incident-01"]).json();
    let strings = |v: &serde_json::Value, key: &str| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .filter_map(|x| x[key].as_str().map(String::from))
            .collect()
    };
    let mut ids: Vec<String> = strings(&doc["findings"], "kind");
    for i in doc["incidents"].as_array().unwrap() {
        ids.extend(strings(&i["findings"], "kind"));
    }
    let kinds = ids.len();
    for p in doc["posture"].as_array().unwrap() {
        ids.extend(strings(&p["checks"], "id"));
    }
    let checks = ids.len() - kinds;
    // The CloudTrail rows' calls as the evidence tables show them (`service:Name`).
    let calls: Vec<&serde_json::Value> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["source"] == "cloudtrail")
        .collect();
    ids.extend(
        calls
            .iter()
            .map(|r| r["action"].as_str().unwrap().to_string()),
    );
    ids.sort();
    ids.dedup();
    // What the sample holds: three kinds of finding (two of them were broken at '_'), the
    // posture checks, and the calls.
    assert!(kinds >= 3 && checks >= 10 && calls.len() >= 10, "{ids:?}");
    assert!(
        ids.iter().any(|i| i == "containment_step_failed")
            && ids.iter().any(|i| i == "success_after_containment"),
        "{ids:?}"
    );
    let broken: Vec<&String> = ids
        .iter()
        .filter(|id| !text.contains(id.as_str()))
        .collect();
    assert!(broken.is_empty(), "not whole in the PDF's text: {broken:?}");
}
