//! Trail and digest files from S3: find the bucket's region, walk down to the `CloudTrail/`
//! and `CloudTrail-Digest/` folders, list only the region and day folders the window can
//! touch, drop files whose name falls outside it ([`plan`]), then fetch the rest ([`fetch`],
//! see `s3/fetch.rs`).

mod fetch;
mod gzip_check;
pub mod layout;
mod selected;

pub use selected::plan_selected;

use super::error::{gap, record, AwsError, Operation};
use super::plan::{CollectPlan, S3Uri};
use super::{AwsContext, Sink};
use crate::model::trail_key;
use aws_sdk_s3::error::ProvideErrorMetadata;
use layout::Folder;
use std::collections::BTreeSet;

const HEAD_BUCKET: Operation = Operation::new("s3", "HeadBucket");
const LIST: Operation = Operation::new("s3", "ListObjectsV2");
/// How deep the walk goes looking for `CloudTrail/` folders.
const MAX_DEPTH: usize = 6;

/// One object to fetch, as listed.
#[derive(Debug, Clone)]
pub struct Listed {
    pub key: String,
    pub size: u64,
    pub etag: Option<String>,
}

/// Listed objects of one `s3://` input, ready to fetch.
pub struct Planned {
    client: aws_sdk_s3::Client,
    bucket: String,
    region: String,
    /// What is not in the case already, in listing order.
    todo: Vec<Listed>,
}

/// List what the window needs under `uri` and fetch the CloudTrail public keys its digests
/// need; `None` when nothing can be fetched (a gap says why).
pub async fn plan(
    ctx: &AwsContext,
    uri: &S3Uri,
    plan: &CollectPlan,
    sink: &dyn Sink,
) -> Option<Planned> {
    let source = uri.to_string();
    let region = match bucket_region(ctx, uri, sink).await {
        Ok(r) => r,
        Err(e) => {
            gap(sink, &source, &e);
            return None;
        }
    };
    let client = ctx.s3(&region);
    let roots = match trail_roots(&client, uri, &region, sink).await {
        Ok(r) => r,
        Err(e) => {
            gap(sink, &source, &e);
            return None;
        }
    };
    let (from, to) = plan.window.delivery();
    let days = layout::day_prefixes(from, to);
    let mut objects: Vec<Listed> = Vec::new();
    for root in &roots {
        let regions = match list(&client, &uri.bucket, root, true, &region, sink).await {
            Ok((dirs, _)) => dirs,
            Err(e) => {
                gap(sink, &format!("s3://{}/{root}", uri.bucket), &e);
                continue;
            }
        };
        for trail_region in regions {
            let name = layout::last_segment(&trail_region);
            if plan
                .regions
                .as_ref()
                .is_some_and(|w| !w.iter().any(|r| r == name))
            {
                continue;
            }
            for day in &days {
                let prefix = format!("{trail_region}{day}");
                match list(&client, &uri.bucket, &prefix, false, &region, sink).await {
                    Ok((_, listed)) => objects.extend(
                        listed
                            .into_iter()
                            .filter(|o| layout::in_window(&o.key, from, to)),
                    ),
                    Err(e) => gap(sink, &format!("s3://{}/{prefix}", uri.bucket), &e),
                }
            }
        }
    }
    if objects.is_empty() {
        sink.gap(
            &source,
            "no CloudTrail files under this prefix for the window (check the prefix, the regions and the window)",
            None,
        );
        return None;
    }
    Some(ready(ctx, client, &uri.bucket, region, objects, plan, sink).await)
}

/// The listed objects of one bucket made ready to fetch: the CloudTrail public keys their
/// digests need are fetched, odd keys are named, and what the case already holds is skipped.
async fn ready(
    ctx: &AwsContext,
    client: aws_sdk_s3::Client,
    bucket: &str,
    region: String,
    objects: Vec<Listed>,
    plan: &CollectPlan,
    sink: &dyn Sink,
) -> Planned {
    let digest_regions: BTreeSet<&str> = objects
        .iter()
        .filter(|o| trail_key::in_digest_folder(&o.key))
        .filter_map(|o| trail_key::region_of(&o.key))
        .collect();
    for r in &digest_regions {
        let path = if digest_regions.len() == 1 {
            "cloudtrail/public-keys.json".to_string()
        } else {
            format!("cloudtrail/public-keys-{r}.json")
        };
        if let Err(e) = super::trail::public_keys(ctx, r, &plan.window, &path, sink).await {
            gap(sink, &format!("aws:cloudtrail:ListPublicKeys:{r}"), &e);
        }
    }
    for o in &objects {
        let path = fetch::case_path(&o.key);
        if path.strip_prefix("cloudtrail/") != Some(o.key.as_str()) {
            sink.notice(&format!(
                "s3://{}/{} has a non-canonical key (`.`, `..` or empty segments, `%`, control characters or a name the case reserves): stored as {path}, never in place of another object",
                bucket, o.key
            ));
        }
    }
    let todo = fetch::still_to_fetch(bucket, objects, sink);
    sink.planned(todo.len() as u64, todo.iter().map(|o| o.size).sum());
    Planned {
        client,
        bucket: bucket.to_string(),
        region,
        todo,
    }
}

/// The case paths `planned` will store, in no particular order.
pub fn paths(planned: &[Planned]) -> Vec<String> {
    planned
        .iter()
        .flat_map(|p| p.todo.iter().flat_map(fetch::paths_of))
        .collect()
}

