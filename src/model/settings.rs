//! The typed settings the analysis reads: the honeytoken rules, the kill-switch's identity, the
//! detection pipeline's names and window, and the inflate cap. `app` builds them once from
//! `trailcase.toml` and the flags (`config::Config::analysis_settings`); nothing below `app`
//! sees the configuration file, its defaults or its validation.
//!
//! Plain data: imports nothing of the crate. The honeytoken kind and rule keep their serde
//! spelling because the file and the `--honeytoken` flag spell them the same way (`config` reads
//! them as they are, as it reads `CaseMeta`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HoneytokenKind {
    /// A Secrets Manager secret (name or ARN).
    Secret,
    /// An S3 bucket or object: `bucket`, `bucket/prefix*` or `arn:aws:s3:::bucket/key`.
    S3,
    /// An SSM parameter name, e.g. `/prod/db/password`.
    SsmParameter,
}

/// One honeytoken: a kind and a name or ARN pattern (`*` and `?` wildcards). Secret names are
/// matched ignoring case; SSM parameter names and S3 keys minding case, as AWS names them
/// (`classify::name_matches`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoneytokenRule {
    pub kind: HoneytokenKind,
    pub pattern: String,
    /// An S3 decoy's bucket's access points (names, ARNs of S3, Object Lambda or Outposts
    /// access points, or aliases): a read through one that names no bucket is matched on its
    /// key as a read of the bucket's object. Empty: a read through an access point whose bucket
    /// the record does not name is of an unknown bucket.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_points: Vec<String>,
}

/// Where the honeytokens looked for came from: what a reader needs to know before "no call
/// read X" means anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HoneytokenSource {
    /// `[[honeytoken]]` tables of a `trailcase.toml`.
    #[default]
    Configuration,
    /// `--honeytoken` flags.
    Flags,
    /// Neither: the built-in default, the secret name `Production_Database_Credentials`.
    Default,
}

/// The honeytokens a run looked for, as its outputs state them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HoneytokensStated {
    pub source: HoneytokenSource,
    /// Each as `secret:<pattern>`, `s3:<pattern>` or `ssm:<pattern>`, in the configuration's
    /// order.
    pub rules: Vec<String>,
}

/// What a report or a reader is told when no honeytoken was configured: the name looked for is
/// only the built-in default, and how to name one's own.
pub const DEFAULT_HONEYTOKEN_NOTE: &str = "no honeytoken was configured (no [[honeytoken]] table in a trailcase.toml and no --honeytoken flag), so trailcase looked for its built-in default, the secret name Production_Database_Credentials: name your decoys in trailcase.toml ([[honeytoken]] with kind and pattern) or with --honeytoken, and run it again";

impl HoneytokenRule {
    /// `--honeytoken`: a secret name or ARN pattern (optionally `secret:`), or `s3:`/`ssm:`
    /// followed by an object or parameter pattern.
    pub fn from_flag(text: &str) -> HoneytokenRule {
        let (kind, pattern) = if let Some(p) = text.strip_prefix("s3:") {
            (HoneytokenKind::S3, p)
        } else if let Some(p) = text.strip_prefix("ssm:") {
            (HoneytokenKind::SsmParameter, p)
        } else {
            (
                HoneytokenKind::Secret,
                text.strip_prefix("secret:").unwrap_or(text),
            )
        };
        HoneytokenRule {
            kind,
            pattern: pattern.to_string(),
            access_points: Vec::new(),
        }
    }

    /// `secret:<pattern>`, `s3:<pattern>` or `ssm:<pattern>`, as the `--honeytoken` flag takes it.
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            HoneytokenKind::Secret => "secret",
            HoneytokenKind::S3 => "s3",
            HoneytokenKind::SsmParameter => "ssm",
        };
        format!("{kind}:{}", self.pattern)
    }
}

/// Who the kill-switch is: patterns on a caller's ARN or its role (session issuer) ARN, and the
/// SSM Automation documents that run it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KillSwitchIdentity {
    pub principals: Vec<String>,
    pub ssm_documents: Vec<String>,
}

impl KillSwitchIdentity {
    /// Who a call must come from to count as the kill-switch's, for a sentence: `a principal
    /// matching *KillSwitch*` (patterns joined by "or"; the SSM documents after them). What the
    /// evidence can say of the kill-switch is only ever of the callers this names.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.principals.as_slice() {
            [] => {}
            [one] => parts.push(format!("a principal matching {one}")),
            many => parts.push(format!("a principal matching {}", many.join(" or "))),
        }
        if !self.ssm_documents.is_empty() {
            parts.push(format!(
                "an SSM Automation run of {}",
                self.ssm_documents.join(" or ")
            ));
        }
        if parts.is_empty() {
            "a kill-switch principal (none is configured)".into()
        } else {
            parts.join(" or ")
        }
    }
}

/// The detection pipeline's resources by name (empty: recognised by what their patterns name)
/// and how long after an access a detection still counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectionSettings {
    /// Flow 1 alarm names.
    pub alarms: Vec<String>,
    /// Flow 2 EventBridge rule names.
    pub rules: Vec<String>,
    /// Flow 1 metric filter names.
    pub metric_filters: Vec<String>,
    /// The pipeline's trails (names or ARNs), log groups and SNS topics (names or ARNs): a
    /// change to one is a change to the detection pipeline.
    pub trails: Vec<String>,
    pub log_groups: Vec<String>,
    pub topics: Vec<String>,
    pub window_minutes: u64,
}

impl DetectionSettings {
    /// The detection window in milliseconds.
    pub fn window_ms(&self) -> i64 {
        self.window_minutes as i64 * 60_000
    }
}

/// Everything the analysis path (`analyse`, `classify`, `correlate`, `posture`) is told.
/// No `Default`: the defaults are the configuration file's (`Config::default().analysis_settings()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisSettings {
    /// In the configuration's order: a hit names its rule by index.
    pub honeytokens: Vec<HoneytokenRule>,
    pub killswitch: KillSwitchIdentity,
    pub detection: DetectionSettings,
    /// The most one file may inflate to, in bytes.
    pub max_inflated_bytes: u64,
}
