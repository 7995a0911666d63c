//! Many incidents (issue 13, item 13): a honey object found by scanners is read by thousands of
//! principals, one incident each. The correlation must stay near-linear (each incident rests on
//! its own records, even when forged records share one principal id), the JSON must carry every
//! incident, and the report must stay a readable size: the first incidents detailed, all of them
//! summed up, and the full list attached to the PDF. No timings are asserted.

use crate::support;

use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use support::*;

/// One trail file: `n` distinct principals each reading the honeytoken once, a second apart.
/// `forged`: every record claims the same principal id and access key (records an attacker
/// wrote), each under its own ARN.
fn scanners(dir: &Path, n: usize, forged: bool) {
    let records: Vec<Value> = (0..n)
        .map(|i| {
            let (h, m, s) = (10 + i / 3600, (i / 60) % 60, i % 60);
            json!({
                "eventVersion": "1.08", "eventTime": format!("2026-11-20T{h:02}:{m:02}:{s:02}Z"),
                "eventID": format!("read-{i:06}"), "eventSource": "secretsmanager.amazonaws.com",
                "eventName": "GetSecretValue", "awsRegion": "us-east-1",
                "sourceIPAddress": format!("198.51.100.{}", i % 250 + 1), "userAgent": "scanner/1",
                "requestParameters": {"secretId": "Production_Database_Credentials"},
                "userIdentity": {
                    "type": "IAMUser", "accountId": "123456789012",
                    "arn": format!("arn:aws:iam::123456789012:user/u{i:06}"),
                    "principalId": if forged { "AIDAFORGED".to_string() } else { format!("AIDA{i:06}") },
                    "accessKeyId": if forged { "AKIAFORGED".to_string() } else { format!("AKIA{i:06}") }
                }
            })
        })
        .collect();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(json!({ "Records": records }).to_string().as_bytes())
        .unwrap();
    std::fs::write(dir.join("trail.json.gz"), enc.finish().unwrap()).unwrap();
}

fn timeline(dir: &Path) -> Value {
    let run = trailcase(["timeline", "--quiet", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

/// Every incident is in the JSON, each resting on its own read only.
fn assert_one_incident_per_reader(doc: &Value, n: usize) {
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, doc), Vec::<String>::new());
    let incidents = doc["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), n);
    assert_eq!(doc["summary"]["incidents"], n);
    for (i, inc) in incidents.iter().enumerate() {
        let id = format!("read-{i:06}");
        assert_eq!(inc["id"], format!("INC-{:03}", i + 1));
        assert_eq!(
            inc["actor"]["arn"],
            format!("arn:aws:iam::123456789012:user/u{i:06}")
        );
        assert_eq!(inc["event_ids"], json!([id]), "{}", inc["id"]);
        assert_eq!(inc["access_event_ids"], json!([id]));
    }
    let rows = doc["timeline"].as_array().unwrap();
    assert_eq!(rows.len(), n);
    assert!(rows
        .iter()
        .all(|r| r["incidents"].as_array().unwrap().len() == 1));
}

#[test]
fn ten_thousand_scanners_reading_a_honey_object_are_ten_thousand_incidents_in_the_json() {
    let dir = tempfile::tempdir().unwrap();
    scanners(dir.path(), 10_000, false);
    assert_one_incident_per_reader(&timeline(dir.path()), 10_000);
}

/// Forged records sharing one principal id and access key under 10,000 ARNs: a principal id or
/// key alone does not make another ARN's record the actor's own, so no incident pulls in the
/// other 9,999 reads (which made the timeline and the report quadratic in time and size).
#[test]
fn forged_colliding_principal_ids_do_not_join_every_incident_to_every_other() {
    let dir = tempfile::tempdir().unwrap();
    scanners(dir.path(), 10_000, true);
    let doc = timeline(dir.path());
    assert_one_incident_per_reader(&doc, 10_000);
    // The collision itself is a finding: one per shared identifier.
    let shared: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "shared_identifier")
        .collect();
    assert_eq!(shared.len(), 2, "{}", doc["findings"]);
    assert!(shared[0]["summary"]
        .as_str()
        .unwrap()
        .starts_with("principal id AIDAFORGED appears under 10000 different ARNs"));
    assert!(shared[1]["summary"]
        .as_str()
        .unwrap()
        .starts_with("access key AKIAFORGED appears under 10000 different ARNs"));
}

fn report(dir: &Path, pdf: &Path) -> (usize, String, String) {
    let run = report_pdf(pdf, &[dir.to_str().unwrap()]);
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let (ok, info) = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(ok, "{info}");
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    let saved = pdf_attachments(pdf, &pdf.with_extension("attached"));
    let csv = std::fs::read_to_string(saved.join("incidents.csv")).expect("incidents.csv");
    (pages, pdf_text(pdf), csv)
}

/// 2,000 and 10,000 incidents give the same number of pages: the report details the first 25,
/// sums them all up, and attaches every incident as incidents.csv.
#[test]
fn thousands_of_incidents_give_a_bounded_report_with_every_incident_attached() {
    let out = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for n in [2_000usize, 10_000] {
        let dir = tempfile::tempdir().unwrap();
        scanners(dir.path(), n, false);
        let (p, text, csv) = report(dir.path(), &out.path().join(format!("{n}.pdf")));
        pages.push(p);
        assert!(
            text.contains(&format!("{n} incidents")),
            "the summary states the count"
        );
        assert!(text.contains("details the first 25"), "{}", &text[..2000]);
        assert!(text.contains("incidents.csv"));
        assert!(text.contains("INC-025") && !text.contains("INC-026"));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), n + 1, "a header and a row per incident");
        // Every cell quoted (the CSV is safe to open in a spreadsheet).
        assert!(lines[0].starts_with("\"id\",\"honeytoken\",\"actor_arn\""));
        for (i, line) in lines[1..].iter().enumerate() {
            assert!(
                line.starts_with(&format!(
                    "\"INC-{:03}\",\"Production_Database_Credentials\",\"arn:aws:iam::123456789012:user/u{i:06}\",",
                    i + 1
                )),
                "{line}"
            );
        }
    }
    assert_eq!(
        pages[0], pages[1],
        "the page count does not grow with the incidents"
    );
    assert!(pages[0] < 100, "{} pages", pages[0]);
}
