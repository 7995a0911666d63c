//! `trailcase report`: analyse the evidence, state its integrity, build the report document and
//! write the PDF. The clock is read here only: `SOURCE_DATE_EPOCH` when set, else now.

use super::Outcome;
use crate::cli::{PaperArg, ReportArgs};
use crate::report::content::{self, ReportInput, Templates};
use crate::report::{render_pdf, Paper};
use anyhow::{Context, Result};
use integrity::integrity;
use std::io::Write;
use std::path::Path;

mod integrity;

/// `-`: standard output (`--out -`, `--timeline-json -`).
fn is_stdout(path: &Path) -> bool {
    path == Path::new("-")
}

pub fn run(args: ReportArgs, quiet: bool) -> Result<Outcome> {
    use std::io::IsTerminal;
    super::flags::check(&args.evidence)?;
    let pdf_to_stdout = is_stdout(&args.out);
    let json_to_stdout = args.timeline_json.as_deref().is_some_and(is_stdout);
    if pdf_to_stdout && json_to_stdout {
        anyhow::bail!("--out - and --timeline-json - cannot both go to standard output: give one of them a file");
    }
    if pdf_to_stdout && std::io::stdout().is_terminal() {
        anyhow::bail!("--out -: standard output is a terminal; redirect it to a file (`> report.pdf`) or give a file path");
    }
    if !pdf_to_stdout {
        super::flags::check_output(&args.evidence, "--out", &args.out)?;
    }
    if let Some(path) = args.timeline_json.as_deref().filter(|p| !is_stdout(p)) {
        super::flags::check_output(&args.evidence, "--timeline-json", path)?;
    }
    let templates = Templates::load(args.templates.as_deref())?;
    // Verification reads the case on its own: it runs beside the analysis, not after it.
    let (mut analysed, integrity) =
        super::arriving::analyse_evidence(&args.evidence, quiet, integrity)?;
    analysed.timeline.apply_coverage(integrity.coverage.clone());
    analysed.timeline.honeytoken_source = analysed.config.honeytoken_source;
    let (timeline, config) = (&analysed.timeline, &analysed.config);
    let input = ReportInput {
        timeline,
        settings: config.report_settings(),
        generated_unix: generation_time()?,
        command_line: command_line(),
        paper: match args.paper {
            PaperArg::A4 => Paper::A4,
            PaperArg::Letter => Paper::Letter,
        },
        templates: &templates,
        integrity,
    };
    let falls_short = input
        .integrity
        .falls_short
        .then(|| input.integrity.verdict.clone());
    let doc = content::build(&input)?;
    let pdf = render_pdf(&doc)?;
    if pdf_to_stdout {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&pdf)
            .and_then(|()| stdout.flush())
            .context("cannot write the PDF to standard output")?;
    } else {
        std::fs::write(&args.out, &pdf)
            .with_context(|| format!("cannot write {}", args.out.display()))?;
    }
    if let Some(path) = &args.timeline_json {
        let path = (!is_stdout(path)).then(|| path.clone());
        let mut out = super::open_out(&path)?;
        let honeytokens = config.honeytokens_stated();
        let mut doc = crate::export::document(timeline, &config.case, &honeytokens);
        // The report examined the evidence's integrity: its JSON states the report's verdict.
        doc.integrity = crate::export::WireIntegrity::examined(&input.integrity.verdict);
        serde_json::to_writer_pretty(&mut out, &doc)?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    if !quiet {
        // Why the exit code is 1 when there is no gap: the integrity verdict, as `verify` gives it.
        let integrity = falls_short.as_ref().map_or_else(String::new, |verdict| {
            format!(
                "; evidence integrity (exit code 1): {}",
                crate::case::printable::printable(verdict)
            )
        });
        let written = if pdf_to_stdout {
            "the PDF to standard output".to_string()
        } else {
            args.out.display().to_string()
        };
        eprintln!(
            "trailcase: wrote {written} ({} bytes): {} incident(s), {} records read, {} gap(s){integrity}",
            pdf.len(),
            timeline.incidents.len(),
            timeline.records_read,
            timeline.gaps.len()
        );
    }
    Ok(if timeline.is_complete() && falls_short.is_none() {
        Outcome::Complete
    } else {
        Outcome::Incomplete
    })
}

/// `SOURCE_DATE_EPOCH` (reproducible builds' convention) or the current time.
fn generation_time() -> Result<i64> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .with_context(|| format!("SOURCE_DATE_EPOCH={v:?} is not a number of seconds")),
        Err(_) => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)),
    }
}

/// The command line as typed, with the program shown as `trailcase` wherever it was run from,
/// and each output path (`--out`, `-o`, `--timeline-json`) by its file name only: where the
/// report is written is not evidence, and the same inputs and options must give the same PDF
/// bytes whatever the output directory.
fn command_line() -> Vec<String> {
    printable_command_line(std::env::args().collect())
}

fn printable_command_line(mut args: Vec<String>) -> Vec<String> {
    if let Some(first) = args.first_mut() {
        *first = "trailcase".into();
    }
    const OUTPUTS: [&str; 3] = ["--out", "-o", "--timeline-json"];
    let file_name = |p: &str| {
        Path::new(p)
            .file_name()
            .map_or_else(|| p.to_string(), |n| n.to_string_lossy().into_owned())
    };
    let mut next_is_output = false;
    for arg in args.iter_mut().skip(1) {
        if std::mem::take(&mut next_is_output) {
            *arg = file_name(arg);
        } else if OUTPUTS.contains(&arg.as_str()) {
            next_is_output = true;
        } else if let Some((flag, value)) = arg.split_once('=') {
            if OUTPUTS.contains(&flag) {
                *arg = format!("{flag}={}", file_name(value));
            }
        } else if let Some(value) = arg.strip_prefix("-o").filter(|v| !v.is_empty()) {
            *arg = format!("-o{}", file_name(value));
        }
    }
    args
}

#[cfg(test)]
mod tests {
    use super::printable_command_line;

    #[test]
    fn output_paths_are_shown_by_file_name() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            printable_command_line(args(&[
                "/usr/local/bin/trailcase",
                "report",
                "samples/incident-01",
                "--out",
                "/home/ana/cases/r.pdf",
                "--timeline-json=/tmp/x/t.json",
                "-o/tmp/y/r2.pdf",
            ])),
            args(&[
                "trailcase",
                "report",
                "samples/incident-01",
                "--out",
                "r.pdf",
                "--timeline-json=t.json",
                "-or2.pdf",
            ])
        );
    }
}
