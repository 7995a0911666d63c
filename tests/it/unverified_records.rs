//! Files that hold records no digest verified: `timeline` and `report` read records from every
//! file of a case, whatever its name or folder, while the digests vouch only for the trail log
//! files they list. A trail file delivered after the newest digest, a `.jsonl`, a `.JSON.GZ`, a
//! `.json.gz.bak` or a file outside `cloudtrail/` made `verify` say "verified" and the report
//! "verified offline" while an incident rested on it alone (audit t12, t02, t02b). The verdict is
//! now "partly verified" (exit 1), names the files, and the report names the incidents.

use std::path::Path;
use std::process::Command;

use chrono::Duration;
use serde_json::{json, Value};

use crate::common::*;
use crate::support::{pdf_text, repo, report_pdf, sample_to_alter, trailcase_env, REPORT_EPOCH};

fn verify_json(case: &Path) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args(["verify", "--format", "json"])
        .arg(case)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), report)
}

fn verify_text(case: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .arg("verify")
        .arg(case)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// The signed case of `tests/common` (no manifest, no LookupEvents page): verified.
fn signed_case() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_cloudtrail(dir.path(), &clean_case());
    dir
}

fn write(case: &Path, rel: &str, bytes: &[u8]) {
    let path = case.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn unverified(report: &Value) -> Vec<String> {
    report["unverified_record_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_signed_case_is_verified_and_lists_no_unverified_record_file() {
    let case = signed_case();
    let (code, report) = verify_json(case.path());
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["verdict"]["status"], "verified");
    assert_eq!(report["unverified_record_files"], json!([]));
    assert_eq!(report["counts"]["record_files_unverified"], 0);
}

/// Audit t12: a trail file named as delivered after the newest digest was only a note.
#[test]
fn a_trail_file_after_the_newest_digest_is_not_verified() {
    let case = signed_case();
    let delivered = hour_start(HOURS) + Duration::minutes(20);
    // One per region, so that no region-hour of the window they extend is without evidence.
    let mut paths = Vec::new();
    for region in REGIONS {
        let key = log_key(region, delivered, "late0AbCdEf");
        write(
            &case.path().join("cloudtrail"),
            &key,
            &gzip(&log_body(region, delivered, 1)),
        );
        paths.push(format!("cloudtrail/{key}"));
    }
    paths.sort();
    let (code, report) = verify_json(case.path());
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["verdict"]["status"], "partly_verified");
    let line = report["verdict"]["line"].as_str().unwrap();
    assert!(
        line.starts_with("partly verified: 2 file(s) holding records not verified by any digest (")
            && line.contains(&paths[0])
            && line.contains(&paths[1]),
        "{line}"
    );
    assert_eq!(unverified(&report), paths);
    assert_eq!(report["counts"]["record_files_unverified"], 2);
    // Still a note, not a problem: CloudTrail delivers the next digest within the hour.
    assert!(report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "log_file_after_last_digest"));

    let (code, text) = verify_text(case.path());
    assert_eq!(code, 1);
    assert!(text.starts_with("verdict: partly verified: "), "{text}");
    assert!(
        text.contains("\nfiles holding records no digest verified (2): their records are read, not verified\n  cloudtrail/"),
        "{text}"
    );
}

/// Audit t02 and t02b: record files by names and folders the digest checks never look at.
#[test]
fn record_files_of_any_name_or_folder_are_named() {
    let delivered = hour_start(1) + Duration::minutes(7);
    let trail_dir = format!(
        "cloudtrail/AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/{}",
        delivered.format("%Y/%m/%d")
    );
    let body = log_body("us-east-1", delivered, 1);
    let variants: Vec<(String, Vec<u8>)> = vec![
        (format!("{trail_dir}/injected.jsonl"), {
            let doc: Value = serde_json::from_slice(&body).unwrap();
            format!("{}\n", doc["Records"][0]).into_bytes()
        }),
        (format!("{trail_dir}/injected.JSON.GZ"), gzip(&body)),
        (format!("{trail_dir}/injected.json.gz.bak"), gzip(&body)),
        ("cloudtrail/extra.json.gz".into(), gzip(&body)),
        ("notes/extra.json".into(), body.clone()),
    ];
    for (rel, bytes) in &variants {
        let case = signed_case();
        write(case.path(), rel, bytes);
        let (code, report) = verify_json(case.path());
        assert_eq!(code, 1, "{rel}: {report}");
        assert_eq!(report["verdict"]["status"], "partly_verified", "{rel}");
        assert_eq!(unverified(&report), vec![rel.clone()], "{rel}");
        assert!(
            report["verdict"]["line"]
                .as_str()
                .unwrap()
                .contains(rel.as_str()),
            "{rel}"
        );
    }

    // All of them at once: the verdict names the first three and counts the rest.
    let case = signed_case();
    for (rel, bytes) in &variants {
        write(case.path(), rel, bytes);
    }
    let (_, report) = verify_json(case.path());
    assert_eq!(unverified(&report).len(), 5);
    let line = report["verdict"]["line"].as_str().unwrap();
    assert!(
        line.starts_with("partly verified: 5 file(s) holding records not verified by any digest (")
            && line.contains(" and 2 more)"),
        "{line}"
    );
}

/// A file with no record in it (notes, a README) holds nothing the analysis reads.
#[test]
fn a_file_without_records_does_not_count() {
    let case = signed_case();
    write(
        case.path(),
        "notes/README.txt",
        b"collected by hand on 2026-03-03\n",
    );
    write(case.path(), "notes/empty.json", b"{\"Records\": []}");
    let (code, report) = verify_json(case.path());
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["verdict"]["status"], "verified");
}

