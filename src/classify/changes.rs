//! Calls that change a honeytoken without reading it: an S3 decoy object written (`PutObject`, a
//! `CopyObject` or a completed multipart upload onto its key), deleted, its ACL, tags, retention
//! or legal hold changed, an archived copy restored; a decoy secret's value put, the secret
//! updated, deleted or restored, its resource policy changed; a decoy parameter written or
//! deleted. Each with the words a report uses for it. An S3 batch delete (`DeleteObjects`)
//! whose record names no key (CloudTrail "does not log key names for the keys that are deleted
//! using the Delete Multiple Objects operation", S3 User Guide) on a decoy's bucket is said as
//! such: whether the decoy was among the objects is unknown. Pure: no I/O.

use super::{
    canonical_name, honeytoken_kind, identifiers, Classifier, HoneytokenHit, SecretIdentity,
};
use crate::model::HoneytokenKind;
use crate::parse::RecordView;
use serde_json::Value;

/// A call that changed (or, failed, tried to change) a honeytoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoneytokenChange {
    pub hit: HoneytokenHit,
    /// What the call does to it, as a verb phrase with the honeytoken as its object ("wrote",
    /// "changed its ACL").
    pub verb: &'static str,
    /// A batch delete (`DeleteObjects`) on the decoy's bucket whose record names no key:
    /// whether it deleted the decoy is not known.
    pub keys_unknown: bool,
}

/// The verb phrase of a call that changes a resource of `kind`, if it is one.
fn verb(kind: HoneytokenKind, name: &str) -> Option<&'static str> {
    Some(match (kind, name) {
        (HoneytokenKind::S3, "PutObject") => "wrote it (replacing any object under its key)",
        (HoneytokenKind::S3, "CopyObject") => "copied another object onto it",
        (HoneytokenKind::S3, "CompleteMultipartUpload") => "completed a multipart upload onto it",
        (HoneytokenKind::S3, "CreateMultipartUpload") => "started a multipart upload onto it",
        (HoneytokenKind::S3, "DeleteObject" | "DeleteObjects") => "deleted it",
        (HoneytokenKind::S3, "PutObjectAcl") => "changed its ACL",
        (HoneytokenKind::S3, "PutObjectTagging" | "DeleteObjectTagging") => "changed its tags",
        (HoneytokenKind::S3, "PutObjectRetention") => "changed its retention",
        (HoneytokenKind::S3, "PutObjectLegalHold") => "changed its legal hold",
        (HoneytokenKind::S3, "RestoreObject") => "restored an archived copy of it",
        (HoneytokenKind::Secret, "PutSecretValue") => "put a new value into it",
        (HoneytokenKind::Secret, "UpdateSecret") => "updated it",
        (HoneytokenKind::Secret, "DeleteSecret") => "deleted it (or scheduled its deletion)",
        (HoneytokenKind::Secret, "RestoreSecret") => "cancelled its deletion",
        (HoneytokenKind::Secret, "PutResourcePolicy") => "changed its resource policy",
        (HoneytokenKind::Secret, "DeleteResourcePolicy") => "deleted its resource policy",
        (HoneytokenKind::Secret, "RotateSecret") => "started its rotation",
        (HoneytokenKind::Secret, "CancelRotateSecret") => "cancelled its rotation",
        (HoneytokenKind::Secret, "UpdateSecretVersionStage") => "moved a version stage of it",
        (HoneytokenKind::Secret, "TagResource" | "UntagResource") => "changed its tags",
        (HoneytokenKind::SsmParameter, "PutParameter") => "wrote it",
        (HoneytokenKind::SsmParameter, "DeleteParameter" | "DeleteParameters") => "deleted it",
        (HoneytokenKind::SsmParameter, "LabelParameterVersion") => "labelled a version of it",
        _ => return None,
    })
}

