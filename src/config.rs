//! `trailcase.toml`: the honeytokens, the kill-switch principals, the detection resources and
//! the case metadata. Defaults fit the standard setup; a wrong key is an error naming it.
//!
//! The file format only: `app` reads it (and `cli` its limits) and hands the analysis the typed
//! [`AnalysisSettings`] and the report its [`ReportSettings`]; no module below `app` imports it.

use crate::model::{
    AnalysisSettings, DetectionSettings, HoneytokenSource, HoneytokensStated, KillSwitchIdentity,
    ReportSettings,
};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub case: CaseMeta,
    /// `[[honeytoken]]` tables; the default is the secret `Production_Database_Credentials`.
    #[serde(default = "default_honeytokens", rename = "honeytoken")]
    pub honeytokens: Vec<HoneytokenRule>,
    #[serde(default)]
    pub killswitch: KillSwitchConfig,
    #[serde(default)]
    pub detection: DetectionConfig,
    #[serde(default)]
    pub limits: Limits,
    /// Where `honeytokens` came from: the file's tables, the flags, or (neither) the default.
    /// Not a key of the file.
    #[serde(skip)]
    pub honeytoken_source: HoneytokenSource,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            case: CaseMeta::default(),
            honeytokens: default_honeytokens(),
            killswitch: KillSwitchConfig::default(),
            detection: DetectionConfig::default(),
            limits: Limits::default(),
            honeytoken_source: HoneytokenSource::Default,
        }
    }
}

/// The `[case]` table: plain data of the model, so that the outputs read it without the
/// configuration.
pub use crate::model::CaseMeta;

/// The `[[honeytoken]]` tables: plain data of the model (`model::settings`), read as they are.
pub use crate::model::{HoneytokenKind, HoneytokenRule};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KillSwitchConfig {
    /// Patterns on the caller's ARN or its role (session issuer) ARN, e.g. `*KillSwitch*`.
    #[serde(default = "default_killswitch")]
    pub principals: Vec<String>,
    /// SSM Automation document names that run the kill-switch.
    #[serde(default)]
    pub ssm_documents: Vec<String>,
}

