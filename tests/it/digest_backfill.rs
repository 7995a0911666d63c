//! Backfill digest files (#14): `..._backfill.json.gz`, delivered when CloudTrail must add log files that
//! an earlier digest missed because of processing delays.
//!
//! Format, as documented (AWS CloudTrail User Guide, "CloudTrail digest file structure", note on backfill
//! digest files) and as `aws cloudtrail validate-logs` handles them since 2026-02
//! (awscli/customizations/cloudtrail/validation.py): the same JSON body and signing string as an hourly
//! digest, in the same folder, named with `_backfill` after the timestamp; they form a chain of their own
//! (each pointing back to the previous backfill digest, or starting one), walked apart from the hourly chain.
//! The cases here are built and signed by `tests/common/` exactly like the hourly ones: two late log files
//! that no hourly digest lists, vouched for by two chained backfill digests in us-east-1, the second
//! delivered after the last hourly digest.

use std::process::Command;

use chrono::Duration;
use serde_json::{json, Value};
use trailcase::case::{verify_digests, DigestReport, FindingKind};

use crate::common;
use common::*;

fn backfill_key(region: &str, hour: u32) -> String {
    digest_key(region, hour).replace(".json.gz", "_backfill.json.gz")
}

/// A late log file: delivered during `hour` but listed in no hourly digest.
fn late_log(files: &mut Files, hour: u32, tag: &str) -> Value {
    let delivered = hour_start(hour) + Duration::minutes(50);
    let key = log_key("us-east-1", delivered, &format!("late{tag}AbCdEf"));
    let body = log_body("us-east-1", delivered - Duration::minutes(30), 2);
    files.insert(key.clone(), gzip(&body));
    json!({
        "s3Bucket": BUCKET,
        "s3Object": key,
        "hashValue": sha256_hex(&body),
        "hashAlgorithm": "SHA-256",
        "newestEventTime": iso(delivered - Duration::minutes(29)),
        "oldestEventTime": iso(delivered - Duration::minutes(30))
    })
}

/// A backfill digest for `hour` listing `logs`, after `previous` (key, content, signature) if any.
fn backfill_digest(
    files: &mut Files,
    hour: u32,
    logs: Vec<Value>,
    previous: Option<&(String, Vec<u8>, String)>,
) -> (String, Vec<u8>, String) {
    let key = backfill_key("us-east-1", hour);
    let digest = json!({
        "awsAccountId": ACCOUNT,
        "digestStartTime": iso(hour_start(hour)),
        "digestEndTime": iso(hour_start(hour) + Duration::hours(1)),
        "digestS3Bucket": BUCKET,
        "digestS3Object": key,
        "digestPublicKeyFingerprint": fingerprint(signing_key()),
        "digestSignatureAlgorithm": "SHA256withRSA",
        "newestEventTime": logs[0]["newestEventTime"],
        "oldestEventTime": logs[0]["oldestEventTime"],
        "previousDigestS3Bucket": previous.map(|_| BUCKET),
        "previousDigestS3Object": previous.map(|p| p.0.clone()),
        "previousDigestHashValue": previous.map(|p| sha256_hex(&p.1)),
        "previousDigestHashAlgorithm": previous.map(|_| "SHA-256"),
        "previousDigestSignature": previous.map(|p| p.2.clone()),
        "logFiles": logs
    });
    let (content, signature) = store_digest(files, &key, &digest);
    (key, content, signature)
}

struct Backfilled {
    files: Files,
    /// The late log files, listed only by the first and the second backfill digest.
    late: [String; 2],
    backfill: [String; 2],
}

fn backfilled_case() -> Backfilled {
    let mut files = clean_case();
    let first_log = late_log(&mut files, 1, "A");
    let second_log = late_log(&mut files, 3, "B");
    let late = [
        first_log["s3Object"].as_str().unwrap().to_owned(),
        second_log["s3Object"].as_str().unwrap().to_owned(),
    ];
    let first = backfill_digest(&mut files, 2, vec![first_log], None);
    // Delivered after the last hourly digest (hour 4): backfills come late.
    let second = backfill_digest(&mut files, 6, vec![second_log], Some(&first));
    Backfilled {
        files,
        late,
        backfill: [first.0, second.0],
    }
}

fn problems(report: &DigestReport) -> Vec<(FindingKind, String, String)> {
    report
        .findings
        .iter()
        .filter(|f| f.kind.is_problem())
        .map(|f| (f.kind, f.key.clone(), f.detail.clone()))
        .collect()
}

fn kinds_for(report: &DigestReport, key: &str) -> Vec<FindingKind> {
    report
        .findings
        .iter()
        .filter(|f| f.key == key)
        .map(|f| f.kind)
        .collect()
}

