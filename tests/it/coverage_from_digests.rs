//! The timeline's coverage by region-hour reads the digests, not the log files' content
//! (`coverage_of_case`): on a clean case and on every kind of damage a case can carry, its
//! summary is the one the full verification (`verify_case`, every log file hashed) gives.

use crate::common;
use common::*;
use trailcase::case::integrity::trail_coverage;
use trailcase::case::{coverage_of_case, verify_case, IntegrityOptions};
use trailcase::model::TrailCoverage;

fn logs_of(files: &Files) -> Vec<String> {
    files
        .keys()
        .filter(|k| k.contains("/CloudTrail/"))
        .cloned()
        .collect()
}

/// Both summaries of `files` written as a case.
fn both(files: &Files) -> (TrailCoverage, TrailCoverage) {
    let dir = tempfile::tempdir().unwrap();
    write_cloudtrail(dir.path(), files);
    let full = verify_case(
        dir.path(),
        &IntegrityOptions::default(),
        &trailcase::scan::ReadsRecords,
    )
    .map(|r| r.coverage);
    let fast = coverage_of_case(dir.path(), &IntegrityOptions::default());
    let name = "case".to_string();
    (
        trail_coverage(&[(name.clone(), full.map_err(|e| e.to_string()))]),
        trail_coverage(&[(name, fast.map_err(|e| e.to_string()))]),
    )
}

#[test]
fn coverage_from_the_digests_is_the_full_verifications_on_every_kind_of_damage() {
    let clean = clean_case();
    let logs = logs_of(&clean);
    let first_log = logs[0].clone();
    // The log files of us-east-1 delivered in the hour from 00:00 on 2026-03-03 (their events
    // are in that hour too), inside the periods of verified digests.
    let hour_logs: Vec<String> = logs
        .iter()
        .filter(|k| k.contains("/us-east-1/") && k.contains("_20260303T00"))
        .cloned()
        .collect();
    assert!(!hour_logs.is_empty());
    let mut variants: Vec<(&str, Files)> = vec![("clean", clean.clone())];

    let mut modified = clean.clone();
    for key in &hour_logs {
        let mut body = gunzip(&modified[key]);
        body.extend_from_slice(b" ");
        modified.insert(key.clone(), gzip(&body));
    }
    variants.push(("an hour's only log files modified", modified));

    let mut missing = clean.clone();
    for key in &hour_logs {
        missing.remove(key);
    }
    variants.push(("an hour's log files missing", missing));

    let mut appended = clean.clone();
    let mut bytes = appended[&first_log].clone();
    bytes.extend(gzip(b"{\"Records\":[]}"));
    appended.insert(first_log.clone(), bytes);
    variants.push(("a log file with a second gzip member", appended));

    let mut unlisted = clean.clone();
    let extra = first_log.replace("AbCdEf", "ZzZzZz");
    unlisted.insert(extra, clean[&first_log].clone());
    variants.push(("a log file no digest lists", unlisted));

    let mut no_digest = clean.clone();
    let digest = digest_key("us-east-1", 3);
    no_digest.remove(&digest);
    variants.push(("a digest missing", no_digest));

    let mut bad_signature = clean.clone();
    let mut body = gunzip(&bad_signature[&digest]);
    let at = body.iter().position(|&b| b == b'1').unwrap();
    body[at] = b'2';
    bad_signature.insert(digest.clone(), gzip(&body));
    variants.push(("a digest altered", bad_signature));

    let mut no_keys = clean.clone();
    no_keys.remove("public-keys.json");
    variants.push(("no public keys", no_keys));

    let mut summaries = std::collections::BTreeMap::new();
    for (what, files) in &variants {
        let (full, fast) = both(files);
        assert_eq!(full, fast, "{what}");
        summaries.insert(*what, fast);
    }

    // What the summaries say: the clean case's one empty hour is proven empty (its digest
    // lists no file); an hour whose files are modified or have something appended still holds
    // trail files, so it is neither a gap nor proven empty.
    let texts = |s: &TrailCoverage| {
        (
            s.not_covered
                .iter()
                .map(|r| r.text.clone())
                .collect::<Vec<_>>(),
            s.proven_empty
                .iter()
                .map(|r| r.text.clone())
                .collect::<Vec<_>>(),
        )
    };
    let clean_texts = texts(&summaries["clean"]);
    assert!(clean_texts.0.is_empty(), "{clean_texts:?}");
    assert_eq!(
        clean_texts.1,
        vec!["111122223333 eu-west-1: 2026-03-03T00:00Z–01:00Z: no trail file; a verified digest proves no activity"]
    );
    for what in [
        "an hour's only log files modified",
        "a log file with a second gzip member",
        "a log file no digest lists",
    ] {
        assert_eq!(texts(&summaries[what]), clean_texts, "{what}");
    }
    // An hour whose listed files are missing had activity: a gap, never "no activity".
    let (not_covered, proven_empty) = texts(&summaries["an hour's log files missing"]);
    assert_eq!(
        not_covered,
        vec!["111122223333 us-east-1: 2026-03-03T00:00Z–01:00Z: trail files a digest lists for it are missing from the case"]
    );
    assert_eq!(proven_empty, clean_texts.1);
    // Each missing file is a gap of its own, beside the hour.
    let missing = &summaries["an hour's log files missing"];
    assert_eq!(missing.missing_files.len(), hour_logs.len());
    assert_eq!(missing.gaps().len(), 1 + hour_logs.len());
    for what in [
        "clean",
        "an hour's only log files modified",
        "a digest missing",
    ] {
        assert!(summaries[what].missing_files.is_empty(), "{what}");
    }
}
