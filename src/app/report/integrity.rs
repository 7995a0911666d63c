//! The report's integrity statement: one verdict from the offline verification of every input
//! directory that is a case (manifest or CloudTrail digests), the diagram's validation label from
//! the same verification, the per-file problems grouped, and the chain of custody the
//! acquisition manifests recorded for each input. Inputs outside any case (a file or folder given
//! beside a case) are covered by no digest and no manifest: each holding records is named, and the
//! verdict is "partly verified" at best, as `verify CASE INPUT...` states it.

use crate::case::integrity::text::render_text;
use crate::case::integrity::{coverage_of_root, is_case_dir, outside_record_files, trail_coverage};
use crate::case::manifest::{Manifest, MANIFEST_FILE};
use crate::case::{verify_case, IntegrityOptions, IntegrityReport, VerdictStatus};
use crate::report::content::{Custody, IntegrityStatement, ProblemGroup};
use crate::scan::ReadsRecords;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(super) fn integrity(inputs: &[PathBuf]) -> IntegrityStatement {
    let mut st = IntegrityStatement::default();
    let cases: Vec<&PathBuf> = inputs.iter().filter(|p| is_case_dir(p)).collect();
    // Inputs outside every case (a path inside a case is that case's verification's to judge).
    let outside: Vec<PathBuf> = inputs
        .iter()
        .filter(|p| !cases.iter().any(|c| p.starts_with(c)))
        .cloned()
        .collect();
    for dir in &cases {
        custody(dir, &mut st);
    }
    let mut statuses = Vec::new();
    let mut lines = Vec::new();
    let mut coverage = Vec::new();
    let mut test_key = false;
    for dir in &cases {
        let verified = verify_case(dir, &IntegrityOptions::default(), &ReadsRecords);
        if dir.join("cloudtrail").is_dir() {
            coverage.push((
                dir.display().to_string(),
                verified
                    .as_ref()
                    .map(|r| r.coverage.clone())
                    .map_err(|e| e.to_string()),
            ));
        }
        match verified {
            Ok(r) => {
                statuses.push(Some(r.verdict.status));
                test_key |= r.digests.summary.digests_verified_with_sample_test_key > 0;
                st.log_files += r.counts.log_files;
                st.log_files_verified += r.counts.log_files_verified;
                lines.push(format!("{}: {}", dir.display(), r.verdict.line));
                st.details.push((
                    format!("{}: log files", dir.display()),
                    format!(
                        "{} of {} verified by a CloudTrail digest",
                        r.counts.log_files_verified, r.counts.log_files
                    ),
                ));
                st.details.push((
                    format!("{}: problems", dir.display()),
                    format!(
                        "{} in {} file(s) checked",
                        r.counts.problems, r.counts.files
                    ),
                ));
                // The inputs list shows paths as the walk built them: the argument joined with
                // the path inside the case.
                st.verified_inputs.extend(
                    r.verified_files()
                        .iter()
                        .map(|f| dir.join(f).display().to_string()),
                );
                st.unverified_record_inputs.extend(
                    r.unverified_record_files
                        .iter()
                        .map(|f| dir.join(f).display().to_string()),
                );
                st.problem_groups
                    .extend(group_problems(&dir.display().to_string(), &r));
                st.reports.push(render_text(&r));
            }
            Err(e) => {
                statuses.push(None);
                lines.push(format!("{}: could not be verified: {e}", dir.display()));
            }
        }
    }
    // A folder holding a synced trail bucket (`AWSLogs/` at its top) is no case, but its keys
    // say which hours should hold a trail file just the same.
    for dir in inputs.iter().filter(|d| !d.join("cloudtrail").is_dir()) {
        if let Some(c) = coverage_of_root(dir) {
            coverage.push((dir.display().to_string(), c));
        }
    }
    st.coverage = trail_coverage(&coverage);
    let cases_verified = statuses.iter().all(|s| *s == Some(VerdictStatus::Verified));
    if !lines.is_empty() {
        outside_inputs(&outside, &mut statuses, &mut lines, &mut st);
    }
    if lines.is_empty() {
        st.verdict = "not verifiable: the evidence carries no acquisition manifest and no CloudTrail digest files, so nothing proves the logs complete and unaltered; the SHA-256 of every input, taken when this report was made, is recorded in the appendix so that later copies can be checked against this report.".into();
        st.validation = "not verifiable (no digest in the evidence)".into();
        // Nothing proves the evidence: `verify` exits 1 on "not verifiable", and so does the report.
        st.falls_short = true;
        return st;
    }
    let verified_all = statuses.iter().all(|s| *s == Some(VerdictStatus::Verified));
    st.verified = verified_all;
    // Anything short of "verified" in every case is what `verify` exits 1 on.
    st.falls_short = !verified_all;
    st.validation = validation_label(&statuses).into();
    st.sample_test_key = test_key;
    if test_key {
        // The sample's digests are signed with its own test key: the label must not read as AWS's proof.
        st.validation.push_str(" (sample's TEST key, not AWS's)");
    }
    // Each line holds its own parentheses (`verified (10 digest(s) signed with …)`): said after
    // the verdict, not inside parentheses of its own.
    st.verdict = if verified_all {
        format!("verified offline. {}", lines.join("; "))
    } else if cases_verified {
        // Every case verified: the inputs outside them are what falls short.
        format!("partly verified. {}", lines.join("; "))
    } else {
        lines.join("; ")
    };
    st
}

