//! Command-line arguments (clap derive types only; nothing below `app` sees clap).

use crate::source::aws::plan::TableName;
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
    after_help = "Examples:\n  trailcase timeline samples/incident-01 --format json --out timeline.json\n  trailcase timeline ./evidence/ ~/Downloads/lookup.json --format csv\n  trailcase timeline ./evidence/ --all --format timesketch --out super.jsonl\n  trailcase timeline samples/incident-01 --format iocs --out iocs.csv\n  trailcase verify ./case-2026-001 --format json\n  trailcase collect --case ./case-2026-001 --from 2026-11-20T00:00Z --to 2026-11-21T00:00Z --s3 s3://org-trail-bucket/AWSLogs/ --lookup\n  trailcase report s3://org-trail-bucket/AWSLogs/123456789012/ --lookup --from 2026-11-20T00:00Z --to 2026-11-21T00:00Z --out report.pdf\n\nExit codes: 0 complete, 1 completed with evidence gaps, 2 could not run."
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
    /// Write the forensic PDF report for the evidence.
    Report(ReportArgs),
    /// Check a case offline: manifest hashes, CloudTrail digests, time coverage of the incident window.
    #[command(
        after_help = "Examples:\n  trailcase verify ./case-2026-001\n  trailcase verify ./case-2026-001 --format json > integrity.json\n  trailcase verify ./case-2026-001 --from 2026-03-02T22:00:00Z --to 2026-03-03T04:00:00Z\n\nExit codes: 0 verified, 1 problems found or not verifiable, 2 could not run."
    )]
    Verify(VerifyArgs),
    /// Test a detection rule on one event, or replay it over the evidence.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Acquire evidence from AWS, read-only, into an evidence case directory.
    Collect(CollectArgs),
    /// Check, read-only, that the deployed honeytoken pipeline is still correct.
    Posture(PostureArgs),
    /// Organisation scale with Amazon Athena: the table to search (`collect --athena`).
    #[command(subcommand)]
    Athena(AthenaCommand),
}

#[derive(Debug, Subcommand)]
pub enum AthenaCommand {
    /// Print the CREATE EXTERNAL TABLE (with partition projection) for a trail's S3 prefix, to
    /// run in your Athena workgroup before `collect --athena`.
    #[command(
        after_help = "Examples:\n  trailcase athena ddl s3://org-trail/AWSLogs/o-abc123/ --org --table cloudtrail.org_trail\n  trailcase athena ddl s3://org-trail/AWSLogs/o-abc123/ --org --accounts 111111111111,222222222222\n  trailcase athena ddl s3://trail-bucket/AWSLogs/123456789012/ --table cloudtrail.trail --regions us-east-1,eu-west-1\n\nWithout --accounts, an organisation table's accounts are the account folders under the prefix\n(listed read-only with ListObjectsV2). Exit codes: 0 printed, 2 could not run."
    )]
    Ddl(AthenaDdlArgs),
}

