//! The objects an Athena search selected, made ready to fetch like a listed window: each
//! selected trail file's day folder is listed (its size and ETag, which the fetch checks), and
//! so are the digest folders of its region-hours, whose digests covering the selected files are
//! fetched with them (and the public keys they need). A selected object no longer in its folder
//! is a gap.

use super::super::plan::{CollectPlan, S3Uri};
use super::super::{AwsContext, Sink};
use super::{bucket_region, gap, list, ready, Listed, Planned};
use crate::model::trail_key;
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// A digest ends at most this long after the files it lists were delivered (digests are hourly;
/// a little more for late delivery).
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
        let objects = objects_of(&client, bucket, &keys, &region, sink).await;
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

/// The digest day folders (`…/CloudTrail-Digest/<region>/yyyy/mm/dd/`) of the hours after `t`
/// that can list a file delivered at `t`.
fn digest_folders(key: &str, t: DateTime<Utc>) -> Option<Vec<String>> {
    let scope = trail_key::scope_of(key)?;
    let mut days = vec![t.format("%Y/%m/%d").to_string()];
    let later = (t + DIGEST_REACH).format("%Y/%m/%d").to_string();
    if later != days[0] {
        days.push(later);
    }
    Some(
        days.into_iter()
            .map(|d| format!("{}/CloudTrail-Digest/{}/{d}/", scope.base, scope.region))
            .collect(),
    )
}

async fn objects_of(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    keys: &[&str],
    region: &str,
    sink: &dyn Sink,
) -> Vec<Listed> {
    let wanted: BTreeSet<&str> = keys.iter().copied().collect();
    // Digest folder -> the delivery times of the selected files its digests may list.
    let mut digest_dirs: BTreeMap<String, Vec<DateTime<Utc>>> = BTreeMap::new();
    let mut trail_dirs: BTreeSet<String> = BTreeSet::new();
    for key in keys {
        trail_dirs.insert(format!("{}/", folder(key)));
        let Some(t) = trail_key::log_file_time(key) else {
            sink.notice(&format!(
                "s3://{bucket}/{key}: the file name states no delivery time, so the digests that list it cannot be chosen; it is fetched without them"
            ));
            continue;
        };
        for d in digest_folders(key, t).unwrap_or_default() {
            digest_dirs.entry(d).or_default().push(t);
        }
    }
    let mut objects = Vec::new();
    let mut found: BTreeSet<String> = BTreeSet::new();
    for dir in &trail_dirs {
        match list(client, bucket, dir, false, region, sink).await {
            Ok((_, listed)) => {
                for o in listed {
                    if wanted.contains(o.key.as_str()) {
                        found.insert(o.key.clone());
                        objects.push(o);
                    }
                }
            }
            Err(e) => gap(sink, &format!("s3://{bucket}/{dir}"), &e),
        }
    }
    for key in wanted.iter().filter(|k| !found.contains(**k)) {
        sink.gap(
            &format!("s3://{bucket}/{key}"),
            "Athena found evidence in this object, but it is not in its folder now (deleted or moved since?): not fetched",
            None,
        );
    }
    for (dir, times) in &digest_dirs {
        match list(client, bucket, dir, false, region, sink).await {
            Ok((_, listed)) => objects.extend(listed.into_iter().filter(|o| {
                trail_key::is_digest_key(&o.key)
                    && trail_key::name_time(&o.key).is_some_and(|end| {
                        times.iter().any(|t| end > *t && end <= *t + DIGEST_REACH)
                    })
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
    fn digest_folders_cross_midnight() {
        let key = "AWSLogs/o-abc123/111111111111/CloudTrail/us-east-1/2026/11/20/111111111111_CloudTrail_us-east-1_20261120T2305Z_abc.json.gz";
        let t = trail_key::log_file_time(key).unwrap();
        assert_eq!(
            digest_folders(key, t).unwrap(),
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
