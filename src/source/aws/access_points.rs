//! S3 Control ListAccessPoints for each S3 decoy's bucket (a `--honeytoken s3:BUCKET/KEY`), in
//! the account of the collecting identity, stored as `aws s3control list-access-points
//! --account-id ACCOUNT --bucket BUCKET --output json` prints it, under
//! `s3control/access-points-<bucket>.json`. A read through an access point whose record names
//! only the access point (its ARN, alias or host) is matched to the decoy's bucket only when the
//! evidence says the access point serves it: without this list, a responder collecting from AWS
//! does not learn of an access point the configuration does not name. A denied or failed
//! listing is a gap of the acquisition, never an empty list.
//!
//! Read-only: `sts:GetCallerIdentity` (the account) and `s3:ListAccessPoints`.

use super::config::RegionScope;
use super::error::{gap, record, Operation};
use super::identity::GET_CALLER_IDENTITY;
use super::json::{file_safe, Obj};
use super::sink::store_json;
use super::{AwsContext, Provenance, Sink};
use serde_json::Value;

/// S3 Control's ListAccessPoints; IAM names its action `s3:ListAccessPoints`.
pub const LIST: Operation = Operation::new("s3", "ListAccessPoints");

/// The buckets of the S3 decoys among `honeytokens` (`s3:BUCKET[/KEY]`, `s3:arn:aws:s3:::…`),
/// sorted, without those whose bucket part is a wildcard pattern (no one bucket to list).
pub fn decoy_buckets(honeytokens: &[String]) -> Vec<String> {
    let mut out: Vec<String> = honeytokens
        .iter()
        .filter_map(|h| h.strip_prefix("s3:"))
        .map(|p| p.strip_prefix("arn:aws:s3:::").unwrap_or(p))
        .filter_map(|p| p.split('/').next())
        .filter(|b| !b.is_empty() && !b.contains(['*', '?']))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Where the listing of `bucket`'s access points is stored (relative to the case).
pub fn file_of(scope: &RegionScope, bucket: &str) -> String {
    scope.path(
        "s3control",
        &format!("access-points-{}.json", file_safe(bucket)),
    )
}

/// List and store the access points of each S3 decoy's bucket of `honeytokens` in `scope`'s
/// region; a denial or failure is a gap naming the bucket.
pub async fn collect(
    ctx: &AwsContext,
    scope: &RegionScope,
    honeytokens: &[String],
    sink: &dyn Sink,
) {
    let buckets = decoy_buckets(honeytokens);
    if buckets.is_empty() {
        return;
    }
    let region = scope.region.as_str();
    let source = |bucket: &str| format!("aws:s3:ListAccessPoints:{region}:{bucket}");
    let caller = ctx.sts(region).get_caller_identity().send().await;
    let account = match record(sink, GET_CALLER_IDENTITY, region, caller) {
        Ok(out) => out.account().map(str::to_string),
        Err(e) => {
            for b in &buckets {
                sink.gap(
                    &source(b),
                    &format!("the access points of the decoy's bucket {b} were not listed: the account to list them in is unknown ({e})"),
                    None,
                );
            }
            return;
        }
    };
    let Some(account) = account else {
        for b in &buckets {
            sink.gap(
                &source(b),
                &format!("the access points of the decoy's bucket {b} were not listed: sts:GetCallerIdentity named no account"),
                None,
            );
        }
        return;
    };
    let client = ctx.s3control(region);
    'buckets: for bucket in &buckets {
        let mut listed: Vec<Value> = Vec::new();
        let mut pages = client
            .list_access_points()
            .account_id(&account)
            .bucket(bucket)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match record(sink, LIST, region, page) {
                Ok(p) => listed.extend(p.access_point_list().iter().map(access_point)),
                Err(e) => {
                    gap(sink, &source(bucket), &e);
                    continue 'buckets;
                }
            }
        }
        let doc = Obj::new().list("AccessPointList", listed).build();
        store_json(
            sink,
            &file_of(scope, bucket),
            &doc,
            Provenance::api("s3", "ListAccessPoints", region),
        );
    }
}

fn access_point(a: &aws_sdk_s3control::types::AccessPoint) -> Value {
    Obj::new()
        .put("Name", a.name())
        .put("NetworkOrigin", a.network_origin().as_str())
        .opt(
            "VpcConfiguration",
            a.vpc_configuration()
                .map(|v| Obj::new().put("VpcId", v.vpc_id()).build()),
        )
        .put("Bucket", a.bucket())
        .opt("AccessPointArn", a.access_point_arn())
        .opt("Alias", a.alias())
        .opt("BucketAccountId", a.bucket_account_id())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decoys_buckets_are_those_of_s3_honeytokens_without_wildcards() {
        let h: Vec<String> = [
            "Production_Database_Credentials",
            "s3:decoy-bucket/backup.txt",
            "s3:arn:aws:s3:::other-decoy/k",
            "s3:logs-*/x",
            "s3:decoy-bucket/second.txt",
            "ssm:/prod/db",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(decoy_buckets(&h), ["decoy-bucket", "other-decoy"]);
    }
}