/// The files of the inputs outside every case that hold records: no digest or manifest covers
/// them, so they make the verdict "partly verified" at best, each named in the report.
fn outside_inputs(
    outside: &[PathBuf],
    statuses: &mut Vec<Option<VerdictStatus>>,
    lines: &mut Vec<String>,
    st: &mut IntegrityStatement,
) {
    match outside_record_files(outside, &ReadsRecords) {
        Ok(files) if files.is_empty() => {}
        Ok(files) => {
            statuses.push(Some(VerdictStatus::PartlyVerified));
            lines.push(format!(
                "outside any case: {} file(s) holding records no CloudTrail digest or manifest covers ({})",
                files.len(),
                crate::case::integrity::records::first_few(&files)
            ));
            st.unverified_record_inputs.extend(files);
        }
        Err(e) => {
            statuses.push(None);
            lines.push(format!("outside any case: could not be listed: {e}"));
        }
    }
}

/// The diagram's label: the weakest verdict of the cases checked.
fn validation_label(statuses: &[Option<VerdictStatus>]) -> &'static str {
    if statuses.contains(&None) {
        "could not be verified"
    } else if statuses.contains(&Some(VerdictStatus::ProblemsFound)) {
        "problems found (see Integrity)"
    } else if statuses.contains(&Some(VerdictStatus::NotVerifiable)) {
        "not verifiable (no digest verified)"
    } else if statuses.contains(&Some(VerdictStatus::PartlyVerified)) {
        "partly verified (see Integrity)"
    } else {
        "digests verified"
    }
}

/// The problems of one case, grouped by check, kind and detail, in a stable order.
fn group_problems(case: &str, r: &IntegrityReport) -> Vec<ProblemGroup> {
    let mut groups: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for p in &r.problems {
        let kind = format!("{} {}", crate::model::wire_name(p.check), p.kind.name());
        groups
            .entry((kind, p.detail.clone()))
            .or_default()
            .push(&p.subject);
    }
    groups
        .into_iter()
        .map(|((kind, detail), files)| ProblemGroup {
            case: case.to_string(),
            files: files.len(),
            kind,
            detail,
            only: (files.len() == 1).then(|| files[0].to_string()),
        })
        .collect()
}

/// What the case's manifest recorded of each file's acquisition; a manifest that cannot be read
/// adds nothing here (its inputs are then hashed at analysis time only, and the verification
/// says why).
fn custody(dir: &Path, st: &mut IntegrityStatement) {
    let path = dir.join(MANIFEST_FILE);
    if !path.is_file() {
        return;
    }
    let Ok(m) = Manifest::load(&path) else {
        return;
    };
    // The bundled sample's manifest is written by its generator, not by an acquisition.
    let synthetic = m.tool_version.starts_with("trailcase-samplegen");
    let collector = m.collector.as_ref().map_or_else(
        || {
            if synthetic {
                "no one: trailcase-samplegen generated this synthetic sample".to_string()
            } else {
                "an identity the manifest does not record (written before trailcase recorded it)"
                    .to_string()
            }
        },
        |c| c.identity(),
    );
    let window = m
        .window
        .as_ref()
        .map(|w| format!("; window {} to {}", w.from, w.to))
        .unwrap_or_default();
    st.acquisitions.push((
        format!("{} (manifest.json)", dir.display()),
        if synthetic {
            format!(
                "written by {} for a synthetic sample (not acquired from AWS), dated {}; {} file(s) listed",
                m.tool_version,
                m.created,
                m.entries.len()
            )
        } else {
            format!(
                "acquired by {collector} with trailcase {}, started {}{window}; {} file(s) listed, {} acquisition gap(s)",
                m.tool_version,
                m.created,
                m.entries.len(),
                m.gaps.len()
            )
        },
    ));
    for e in &m.entries {
        st.custody.insert(
            dir.join(&e.path).display().to_string(),
            Custody {
                sha256: e.sha256.clone(),
                acquired_at: e.acquired_at.clone(),
                source: e.source.clone(),
                collector: collector.clone(),
                collector_recorded: m.collector.is_some(),
                tool_version: m.tool_version.clone(),
            },
        );
    }
}
