//! `trailcase verify` end to end: a signed case written to a temporary directory with a manifest, the
//! built binary run on it, and its exit code, text and JSON checked after each kind of damage.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use trailcase::case::manifest::{sha256_file, Manifest, ManifestEntry, MANIFEST_VERSION};
use trailcase::case::{verified_log_files, verify_case, IntegrityOptions};

use crate::common;
use common::*;

const LOOKUP_PAGE: &str = "lookup-events/us-east-1-page-1.json";

/// A LookupEvents page as `aws cloudtrail lookup-events` prints it, one item per (region, time).
fn lookup_page(events: &[(&str, DateTime<Utc>)]) -> Vec<u8> {
    let items: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(i, (region, at))| {
            let record = json!({
                "eventVersion": "1.09",
                "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::{ACCOUNT}:user/alice"), "accountId": ACCOUNT},
                "eventTime": iso(*at),
                "eventSource": "iam.amazonaws.com",
                "eventName": "ListUsers",
                "awsRegion": region,
                "sourceIPAddress": "198.51.100.4",
                "eventID": format!("lookup-{i}"),
                "readOnly": true,
                "managementEvent": true
            });
            json!({
                "EventId": format!("lookup-{i}"),
                "EventName": "ListUsers",
                "ReadOnly": "true",
                "EventTime": at.timestamp(),
                "EventSource": "iam.amazonaws.com",
                "Username": "alice",
                "Resources": [],
                "CloudTrailEvent": record.to_string()
            })
        })
        .collect();
    serde_json::to_vec_pretty(&json!({ "Events": items })).unwrap()
}

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap()
}

/// Every file of the case, case-relative.
fn case_files(case: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![case.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path.strip_prefix(case).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// The manifest `collect` would write for the case as it is now.
fn write_manifest(case: &Path) {
    let entries = case_files(case)
        .into_iter()
        .filter(|p| p != "manifest.json")
        .map(|path| {
            let file = case.join(&path);
            ManifestEntry {
                source: format!("s3://{BUCKET}/{path}"),
                size: std::fs::metadata(&file).unwrap().len(),
                sha256: sha256_file(&file).unwrap(),
                acquired_at: "2026-03-03T09:00:00Z".into(),
                s3: None,
                path,
            }
        })
        .collect();
    let manifest = Manifest {
        trailcase_manifest: MANIFEST_VERSION,
        case_id: Some("case-2026-001".into()),
        tool_version: "0.1.0".into(),
        collector: None,
        created: "2026-03-03T09:00:00Z".into(),
        command: vec!["trailcase".into(), "collect".into()],
        window: None,
        entries,
        api_calls: vec![],
        gaps: vec![],
    };
    std::fs::write(case.join("manifest.json"), manifest.to_bytes()).unwrap();
}

/// A case as a responder has it by hand (no manifest): trail and digest files, sidecars, public keys, one
/// LookupEvents page inside the trail's window.
fn hand_built_case() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_cloudtrail(dir.path(), &clean_case());
    let page = dir.path().join(LOOKUP_PAGE);
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(page, lookup_page(&[("us-east-1", at(2, 23, 10))])).unwrap();
    dir
}

fn collected_case() -> tempfile::TempDir {
    let dir = hand_built_case();
    write_manifest(dir.path());
    dir
}

fn verify(case: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .arg("verify")
        .arg(case)
        .args(extra)
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn json_of(case: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = verify(case, &args);
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", text(&out));
    });
    (out.status.code().unwrap(), value)
}