impl Classifier {
    /// The honeytoken this call changes without reading it, if any. A `CopyObject` changes the
    /// object it writes (`bucketName`/`key`), not its copy source (a copy out of the decoy is a
    /// read: [`Classifier::honeytoken`]). A network activity event (a VPC endpoint's record of the
    /// request) is not the call.
    pub fn change(&self, view: &RecordView<'_>) -> Option<HoneytokenChange> {
        let kind = honeytoken_kind(view.event_source.as_str()?)?;
        let name = view.event_name.as_str()?;
        let verb = verb(kind, name)?;
        if view.network_activity() {
            return None;
        }
        if kind == HoneytokenKind::S3 && name == "DeleteObjects" {
            return self.batch_delete(view, verb);
        }
        let hit = if kind == HoneytokenKind::S3 && name == "CopyObject" {
            let ids = identifiers(kind, &view.request(), &Value::Null);
            let (rule, name, shown, _, _) = self.first_match(kind, &ids)?;
            HoneytokenHit {
                rule,
                name,
                shown,
                read: false,
                identity: SecretIdentity::Certain,
                other_resource: None,
            }
        } else {
            self.honeytoken(view)?
        };
        (!hit.read && !matches!(hit.identity, SecretIdentity::Other { .. })).then_some(
            HoneytokenChange {
                hit,
                verb,
                keys_unknown: false,
            },
        )
    }

    /// An S3 `DeleteObjects`: the decoy among the keys its record names (an `AWS::S3::Object`
    /// ARN in `resources`, or `requestParameters.delete` with its objects' keys) is deleted;
    /// with none named (CloudTrail's usual record: `"delete": ""` and an `ARNPrefix` of the
    /// bucket), a batch delete on a decoy's bucket may have deleted it.
    fn batch_delete(&self, view: &RecordView<'_>, verb: &'static str) -> Option<HoneytokenChange> {
        let kind = HoneytokenKind::S3;
        if let Some(hit) = self.honeytoken(view) {
            // The decoy is the bucket itself (or its pattern names the bucket).
            return Some(HoneytokenChange {
                hit,
                verb,
                keys_unknown: false,
            });
        }
        let req = view.request();
        let bucket = req.get("bucketName").and_then(Value::as_str).unwrap_or("");
        let keys = deleted_objects(bucket, &req, &view.resources());
        if !keys.is_empty() {
            let (rule, name, shown, _, _) = self.first_match(kind, &keys)?;
            return Some(HoneytokenChange {
                hit: HoneytokenHit {
                    rule,
                    name,
                    shown,
                    read: false,
                    identity: SecretIdentity::Certain,
                    other_resource: None,
                },
                verb,
                keys_unknown: false,
            });
        }
        if bucket.is_empty() {
            return None;
        }
        let (rule, h) = self.honeytokens.iter().enumerate().find(|(_, h)| {
            h.kind == kind && super::name_matches(kind, super::bucket_pattern(&h.pattern), bucket)
        })?;
        Some(HoneytokenChange {
            hit: HoneytokenHit {
                rule,
                name: canonical_name(kind, &h.pattern),
                shown: format!("arn:aws:s3:::{bucket}"),
                read: false,
                identity: SecretIdentity::Certain,
                other_resource: None,
            },
            verb: "deleted objects of its bucket in one batch",
            keys_unknown: true,
        })
    }
}

