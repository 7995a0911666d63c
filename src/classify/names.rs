//! How a record names a honeytoken: a rule's pattern against a secret's name or ARN, a
//! parameter's name or an S3 bucket and key (what each service's read gives, percent-decoded
//! copy sources, directory-bucket names), which calls read a decoy, and whether an S3 record is
//! a data event.

use super::s3_data;
use crate::model::HoneytokenKind;
use crate::parse::RecordView;
use serde_json::Value;
use trailcase_common::glob::{matches, matches_ignore_case as glob_match};

/// Whether a honeytoken rule's `pattern` of `kind` matches a name or ARN the record gives. SSM
/// parameter names and S3 object keys are case-sensitive in AWS (`/prod/DB/Password` is another
/// parameter than `/prod/db/password`), so they are matched minding case; S3 bucket names are
/// lowercase anyway. Secret names keep the case-insensitive match.
pub fn name_matches(kind: HoneytokenKind, pattern: &str, text: &str) -> bool {
    match kind {
        HoneytokenKind::Secret => glob_match(pattern, text),
        HoneytokenKind::S3 | HoneytokenKind::SsmParameter => matches(pattern, text),
    }
}

/// An S3 data event (an object-level call, as a trail logs only when its event selectors ask for
/// S3 data events): `eventCategory` `Data`, `managementEvent` `false`, or, in records older than
/// both fields, an object-level API that writes, or a read S3 logs only as a data event (an
/// object's, `GetObject`, `HeadObject`..., or a bucket's, `ListObjects`, `HeadBucket`...) with a
/// data event's fields (`s3_data::read_data_event_by_fields`). `raw` is the record's text (the
/// view does not read the two fields); only an S3 record's is looked at.
pub fn is_s3_data_event(view: &RecordView<'_>, raw: &str) -> bool {
    if !view.event_source.as_str().is_some_and(is_s3_source) {
        return false;
    }
    let name = view.event_name.as_str().unwrap_or("");
    (S3_OBJECT_APIS.contains(&name) && !s3_data::S3_OBJECT_READS.contains(&name))
        || field_is(raw, "\"eventCategory\"", "\"Data\"")
        || field_is(raw, "\"managementEvent\"", "false")
        || s3_data::read_data_event_by_fields(view, raw)
}

/// S3's object-level APIs: data events (AWS CloudTrail User Guide, "Logging data events").
pub(super) const S3_OBJECT_APIS: &[&str] = &[
    "GetObject",
    "HeadObject",
    "PutObject",
    "CopyObject",
    "DeleteObject",
    "DeleteObjects",
    "SelectObjectContent",
    "RestoreObject",
    "GetObjectAcl",
    "PutObjectAcl",
    "GetObjectAttributes",
    "GetObjectTagging",
    "PutObjectTagging",
    "DeleteObjectTagging",
    "CreateMultipartUpload",
    "UploadPart",
    "UploadPartCopy",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
    "ListParts",
];

/// Whether the top-level-looking member `key` of the JSON text `raw` has the value `value`
/// (whitespace around the colon allowed). A match inside a nested object would be the record's
/// own field in every CloudTrail shape: the two keys asked for are top-level only.
pub(super) fn field_is(raw: &str, key: &str, value: &str) -> bool {
    raw.match_indices(key).any(|(at, _)| {
        let rest = raw[at + key.len()..].trim_start();
        rest.strip_prefix(':')
            .is_some_and(|r| r.trim_start().starts_with(value))
    })
}

/// The `eventSource`s under which S3 logs object calls: S3 itself, S3 directory buckets (S3
/// Express One Zone), S3 Object Lambda access points and S3 on Outposts. Each logs `GetObject`
/// with the `bucketName` and `key` of the object (AWS S3 User Guide, "CloudTrail log file
/// examples for directory buckets").
pub const S3_EVENT_SOURCES: &[&str] = &[
    "s3.amazonaws.com",
    "s3express.amazonaws.com",
    "s3-object-lambda.amazonaws.com",
    "s3-outposts.amazonaws.com",
];

/// Whether `event_source` is one of [`S3_EVENT_SOURCES`].
pub fn is_s3_source(event_source: &str) -> bool {
    S3_EVENT_SOURCES.contains(&event_source)
}

