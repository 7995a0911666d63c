//! Offline CloudTrail digest verification against a case built here the way AWS builds one.
//!
//! No real digest is public together with the key that signed it, so this test makes its own: an RSA-2048
//! key from a seeded RNG, two regions of hourly digests listing gzip log files, chained and signed as the
//! AWS CloudTrail User Guide ("Custom implementations of CloudTrail log file integrity validation")
//! describes, and a ListPublicKeys output for the key (the generator is in `tests/common/`, shared with
//! `verify_cli.rs`). The signing string is written out there on its own, from the documentation, rather than taken from the library, so the two are checked against each other.
//! Each tampering test then changes the case the way an attacker or an accident would.

mod keys;

use std::io::Write as _;
use std::path::Path;

use chrono::Duration;
use serde_json::{json, Value};
use trailcase::case::{verify_case_dir, verify_digests, DigestReport, FindingKind, ParsedDigest};

use crate::common;
use common::*;

fn kinds_for(report: &DigestReport, key: &str) -> Vec<FindingKind> {
    report
        .findings
        .iter()
        .filter(|f| f.key == key)
        .map(|f| f.kind)
        .collect()
}

fn problems(report: &DigestReport) -> Vec<(FindingKind, String)> {
    report
        .findings
        .iter()
        .filter(|f| f.kind.is_problem())
        .map(|f| (f.kind, f.key.clone()))
        .collect()
}

fn remove_digest(files: &mut Files, key: &str) {
    files.remove(key).unwrap();
    files.remove(&format!("{key}.signature")).unwrap();
}

#[test]
fn clean_case_verifies() {
    let files = clean_case();
    let report = verify_digests(&files);
    assert!(report.is_clean(), "{:#?}", problems(&report));
    let s = &report.summary;
    let logs = files.keys().filter(|k| k.contains("/CloudTrail/")).count();
    assert_eq!(
        (
            s.digests,
            s.digests_verified,
            s.digests_failed,
            s.digests_unverified,
            s.digests_missing
        ),
        (10, 10, 0, 0, 0)
    );
    assert_eq!((s.log_files_listed, s.log_files_verified), (logs, logs));
    assert_eq!(
        s.log_files_missing + s.log_files_modified + s.log_files_unlisted + s.log_files_unverified,
        0
    );
    // Each region's first digest is a starting digest, signed over the literal `null`.
    assert_eq!(report.findings_of(FindingKind::ChainStart).count(), 2);
    assert_eq!(report.chains.len(), 2);
    assert!(report
        .chains
        .iter()
        .all(|c| c.digests == HOURS as usize && c.digests_missing == 0));
}

#[test]
fn empty_digest_is_valid_and_reported_as_empty() {
    let report = verify_digests(&clean_case());
    let empty = digest_key(EMPTY_HOUR.0, EMPTY_HOUR.1);
    assert_eq!(kinds_for(&report, &empty), vec![FindingKind::DigestEmpty]);
    assert_eq!(report.summary.digests_empty, 1);
    assert!(report.is_clean());
}

#[test]
fn report_is_deterministic_and_sorted() {
    let a = serde_json::to_string(&verify_digests(&clean_case())).unwrap();
    let b = serde_json::to_string(&verify_digests(&clean_case())).unwrap();
    assert_eq!(a, b);
    let report = verify_digests(&clean_case());
    assert!(report
        .findings
        .windows(2)
        .all(|w| (&w[0].key, w[0].kind) <= (&w[1].key, w[1].kind)));
}

#[test]
fn modified_log_file_is_found() {
    let mut files = clean_case();
    let log = listed_logs(&files, &digest_key("us-east-1", 1))[0].clone();
    let mut body = gunzip(&files[&log]);
    let at = body.iter().position(|&b| b == b'7').unwrap();
    body[at] = b'8'; // 203.0.113.7 -> 203.0.113.8
    files.insert(log.clone(), gzip(&body));
    let report = verify_digests(&files);
    assert_eq!(problems(&report), vec![(FindingKind::LogFileModified, log)]);
    assert_eq!(report.summary.log_files_modified, 1);
}

