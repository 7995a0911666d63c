//! `trailcase verify CASE [INPUT...]`: check a case offline (and name the inputs outside it,
//! which nothing covers) and print the integrity report as text or JSON.
//!
//! Wiring only: the checks are `case::verify_case`, the text is `case::integrity::text`.

use std::io::Write as _;

use anyhow::{Context, Result};

use super::Outcome;
use crate::case::attested::{self, check_report};
use crate::case::integrity::text::render_text;
use crate::case::integrity::{is_case_dir, outside_inputs};
use crate::case::printable::printable;
use crate::case::{verify_case, IntegrityOptions, VerdictStatus};
use crate::cli::{ReportFormatArg, VerifyArgs};
use crate::scan::ReadsRecords;

pub fn run(args: VerifyArgs, quiet: bool) -> Result<Outcome> {
    if let Some(report) = &args.report {
        return run_report(report, &args, quiet);
    }
    let options = IntegrityOptions {
        from: args.from,
        to: args.to,
    };
    if let Some(case) = args.inputs.iter().find(|p| is_case_dir(p)) {
        anyhow::bail!(
            "{} is a case too: verify checks one case, and the files or folders given after it are outside any case; verify each case on its own (`trailcase verify {}`)",
            case.display(),
            case.display()
        );
    }
    let mut report = verify_case(&args.case, &options, &ReadsRecords)
        .with_context(|| format!("cannot verify {}", args.case.display()))?;
    // A path inside the case is the case's own file, verified (or named) as such.
    let outside: Vec<_> = args
        .inputs
        .iter()
        .filter(|p| !p.starts_with(&args.case))
        .cloned()
        .collect();
    for input in &outside {
        if !input.exists() {
            anyhow::bail!("{} does not exist", input.display());
        }
    }
    let outside = outside_inputs(&outside, &ReadsRecords)
        .context("cannot list the inputs outside the case")?;
    report.add_outside_files(outside.files);
    // A link out of a folder given beside the case is named, as `timeline` names it: not read.
    report.add_outside_not_read(outside.not_read);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ReportFormatArg::Text => out.write_all(render_text(&report).as_bytes())?,
        ReportFormatArg::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    if !quiet && args.format == ReportFormatArg::Json {
        eprintln!("trailcase: {}", printable(&report.verdict.line));
    }
    Ok(match report.verdict.status {
        VerdictStatus::Verified => Outcome::Complete,
        VerdictStatus::PartlyVerified
        | VerdictStatus::ProblemsFound
        | VerdictStatus::NotVerifiable => Outcome::Incomplete,
    })
}

/// `verify --report`: the evidence against what a report attests.
fn run_report(report: &std::path::Path, args: &VerifyArgs, quiet: bool) -> Result<Outcome> {
    let checked = check_report(report, &args.case).with_context(|| {
        format!(
            "cannot check {} against {}",
            args.case.display(),
            report.display()
        )
    })?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ReportFormatArg::Text => out.write_all(attested::render_text(&checked).as_bytes())?,
        ReportFormatArg::Json => {
            serde_json::to_writer_pretty(&mut out, &checked)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    if !quiet && args.format == ReportFormatArg::Json {
        eprintln!("trailcase: {}", printable(&checked.line));
    }
    Ok(if checked.verified {
        Outcome::Complete
    } else {
        Outcome::Incomplete
    })
}
