//! Chain of custody over real HTTP against moto's server (#15): `collect` records who collected
//! (`sts:GetCallerIdentity` at collect time) in the manifest, an identity that cannot be read is
//! unknown and not a failure, and the report shows each acquired input's acquisition-time
//! SHA-256, time, identity and source, and flags an input changed since.

use crate::common;
use crate::support;

use common::bucket::isolated;
use common::moto::Moto;
use serde_json::{json, Value};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output};
use support::{pdf_attachments, pdf_text, REPORT_EPOCH};

const ACCOUNT: &str = "123456789012";
const KEY: &str =
    "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/123456789012_CloudTrail_us-east-1_20261120T1405Z_a.json.gz";

fn gzip(v: &Value) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(v.to_string().as_bytes()).unwrap();
    e.finish().unwrap()
}

fn trail_file(event_id: &str) -> Vec<u8> {
    gzip(&json!({"Records": [{
        "eventVersion": "1.08", "eventID": event_id, "eventTime": "2026-11-20T14:02:17Z",
        "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets", "awsRegion": "us-east-1",
        "eventType": "AwsApiCall", "recipientAccountId": ACCOUNT, "sourceIPAddress": "203.0.113.9",
        "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::{ACCOUNT}:user/alice"),
                         "accountId": ACCOUNT, "principalId": "AIDAALICE"}}]}))
}

fn seed_bucket(moto: &Moto) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let conf = moto.sdk_config("us-east-1").await;
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&conf)
                .force_path_style(true)
                .build(),
        );
        s3.create_bucket()
            .bucket("trail-bucket")
            .send()
            .await
            .unwrap();
        s3.put_object()
            .bucket("trail-bucket")
            .key(KEY)
            .body(trail_file("ev-1").into())
            .send()
            .await
            .unwrap();
    });
}

fn trailcase(args: &[&str], endpoint: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trailcase"));
    c.args(args);
    if let Some(e) = endpoint {
        c.args(["--endpoint-url", e]);
    }
    isolated(&mut c)
        .env("SOURCE_DATE_EPOCH", REPORT_EPOCH)
        .output()
        .expect("the trailcase binary runs")
}

fn collect(case: &Path, moto: &Moto) -> Output {
    trailcase(
        &[
            "collect",
            "--quiet",
            "--case",
            case.to_str().unwrap(),
            "--s3",
            "s3://trail-bucket/AWSLogs/",
            "--from",
            "2026-11-20T00:00Z",
            "--to",
            "2026-11-21T00:00Z",
        ],
        Some(&moto.endpoint),
    )
}

fn manifest(case: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(case.join("manifest.json")).unwrap()).unwrap()
}