#[test]
fn recompressed_but_unchanged_log_file_still_verifies() {
    // The hash covers the decompressed content, so a different gzip encoding of the same JSON is fine.
    let mut files = clean_case();
    let log = listed_logs(&files, &digest_key("eu-west-1", 0))[0].clone();
    let body = gunzip(&files[&log]);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&body).unwrap();
    files.insert(log.clone(), encoder.finish().unwrap());
    assert!(verify_digests(&files).is_clean());
}

#[test]
fn deleted_log_file_is_found() {
    let mut files = clean_case();
    let log = listed_logs(&files, &digest_key("eu-west-1", 3))[1].clone();
    files.remove(&log);
    let report = verify_digests(&files);
    assert_eq!(problems(&report), vec![(FindingKind::LogFileMissing, log)]);
    assert_eq!(report.summary.log_files_missing, 1);
}

#[test]
fn extra_unlisted_log_file_is_found() {
    let mut files = clean_case();
    let planted = log_key(
        "us-east-1",
        hour_start(2) + Duration::minutes(50),
        "PLANTED0000000",
    );
    files.insert(
        planted.clone(),
        gzip(&log_body("us-east-1", hour_start(2), 1)),
    );
    // A file delivered after the newest digest is not covered yet: reported, but not as tampering.
    let late = log_key(
        "us-east-1",
        hour_start(HOURS) + Duration::minutes(3),
        "LATE0000000000",
    );
    files.insert(
        late.clone(),
        gzip(&log_body("us-east-1", hour_start(HOURS), 1)),
    );
    let report = verify_digests(&files);
    assert_eq!(
        problems(&report),
        vec![(FindingKind::LogFileUnlisted, planted)]
    );
    assert_eq!(
        kinds_for(&report, &late),
        vec![FindingKind::LogFileAfterLastDigest]
    );
    assert_eq!(
        (
            report.summary.log_files_unlisted,
            report.summary.log_files_after_last_digest
        ),
        (1, 1)
    );
}

#[test]
fn modified_digest_is_found() {
    let mut files = clean_case();
    let key = digest_key("us-east-1", 2);
    let mut digest = digest_json(&files, &key);
    // Hide a log file: drop it from the digest (and the case) without being able to re-sign.
    let hidden = digest["logFiles"].as_array_mut().unwrap().remove(0);
    files.remove(hidden["s3Object"].as_str().unwrap());
    files.insert(key.clone(), gzip(&serde_json::to_vec(&digest).unwrap()));
    let report = verify_digests(&files);
    assert_eq!(
        kinds_for(&report, &key),
        vec![FindingKind::DigestSignatureInvalid]
    );
    // The next digest vouches for the original by hash, so the link breaks too.
    assert_eq!(
        kinds_for(&report, &digest_key("us-east-1", 3)),
        vec![FindingKind::DigestValid, FindingKind::ChainBroken]
    );
    // Logs listed by an unverified digest match their hashes but are not verified.
    assert_eq!(
        report.summary.log_files_unverified,
        listed_logs(&files, &key).len()
    );
    assert_eq!(report.summary.digests_failed, 1);
}

#[test]
fn deleted_digest_leaves_a_gap() {
    let mut files = clean_case();
    let deleted = digest_key("eu-west-1", 1);
    let orphaned_logs = listed_logs(&files, &deleted);
    remove_digest(&mut files, &deleted);
    let report = verify_digests(&files);
    let missing: Vec<_> = report.findings_of(FindingKind::DigestMissing).collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].key, deleted);
    assert!(
        missing[0].detail.contains("1 hourly digest(s) missing"),
        "{}",
        missing[0].detail
    );
    assert_eq!(report.summary.digests_missing, 1);
    // Its log files are still there but nothing vouches for them any more.
    for log in orphaned_logs {
        assert_eq!(kinds_for(&report, &log), vec![FindingKind::LogFileUnlisted]);
    }
}

