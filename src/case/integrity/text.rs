//! The integrity report as text for a terminal: verdict first, then counts, problems, notes and the
//! coverage table. Pure: report in, string out; the same report always gives the same text.

use std::fmt::Write as _;

use super::{CheckStatus, IntegrityReport, Issue};
use crate::case::printable::printable as p;

fn status(s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Checked => "checked",
        CheckStatus::NotApplicable => "not applicable",
        CheckStatus::Failed => "failed",
    }
}

fn issues(out: &mut String, title: &str, list: &[Issue]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({}):", list.len());
    let mut subject = None;
    for i in list {
        if subject != Some(&i.subject) {
            let _ = writeln!(out, "  {}", p(&i.subject));
            subject = Some(&i.subject);
        }
        let check = match i.check {
            super::Check::Manifest => "manifest",
            super::Check::Digest => "digest",
            super::Check::Coverage => "coverage",
            super::Check::Files => "files",
        };
        let _ = writeln!(out, "    {check} {}: {}", i.kind.name(), p(&i.detail));
    }
}

/// Render the report for a terminal.
pub fn render_text(r: &IntegrityReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "verdict: {}", p(&r.verdict.line));
    let _ = writeln!(out, "case: {}", p(&r.case));

    let m = &r.manifest;
    let manifest = match m.status {
        CheckStatus::Checked => format!(
            "checked: {} of {} entries match (size and SHA-256); {} missing, {} changed, {} file(s) not listed, {} acquisition gap(s)",
            m.entries_verified, m.entries, m.files_missing, m.files_mismatched, m.files_unlisted, m.acquisition_gaps
        ),
        s => format!("{}: {}", status(s), p(m.reason.as_deref().unwrap_or(""))),
    };
    let _ = writeln!(out, "manifest: {manifest}");

    let d = &r.digests;
    let s = &d.summary;
    let digests = match d.status {
        CheckStatus::Checked => format!(
            "checked: {} of {} digest(s) verified ({} empty), {} failed, {} unverifiable, {} missing from the chain(s); {} chain(s)",
            s.digests_verified, s.digests, s.digests_empty, s.digests_failed, s.digests_unverified, s.digests_missing, d.chains.len()
        ),
        st => format!("{}: {}", status(st), p(d.reason.as_deref().unwrap_or(""))),
    };
    let backfill = if s.backfill_digests > 0 && d.status == CheckStatus::Checked {
        format!(" ({} backfill digest(s) among them)", s.backfill_digests)
    } else {
        String::new()
    };
    let test_key = match s.digests_verified_with_sample_test_key {
        0 => String::new(),
        n => format!("; {n} of them {}", crate::case::SAMPLE_TEST_KEY_NOTE),
    };
    // The sample's test key is named as such above.
    let keys = s.keys_not_examined();
    let keys = if keys.is_empty() {
        String::new()
    } else {
        format!(
            "; verified with the public key(s) {} (from the case's public-keys.json, not examined offline as AWS's)",
            keys.join(", ")
        )
    };
    let _ = writeln!(out, "digests: {digests}{backfill}{test_key}{keys}");
    let _ = writeln!(
        out,
        "log files: {} of {} verified by a digest; {} missing, {} modified, {} in no digest",
        r.counts.log_files_verified,
        r.counts.log_files,
        s.log_files_missing,
        s.log_files_modified,
        s.log_files_unlisted
    );
    if !r.unverified_record_files.is_empty() {
        let _ = writeln!(
            out,
            "records not verified: {} file(s) hold records (read by timeline and report) that no digest verified; listed below",
            r.unverified_record_files.len()
        );
    }
    if s.log_files_outside_selection > 0 {
        let _ = writeln!(
            out,
            "outside the selection: {} log file(s) the digests list were not fetched on purpose (the Athena search found no evidence in them; athena/selection.json): neither missing nor verified",
            s.log_files_outside_selection
        );
    }
    let c = &r.coverage;
    match &c.window {
        Some(w) => {
            let t = &c.totals;
            let _ = writeln!(
                out,
                "coverage: {} to {} ({} hour(s), window from {}), {} region(s): {} region-hour(s) verified, {} verified with no activity, {} unverified logs, {} log files missing, {} LookupEvents only, {} nothing",
                w.from, w.to, w.hours, w.source, c.regions.len(), t.verified, t.verified_no_activity, t.unverified_logs, t.log_files_missing, t.lookup_events_only, t.nothing
            );
        }
        None => {
            let _ = writeln!(
                out,
                "coverage: no window (no log file at a key CloudTrail delivers to, AWSLogs/<account>/CloudTrail/<region>/..., and no LookupEvents record in the case; records read from files of other names do not set it; give --from/--to)"
            );
        }
    }
    let _ = writeln!(
        out,
        "files: {}; problems: {}; notes: {}",
        r.counts.files, r.counts.problems, r.counts.notes
    );

    issues(&mut out, "problems", &r.problems);
    issues(&mut out, "notes", &r.notes);
    if !r.unverified_record_files.is_empty() {
        let _ = writeln!(
            out,
            "\nfiles holding records no digest verified ({}): their records are read, not verified",
            r.unverified_record_files.len()
        );
        for f in &r.unverified_record_files {
            let _ = writeln!(out, "  {}", p(f));
        }
    }

    if !c.regions.is_empty() {
        let width = c
            .regions
            .iter()
            .map(|r| label(r).len())
            .max()
            .unwrap_or(0)
            .max("ACCOUNT REGION".len());
        let _ = writeln!(out, "\ncoverage by region and hour:");
        let _ = writeln!(
            out,
            "  {:width$}  {:20}  {:20}  {:>5}  COVERED BY",
            "ACCOUNT REGION", "FROM", "TO", "HOURS"
        );
        for region in &c.regions {
            for run in &region.runs {
                let _ = writeln!(
                    out,
                    "  {:width$}  {:20}  {:20}  {:>5}  {}",
                    p(&label(region)),
                    run.from,
                    run.to,
                    run.hours,
                    run.coverage.describe()
                );
            }
        }
    }
    out
}

/// A coverage row's account and region (the region alone for LookupEvents-only rows).
fn label(r: &super::RegionCoverage) -> String {
    if r.account.is_empty() {
        r.region.clone()
    } else {
        format!("{} {}", r.account, r.region)
    }
}
