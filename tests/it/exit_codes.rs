//! One exit-code rule for the integrity verdict: the same evidence gives the same verdict and the
//! same exit code from every command that states one (`verify`, `report`: 0 only when
//! "verified", else 1, the summary line saying why), and `timeline`, which checks no log file against the digests,
//! states none: its JSON says integrity was `not_examined` and its summary line points to
//! `verify`. `report` exited 0 on "not verifiable" (no manifest, no digest) where `verify`
//! exited 1.
//!
//! Fixtures: the signed case of `tests/common` (digests verified, no manifest); with a `.jsonl`
//! of records no digest lists (partly verified); with a log file altered (problems found); and
//! its records alone in a folder (not verifiable).

use std::path::{Path, PathBuf};

use crate::common::*;
use crate::support::{pdf_text, report_pdf, trailcase, trailcase_env, REPORT_EPOCH};

/// The evidence of each verdict, in a new folder under `dir`.
fn evidence(dir: &Path, verdict: &str) -> PathBuf {
    let case = dir.join(verdict);
    let files = clean_case();
    match verdict {
        "not_verifiable" => {
            std::fs::create_dir_all(&case).unwrap();
            let log = files.keys().find(|k| k.contains("/CloudTrail/")).unwrap();
            std::fs::write(case.join("trail.json.gz"), &files[log]).unwrap();
            return case;
        }
        _ => write_cloudtrail(&case, &files),
    }
    match verdict {
        "partly_verified" => std::fs::write(
            case.join("extra.jsonl"),
            log_body("us-east-1", hour_start(1), 1),
        )
        .unwrap(),
        "problems_found" => {
            let log = files.keys().find(|k| k.contains("/CloudTrail/")).unwrap();
            let body = String::from_utf8(gunzip(&files[log])).unwrap();
            let altered = body.replacen("203.0.113.7", "203.0.113.8", 1);
            assert_ne!(body, altered);
            std::fs::write(case.join("cloudtrail").join(log), gzip(altered.as_bytes())).unwrap();
        }
        _ => {}
    }
    case
}

const VERDICTS: [(&str, &str); 4] = [
    ("verified", "verified"),
    ("partly_verified", "partly verified: "),
    ("problems_found", "problems found: "),
    ("not_verifiable", "not verifiable: "),
];

#[test]
fn verify_and_report_exit_0_only_on_verified_evidence_and_say_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    for (verdict, words) in VERDICTS {
        let case = evidence(dir.path(), verdict);
        let expected = if verdict == "verified" { 0 } else { 1 };
        let verify = trailcase(["verify", "--format", "json", case.to_str().unwrap()]);
        assert_eq!(verify.code, expected, "verify {verdict}: {}", verify.stderr);
        assert_eq!(verify.json()["verdict"]["status"], verdict);

        let pdf = out.path().join(format!("{verdict}.pdf"));
        let json = out.path().join(format!("{verdict}.json"));
        let report = trailcase_env(
            [
                "report",
                "--out",
                pdf.to_str().unwrap(),
                "--timeline-json",
                json.to_str().unwrap(),
                case.to_str().unwrap(),
            ],
            &[("SOURCE_DATE_EPOCH", REPORT_EPOCH)],
        );
        assert_eq!(report.code, expected, "report {verdict}: {}", report.stderr);
        let line = report
            .stderr
            .lines()
            .find(|l| l.starts_with("trailcase: wrote "))
            .unwrap_or_else(|| panic!("{}", report.stderr));
        assert!(line.contains(" 0 gap(s)"), "{verdict}: {line}");
        if expected == 1 {
            assert!(
                line.contains("; evidence integrity (exit code 1): ") && line.contains(words),
                "{verdict}: {line}"
            );
        } else {
            assert!(!line.contains("exit code 1"), "{line}");
        }
        // The report's JSON states the report's verdict.
        let doc = crate::support::read_json(&json);
        assert_eq!(
            doc["integrity"]["status"], "examined",
            "{}",
            doc["integrity"]
        );
        assert!(
            doc["integrity"]["statement"]
                .as_str()
                .unwrap()
                .contains(words),
            "{verdict}: {}",
            doc["integrity"]
        );
        assert!(!pdf_text(&pdf).is_empty());
    }
}

