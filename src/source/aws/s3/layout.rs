//! Walking the CloudTrail S3 key layout, pure: which folders can hold trail files, which days a
//! window spans, and which listed keys fall in it, so that nothing outside the window is listed
//! or fetched. What a single key says (account, region, digest or log, the time in its name) is
//! read by `model::trail_key`.
//!
//! `[prefix/]AWSLogs/[o-org/]<account>/CloudTrail[-Digest]/<region>/<yyyy>/<mm>/<dd>/
//! <account>_CloudTrail[-Digest]_<region>_..._<yyyymmdd>T<hhmm[ss]>Z[_<rand>].json.gz`

use crate::model::trail_key::{is_account, is_org, name_time};
use chrono::{DateTime, NaiveDate, Utc};

/// What a folder name means when walking down from the user's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// `CloudTrail/` or `CloudTrail-Digest/`: its children are regions.
    TrailRoot,
    /// `AWSLogs/`, an account id or an organization id: walk into it.
    Descend,
    /// Something else inside `AWSLogs/` (e.g. `CloudTrail-Insight/`, another service's logs).
    Skip,
}

/// Classify `folder` (the last segment of a common prefix); `inside_awslogs` says whether the
/// walk already passed an `AWSLogs/` folder (above it, any folder may be a custom key prefix).
pub fn folder(name: &str, inside_awslogs: bool) -> Folder {
    match name {
        "CloudTrail" | "CloudTrail-Digest" => Folder::TrailRoot,
        "AWSLogs" => Folder::Descend,
        n if is_account(n) || is_org(n) => Folder::Descend,
        _ if !inside_awslogs => Folder::Descend,
        _ => Folder::Skip,
    }
}

/// The last segment of a `/`-terminated prefix.
pub fn last_segment(prefix: &str) -> &str {
    prefix
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
}

/// `yyyy/mm/dd/` for every UTC day that `[from, to]` touches.
pub fn day_prefixes(from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<String> {
    let mut out = Vec::new();
    let mut d: NaiveDate = from.date_naive();
    while d <= to.date_naive() {
        out.push(d.format("%Y/%m/%d/").to_string());
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// Whether a listed key can hold events of the window: its name's time within the delivery
/// window (a name without a time is kept: the day folder already matched).
pub fn in_window(key: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
    name_time(key).is_none_or(|t| t >= from && t <= to)
}

/// A key or prefix ListObjectsV2 returned with `EncodingType=url`: `%XX` is a byte and `+` a
/// space (S3 encodes as HTML forms do; a `+` in a key comes as `%2B`). `None` when the result
/// is not UTF-8 or an escape is incomplete.
pub fn url_decode(encoded: &str) -> Option<String> {
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trail_key::{in_digest_folder as is_digest, region_of};
    use crate::source::aws::plan::parse_time;

    #[test]
    fn folders() {
        assert_eq!(folder("AWSLogs", false), Folder::Descend);
        assert_eq!(folder("123456789012", true), Folder::Descend);
        assert_eq!(folder("o-a1b2c3d4e5", true), Folder::Descend);
        assert_eq!(folder("CloudTrail-Digest", true), Folder::TrailRoot);
        assert_eq!(folder("CloudTrail-Insight", true), Folder::Skip);
        assert_eq!(folder("my-custom-prefix", false), Folder::Descend);
        assert_eq!(last_segment("AWSLogs/123456789012/"), "123456789012");
    }

    #[test]
    fn listed_keys_are_url_decoded() {
        assert_eq!(
            url_decode("a/20/F%01.json.gz").as_deref(),
            Some("a/20/F\u{1}.json.gz")
        );
        assert_eq!(url_decode("a+b%2Bc").as_deref(), Some("a b+c"));
        assert_eq!(url_decode("%E2%82%AC").as_deref(), Some("€"));
        assert_eq!(url_decode("a%2"), None);
        assert_eq!(url_decode("%FF"), None);
    }

    #[test]
    fn days_of_a_window_with_margins() {
        let d = day_prefixes(
            parse_time("2026-11-19T23:45Z").unwrap(),
            parse_time("2026-11-21T01:00Z").unwrap(),
        );
        assert_eq!(d, ["2026/11/19/", "2026/11/20/", "2026/11/21/"]);
    }

    #[test]
    fn names_give_the_delivery_time() {
        let k = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T1405Z_AbCdEf0123456789.json.gz";
        assert_eq!(name_time(k), parse_time("2026-11-20T14:05Z").ok());
        let d = "AWSLogs/o-abc123def4/111122223333/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_org-trail_us-east-1_20261120T150512Z.json.gz";
        assert_eq!(name_time(d), parse_time("2026-11-20T15:05:12Z").ok());
        assert!(is_digest(d));
        assert_eq!(region_of(d), Some("eu-west-1"));
        let (from, to) = (
            parse_time("2026-11-20T14:00Z").unwrap(),
            parse_time("2026-11-20T15:00Z").unwrap(),
        );
        assert!(in_window(k, from, to));
        assert!(!in_window(d, from, to));
    }
}
