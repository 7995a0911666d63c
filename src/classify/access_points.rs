//! Reads through S3 access points. A request through an access point, an Object Lambda access
//! point or an Outposts access point names the access point (`resources` of type
//! `AWS::S3::AccessPoint`, an ARN `arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME[/object/KEY]`,
//! `arn:aws:s3-object-lambda:…`, `arn:aws:s3-outposts:…:outpost/ID/accesspoint/NAME…`, an alias
//! or the access point's host in `requestParameters`) and may or may not name the bucket behind
//! it (AWS's example record lists the bucket and the object too). A decoy is matched wherever the
//! record names its bucket; where it names only an access point, the honeytoken rule's
//! `access_points` map it to the decoy's bucket, and with no mapping whether the read was of the
//! decoy's bucket is unknown: never "no read". Pure: no I/O.

use super::{bucket_pattern, is_read, is_s3_source, Classifier};
use crate::model::HoneytokenKind;
use crate::parse::RecordView;
use serde_json::Value;

/// What a record says of access points: those it names (ARNs, names or aliases, as recorded),
/// the object key it names through them, and whether it names a bucket at all.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Through {
    pub access_points: Vec<String>,
    pub key: Option<String>,
    pub names_bucket: bool,
}

/// An access point's ARN (of S3, Object Lambda or Outposts): `(ARN of the access point, the key
/// after /object/ if any)`.
pub(super) fn access_point_arn(arn: &str) -> Option<(String, Option<String>)> {
    if !arn.starts_with("arn:aws:s3") {
        return None;
    }
    // `:accesspoint/` for S3 and Object Lambda, `/accesspoint/` after Outposts' `outpost/ID`.
    let at = arn
        .find(":accesspoint/")
        .or_else(|| arn.find("/accesspoint/"))?
        + ":accesspoint/".len();
    let rest = &arn[at..];
    let (name, key) = match rest.split_once("/object/") {
        Some((name, key)) => (name, Some(key.to_string())),
        None => (rest.trim_end_matches('/'), None),
    };
    Some((format!("{}{name}", &arn[..at]), key))
}

/// An access point alias in `bucketName`: S3's end in `-s3alias`, Object Lambda's in `--ol-s3`.
pub(super) fn is_alias(name: &str) -> bool {
    name.ends_with("-s3alias") || name.ends_with("--ol-s3")
}

/// Whether a request's `Host` is an access point's (S3's or Object Lambda's endpoint).
pub(super) fn is_access_point_host(host: &str) -> bool {
    host.contains(".s3-accesspoint.") || host.contains(".s3-object-lambda.")
}

/// What `view` says of access points ([`Through`]).
pub(super) fn through(view: &RecordView<'_>) -> Through {
    let mut out = Through::default();
    let req = view.request();
    let s = |k: &str| req.get(k).and_then(Value::as_str).filter(|v| !v.is_empty());
    for r in view.resources().as_array().into_iter().flatten() {
        let t = r.get("type").and_then(Value::as_str).unwrap_or("");
        let arn = r
            .get("ARN")
            .or_else(|| r.get("arn"))
            .and_then(Value::as_str)
            .unwrap_or("");
        if let Some((ap, key)) = access_point_arn(arn) {
            out.access_points.push(ap);
            out.key = out.key.or(key);
        } else if t.ends_with("AccessPoint") && !arn.is_empty() {
            out.access_points.push(arn.to_string());
        } else if t == "AWS::S3::Bucket"
            || arn.starts_with("arn:aws:s3:::")
            || arn.contains(":bucket/")
            || arn.contains("/bucket/")
        {
            out.names_bucket = true;
        }
    }
    let host_is_access_point = s("Host").is_some_and(is_access_point_host);
    match s("bucketName") {
        Some(b) => {
            if let Some((ap, key)) = access_point_arn(b) {
                out.access_points.push(ap);
                out.key = out.key.or(key);
            } else if is_alias(b) || host_is_access_point {
                out.access_points.push(b.to_string());
            } else {
                out.names_bucket = true;
            }
        }
        None if host_is_access_point => {
            out.access_points.extend(s("Host").map(str::to_string));
        }
        None => {}
    }
    if out.key.is_none() {
        out.key = s("key").map(str::to_string);
    }
    out.access_points.sort();
    out.access_points.dedup();
    out
}

/// Whether the access point `named` (as a record names it: ARN, name, alias or host) is
/// `configured` (as `trailcase.toml` names it): the same ARN, or the same name (the ARN's last
/// segment), or the same alias.
pub(super) fn same_access_point(configured: &str, named: &str) -> bool {
    let name_of = |s: &str| -> String {
        match access_point_arn(s) {
            Some((arn, _)) => arn.rsplit('/').next().unwrap_or(&arn).to_string(),
            None => s.split('.').next().unwrap_or(s).to_string(),
        }
    };
    configured == named || name_of(configured) == name_of(named)
}