/// The one finding about a log file (or a missing digest).
fn finding_for(report: &DigestReport, key: &str) -> (FindingKind, String) {
    let found: Vec<_> = report.findings.iter().filter(|f| f.key == key).collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    (found[0].kind, found[0].detail.clone())
}

#[test]
fn log_files_only_a_backfill_digest_lists_are_verified_not_listed_in_no_digest() {
    let case = backfilled_case();
    let report = verify_digests(&case.files);
    assert!(report.is_clean(), "{:#?}", problems(&report));
    for (log, digest) in case.late.iter().zip(&case.backfill) {
        assert_eq!(
            finding_for(&report, log),
            (FindingKind::LogFileValid, format!("matches {digest}"))
        );
    }
    let s = &report.summary;
    assert_eq!(
        (s.digests, s.backfill_digests, s.digests_verified),
        (12, 2, 12)
    );
    assert_eq!((s.log_files_unlisted, s.log_files_missing), (0, 0));
    // The backfill digests form one chain beside the two hourly ones, and the second links to the first.
    let backfill: Vec<_> = report.chains.iter().filter(|c| c.backfill).collect();
    assert_eq!(report.chains.len(), 3);
    assert_eq!(backfill.len(), 1);
    assert_eq!((backfill[0].digests, backfill[0].digests_missing), (2, 0));
    assert!(backfill[0].chain.ends_with("_org-audit_us-east-1_backfill"));
    assert_eq!(
        kinds_for(&report, &case.backfill[0]),
        vec![FindingKind::DigestValid, FindingKind::ChainStart]
    );
    assert_eq!(
        kinds_for(&report, &case.backfill[1]),
        vec![FindingKind::DigestValid]
    );
}

#[test]
fn backfill_digest_planted_with_a_forged_signature_vouches_for_nothing() {
    // The attacker plants a log file and a backfill digest listing it, signed with their own key under
    // CloudTrail's fingerprint.
    let mut files = clean_case();
    let planted = late_log(&mut files, 2, "P");
    let key = backfill_key("us-east-1", 3);
    let digest = json!({
        "awsAccountId": ACCOUNT,
        "digestStartTime": iso(hour_start(3)),
        "digestEndTime": iso(hour_start(4)),
        "digestS3Bucket": BUCKET, "digestS3Object": key,
        "digestPublicKeyFingerprint": fingerprint(signing_key()),
        "digestSignatureAlgorithm": "SHA256withRSA",
        "newestEventTime": null, "oldestEventTime": null,
        "previousDigestS3Bucket": null, "previousDigestS3Object": null, "previousDigestHashValue": null,
        "previousDigestHashAlgorithm": null, "previousDigestSignature": null,
        "logFiles": [planted.clone()]
    });
    let content = serde_json::to_vec(&digest).unwrap();
    files.insert(key.clone(), gzip(&content));
    files.insert(
        format!("{key}.signature"),
        sign(other_key(), &digest, &content).into_bytes(),
    );
    let report = verify_digests(&files);
    let planted = planted["s3Object"].as_str().unwrap();
    assert!(kinds_for(&report, &key).contains(&FindingKind::DigestSignatureInvalid));
    assert_eq!(
        finding_for(&report, planted).0,
        FindingKind::LogFileUnverified
    );
}

#[test]
fn deleting_a_backfill_digest_leaves_its_late_log_file_in_no_digest() {
    let mut case = backfilled_case();
    case.files.remove(&case.backfill[0]).unwrap();
    case.files
        .remove(&format!("{}.signature", case.backfill[0]))
        .unwrap();
    let report = verify_digests(&case.files);
    assert_eq!(
        problems(&report),
        vec![(
            FindingKind::LogFileUnlisted,
            case.late[0].clone(),
            "listed in no digest of the case".to_owned()
        )]
    );
    // The remaining backfill digest points back to one not in the case: the backfill chain starts there.
    assert!(kinds_for(&report, &case.backfill[1]).contains(&FindingKind::ChainStartOutsideCase));
}

#[test]
fn deleting_a_backfill_digest_between_two_others_is_a_missing_digest() {
    let mut case = backfilled_case();
    // A third backfill digest after the second, so the second is in the middle.
    let second = case.backfill[1].clone();
    let content = gunzip(&case.files[&second]);
    let signature = String::from_utf8(case.files[&format!("{second}.signature")].clone()).unwrap();
    let third_log = late_log(&mut case.files, 4, "C");
    backfill_digest(
        &mut case.files,
        8,
        vec![third_log],
        Some(&(second.clone(), content, signature)),
    );
    case.files.remove(&second).unwrap();
    case.files.remove(&format!("{second}.signature")).unwrap();
    let report = verify_digests(&case.files);
    let (kind, detail) = finding_for(&report, &second);
    assert_eq!(kind, FindingKind::DigestMissing);
    assert!(
        detail.contains("at least one backfill digest missing between"),
        "{detail}"
    );
    assert!(problems(&report)
        .iter()
        .any(|p| p.0 == FindingKind::LogFileUnlisted && p.1 == case.late[1]));
    assert_eq!(report.summary.digests_missing, 1);
}