#[test]
fn two_consecutive_deleted_digests_are_one_gap_of_two_hours() {
    let mut files = clean_case();
    remove_digest(&mut files, &digest_key("us-east-1", 1));
    remove_digest(&mut files, &digest_key("us-east-1", 2));
    let report = verify_digests(&files);
    let missing: Vec<_> = report.findings_of(FindingKind::DigestMissing).collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    // Only the newer one is named by the chain; the older one is counted from the time gap.
    assert_eq!(missing[0].key, digest_key("us-east-1", 2));
    assert!(
        missing[0].detail.contains("2 hourly digest(s) missing"),
        "{}",
        missing[0].detail
    );
    assert_eq!(report.summary.digests_missing, 2);
    let chain = report
        .chains
        .iter()
        .find(|c| c.region == "us-east-1")
        .unwrap();
    assert_eq!((chain.digests, chain.digests_missing), (3, 2));
}

#[test]
fn broken_chain_is_found() {
    let mut files = clean_case();
    let key = digest_key("us-east-1", HOURS - 1);
    let mut digest = digest_json(&files, &key);
    // A validly signed digest whose back link names a signature other than its predecessor's.
    let foreign =
        String::from_utf8(files[&format!("{}.signature", digest_key("eu-west-1", 3))].clone())
            .unwrap();
    digest["previousDigestSignature"] = json!(foreign);
    store_digest(&mut files, &key, &digest);
    let report = verify_digests(&files);
    assert_eq!(
        kinds_for(&report, &key),
        vec![FindingKind::DigestValid, FindingKind::ChainBroken]
    );
    let broken = report.findings_of(FindingKind::ChainBroken).next().unwrap();
    assert!(
        broken.detail.contains("previousDigestSignature"),
        "{}",
        broken.detail
    );
    assert_eq!(problems(&report).len(), 1);
}

#[test]
fn chain_restart_is_found() {
    let mut files = clean_case();
    let key = digest_key("eu-west-1", 3);
    let mut digest = digest_json(&files, &key);
    for field in [
        "S3Bucket",
        "S3Object",
        "HashValue",
        "HashAlgorithm",
        "Signature",
    ] {
        digest[format!("previousDigest{field}")] = Value::Null;
    }
    let (content, signature) = store_digest(&mut files, &key, &digest);
    // Keep the next digest consistent with the re-signed one so only the restart shows.
    let next = digest_key("eu-west-1", 4);
    let mut following = digest_json(&files, &next);
    following["previousDigestHashValue"] = json!(sha256_hex(&content));
    following["previousDigestSignature"] = json!(signature);
    store_digest(&mut files, &next, &following);
    let report = verify_digests(&files);
    assert_eq!(problems(&report), vec![(FindingKind::ChainRestart, key)]);
}

#[test]
fn older_digests_verify_through_the_chain_without_sidecars() {
    // What the user guide's offline procedure needs: only the newest digest's S3 metadata signature.
    let mut files = clean_case();
    for region in REGIONS {
        for hour in 0..HOURS - 1 {
            files
                .remove(&format!("{}.signature", digest_key(region, hour)))
                .unwrap();
        }
    }
    let report = verify_digests(&files);
    assert!(report.is_clean(), "{:#?}", problems(&report));
    assert_eq!(report.summary.digests_verified, 10);
    // Without any sidecar the newest digests cannot be checked.
    for region in REGIONS {
        files
            .remove(&format!("{}.signature", digest_key(region, HOURS - 1)))
            .unwrap();
    }
    let report = verify_digests(&files);
    assert_eq!(report.summary.digests_unverified, 2);
    assert_eq!(report.summary.digests_verified, 8);
}

#[test]
fn head_object_json_is_accepted_as_a_sidecar() {
    let mut files = clean_case();
    let key = digest_key("us-east-1", HOURS - 1);
    let signature = String::from_utf8(files[&format!("{key}.signature")].clone()).unwrap();
    let head = json!({"ContentType": "application/x-gzip", "Metadata": {"signature": signature, "signature-algorithm": "SHA256withRSA"}});
    files.insert(
        format!("{key}.signature"),
        serde_json::to_vec_pretty(&head).unwrap(),
    );
    assert!(verify_digests(&files).is_clean());
}