/// With a problem, the verdict stays "problems found" and still counts the files.
#[test]
fn problems_found_also_counts_the_files() {
    let case = signed_case();
    write(
        case.path(),
        "notes/extra.json",
        &log_body("us-east-1", hour_start(1), 1),
    );
    let first = clean_case()
        .keys()
        .find(|k| k.contains("/CloudTrail/us-east-1/"))
        .unwrap()
        .clone();
    std::fs::remove_file(case.path().join("cloudtrail").join(&first)).unwrap();
    let (code, report) = verify_json(case.path());
    assert_eq!(code, 1);
    assert_eq!(report["verdict"]["status"], "problems_found");
    let line = report["verdict"]["line"].as_str().unwrap();
    assert!(
        line.contains("; 1 file(s) holding records not verified by any digest (notes/extra.json)"),
        "{line}"
    );
}

/// LookupEvents pages have no digest by design: the sample's manifest vouches for them (the
/// sample stays verified); without a manifest nothing does, and they are named.
#[test]
fn lookup_events_pages_count_unless_the_manifest_vouches_for_them() {
    let (code, report) = verify_json(&repo().join("samples/incident-01"));
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["verdict"]["status"], "verified");
    assert_eq!(report["unverified_record_files"], json!([]));

    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let (code, report) = verify_json(&case);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"]["status"], "partly_verified");
    assert_eq!(
        unverified(&report),
        vec![
            "lookup-events/us-east-1-GetSecretValue-page-1.json".to_string(),
            "lookup-events/us-east-1-GetSecretValue-page-2.json".to_string(),
        ]
    );
}

/// `verify` exits 1 on "partly verified" (the run is incomplete) while `report`, stating the
/// same verdict, exited 0 with "0 gap(s)": it exits 1 too, and its summary line says why.
#[test]
fn report_exits_1_when_records_are_not_digest_verified_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    // Without its manifest, nothing vouches for the sample's LookupEvents pages.
    let case = sample_to_alter(dir.path());
    let pdf = dir.path().join("report.pdf");
    let run = trailcase_env(
        [
            "report",
            "--out",
            pdf.to_str().unwrap(),
            case.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", REPORT_EPOCH)],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("trailcase: wrote "))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        line.contains(" 0 gap(s); evidence integrity (exit code 1): ")
            && line.contains(": partly verified: 2 file(s) holding records not verified by any digest (lookup-events/us-east-1-GetSecretValue-page-1.json, "),
        "{line}"
    );
    // A modified log file ("problems found") is no gap of the analysis either: exit 1 as well.
    let first = std::fs::read_dir(
        case.join("cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20"),
    )
    .unwrap()
    .map(|e| e.unwrap().path())
    .min()
    .unwrap();
    let body = String::from_utf8(gunzip(&std::fs::read(&first).unwrap())).unwrap();
    std::fs::write(
        &first,
        gzip(body.replacen("aws-cli", "awz-cli", 1).as_bytes()),
    )
    .unwrap();
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The bundled sample, verified, still exits 0.
    let run = report_pdf(
        &pdf,
        &[repo().join("samples/incident-01").to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Audit t12 on the report: an incident resting only on a forged trail file delivered after
/// the newest digest; the summary said "Evidence integrity: verified offline".
#[test]
fn the_report_names_the_incident_resting_on_unverified_records() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let record = json!({
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/framed-admin", "accountId": "123456789012", "accessKeyId": "AKIAFRAMEDFRAMED0001", "userName": "framed-admin", "principalId": "AIDAFRAMED"},
        "eventTime": "2026-11-20T16:16:00Z",
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.66",
        "userAgent": "aws-cli/2.0",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "responseElements": null,
        "eventID": "11111111-2222-3333-4444-555555555556",
        "eventType": "AwsApiCall",
        "recipientAccountId": "123456789012"
    });
    let rel = "cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/123456789012_CloudTrail_us-east-1_20261120T1620Z_Zz9Yy8Xx7Ww6Vv5U.json.gz";
    write(
        &case,
        rel,
        &gzip(json!({ "Records": [record] }).to_string().as_bytes()),
    );
    // And one in eu-west-1 for the same hour, so that no region-hour of the window is empty.
    let mut other = record.clone();
    other["eventID"] = json!("11111111-2222-3333-4444-555555555557");
    other["eventName"] = json!("ListSecrets");
    other["awsRegion"] = json!("eu-west-1");
    other["requestParameters"] = json!({});
    write(
        &case,
        &rel.replace("us-east-1", "eu-west-1")
            .replace("Zz9Yy8Xx7Ww6Vv5U", "Aa1Bb2Cc3Dd4Ee5F"),
        &gzip(json!({ "Records": [other] }).to_string().as_bytes()),
    );
    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(!text.contains("verified offline"), "{text}");
    assert!(
        text.contains("Evidence integrity:")
            && text.contains(
                ": partly verified: 4 file(s) holding records not verified by any digest"
            ),
        "{text}"
    );
    assert!(
        text.contains("Incidents resting on records from files no digest verified: INC-002: 1 of its 1 honeytoken read(s), 2 of its 2 record(s)."),
        "{text}"
    );
    assert!(
        text.contains("4 input(s) hold records that no CloudTrail digest verified, so those records are not verified:"),
        "{text}"
    );
    assert!(text.contains("validation: partly verified"), "{text}");
    // The incident's own bullet says so too (it rests on nothing else), the other's does not.
    assert!(
        text.contains("Not digest-verified: 1 of its 1 honeytoken read(s), 2 of its 2 record(s) come from files no CloudTrail digest verified. First action:"),
        "{text}"
    );
    assert_eq!(text.matches("Not digest-verified").count(), 1, "{text}");
}
