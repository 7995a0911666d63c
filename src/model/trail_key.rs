//! The CloudTrail S3 key layout, parsed in one place: whether a key is a log file or a digest,
//! the account, organization and region it belongs to, the chain a digest is part of, and the
//! time its file name states. Used by the S3 listing (`source::aws::s3`), the case's digest
//! verification (`case`) and the report's delivery facts.
//!
//! Layout (AWS CloudTrail User Guide, "Finding your log files", "CloudTrail digest file structure"):
//! `[prefix/]AWSLogs/[o-org/]<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail_<region>_<yyyymmddThhmmZ>_<random>.json.gz`
//! and `.../CloudTrail-Digest/<region>/.../<account>_CloudTrail-Digest_<region>_<trail>_<home region>_<yyyymmddThhmmssZ>[_backfill].json.gz`.
//!
//! Pure functions of the key's text (keys are attacker-controlled: every reading is checked);
//! imports only `chrono`, nothing of the crate.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// Which kind of CloudTrail file a key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TrailFileKind {
    Log,
    Digest,
}

/// What a CloudTrail key says about its file, for a key under `CloudTrail/` or
/// `CloudTrail-Digest/` with at least a region and a file below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailKey<'k> {
    pub kind: TrailFileKind,
    /// The organization id folder of an organization trail.
    pub org: Option<&'k str>,
    /// The account folder just above `CloudTrail[-Digest]/`, when it is a 12-digit account id.
    pub account: Option<&'k str>,
    pub region: &'k str,
    /// The time the file name states (see [`name_time`]).
    pub time: Option<DateTime<Utc>>,
}

impl<'k> TrailKey<'k> {
    /// Read `key` (a case path such as `cloudtrail/AWSLogs/...` works too: only the segments
    /// around `CloudTrail[-Digest]/` count). `None` when it is neither a log file nor a digest.
    pub fn parse(key: &'k str) -> Option<Self> {
        let kind = if is_digest_key(key) {
            TrailFileKind::Digest
        } else if is_log_key(key) {
            TrailFileKind::Log
        } else {
            return None;
        };
        let segment = match kind {
            TrailFileKind::Digest => "CloudTrail-Digest",
            TrailFileKind::Log => "CloudTrail",
        };
        let (parts, i) = split_at_segment(key, segment)?;
        let above = i.checked_sub(1).map(|a| parts[a]);
        let org = i.checked_sub(2).map(|o| parts[o]).filter(|o| is_org(o));
        Some(TrailKey {
            kind,
            org,
            account: above.filter(|a| is_account(a)),
            region: parts[i + 1],
            time: name_time(key),
        })
    }
}

/// The delivery minute CloudTrail writes into a log file's name (`..._CloudTrail_<region>_20261120T1407Z_<rand>.json.gz`):
/// the first `_`-separated part of the name shaped `yyyymmddThhmmZ`; `None` for a name without
/// `_CloudTrail_` (a digest, anything else) or whose stamp is not a valid time.
pub fn delivery_minute(key: &str) -> Option<DateTime<Utc>> {
    let name = key.rsplit('/').next()?;
    if !name.contains("_CloudTrail_") {
        return None;
    }
    let stamp = name
        .split('_')
        .find(|p| p.len() == 14 && p.as_bytes()[8] == b'T' && p.ends_with('Z'))?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%MZ")
        .ok()
        .map(|t| t.and_utc())
}

/// A 12-digit account id.
pub fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// An organization id (`o-` and letters or digits), the folder an organization trail adds.
pub fn is_org(s: &str) -> bool {
    s.len() > 4 && s.starts_with("o-") && s[2..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The time in a trail or digest file's name (`..._20261120T1405Z_...` or `..._20261120T140512Z...`).
pub fn name_time(key: &str) -> Option<DateTime<Utc>> {
    let name = key.rsplit('/').next()?;
    name.split(['_', '.']).find_map(|part| {
        let p = part.strip_suffix('Z')?;
        let (date, time) = p.split_once('T')?;
        if date.len() != 8 || !(time.len() == 4 || time.len() == 6) {
            return None;
        }
        let fmt = if time.len() == 4 {
            "%Y%m%dT%H%M"
        } else {
            "%Y%m%dT%H%M%S"
        };
        NaiveDateTime::parse_from_str(p, fmt)
            .ok()
            .map(|t| t.and_utc())
    })
}

/// Under a `CloudTrail-Digest/` folder (what the S3 listing fetches with its signature); looser
/// than [`is_digest_key`], which also wants a digest file's shape.
pub fn in_digest_folder(key: &str) -> bool {
    key.contains("/CloudTrail-Digest/")
}

/// The region folder of a key under a trail root.
pub fn region_of(key: &str) -> Option<&str> {
    let mut parts = key.split('/');
    parts.find(|p| *p == "CloudTrail" || *p == "CloudTrail-Digest")?;
    parts.next()
}

/// What a backfill digest's file name carries after its timestamp (`..._<yyyymmddThhmmssZ>_backfill.json.gz`,
/// user guide "CloudTrail digest file structure", note on backfill digest files).
const BACKFILL_SUFFIX: &str = "_backfill";

/// The account/region a digest or log file belongs to: everything before `CloudTrail[-Digest]/` and the
/// region after it. Logs and digests of the same scope share it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Scope {
    pub base: String,
    pub region: String,
}

fn split_at_segment<'a>(key: &'a str, segment: &str) -> Option<(Vec<&'a str>, usize)> {
    let parts: Vec<&str> = key.split('/').collect();
    let i = parts.iter().position(|p| *p == segment)?;
    (i + 2 < parts.len()).then_some((parts, i))
}

