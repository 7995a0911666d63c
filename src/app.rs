//! Composition root: turns arguments into the run configuration (`settings`), runs the
//! analysis stage (`crate::analyse`), writes outputs, shows progress on stderr. The only place that touches the environment and output files.

use crate::cli::{Cli, Command, FormatArg, TimelineArgs};
use crate::export::terminal_safe::TerminalSafe;
use crate::export::{self, Format};
use crate::model::Gap;
use crate::source::{discover, Discovered};
use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

mod arriving;
mod athena;
mod collect;
pub use collect::Interrupted;
mod flags;
mod gated;
mod posture;
mod report;
mod rules;
mod settings;
pub(crate) use settings::EvidenceSpec;
mod verify;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Complete,
    /// Completed, but some evidence could not be read (exit code 1).
    Incomplete,
    /// `rules test` / `rules replay`: the pattern matched nothing (exit code 1).
    NoMatch,
    /// `collect` stopped by Ctrl-C: what it stored is complete and in the manifest, and the
    /// same command resumes it (exit code 130, as a shell reports SIGINT).
    Interrupted,
}

pub fn run(cli: Cli) -> Result<Outcome> {
    // Where the wall time goes, on stderr at the end (docs/performance.md): measuring only.
    let phases = std::env::var_os("TRAILCASE_PHASES").is_some_and(|v| v == "1");
    if phases {
        crate::phases::enable();
    }
    let outcome = run_command(cli);
    if phases {
        for m in crate::phases::marks() {
            eprintln!(
                "trailcase: phase {:>8.1} ms {:>8.1} ms  CPU {:>6.2} s  {}",
                m.at.as_secs_f64() * 1e3,
                m.wall.as_secs_f64() * 1e3,
                m.cpu,
                m.what
            );
        }
    }
    outcome
}

fn run_command(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Timeline(args) => timeline(args, cli.quiet),
        Command::Verify(args) => verify::run(args, cli.quiet),
        Command::Report(args) => report::run(args, cli.quiet),
        Command::Rules(command) => rules::run(command, cli.quiet),
        Command::Collect(args) => collect::collect(args, cli.quiet),
        Command::Posture(args) => posture::run(args),
        Command::Athena(command) => athena::run(command),
    }
}

/// The timeline format of `f`; `None` for the indicators list, which is no timeline.
pub fn format_of(f: FormatArg) -> Option<Format> {
    Some(match f {
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
        FormatArg::Timesketch => Format::Timesketch,
        FormatArg::Iocs => return None,
    })
}

/// Progress on stderr: shown only on a terminal and without `--quiet`.
pub struct Progress {
    enabled: bool,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    pub fn new(quiet: bool, total: usize) -> Self {
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
            total,
            done: AtomicUsize::new(0),
        }
    }
    pub fn tick(&self, n: usize) {
        let before = self.done.fetch_add(n, Ordering::Relaxed);
        if self.enabled {
            if let Some(line) = self.line(before, before + n) {
                eprint!("{line}");
            }
        }
    }

    /// What a tick from `before` to `done` files read shows, if anything: the count every 64
    /// files, and the total once, ending the line. Never a count past the total: an analysis
    /// that starts again (a file discovery took for plain gzip turns out to be an archive, and
    /// the inputs are listed again) reads files a second time, and the user has seen them all.
    fn line(&self, before: usize, done: usize) -> Option<String> {
        let total = self.total;
        if before >= total {
            return None;
        }
        let shown = done.min(total);
        if shown == total {
            Some(format!("\rreading evidence: {total}/{total} files\n"))
        } else {
            shown
                .is_multiple_of(64)
                .then(|| format!("\rreading evidence: {shown}/{total} files"))
        }
    }
}