/// (subject, check, kind) of each problem.
fn problems(report: &Value) -> Vec<(String, String, String)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["subject"].as_str().unwrap().to_owned(),
                p["check"].as_str().unwrap().to_owned(),
                p["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn coverage_at(report: &Value, region: &str, hour: &str) -> String {
    let runs = report["coverage"]["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region"] == region)
        .unwrap_or_else(|| panic!("no region {region}"))["runs"]
        .as_array()
        .unwrap();
    runs.iter()
        .find(|r| r["from"].as_str().unwrap() <= hour && hour < r["to"].as_str().unwrap())
        .unwrap_or_else(|| panic!("{hour} outside the window"))["coverage"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn first_log(case: &Path) -> String {
    let digest = digest_key("us-east-1", 1);
    let files = {
        let mut f = Files::new();
        let bytes = std::fs::read(case.join("cloudtrail").join(&digest)).unwrap();
        f.insert(digest.clone(), bytes);
        f
    };
    listed_logs(&files, &digest)[0].clone()
}

/// The verdict of a case whose checks all pass: the key its digests verified with is named, and
/// whether it is AWS's is said to be unexamined (audit t01: a case re-signed with a key of the
/// attacker's, put in its public-keys.json, read as plain "verified").
fn verified_line() -> String {
    format!(
        "verdict: verified (10 digest(s) signed with the key {} from the case's public-keys.json; whether it is an AWS CloudTrail key was not examined offline: compare with the Fingerprint values that `aws cloudtrail list-public-keys` returns)\n",
        fingerprint(signing_key())
    )
}

#[test]
fn clean_collected_case_is_verified() {
    let case = collected_case();
    let out = verify(case.path(), &[]);
    let stdout = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with(&verified_line()), "{stdout}");
    assert!(stdout.contains("manifest: checked:"), "{stdout}");
    assert!(
        stdout.contains("digests: checked: 10 of 10 digest(s) verified"),
        "{stdout}"
    );

    let (code, report) = json_of(case.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["verdict"]["status"], "verified");
    assert_eq!(report["manifest"]["status"], "checked");
    assert_eq!(report["digests"]["status"], "checked");
    let logs = clean_case()
        .keys()
        .filter(|k| k.contains("/CloudTrail/"))
        .count();
    assert_eq!(report["verified_log_files"].as_array().unwrap().len(), logs);
    assert_eq!(report["counts"]["log_files_verified"], logs);
    // The window defaults to the trail files' span: 22:00 to 03:00, every hour verified; the hour whose
    // digest lists nothing is proven empty, not a gap.
    let window = &report["coverage"]["window"];
    assert_eq!(window["from"], "2026-03-02T22:00:00Z");
    assert_eq!(window["to"], "2026-03-03T03:00:00Z");
    assert_eq!(report["coverage"]["totals"]["nothing"], 0);
    assert_eq!(
        coverage_at(&report, "eu-west-1", "2026-03-03T00:00:00Z"),
        "verified_no_activity"
    );
    assert_eq!(
        coverage_at(&report, "us-east-1", "2026-03-03T00:00:00Z"),
        "verified"
    );
}

#[test]
fn modified_log_file_fails_both_the_manifest_and_the_digest() {
    let case = collected_case();
    let log = first_log(case.path());
    let path = case.path().join("cloudtrail").join(&log);
    let mut body = gunzip(&std::fs::read(&path).unwrap());
    let i = body.iter().position(|&b| b == b'7').unwrap();
    body[i] = b'8'; // 203.0.113.7 -> 203.0.113.8
    std::fs::write(&path, gzip(&body)).unwrap();

    let out = verify(case.path(), &[]);
    let stdout = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.starts_with("verdict: problems found: "), "{stdout}");
    let subject = format!("cloudtrail/{log}");
    assert!(stdout.contains(&format!("\n  {subject}\n")), "{stdout}");
    assert!(
        stdout.contains("manifest hash_mismatch: SHA-256 is "),
        "{stdout}"
    );
    assert!(
        stdout.contains("digest log_file_modified: decompressed SHA-256 is "),
        "{stdout}"
    );

    let (code, report) = json_of(case.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"]["status"], "problems_found");
    let found = problems(&report);
    assert!(
        found.contains(&(subject.clone(), "manifest".into(), "hash_mismatch".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(subject.clone(), "digest".into(), "log_file_modified".into())),
        "{found:?}"
    );
    assert!(found.iter().all(|p| p.0 == subject), "{found:?}");
    assert!(!report["verified_log_files"]
        .as_array()
        .unwrap()
        .contains(&json!(subject)));
}

#[test]
fn file_missing_from_the_case_and_file_missing_from_the_manifest_are_reported() {
    let case = collected_case();
    std::fs::remove_file(case.path().join(LOOKUP_PAGE)).unwrap();
    std::fs::create_dir_all(case.path().join("notes")).unwrap();
    std::fs::write(case.path().join("notes/added-later.txt"), b"not acquired\n").unwrap();

    let (code, report) = json_of(case.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        vec![
            (LOOKUP_PAGE.into(), "manifest".into(), "file_missing".into()),
            (
                "notes/added-later.txt".into(),
                "manifest".into(),
                "file_unlisted".into()
            ),
        ]
    );
    assert_eq!(report["manifest"]["files_missing"], 1);
    assert_eq!(report["manifest"]["files_unlisted"], 1);
    let stdout = text(&verify(case.path(), &[]));
    assert!(
        stdout.contains("manifest file_unlisted: in the case but not in manifest.json"),
        "{stdout}"
    );
}

#[test]
fn hand_built_case_without_manifest_verifies_with_manifest_checks_not_applicable() {
    let case = hand_built_case();
    // Its LookupEvents page holds records nothing vouches for (no digest covers LookupEvents,
    // and there is no manifest): the records in it are not verified.
    let out = verify(case.path(), &[]);
    let stdout = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.starts_with(&format!("verdict: partly verified: 1 file(s) holding records not verified by any digest ({LOOKUP_PAGE}); every other check passed (10 digest(s) signed with the key ")),
        "{stdout}"
    );
    std::fs::remove_file(case.path().join(LOOKUP_PAGE)).unwrap();
    let out = verify(case.path(), &[]);
    let stdout = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with(&verified_line()), "{stdout}");
    assert!(
        stdout.contains("manifest: not applicable: no manifest.json"),
        "{stdout}"
    );
    let (_, report) = json_of(case.path(), &[]);
    assert_eq!(report["manifest"]["status"], "not_applicable");
    assert_eq!(report["problems"], json!([]));
}

