//! The case writer: storing, resuming, and keeping every write inside the case.

use super::*;
use crate::case::sink::S3Provenance;
use std::io::Read as _;

fn open(dir: &Path) -> CaseWriter {
    let run = RunInfo {
        case_id: None,
        tool_version: "test".into(),
        collector: None,
        command: vec!["trailcase".into(), "collect".into()],
        window: None,
    };
    CaseWriter::open(dir, run, Box::new(|| "2026-11-21T00:00:00Z".into())).unwrap()
}

fn s3(etag: &str) -> Provenance {
    Provenance {
        source: "s3://b/k".into(),
        s3: Some(S3Provenance {
            bucket: "b".into(),
            key: "k".into(),
            etag: Some(etag.into()),
            version_id: None,
            last_modified: None,
        }),
    }
}

#[test]
fn stores_hashes_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let w = open(dir.path());
    w.store("cloudtrail/AWSLogs/x.json.gz", b"abc", s3("\"e1\""))
        .unwrap();
    w.api_call("s3", "GetObject", "us-east-1", true);
    w.gap("s3://b/denied", "denied", Some("s3:GetObject"));
    let m = w.finish().unwrap();
    assert_eq!(
        m.entries[0].sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(m.gaps[0].permission.as_deref(), Some("s3:GetObject"));
    assert_eq!(
        std::fs::read(dir.path().join("cloudtrail/AWSLogs/x.json.gz")).unwrap(),
        b"abc"
    );

    let again = open(dir.path());
    let mut stored = Vec::new();
    again
        .already_acquired("cloudtrail/AWSLogs/x.json.gz", "\"e1\"")
        .unwrap()
        .read_to_end(&mut stored)
        .unwrap();
    assert_eq!(stored, b"abc");
    assert!(again
        .already_acquired("cloudtrail/AWSLogs/x.json.gz", "\"e2\"")
        .is_none());
    std::fs::write(dir.path().join("cloudtrail/AWSLogs/x.json.gz"), b"tampered").unwrap();
    assert!(again
        .already_acquired("cloudtrail/AWSLogs/x.json.gz", "\"e1\"")
        .is_none());
    // The gaps of an earlier run are not carried over: this run says what is missing now.
    assert!(again.finish().unwrap().gaps.is_empty());
}

#[test]
fn paths_stay_inside_the_case_and_partials_are_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json.trailcase-partial"), b"half").unwrap();
    let w = open(dir.path());
    assert!(!dir.path().join("a.json.trailcase-partial").exists());
    assert!(w.store("../escape", b"x", s3("e")).is_err());
    assert!(w.store("/etc/x", b"x", s3("e")).is_err());
    assert!(w.store("manifest.json", b"x", s3("e")).is_err());
    w.store("lookup-events/us-east-1-page-1.json", b"{}", s3("e"))
        .unwrap();
    w.replace_prefix("lookup-events/us-east-1-page-");
    assert!(w.finish().unwrap().entries.is_empty());
    assert!(!dir
        .path()
        .join("lookup-events/us-east-1-page-1.json")
        .exists());
}
