//! The evidence appendix of a case with many inputs: the PDF carries every input and its SHA-256
//! as attachments an auditor can check with `sha256sum -c`, prints the ones the report cites,
//! and sums the other trail files, digests and signatures up by kind and folder instead of
//! printing thousands of rows.

use crate::support;

use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::Path;
use support::*;

const EXTRA: usize = 400;

/// `EXTRA` one-record trail files of an uninteresting call, in the CloudTrail key layout, over
/// two days of us-west-2.
fn many_trail_files(dir: &Path) {
    for n in 0..EXTRA {
        let day = 18 + n % 2;
        let folder = dir.join(format!(
            "AWSLogs/123456789012/CloudTrail/us-west-2/2026/11/{day}"
        ));
        std::fs::create_dir_all(&folder).unwrap();
        let record = json!({"Records": [{
            "eventVersion": "1.08", "eventTime": format!("2026-11-{day}T10:{:02}:00Z", n % 60),
            "eventID": format!("extra-{n}"), "eventSource": "ec2.amazonaws.com",
            "eventName": "DescribeInstances", "eventType": "AwsApiCall", "awsRegion": "us-west-2",
            "recipientAccountId": "123456789012", "sourceIPAddress": "198.51.100.7",
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/ops",
                             "accountId": "123456789012", "principalId": "AIDAOPS"}}]});
        std::fs::write(
            folder.join(format!(
                "123456789012_CloudTrail_us-west-2_extra{n:04}.json"
            )),
            serde_json::to_vec(&record).unwrap(),
        )
        .unwrap();
    }
}

/// `trailcase report INPUTS --out PDF` at a fixed SOURCE_DATE_EPOCH; a run with gaps is a run.
fn report(pdf: &Path, inputs: &[&str]) {
    let run = report_pdf(pdf, inputs);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
}

fn pages(pdf: &Path) -> usize {
    let (ok, info) = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(ok, "{info}");
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"))
}

#[test]
fn a_case_with_many_inputs_attaches_them_all_and_prints_a_summary() {
    let extra = tempfile::tempdir().unwrap();
    many_trail_files(extra.path());
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("report.pdf");
    report(
        &pdf,
        &["samples/incident-01", extra.path().to_str().unwrap()],
    );

    // Every input is in the attachments.
    let saved = pdf_attachments(&pdf, &out.path().join("attached"));
    let sums = std::fs::read_to_string(saved.join("inputs.sha256")).unwrap();
    let csv = std::fs::read_to_string(saved.join("inputs.csv")).unwrap();
    let timeline = trailcase([
        "timeline",
        "--quiet",
        "samples/incident-01",
        extra.path().to_str().unwrap(),
    ])
    .json();
    let inputs = timeline["inputs"].as_array().unwrap();
    assert!(inputs.len() > EXTRA);
    assert_eq!(sums.lines().count(), inputs.len());
    assert_eq!(
        csv.lines().count(),
        inputs.len() + 1,
        "a header and a row per input"
    );
    // Each line names a file whose bytes have that SHA-256 (paths as given, from the repository).
    for line in sums.lines() {
        let (hash, path) = line.split_once("  ").unwrap();
        let bytes = std::fs::read(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(hex::encode(Sha256::digest(&bytes)), hash, "{path}");
    }

    // The printed appendix binds the attachments by their SHA-256, lists the cited inputs and
    // sums up the rest.
    let text = pdf_text(&pdf);
    let sums_hash = hex::encode(Sha256::digest(sums.as_bytes()));
    assert!(
        text.replace(' ', "").contains(&sums_hash),
        "the SHA-256 of inputs.sha256 is printed"
    );
    assert!(text.contains("summed up by kind and folder"), "{text}");
    assert!(
        text.contains("2026-11-18 to 2026-11-19"),
        "the folder's days: {text}"
    );
    assert!(
        !text.contains("extra0123"),
        "an uninteresting trail file is not printed one by one"
    );
    let cited = timeline["incidents"][0]["access_event_ids"][0]
        .as_str()
        .unwrap();
    let file_name = timeline["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_id"] == cited)
        .and_then(|e| e["input"].as_str())
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    assert!(
        text.replace(' ', "").contains(&file_name),
        "the file that holds the honeytoken read is printed: {file_name}"
    );
    let sample = out.path().join("sample.pdf");
    report(&sample, &["samples/incident-01"]);
    let (pages, sample_pages) = (pages(&pdf), pages(&sample));
    assert!(
        pages <= sample_pages + 2,
        "{EXTRA} more files add a summary, not pages of rows: {pages} against {sample_pages}"
    );
}

