//! The parts that matter on their own, each in one thread (issue 7): records parsed per second,
//! EventBridge pattern and CloudWatch Logs filter-pattern matches per second, and the report's
//! analyse, build and render times. `scripts/bench.sh` measures the whole command instead.
//!
//! `cargo run --release --example bench_parts -- [DIR] [--runs N] [--match-records N]`
//!
//! DIR defaults to `samples/incident-01`. Its gzip files are the trail files; its rules and
//! metric filters (else the sample case's) are the patterns. Uses only the library's public API.

use std::error::Error;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use trailcase::config::Config;
use trailcase::model::ConfigEvidence;
use trailcase::parse::{scan_document, RecordItem, RecordSink};
use trailcase::report::content::{self, IntegrityStatement, ReportInput, Templates};
use trailcase::report::{render_pdf, Paper};
use trailcase::rules::event_pattern::{wrap_cloudtrail_record, EventPattern};
use trailcase::rules::filter_pattern::FilterPattern;
use trailcase::source::{discover, read_input, InputFile};

struct Args {
    dir: PathBuf,
    runs: u32,
    /// Records kept (as parsed JSON) for the matching rows: 1 M parsed records would not fit.
    match_records: usize,
}

fn args() -> Result<Args, Box<dyn Error>> {
    let mut out = Args {
        dir: sample_case(),
        runs: 3,
        match_records: 50_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => out.runs = it.next().ok_or("--runs N")?.parse()?,
            "--match-records" => {
                out.match_records = it.next().ok_or("--match-records N")?.parse()?
            }
            "-h" | "--help" => {
                println!("bench_parts [DIR] [--runs N (3)] [--match-records N (50000)]");
                std::process::exit(0);
            }
            _ => out.dir = PathBuf::from(a),
        }
    }
    out.runs = out.runs.max(1);
    Ok(out)
}

fn sample_case() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/incident-01")
}

/// Counts records and keeps the text of the first `keep`.
struct Keep {
    count: u64,
    keep: usize,
    raw: Vec<String>,
}

impl RecordSink for Keep {
    fn record(&mut self, item: RecordItem<'_>) {
        self.count += 1;
        if self.raw.len() < self.keep {
            self.raw.push(item.raw.to_string());
        }
    }
}

/// One table row: what was measured, its best time per run, and its rate.
struct Row(String, Duration, String);

fn rate(n: f64, d: Duration, unit: &str) -> String {
    let r = n / d.as_secs_f64().max(1e-9);
    if r >= 1e6 {
        format!("{:.2} M {unit}/s", r / 1e6)
    } else {
        format!("{:.0} k {unit}/s", r / 1e3)
    }
}

fn mbps(mb: f64, d: Duration) -> String {
    format!("{:.0} MB/s", mb / d.as_secs_f64().max(1e-9))
}

