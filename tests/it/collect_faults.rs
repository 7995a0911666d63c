//! `trailcase collect` when S3 or the network misbehaves, over real HTTP against moto's server
//! with the misbehaviour added by tests/moto/trailcase_moto.py: an object deleted between the
//! listing and the GET, bytes altered in transit, an object that is not gzip, a connection closed
//! half way through a body, Ctrl-C during a run, a bucket in another region, a window with no
//! files. Each test checks what a responder would: the exit code, the files on disk and their
//! SHA-256 in the manifest, and the gaps with the object and the reason.

use crate::common;

use common::acquired::{
    assert_acquired, assert_consistent, files_below, gap_of, get_object_calls, manifest, stored,
};
use common::bucket::{collect, run, serving, timeline_s3};
use serde_json::json;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const ACCOUNT: &str = "111122223333";

fn gzip(text: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap()
}

/// A trail file of the window, in the real key layout, holding one event.
fn trail_file(n: usize) -> (String, Vec<u8>) {
    let key = format!(
        "AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2026/11/20/{ACCOUNT}_CloudTrail_us-east-1_20261120T1{n}05Z_f{n}.json.gz"
    );
    let record = json!({"Records": [{"eventVersion": "1.08", "eventID": format!("ev-{n}"),
        "eventTime": format!("2026-11-20T1{n}:02:00Z"), "eventSource": "s3.amazonaws.com",
        "eventName": "ListBuckets", "awsRegion": "us-east-1", "recipientAccountId": ACCOUNT}]});
    (key, gzip(&record.to_string()))
}

#[test]
fn an_object_deleted_after_the_listing_is_a_gap_and_the_rest_is_collected() {
    let files: Vec<_> = (0..3).map(trail_file).collect();
    let (moto, _dir, case) = serving(&files, "trail-bucket", "us-east-1");
    moto.seed(&json!({"delete_before_get": [files[1].0]}));
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(1), "{stderr}");
    let m = manifest(&case);
    let reason = gap_of(&m, "trail-bucket", &files[1].0);
    assert!(reason.contains("no longer exists"), "{reason}");
    assert!(reason.contains("NoSuchKey"), "{reason}");
    assert!(stderr.contains(&files[1].0), "{stderr}");
    assert!(!stored(&case, &files[1].0).exists());
    for (key, bytes) in [&files[0], &files[2]] {
        assert_acquired(&case, &m, key, bytes);
    }
    assert_consistent(&case);
}

/// The timeline JSON of `c` (run), with its exit code.
fn timeline_json(mut c: Command) -> (Option<i32>, serde_json::Value) {
    let out: Output = c.output().expect("the trailcase binary runs");
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), doc)
}

/// `trailcase timeline` of a case on disk.
fn timeline_of_case(case: &Path) -> (Option<i32>, serde_json::Value) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trailcase"));
    c.args(["timeline", "--quiet"]).arg(case);
    timeline_json(c)
}

/// `timeline s3://` analyses the files while they download: its result is the one of analysing
/// the finished case afterwards, whether every object arrives or one vanishes after the listing
/// (the case is then not what the analysis expected, and it is analysed again as it is).
#[test]
fn timeline_straight_from_s3_equals_the_timeline_of_the_case_it_acquired() {
    let files: Vec<_> = (0..6).map(trail_file).collect();
    let (moto, dir, case) = serving(&files, "trail-bucket", "us-east-1");
    let (code, direct) = timeline_json(timeline_s3(&moto, &case, "trail-bucket"));
    assert_eq!(code, Some(0), "{:#}", direct["gaps"]);
    assert_eq!(direct["summary"]["records_read"], 6);
    let (code, from_disk) = timeline_of_case(&case);
    assert_eq!(code, Some(0));
    assert_eq!(direct, from_disk);

    moto.seed(&json!({"delete_before_get": [files[1].0]}));
    let case = dir.path().join("case-with-a-gap");
    let (code, direct) = timeline_json(timeline_s3(&moto, &case, "trail-bucket"));
    assert_eq!(code, Some(1));
    let gaps = direct["gaps"].to_string();
    assert!(
        gaps.contains(&files[1].0) && gaps.contains("no longer exists"),
        "{gaps}"
    );
    assert_eq!(direct["summary"]["records_read"], 5);
    let (_, from_disk) = timeline_of_case(&case);
    for key in ["inputs", "timeline", "incidents", "replay"] {
        assert_eq!(direct[key], from_disk[key], "{key}");
    }
}