impl Default for KillSwitchConfig {
    fn default() -> Self {
        KillSwitchConfig {
            principals: default_killswitch(),
            ssm_documents: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectionConfig {
    /// Flow 1 alarm names. Empty: alarms fed by a metric filter naming the honeytoken or
    /// GetSecretValue; with none, no alarm is flow 1's (its time is unknown).
    #[serde(default)]
    pub alarms: Vec<String>,
    /// Flow 2 EventBridge rule names. Empty: rules whose pattern names the honeytoken or
    /// GetSecretValue.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Metric filter names (flow 1). Empty: filters naming the honeytoken or GetSecretValue.
    #[serde(default)]
    pub metric_filters: Vec<String>,
    /// The pipeline's trails, by name or ARN. Empty: the collected trails that deliver to a
    /// detection metric filter's log group.
    #[serde(default)]
    pub trails: Vec<String>,
    /// The pipeline's log groups, by name or ARN. Empty: the detection metric filters' log
    /// groups and the log groups the pipeline's trails deliver to, as collected.
    #[serde(default)]
    pub log_groups: Vec<String>,
    /// The pipeline's SNS topics, by name or ARN. Empty: the detection alarms' actions and the
    /// detection rules' targets, as collected.
    #[serde(default)]
    pub topics: Vec<String>,
    /// How long after an access an alarm or rule still counts as detecting it, in minutes.
    #[serde(default = "default_window")]
    pub window_minutes: u64,
}

impl Default for DetectionConfig {
    fn default() -> Self {
        DetectionConfig {
            alarms: Vec::new(),
            rules: Vec::new(),
            metric_filters: Vec::new(),
            trails: Vec::new(),
            log_groups: Vec::new(),
            topics: Vec::new(),
            window_minutes: default_window(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// The most one file may inflate to, in MiB (a guard against gzip bombs), from 1 to
    /// [`MAX_INFLATED_MIB`].
    #[serde(default = "default_max_inflated")]
    pub max_inflated_mib: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_inflated_mib: default_max_inflated(),
        }
    }
}

fn default_honeytokens() -> Vec<HoneytokenRule> {
    vec![HoneytokenRule {
        kind: HoneytokenKind::Secret,
        pattern: "Production_Database_Credentials".into(),
        access_points: Vec::new(),
    }]
}
fn default_killswitch() -> Vec<String> {
    vec!["*KillSwitch*".into()]
}
fn default_window() -> u64 {
    60
}
fn default_max_inflated() -> u64 {
    1024
}

/// The largest inflate cap, in MiB (64 GiB): no file can be held inflated past it.
pub const MAX_INFLATED_MIB: u64 = 64 << 10;

/// The longest detection window, in minutes (a year of 366 days).
pub const MAX_WINDOW_MINUTES: u64 = 366 * 24 * 60;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Config::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.to_string(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        // A file with no [[honeytoken]] table gets the default, and says so.
        let tables = toml::from_str::<toml::Table>(text).ok();
        config.honeytoken_source = match tables.is_some_and(|t| t.contains_key("honeytoken")) {
            true => HoneytokenSource::Configuration,
            false => HoneytokenSource::Default,
        };
        config.validate().map_err(|message| ConfigError::Invalid {
            path: path.to_string(),
            message,
        })?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), String> {
        for (i, h) in self.honeytokens.iter().enumerate() {
            if h.pattern.trim().is_empty() {
                return Err(format!("honeytoken[{i}].pattern: expected a name or ARN pattern, found an empty string"));
            }
        }
        if !(1..=MAX_WINDOW_MINUTES).contains(&self.detection.window_minutes) {
            return Err(format!(
                "detection.window_minutes: expected a number of minutes from 1 to {MAX_WINDOW_MINUTES}, found {}",
                self.detection.window_minutes
            ));
        }
        if !(1..=MAX_INFLATED_MIB).contains(&self.limits.max_inflated_mib) {
            return Err(format!(
                "limits.max_inflated_mib: expected a size in MiB from 1 to {MAX_INFLATED_MIB}, found {}",
                self.limits.max_inflated_mib
            ));
        }
        Ok(())
    }

    /// The inflate cap in bytes. `validate` keeps the MiB in range; the multiplication is
    /// checked all the same (a value that slipped past would otherwise wrap to a tiny cap).
    pub fn max_inflated_bytes(&self) -> u64 {
        self.limits
            .max_inflated_mib
            .min(MAX_INFLATED_MIB)
            .checked_mul(1 << 20)
            .unwrap_or(MAX_INFLATED_MIB << 20)
    }
}

impl Config {
    /// What the analysis is told: the typed settings, built once in `app` after the flags are
    /// applied and the whole validated.
    pub fn analysis_settings(&self) -> AnalysisSettings {
        AnalysisSettings {
            honeytokens: self.honeytokens.clone(),
            killswitch: KillSwitchIdentity {
                principals: self.killswitch.principals.clone(),
                ssm_documents: self.killswitch.ssm_documents.clone(),
            },
            detection: DetectionSettings {
                alarms: self.detection.alarms.clone(),
                rules: self.detection.rules.clone(),
                metric_filters: self.detection.metric_filters.clone(),
                trails: self.detection.trails.clone(),
                log_groups: self.detection.log_groups.clone(),
                topics: self.detection.topics.clone(),
                window_minutes: self.detection.window_minutes,
            },
            max_inflated_bytes: self.max_inflated_bytes(),
        }
    }

    /// The honeytokens looked for and where they came from, as the JSON states them.
    pub fn honeytokens_stated(&self) -> HoneytokensStated {
        HoneytokensStated {
            source: self.honeytoken_source,
            rules: self.honeytokens.iter().map(|h| h.describe()).collect(),
        }
    }

    /// What the report states of this configuration: the case, the honeytoken patterns and
    /// the whole configuration as TOML.
    pub fn report_settings(&self) -> ReportSettings {
        ReportSettings {
            case: self.case.clone(),
            honeytokens: self.honeytokens.iter().map(|h| h.pattern.clone()).collect(),
            honeytoken_source: self.honeytoken_source,
            configuration: toml::to_string(self)
                .unwrap_or_else(|e| format!("(cannot show the configuration: {e})")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the honeytokens are the built-in default, as the outputs say: only a file with
    /// no [[honeytoken]] table (or no file) gets it.
    #[test]
    fn the_default_honeytoken_is_known_as_one() {
        let c = Config::parse("[case]\nid = \"x\"\n", "t.toml").unwrap();
        assert_eq!(c.honeytoken_source, HoneytokenSource::Default);
        let c = Config::parse(
            "[[honeytoken]]\nkind = \"secret\"\npattern = \"p\"\n",
            "t.toml",
        )
        .unwrap();
        assert_eq!(c.honeytoken_source, HoneytokenSource::Configuration);
        assert_eq!(
            Config::default().honeytoken_source,
            HoneytokenSource::Default
        );
    }

    #[test]
    fn defaults_fit_the_standard_setup() {
        let c = Config::parse("", "t.toml").unwrap();
        assert_eq!(c.honeytokens[0].pattern, "Production_Database_Credentials");
        assert_eq!(c.killswitch.principals, vec!["*KillSwitch*"]);
    }

    #[test]
    fn a_wrong_key_is_named() {
        let err = Config::parse("[detection]\nalarm = [\"x\"]\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("alarm"), "{err}");
        let err = Config::parse(
            "[[honeytoken]]\nkind = \"vault\"\npattern = \"x\"\n",
            "t.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("vault") && err.contains("secret"), "{err}");
        let err = Config::parse("[detection]\nwindow_minutes = 0\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("window_minutes"), "{err}");
    }
}
