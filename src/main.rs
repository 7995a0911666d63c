//! The `trailcase` binary: parse arguments, run, print the error chain, map the outcome to an
//! exit code (0 complete, 1 completed with evidence gaps or, for `rules`, no match; 2 could not run;
//! 130 an acquisition stopped by Ctrl-C, which the same command resumes).

use clap::Parser;
use std::process::ExitCode;
use trailcase::app::{self, Outcome};
use trailcase::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match app::run(cli) {
        Ok(Outcome::Complete) => ExitCode::from(0),
        Ok(Outcome::Incomplete | Outcome::NoMatch) => ExitCode::from(1),
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(0),
        Err(e) if e.downcast_ref::<app::Interrupted>().is_some() => {
            eprintln!("trailcase: {e:#}");
            ExitCode::from(130)
        }
        Err(e) => {
            eprintln!("trailcase: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
