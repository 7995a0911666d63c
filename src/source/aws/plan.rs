//! What to acquire, typed and validated once: the time window, S3 URIs, regions, the lookup
//! attribute. The parse functions double as clap value parsers, so a bad value is reported
//! against its flag before anything runs.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Arc, Mutex};

/// A value of the acquisition plan that cannot be used: each message names what was expected
/// and what was found (clap prints it against the flag).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("--to ({to}) must be later than --from ({from})")]
    ReversedWindow { from: String, to: String },
    #[error(
        "expected an RFC 3339 time such as 2026-11-20T00:00:00Z (seconds optional), found {0:?}"
    )]
    Time(String),
    #[error("expected s3://bucket/prefix, found {0:?}")]
    NotS3Uri(String),
    #[error("{bucket:?} is not an S3 bucket name (in {uri:?})")]
    Bucket { bucket: String, uri: String },
    #[error("expected KEY=VALUE such as EventName=GetSecretValue, found {0:?}")]
    NotKeyValue(String),
    #[error("unknown lookup attribute {key:?}; expected one of {expected}")]
    LookupKey { key: String, expected: String },
    #[error("the lookup attribute {0} needs a value")]
    LookupValue(String),
    #[error("{0:?} is not a region name such as us-east-1")]
    Region(String),
}

/// Files can be delivered this long after the events they hold.
pub const DELIVERY_MARGIN_AFTER: Duration = Duration::hours(1);
/// A file named a little before the window can still hold events from inside it.
pub const DELIVERY_MARGIN_BEFORE: Duration = Duration::minutes(15);

/// `[from, to)` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl TimeWindow {
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Self, PlanError> {
        if to <= from {
            return Err(PlanError::ReversedWindow {
                from: rfc3339(from),
                to: rfc3339(to),
            });
        }
        Ok(TimeWindow { from, to })
    }

    /// The window widened by the delivery margins: what a trail file's name may say.
    pub fn delivery(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            self.from - DELIVERY_MARGIN_BEFORE,
            self.to + DELIVERY_MARGIN_AFTER,
        )
    }
}

/// `2026-11-20T00:00:00Z`.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// RFC 3339 with the seconds optional: `2026-11-20T00:00Z`, `2026-11-20T00:00:00+01:00`.
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, PlanError> {
    let t = text.trim();
    let parsed = DateTime::parse_from_rfc3339(t).or_else(|e| {
        // `YYYY-MM-DDTHH:MM` then a zone: add the seconds. Split only at a character
        // boundary: a typo such as `00:0é` is an error, not a panic.
        match (t.get(..16), t.get(16..)) {
            (Some(minutes), Some(zone))
                if minutes.as_bytes()[13] == b':' && !zone.starts_with(':') =>
            {
                DateTime::parse_from_rfc3339(&format!("{minutes}:00{zone}"))
            }
            _ => Err(e),
        }
    });
    parsed
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| PlanError::Time(text.to_string()))
}

/// `s3://bucket/prefix/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Uri {
    pub bucket: String,
    /// Empty, or ending with `/`.
    pub prefix: String,
}

impl S3Uri {
    pub fn parse(text: &str) -> Result<Self, PlanError> {
        let rest = text
            .strip_prefix("s3://")
            .ok_or_else(|| PlanError::NotS3Uri(text.to_string()))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !valid {
            return Err(PlanError::Bucket {
                bucket: bucket.to_string(),
                uri: text.to_string(),
            });
        }
        let mut prefix = prefix.trim_start_matches('/').to_string();
        if !prefix.is_empty() && !prefix.ends_with('/') {
            prefix.push('/');
        }
        Ok(S3Uri {
            bucket: bucket.to_string(),
            prefix,
        })
    }
}

impl fmt::Display for S3Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.prefix)
    }
}

/// The lookup attribute keys LookupEvents accepts.
pub const LOOKUP_KEYS: [&str; 8] = [
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "ResourceType",
    "ResourceName",
    "EventSource",
    "AccessKeyId",
];

/// `EventName=GetSecretValue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupAttr {
    pub key: String,
    pub value: String,
}

impl LookupAttr {
    pub fn parse(text: &str) -> Result<Self, PlanError> {
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| PlanError::NotKeyValue(text.to_string()))?;
        let key = LOOKUP_KEYS
            .iter()
            .find(|k| k.eq_ignore_ascii_case(key.trim()))
            .ok_or_else(|| PlanError::LookupKey {
                key: key.to_string(),
                expected: LOOKUP_KEYS.join(", "),
            })?;
        if value.is_empty() {
            return Err(PlanError::LookupValue(key.to_string()));
        }
        Ok(LookupAttr {
            key: key.to_string(),
            value: value.to_string(),
        })
    }
}