#[test]
fn lookup_events_only_and_uncovered_hours_are_reported() {
    let case = hand_built_case();
    // A page with a record at 03:30 in eu-west-1, after the trail files end (03:00).
    std::fs::write(
        case.path().join("lookup-events/eu-west-1-page-1.json"),
        lookup_page(&[("eu-west-1", at(3, 3, 30))]),
    )
    .unwrap();
    let window = [
        "--from",
        "2026-03-02T22:00:00Z",
        "--to",
        "2026-03-03T05:00:00Z",
    ];
    let (code, report) = json_of(case.path(), &window);
    assert_eq!(code, 1);
    assert_eq!(report["coverage"]["window"]["hours"], 7);
    // The window as `collect` takes it (seconds optional, any offset) is the same window.
    let same = [
        "--from",
        "2026-03-02T23:00+01:00",
        "--to",
        "2026-03-03T05:00Z",
    ];
    assert_eq!(json_of(case.path(), &same), (code, report.clone()));
    assert_eq!(report["coverage"]["window"]["source"], "flags");
    assert_eq!(
        coverage_at(&report, "eu-west-1", "2026-03-03T02:00:00Z"),
        "verified"
    );
    assert_eq!(
        coverage_at(&report, "eu-west-1", "2026-03-03T03:00:00Z"),
        "lookup_events_only"
    );
    assert_eq!(
        coverage_at(&report, "eu-west-1", "2026-03-03T04:00:00Z"),
        "nothing"
    );
    assert_eq!(
        coverage_at(&report, "us-east-1", "2026-03-03T03:00:00Z"),
        "nothing"
    );
    // Uncovered hours are problems (one per run, account and region; the detail names the
    // account); LookupEvents-only hours are notes.
    assert_eq!(
        problems(&report),
        vec![
            (
                "region eu-west-1".into(),
                "coverage".into(),
                "no_evidence".into()
            ),
            (
                "region us-east-1".into(),
                "coverage".into(),
                "no_evidence".into()
            ),
        ]
    );
    let notes = report["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n["kind"] == "lookup_events_only"
        && n["subject"] == "region eu-west-1"
        && n["detail"]
            .as_str()
            .unwrap()
            .contains(": 2026-03-03T03:00:00Z to 2026-03-03T04:00:00Z")));

    let stdout = text(&verify(case.path(), &window));
    assert!(
        stdout.contains("LookupEvents only (management events, no integrity proof)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2026-03-03T04:00:00Z  2026-03-03T05:00:00Z      1  nothing"),
        "{stdout}"
    );
}

#[test]
fn json_output_is_versioned_and_deterministic() {
    let case = collected_case();
    let a = verify(case.path(), &["--format", "json"]);
    let b = verify(case.path(), &["--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
    let report: Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(
        verify(case.path(), &[]).stdout,
        verify(case.path(), &[]).stdout
    );
}

#[test]
fn case_without_manifest_or_digests_is_not_verifiable() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join(LOOKUP_PAGE);
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(page, lookup_page(&[("us-east-1", at(2, 23, 10))])).unwrap();
    let out = verify(dir.path(), &[]);
    let stdout = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.starts_with("verdict: not verifiable: no manifest.json (a case assembled by hand); the case has no cloudtrail/ folder\n"),
        "{stdout}"
    );
    let (_, report) = json_of(dir.path(), &[]);
    assert_eq!(report["verdict"]["missing"].as_array().unwrap().len(), 2);
}

