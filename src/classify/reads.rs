//! Reads that name the honeytoken only indirectly: `ssm:GetParametersByPath` on a path that
//! covers a honeytoken parameter, and the `kms:Decrypt` a service makes to read a secret or a
//! SecureString parameter (the secret's ARN in `encryptionContext.SecretARN`, the parameter's
//! in `encryptionContext.PARAMETER_ARN`). Pure: no I/O.

use super::{canonical_name, name_matches, Classifier, HoneytokenHit};
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
        ]
        .into_iter()
        .find_map(|(kind, key)| Some((kind, context.get(key)?.as_str()?)))?;
        let name = canonical_name(kind, arn);
        let (rule, _) = self
            .honeytokens
            .iter()
            .enumerate()
            .filter(|(_, h)| h.kind == kind)
            .find(|(_, h)| {
                name_matches(kind, &h.pattern, &name) || name_matches(kind, &h.pattern, arn)
            })?;
        Some(HoneytokenHit {
            rule,
            name,
            shown: arn.to_string(),
            read: false,
        })
    }
}

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