#[test]
fn malformed_digest_is_an_error_for_that_file_only() {
    let mut files = clean_case();
    let broken = digest_key("eu-west-1", 1);
    files.insert(
        broken.clone(),
        gzip(b"{\"awsAccountId\": \"111122223333\", \"logFiles\": [ "),
    );
    let truncated_gzip = digest_key("us-east-1", 3);
    let bytes = files[&truncated_gzip].clone();
    files.insert(truncated_gzip.clone(), bytes[..bytes.len() / 2].to_vec());
    let report = verify_digests(&files);
    assert_eq!(
        kinds_for(&report, &broken),
        vec![FindingKind::DigestMalformed]
    );
    assert_eq!(
        kinds_for(&report, &truncated_gzip),
        vec![FindingKind::DigestMalformed]
    );
    assert_eq!(report.summary.digests_failed, 2);
    assert_eq!(report.summary.digests_verified, 8);
    // Links to a malformed digest are not reported as missing digests.
    assert_eq!(report.summary.digests_missing, 0);
}

/// A digest whose `logFiles` key is written twice (signed, as if AWS wrote it): jq and Python's
/// json keep the last list, another reader the first, so which files it vouches for is not
/// known. It is a malformed digest naming the key, and vouches for none of them.
#[test]
fn a_digest_writing_log_files_twice_vouches_for_nothing() {
    for real_first in [true, false] {
        let mut files = clean_case();
        let last = digest_key("us-east-1", HOURS - 1);
        let digest = digest_json(&files, &last);
        let listed = digest["logFiles"].as_array().unwrap().len();
        assert!(listed > 0);
        let real = digest["logFiles"].to_string();
        let mut members = digest.as_object().unwrap().clone();
        members.remove("logFiles");
        let head = Value::Object(members).to_string();
        let (a, b) = if real_first {
            (real.as_str(), "[]")
        } else {
            ("[]", real.as_str())
        };
        let text = format!(
            r#"{},"logFiles":{a},"logFiles":{b}}}"#,
            &head[..head.len() - 1]
        );
        let content = text.into_bytes();
        files.insert(last.clone(), gzip(&content));
        files.insert(
            format!("{last}.signature"),
            sign(signing_key(), &digest, &content).into_bytes(),
        );
        let report = verify_digests(&files);
        assert_eq!(
            kinds_for(&report, &last),
            vec![FindingKind::DigestMalformed]
        );
        let finding = report.findings.iter().find(|f| f.key == last).unwrap();
        assert!(
            finding.detail.contains("duplicate field `logFiles`"),
            "{}",
            finding.detail
        );
        let logs = files.keys().filter(|k| k.contains("/CloudTrail/")).count();
        assert_eq!(report.summary.log_files_verified, logs - listed);
        assert!(!report.is_clean());
    }
}

#[test]
fn moved_digest_is_found() {
    let mut files = clean_case();
    let key = digest_key("us-east-1", HOURS - 1);
    let moved = key.replace("/2026/03/03/", "/2026/03/04/");
    let bytes = files.remove(&key).unwrap();
    let signature = files.remove(&format!("{key}.signature")).unwrap();
    files.insert(moved.clone(), bytes);
    files.insert(format!("{moved}.signature"), signature);
    let report = verify_digests(&files);
    assert!(kinds_for(&report, &moved).contains(&FindingKind::DigestMoved));
}