/// The objects a `DeleteObjects` record names, as `bucket/key` and object ARNs: `resources`'
/// `AWS::S3::Object` ARNs (an `ARNPrefix` names the bucket, not an object), and the keys of a
/// `requestParameters.delete` recorded as the request's body (`objects`/`Objects` of
/// `key`/`Key`). Empty: the record does not say which objects were deleted.
fn deleted_objects(bucket: &str, req: &Value, resources: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for r in resources.as_array().into_iter().flatten() {
        if r.get("type").and_then(Value::as_str) != Some("AWS::S3::Object") {
            continue;
        }
        if let Some(arn) = r.get("ARN").and_then(Value::as_str) {
            out.push(arn.to_string());
            out.push(canonical_name(HoneytokenKind::S3, arn));
        }
    }
    let body = req.get("delete").or_else(|| req.get("Delete"));
    let objects = body
        .and_then(|d| {
            d.get("objects")
                .or_else(|| d.get("Objects"))
                .or_else(|| d.get("Object"))
        })
        .map(|o| match o {
            Value::Array(a) => a.iter().collect::<Vec<_>>(),
            one => vec![one],
        })
        .unwrap_or_default();
    for o in objects {
        if let Some(key) = o
            .get("key")
            .or_else(|| o.get("Key"))
            .and_then(Value::as_str)
        {
            if !bucket.is_empty() {
                out.push(format!("{bucket}/{key}"));
                out.push(format!("arn:aws:s3:::{bucket}/{key}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HoneytokenRule;

    fn classifier() -> Classifier {
        let mut settings = crate::config::Config::default().analysis_settings();
        settings.honeytokens.push(HoneytokenRule {
            kind: HoneytokenKind::S3,
            pattern: "decoys/passwords.csv".into(),
            access_points: Vec::new(),
        });
        Classifier::new(&settings)
    }

    fn change(json: &str) -> Option<&'static str> {
        classifier()
            .change(&RecordView::parse(json).unwrap())
            .map(|c| c.verb)
    }

    /// `collect --athena` asks for the same calls (its SQL lists them apart: `source` may not
    /// import `classify`).
    #[test]
    fn the_athena_search_asks_for_every_change() {
        use crate::source::aws::athena::sql::{PARAMETER_CHANGES, S3_CHANGES, SECRET_CHANGES};
        for (kind, apis) in [
            (HoneytokenKind::S3, S3_CHANGES),
            (HoneytokenKind::Secret, SECRET_CHANGES),
            (HoneytokenKind::SsmParameter, PARAMETER_CHANGES),
        ] {
            for api in apis {
                assert!(verb(kind, api).is_some(), "{api}");
            }
            for api in [
                "PutObject",
                "CopyObject",
                "CompleteMultipartUpload",
                "CreateMultipartUpload",
                "DeleteObject",
                "DeleteObjects",
                "PutObjectAcl",
                "PutObjectTagging",
                "DeleteObjectTagging",
                "PutObjectRetention",
                "PutObjectLegalHold",
                "RestoreObject",
                "PutSecretValue",
                "UpdateSecret",
                "DeleteSecret",
                "RestoreSecret",
                "PutResourcePolicy",
                "DeleteResourcePolicy",
                "RotateSecret",
                "CancelRotateSecret",
                "UpdateSecretVersionStage",
                "TagResource",
                "UntagResource",
                "PutParameter",
                "DeleteParameter",
                "DeleteParameters",
                "LabelParameterVersion",
            ] {
                assert_eq!(
                    verb(kind, api).is_some(),
                    apis.contains(&api),
                    "{kind:?} {api}"
                );
            }
        }
    }

    #[test]
    fn writes_onto_the_decoy_are_changes_and_copies_out_of_it_are_not() {
        let put = r#"{"eventSource":"s3.amazonaws.com","eventName":"PutObjectAcl","requestParameters":{"bucketName":"decoys","key":"passwords.csv"}}"#;
        assert_eq!(change(put), Some("changed its ACL"));
        let onto = r#"{"eventSource":"s3.amazonaws.com","eventName":"CopyObject","requestParameters":{"bucketName":"decoys","key":"passwords.csv","x-amz-copy-source":"other/x"}}"#;
        assert_eq!(change(onto), Some("copied another object onto it"));
        let out_of = r#"{"eventSource":"s3.amazonaws.com","eventName":"CopyObject","requestParameters":{"bucketName":"other","key":"x","x-amz-copy-source":"decoys/passwords.csv"}}"#;
        assert_eq!(change(out_of), None);
        let secret = r#"{"eventSource":"secretsmanager.amazonaws.com","eventName":"PutSecretValue","requestParameters":{"secretId":"Production_Database_Credentials"}}"#;
        assert_eq!(change(secret), Some("put a new value into it"));
        let read = r#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","requestParameters":{"bucketName":"decoys","key":"passwords.csv"}}"#;
        assert_eq!(change(read), None);
    }
}
