//! Symbolic links and special files planted in an evidence folder: a link whose target lies
//! outside the folder is never read (a named gap, exit 1, its content nowhere in the outputs);
//! a link within is read once; a dangling link, a loop and a FIFO are gaps, and nothing hangs.
//! `timeline`, `report` and `verify` walk by the same rule (`case::walk`).

use crate::support::*;
use serde_json::Value;
use std::os::unix::fs::symlink;
use std::path::Path;

/// What an attacker would like read: a credentials file's marker. It must appear in no output.
const SECRET: &str = "aws_secret_access_key = OUTSIDE-MARKER-7f3c";

/// One record, by its eventID.
fn record(id: &str) -> String {
    format!(
        r#"{{"Records":[{{"eventVersion":"1.08","eventTime":"2026-11-20T14:00:00Z","eventID":"{id}","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-east-1","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"}}}}]}}"#
    )
}

/// `tmp/outside/` (a credentials file, a record file, a folder of records) beside the evidence
/// folder `tmp/case/` (one record file, `a.json`).
fn folders(tmp: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let outside = tmp.join("outside");
    let case = tmp.join("case");
    std::fs::create_dir_all(outside.join("tree")).unwrap();
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(outside.join("credentials"), SECRET).unwrap();
    std::fs::write(outside.join("records.json"), record("OUTSIDE-FILE")).unwrap();
    std::fs::write(outside.join("tree/t.json"), record("OUTSIDE-TREE")).unwrap();
    std::fs::write(case.join("a.json"), record("INSIDE")).unwrap();
    (case, outside)
}

/// The gaps of a timeline document: (path relative to `case`, reason).
fn gaps(doc: &Value, case: &Path) -> Vec<(String, String)> {
    let prefix = format!("{}/", case.display());
    doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let path = g["path"].as_str().unwrap();
            (
                path.strip_prefix(&prefix).unwrap_or(path).to_string(),
                g["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The paths of the inputs listed, relative to `case`.
fn inputs(doc: &Value, case: &Path) -> Vec<String> {
    let prefix = format!("{}/", case.display());
    doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let path = i["path"].as_str().unwrap();
            path.strip_prefix(&prefix).unwrap_or(path).to_string()
        })
        .collect()
}

/// A FIFO at `path` (`mkfifo`: no `libc` in the tests).
/// `verify --format json`'s problems: (subject, kind, detail) each.
fn problems(doc: &Value) -> Vec<(&str, &str, &str)> {
    doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["subject"].as_str().unwrap(),
                p["kind"].as_str().unwrap(),
                p["detail"].as_str().unwrap(),
            )
        })
        .collect()
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

fn outside_reason(target: &Path, what: &str) -> String {
    format!(
        "a symbolic link that points outside the evidence folder (to {}): not read; copy the {what} into the folder to examine it",
        target.display()
    )
}

/// Links out of the folder (to a credentials file, to a record file, to a folder of records,
/// by a relative and an absolute path) were read, hashed and listed as inputs. None is read
/// now: each is a gap naming the link and its target, the run exits 1, and neither the
/// credentials nor the outside records appear in the JSON, the report or on stderr.
#[test]
fn links_out_of_the_folder_are_gaps_never_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (case, outside) = folders(tmp.path());
    let outside = outside.canonicalize().unwrap();
    symlink("../outside/credentials", case.join("credentials")).unwrap();
    symlink(outside.join("records.json"), case.join("records.json")).unwrap();
    symlink("../outside/tree", case.join("tree")).unwrap();
    let run = trailcase(["timeline", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(inputs(&doc, &case), ["a.json"]);
    assert_eq!(doc["summary"]["records_read"], 1);
    assert_eq!(
        gaps(&doc, &case),
        [
            (
                "credentials".to_string(),
                outside_reason(&outside.join("credentials"), "file")
            ),
            (
                "records.json".to_string(),
                outside_reason(&outside.join("records.json"), "file")
            ),
            (
                "tree".to_string(),
                outside_reason(&outside.join("tree"), "directory")
            ),
        ]
    );
    assert_eq!(doc["complete"], false);
    let text = String::from_utf8_lossy(&run.stdout);
    for marker in [SECRET, "OUTSIDE-MARKER", "OUTSIDE-FILE", "OUTSIDE-TREE"] {
        assert!(!text.contains(marker), "{marker} in the JSON");
        assert!(!run.stderr.contains(marker), "{marker} on stderr");
    }
    assert!(
        run.stderr.contains("points outside the evidence folder"),
        "{}",
        run.stderr
    );

    let pdf = tmp.path().join("r.pdf");
    let report = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(report.code, 1, "{}", report.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("points outside the evidence folder"),
        "the report's gaps name the links"
    );
    for marker in ["OUTSIDE-MARKER", "OUTSIDE-FILE", "OUTSIDE-TREE"] {
        assert!(!text.contains(marker), "{marker} in the report");
    }
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        !bytes.windows(14).any(|w| w == b"OUTSIDE-MARKER"),
        "the credentials are in the PDF's bytes (an attachment?)"
    );
}