#[derive(Debug, Args)]
pub struct AthenaDdlArgs {
    /// The trail's prefix: `s3://bucket/AWSLogs/<account>/`, `s3://bucket/AWSLogs/` (several
    /// accounts) or `s3://bucket/AWSLogs/o-xxxx/` (organisation trail, with --org).
    #[arg(value_name = "S3_URI", value_parser = S3Uri::parse)]
    pub location: S3Uri,
    /// An organisation trail: one folder per member account under the prefix.
    #[arg(long)]
    pub org: bool,
    /// The table to create.
    #[arg(long, value_name = "DATABASE.TABLE", default_value = "cloudtrail.trail", value_parser = TableName::parse)]
    pub table: TableName,
    /// The accounts (comma-separated); default: the account folders under the prefix.
    #[arg(long, value_name = "ACCOUNT,...", value_delimiter = ',', value_parser = parse_account)]
    pub accounts: Vec<String>,
    /// The region partition's values (comma-separated); default: every commercial region.
    #[arg(long, value_name = "REGION,...", value_delimiter = ',', value_parser = parse_region)]
    pub regions: Vec<String>,
    /// First day of the projection (yyyy/MM/dd).
    #[arg(long, value_name = "DAY", default_value = "2020/01/01", value_parser = parse_day)]
    pub since: String,
    /// Named profile (only to list the account folders).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The configured region.
    #[arg(long, value_name = "REGION", value_parser = parse_region)]
    pub region: Option<String>,
    /// Send every request to this endpoint (an emulator or a VPC endpoint).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

fn parse_day(text: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y/%m/%d")
        .map(|d| d.format("%Y/%m/%d").to_string())
        .map_err(|_| format!("expected a day as yyyy/MM/dd (e.g. 2020/01/01), found {text:?}"))
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  trailcase posture --regions us-east-1\n  trailcase posture --regions us-east-1,eu-west-1 --profile audit --format json > posture.json\n  trailcase posture --regions us-east-1 --case ./case-2026-001   (stored in the case for the report)\n\nEach part (trail, secret, metric filter, alarm, topics, rule, kill-switch) is PASS, FAIL or UNKNOWN\n(could not be read) with the reason. The filter and rule patterns are tested on a synthetic read of\nthe honeytoken, by name and by ARN, and on a read of another secret.\nExit codes: 0 every check passed, 1 some failed or are unknown, 2 could not run."
)]
pub struct PostureArgs {
    /// Regions whose pipeline to check (comma-separated; default: the configured region).
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
    /// The honeytoken: a secret's name (or `secret:NAME`), `ssm:NAME` for an SSM parameter or
    /// `s3:BUCKET/KEY` for an S3 object; the metric filter and the rule are tested against its
    /// own read API (GetSecretValue, GetParameter, GetObject).
    #[arg(long, default_value = "Production_Database_Credentials")]
    pub honeytoken: String,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormatArg::Text)]
    pub format: ReportFormatArg,
    /// Also store the result as JSON in this evidence case (posture/posture.json, entered in its
    /// manifest with its SHA-256), where `timeline` and `report` read it.
    #[arg(long, value_name = "DIR")]
    pub case: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  trailcase collect --case ./case-2026-001 --from 2026-11-20T00:00Z --to 2026-11-21T00:00Z \\\n      --s3 s3://org-trail-bucket/AWSLogs/ --lookup --regions us-east-1,eu-west-1 --profile ir\n  trailcase collect --case ./case-2026-001 --from 2026-11-20T00:00Z --to 2026-11-21T00:00Z \\\n      --athena cloudtrail.org_trail --workgroup ir   (Athena finds the files; see `trailcase athena ddl`)\n\nRunning it again on the same case resumes it: objects already stored with the same ETag are skipped.\nExit codes: 0 everything acquired, 1 acquired with gaps (listed in manifest.json), 2 could not run."
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
    /// default: the configured or default honeytoken). `s3:BUCKET/KEY` names an S3 decoy: the
    /// access points of its bucket are listed (S3 Control ListAccessPoints).
    #[arg(long, help_heading = "Configuration")]
    pub honeytoken: Vec<String>,
    /// Case id recorded in the manifest.
    #[arg(long, help_heading = "Configuration")]
    pub case_id: Option<String>,
    /// Also check the deployed pipeline (as `trailcase posture`, read-only) and store the result
    /// as posture/posture.json in the case.
    #[arg(long, help_heading = "AWS")]
    pub posture: bool,
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
    /// Only events with this LookupEvents attribute, e.g. EventName=GetSecretValue. Repeatable:
    /// the API takes one attribute a request, so each is its own series (events found by
    /// several are kept once).
    #[arg(long, value_name = "KEY=VALUE", value_parser = LookupAttr::parse)]
    pub lookup_attr: Vec<LookupAttr>,
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
    /// Objects fetched from S3 at once (default 8; only where objects are fetched from S3: an
    /// s3:// input, --s3 or --athena).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: Option<u16>,
    #[command(flatten)]
    pub athena: AthenaArgs,
}