pub(crate) fn open_out(path: &Option<std::path::PathBuf>) -> Result<Box<dyn Write>> {
    let sink: Box<dyn Write> = match path {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    // Buffered before the escaping too: serde_json writes a token at a time, and each write
    // through `TerminalSafe` starts a search of its own (the escaping does not depend on where
    // the writes are cut).
    Ok(Box::new(std::io::BufWriter::with_capacity(
        1 << 16,
        TerminalSafe::new(std::io::BufWriter::new(sink)),
    )))
}

/// [`open_out`] for a stream of every record: written by a thread of its own, a MiB at a time.
fn open_out_behind(path: &Option<std::path::PathBuf>) -> Result<crate::write_behind::WriteBehind> {
    let sink: Box<dyn Write + Send> = match path {
        Some(p) => Box::new(TerminalSafe::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(TerminalSafe::new(std::io::stdout())),
    };
    Ok(crate::write_behind::WriteBehind::new(sink, 1 << 20))
}

/// The evidence of a command: its local inputs, and what `s3://` inputs or `--lookup` acquired
/// into a case (kept alive by the returned value until the analysis is done).
pub(crate) fn gather(
    evidence: &EvidenceSpec,
    quiet: bool,
) -> Result<(Discovered, Option<collect::AcquiredCase>)> {
    let (mut inputs, acquired) = collect::acquire_for_analysis(evidence, quiet)?;
    inputs.extend(acquired.iter().map(|c| c.path.clone()));
    let discovered = arriving::finish_discovery(discover(&inputs)?, &inputs, acquired.as_ref());
    Ok((discovered, acquired))
}

fn timeline(mut args: TimelineArgs, quiet: bool) -> Result<Outcome> {
    flags::check(&args.evidence)?;
    // `--out -` is standard output, as for most tools (it wrote a file named "-").
    if args.out.as_deref() == Some(std::path::Path::new("-")) {
        args.out = None;
    }
    if let Some(out) = &args.out {
        flags::check_output(&args.evidence, "--out", out)?;
    }
    let format = format_of(args.format);
    if args.all {
        let Some(format) = format else {
            anyhow::bail!(
                "--format iocs lists the indicators of the incidents; it cannot apply with --all"
            );
        };
        let evidence = EvidenceSpec::from(&args.evidence);
        let (discovered, _acquired) = gather(&evidence, quiet)?;
        let config = evidence.config.load(&discovered)?;
        let progress = Progress::new(quiet, discovered.files.len());
        let mut out = open_out_behind(&args.out)?;
        let streamed = crate::analyse::all::stream(
            &discovered,
            &config.analysis_settings(),
            format,
            &mut out,
            &|n| progress.tick(n),
        )?;
        out.flush()?;
        if !quiet {
            eprintln!(
                "trailcase: {} inputs, {} records read, {} rejected, {} duplicates dropped, {} conflicting copies kept, {} incident(s){INTEGRITY_NOT_EXAMINED}",
                streamed.inputs,
                streamed.records_read,
                streamed.records_rejected,
                streamed.duplicates_dropped,
                streamed.conflicting_copies,
                streamed.incidents
            );
        }
        findings_not_in_rows(
            quiet,
            format,
            &streamed.findings,
            "`summary.findings` and `summary.incidents`, `timeline` (without --all) under `findings` and `incidents`",
        );
        report_gaps(quiet, &streamed.gaps);
        return Ok(if streamed.gaps.is_empty() {
            Outcome::Complete
        } else {
            Outcome::Incomplete
        });
    }
    // Coverage by region-hour reads the cases on its own: beside the analysis, not after it.
    let (mut analysed, coverage) = arriving::analyse_evidence(&args.evidence, quiet, |roots| {
        let coverage = crate::case::integrity::trail_coverage_of(roots);
        crate::phases::mark("coverage (beside the analysis)");
        coverage
    })?;
    analysed.timeline.apply_coverage(coverage);
    analysed.timeline.honeytoken_source = analysed.config.honeytoken_source;
    let (t, config) = (&analysed.timeline, &analysed.config);
    let mut out = open_out(&args.out)?;
    let honeytokens = config.honeytokens_stated();
    let doc = export::document(t, &config.case, &honeytokens);
    crate::phases::mark("the document");
    match format {
        None => out.write_all(&export::iocs::csv(t))?,
        Some(Format::Json) => {
            serde_json::to_writer_pretty(&mut out, &doc)?;
            out.write_all(b"\n")?;
        }
        Some(format) => {
            export::write_rows_header(&mut out, format)?;
            for (i, row) in doc.timeline.iter().enumerate() {
                export::write_row(&mut out, format, row, i == 0)?;
            }
            export::write_gap_rows(&mut out, format, &t.gaps)?;
        }
    }
    out.flush()?;
    crate::phases::mark("written");
    if let Some(format) = format {
        let findings: Vec<crate::model::Finding> = t
            .findings
            .iter()
            .chain(t.incidents.iter().flat_map(|i| &i.findings))
            .cloned()
            .collect();
        findings_not_in_rows(
            quiet,
            format,
            &findings,
            "`findings` (the case's) and `incidents` (each incident's)",
        );
    }
    if !quiet {
        eprintln!(
            "trailcase: {} inputs, {} records read, {} rejected, {}, {} incident(s), {} timeline rows{INTEGRITY_NOT_EXAMINED}",
            t.inputs.len(),
            t.records_read,
            t.records_rejected,
            copies_line(t),
            t.incidents.len(),
            t.entries.len()
        );
    }
    report_gaps(quiet, &t.gaps);
    Ok(if t.is_complete() {
        Outcome::Complete
    } else {
        Outcome::Incomplete
    })
}

/// The copies in `timeline`'s summary line: exact when the count over every record read is
/// complete, otherwise "at least", with which count and where the gap says why.
fn copies_line(t: &crate::model::Timeline) -> String {
    use crate::model::CopiesCounted;
    let (d, c) = (t.duplicates_dropped, t.conflicting_copies);
    let short = match t.copy_count {
        CopiesCounted::Complete => {
            return format!("{d} duplicates dropped, {c} conflicting copies kept");
        }
        CopiesCounted::Partial => "some records could not be read again to compare",
        CopiesCounted::KeptRowsOnly => {
            "the count over every record read failed, only the kept records' copies are counted"
        }
    };
    format!(
        "at least {d} duplicates dropped, at least {c} conflicting copies kept (copy count incomplete: {short}; see the copy_count_incomplete gap)"
    )
}

/// The end of `timeline`'s summary line: it states no integrity verdict, and its exit code
/// says nothing of one (the JSON's `integrity` says the same).
const INTEGRITY_NOT_EXAMINED: &str =
    "; evidence integrity not examined (run `trailcase verify CASE` for a verdict)";

/// Say on stderr, unless `--quiet`, that the row formats (CSV, JSON lines, Timesketch) of
/// `timeline` and `--all` carry none of the findings: how many there are, of which kinds, and
/// where `--format json` has them (`json_keys`).
fn findings_not_in_rows(
    quiet: bool,
    format: Format,
    findings: &[crate::model::Finding],
    json_keys: &str,
) {
    if quiet || format == Format::Json || findings.is_empty() {
        return;
    }
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    for f in findings {
        *kinds.entry(crate::model::wire_name(f.kind)).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ({n})")).collect();
    eprintln!(
        "trailcase: {} finding(s), not in these rows (the row formats carry none): {}; `--format json` has them under {json_keys}",
        findings.len(),
        kinds.join(", ")
    );
}

/// Gaps listed on stderr (besides the output, where every format carries them): at most this many.
const GAPS_ON_STDERR: usize = 20;

/// Name the gaps on stderr, unless `--quiet`: a user who exports CSV to a spreadsheet still sees
/// that the evidence is incomplete, and why.
fn report_gaps(quiet: bool, gaps: &[Gap]) {
    if gaps.is_empty() || quiet {
        return;
    }
    eprintln!(
        "trailcase: the evidence is incomplete: {} gap(s), each also in the output (exit code 1):",
        gaps.len()
    );
    for g in gaps.iter().take(GAPS_ON_STDERR) {
        eprintln!("  {}", crate::case::printable::printable(&gap_line(g)));
    }
    if gaps.len() > GAPS_ON_STDERR {
        eprintln!("  ... and {} more", gaps.len() - GAPS_ON_STDERR);
    }
}

/// One gap as a line: `path[ record N]: kind: reason`.
fn gap_line(g: &Gap) -> String {
    let at = g.index.map(|i| format!(" record {i}")).unwrap_or_default();
    let kind = crate::model::wire_name(g.kind);
    format!("{}{at}: {kind}: {}", g.path, g.reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CopiesCounted, Timeline};

    /// A run that starts again reads files a second time: the count shown stops at the total,
    /// which is shown once, and a tick past it shows nothing.
    #[test]
    fn the_progress_count_never_passes_the_total() {
        let p = Progress::new(true, 100);
        let mut shown = Vec::new();
        let mut done = 0;
        // The first pass, then the same files read again after a restart.
        for n in std::iter::repeat_n(1, 100).chain(std::iter::repeat_n(3, 60)) {
            shown.extend(p.line(done, done + n));
            done += n;
        }
        assert_eq!(
            shown,
            [
                "\rreading evidence: 64/100 files",
                "\rreading evidence: 100/100 files\n"
            ]
        );
        // A tick that crosses the total shows the total, not its own count.
        assert_eq!(
            p.line(98, 103).as_deref(),
            Some("\rreading evidence: 100/100 files\n")
        );
    }

    /// The summary line states the copies as exact only when the count compared every record;
    /// otherwise "at least", and where the gap is.
    #[test]
    fn the_summary_line_says_at_least_when_the_copy_count_is_incomplete() {
        let mut t = Timeline {
            duplicates_dropped: 3,
            conflicting_copies: 2,
            ..Default::default()
        };
        assert_eq!(
            copies_line(&t),
            "3 duplicates dropped, 2 conflicting copies kept"
        );
        t.copy_count = CopiesCounted::KeptRowsOnly;
        let line = copies_line(&t);
        assert!(line.starts_with("at least 3 duplicates dropped, at least 2 conflicting copies kept (copy count incomplete: the count over every record read failed"), "{line}");
        assert!(
            line.ends_with("see the copy_count_incomplete gap)"),
            "{line}"
        );
        t.copy_count = CopiesCounted::Partial;
        assert!(copies_line(&t).contains("some records could not be read again"));
    }
}