/// An AWS region name such as `eu-west-1` (syntax only; AWS says whether it exists).
pub fn parse_region(text: &str) -> Result<String, PlanError> {
    let t = text.trim();
    let ok = t.len() >= 6
        && t.contains('-')
        && t.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && t.bytes().last().is_some_and(|b| b.is_ascii_digit());
    if ok {
        Ok(t.to_string())
    } else {
        Err(PlanError::Region(text.to_string()))
    }
}

/// Everything `collect` needs to know, validated.
#[derive(Debug, Clone)]
pub struct CollectPlan {
    pub window: TimeWindow,
    pub s3: Vec<S3Uri>,
    pub lookup: bool,
    /// One LookupEvents series per attribute (the API takes one a request); empty: the whole
    /// window.
    pub lookup_attrs: Vec<LookupAttr>,
    /// `None`: every region found under the S3 prefixes, and the configured region for the APIs.
    pub regions: Option<Vec<String>>,
    pub all_alarms: bool,
    /// Honeytoken name patterns, to recognise the detection filters, alarms and rules.
    pub honeytokens: Vec<String>,
    /// Objects fetched at once.
    pub concurrency: usize,
    /// LookupEvents requests per second per region.
    pub lookup_rate: f64,
    /// `--athena`: search the table and fetch only the files that hold the evidence (under the
    /// `s3` prefixes when given).
    pub athena: Option<AthenaPlan>,
}

/// A table name as the user gives it: `database.table`, lower case letters, digits and `_`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableName {
    pub database: String,
    pub table: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected an Athena table as database.table (letters, digits and _), found {0:?}")]
pub struct TableNameError(String);

impl TableName {
    pub fn parse(text: &str) -> Result<Self, TableNameError> {
        let bad = || TableNameError(text.to_string());
        let (db, table) = text.trim().split_once('.').ok_or_else(bad)?;
        let ok = |s: &str| {
            !s.is_empty()
                && s.len() <= 255
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        };
        if !ok(db) || !ok(table) {
            return Err(bad());
        }
        Ok(TableName {
            database: db.to_ascii_lowercase(),
            table: table.to_ascii_lowercase(),
        })
    }

    /// `"database"."table"`.
    pub fn quoted(&self) -> String {
        format!("\"{}\".\"{}\"", self.database, self.table)
    }
}

impl std::fmt::Display for TableName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.database, self.table)
    }
}

/// The queries started and not yet ended: `(region, QueryExecutionId)`.
#[derive(Debug, Clone, Default)]
pub struct Running(Arc<Mutex<BTreeSet<String>>>);

impl Running {
    pub(super) fn add(&self, id: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.to_string());
    }
    pub(super) fn remove(&self, id: &str) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
    }
    pub fn ids(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
    }
}

/// What `--athena` asks.
#[derive(Debug, Clone)]
pub struct AthenaPlan {
    pub table: TableName,
    pub workgroup: Option<String>,
    /// `--athena-output`: else the workgroup's result location.
    pub output: Option<String>,
    /// `--accounts` (organisation tables).
    pub accounts: Vec<String>,
    /// `--max-scan-gb`, in bytes.
    pub max_scan_bytes: Option<u64>,
    /// The queries running now, for Ctrl-C.
    pub running: Running,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_optional() {
        let a = parse_time("2026-11-20T00:00Z").unwrap();
        let b = parse_time("2026-11-20T00:00:00Z").unwrap();
        assert_eq!(a, b);
        let c = parse_time("2026-11-20T01:30+01:00").unwrap();
        assert_eq!(rfc3339(c), "2026-11-20T00:30:00Z");
        assert!(parse_time("2026-11-20").is_err());
        // Not ASCII where the seconds would go (a typo): refused, never a panic.
        for typo in [
            "2026-11-20T00:0é",
            "2026-11-20T00:00é",
            "2026-11-20T0é:00Z",
            "ééééééééé",
        ] {
            assert!(parse_time(typo).is_err(), "{typo}");
        }
        assert!(parse_time("yesterday")
            .unwrap_err()
            .to_string()
            .contains("RFC 3339"));
    }

    #[test]
    fn s3_uris() {
        let u = S3Uri::parse("s3://org-trail-bucket/AWSLogs").unwrap();
        assert_eq!(u.prefix, "AWSLogs/");
        assert_eq!(S3Uri::parse("s3://b-1/").unwrap().prefix, "");
        assert!(S3Uri::parse("https://x").is_err());
        assert!(S3Uri::parse("s3://Bad_Bucket/x").is_err());
    }

    #[test]
    fn lookup_attr_and_region() {
        let a = LookupAttr::parse("eventname=GetSecretValue").unwrap();
        assert_eq!(
            (a.key.as_str(), a.value.as_str()),
            ("EventName", "GetSecretValue")
        );
        assert!(LookupAttr::parse("Color=red").is_err());
        assert!(parse_region("eu-west-1").is_ok());
        assert!(parse_region("EU").is_err());
        assert!(TimeWindow::new(
            parse_time("2026-11-21T00:00Z").unwrap(),
            parse_time("2026-11-20T00:00Z").unwrap()
        )
        .is_err());
    }
}