#[test]
fn timeline_states_no_integrity_verdict_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    for (verdict, _) in VERDICTS {
        let case = evidence(dir.path(), verdict);
        for all in [false, true] {
            let mut args = vec!["timeline", "--format", "json"];
            if all {
                args.push("--all");
            }
            args.push(case.to_str().unwrap());
            let run = trailcase(args);
            // No gap in any of them: the exit code says nothing of the integrity verdict.
            assert_eq!(run.code, 0, "{verdict} --all {all}: {}", run.stderr);
            assert!(
                run.stderr.contains(
                    "; evidence integrity not examined (run `trailcase verify CASE` for a verdict)"
                ),
                "{verdict} --all {all}: {}",
                run.stderr
            );
            let doc = run.json();
            let integrity = if all {
                &doc["summary"]["integrity"]
            } else {
                &doc["integrity"]
            };
            assert_eq!(integrity["status"], "not_examined", "{doc}");
            let statement = integrity["statement"].as_str().unwrap();
            assert!(
                statement.starts_with("not examined by `timeline`")
                    && statement.contains("run `trailcase verify CASE`"),
                "{statement}"
            );
        }
    }
}

/// The report of evidence that nothing can verify says so on the cover's exit code too.
#[test]
fn report_of_loose_records_exits_1_as_verify_does() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let case = evidence(dir.path(), "not_verifiable");
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(pdf_text(&pdf).contains("not verifiable"));
}

/// A verified case and a file of records outside it (`report CASE loose.jsonl`): no digest or
/// manifest covers the loose file, so the verdict is "partly verified", naming it and counting
/// it, and both `report` and `verify` given the same inputs exit 1. Both said "verified" (exit 0)
/// before, looking at the case alone.
#[test]
fn a_loose_file_beside_a_verified_case_makes_it_partly_verified_in_report_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let case = evidence(dir.path(), "verified");
    let loose_dir = dir.path().join("loose");
    std::fs::create_dir_all(&loose_dir).unwrap();
    let loose = loose_dir.join("loose.jsonl");
    std::fs::write(&loose, log_body("us-east-1", hour_start(1), 1)).unwrap();
    let (case, loose) = (case.to_str().unwrap(), loose.to_str().unwrap());

    let pdf = out.path().join("r.pdf");
    let json = out.path().join("t.json");
    let report = trailcase_env(
        [
            "report",
            "--out",
            pdf.to_str().unwrap(),
            "--timeline-json",
            json.to_str().unwrap(),
            case,
            loose,
        ],
        &[("SOURCE_DATE_EPOCH", REPORT_EPOCH)],
    );
    assert_eq!(report.code, 1, "{}", report.stderr);
    let named = format!("outside any case: 1 file(s) holding records no CloudTrail digest or manifest covers ({loose})");
    assert!(
        report
            .stderr
            .contains("evidence integrity (exit code 1): partly verified. ")
            && report.stderr.contains(&named),
        "{}",
        report.stderr
    );
    let statement = crate::support::read_json(&json)["integrity"]["statement"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        statement.starts_with("partly verified. ") && statement.contains(&named),
        "{statement}"
    );
    let text = pdf_text(&pdf);
    assert!(!text.contains("verified offline"), "{text}");
    assert!(text.contains("loose.jsonl"), "{text}");

    let verify = trailcase(["verify", "--format", "json", case, loose]);
    assert_eq!(verify.code, 1, "{}", verify.stderr);
    let doc = verify.json();
    assert_eq!(doc["verdict"]["status"], "partly_verified", "{doc}");
    assert_eq!(doc["unverified_record_files"], serde_json::json!([loose]));
    assert!(
        doc["verdict"]["line"]
            .as_str()
            .unwrap()
            .starts_with(&format!(
                "partly verified: 1 file(s) holding records not verified by any digest ({loose})"
            )),
        "{doc}"
    );
    // The case alone is still verified.
    assert_eq!(trailcase(["verify", case]).code, 0);
    // A second case is refused, saying why.
    let two = trailcase(["verify", case, case]);
    assert_eq!(two.code, 2, "{}", two.stderr);
    assert!(
        two.stderr.contains("is a case too: verify checks one case"),
        "{}",
        two.stderr
    );
}