/// The kind of honeytoken a service's resources can be (`eventSource`), if any.
pub fn honeytoken_kind(event_source: &str) -> Option<HoneytokenKind> {
    match event_source {
        "secretsmanager.amazonaws.com" => Some(HoneytokenKind::Secret),
        "ssm.amazonaws.com" => Some(HoneytokenKind::SsmParameter),
        s if is_s3_source(s) => Some(HoneytokenKind::S3),
        _ => None,
    }
}

pub(super) fn is_read(kind: HoneytokenKind, name: &str) -> bool {
    match kind {
        HoneytokenKind::Secret => matches!(name, "GetSecretValue" | "BatchGetSecretValue"),
        HoneytokenKind::S3 => matches!(name, "GetObject" | "SelectObjectContent" | "CopyObject"),
        HoneytokenKind::SsmParameter => matches!(
            name,
            "GetParameter" | "GetParameters" | "GetParametersByPath" | "GetParameterHistory"
        ),
    }
}

/// The object an S3 `CopyObject` copies from (`x-amz-copy-source`: `bucket/key`, URL-encoded,
/// perhaps with a leading `/` and a `?versionId=`), as `bucket/key` and its ARN.
pub(super) fn copy_source(req: &Value) -> Vec<String> {
    let Some(raw) = req.get("x-amz-copy-source").and_then(Value::as_str) else {
        return Vec::new();
    };
    let path = raw.split('?').next().unwrap_or(raw);
    let decoded = percent_decoded(path);
    let object = decoded.trim_start_matches('/');
    if object.is_empty() {
        return Vec::new();
    }
    vec![object.to_string(), format!("arn:aws:s3:::{object}")]
}

/// `%XX` sequences decoded (an invalid one kept as it is), the rest as it is.
pub(super) fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every identifier of the kind's resource that the call names.
pub(super) fn identifiers(kind: HoneytokenKind, req: &Value, resources: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |v: Option<&Value>| {
        if let Some(s) = v.and_then(Value::as_str).filter(|s| !s.is_empty()) {
            out.push(s.to_string());
        }
    };
    match kind {
        HoneytokenKind::Secret => {
            push(req.get("secretId"));
            for v in req
                .get("secretIdList")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                push(Some(v));
            }
        }
        HoneytokenKind::S3 => {
            if let Some(bucket) = req.get("bucketName").and_then(Value::as_str) {
                match req.get("key").and_then(Value::as_str) {
                    Some(key) => {
                        out.push(format!("{bucket}/{key}"));
                        out.push(format!("arn:aws:s3:::{bucket}/{key}"));
                    }
                    None => {
                        out.push(bucket.to_string());
                        out.push(format!("arn:aws:s3:::{bucket}"));
                    }
                }
            }
        }
        HoneytokenKind::SsmParameter => {
            push(req.get("name"));
            for v in req
                .get("names")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                push(Some(v));
            }
        }
    }
    // S3 Object Lambda's and S3 on Outposts' ARNs begin `arn:aws:s3-object-lambda:` and
    // `arn:aws:s3-outposts:`, directory buckets' `arn:aws:s3express:` ([`S3_EVENT_SOURCES`]).
    let type_prefixes: &[&str] = match kind {
        HoneytokenKind::Secret => &["arn:aws:secretsmanager:"],
        HoneytokenKind::S3 => &["arn:aws:s3:", "arn:aws:s3-", "arn:aws:s3express:"],
        HoneytokenKind::SsmParameter => &["arn:aws:ssm:"],
    };
    for r in resources.as_array().into_iter().flatten() {
        if let Some(arn) = r
            .get("ARN")
            .or_else(|| r.get("arn"))
            .and_then(Value::as_str)
        {
            if type_prefixes.iter().any(|p| arn.starts_with(p)) {
                out.push(arn.to_string());
            }
        }
    }
    out
}