#[test]
fn case_directory_on_disk_gives_the_same_report() {
    let files = clean_case();
    let dir = tempfile::tempdir().unwrap();
    for (key, bytes) in &files {
        let path = dir.path().join("cloudtrail").join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let from_disk = verify_case_dir(dir.path()).unwrap();
    assert_eq!(from_disk, verify_digests(&files));
    assert!(verify_case_dir(&dir.path().join("nope")).is_err());
}

#[test]
fn every_example_digest_in_shared_data_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shared/cloudtrail-digest");
    let mut parsed = 0;
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let digest = ParsedDigest::parse(&std::fs::read(&path).unwrap())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                for log in &digest.file.log_files {
                    // Includes the OpenTelemetry fixture's `2025-10-21TT00:52:27Z`.
                    assert!(
                        log.newest_event().is_some() && log.oldest_event().is_some(),
                        "{}",
                        path.display()
                    );
                }
                if digest.file.is_empty() {
                    assert!(
                        digest.file.newest_event_time.is_none(),
                        "{}",
                        path.display()
                    );
                }
                parsed += 1;
            }
        }
    }
    assert_eq!(
        parsed,
        4,
        "expected the four digest examples under {}",
        root.display()
    );
}

/// Audit t04: a log file listed twice (in one digest, and again in another) was counted three
/// times ("98 verified of 96 listed"), and a digest listing `public-keys.json` counted it as a
/// verified log file ("97 of 96"). Each file counts once; a duplicate listing is a note.
#[test]
fn a_file_listed_more_than_once_or_a_listed_non_log_counts_once() {
    let mut files = clean_case();
    let last = digest_key("us-east-1", HOURS - 1);
    let before = digest_key("us-east-1", HOURS - 2);
    let mut digest = digest_json(&files, &last);
    let own = digest["logFiles"][0].clone();
    let other = digest_json(&files, &before)["logFiles"][0].clone();
    let keys = files["public-keys.json"].clone();
    let logs = digest["logFiles"].as_array_mut().unwrap();
    logs.push(own.clone());
    logs.push(other.clone());
    logs.push(json!({
        "s3Bucket": BUCKET,
        "s3Object": "public-keys.json",
        "hashValue": sha256_hex(&keys),
        "hashAlgorithm": "SHA-256"
    }));
    // The newest digest of its chain: re-signed, its sidecar verifies it, nothing points back.
    store_digest(&mut files, &last, &digest);
    let dir = tempfile::tempdir().unwrap();
    write_cloudtrail(dir.path(), &files);
    let report = verify_case_dir(dir.path()).unwrap();
    assert!(report.is_clean(), "{:#?}", problems(&report));
    let logs = files.keys().filter(|k| k.contains("/CloudTrail/")).count();
    let s = &report.summary;
    assert_eq!(
        (s.log_files_listed, s.log_files_verified),
        (logs, logs),
        "{s:#?}"
    );
    let twice: Vec<_> = report
        .findings_of(FindingKind::LogFileListedMoreThanOnce)
        .collect();
    assert_eq!(twice.len(), 2, "{twice:#?}");
    let own_key = own["s3Object"].as_str().unwrap();
    let own_note = twice.iter().find(|f| f.key == own_key).unwrap();
    assert!(
        own_note
            .detail
            .starts_with(&format!("listed 2 times (twice in {last})")),
        "{}",
        own_note.detail
    );
    let other_note = twice
        .iter()
        .find(|f| f.key == other["s3Object"].as_str().unwrap())
        .unwrap();
    assert!(other_note
        .detail
        .contains(&format!("in {before}, in {last}")));
    assert!(!FindingKind::LogFileListedMoreThanOnce.is_problem());
    let listed_keys = report
        .findings_of(FindingKind::ListedObjectNotALogFile)
        .collect::<Vec<_>>();
    assert_eq!(listed_keys.len(), 1);
    assert_eq!(listed_keys[0].key, "public-keys.json");
    assert!(report
        .findings_of(FindingKind::LogFileValid)
        .all(|f| f.key != "public-keys.json"));

    // verify's counts: the same, and public-keys.json is no verified log file.
    let case = trailcase::case::verify_case(
        dir.path(),
        &Default::default(),
        &trailcase::scan::ReadsRecords,
    )
    .unwrap();
    assert_eq!(
        (case.counts.log_files, case.counts.log_files_verified),
        (logs, logs)
    );
}