#[test]
fn an_object_overwritten_after_the_listing_is_a_gap_and_a_rerun_fetches_the_new_version() {
    let files: Vec<_> = (0..2).map(trail_file).collect();
    let (moto, _dir, case) = serving(&files, "trail-bucket", "us-east-1");
    moto.seed(&json!({"overwrite_before_get": [files[0].0]}));
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(1), "{stderr}");
    let m = manifest(&case);
    let reason = gap_of(&m, "trail-bucket", &files[0].0);
    assert!(reason.contains("changed after it was listed"), "{reason}");
    // Not the listed version, and not the new one under the listed ETag either.
    assert!(!stored(&case, &files[0].0).exists());
    assert_acquired(&case, &m, &files[1].0, &files[1].1);

    moto.seed(&json!({}));
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(0), "{stderr}");
    let now = std::fs::read(stored(&case, &files[0].0)).unwrap();
    assert_acquired(&case, &manifest(&case), &files[0].0, &now);
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&now[..]), &mut text).unwrap();
    assert_eq!(text, format!("overwritten: {}", files[0].0));
}

#[test]
fn bytes_altered_in_transit_are_fetched_again_and_never_stored_when_they_stay_wrong() {
    let files: Vec<_> = (0..3).map(trail_file).collect();
    let (moto, _dir, case) = serving(&files, "trail-bucket", "us-east-1");
    // The first GET of file 0 is altered (a retry gets it right): the SDK's check of the
    // response checksum sees it. Every GET of file 1 is altered, and sent without a checksum
    // header (as for an object uploaded without one): the MD5 against the ETag sees it.
    moto.seed(&json!({
        "corrupt_get": {files[0].0.clone(): 1, files[1].0.clone(): 100},
        "no_checksum": [files[1].0],
    }));
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(1), "{stderr}");
    let m = manifest(&case);
    assert_acquired(&case, &m, &files[0].0, &files[0].1);
    assert_acquired(&case, &m, &files[2].0, &files[2].1);
    let reason = gap_of(&m, "trail-bucket", &files[1].0);
    assert!(reason.contains("the ETag says"), "{reason}");
    assert!(reason.contains("nothing was stored"), "{reason}");
    assert!(!stored(&case, &files[1].0).exists());
    // One GET per file, one more for file 0, two more for file 1 (three attempts in all).
    assert_eq!(get_object_calls(&m), 3 + 1 + 2, "{:#}", m["api_calls"]);
    assert_consistent(&case);

    // Once the transfer is sound again, a rerun fetches only what is missing.
    moto.seed(&json!({}));
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(0), "{stderr}");
    let m = manifest(&case);
    assert_acquired(&case, &m, &files[1].0, &files[1].1);
    assert_eq!(get_object_calls(&m), 1);
}

#[test]
fn an_object_that_is_not_gzip_is_kept_as_s3_holds_it_and_reported_on_every_run() {
    let mut files: Vec<_> = (0..2).map(trail_file).collect();
    // What S3 holds under a trail file's name: an error page, not a gzip file.
    let not_gzip = b"<html><body>Service Unavailable</body></html>".to_vec();
    files[1].1 = not_gzip.clone();
    let (moto, _dir, case) = serving(&files, "trail-bucket", "us-east-1");
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(1), "{stderr}");
    let m = manifest(&case);
    // Evidence is never altered: the bytes are kept as they are in S3, hashed, and flagged.
    assert_acquired(&case, &m, &files[0].0, &files[0].1);
    assert_acquired(&case, &m, &files[1].0, &not_gzip);
    let reason = gap_of(&m, "trail-bucket", &files[1].0);
    assert!(reason.contains("not gzip"), "{reason}");
    assert!(reason.contains("<html>"), "{reason}");

    // A rerun does not fetch it again but still says it cannot be read.
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("2 object(s) skipped"), "{stderr}");
    let m = manifest(&case);
    assert_eq!(get_object_calls(&m), 0);
    assert!(gap_of(&m, "trail-bucket", &files[1].0).contains("not gzip"));
    assert_acquired(&case, &m, &files[1].0, &not_gzip);
}

/// A trail file with bytes after its gzip member (zero padding, an appended note): S3 holds
/// it so, it is kept so, and the gap says the member was whole and what follows is not gzip
/// (it said "its gzip stream is broken").
#[test]
fn bytes_after_a_whole_gzip_member_are_named_as_such_not_as_a_broken_stream() {
    let mut files: Vec<_> = (0..2).map(trail_file).collect();
    let padded = [files[1].1.clone(), vec![0; 512]].concat();
    files[1].1 = padded.clone();
    let (moto, _dir, case) = serving(&files, "trail-bucket", "us-east-1");
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(1), "{stderr}");
    let m = manifest(&case);
    assert_acquired(&case, &m, &files[0].0, &files[0].1);
    assert_acquired(&case, &m, &files[1].0, &padded);
    let reason = gap_of(&m, "trail-bucket", &files[1].0);
    assert!(
        reason.contains("its gzip stream is whole (1 member,")
            && reason.contains("but the 512 bytes after it are not gzip"),
        "{reason}"
    );
    assert!(!reason.contains("broken"), "{reason}");
}