/// Organisation scale: Athena finds the files that hold the evidence; only those are fetched.
#[derive(Debug, Clone, Args)]
pub struct AthenaArgs {
    /// Search with Athena in this CloudTrail table (database.table, as `trailcase athena ddl`
    /// creates it) and fetch only the files that hold the honeytoken reads, the kill-switch's
    /// calls and everything the actors did; with s3:// inputs, only files under them.
    #[arg(long, value_name = "DATABASE.TABLE", value_parser = TableName::parse, help_heading = "Athena")]
    pub athena: Option<TableName>,
    /// The Athena workgroup the queries run in (default: primary).
    #[arg(
        long,
        value_name = "NAME",
        requires = "athena",
        help_heading = "Athena"
    )]
    pub workgroup: Option<String>,
    /// Where Athena writes query results (default: the workgroup's location): the only thing
    /// trailcase causes to be written in AWS.
    #[arg(long, value_name = "S3_URI", value_parser = S3Uri::parse, requires = "athena", help_heading = "Athena")]
    pub athena_output: Option<S3Uri>,
    /// Only these accounts of an organisation table (comma-separated).
    #[arg(long, value_name = "ACCOUNT,...", value_delimiter = ',', value_parser = parse_account, requires = "athena", help_heading = "Athena")]
    pub accounts: Vec<String>,
    /// Refuse to search when one partition's scan, times the partitions of the window, would
    /// exceed this many GB (10^9 bytes).
    #[arg(long, value_name = "GB", value_parser = parse_gb, requires = "athena", help_heading = "Athena")]
    pub max_scan_gb: Option<f64>,
}

fn parse_account(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(t.to_string())
    } else {
        Err(format!("expected a 12-digit account id, found {text:?}"))
    }
}

fn parse_gb(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("expected a positive number of GB, found {text:?}")),
    }
}

const RULES_HELP: &str = "Examples:
  trailcase rules test --event-pattern pattern.json --event event.json
  trailcase rules test --filter-pattern '{ $.eventName = \"GetSecretValue\" }' --event record.json
  trailcase rules replay --event-pattern pattern.json samples/incident-01
  trailcase rules replay --filter-pattern '{ $.eventName = \"GetSecretValue\" }' samples/incident-01

Exit codes: 0 match, 1 no match, 2 invalid pattern (with AWS's reason) or could not run.";

// Parsed once at start-up: the size of the larger variant does not matter.
#[allow(clippy::large_enum_variant)]
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
    /// The EventBridge rule's state, as `aws events describe-rule` gives it: a CloudTrail
    /// read-only management event (GetSecretValue...) the pattern matches is "no match" for a
    /// rule in state ENABLED, any event for one in DISABLED. Without it, such a match is said
    /// on stderr to depend on the state. Event patterns only.
    #[arg(
        long,
        value_enum,
        value_name = "STATE",
        conflicts_with = "filter_pattern"
    )]
    pub state: Option<RuleStateArg>,
}

#[derive(Debug, Args)]
pub struct RulesReplayArgs {
    #[command(flatten)]
    pub pattern: PatternArgs,
    /// The EventBridge rule's state, as `aws events describe-rule` gives it: in state ENABLED a
    /// rule is not delivered read-only management events (GetSecretValue...), in DISABLED none;
    /// events the state keeps from the rule are counted on stderr, not listed. Without it, the
    /// `delivered` column says "unknown" for read-only management events. Event patterns only.
    #[arg(
        long,
        value_enum,
        value_name = "STATE",
        conflicts_with = "filter_pattern"
    )]
    pub state: Option<RuleStateArg>,
    #[command(flatten)]
    pub evidence: EvidenceArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The case directory (manifest.json, cloudtrail/, lookup-events/, ...).
    #[arg(value_name = "CASE")]
    pub case: PathBuf,
    /// Files or folders outside the case that `report` or `timeline` is also given (`verify CASE
    /// extra.json.gz`): no digest or manifest of CASE covers them, so each holding records is
    /// named and the verdict is "partly verified" at best. A second case is refused: verify
    /// each case on its own.
    #[arg(value_name = "INPUT", conflicts_with = "report")]
    pub inputs: Vec<PathBuf>,
    /// Check CASE against a trailcase report instead: every input the report attests is in CASE
    /// with the same SHA-256, and the report's attachments match the SHA-256 its appendix prints.
    #[arg(long, value_name = "REPORT.pdf", conflicts_with_all = ["from", "to"])]
    pub report: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormatArg::Text)]
    pub format: ReportFormatArg,
    /// Start of the incident window for the coverage table (RFC 3339, seconds optional, as for
    /// `collect`; default: the first trail file).
    #[arg(long, value_name = "TIME", value_parser = parse_time, help_heading = "Coverage window")]
    pub from: Option<DateTime<Utc>>,
    /// End of the incident window (RFC 3339, seconds optional; default: the last trail file).
    #[arg(long, value_name = "TIME", value_parser = parse_time, help_heading = "Coverage window")]
    pub to: Option<DateTime<Utc>>,
}

