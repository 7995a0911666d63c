//! One evidence set, one answer to "are there conflicting copies of a record": `timeline`'s
//! copy count compared records by (time, eventID), so three different records of the Amazon
//! DynamoDB Developer Guide under one eventID at three times (`DeleteTable` 2015, `PutItem`
//! 2019, `UpdateItem` 2020; tests/data/SOURCES.md), in no incident, were 0 conflicting copies
//! in `timeline` while `timeline --all` (which compares by eventID whatever the time, as the
//! correlation does) reported 3. Both now count by eventID; identical copies of one record are
//! still duplicates in both, not conflicts.

use crate::support::*;
use serde_json::Value;
use std::path::Path;

const REUSED: &str = "a954451c-c2fc-4561-8aea-7a30ba1fdf52";

/// The guide's records named, one trail file each, copied into `dir`.
fn evidence(dir: &Path, names: &[&str]) {
    for name in names {
        std::fs::copy(repo().join("tests/data/records").join(name), dir.join(name)).unwrap();
    }
}

/// What a timeline JSON says of copies: conflicting copies, duplicates dropped, and each
/// conflict's eventID with the file name and record index of every copy.
type CopiesSaid = (u64, u64, Vec<(String, Vec<(String, u64)>)>);

fn copies_said(summary: &Value, conflicts: &Value) -> CopiesSaid {
    let conflicts = conflicts
        .as_array()
        .map(|all| {
            all.iter()
                .map(|c| {
                    let mut copies: Vec<(String, u64)> = c["copies"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| {
                            let input = p["input"].as_str().unwrap();
                            let name = input.rsplit('/').next().unwrap().to_string();
                            (name, p["record_index"].as_u64().unwrap())
                        })
                        .collect();
                    copies.sort();
                    (c["event_id"].as_str().unwrap().to_string(), copies)
                })
                .collect()
        })
        .unwrap_or_default();
    (
        summary["conflicting_copies"].as_u64().unwrap(),
        summary["duplicates_dropped"].as_u64().unwrap(),
        conflicts,
    )
}

/// `timeline` and `timeline --all` (JSON) of `evidence`, written outside it: what each says of
/// copies, and `timeline`'s findings.
fn both(evidence: &Path) -> (CopiesSaid, CopiesSaid, Value) {
    let out = tempfile::tempdir().unwrap();
    let plain = out.path().join("timeline.json");
    let all = out.path().join("all.json");
    let dir = evidence.to_str().unwrap();
    let run = trailcase(["timeline", "--quiet", dir, "--out", plain.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let run = trailcase([
        "timeline",
        "--quiet",
        dir,
        "--all",
        "--out",
        all.to_str().unwrap(),
    ]);
    assert!(run.code <= 1, "{}", run.stderr);
    let plain = read_json(&plain);
    let all = read_json(&all);
    (
        copies_said(&plain["summary"], &plain["conflicts"]),
        copies_said(&all["summary"], &all["summary"]["conflicts"]),
        plain["findings"].clone(),
    )
}

#[test]
fn timeline_and_all_agree_on_records_under_one_eventid_at_different_times() {
    let dir = tempfile::tempdir().unwrap();
    evidence(
        dir.path(),
        &[
            "ddb-delete-table-L117.json",
            "ddb-put-item-L246.json",
            "ddb-update-item-L313.json",
            "ddb-update-table-L33.json",
        ],
    );
    let (plain, all, findings) = both(dir.path());
    let files = [
        "ddb-delete-table-L117.json",
        "ddb-put-item-L246.json",
        "ddb-update-item-L313.json",
    ];
    let want: CopiesSaid = (
        3,
        0,
        vec![(
            REUSED.to_string(),
            files.iter().map(|f| (f.to_string(), 0)).collect(),
        )],
    );
    assert_eq!(all, want, "timeline --all");
    assert_eq!(plain, want, "timeline");
    let found = of_kind(&findings, "conflicting_copies");
    assert_eq!(found.len(), 1, "{findings}");
    let text = found[0]["summary"].as_str().unwrap();
    assert!(
        text.starts_with(&format!(
            "3 different records share eventID {REUSED} (possible tampering)"
        )),
        "{text}"
    );
    assert!(files.iter().all(|f| text.contains(f)), "{text}");

    // The terminal's summary line says so too, as `--all`'s does (it said only "0 duplicates").
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("t.json");
    let run = trailcase([
        "timeline",
        dir.path().to_str().unwrap(),
        "--out",
        json.to_str().unwrap(),
    ]);
    assert!(
        run.stderr
            .contains("0 duplicates dropped, 3 conflicting copies kept, 0 incident(s)"),
        "{}",
        run.stderr
    );
}

/// The ordinary case: one trail file delivered twice is one duplicate in both, no conflict; and
/// beside records reusing an eventID, the reused one's identical copy is a duplicate too.
#[test]
fn identical_copies_in_two_files_are_duplicates_in_both_not_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    evidence(dir.path(), &["ddb-update-table-L33.json"]);
    let again = dir.path().join("ddb-update-table-again.json");
    std::fs::copy(dir.path().join("ddb-update-table-L33.json"), &again).unwrap();
    let (plain, all, findings) = both(dir.path());
    assert_eq!(all, (0, 1, vec![]), "timeline --all");
    assert_eq!(plain, (0, 1, vec![]), "timeline");
    assert!(of_kind(&findings, "conflicting_copies").is_empty());

    evidence(
        dir.path(),
        &["ddb-delete-table-L117.json", "ddb-put-item-L246.json"],
    );
    std::fs::copy(
        dir.path().join("ddb-put-item-L246.json"),
        dir.path().join("ddb-put-item-again.json"),
    )
    .unwrap();
    let (plain, all, _) = both(dir.path());
    assert_eq!(plain, all);
    assert_eq!((plain.0, plain.1), (2, 2), "{plain:?}");
}