/// The full secret ARNs a record gives: `resources[].ARN`, `responseElements.arn` of a Secrets
/// Manager call, a KMS `Decrypt`'s `encryptionContext.SecretARN` (AWS writes each whole, with
/// the random suffix; a `secretId` may be a partial ARN and is not one of them).
pub(super) fn full_secret_arns(view: &RecordView<'_>) -> Vec<String> {
    let mut out = Vec::new();
    match view.event_source.as_str() {
        Some("secretsmanager.amazonaws.com") => {
            if let Some(arn) = view.response().get("arn").and_then(Value::as_str) {
                out.push(arn.to_string());
            }
            for r in view.resources().as_array().into_iter().flatten() {
                if let Some(arn) = r
                    .get("ARN")
                    .or_else(|| r.get("arn"))
                    .and_then(Value::as_str)
                {
                    out.push(arn.to_string());
                }
            }
        }
        Some("kms.amazonaws.com") if view.event_name.as_str() == Some("Decrypt") => {
            let req = view.request();
            if let Some(arn) = (req.get("encryptionContext"))
                .and_then(|c| c.get("SecretARN"))
                .and_then(Value::as_str)
            {
                out.push(arn.to_string());
            }
        }
        _ => {}
    }
    out.retain(|a| {
        a.starts_with("arn:") && a.contains(":secretsmanager:") && a.contains(":secret:")
    });
    out
}

/// A secret ARN ending in `-` and six characters: ((its lowercase `arn:…:secret:` prefix, its
/// lowercase name without them), the six characters).
pub(super) fn suffix_key(arn: &str) -> Option<((String, String), String)> {
    let (prefix, own) = arn.split_once(":secret:")?;
    let canonical = canonical_name(HoneytokenKind::Secret, arn);
    let suffix = own.get(canonical.len() + 1..).filter(|s| s.len() == 6)?;
    Some((
        (prefix.to_ascii_lowercase(), canonical.to_ascii_lowercase()),
        suffix.to_string(),
    ))
}

/// The other name an ARN may give besides [`canonical_name`]'s. A secret's partial ARN
/// (without the random suffix) names it by its whole tail: a name ending in `-` and six
/// characters (`app-secret`) is not cut as if they were the suffix. A parameter's ARN writes
/// `parameter/NAME` for a name without a leading `/` (`db-password`) as for the one-level
/// `/db-password`.
pub(crate) fn other_reading(kind: HoneytokenKind, id: &str) -> Option<String> {
    if !id.starts_with("arn:") {
        return None;
    }
    match kind {
        HoneytokenKind::Secret => id.split_once(":secret:").map(|(_, name)| name.to_string()),
        HoneytokenKind::SsmParameter => canonical_name(kind, id)
            .strip_prefix('/')
            .filter(|name| !name.is_empty())
            .map(str::to_string),
        HoneytokenKind::S3 => None,
    }
}

/// The name inside an ARN: a secret's name without its 6-character random suffix, a
/// parameter's path, an S3 `bucket/key`.
pub fn canonical_name(kind: HoneytokenKind, id: &str) -> String {
    match kind {
        HoneytokenKind::Secret => {
            let name = id.split_once(":secret:").map_or(id, |(_, n)| n);
            if id.starts_with("arn:") {
                if let Some((base, suffix)) = name.rsplit_once('-') {
                    if suffix.len() == 6 && suffix.chars().all(|c| c.is_ascii_alphanumeric()) {
                        return base.to_string();
                    }
                }
            }
            name.to_string()
        }
        HoneytokenKind::SsmParameter => match id.split_once(":parameter") {
            Some((_, p)) => p.to_string(),
            None => id.to_string(),
        },
        HoneytokenKind::S3 => match id.strip_prefix("arn:aws:s3:::") {
            Some(name) => name.to_string(),
            // A directory bucket's: `arn:aws:s3express:REGION:ACCOUNT:bucket/NAME[/KEY]`.
            None => express_name(id).unwrap_or(id).to_string(),
        },
    }
}

/// `NAME[/KEY]` of a directory bucket's (S3 Express One Zone) bucket or object ARN: IAM writes
/// `arn:aws:s3express:REGION:ACCOUNT:bucket/NAME`, CloudTrail's `resources` the same without
/// `bucket/`.
pub(super) fn express_name(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:aws:s3express:")?;
    let name = rest.splitn(3, ':').nth(2)?;
    Some(name.strip_prefix("bucket/").unwrap_or(name))
}
