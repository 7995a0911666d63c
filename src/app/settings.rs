//! The run configuration: the command line's evidence and AWS options (clap types, `cli.rs`)
//! turned once into plain values (ripgrep's low-args → high-args), and the configuration file
//! merged with the flags that override it. The rest of `app` works on these; nothing below
//! `app` sees clap types or the flags.

use crate::cli::{AwsArgs, EvidenceArgs};
use crate::config::{Config, HoneytokenRule};
use crate::source::aws::athena::AthenaPlan;
use crate::source::aws::plan::LookupAttr;
use crate::source::aws::AwsOptions;
use crate::source::Discovered;
use anyhow::Result;
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// What an evidence command (`timeline`, `report`, `rules replay`) reads, and how.
#[derive(Debug, Clone)]
pub struct EvidenceSpec {
    /// Files, directories and `s3://` prefixes, as given.
    pub inputs: Vec<PathBuf>,
    pub aws: AwsSettings,
    /// Keep the case acquired from AWS here (else a temporary directory).
    pub keep_case: Option<PathBuf>,
    /// The honeytoken flags as typed (`s3:`/`ssm:` prefixes included): the acquisition
    /// recognises the detection alarms and rules by them.
    pub honeytoken_flags: Vec<String>,
    pub config: ConfigOverrides,
}

/// Objects fetched from S3 at once when `--concurrency` does not say.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// Reading from AWS: the window, the sources besides S3, credentials and endpoints.
#[derive(Debug, Clone)]
pub struct AwsSettings {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub lookup: bool,
    pub lookup_attrs: Vec<LookupAttr>,
    /// Regions to acquire; empty: every region under the S3 prefix, the configured one for APIs.
    pub regions: Vec<String>,
    /// Profile, configured region and endpoint.
    pub options: AwsOptions,
    pub all_alarms: bool,
    /// Objects fetched from S3 at once.
    pub concurrency: usize,
    /// `--athena` and its options.
    pub athena: Option<AthenaPlan>,
}

/// Where the configuration comes from, and the flags that replace parts of it.
#[derive(Debug, Clone, Default)]
pub struct ConfigOverrides {
    /// `--config`: else `trailcase.toml` at the top of an input directory, else the defaults.
    pub file: Option<PathBuf>,
    /// Replace the configured honeytokens when not empty.
    pub honeytokens: Vec<HoneytokenRule>,
    /// Replace the configured kill-switch principals when not empty.
    pub killswitch: Vec<String>,
    pub case_id: Option<String>,
    pub max_inflated_mib: Option<u64>,
}

impl From<&EvidenceArgs> for EvidenceSpec {
    fn from(args: &EvidenceArgs) -> Self {
        EvidenceSpec {
            inputs: args.inputs.clone(),
            aws: AwsSettings::from(&args.aws),
            keep_case: args.keep_case.clone(),
            honeytoken_flags: args.honeytoken.clone(),
            config: ConfigOverrides {
                file: args.config.clone(),
                honeytokens: args.honeytoken.iter().map(|h| honeytoken_flag(h)).collect(),
                killswitch: args.killswitch.clone(),
                case_id: args.case_id.clone(),
                max_inflated_mib: args.max_inflated,
            },
        }
    }
}

impl From<&AwsArgs> for AwsSettings {
    fn from(aws: &AwsArgs) -> Self {
        AwsSettings {
            from: aws.from,
            to: aws.to,
            lookup: aws.lookup,
            lookup_attrs: aws.lookup_attr.clone(),
            regions: aws.regions.clone(),
            options: AwsOptions {
                profile: aws.profile.clone(),
                region: aws.region.clone(),
                endpoint_url: aws.endpoint_url.clone(),
            },
            all_alarms: aws.all_alarms,
            concurrency: aws.concurrency.map_or(DEFAULT_CONCURRENCY, usize::from),
            athena: aws.athena.athena.clone().map(|table| AthenaPlan {
                table,
                workgroup: aws.athena.workgroup.clone(),
                output: aws.athena.athena_output.as_ref().map(ToString::to_string),
                accounts: aws.athena.accounts.clone(),
                max_scan_bytes: aws.athena.max_scan_gb.map(|gb| (gb * 1e9) as u64),
                running: Default::default(),
            }),
        }
    }
}

impl ConfigOverrides {
    /// The configuration: the file (`--config`, else `trailcase.toml` at the top of an input
    /// directory, else defaults), then the flags, validated.
    pub fn load(&self, discovered: &Discovered) -> Result<Config> {
        let mut config = match (&self.file, discovered.case_configs.first()) {
            (Some(path), _) | (None, Some(path)) => Config::load(path)?,
            (None, None) => Config::default(),
        };
        if !self.honeytokens.is_empty() {
            config.honeytokens = self.honeytokens.clone();
            config.honeytoken_source = crate::model::HoneytokenSource::Flags;
        }
        if !self.killswitch.is_empty() {
            config.killswitch.principals = self.killswitch.clone();
        }
        if let Some(id) = &self.case_id {
            config.case.id = Some(id.clone());
        }
        if let Some(mib) = self.max_inflated_mib {
            config.limits.max_inflated_mib = mib;
        }
        config
            .validate()
            .map_err(|m| anyhow::anyhow!("invalid option: {m}"))?;
        Ok(config)
    }
}

/// `--honeytoken`: a secret name or ARN pattern, or `s3:`/`ssm:` followed by an object or
/// parameter pattern.
fn honeytoken_flag(text: &str) -> HoneytokenRule {
    HoneytokenRule::from_flag(text)
}
