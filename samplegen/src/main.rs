//! `trailcase-samplegen`: writes the synthetic incident case that trailcase ships as its sample, or a
//! larger set of the same shape for benchmarks. Thin: parse, generate, report, exit code.

#![forbid(unsafe_code)]

mod background;
mod case;
mod cli;
mod cli_outputs;
mod cloudtrail;
mod digests;
mod identity;
mod json;
mod manifest;
mod record;
mod rng;
mod scenario;
mod time;

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    let print_truth = args.truth;
    let cfg = args.into_config();
    let began = Instant::now();
    match case::write_case(&cfg) {
        Ok((summary, incident)) => {
            eprintln!(
                "wrote {}: {} trail files, {} records, {} gzip bytes, {} LookupEvents GetSecretValue events in {:.2?}",
                cfg.out.display(),
                summary.files,
                summary.records,
                summary.bytes,
                summary.secret_reads.len(),
                began.elapsed()
            );
            if print_truth {
                print!("{}", scenario::truth_table(&incident));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {}: {e}", cfg.out.display());
            ExitCode::from(2)
        }
    }
}
