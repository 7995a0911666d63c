//! Command-line arguments (clap derive types only; nothing below `app` sees clap).

use crate::source::aws::plan::{parse_region, parse_time, LookupAttr, S3Uri};
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "trailcase",
    version,
    about = "Turn AWS audit evidence into a forensic incident case"
)]
#[command(
    after_help = "Examples:\n  trailcase timeline samples/incident-01 --format json --out timeline.json\n  trailcase timeline ./evidence/ ~/Downloads/lookup.json --format csv\n  trailcase timeline ./evidence/ --all --format timesketch --out super.jsonl\n  trailcase collect --case ./case-2026-001 --from 2026-11-20T00:00Z --to 2026-11-21T00:00Z --s3 s3://org-trail-bucket/AWSLogs/ --lookup\n  trailcase timeline s3://org-trail-bucket/AWSLogs/123456789012/ --lookup --from 2026-11-20T00:00Z --to 2026-11-21T00:00Z\n\nExit codes: 0 complete, 1 completed with evidence gaps, 2 could not run."
)]
pub struct Cli {
    /// No progress on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the evidence, correlate the honeytoken incidents, export the timeline.
    Timeline(TimelineArgs),
    /// Acquire evidence from AWS, read-only, into an evidence case directory.
    Collect(CollectArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  trailcase collect --case ./case-2026-001 --from 2026-11-20T00:00Z --to 2026-11-21T00:00Z \\\n      --s3 s3://org-trail-bucket/AWSLogs/ --lookup --regions us-east-1,eu-west-1 --profile ir\n\nRunning it again on the same case resumes it: objects already stored with the same ETag are skipped.\nExit codes: 0 everything acquired, 1 acquired with gaps (listed in manifest.json), 2 could not run."
)]
pub struct CollectArgs {
    /// The case directory to create or resume.
    #[arg(long, value_name = "DIR")]
    pub case: PathBuf,
    /// S3 prefix holding trail files (repeatable), e.g. s3://org-trail-bucket/AWSLogs/.
    #[arg(long = "s3", value_name = "S3_URI", value_parser = S3Uri::parse)]
    pub s3: Vec<S3Uri>,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Honeytoken secret name pattern, to recognise the detection alarms and rules (repeatable;
    /// default: the configured or default honeytoken).
    #[arg(long, help_heading = "Configuration")]
    pub honeytoken: Vec<String>,
    /// Case id recorded in the manifest.
    #[arg(long, help_heading = "Configuration")]
    pub case_id: Option<String>,
}

/// Reading from AWS: the window, the sources besides S3, credentials and endpoints.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "AWS")]
pub struct AwsArgs {
    /// Start of the window (RFC 3339, seconds optional: 2026-11-20T00:00Z).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub from: Option<DateTime<Utc>>,
    /// End of the window (RFC 3339, seconds optional).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub to: Option<DateTime<Utc>>,
    /// Also acquire the window's management events with CloudTrail LookupEvents.
    #[arg(long)]
    pub lookup: bool,
    /// Only this LookupEvents attribute, e.g. EventName=GetSecretValue.
    #[arg(long, value_name = "KEY=VALUE", value_parser = LookupAttr::parse)]
    pub lookup_attr: Option<LookupAttr>,
    /// Regions to acquire (comma-separated). Default: every region under the S3 prefix, and the
    /// configured region for the APIs.
    #[arg(long, value_name = "REGION,...", value_delimiter = ',', value_parser = parse_region)]
    pub regions: Vec<String>,
    /// The configured region (else AWS_REGION or the profile's).
    #[arg(long, value_name = "REGION", value_parser = parse_region)]
    pub region: Option<String>,
    /// Named profile from the shared AWS config files.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Send every request to this endpoint (an emulator or a VPC endpoint).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Describe every alarm, not only those fed by a honeytoken metric filter.
    #[arg(long)]
    pub all_alarms: bool,
    /// Objects fetched from S3 at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub evidence: EvidenceArgs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = FormatArg::Json)]
    pub format: FormatArg,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Stream every record read (the super-timeline), not only those that matter to incidents.
    #[arg(long)]
    pub all: bool,
}

/// Options shared by every command that reads evidence.
#[derive(Debug, Args)]
pub struct EvidenceArgs {
    /// Files and directories (recursed): trail files (gzip or plain), LookupEvents output,
    /// CloudWatch Logs exports, AWS CLI outputs of the pipeline's configuration.
    /// An `s3://bucket/prefix/` input, or `--lookup`, is first acquired from AWS into a
    /// temporary case (see `collect`).
    #[arg(required_unless_present = "lookup", value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Keep the case acquired from AWS in this directory (default: a temporary one, removed).
    #[arg(long, value_name = "DIR", help_heading = "AWS")]
    pub keep_case: Option<PathBuf>,
    /// Configuration file (default: trailcase.toml at the top of an input directory).
    #[arg(long, short, help_heading = "Configuration")]
    pub config: Option<PathBuf>,
    /// Honeytoken secret name or ARN pattern (replaces the configured ones; repeatable).
    /// Prefix with `s3:` or `ssm:` for an S3 object or SSM parameter.
    #[arg(long, help_heading = "Configuration")]
    pub honeytoken: Vec<String>,
    /// Kill-switch principal pattern on the caller or role ARN (replaces the configured ones).
    #[arg(long, help_heading = "Configuration")]
    pub killswitch: Vec<String>,
    /// Case id shown in outputs.
    #[arg(long, help_heading = "Configuration")]
    pub case_id: Option<String>,
    /// The most a gzip file may inflate to, in MiB (gzip-bomb guard).
    #[arg(long, value_name = "MIB", help_heading = "Configuration")]
    pub max_inflated: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Json,
    Jsonl,
    Csv,
    Timesketch,
}