/// A link whose target is inside the folder is read, once: a file reached directly and through
/// a link, and a folder reached directly and through a link, give one input each, their records
/// are read once and not counted as copies, and the run is complete (exit 0). The path kept is
/// the first the walk meets, in name order.
#[test]
fn links_within_the_folder_are_read_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (case, _) = folders(tmp.path());
    std::fs::create_dir(case.join("sub")).unwrap();
    std::fs::write(case.join("sub/b.json"), record("INSIDE-SUB")).unwrap();
    symlink("a.json", case.join("z-link.json")).unwrap();
    symlink("sub", case.join("z-sub")).unwrap();
    symlink(case.join("sub/b.json"), case.join("sub/c.json")).unwrap();
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(inputs(&doc, &case), ["a.json", "sub/b.json"]);
    assert_eq!(doc["summary"]["records_read"], 2);
    assert_eq!(doc["summary"]["duplicates_dropped"], 0);
    assert_eq!(doc["gaps"].as_array().unwrap().len(), 0, "{}", doc["gaps"]);
}

/// A dangling link and a loop of links were listed as inputs that failed to read. They are
/// gaps now, listed as no input; a FIFO (also reached through a link) is never opened.
#[test]
fn dangling_links_loops_and_fifos_are_gaps() {
    let tmp = tempfile::tempdir().unwrap();
    let (case, _) = folders(tmp.path());
    symlink("nowhere.json", case.join("dangling.json")).unwrap();
    symlink("loop-b", case.join("loop-a")).unwrap();
    symlink("loop-a", case.join("loop-b")).unwrap();
    mkfifo(&case.join("pipe.json"));
    symlink("pipe.json", case.join("to-pipe.json")).unwrap();
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(inputs(&doc, &case), ["a.json"]);
    let g = gaps(&doc, &case);
    let names: Vec<&str> = g.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        names,
        [
            "dangling.json",
            "loop-a",
            "loop-b",
            "pipe.json",
            "to-pipe.json"
        ]
    );
    assert_eq!(
        g[0].1,
        "a symbolic link whose target does not exist: not read"
    );
    for (_, reason) in &g[1..3] {
        assert!(
            reason.starts_with("a symbolic link that does not resolve (")
                && reason.ends_with("): not read"),
            "{reason}"
        );
    }
    for (_, reason) in &g[3..] {
        assert_eq!(reason, "not a regular file (a FIFO): not read");
    }
    assert_eq!(doc["summary"]["gaps"], 5);
}

/// `trailcase.toml` as a link out of the folder is not read as the case's settings (a parse
/// error would quote the target's lines): a gap, exit 1.
#[test]
fn settings_linked_from_outside_are_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (case, _) = folders(tmp.path());
    symlink("../outside/credentials", case.join("trailcase.toml")).unwrap();
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("OUTSIDE-MARKER"), "{}", run.stderr);
    let doc = run.json();
    let g = gaps(&doc, &case);
    assert_eq!(g.len(), 1, "{g:?}");
    assert_eq!(g[0].0, "trailcase.toml");
    assert!(
        g[0].1.contains("points outside the evidence folder")
            && g[0].1.contains("the case's settings are the defaults"),
        "{}",
        g[0].1
    );
    assert_eq!(doc["summary"]["records_read"], 1);
}

