//! `TRAILCASE_PHASES=1` (docs/performance.md): `timeline` names on stderr when each phase of the
//! run ended, and its output and exit code are the ones of a run without it.

use crate::support;
use support::*;

#[test]
fn phase_marks_go_to_stderr_and_change_no_output() {
    let args = ["timeline", "--quiet", "samples/incident-01"];
    let plain = trailcase(args);
    let marked = trailcase_env(args, &[("TRAILCASE_PHASES", "1")]);
    assert_eq!(marked.code, plain.code);
    assert_eq!(marked.stdout, plain.stdout);
    assert!(
        !plain.stderr.contains("trailcase: phase"),
        "{}",
        plain.stderr
    );
    for phase in [
        "discovery",
        "pre-pass",
        "first pass",
        "second pass",
        "correlation",
        "coverage (beside the analysis)",
        "the document",
        "written",
    ] {
        assert!(
            marked
                .stderr
                .lines()
                .any(|l| l.starts_with("trailcase: phase") && l.ends_with(phase)),
            "no mark for {phase}: {}",
            marked.stderr
        );
    }
}

#[test]
fn all_marks_its_own_phases_and_changes_no_output() {
    let args = [
        "timeline",
        "--quiet",
        "--all",
        "--format",
        "jsonl",
        "samples/incident-01",
    ];
    let plain = trailcase(args);
    let marked = trailcase_env(args, &[("TRAILCASE_PHASES", "1")]);
    assert_eq!(marked.code, plain.code);
    assert_eq!(marked.stdout, plain.stdout);
    for phase in [
        "--all: pre-pass",
        "--all: pass",
        "--all: merge",
        "--all: tail",
    ] {
        assert!(
            marked
                .stderr
                .lines()
                .any(|l| l.starts_with("trailcase: phase")
                    && l.contains(" CPU ")
                    && l.ends_with(phase)),
            "no mark for {phase}: {}",
            marked.stderr
        );
    }
}