/// The sample (issue #18): the printed list keeps the inputs the report cites, with the number
/// the evidence tables give them and their SHA-256, one short row each; the others are summed up
/// and every one is in the attachments whose SHA-256 the appendix prints.
#[test]
fn a_small_case_prints_the_cited_inputs_and_attaches_every_one() {
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("report.pdf");
    report(&pdf, &["samples/incident-01"]);
    let text = pdf_text(&pdf).replace(' ', "");
    let timeline = trailcase(["timeline", "--quiet", "samples/incident-01"]).json();
    let inputs = timeline["inputs"].as_array().unwrap();
    let cited: std::collections::BTreeSet<&str> = timeline["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["input"].as_str().unwrap())
        .collect();
    assert!(!cited.is_empty());
    for input in inputs {
        let (path, hash) = (
            input["path"].as_str().unwrap(),
            input["sha256"].as_str().unwrap(),
        );
        let kind = input["kind"].as_str().unwrap();
        if cited.contains(path) || kind != "cloudtrail-records" && !kind.contains("digest") {
            assert!(text.contains(hash), "{path} is printed with its SHA-256");
        }
    }
    assert!(text.contains("summedupbykindandfolder"), "{text}");
    let saved = pdf_attachments(&pdf, &out.path().join("attached"));
    let sums = std::fs::read(saved.join("inputs.sha256")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&sums).lines().count(),
        inputs.len(),
        "every input is attached"
    );
    assert!(text.contains(&hex::encode(Sha256::digest(&sums))));
}

/// Crafted evidence: a small file of thousands of records without a time, each an evidence
/// gap (issue #13's rule: every one named). The appendix prints them by input and kind with
/// their count and first records, attaches every gap as `evidence-gaps.csv` (its SHA-256
/// printed), and the report stays the sample's size: one row per gap made 200,000 such records
/// a 4,888-page PDF.
#[test]
fn thousands_of_gaps_are_grouped_and_every_one_attached() {
    const GAPS: usize = 5_000;
    let extra = tempfile::tempdir().unwrap();
    let records: Vec<serde_json::Value> = (0..GAPS)
        .map(|n| {
            json!({"eventVersion": "1.08", "eventTime": "redacted", "eventID": format!("g-{n}"),
                   "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets",
                   "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/x"}})
        })
        .collect();
    std::fs::write(
        extra.path().join("untimed.json"),
        serde_json::to_vec(&json!({ "Records": records })).unwrap(),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("report.pdf");
    report(
        &pdf,
        &["samples/incident-01", extra.path().to_str().unwrap()],
    );
    let timeline = trailcase([
        "timeline",
        "--quiet",
        "samples/incident-01",
        extra.path().to_str().unwrap(),
    ])
    .json();
    let gaps = timeline["gaps"].as_array().unwrap();
    assert!(gaps.len() >= GAPS);

    let saved = pdf_attachments(&pdf, &out.path().join("attached"));
    let csv = std::fs::read_to_string(saved.join("evidence-gaps.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let listed: Vec<(String, String, String)> = rows
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string(), r[2].to_string())
        })
        .collect();
    let expected: Vec<(String, String, String)> = gaps
        .iter()
        .map(|g| {
            (
                g["path"].as_str().unwrap().to_string(),
                g["index"]
                    .as_u64()
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                g["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(listed, expected, "every gap, in the JSON's order");

    let text = pdf_text(&pdf);
    let csv_hash = hex::encode(Sha256::digest(csv.as_bytes()));
    assert!(
        text.replace(' ', "").contains(&csv_hash),
        "its SHA-256 is printed"
    );
    assert!(
        text.contains(&format!(
            "{} evidence gaps, too many to print one per row",
            gaps.len()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("0, 1, 2, 3, 4 and {} more", GAPS - 5)),
        "{text}"
    );
    let sample = out.path().join("sample.pdf");
    report(&sample, &["samples/incident-01"]);
    let (pages, sample_pages) = (pages(&pdf), pages(&sample));
    assert!(
        pages <= sample_pages + 2,
        "{GAPS} gaps add a summary, not pages of rows: {pages} against {sample_pages}"
    );
}
