//! Whether an SSM parameter or S3 object honeytoken exists, looked up without reading it: a read
//! of the decoy is what its own detection catches (and what an incident is made of), so neither
//! GetParameter nor GetObject is called, nor HeadObject (a data event on the object itself).
//!
//! - SSM: DescribeParameters with a `Name` `Equals` filter, a management read of the parameters'
//!   metadata that never returns a value.
//! - S3: ListObjectsV2 of the bucket with the key as `Prefix` and `MaxKeys=1`, a call on the
//!   bucket whose record names the bucket and the prefix, not the object (its resources give
//!   the prefix as `ARNPrefix`, never the object's `ARN`). The decoy key, when there, is the first
//!   key listed: every other key with it as prefix sorts after it.
//!
//! A secret, or a honeytoken given as a pattern (`*`, `?`), is not looked up here.

use super::super::error::{AwsError, Operation};
use super::super::s3::layout::url_decode;
use super::super::AwsContext;
use crate::model::posture_snapshot::{DecoyState, Fetched};
use crate::model::{HoneytokenKind, HoneytokenRule};

const DESCRIBE: Operation = Operation::new("ssm", "DescribeParameters");
const LIST: Operation = Operation::new("s3", "ListObjectsV2");

pub async fn look_up(
    ctx: &AwsContext,
    region: &str,
    honeytoken: &str,
) -> Fetched<Option<DecoyState>> {
    let rule = HoneytokenRule::from_flag(honeytoken);
    if rule.pattern.contains(['*', '?']) {
        return Err(format!(
            "{honeytoken} is a pattern, not one name: not looked up"
        ));
    }
    match rule.kind {
        HoneytokenKind::Secret => Err("a secret: described by DescribeSecret".into()),
        HoneytokenKind::SsmParameter => parameter(ctx, region, &rule.pattern).await,
        HoneytokenKind::S3 => object(ctx, region, &rule.pattern).await,
    }
}

/// The names a parameter given by name or ARN may have: an ARN's `parameter/prod/db` is the
/// parameter `/prod/db`, and its `parameter/db` is `db` or `/db` (the ARN does not tell).
pub fn parameter_names(given: &str) -> Vec<String> {
    match given.split_once(":parameter/") {
        Some((arn, rest)) if arn.starts_with("arn:") => {
            let mut names = vec![format!("/{rest}")];
            if !rest.contains('/') {
                names.push(rest.to_string());
            }
            names
        }
        _ => vec![given.to_string()],
    }
}

async fn parameter(ctx: &AwsContext, region: &str, given: &str) -> Fetched<Option<DecoyState>> {
    let names = parameter_names(given);
    let filter = aws_sdk_ssm::types::ParameterStringFilter::builder()
        .key("Name")
        .option("Equals")
        .set_values(Some(names.clone()))
        .build()
        .map_err(|e| e.to_string())?;
    let mut pages = ctx
        .ssm(region)
        .describe_parameters()
        .parameter_filters(filter)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| AwsError::from_sdk(DESCRIBE, &e).to_string())?;
        let found = page
            .parameters()
            .iter()
            .find(|p| p.name().is_some_and(|n| names.iter().any(|m| m == n)));
        if let Some(p) = found {
            return Ok(Some(DecoyState {
                name: p.name().unwrap_or(given).to_string(),
                arn: p.arn().map(str::to_owned),
            }));
        }
    }
    Ok(None)
}

/// `BUCKET/KEY` (or `arn:aws:s3:::BUCKET/KEY`) as bucket and key.
pub fn bucket_and_key(given: &str) -> Option<(&str, &str)> {
    let path = given.trim_start_matches("arn:aws:s3:::");
    path.split_once('/')
        .filter(|(b, k)| !b.is_empty() && !k.is_empty())
}

async fn object(ctx: &AwsContext, region: &str, given: &str) -> Fetched<Option<DecoyState>> {
    let Some((bucket, key)) = bucket_and_key(given) else {
        return Err(format!(
            "{given} names no object (BUCKET/KEY): not looked up"
        ));
    };
    let mut region = region.to_string();
    // At most one redirect: S3 names the bucket's own region in its answer.
    for _ in 0..2 {
        let result = ctx
            .s3(&region)
            .list_objects_v2()
            .bucket(bucket)
            .prefix(key)
            .max_keys(1)
            .encoding_type(aws_sdk_s3::types::EncodingType::Url)
            .send()
            .await;
        let out = match result {
            Ok(out) => out,
            Err(aws_sdk_s3::error::SdkError::ServiceError(e))
                if e.raw()
                    .headers()
                    .get("x-amz-bucket-region")
                    .is_some_and(|r| r != region) =>
            {
                region = e
                    .raw()
                    .headers()
                    .get("x-amz-bucket-region")
                    .unwrap_or_default()
                    .to_string();
                continue;
            }
            Err(e) => {
                return match AwsError::from_sdk(LIST, &e) {
                    AwsError::NotFound { .. } => Ok(None),
                    other => Err(other.to_string()),
                }
            }
        };
        let listed = out
            .contents()
            .iter()
            .filter_map(|o| o.key().and_then(url_decode))
            .any(|k| k == key);
        return Ok(listed.then(|| DecoyState {
            name: format!("s3://{bucket}/{key}"),
            arn: None,
        }));
    }
    Err(format!(
        "s3://{bucket} redirected more than once: not looked up"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_arn_gives_the_names_it_may_stand_for() {
        assert_eq!(parameter_names("/prod/db"), ["/prod/db"]);
        assert_eq!(
            parameter_names("arn:aws:ssm:us-east-1:123456789012:parameter/prod/db"),
            ["/prod/db"]
        );
        assert_eq!(
            parameter_names("arn:aws:ssm:us-east-1:123456789012:parameter/db"),
            ["/db", "db"]
        );
    }

    #[test]
    fn an_object_is_a_bucket_and_a_key() {
        assert_eq!(bucket_and_key("b/k/x.csv"), Some(("b", "k/x.csv")));
        assert_eq!(bucket_and_key("arn:aws:s3:::b/k"), Some(("b", "k")));
        assert_eq!(bucket_and_key("b"), None);
        assert_eq!(bucket_and_key("b/"), None);
    }
}
