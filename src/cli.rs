//! Command-line arguments (clap derive types only; nothing below `app` sees clap).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "trailcase",
    version,
    about = "Turn AWS audit evidence into a forensic incident case"
)]
#[command(
    after_help = "Examples:\n  trailcase timeline samples/incident-01 --format json --out timeline.json\n  trailcase timeline ./evidence/ ~/Downloads/lookup.json --format csv\n  trailcase timeline ./evidence/ --all --format timesketch --out super.jsonl\n\nExit codes: 0 complete, 1 completed with evidence gaps, 2 could not run."
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
    /// Test a detection rule on one event, or replay it over the evidence.
    #[command(subcommand)]
    Rules(RulesCommand),
}

const RULES_HELP: &str = "Examples:
  trailcase rules test --event-pattern pattern.json --event event.json
  trailcase rules test --filter-pattern '{ $.eventName = \"GetSecretValue\" }' --event record.json
  trailcase rules replay --event-pattern pattern.json samples/incident-01
  trailcase rules replay --filter-pattern '{ $.eventName = \"GetSecretValue\" }' samples/incident-01

Exit codes: 0 match, 1 no match, 2 invalid pattern (with AWS's reason) or could not run.";

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Does the pattern match this event? Prints `match` or `no match`.
    #[command(after_help = RULES_HELP)]
    Test(RulesTestArgs),
    /// List the events in the evidence the pattern matches: time, eventID, action, actor, target.
    #[command(after_help = RULES_HELP)]
    Replay(RulesReplayArgs),
}

/// The rule to test: exactly one pattern.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct PatternArgs {
    /// EventBridge event pattern: a file, or the pattern itself when it starts with `{`.
    #[arg(long, value_name = "PATTERN")]
    pub event_pattern: Option<String>,
    /// CloudWatch Logs filter pattern (metric or subscription filter), the text itself.
    #[arg(long, value_name = "PATTERN")]
    pub filter_pattern: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesTestArgs {
    #[command(flatten)]
    pub pattern: PatternArgs,
    /// The event (`-` for standard input). For an event pattern: a JSON EventBridge event, or a
    /// bare CloudTrail record, wrapped as EventBridge would wrap it. For a filter pattern: any log
    /// message text (a JSON record is matched as CloudTrail writes it to CloudWatch Logs).
    #[arg(long, value_name = "FILE")]
    pub event: PathBuf,
}

#[derive(Debug, Args)]
pub struct RulesReplayArgs {
    #[command(flatten)]
    pub pattern: PatternArgs,
    #[command(flatten)]
    pub evidence: EvidenceArgs,
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
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
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