impl Classifier {
    /// The identifiers a record gives through the access points it names that the S3 rules map
    /// to their buckets: `bucket/key` and its ARN, for each rule whose `access_points` hold one
    /// of them (the bucket is the rule's, when it is a plain name).
    pub(super) fn through_access_points(&self, view: &RecordView<'_>) -> Vec<String> {
        let t = through(view);
        let Some(key) = t.key.filter(|_| !t.access_points.is_empty()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for h in self
            .honeytokens
            .iter()
            .filter(|h| h.kind == HoneytokenKind::S3)
        {
            let bucket = bucket_pattern(&h.pattern);
            if bucket.contains(['*', '?']) {
                continue;
            }
            if h.access_points
                .iter()
                .any(|c| t.access_points.iter().any(|n| same_access_point(c, n)))
            {
                out.push(format!("{bucket}/{key}"));
                out.push(format!("arn:aws:s3:::{bucket}/{key}"));
            }
        }
        out
    }

    /// A read of an object through an access point whose bucket neither the record names nor
    /// an S3 honeytoken rule's `access_points` map: the access point as recorded (its ARN when
    /// the record gives it). Whether it read a decoy is unknown. `None` when there is no S3
    /// honeytoken, the record is no such read, or it names the honeytoken (a read of it).
    pub fn access_point_read(&self, view: &RecordView<'_>) -> Option<String> {
        let source = view.event_source.as_str()?;
        let name = view.event_name.as_str()?;
        if !is_s3_source(source)
            || !is_read(HoneytokenKind::S3, name)
            || name == "CopyObject"
            || view.network_activity()
            || !self
                .honeytokens
                .iter()
                .any(|h| h.kind == HoneytokenKind::S3)
        {
            return None;
        }
        let t = through(view);
        if t.names_bucket || t.access_points.is_empty() {
            return None;
        }
        let mapped = self
            .honeytokens
            .iter()
            .flat_map(|h| h.access_points.iter())
            .any(|c| t.access_points.iter().any(|n| same_access_point(c, n)));
        if mapped || self.honeytoken(view).is_some() {
            return None;
        }
        let shown = t
            .access_points
            .iter()
            .find(|a| a.starts_with("arn:"))
            .unwrap_or(&t.access_points[0]);
        Some(shown.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(json: &str) -> Through {
        through(&RecordView::parse(json).unwrap())
    }

    #[test]
    fn an_access_point_record_names_its_access_point_and_perhaps_its_bucket() {
        // AWS's example: the access point beside the bucket and the object.
        let both = t(
            r#"{"requestParameters":{"bucketName":"b","key":"k"},"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"},{"type":"AWS::S3::AccessPoint","ARN":"arn:aws:s3:us-west-2:1:accesspoint/ap"}]}"#,
        );
        assert_eq!(
            both.access_points,
            vec!["arn:aws:s3:us-west-2:1:accesspoint/ap"]
        );
        assert!(both.names_bucket);
        let only = t(
            r#"{"requestParameters":{"bucketName":"arn:aws:s3-object-lambda:us-east-1:1:accesspoint/olap","key":"k"},"resources":[{"type":"AWS::S3ObjectLambda::AccessPoint","ARN":"arn:aws:s3-object-lambda:us-east-1:1:accesspoint/olap"}]}"#,
        );
        assert_eq!(
            only.access_points,
            vec!["arn:aws:s3-object-lambda:us-east-1:1:accesspoint/olap"]
        );
        assert_eq!(only.key.as_deref(), Some("k"));
        assert!(!only.names_bucket);
        let outposts = t(
            r#"{"resources":[{"type":"AWS::S3Outposts::Object","ARN":"arn:aws:s3-outposts:us-east-1:1:outpost/op-1/accesspoint/ap/object/d/k.csv"}]}"#,
        );
        assert_eq!(
            outposts.access_points,
            vec!["arn:aws:s3-outposts:us-east-1:1:outpost/op-1/accesspoint/ap"]
        );
        assert_eq!(outposts.key.as_deref(), Some("d/k.csv"));
        let alias = t(r#"{"requestParameters":{"bucketName":"ap-abc123-s3alias","key":"k"}}"#);
        assert_eq!(alias.access_points, vec!["ap-abc123-s3alias"]);
        assert!(!alias.names_bucket);
        assert!(same_access_point(
            "ap",
            "arn:aws:s3:us-west-2:1:accesspoint/ap"
        ));
        assert!(!same_access_point(
            "ap",
            "arn:aws:s3:us-west-2:1:accesspoint/ap2"
        ));
    }
}