#[test]
fn a_connection_closed_mid_body_is_retried_and_a_lasting_one_is_a_gap_not_a_short_file() {
    let files: Vec<_> = (0..3).map(trail_file).collect();
    let (moto, _dir, case) = serving(&files, "trail-bucket", "us-east-1");
    // The server declares the whole Content-Length, sends half, and closes the connection:
    // once for file 0, every time for file 1.
    moto.seed(&json!({"truncate_get": {files[0].0.clone(): 1, files[1].0.clone(): 100}}));
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(1), "{stderr}");
    let m = manifest(&case);
    assert_acquired(&case, &m, &files[0].0, &files[0].1);
    assert_acquired(&case, &m, &files[2].0, &files[2].1);
    let reason = gap_of(&m, "trail-bucket", &files[1].0);
    assert!(reason.contains("broke off"), "{reason}");
    assert!(reason.contains("nothing was stored"), "{reason}");
    assert!(!stored(&case, &files[1].0).exists());
    assert_consistent(&case);
}

#[test]
fn ctrl_c_leaves_only_complete_files_in_the_manifest_and_the_next_run_resumes() {
    let files: Vec<_> = (0..4).map(trail_file).collect();
    let (moto, _dir, case) = serving(&files, "trail-bucket", "us-east-1");
    let slow = files[3].0.clone();
    moto.seed(&json!({"slow_get": {slow.clone(): 60}}));
    let mut c = collect(&moto, &case, "trail-bucket", &["--concurrency", "2"]);
    let child = c
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the three quick files are in place while the slow one is still downloading.
    let quick: Vec<PathBuf> = files[..3].iter().map(|(k, _)| stored(&case, k)).collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !quick.iter().all(|p| p.is_file()) {
        assert!(
            Instant::now() < deadline,
            "the quick files were not stored within 60 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(stderr.contains("run the same command again"), "{stderr}");

    // What was stored is complete and in the manifest; the slow file is not there at all.
    let m = manifest(&case);
    for (key, bytes) in &files[..3] {
        assert_acquired(&case, &m, key, bytes);
    }
    assert!(!stored(&case, &slow).exists());
    assert_consistent(&case);
    assert!(m["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["reason"].as_str().unwrap().contains("interrupted")));

    // The next run skips what is there (same ETag) and fetches the rest.
    moto.seed(&json!({}));
    let (code, stderr) = run(collect(&moto, &case, "trail-bucket", &[]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("3 object(s) skipped"), "{stderr}");
    let m = manifest(&case);
    assert!(m["gaps"].as_array().unwrap().is_empty(), "{:#}", m["gaps"]);
    assert_eq!(get_object_calls(&m), 1);
    for (key, bytes) in &files {
        assert_acquired(&case, &m, key, bytes);
    }
    assert_consistent(&case);
}

#[test]
fn a_bucket_in_another_region_is_found_and_read_there() {
    let files: Vec<_> = (0..2).map(trail_file).collect();
    let (moto, _dir, case) = serving(&files, "eu-trail-bucket", "eu-west-1");
    // Configured for us-east-1: the first request is answered with a 301 naming eu-west-1.
    let (code, stderr) = run(collect(&moto, &case, "eu-trail-bucket", &[]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("s3://eu-trail-bucket is in eu-west-1, not us-east-1"),
        "{stderr}"
    );
    let m = manifest(&case);
    for (key, bytes) in &files {
        assert_acquired(&case, &m, key, bytes);
    }
    let regions_of = |op: &str| -> Vec<String> {
        m["api_calls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["operation"] == op)
            .map(|c| c["region"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(regions_of("HeadBucket"), ["us-east-1"]);
    assert_eq!(regions_of("ListObjectsV2"), ["eu-west-1"]);
    assert_eq!(regions_of("GetObject"), ["eu-west-1"]);
}

#[test]
fn a_window_without_trail_files_completes_with_a_gap_saying_so() {
    let files: Vec<_> = (0..2).map(trail_file).collect();
    let (moto, _dir, case) = serving(&files, "trail-bucket", "us-east-1");
    let mut c = Command::new(env!("CARGO_BIN_EXE_trailcase"));
    c.args(["collect", "--case", case.to_str().unwrap()])
        .args(["--s3", "s3://trail-bucket/AWSLogs/"])
        .args(["--from", "2026-10-01T00:00Z", "--to", "2026-10-02T00:00Z"])
        .args(["--endpoint-url", &moto.endpoint])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    let (code, stderr) = run(c);
    // Nothing acquired is nothing to build a case on: a gap, exit code 1.
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("no CloudTrail files"), "{stderr}");
    let m = manifest(&case);
    let gaps = m["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1, "{gaps:#?}");
    assert_eq!(gaps[0]["source"], "s3://trail-bucket/AWSLogs/");
    assert!(files_below(&case.join("cloudtrail")).is_empty());
    assert_eq!(get_object_calls(&m), 0);
}