/// `verify` listed a link out of the case among the case's files (and read it to see whether it
/// held records), skipped a FIFO without a word, and did not enter a linked folder. Each is a
/// problem now, named by its path in the case, and the outside file is read by nothing.
#[test]
fn verify_names_links_out_of_the_case_and_special_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (case, outside) = folders(tmp.path());
    let outside = outside.canonicalize().unwrap();
    std::fs::create_dir(case.join("cloudtrail")).unwrap();
    std::fs::rename(case.join("a.json"), case.join("cloudtrail/a.json")).unwrap();
    symlink(
        outside.join("records.json"),
        case.join("cloudtrail/out.json"),
    )
    .unwrap();
    symlink("../../outside/tree", case.join("cloudtrail/tree")).unwrap();
    symlink("a.json", case.join("cloudtrail/within.json")).unwrap();
    mkfifo(&case.join("cloudtrail/pipe.json"));
    let run = trailcase(["verify", "--format", "json", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let problems = problems(&doc);
    let out_reason = outside_reason(&outside.join("records.json"), "file");
    let tree_reason = outside_reason(&outside.join("tree"), "directory");
    assert_eq!(
        problems,
        [
            ("cloudtrail/out.json", "not_read", out_reason.as_str()),
            (
                "cloudtrail/pipe.json",
                "not_read",
                "not a regular file (a FIFO): not read"
            ),
            ("cloudtrail/tree", "not_read", tree_reason.as_str()),
        ]
    );
    assert_eq!(doc["counts"]["files"], 2, "a.json and the link within");
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(!text.contains("OUTSIDE-FILE") && !text.contains("tree/t.json"));
}

/// A case file moved out of the sample and replaced by a link to it (the same bytes) passed the
/// manifest's check: the outside file was hashed as the case's. It is not read now: the entry is
/// `file_unreadable` (in the case, not read), the link a `files not_read` problem, and the
/// verdict is not "verified" (exit 1). A link within the case to the moved file is read as before.
#[test]
fn a_manifest_entry_linked_from_outside_is_not_verified() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    copy_dir(&repo().join("samples/incident-01"), &case);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(case.join("manifest.json")).unwrap()).unwrap();
    let entry = manifest["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .find(|p| p.starts_with("lookup-events/"))
        .expect("the sample has a LookupEvents page");
    let moved = tmp.path().join("moved.json");
    std::fs::rename(case.join(&entry), &moved).unwrap();
    symlink(&moved, case.join(&entry)).unwrap();
    let run = trailcase(["verify", "--format", "json", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["verdict"]["status"], "problems_found");
    let kinds: Vec<(&str, &str)> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["subject"] == entry.as_str())
        .map(|p| (p["check"].as_str().unwrap(), p["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [("manifest", "file_unreadable"), ("files", "not_read")],
        "{}",
        doc["problems"]
    );
    // Moved back inside the case (another folder), the link is followed and verified.
    let inside = case.join("moved.json");
    std::fs::rename(&moved, &inside).unwrap();
    std::fs::remove_file(case.join(&entry)).unwrap();
    symlink(&inside, case.join(&entry)).unwrap();
    let run = trailcase(["verify", "--format", "json", case.to_str().unwrap()]);
    let doc = run.json();
    let about: Vec<&str> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["subject"] == entry.as_str())
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(about.is_empty(), "{}", doc["problems"]);
}

/// The sample's `cloudtrail/` folder moved out of the case and linked back: `verify` checked the
/// outside digests and log files as the case's. It reads nothing through the link now: the link
/// is a `files not_read` problem, no digest is checked, and `timeline` reads none of its files.
#[test]
fn a_case_folder_linked_from_outside_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    copy_dir(&repo().join("samples/incident-01"), &case);
    let moved = tmp.path().join("elsewhere");
    std::fs::rename(case.join("cloudtrail"), &moved).unwrap();
    symlink(&moved, case.join("cloudtrail")).unwrap();
    let run = trailcase(["verify", "--format", "json", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(
        doc["digests"]["summary"]["digests"], 0,
        "{}",
        doc["digests"]
    );
    let not_read: Vec<&str> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "not_read")
        .map(|p| p["subject"].as_str().unwrap())
        .collect();
    assert_eq!(not_read, ["cloudtrail"]);
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert!(
        inputs(&doc, &case)
            .iter()
            .all(|p| !p.starts_with("cloudtrail/")),
        "{:?}",
        inputs(&doc, &case)
    );
    assert!(gaps(&doc, &case)
        .iter()
        .any(|(p, r)| p == "cloudtrail" && r.contains("points outside the evidence folder")));
}

/// `verify CASE extra/` listed the files of `extra/` that hold records, and left a link out of
/// `extra/` out without a word (exit 0, "verified"). It is a problem now, named by the path the
/// analysis shows, with the reason `timeline` gives for the same entry, counted, and the exit
/// code says the run was incomplete; the outside file is read by nothing.
#[test]
fn verify_names_links_out_of_a_folder_given_beside_the_case() {
    let tmp = tempfile::tempdir().unwrap();
    let (extra, outside) = folders(tmp.path());
    let outside = outside.canonicalize().unwrap();
    // Only the link: the folder holds no record file that would make the verdict partial.
    std::fs::remove_file(extra.join("a.json")).unwrap();
    symlink("../outside/credentials", extra.join("credentials")).unwrap();
    let sample = repo().join("samples/incident-01");
    let run = trailcase([
        "verify",
        "--format",
        "json",
        sample.to_str().unwrap(),
        extra.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let reason = outside_reason(&outside.join("credentials"), "file");
    let link = extra.join("credentials").display().to_string();
    let problems = problems(&doc);
    assert_eq!(problems, [(link.as_str(), "not_read", reason.as_str())]);
    assert_eq!(doc["counts"]["problems"], 1);
    assert_eq!(
        doc["verdict"]["status"], "problems_found",
        "{}",
        doc["verdict"]
    );
    // The same words as `timeline`'s gap for that entry.
    let timeline = trailcase(["timeline", extra.to_str().unwrap()]);
    assert_eq!(timeline.code, 1, "{}", timeline.stderr);
    assert!(
        gaps(&timeline.json(), &extra).contains(&("credentials".to_string(), reason.clone())),
        "{}",
        timeline.stderr
    );
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        !text.contains("OUTSIDE-MARKER"),
        "the credentials were read"
    );
}
