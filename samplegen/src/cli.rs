//! Command-line arguments (clap derive types only) and their conversion into a [`Config`].

use std::path::PathBuf;

use clap::Parser;

use crate::case::Config;
use crate::time::{at, DAY, HOUR};

/// Regions in the order `--regions N` takes them; the first is where the incident happens.
const REGIONS: &[&str] = &[
    "us-east-1",
    "eu-west-1",
    "us-west-2",
    "ap-southeast-2",
    "eu-central-1",
    "ap-northeast-1",
    "sa-east-1",
    "ca-central-1",
];

/// Writes trailcase's synthetic incident case: trail files, LookupEvents pages, CloudWatch, Logs,
/// EventBridge and trail configuration, all from one seed.
#[derive(Parser, Debug)]
#[command(
    version,
    after_help = "Examples:\n  \
    trailcase-samplegen --out samples/incident-01            # the committed sample (4 hours, 2 regions)\n  \
    trailcase-samplegen --days 7 --regions 4 --records 1000000 --out /tmp/bench   # benchmark set"
)]
pub struct Args {
    /// Directory to write the case into (its generated subdirectories are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of every random choice; the same seed gives the same bytes.
    #[arg(long, default_value_t = 20_261_120)]
    pub seed: u64,
    /// Whole days around 2026-11-20 instead of the default 12:00-16:00 window.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: Option<u32>,
    /// Number of regions (us-east-1 first, then eu-west-1, us-west-2, ...).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=8))]
    pub regions: u32,
    /// Approximate number of records in all trail files [default: 2500, or 140000 per day with --days].
    #[arg(long)]
    pub records: Option<u64>,
    /// Make the compromised principal a busy one: its everyday calls (a reporting job) in about
    /// 40 % of the trail files before the incident, the incident itself unchanged.
    #[arg(long)]
    pub busy_actor: bool,
    /// Print the incident's ground truth (eventTime, eventID) as a Markdown table on stdout.
    #[arg(long)]
    pub truth: bool,
}

impl Args {
    pub fn into_config(self) -> Config {
        let (start, hours) = match self.days {
            None => (at(2026, 11, 20, 12, 0, 0), 4),
            Some(d) => (
                at(2026, 11, 20, 0, 0, 0) - i64::from((d - 1) / 2) * DAY,
                24 * i64::from(d),
            ),
        };
        let records = self
            .records
            .unwrap_or(self.days.map_or(2500, |d| 140_000 * u64::from(d)));
        Config {
            out: self.out,
            seed: self.seed,
            start,
            end: start + hours * HOUR,
            regions: REGIONS[..self.regions as usize].to_vec(),
            records,
            busy_actor: self.busy_actor,
        }
    }
}
