//! The objects an Athena search selected, made ready to fetch like a listed window: each
//! selected trail file's account and region has every day folder of the window listed (the
//! selected files' size and ETag, which the fetch checks; the others are recorded as left out),
//! and the digests of the whole window of that account and region are fetched with it (and the
//! public keys they need). A selected object no longer in its folder
//! is a gap.

use super::super::json::file_safe;
use super::super::plan::{CollectPlan, S3Uri};
use super::super::sink::store_json;
use super::super::{AwsContext, Provenance, Sink};
use super::{bucket_region, gap, list, ready, Listed, Planned};
use crate::model::trail_key;
use chrono::Duration;
use std::collections::{BTreeMap, BTreeSet};

/// A digest ends up to this long after the events of the files it lists (digests are hourly; a
/// little more for late delivery).
const DIGEST_REACH: Duration = Duration::minutes(135);

/// Plan the fetch of `selected` (`(bucket, key)` of trail files), one [`Planned`] per bucket.
pub async fn plan_selected(
    ctx: &AwsContext,
    selected: &BTreeSet<(String, String)>,
    plan: &CollectPlan,
    sink: &dyn Sink,
) -> Vec<Planned> {
    let mut by_bucket: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (b, k) in selected {
        by_bucket.entry(b.as_str()).or_default().push(k.as_str());
    }
    let mut out = Vec::new();
    for (bucket, keys) in by_bucket {
        let uri = S3Uri {
            bucket: bucket.to_string(),
            prefix: String::new(),
        };
        let region = match bucket_region(ctx, &uri, sink).await {
            Ok(r) => r,
            Err(e) => {
                gap(sink, &uri.to_string(), &e);
                continue;
            }
        };
        let client = ctx.s3(&region);
        let objects = objects_of(&client, bucket, &keys, plan, &region, sink).await;
        if !objects.is_empty() {
            out.push(ready(ctx, client, bucket, region, objects, plan, sink).await);
        }
    }
    out
}

/// The day folder a key is in (`…/2026/11/20/`).
fn folder(key: &str) -> &str {
    key.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The digest day folders (`…/CloudTrail-Digest/<region>/yyyy/mm/dd/`) of a selected file's
/// account and region, for every day the window's digests can end on: the whole window's chain
/// is fetched (one small file per hour), so that `verify` and the coverage table see which hours
/// had files and which had none, as for a case of every file.
fn digest_folders(key: &str, days: &[String]) -> Option<Vec<String>> {
    let scope = trail_key::scope_of(key)?;
    Some(
        days.iter()
            .map(|d| format!("{}/CloudTrail-Digest/{}/{d}/", scope.base, scope.region))
            .collect(),
    )
}

/// The days a digest of the window can end on.
fn digest_days(plan: &CollectPlan) -> Vec<String> {
    let (from, to) = plan.window.delivery();
    let mut out = Vec::new();
    let mut d = from.date_naive();
    while d <= (to + DIGEST_REACH).date_naive() {
        out.push(d.format("%Y/%m/%d").to_string());
        d += Duration::days(1);
    }
    out
}

async fn objects_of(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    keys: &[&str],
    plan: &CollectPlan,
    region: &str,
    sink: &dyn Sink,
) -> Vec<Listed> {
    let wanted: BTreeSet<&str> = keys.iter().copied().collect();
    let days = digest_days(plan);
    let mut digest_dirs: BTreeSet<String> = BTreeSet::new();
    let mut trail_dirs: BTreeSet<String> = BTreeSet::new();
    for key in keys {
        trail_dirs.insert(format!("{}/", folder(key)));
        // Every day folder of the window of this account and region: the files the search left
        // out there are recorded too (else their hours would read as "no trail file").
        if let Some(scope) = trail_key::scope_of(key) {
            trail_dirs.extend(
                days.iter()
                    .map(|d| format!("{}/CloudTrail/{}/{d}/", scope.base, scope.region)),
            );
        }
        digest_dirs.extend(digest_folders(key, &days).unwrap_or_default());
    }
    let (from, to) = plan.window.delivery();
    let mut objects = Vec::new();
    let mut found: BTreeSet<String> = BTreeSet::new();
    // The other trail files of those folders (the window's, of each account and region with
    // evidence): left out on purpose. Recorded so that the coverage table can tell their hours
    // (searched, no evidence) from hours with no file.
    let mut left_out: Vec<String> = Vec::new();
    for dir in &trail_dirs {
        match list(client, bucket, dir, false, region, sink).await {
            Ok((_, listed)) => {
                for o in listed {
                    if wanted.contains(o.key.as_str()) {
                        found.insert(o.key.clone());
                        objects.push(o);
                    } else if trail_key::is_log_key(&o.key) {
                        left_out.push(format!("s3://{bucket}/{}", o.key));
                    }
                }
            }
            Err(e) => gap(sink, &format!("s3://{bucket}/{dir}"), &e),
        }
    }
    left_out.sort();
    store_json(
        sink,
        &format!("athena/left-out-{}.json", file_safe(bucket)),
        &serde_json::json!({
            "trailcase_athena_left_out": 1,
            "about": "trail files listed beside the selected ones (same account, region and day) that the Athena search found no evidence in: not fetched",
            "objects": left_out,
        }),
        Provenance {
            source: format!("aws:s3:ListObjectsV2:{region}:{bucket}"),
            s3: None,
        },
    );
    for key in wanted.iter().filter(|k| !found.contains(**k)) {
        sink.gap(
            &format!("s3://{bucket}/{key}"),
            "Athena found evidence in this object, but it is not in its folder now (deleted or moved since?): not fetched",
            None,
        );
    }
    for dir in &digest_dirs {
        match list(client, bucket, dir, false, region, sink).await {
            Ok((_, listed)) => objects.extend(listed.into_iter().filter(|o| {
                trail_key::is_digest_key(&o.key)
                    && trail_key::name_time(&o.key)
                        .is_some_and(|end| end > from && end <= to + DIGEST_REACH)
            })),
            Err(e) => gap(sink, &format!("s3://{bucket}/{dir}"), &e),
        }
    }
    objects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_folders_are_the_days_of_the_window() {
        let key = "AWSLogs/o-abc123/111111111111/CloudTrail/us-east-1/2026/11/20/111111111111_CloudTrail_us-east-1_20261120T2305Z_abc.json.gz";
        let days = ["2026/11/20".to_string(), "2026/11/21".to_string()];
        assert_eq!(
            digest_folders(key, &days).unwrap(),
            [
                "AWSLogs/o-abc123/111111111111/CloudTrail-Digest/us-east-1/2026/11/20/",
                "AWSLogs/o-abc123/111111111111/CloudTrail-Digest/us-east-1/2026/11/21/"
            ]
        );
        assert_eq!(
            folder(key),
            "AWSLogs/o-abc123/111111111111/CloudTrail/us-east-1/2026/11/20"
        );
    }
}