/// Best time of `runs` calls of `f`; each call repeats its work until 0.2 s have passed and
/// returns the time of one repetition.
fn best(runs: u32, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let (start, mut reps) = (Instant::now(), 0u32);
            while reps == 0 || start.elapsed() < Duration::from_millis(200) {
                f();
                reps += 1;
            }
            start.elapsed() / reps
        })
        .min()
        .unwrap_or_default()
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = args()?;
    let files = discover(std::slice::from_ref(&args.dir))?.files;
    let (trail, other): (Vec<&InputFile>, Vec<&InputFile>) = files
        .iter()
        .partition(|f| f.path.extension().is_some_and(|e| e == "gz"));
    let mut rows = Vec::new();

    // Parsing: inflate each trail file (timed apart), then scan it.
    let (mut read_best, mut scan_best) = (Duration::MAX, Duration::MAX);
    let (mut records, mut inflated) = (0u64, 0u64);
    let mut kept = Vec::new();
    for run in 0..args.runs {
        let (mut read_t, mut scan_t) = (Duration::ZERO, Duration::ZERO);
        let mut sink = Keep {
            count: 0,
            keep: if run == 0 { args.match_records } else { 0 },
            raw: Vec::new(),
        };
        inflated = 0;
        for f in &trail {
            let start = Instant::now();
            let input = read_input(&f.path, 1 << 30)?;
            read_t += start.elapsed();
            inflated += input.content.len() as u64;
            let start = Instant::now();
            black_box(scan_document(&input.content, 0, &f.display, &mut sink));
            scan_t += start.elapsed();
        }
        read_best = read_best.min(read_t);
        scan_best = scan_best.min(scan_t);
        records = sink.count;
        if run == 0 {
            kept = sink.raw;
        }
    }
    let mb = inflated as f64 / 1e6;
    rows.push(Row(
        "read + SHA-256 + inflate (read_input)".into(),
        read_best,
        format!(
            "{}, {}",
            rate(records as f64, read_best, "records"),
            mbps(mb, read_best)
        ),
    ));
    rows.push(Row(
        "parse (scan_document)".into(),
        scan_best,
        format!(
            "{}, {}",
            rate(records as f64, scan_best, "records"),
            mbps(mb, scan_best)
        ),
    ));

    // Matching: the pipeline's rules and filters over the kept records, parsed beforehand.
    let evidence = pipeline(&other).filter(|e| !e.rules.is_empty() || !e.metric_filters.is_empty());
    let evidence = match evidence {
        Some(e) => e,
        None => {
            let sample = discover(&[sample_case()])?.files;
            pipeline(&sample.iter().collect::<Vec<_>>()).unwrap_or_default()
        }
    };
    let parsed: Vec<Value> = kept
        .iter()
        .map(|r| serde_json::from_str(r))
        .collect::<Result<_, _>>()?;
    let wrapped: Vec<Value> = parsed.iter().map(wrap_cloudtrail_record).collect();
    let n = parsed.len() as f64;
    for rule in &evidence.rules {
        let Some(text) = &rule.event_pattern else {
            continue;
        };
        let p = EventPattern::parse(text)?;
        let hits = wrapped.iter().filter(|e| p.matches(e)).count();
        let t = best(args.runs, || {
            black_box(wrapped.iter().filter(|e| p.matches(e)).count());
        });
        let what = format!(
            "EventBridge rule {} ({hits} of {} match)",
            rule.name,
            wrapped.len()
        );
        rows.push(Row(what, t, rate(n, t, "matches")));
    }
    for filter in &evidence.metric_filters {
        let p = FilterPattern::parse(&filter.pattern)?;
        let hits = parsed.iter().filter(|r| p.matches_json(r)).count();
        let t = best(args.runs, || {
            black_box(parsed.iter().filter(|r| p.matches_json(r)).count());
        });
        let what = format!("filter {} on parsed records ({hits} match)", filter.name);
        rows.push(Row(what, t, rate(n, t, "matches")));
        let t = best(args.runs, || {
            black_box(kept.iter().filter(|r| p.matches_message(r)).count());
        });
        let what = format!("filter {} on message text (parses it)", filter.name);
        rows.push(Row(what, t, rate(n, t, "matches")));
    }

    rows.extend(report_rows(&args.dir, args.runs)?);

    println!(
        "bench_parts: {} ({} trail files, {records} records, {mb:.1} MB inflated; matching on {} records), one thread, best of {} runs",
        args.dir.display(),
        trail.len(),
        parsed.len(),
        args.runs
    );
    println!();
    println!("| part | time per run | rate |");
    println!("|---|---:|---:|");
    for Row(what, t, r) in rows {
        let t = t.as_secs_f64();
        let t = if t >= 1.0 {
            format!("{t:.2} s")
        } else {
            format!("{:.2} ms", t * 1e3)
        };
        println!("| {what} | {t} | {r} |");
    }
    Ok(())
}

/// The pipeline's configuration in the non-gzip files (rules, metric filters), when any.
fn pipeline(files: &[&InputFile]) -> Option<ConfigEvidence> {
    struct Nothing;
    impl RecordSink for Nothing {
        fn record(&mut self, _: RecordItem<'_>) {}
    }
    let mut evidence = ConfigEvidence::default();
    for f in files {
        if f.path.extension().is_some_and(|e| e == "gz") {
            continue;
        }
        let input = read_input(&f.path, 1 << 30).ok()?;
        evidence.merge(scan_document(&input.content, 0, &f.display, &mut Nothing).config);
    }
    evidence.normalise();
    Some(evidence)
}

/// The report of the directory: analyse (both cores), build and render, timed apart (digest
/// verification is left out: `trailcase report` runs it beside the analysis).
fn report_rows(dir: &Path, runs: u32) -> Result<Vec<Row>, Box<dyn Error>> {
    let discovered = discover(&[dir.to_path_buf()])?;
    let config = match discovered.case_configs.first() {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    let templates = Templates::load(None)?;
    let settings = config.analysis_settings();
    let mut timeline = None;
    let analyse = best(runs, || {
        timeline = Some(trailcase::analyse::analyse(
            &discovered.files,
            discovered.gaps.clone(),
            &settings,
            &|_| {},
        ));
    });
    let timeline = timeline.ok_or("no timeline")?;
    let input = ReportInput {
        timeline: &timeline,
        settings: config.report_settings(),
        generated_unix: 0,
        command_line: vec!["trailcase".into(), "report".into()],
        paper: Paper::A4,
        templates: &templates,
        integrity: IntegrityStatement::default(),
    };
    let doc = content::build(&input)?;
    let build = best(runs, || {
        black_box(content::build(&input).ok());
    });
    let mut pages = 0;
    let render = best(runs, || {
        pages = render_pdf(&doc).map(|b| b.len()).unwrap_or(0);
    });
    let name = dir.display();
    Ok(vec![
        Row(
            format!(
                "report: analyse ({name}, {} records)",
                timeline.records_read
            ),
            analyse,
            String::new(),
        ),
        Row(
            format!("report: build the document ({} blocks)", doc.blocks.len()),
            build,
            String::new(),
        ),
        Row(
            format!("report: render_pdf ({} kB)", pages / 1000),
            render,
            String::new(),
        ),
    ])
}
