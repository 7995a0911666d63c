//! GetObject for every listed object, a bounded number at a time: the bytes are streamed to the
//! sink unchanged as they arrive (a staged file, see `Sink::stage`), checked (length, and MD5
//! against a plain ETag) and only then committed with the object's S3 facts; a digest's
//! `signature` metadata goes beside it as `<key>.signature`. An object an earlier run already
//! stored with the same ETag is skipped.
//!
//! Memory: no object is ever held whole. Each of the `--concurrency` downloads holds one network
//! chunk at a time and, for the gzip check, a 64 KiB read buffer and the inflater's 32 KiB
//! window, so `collect` needs the same few MiB for a 1 GiB object as for a 1 KiB one.
//!
//! What is kept when something is wrong: bytes that do not match the ETag after every attempt
//! are not what S3 holds, so nothing is stored (a gap; S3 still has the object for a rerun).
//! Bytes that match the ETag but are not readable gzip *are* what S3 holds: they are stored
//! byte for byte and the object is also a gap, found again when a rerun skips it.

use super::super::error::{gap, record, AwsError, Operation};
use super::super::json::rfc3339;
use super::super::{Provenance, S3Provenance, Sink};
use super::gzip_check::unreadable;
use super::Listed;
use crate::model::trail_key;
use futures_util::StreamExt as _;
use md5::{Digest as _, Md5};
use std::io::Write as _;

const GET: Operation = Operation::new("s3", "GetObject");
/// Whole-object attempts when the body breaks off or does not match its ETag (the SDK already
/// retries failed requests; it cannot retry a body that fails half way).
const ATTEMPTS: u32 = 3;

/// Where an object goes in the case: `cloudtrail/<key>`, non-canonical segments escaped so that
/// `F`, `./F` and `//F` never share a file (see `case::key_path`).
pub fn case_path(key: &str) -> String {
    crate::case::key_path::case_path(key)
}

/// The listed objects still to fetch: those an earlier run already stored with the same ETag
/// are skipped (and named again as gaps when they are not readable).
pub fn still_to_fetch(bucket: &str, objects: Vec<Listed>, sink: &dyn Sink) -> Vec<Listed> {
    objects
        .into_iter()
        .filter(|o| {
            let stored = o
                .etag
                .as_deref()
                .and_then(|etag| sink.already_acquired(&case_path(&o.key), etag));
            let Some(bytes) = stored else {
                return true;
            };
            sink.skipped(o.size);
            // Skipped, but still not usable: say so again in this run's gaps.
            if let Some(reason) = unreadable(&o.key, bytes) {
                let what = format!("s3://{bucket}/{}", o.key);
                let e = AwsError::Unreadable {
                    what: what.clone(),
                    reason,
                };
                gap(sink, &what, &e);
            }
            false
        })
        .collect()
}

/// Where a digest's `x-amz-meta-signature` goes: beside it.
fn signature_path(path: &str) -> String {
    format!("{path}.signature")
}

/// The case paths an object may be stored at: a digest's signature goes beside it.
pub fn paths_of(o: &Listed) -> Vec<String> {
    let path = case_path(&o.key);
    if trail_key::in_digest_folder(&o.key) {
        vec![signature_path(&path), path]
    } else {
        vec![path]
    }
}

/// Fetch `todo` (from [`still_to_fetch`]), `concurrency` objects at a time.
pub async fn fetch_all(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    region: &str,
    todo: Vec<Listed>,
    concurrency: usize,
    sink: &dyn Sink,
) {
    futures_util::stream::iter(todo)
        .map(|o| async move {
            if let Err(e) = fetch(client, bucket, region, &o, sink).await {
                gap(sink, &format!("s3://{bucket}/{}", o.key), &e);
            }
            sink.settled(&paths_of(&o));
        })
        .buffer_unordered(concurrency.max(1))
        .collect::<Vec<()>>()
        .await;
}

async fn fetch(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    region: &str,
    o: &Listed,
    sink: &dyn Sink,
) -> Result<(), AwsError> {
    let what = format!("s3://{bucket}/{}", o.key);
    let mut last = None;
    for _ in 0..ATTEMPTS {
        match fetch_once(client, bucket, region, o, sink).await {
            Ok(()) => return Ok(()),
            Err(e @ (AwsError::Corrupt { .. } | AwsError::Network { .. })) => last = Some(e),
            Err(AwsError::NotFound { code, message, .. }) => {
                return Err(AwsError::Vanished {
                    what,
                    message: format!("{code}: {message}"),
                })
            }
            Err(AwsError::Service { code, .. }) if code == "PreconditionFailed" => {
                return Err(AwsError::Changed { what })
            }
            Err(e) => return Err(e),
        }
    }
    Err(match last.expect("at least one attempt") {
        AwsError::Corrupt { what, reason } => AwsError::Corrupt {
            what,
            reason: format!("{reason} ({ATTEMPTS} attempts; nothing was stored)"),
        },
        AwsError::Network { operation, message } => AwsError::Network {
            operation,
            message: format!("{message} ({ATTEMPTS} attempts; nothing was stored)"),
        },
        e => e,
    })
}

