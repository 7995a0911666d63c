//! What the S3 key layout says about a file: digest, sidecar, log file or key list, and which chain or
//! account/region it belongs to.
//!
//! Layout (AWS CloudTrail User Guide, "CloudTrail digest file structure" and "Finding your log files"):
//! `[prefix/]AWSLogs/[o-org/]<account>/CloudTrail-Digest/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail-Digest_<region>_<trail>_<home region>_<yyyymmddThhmmssZ>.json.gz`
//! and `.../CloudTrail/<region>/.../<account>_CloudTrail_<region>_<yyyymmddThhmmZ>_<random>.json.gz`.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

pub(crate) const SIDECAR_SUFFIX: &str = ".signature";

/// What a backfill digest's file name carries after its timestamp (`..._<yyyymmddThhmmssZ>_backfill.json.gz`,
/// user guide "CloudTrail digest file structure", note on backfill digest files).
const BACKFILL_SUFFIX: &str = "_backfill";

/// The account/region a digest or log file belongs to: everything before `CloudTrail[-Digest]/` and the
/// region after it. Logs and digests of the same scope share it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Scope {
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

pub(crate) fn is_digest_key(key: &str) -> bool {
    is_json(key) && split_at_segment(key, "CloudTrail-Digest").is_some()
}

/// A backfill digest: delivered when CloudTrail adds log files that an earlier digest missed because of
/// processing delays. Backfill digests are signed like hourly ones but form a chain of their own, beside
/// the hourly chain of the same trail (`aws cloudtrail validate-logs` walks them as a separate chain).
pub(crate) fn is_backfill_digest_key(key: &str) -> bool {
    is_digest_key(key) && file_stem(key).ends_with(BACKFILL_SUFFIX)
}

/// The file name without `.json.gz`/`.json`.
fn file_stem(key: &str) -> &str {
    let file = key.rsplit('/').next().unwrap_or(key);
    file.trim_end_matches(".gz").trim_end_matches(".json")
}

pub(crate) fn is_log_key(key: &str) -> bool {
    is_json(key) && split_at_segment(key, "CloudTrail").is_some()
}

/// `public-keys.json` at the top of `cloudtrail/`; also `public-keys-<region>.json` or
/// `public-keys/<anything>.json`, since ListPublicKeys answers for one region per call.
pub(crate) fn is_public_keys_key(key: &str) -> bool {
    let top_level = !key.contains('/') && key.starts_with("public-keys");
    let in_folder = key.starts_with("public-keys/") && key.matches('/').count() == 1;
    (top_level || in_folder) && key.ends_with(".json")
}

pub(crate) fn scope_of(key: &str) -> Option<Scope> {
    let (parts, i) = split_at_segment(key, "CloudTrail-Digest")
        .or_else(|| split_at_segment(key, "CloudTrail"))?;
    Some(Scope {
        base: parts[..i].join("/"),
        region: parts[i + 1].to_owned(),
    })
}

/// Digests of one chain share scope, trail name and home region: the file name without its timestamp.
/// Backfill digests of a trail form their own chain, whose id is the hourly chain's with `_backfill`.
pub(crate) fn chain_id(key: &str) -> String {
    let id = hourly_chain_id(key);
    if is_backfill_digest_key(key) {
        format!("{id}{BACKFILL_SUFFIX}")
    } else {
        id
    }
}

/// The id of the hourly chain a digest belongs to, or that a backfill digest stands beside.
pub(crate) fn hourly_chain_id(key: &str) -> String {
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
pub(crate) fn log_file_time(key: &str) -> Option<DateTime<Utc>> {
    let file = key.rsplit('/').next()?;
    let stamp = file.split('_').nth(3)?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%MZ")
        .ok()
        .map(|t| Utc.from_utc_datetime(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_my_trail_us-east-2_20150817T150131Z.json.gz";
    const LOG: &str = "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1445Z_9nYN7gp2eWAJHIfT.json.gz";

    #[test]
    fn classifies_keys() {
        assert!(is_digest_key(DIGEST) && !is_log_key(DIGEST));
        assert!(is_log_key(LOG) && !is_digest_key(LOG));
        assert!(!is_digest_key(&format!("{DIGEST}{SIDECAR_SUFFIX}")));
        assert!(is_public_keys_key("public-keys.json"));
        assert!(is_public_keys_key("public-keys/eu-west-1.json"));
        assert!(!is_public_keys_key("AWSLogs/public-keys.json"));
    }

    #[test]
    fn digests_and_logs_of_one_region_share_a_scope() {
        assert_eq!(scope_of(DIGEST), scope_of(LOG));
        assert_eq!(
            scope_of("o-abc/AWSLogs/o-abc/1/CloudTrail/eu-west-1/2020/01/01/f.json.gz")
                .unwrap()
                .region,
            "eu-west-1"
        );
    }

    #[test]
    fn chain_id_drops_only_the_timestamp() {
        // The next day's digest, in the next day's folder, is the same chain.
        let later = DIGEST
            .replace("20150817T150131Z", "20150818T000131Z")
            .replace("/08/17/", "/08/18/");
        assert_eq!(chain_id(DIGEST), chain_id(&later));
        assert!(chain_id(DIGEST).ends_with("_my_trail_us-east-2"));
        assert_ne!(
            chain_id(DIGEST),
            chain_id(&DIGEST.replace("my_trail", "other"))
        );
    }

    #[test]
    fn a_backfill_digest_has_its_own_chain_beside_the_hourly_one() {
        let backfill = DIGEST.replace(".json.gz", "_backfill.json.gz");
        assert!(is_digest_key(&backfill) && is_backfill_digest_key(&backfill));
        assert!(!is_backfill_digest_key(DIGEST));
        assert!(!is_backfill_digest_key(&format!(
            "{backfill}{SIDECAR_SUFFIX}"
        )));
        assert_eq!(
            chain_id(&backfill),
            format!("{}_backfill", chain_id(DIGEST))
        );
        assert_eq!(hourly_chain_id(&backfill), chain_id(DIGEST));
        let later = backfill.replace("20150817T150131Z", "20150817T180131Z");
        assert_eq!(chain_id(&backfill), chain_id(&later));
    }

    #[test]
    fn reads_the_time_in_a_log_file_name() {
        assert_eq!(
            log_file_time(LOG).unwrap().to_rfc3339(),
            "2015-08-17T14:45:00+00:00"
        );
        assert_eq!(log_file_time("AWSLogs/x/CloudTrail/r/obj1.json.gz"), None);
    }
}