/// Fetch what [`plan`] listed, `concurrency` objects at a time.
pub async fn fetch(planned: Planned, concurrency: usize, sink: &dyn Sink) {
    let Planned {
        client,
        bucket,
        region,
        todo,
    } = planned;
    fetch::fetch_all(&client, &bucket, &region, todo, concurrency, sink).await;
}

/// The account folders (12 digits) directly under `uri`, sorted: the member accounts of an
/// organisation trail's prefix.
pub async fn account_folders(ctx: &AwsContext, uri: &S3Uri) -> Result<Vec<String>, AwsError> {
    let sink = super::sink::NoSink;
    let region = bucket_region(ctx, uri, &sink).await?;
    let client = ctx.s3(&region);
    let (dirs, _) = list(&client, &uri.bucket, &uri.prefix, true, &region, &sink).await?;
    let mut out: Vec<String> = dirs
        .iter()
        .map(|d| layout::last_segment(d).to_string())
        .filter(|d| trail_key::is_account(d))
        .collect();
    out.sort();
    Ok(out)
}

/// The bucket's own region: S3 answers a request sent elsewhere with a redirect that names it.
async fn bucket_region(ctx: &AwsContext, uri: &S3Uri, sink: &dyn Sink) -> Result<String, AwsError> {
    let configured = ctx
        .configured_region()
        .unwrap_or_else(|| super::config::FALLBACK_REGION.to_string());
    let result = ctx
        .s3(&configured)
        .head_bucket()
        .bucket(&uri.bucket)
        .send()
        .await;
    if let Err(aws_sdk_s3::error::SdkError::ServiceError(e)) = &result {
        if let Some(r) = e.raw().headers().get("x-amz-bucket-region") {
            sink.api_call("s3", "HeadBucket", &configured, false);
            if r != configured {
                sink.notice(&format!(
                    "s3://{} is in {r}, not {configured}: reading it with a client for {r}",
                    uri.bucket
                ));
            }
            return Ok(r.to_string());
        }
        // HeadBucket has no body, so a 403 has no code: name it as S3 would.
        if e.raw().status().as_u16() == 403 && e.err().code().is_none() {
            sink.api_call("s3", "HeadBucket", &configured, false);
            return Err(super::error::classify(
                LIST,
                "AccessDenied".into(),
                "HeadBucket returned 403".into(),
            ));
        }
    }
    let out = record(sink, HEAD_BUCKET, &configured, result)?;
    Ok(out.bucket_region().map(str::to_owned).unwrap_or(configured))
}

/// Walk down from the user's prefix to every `CloudTrail/` and `CloudTrail-Digest/` folder.
async fn trail_roots(
    client: &aws_sdk_s3::Client,
    uri: &S3Uri,
    region: &str,
    sink: &dyn Sink,
) -> Result<Vec<String>, AwsError> {
    let start_inside = uri.prefix.split('/').any(|s| s == "AWSLogs");
    if matches!(
        layout::folder(layout::last_segment(&uri.prefix), start_inside),
        Folder::TrailRoot
    ) {
        return Ok(vec![uri.prefix.clone()]);
    }
    let mut roots = Vec::new();
    let mut stack = vec![(uri.prefix.clone(), start_inside, 0usize)];
    while let Some((prefix, inside, depth)) = stack.pop() {
        let dirs = match list(client, &uri.bucket, &prefix, true, region, sink).await {
            Ok((dirs, _)) => dirs,
            // The user's own prefix must be readable; below it, one denied folder is a gap.
            Err(e) if depth == 0 => return Err(e),
            Err(e) => {
                gap(sink, &format!("s3://{}/{prefix}", uri.bucket), &e);
                continue;
            }
        };
        for d in dirs {
            let name = layout::last_segment(&d);
            match layout::folder(name, inside) {
                Folder::TrailRoot => roots.push(d),
                Folder::Descend if depth + 1 < MAX_DEPTH => {
                    let inside = inside || name == "AWSLogs";
                    stack.push((d, inside, depth + 1));
                }
                _ => {}
            }
        }
    }
    roots.sort();
    Ok(roots)
}

/// ListObjectsV2 over every page: the folders (with `delimited`) and the objects. Keys are asked
/// URL-encoded (`EncodingType=url`, as AWS documents for keys XML cannot carry, e.g. `\x01`)
/// and decoded here, so one hostile key does not make a page unreadable; a key that does not
/// decode is a gap of its own.
async fn list(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    prefix: &str,
    delimited: bool,
    region: &str,
    sink: &dyn Sink,
) -> Result<(Vec<String>, Vec<Listed>), AwsError> {
    let mut req = client
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .encoding_type(aws_sdk_s3::types::EncodingType::Url);
    if delimited {
        req = req.delimiter("/");
    }
    let mut pages = req.into_paginator().send();
    let (mut dirs, mut objects) = (Vec::new(), Vec::new());
    let decoded = |encoded: &str| {
        let key = layout::url_decode(encoded);
        if key.is_none() {
            sink.gap(
                &format!("s3://{bucket}/{encoded}"),
                "ListObjectsV2 gave this URL-encoded key, which does not decode to UTF-8 text: not fetched",
                None,
            );
        }
        key
    };
    while let Some(page) = pages.next().await {
        let page = record(sink, LIST, region, page)?;
        dirs.extend(
            page.common_prefixes()
                .iter()
                .filter_map(|p| p.prefix())
                .filter_map(decoded),
        );
        objects.extend(page.contents().iter().filter_map(|o| {
            Some(Listed {
                key: decoded(o.key()?)?,
                size: o.size().unwrap_or(0).max(0) as u64,
                etag: o.e_tag().map(str::to_owned),
            })
        }));
    }
    Ok((dirs, objects))
}