fn sts_calls(m: &Value) -> Vec<Value> {
    m["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["service"] == "sts" && c["operation"] == "GetCallerIdentity")
        .cloned()
        .collect()
}

/// Report on `case`; the PDF's text and its attachments' directory.
fn report(case: &Path, dir: &Path) -> (String, std::path::PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let pdf = dir.join("report.pdf");
    let out = trailcase(
        &[
            "report",
            "--quiet",
            "--out",
            pdf.to_str().unwrap(),
            case.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved = pdf_attachments(&pdf, &dir.join("attached"));
    (pdf_text(&pdf), saved)
}

/// A report that said "hashed on acquisition" without saying who acquired it, when and from
/// where could not be checked against the acquisition; a file altered after acquisition was
/// shown with its new hash as if it were the acquired one.
#[test]
fn acquired_input_shows_its_custody_and_an_altered_one_is_flagged() {
    let moto = Moto::start();
    seed_bucket(&moto);
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let out = collect(&case, &moto);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest(&case);
    let arn = m["collector"]["arn"].as_str().expect("the collector's ARN");
    assert!(arn.starts_with("arn:aws:"), "{m}");
    assert_eq!(m["collector"]["account"], ACCOUNT, "{m}");
    assert!(m["collector"].get("unknown_reason").is_none(), "{m}");
    assert_eq!(
        sts_calls(&m),
        vec![
            json!({"service": "sts", "operation": "GetCallerIdentity", "region": "us-east-1", "calls": 1, "errors": 0})
        ]
    );
    let stored = format!("cloudtrail/{KEY}");
    let entry = m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == stored.as_str())
        .unwrap_or_else(|| panic!("{stored} in {m}"))
        .clone();
    let acquired_sha = entry["sha256"].as_str().unwrap().to_string();
    let acquired_at = entry["acquired_at"].as_str().unwrap().to_string();

    // As acquired: the acquisition's hash, time, identity and source. The printed list holds
    // the inputs the report cites and the configuration (issue #18): the alarms' row shows its
    // custody; the trail file, with no record the report cites, is summed up by folder and its
    // custody is in inputs.csv (below).
    let first = dir.path().join("first");
    let (text, saved) = report(&case, &first);
    let alarms = m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "cloudwatch/alarms.json")
        .unwrap_or_else(|| panic!("the alarms in {m}"));
    let custody = format!(
        "hashed on acquisition {} by {arn}, from {}",
        alarms["acquired_at"].as_str().unwrap(),
        alarms["source"].as_str().unwrap()
    );
    // Compared without spaces and hyphens: the cell wraps, and pdftotext joins a line that
    // ends in `-` with the next one without its hyphen.
    let plain = |s: &str| s.replace([' ', '-'], "");
    assert!(
        plain(&text).contains(&plain(&custody)),
        "{custody} in {text}"
    );
    assert!(text.contains("summed up by kind and folder"), "{text}");
    assert!(!text.contains("CHANGED SINCE ACQUISITION"), "{text}");
    assert!(
        text.contains(&format!("acquired by {arn} with trailcase")),
        "{text}"
    );
    let csv = std::fs::read_to_string(saved.join("inputs.csv")).unwrap();
    let row = csv.lines().find(|l| l.contains(KEY)).unwrap();
    let expected = format!(
        r#""{acquired_sha}","{acquired_sha}","{acquired_at}","{arn}","s3://trail-bucket/{KEY}""#
    );
    assert!(row.ends_with(&expected), "{row}");

    // Altered after acquisition: flagged, with the hash it has now beside the acquired one.
    std::fs::write(case.join(&stored), trail_file("ev-forged")).unwrap();
    let now_sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        std::fs::read(case.join(&stored)).unwrap(),
    ));
    let second = dir.path().join("second");
    let (text, saved) = report(&case, &second);
    assert!(text.contains("CHANGED SINCE ACQUISITION"), "{text}");
    assert!(
        text.contains("1 DO NOT: they changed after acquisition"),
        "{text}"
    );
    let flat = text.replace(' ', "");
    assert!(
        flat.contains(&acquired_sha) && flat.contains(&now_sha),
        "{text}"
    );
    let sums = std::fs::read_to_string(saved.join("inputs.sha256")).unwrap();
    assert!(
        sums.lines().any(|l| l.starts_with(&acquired_sha) && l.ends_with(KEY)),
        "inputs.sha256 states the acquisition's hash, so sha256sum -c fails on the altered file: {sums}"
    );
}

/// Denied GetCallerIdentity must neither fail the collect nor leave a made-up identity.
#[test]
fn unreadable_caller_identity_is_unknown_not_a_failed_collect() {
    let moto = Moto::start();
    seed_bucket(&moto);
    moto.seed(&json!({"sts_deny": true}));
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let out = collect(&case, &moto);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest(&case);
    assert!(m["collector"].get("arn").is_none(), "{m}");
    let why = m["collector"]["unknown_reason"]
        .as_str()
        .expect("why it is unknown");
    assert!(
        why.contains("GetCallerIdentity") && why.contains("sts:GetCallerIdentity"),
        "{why}"
    );
    assert_eq!(m["gaps"], json!([]), "not a gap of the acquisition: {m}");
    assert_eq!(sts_calls(&m)[0]["errors"], 1, "{m}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("testing"));

    let (text, _) = report(&case, &dir.path().join("r"));
    assert!(
        text.contains("by an unknown identity (GetCallerIdentity failed:"),
        "{text}"
    );
}