async fn fetch_once(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    region: &str,
    o: &Listed,
    sink: &dyn Sink,
) -> Result<(), AwsError> {
    let mut req = client.get_object().bucket(bucket).key(&o.key);
    // The object as listed, not one written since: a changed object fails with 412.
    if let Some(etag) = &o.etag {
        req = req.if_match(etag);
    }
    let out = record(sink, GET, region, req.send().await)?;
    let what = format!("s3://{bucket}/{}", o.key);
    let etag = out.e_tag().map(str::to_owned);
    let version_id = out.version_id().map(str::to_owned);
    let last_modified = out.last_modified().map(rfc3339);
    let sse = out.server_side_encryption().map(|s| s.as_str().to_owned());
    let signature = out.metadata().and_then(|m| m.get("signature").cloned());
    let expected_len = out.content_length();
    let path = case_path(&o.key);
    let store_error = |path: &str| {
        let path = path.to_string();
        move |source| AwsError::Store { path, source }
    };
    // Streamed to the case as it arrives; nothing is part of the case before `commit`.
    let mut staged = sink.stage(&path).map_err(store_error(&path))?;
    let mut md5 = Md5::new();
    let mut received: u64 = 0;
    let mut body = out.body;
    while let Some(chunk) = body.try_next().await.map_err(|e| body_error(&what, &e))? {
        md5.update(&chunk);
        received += chunk.len() as u64;
        staged.write_all(&chunk).map_err(store_error(&path))?;
    }
    if let Some(n) = expected_len.filter(|n| u64::try_from(*n).ok() != Some(received)) {
        return Err(AwsError::Corrupt {
            what,
            reason: format!("received {received} bytes, Content-Length said {n}"),
        });
    }
    let md5 = hex::encode(md5.finalize());
    if let Some(reason) = etag_mismatch(etag.as_deref(), sse.as_deref(), &md5) {
        return Err(AwsError::Corrupt { what, reason });
    }
    let s3 = S3Provenance {
        bucket: bucket.to_string(),
        key: o.key.clone(),
        etag,
        version_id,
        last_modified,
    };
    if trail_key::in_digest_folder(&o.key) {
        match signature {
            // Stored first: a digest in the manifest always has its signature beside it.
            Some(sig) => store(
                sink,
                &signature_path(&path),
                sig.as_bytes(),
                &what,
                Some(s3.clone()),
                "#x-amz-meta-signature",
            )?,
            None => sink.gap(
                &what,
                "the digest file has no x-amz-meta-signature metadata",
                None,
            ),
        }
    }
    let reason = staged
        .reader()
        .map_err(store_error(&path))
        .map(|r| unreadable(&o.key, r))?;
    let provenance = Provenance {
        source: what.clone(),
        s3: Some(s3),
    };
    staged.commit(provenance).map_err(store_error(&path))?;
    match reason {
        Some(reason) => Err(AwsError::Unreadable { what, reason }),
        None => Ok(()),
    }
}

fn store(
    sink: &dyn Sink,
    path: &str,
    bytes: &[u8],
    what: &str,
    s3: Option<S3Provenance>,
    suffix: &str,
) -> Result<(), AwsError> {
    let provenance = Provenance {
        source: format!("{what}{suffix}"),
        s3,
    };
    sink.store(path, bytes, provenance)
        .map_err(|source| AwsError::Store {
            path: path.to_string(),
            source,
        })
}

/// A body that failed while it was read: the SDK's response checksum (`x-amz-checksum-*`) not
/// matching is corruption; anything else is the transfer breaking off.
fn body_error(what: &str, e: &(dyn std::error::Error + 'static)) -> AwsError {
    let mut chain = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        chain = format!("{chain}: {s}");
        source = s.source();
    }
    if chain.to_ascii_lowercase().contains("checksum mismatch") {
        AwsError::Corrupt {
            what: what.to_string(),
            reason: format!("the bytes received do not match the response's checksum ({chain})"),
        }
    } else {
        AwsError::Network {
            operation: GET.name,
            message: format!("{what}: the download broke off: {chain}"),
        }
    }
}

/// A single-part upload without SSE-KMS has the hex MD5 of its bytes (`md5`) as ETag.
fn etag_mismatch(etag: Option<&str>, sse: Option<&str>, md5: &str) -> Option<String> {
    let etag = etag?.trim_matches('"');
    let is_md5 = etag.len() == 32 && etag.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_md5 || sse.is_some_and(|s| s.starts_with("aws:kms")) {
        return None;
    }
    (md5 != etag.to_ascii_lowercase())
        .then(|| format!("MD5 of the bytes is {md5}, the ETag says {etag}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_checks_only_what_is_an_md5() {
        let md5 = hex::encode(Md5::digest(b"abc"));
        let other = hex::encode(Md5::digest(b"abd"));
        assert_eq!(etag_mismatch(Some(&format!("\"{md5}\"")), None, &md5), None);
        assert!(etag_mismatch(Some(&format!("\"{md5}\"")), None, &other).is_some());
        assert_eq!(etag_mismatch(Some("\"0123-2\""), None, &other), None);
        assert_eq!(
            etag_mismatch(Some(&format!("\"{md5}\"")), Some("aws:kms"), &other),
            None
        );
    }
}
