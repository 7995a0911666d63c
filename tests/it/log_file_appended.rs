//! Data appended after the first gzip member of a digest-listed log file (#14).
//!
//! CloudTrail writes each log file as one gzip member, and since 2026-05 `aws cloudtrail validate-logs`
//! rejects a file with anything after that member ("unexpected data after end of compressed stream").
//! The attack: append forged records, as a second gzip member or as plain bytes, to a genuine log file. A
//! reader that joins gzip members would read the forged records as evidence. `verify` must call the file
//! tampered, with a kind of its own (`log_file_appended_data`) that says what was found, even though the
//! first member still hashes to what the signed digest lists.

use std::process::Command;

use serde_json::Value;
use trailcase::case::{verify_digests, FindingKind};

use crate::common;
use common::*;

fn forged_member() -> Vec<u8> {
    gzip(br#"{"Records":[{"eventVersion":"1.09","eventTime":"2026-03-02T23:00:00Z","eventSource":"iam.amazonaws.com","eventName":"DeleteUser","awsRegion":"us-east-1","eventID":"forged-1"}]}"#)
}

fn appended(files: &mut Files, tail: &[u8]) -> String {
    let log = listed_logs(files, &digest_key("us-east-1", 1))[0].clone();
    files.get_mut(&log).unwrap().extend_from_slice(tail);
    log
}

#[test]
fn second_gzip_member_appended_to_a_listed_log_file_is_tampering() {
    let mut files = clean_case();
    let tail = forged_member();
    let log = appended(&mut files, &tail);
    let report = verify_digests(&files);
    let problems: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind.is_problem())
        .collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let found = problems[0];
    assert_eq!(
        (found.kind, found.key.as_str()),
        (FindingKind::LogFileAppendedData, log.as_str())
    );
    assert_eq!(
        found.detail,
        format!(
            "{} byte(s) after the end of its first gzip member (another gzip member); its first member matches {}",
            tail.len(),
            digest_key("us-east-1", 1)
        )
    );
    assert_eq!(report.summary.log_files_modified, 1);
    assert_eq!(
        report.summary.log_files_verified + 1,
        report.summary.log_files_listed
    );
}

#[test]
fn plain_bytes_appended_to_a_listed_log_file_are_tampering() {
    let mut files = clean_case();
    let log = appended(&mut files, b"\n{\"Records\":[]}\n");
    let report = verify_digests(&files);
    let found: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.key == log)
        .map(|f| (f.kind, f.detail.clone()))
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, FindingKind::LogFileAppendedData);
    assert!(
        found[0]
            .1
            .starts_with("16 byte(s) after the end of its first gzip member (data that is not a gzip member); its first member matches "),
        "{}",
        found[0].1
    );
}

#[test]
fn appended_member_with_an_edited_first_member_says_both_are_wrong() {
    let mut files = clean_case();
    let log = listed_logs(&files, &digest_key("us-east-1", 1))[0].clone();
    let mut body = gunzip(&files[&log]);
    let at = body.iter().position(|&b| b == b'7').unwrap();
    body[at] = b'8';
    let mut bytes = gzip(&body);
    bytes.extend_from_slice(&forged_member());
    files.insert(log.clone(), bytes);
    let report = verify_digests(&files);
    let finding = report.findings.iter().find(|f| f.key == log).unwrap();
    assert_eq!(finding.kind, FindingKind::LogFileAppendedData);
    assert!(
        finding
            .detail
            .contains("its first member does not match either "),
        "{}",
        finding.detail
    );
}

#[test]
fn verify_cli_reports_appended_data_as_a_problem_with_exit_code_1() {
    let mut files = clean_case();
    let log = appended(&mut files, &forged_member());
    let case = tempfile::tempdir().unwrap();
    write_cloudtrail(case.path(), &files);
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args(["verify", "--format", "json"])
        .arg(case.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The file's records are read by the analysis and no digest verified them: named too.
    let line = report["verdict"]["line"].as_str().unwrap();
    assert!(
        line.starts_with(&format!("problems found: 1 (digest log_file_appended_data 1); 1 file(s) holding records not verified by any digest (cloudtrail/{log}) (10 digest(s) signed with the key ")),
        "{line}"
    );
    let problem = &report["problems"][0];
    assert_eq!(problem["subject"], format!("cloudtrail/{log}"));
    assert_eq!(problem["kind"], "log_file_appended_data");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("(another gzip member)"));
    // The file is not among those a verified digest vouches for.
    assert!(!report["verified_log_files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f.as_str() == Some(&format!("cloudtrail/{log}"))));
}
