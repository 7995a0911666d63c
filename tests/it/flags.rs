//! Flags that cannot apply are errors, not silence (issue #15): exit code 2 and one line that
//! names the flag, before any evidence is read.

use crate::support;

use support::*;

fn refused(args: &[&str], names: &str) {
    let run = trailcase(args);
    assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    assert_eq!(
        run.stderr.trim().lines().count(),
        1,
        "{args:?}: {}",
        run.stderr
    );
    assert!(run.stderr.contains(names), "{args:?}: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{args:?}");
}

#[test]
fn reversed_window_is_refused() {
    refused(
        &[
            "timeline",
            "s3://bucket/AWSLogs/",
            "--from",
            "2026-11-21T00:00Z",
            "--to",
            "2026-11-20T00:00Z",
        ],
        "--from 2026-11-21T00:00:00+00:00 is after --to",
    );
}

#[test]
fn aws_flags_with_local_inputs_are_refused() {
    for (flag, value) in [
        ("--from", Some("2026-11-20T00:00Z")),
        ("--regions", Some("eu-west-1")),
        ("--profile", Some("prod")),
        ("--keep-case", Some("/tmp/never")),
        ("--all-alarms", None),
    ] {
        let mut args = vec!["timeline", "samples/incident-01", flag];
        args.extend(value);
        refused(&args, flag);
        let mut args = vec![
            "report",
            "samples/incident-01",
            "--out",
            "/tmp/never.pdf",
            flag,
        ];
        args.extend(value);
        refused(&args, flag);
    }
    refused(
        &[
            "timeline",
            "samples/incident-01",
            "--lookup-attr",
            "EventName=GetSecretValue",
        ],
        "--lookup-attr applies only with --lookup",
    );
}

/// `--concurrency` says how many S3 objects are fetched at once: refused where none is, local
/// inputs or LookupEvents alone (`collect` without `--s3` too), before anything is read.
#[test]
fn concurrency_without_an_s3_fetch_is_refused() {
    refused(
        &["timeline", "samples/incident-01", "--concurrency", "4"],
        "--concurrency applies only where objects are fetched from S3",
    );
    refused(
        &[
            "report",
            "--lookup",
            "--from",
            "2026-11-20T00:00Z",
            "--to",
            "2026-11-21T00:00Z",
            "--out",
            "/tmp/never.pdf",
            "--concurrency",
            "4",
        ],
        "--concurrency applies only where objects are fetched from S3",
    );
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    refused(
        &[
            "collect",
            "--case",
            case.to_str().unwrap(),
            "--lookup",
            "--from",
            "2026-11-20T00:00Z",
            "--to",
            "2026-11-21T00:00Z",
            "--concurrency",
            "4",
        ],
        "--concurrency applies only where objects are fetched from S3",
    );
    assert!(!case.exists(), "nothing acquired");
}

/// A time with a typo where the seconds would go is a usage error, not a crash (it aborted
/// the process, exit 134, when the text was split inside a multi-byte character).
#[test]
fn a_garbled_time_is_refused_not_a_crash() {
    for command in ["timeline", "report"] {
        let run = trailcase([
            command,
            "s3://bucket/AWSLogs/",
            "--from",
            "2026-11-20T00:0é",
        ]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains(
                "expected an RFC 3339 time such as 2026-11-20T00:00:00Z (seconds optional)"
            ),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn templates_dir_missing_or_without_templates_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.pdf");
    let missing = dir.path().join("nope");
    let args = |t: &std::path::Path| {
        vec![
            "report".to_string(),
            "samples/incident-01".into(),
            "--out".into(),
            out.to_str().unwrap().into(),
            "--templates".into(),
            t.to_str().unwrap().into(),
        ]
    };
    let a: Vec<String> = args(&missing);
    refused(
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
        "not a directory",
    );
    std::fs::write(
        dir.path().join("executive-summary.tera"),
        "typo in the name",
    )
    .unwrap();
    let a: Vec<String> = args(dir.path());
    refused(
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
        "holds none of the report's templates (executive_summary.tera",
    );
    assert!(!out.exists(), "no report is written");
}

/// An output written into the evidence replaced a trail file (`timeline --out` onto a `.json.gz`)
/// or the case's manifest (`report --out manifest.json`), and `verify` then found the case
/// altered. Any output onto an input file, or into an input directory (through a link too),
/// is refused before anything is read or written; the evidence is left byte for byte.
#[test]
fn an_output_into_the_evidence_is_refused_and_the_evidence_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    copy_dir(&repo().join("samples/incident-01"), &case);
    let case_s = case.to_str().unwrap();
    let trail = walk_files(&case)
        .into_iter()
        .find(|p| p.to_str().unwrap().ends_with(".json.gz"))
        .unwrap();
    let manifest = case.join("manifest.json");
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = walk_files(&case)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&case, &link).unwrap();
    let new_file = case.join("timeline.json");
    let through_link = link.join("report.pdf");
    for args in [
        vec!["timeline", case_s, "--out", trail.to_str().unwrap()],
        vec!["timeline", case_s, "--out", new_file.to_str().unwrap()],
        vec![
            "timeline",
            trail.to_str().unwrap(),
            "--out",
            trail.to_str().unwrap(),
        ],
        vec!["report", case_s, "--out", manifest.to_str().unwrap()],
        vec!["report", case_s, "--out", through_link.to_str().unwrap()],
        vec![
            "report",
            case_s,
            "--out",
            dir.path().join("ok.pdf").to_str().unwrap(),
            "--timeline-json",
            new_file.to_str().unwrap(),
        ],
    ] {
        refused(&args, "never writes into its evidence");
    }
    for (path, bytes) in &before {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "{}", path.display());
    }
    assert_eq!(walk_files(&case).len(), before.len(), "no file added");
    // Beside the evidence is fine.
    let run = trailcase([
        "timeline",
        case_s,
        "--quiet",
        "--out",
        dir.path().join("t.json").to_str().unwrap(),
    ]);
    assert!(run.code <= 1, "{}", run.stderr);
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// `--out -` wrote a file named "-" in the working directory; it is standard output, as for
/// most tools: `timeline`'s JSON, and `report`'s PDF when standard output is not a terminal
/// (here, a pipe). Both to standard output at once is refused.
#[test]
fn out_dash_is_standard_output() {
    let stray = repo().join("-");
    let run = trailcase(["timeline", "samples/incident-01", "-q", "--out", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["incidents"][0]["id"], "INC-001");
    assert!(!stray.exists(), "a file named - was written");

    let run = trailcase(["report", "samples/incident-01", "-q", "--out", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with(b"%PDF-"), "{}", run.stderr);
    assert!(!stray.exists(), "a file named - was written");

    refused(
        &[
            "report",
            "samples/incident-01",
            "--out",
            "-",
            "--timeline-json",
            "-",
        ],
        "--out - and --timeline-json - cannot both go to standard output",
    );
}