#[test]
fn late_backfill_digest_does_not_turn_pending_log_files_into_unlisted_ones() {
    // A log file delivered after the last hourly digest waits for the next hourly digest; the backfill
    // digest delivered later (for an earlier hour's late files) must not make it look deliberately left out.
    let mut case = backfilled_case();
    let pending = log_key(
        "us-east-1",
        hour_start(5) + Duration::minutes(10),
        "pendingAbCdEf",
    );
    case.files.insert(
        pending.clone(),
        gzip(&log_body("us-east-1", hour_start(5), 1)),
    );
    let report = verify_digests(&case.files);
    assert!(report.is_clean(), "{:#?}", problems(&report));
    assert_eq!(
        finding_for(&report, &pending).0,
        FindingKind::LogFileAfterLastDigest
    );
}

#[test]
fn edited_log_file_under_a_backfill_digest_is_modified() {
    let mut case = backfilled_case();
    let log = case.late[1].clone();
    let mut body = gunzip(&case.files[&log]);
    let at = body.iter().position(|&b| b == b'7').unwrap();
    body[at] = b'9';
    case.files.insert(log.clone(), gzip(&body));
    let report = verify_digests(&case.files);
    let (kind, detail) = finding_for(&report, &log);
    assert_eq!(kind, FindingKind::LogFileModified);
    assert!(detail.contains(&case.backfill[1]), "{detail}");
}

#[test]
fn verify_cli_counts_backfill_digests_and_verifies_the_case() {
    let case = backfilled_case();
    let dir = tempfile::tempdir().unwrap();
    write_cloudtrail(dir.path(), &case.files);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_trailcase"))
            .arg("verify")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.starts_with("verdict: verified (12 digest(s) signed with the key "),
        "{stdout}"
    );
    assert!(
        stdout.contains("digests: checked: 12 of 12 digest(s) verified (1 empty), 0 failed, 0 unverifiable, 0 missing from the chain(s); 3 chain(s) (2 backfill digest(s) among them)"),
        "{stdout}"
    );
    let out = run(&["--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let verified = report["verified_log_files"].as_array().unwrap();
    for log in &case.late {
        assert!(
            verified
                .iter()
                .any(|v| v.as_str() == Some(&format!("cloudtrail/{log}"))),
            "{log}"
        );
    }
    assert_eq!(report["digests"]["summary"]["backfill_digests"], 2);
}

/// (key, uncompressed content, signature) of an hourly digest of the clean case.
fn hourly(files: &Files, hour: u32) -> (String, Vec<u8>, String) {
    let key = digest_key("us-east-1", hour);
    let signature = String::from_utf8(files[&format!("{key}.signature")].clone()).unwrap();
    (key.clone(), gunzip(&files[&key]), signature)
}

#[test]
fn backfill_digest_pointing_into_the_hourly_chain_is_checked_against_that_digest() {
    // The documents do not say what a backfill digest's previousDigest fields name; if one names an hourly
    // digest of its trail, the link is checked like any other rather than called a broken chain.
    let mut files = clean_case();
    let log = late_log(&mut files, 1, "H");
    let previous = hourly(&files, 1);
    backfill_digest(&mut files, 2, vec![log.clone()], Some(&previous));
    let report = verify_digests(&files);
    assert!(report.is_clean(), "{:#?}", problems(&report));

    // The same link with the hash of another hourly digest: broken.
    let mut files = clean_case();
    late_log(&mut files, 1, "H");
    let (key, _, signature) = hourly(&files, 1);
    let wrong = (key, hourly(&files, 0).1, signature);
    let (backfill, ..) = backfill_digest(&mut files, 2, vec![log], Some(&wrong));
    let report = verify_digests(&files);
    let broken: Vec<_> = problems(&report)
        .into_iter()
        .filter(|p| p.0 == FindingKind::ChainBroken)
        .collect();
    assert_eq!(broken.len(), 1, "{broken:#?}");
    assert_eq!(broken[0].1, backfill);
    assert!(
        broken[0].2.starts_with("previousDigestHashValue is "),
        "{}",
        broken[0].2
    );
}