/// An EventBridge rule's `State`, spelled as AWS spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleStateArg {
    #[value(name = "ENABLED")]
    Enabled,
    #[value(name = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")]
    EnabledWithAllCloudtrailManagementEvents,
    #[value(name = "DISABLED")]
    Disabled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub evidence: EvidenceArgs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = FormatArg::Json)]
    pub format: FormatArg,
    /// Write here instead of standard output (`-`: standard output).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Every record read (the super-timeline), in time order, not only those that matter to
    /// incidents.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  trailcase report samples/incident-01 --out report.pdf\n  SOURCE_DATE_EPOCH=1795622400 trailcase report ./case --out report.pdf --paper letter\n\nWith SOURCE_DATE_EPOCH set, the same inputs give a byte-identical PDF."
)]
pub struct ReportArgs {
    #[command(flatten)]
    pub evidence: EvidenceArgs,
    /// Where to write the PDF (`-`: standard output, when it is not a terminal).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Directory of tera templates replacing the built-in prose (executive_summary.tera,
    /// lessons_learned.tera).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Paper size.
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    pub paper: PaperArg,
    /// Also write the timeline JSON the report was built from (`-`: standard output).
    #[arg(long, value_name = "FILE")]
    pub timeline_json: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

/// Options shared by every command that reads evidence.
#[derive(Debug, Args)]
pub struct EvidenceArgs {
    /// Files and directories (recursed): trail files (gzip or plain), LookupEvents output,
    /// CloudWatch Logs exports, AWS CLI outputs of the pipeline's configuration.
    /// An `s3://bucket/prefix/` input, or `--lookup`, is first acquired from AWS into a
    /// temporary case (see `collect`); so is what `--athena` finds (its `s3://` inputs, if
    /// any, only bound what it fetches).
    #[arg(required_unless_present_any = ["lookup", "athena"], value_name = "INPUT")]
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
    /// Prefix with `s3:` or `ssm:` for an S3 object or SSM parameter (matched minding case, as
    /// AWS names them; a secret's name ignoring case).
    #[arg(long, help_heading = "Configuration")]
    pub honeytoken: Vec<String>,
    /// Kill-switch principal pattern on the caller or role ARN (replaces the configured ones).
    #[arg(long, help_heading = "Configuration")]
    pub killswitch: Vec<String>,
    /// Case id shown in outputs.
    #[arg(long, help_heading = "Configuration")]
    pub case_id: Option<String>,
    /// The most a file may inflate to (or hold, when not gzip), in MiB, from 1 to 65536: the
    /// gzip-bomb guard. Past 64 MiB, one file at a time is held; other threads wait for it.
    #[arg(
        long,
        value_name = "MIB",
        help_heading = "Configuration",
        value_parser = clap::value_parser!(u64).range(1..=crate::config::MAX_INFLATED_MIB)
    )]
    pub max_inflated: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Json,
    Jsonl,
    Csv,
    Timesketch,
    /// The incidents' indicators of compromise (source IPs, user agents, keys, sessions) as CSV.
    Iocs,
}
