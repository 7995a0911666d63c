//! A kill-switch pattern that matches nothing: the sample with `[killswitch] principals` naming
//! no caller in it. The report said the kill-switch's calls were "not in CloudTrail" (they are:
//! the configuration does not name their caller) and the run exited 0. Now the evidence is
//! said to hold no call by a principal matching the pattern, the IAM calls on the actor by
//! another principal after the read are named by eventID as possible containment by an
//! unconfigured principal (never as the kill-switch's), containment is unknown, and the gap
//! makes the exit code 1.

use crate::support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::*;

/// The kill-switch's deny, key deactivation and refused login-profile deletion on svc-reporting.
const CALLS: [&str; 3] = [
    "91229c3a-309d-46cd-b37b-0d4ff185f9f9",
    "431b89ec-1677-42be-b50a-2509c66de27e",
    "4b7fe252-7277-46fe-9eca-ec9bbd6666cc",
];

/// The sample with its trailcase.toml naming `pattern` as the kill-switch's principal.
fn sample_with_killswitch(dir: &Path, pattern: &str) -> PathBuf {
    let case = sample_to_alter(dir);
    let toml = case.join("trailcase.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str(&format!("\n[killswitch]\nprincipals = [\"{pattern}\"]\n"));
    std::fs::write(&toml, text).unwrap();
    case
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn a_pattern_that_matches_nothing_is_a_gap_and_names_possible_containment() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_with_killswitch(dir.path(), "*NoSuchKillSwitch*");
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(
        run.code, 1,
        "the containment could not be examined: {}",
        run.stderr
    );
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());

    let gaps: Vec<&Value> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "killswitch_unmatched")
        .collect();
    assert_eq!(gaps.len(), 1, "{:#}", doc["gaps"]);
    assert!(
        gaps[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("The evidence has no call at all by a principal matching *NoSuchKillSwitch* (the configured kill-switch)"),
        "{:#}",
        gaps[0]
    );

    let found = of_kind(&doc["findings"], "killswitch_unmatched");
    assert_eq!(found.len(), 1, "{:#}", doc["findings"]);
    assert_eq!(found[0]["severity"], "high");
    let cited = strings(&found[0]["event_ids"]);
    for id in CALLS {
        assert!(cited.contains(&id), "{id} cited: {cited:?}");
    }

    let inc = &doc["incidents"][0];
    let unknowns = strings(&inc["unknowns"]);
    let possible = unknowns
        .iter()
        .find(|u| u.starts_with("containment: unknown: the evidence has no call at all by a principal matching *NoSuchKillSwitch*"))
        .unwrap_or_else(|| panic!("{unknowns:#?}"));
    assert!(
        possible.contains("3 call(s) in it look like containment of the actor by a principal the configuration does not name (possible containment, not shown to be the kill-switch's): iam:PutUserPolicy (deny-all policy attached) on svc-reporting by arn:aws:sts::123456789012:assumed-role/HoneytokenKillSwitchRole/HoneytokenKillSwitch at 2026-11-20T14:02:46Z, success (eventID 91229c3a-309d-46cd-b37b-0d4ff185f9f9)"),
        "{possible}"
    );
    // Containment measures: unknown, not timed from calls nobody configured.
    assert_eq!(inc["milestones"]["containment_complete"], Value::Null);
    assert_eq!(inc["latency_seconds"]["contain"], Value::Null);
    assert_ne!(inc["containment_status"], "contained");

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    for wrong in [
        "no such call by the kill-switch in CloudTrail",
        "No kill-switch call on this actor is in the evidence",
    ] {
        assert!(!text.contains(wrong), "{wrong}: {text}");
    }
    for said in [
        "reported done; CloudTrail has no such call by a principal matching *NoSuchKillSwitch* (the evidence has no call by a principal matching *NoSuchKillSwitch* at all: the configuration may not name the kill-switch's caller",
        "No call on this actor by a principal matching *NoSuchKillSwitch* is in the evidence",
        "possible containment, not shown to be the kill-switch's",
        "trailcase.toml [killswitch] principals",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
}

#[test]
fn timeline_all_names_the_same_gap() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_with_killswitch(dir.path(), "*NoSuchKillSwitch*");
    let run = trailcase([
        "timeline",
        "--quiet",
        "--all",
        "--format",
        "json",
        case.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline-all.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
    let summary = &doc["summary"];
    assert!(
        summary["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["kind"] == "killswitch_unmatched"),
        "{:#}",
        summary["gaps"]
    );
    assert_eq!(
        of_kind(&summary["findings"], "killswitch_unmatched").len(),
        1
    );
}

#[test]
fn a_pattern_that_names_the_caller_is_no_gap() {
    // The same case with the pattern that names the kill-switch's role: no such gap or finding,
    // and the run is complete.
    let dir = tempfile::tempdir().unwrap();
    let case = sample_with_killswitch(dir.path(), "*HoneytokenKillSwitchRole*");
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert!(of_kind(&doc["findings"], "killswitch_unmatched").is_empty());
    assert_eq!(
        doc["incidents"][0]["containment_status"],
        "partially_contained"
    );
}