fn is_json(key: &str) -> bool {
    key.ends_with(".json.gz") || key.ends_with(".json")
}

pub fn is_digest_key(key: &str) -> bool {
    is_json(key) && split_at_segment(key, "CloudTrail-Digest").is_some()
}

/// A backfill digest: delivered when CloudTrail adds log files that an earlier digest missed because of
/// processing delays. Backfill digests are signed like hourly ones but form a chain of their own, beside
/// the hourly chain of the same trail (`aws cloudtrail validate-logs` walks them as a separate chain).
pub fn is_backfill_digest_key(key: &str) -> bool {
    is_digest_key(key) && file_stem(key).ends_with(BACKFILL_SUFFIX)
}

/// The file name without `.json.gz`/`.json`.
fn file_stem(key: &str) -> &str {
    let file = key.rsplit('/').next().unwrap_or(key);
    file.trim_end_matches(".gz").trim_end_matches(".json")
}

pub fn is_log_key(key: &str) -> bool {
    is_json(key) && split_at_segment(key, "CloudTrail").is_some()
}

pub fn scope_of(key: &str) -> Option<Scope> {
    let (parts, i) = split_at_segment(key, "CloudTrail-Digest")
        .or_else(|| split_at_segment(key, "CloudTrail"))?;
    Some(Scope {
        base: parts[..i].join("/"),
        region: parts[i + 1].to_owned(),
    })
}

/// Digests of one chain share scope, trail name and home region: the file name without its timestamp.
/// Backfill digests of a trail form their own chain, whose id is the hourly chain's with `_backfill`.
pub fn chain_id(key: &str) -> String {
    let id = hourly_chain_id(key);
    if is_backfill_digest_key(key) {
        format!("{id}{BACKFILL_SUFFIX}")
    } else {
        id
    }
}

/// The id of the hourly chain a digest belongs to, or that a backfill digest stands beside.
pub fn hourly_chain_id(key: &str) -> String {
    let dir = key.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut stem = file_stem(key);
    if is_digest_key(key) {
        stem = stem.strip_suffix(BACKFILL_SUFFIX).unwrap_or(stem);
    }
    let trail_part = stem.rsplit_once('_').map_or("", |(head, _timestamp)| head);
    match scope_of(key) {
        Some(scope) => format!(
            "{}/CloudTrail-Digest/{}/{}",
            scope.base, scope.region, trail_part
        ),
        None => format!("{dir}/{trail_part}"),
    }
}

/// The delivery time CloudTrail writes into a log file name (`..._20150817T1445Z_<random>.json.gz`).
pub fn log_file_time(key: &str) -> Option<DateTime<Utc>> {
    let file = key.rsplit('/').next()?;
    let stamp = file.split('_').nth(3)?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%MZ")
        .ok()
        .map(|t| Utc.from_utc_datetime(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1445Z_9nYN7gp2eWAJHIfT.json.gz";
    const ORG_DIGEST: &str = "AWSLogs/o-abc123def4/111122223333/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_org-trail_us-east-1_20261120T150512Z.json.gz";

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn a_key_says_kind_account_org_region_and_time() {
        let log = TrailKey::parse(LOG).unwrap();
        assert_eq!(log.kind, TrailFileKind::Log);
        assert_eq!((log.org, log.account), (None, Some("111122223333")));
        assert_eq!(log.region, "us-east-2");
        assert_eq!(log.time, Some(t("2015-08-17T14:45:00Z")));
        let digest = TrailKey::parse(ORG_DIGEST).unwrap();
        assert_eq!(digest.kind, TrailFileKind::Digest);
        assert_eq!(digest.org, Some("o-abc123def4"));
        assert_eq!(digest.account, Some("111122223333"));
        assert_eq!(digest.region, "eu-west-1");
        assert_eq!(digest.time, Some(t("2026-11-20T15:05:12Z")));
        let in_case = format!("cloudtrail/{LOG}");
        assert_eq!(TrailKey::parse(&in_case).unwrap().region, "us-east-2");
        assert_eq!(TrailKey::parse("AWSLogs/111122223333/elb/f.json.gz"), None);
    }

    #[test]
    fn the_delivery_minute_is_read_from_log_file_names_only() {
        assert_eq!(delivery_minute(LOG), Some(t("2015-08-17T14:45:00Z")));
        assert_eq!(delivery_minute(ORG_DIGEST), None);
        assert_eq!(
            delivery_minute("x/1_CloudTrail_r_20151317T1445Z_a.json.gz"),
            None
        );
    }
}
