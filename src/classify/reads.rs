//! Reads that name the honeytoken only indirectly: `ssm:GetParametersByPath` on a path that
//! covers a honeytoken parameter, and the `kms:Decrypt` a service makes to read a secret or a
//! SecureString parameter (the secret's ARN in `encryptionContext.SecretARN`, the parameter's
//! in `encryptionContext.PARAMETER_ARN`) or that S3 makes to return an SSE-KMS object (the
//! object's ARN in `encryptionContext."aws:s3:arn"`; the bucket's with S3 Bucket Keys, which
//! names no object). Pure: no I/O.

use super::{canonical_name, name_matches, Classifier, HoneytokenHit, SecretIdentity};
use crate::model::HoneytokenKind;
use crate::parse::RecordView;
use serde_json::Value;

/// Whether `GetParametersByPath` on `path` returns the parameter `name`: `name` lies directly
/// under `path`, or at any depth when `recursive`. Path `/` holds the names without a slash too.
pub fn path_covers(path: &str, recursive: bool, name: &str) -> bool {
    let base = path.trim_end_matches('/');
    let rest = match name.strip_prefix(base).and_then(|r| r.strip_prefix('/')) {
        Some(rest) => rest,
        None if base.is_empty() && !name.starts_with('/') => name,
        None => return false,
    };
    !rest.is_empty() && (recursive || !rest.contains('/'))
}

impl Classifier {
    /// A `GetParametersByPath` whose path covers a honeytoken parameter: a read of it (the
    /// response lists the values; CloudTrail does not log which, so the path decides). The
    /// configured pattern is taken as the parameter's name: a pattern with wildcards is covered
    /// when its literal part lies under the path.
    pub(super) fn by_path(&self, view: &RecordView<'_>) -> Option<HoneytokenHit> {
        if view.event_name.as_str() != Some("GetParametersByPath") {
            return None;
        }
        let req = view.request();
        let path = req.get("path").and_then(Value::as_str)?;
        let recursive = req.get("recursive").and_then(Value::as_bool) == Some(true);
        let (rule, h) = self
            .honeytokens
            .iter()
            .enumerate()
            .filter(|(_, h)| h.kind == HoneytokenKind::SsmParameter)
            .find(|(_, h)| {
                let literal = h.pattern.split(['*', '?']).next().unwrap_or("");
                let name = if literal.len() < h.pattern.len() {
                    // `/app/*`: any parameter under `/app/` may match.
                    format!("{literal}x")
                } else {
                    h.pattern.clone()
                };
                path_covers(path, recursive, &name)
                    || (recursive
                        && literal.len() < h.pattern.len()
                        && name_matches(
                            h.kind,
                            &h.pattern,
                            &format!("{}/x", path.trim_end_matches('/')),
                        ))
            })?;
        Some(HoneytokenHit {
            rule,
            name: h.pattern.clone(),
            shown: path.to_string(),
            read: true,
            identity: SecretIdentity::Certain,
            other_resource: None,
        })
    }

    /// The `kms:Decrypt` of a honeytoken's value: the service decrypting it for a read. Not a
    /// read by itself (the read is the service call): it corroborates one.
    pub fn decrypt(&self, view: &RecordView<'_>) -> Option<HoneytokenHit> {
        if view.event_source.as_str() != Some("kms.amazonaws.com")
            || view.event_name.as_str() != Some("Decrypt")
        {
            return None;
        }
        let req = view.request();
        let context = req.get("encryptionContext")?;
        let (kind, arn) = [
            (HoneytokenKind::Secret, "SecretARN"),
            (HoneytokenKind::SsmParameter, "PARAMETER_ARN"),
            (HoneytokenKind::S3, S3_CONTEXT),
        ]
        .into_iter()
        .find_map(|(kind, key)| Some((kind, context.get(key)?.as_str()?)))?;
        let canonical = canonical_name(kind, arn);
        let other = super::other_reading(kind, arn);
        let (rule, name) = self
            .honeytokens
            .iter()
            .enumerate()
            .filter(|(_, h)| h.kind == kind)
            .find_map(|(rule, h)| {
                if name_matches(kind, &h.pattern, &canonical) || name_matches(kind, &h.pattern, arn)
                {
                    Some((rule, canonical.clone()))
                } else {
                    (other.as_ref())
                        .filter(|o| name_matches(kind, &h.pattern, o))
                        .map(|o| (rule, o.clone()))
                }
            })?;
        Some(HoneytokenHit {
            rule,
            name,
            shown: arn.to_string(),
            read: false,
            identity: SecretIdentity::Certain,
            other_resource: None,
        })
    }

    /// A `kms:Decrypt` by S3 whose encryption context names a bucket that holds a honeytoken
    /// object, not the object: S3 Bucket Keys use the bucket's ARN as the context of every
    /// object's key. Some object of the bucket was decrypted; which one, the record does not say.
    /// The rule and the bucket's ARN.
    pub fn bucket_decrypt(&self, view: &RecordView<'_>) -> Option<(usize, String)> {
        if view.event_source.as_str() != Some("kms.amazonaws.com")
            || view.event_name.as_str() != Some("Decrypt")
            || !self
                .honeytokens
                .iter()
                .any(|h| h.kind == HoneytokenKind::S3)
        {
            return None;
        }
        let req = view.request();
        let arn = req.get("encryptionContext")?.get(S3_CONTEXT)?.as_str()?;
        let bucket = arn.strip_prefix("arn:aws:s3:::").unwrap_or(arn);
        if bucket.is_empty() || bucket.contains('/') {
            return None;
        }
        let (rule, _) = self
            .honeytokens
            .iter()
            .enumerate()
            .filter(|(_, h)| h.kind == HoneytokenKind::S3)
            .find(|(_, h)| {
                name_matches(
                    HoneytokenKind::S3,
                    super::bucket_pattern(&h.pattern),
                    bucket,
                )
            })?;
        Some((rule, arn.to_string()))
    }
}

/// The key of S3's encryption context (SSE-KMS): the object's ARN, or the bucket's with S3
/// Bucket Keys on.
const S3_CONTEXT: &str = "aws:s3:arn";

#[cfg(test)]
mod tests {
    use super::path_covers;

    #[test]
    fn a_path_covers_its_children_and_with_recursive_every_descendant() {
        assert!(path_covers("/prod", false, "/prod/db-password"));
        assert!(path_covers("/prod/", false, "/prod/db-password"));
        assert!(!path_covers("/prod", false, "/prod/db/password"));
        assert!(path_covers("/prod", true, "/prod/db/password"));
        assert!(path_covers("/", true, "/prod/db/password"));
        assert!(path_covers("/", false, "db-password"));
        assert!(!path_covers("/pro", true, "/prod/db/password"));
        assert!(!path_covers("/prod/db/password", true, "/prod/db/password"));
    }
}