/// `--from T --to T` was taken as the hour of T (exit per the case), while `--from` after `--to`
/// was refused: an empty window is refused the same way (exit 2, nothing on stdout).
#[test]
fn an_empty_or_backwards_window_cannot_run() {
    let case = collected_case();
    for (from, to) in [
        ("2026-03-03T00:00:00Z", "2026-03-03T00:00:00Z"),
        ("2026-03-03T00:30:00Z", "2026-03-03T00:30:00Z"),
        ("2026-03-03T01:00:00Z", "2026-03-03T00:00:00Z"),
    ] {
        let out = verify(case.path(), &["--from", from, "--to", to]);
        assert_eq!(out.status.code(), Some(2), "{from} {to}: {}", text(&out));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(&format!(
                "the coverage window is empty: it starts at {from} and ends at {to}; give a --to later than --from"
            )),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    // A window of one second has a length.
    let out = verify(
        case.path(),
        &[
            "--from",
            "2026-03-03T00:00:00Z",
            "--to",
            "2026-03-03T00:00:01Z",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn missing_case_directory_cannot_run() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("case-2026-404");
    let out = verify(&missing, &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("case directory"), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn verified_files_is_the_same_set_from_the_report_and_from_the_directory() {
    let case = collected_case();
    let report = verify_case(
        case.path(),
        &IntegrityOptions::default(),
        &trailcase::scan::ReadsRecords,
    )
    .unwrap();
    let from_dir = verified_log_files(case.path()).unwrap();
    assert_eq!(report.verified_files(), &from_dir);
    assert!(from_dir
        .iter()
        .all(|p| p.starts_with("cloudtrail/AWSLogs/")));
    assert_eq!(
        from_dir.len(),
        clean_case()
            .keys()
            .filter(|k| k.contains("/CloudTrail/"))
            .count()
    );
}

#[test]
fn unreadable_manifest_is_a_problem_and_the_digests_are_still_checked() {
    let case = hand_built_case();
    std::fs::write(case.path().join("manifest.json"), b"{\"entries\": [").unwrap();
    let (code, report) = json_of(case.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(report["manifest"]["status"], "failed");
    assert_eq!(report["digests"]["status"], "checked");
    assert_eq!(
        problems(&report),
        vec![(
            "manifest.json".into(),
            "manifest".into(),
            "manifest_invalid".into()
        )]
    );
}

/// A file name carrying terminal escape codes (clear the screen, forge a verdict line) is shown
/// escaped: the text report never writes a control character taken from the case.
#[test]
fn terminal_escape_codes_in_a_file_name_are_printed_escaped() {
    let case = collected_case();
    let name = "notes/x\u{1b}[2J\u{1b}[H\rverdict: verified\n.txt";
    std::fs::create_dir_all(case.path().join("notes")).unwrap();
    std::fs::write(case.path().join(name), b"planted\n").unwrap();
    let out = verify(case.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\r'),
        "{stdout:?}"
    );
    assert!(
        stdout.contains("notes/x\\u{1b}[2J\\u{1b}[H\\u{d}verdict: verified\\u{a}.txt"),
        "{stdout}"
    );
    assert!(stdout.starts_with("verdict: problems found"), "{stdout}");
}

/// Two manifest entries for one path (what aliased keys `F` and `./F` gave before), and an entry
/// spelled `a/./b`: both are problems, not one entry silently taken for the other.
#[test]
fn a_manifest_with_two_entries_for_one_path_is_flagged() {
    let case = collected_case();
    let path = case.path().join("manifest.json");
    let mut manifest: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let entries = manifest["entries"].as_array_mut().unwrap();
    let first = entries
        .iter()
        .find(|e| e["path"].as_str().unwrap().ends_with(".json.gz"))
        .unwrap()
        .clone();
    let target = first["path"].as_str().unwrap().to_string();
    let mut twin = first.clone();
    twin["sha256"] = json!("00".repeat(32));
    twin["source"] = json!(format!("{}-twin", first["source"].as_str().unwrap()));
    entries.push(twin);
    let (dir, file) = target.rsplit_once('/').unwrap();
    let mut dotted = first.clone();
    dotted["path"] = json!(format!("{dir}/./{file}"));
    entries.push(dotted);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();

    let (code, report) = json_of(case.path(), &[]);
    assert_eq!(code, 1);
    let found = problems(&report);
    assert!(
        found.contains(&(target.clone(), "manifest".into(), "duplicate_entry".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            format!("{dir}/./{file}"),
            "manifest".into(),
            "path_outside_case".into()
        )),
        "{found:?}"
    );
}

/// `verify` on a folder of loose trail-shaped files (`{"Records": [...]}`, not at a key CloudTrail
/// delivers to) said "no trail file ... in the case": the files are trail files in shape, so the
/// line denied what the user could see. It now says which files set the window and why these
/// do not.
#[test]
fn verify_on_loose_record_files_says_why_they_give_no_window() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("loose");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::copy(
        crate::support::repo().join("tests/data/records/sqs-L45.json"),
        case.join("sqs-L45.json"),
    )
    .unwrap();
    let run = crate::support::trailcase(["verify", case.to_str().unwrap()]);
    let out = run.text();
    assert!(
        out.contains("coverage: no window (no log file at a key CloudTrail delivers to, AWSLogs/<account>/CloudTrail/<region>/..., and no LookupEvents record in the case; records read from files of other names do not set it; give --from/--to)"),
        "{out}"
    );
    assert!(!out.contains("no trail file"), "{out}");
}
