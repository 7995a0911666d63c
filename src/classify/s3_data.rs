//! S3 data events and the S3 honeytokens' buckets: the bucket a data event was made on, and
//! which decoys that bucket holds. A read of an S3 decoy can show only in a data event on its
//! bucket, and a trail's event selectors can log some buckets and not others, so a data event
//! on another bucket examines nothing of the decoy.
//!
//! Below the scan, which asks this of each S3 data event until every decoy's bucket is seen:
//! imports `model` and `parse` only. The analysis also asks it which kept records read a decoy
//! without a data event's fields ([`unmarked_decoy_reads`]).

use super::access_points::{
    access_point_arn, is_access_point_host, is_alias, same_access_point, through,
};
use super::{copy_source, is_s3_data_event, name_matches};
use crate::model::{HoneytokenKind, HoneytokenRule};
use crate::parse::RecordView;
use serde::Deserialize;
use std::borrow::Cow;

/// The S3 honeytokens' buckets: each S3 rule's index with the bucket part of its pattern.
#[derive(Debug, Default, Clone)]
pub struct DecoyBuckets {
    rules: Vec<(usize, String)>,
    /// Each S3 rule's index with its pattern as `bucket/key` (no `arn:aws:s3:::`).
    objects: Vec<(usize, String)>,
    /// Each S3 rule's index with its `access_points` (trailcase.toml): access points that
    /// serve its bucket.
    access_points: Vec<(usize, Vec<String>)>,
}

impl DecoyBuckets {
    pub fn new(honeytokens: &[HoneytokenRule]) -> Self {
        let s3 = || {
            honeytokens
                .iter()
                .enumerate()
                .filter(|(_, h)| h.kind == HoneytokenKind::S3)
        };
        DecoyBuckets {
            rules: s3()
                .map(|(i, h)| (i, bucket_pattern(&h.pattern).to_string()))
                .collect(),
            objects: s3()
                .map(|(i, h)| {
                    let p = h
                        .pattern
                        .strip_prefix("arn:aws:s3:::")
                        .unwrap_or(&h.pattern);
                    (i, p.to_string())
                })
                .collect(),
            access_points: s3()
                .filter(|(_, h)| !h.access_points.is_empty())
                .map(|(i, h)| (i, h.access_points.clone()))
                .collect(),
        }
    }

    /// The S3 rules whose `access_points` map `access_point` (as a record names it) to their
    /// bucket.
    pub fn rules_through<'s>(&'s self, access_point: &'s str) -> impl Iterator<Item = usize> + 's {
        self.access_points
            .iter()
            .filter(move |(_, aps)| aps.iter().any(|c| same_access_point(c, access_point)))
            .map(|(i, _)| *i)
    }

    /// No S3 honeytoken: nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The S3 rules' indices.
    pub fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.rules.iter().map(|(i, _)| *i)
    }

    /// How many S3 honeytokens there are.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// The S3 rules whose decoy the object `bucket`/`key` is (its pattern matches it).
    pub fn rules_reading<'s>(
        &'s self,
        bucket: &'s str,
        key: &'s str,
    ) -> impl Iterator<Item = usize> + 's {
        let object = format!("{bucket}/{key}");
        self.objects
            .iter()
            .filter(move |(_, p)| name_matches(HoneytokenKind::S3, p, &object))
            .map(|(i, _)| *i)
    }

    /// The S3 rules whose bucket `bucket` is.
    pub fn rules_of<'s>(&'s self, bucket: &'s str) -> impl Iterator<Item = usize> + 's {
        self.rules
            .iter()
            .filter(move |(_, p)| name_matches(HoneytokenKind::S3, p, bucket))
            .map(|(i, _)| *i)
    }
}

/// The bucket part of an S3 honeytoken's pattern (`bucket`, `bucket/prefix*`,
/// `arn:aws:s3:::bucket/key`).
pub fn bucket_pattern(pattern: &str) -> &str {
    let pattern = pattern.strip_prefix("arn:aws:s3:::").unwrap_or(pattern);
    pattern.split('/').next().unwrap_or(pattern)
}

/// Whether an S3 data event is a read data event, the kind a trail's event selectors log with
/// `ReadWriteType` `ReadOnly`/`All` (advanced: `readOnly` not `false`): its `readOnly` field,
/// and in records without one, an API that reads (`Get…`, `Head…`, `List…`,
/// `SelectObjectContent`). A write data event (`PutObject`, `DeleteObject`, `CopyObject`, which
/// CloudTrail records as a write although it reads its source) shows that writes of its bucket
/// are logged, not reads: a trail that logs only writes holds no `GetObject` of the bucket.
/// Cheap: the view's fields only.
pub fn is_read_data_event(view: &RecordView<'_>) -> bool {
    if let Some(read_only) = view.read_only() {
        return read_only;
    }
    let name = view.event_name.as_str().unwrap_or("");
    ["Get", "Head", "List"].iter().any(|p| name.starts_with(p)) || name == "SelectObjectContent"
}

/// The bucket-level reads that S3 logs only as data events, never as management events: listing
/// a bucket's objects or their versions, and `HeadBucket` (S3 User Guide, "Amazon S3 CloudTrail
/// events": logged as object-level actions "under certain conditions", absent from the
/// bucket-level actions it logs as management events).
pub const S3_BUCKET_DATA_READS: &[&str] = &[
    "ListObjects",
    "ListObjectsV2",
    "ListObjectVersions",
    "HeadBucket",
];

/// Whether the record carries a field only a data event of S3 has: `resources` naming an S3
/// object or bucket (`AWS::S3::Object`, `AWS::S3::Bucket`, or an `arn:aws:s3` ARN or ARN
/// prefix), or `additionalEventData.bytesTransferredOut` (S3 writes it into each data event's
/// record). `raw` is the record's text.
fn has_data_event_fields(view: &RecordView<'_>, raw: &str) -> bool {
    let s3_resource = view.resources().as_array().is_some_and(|rs| {
        rs.iter().any(|r| {
            let t = r.get("type").and_then(|t| t.as_str()).unwrap_or("");
            let arn = ["ARN", "arn", "ARNPrefix"]
                .iter()
                .find_map(|k| r.get(*k).and_then(|a| a.as_str()))
                .unwrap_or("");
            t == "AWS::S3::Object" || t == "AWS::S3::Bucket" || arn.starts_with("arn:aws:s3")
        })
    });
    s3_resource || raw.contains("\"bytesTransferredOut\"")
}

/// The object-level reads (S3 logs them only as data events) that a record must show to be a
/// data event by its fields, as [`S3_BUCKET_DATA_READS`] must: their names alone are in
/// hand-edited evidence and in exports that dropped the fields as much as in a trail's data
/// events.
pub const S3_OBJECT_READS: &[&str] = &[
    "GetObject",
    "HeadObject",
    "SelectObjectContent",
    "GetObjectAcl",
    "GetObjectAttributes",
    "GetObjectTagging",
];

/// A read S3 logs only as a data event (an object's, [`S3_OBJECT_READS`], or a bucket's,
/// [`S3_BUCKET_DATA_READS`]) in a record without `eventCategory` or `managementEvent` (older
/// records, some exports) that has a data event's fields ([`has_data_event_fields`]): a read
/// data event on its bucket.
pub fn read_data_event_by_fields(view: &RecordView<'_>, raw: &str) -> bool {
    view.event_source.as_str().is_some_and(super::is_s3_source)
        && view
            .event_name
            .as_str()
            .is_some_and(|n| S3_BUCKET_DATA_READS.contains(&n) || S3_OBJECT_READS.contains(&n))
        && view.read_only() != Some(false)
        && has_data_event_fields(view, raw)
}

/// A read S3 logs only as a data event (an object's, `S3_OBJECT_READS`, or a bucket's,
/// `S3_BUCKET_DATA_READS`) whose record carries none of the fields that mark one
/// (`eventCategory`, `managementEvent`, `resources`, `additionalEventData`: a CSV export such as
/// OTRF's keeps none of them, nor does a record written by hand): the bucket it names, the API
/// and the object key, if any. It may be a trail's read data event; the record does not show it,
/// so it is not counted as one. `None` for any other record.
pub fn unmarked_read<'v>(
    view: &'v RecordView<'_>,
    raw: &str,
) -> Option<(String, &'v str, Option<String>)> {
    let name = view.event_name.as_str()?;
    if !view.event_source.as_str().is_some_and(super::is_s3_source)
        || !(S3_BUCKET_DATA_READS.contains(&name) || S3_OBJECT_READS.contains(&name))
        || view.read_only() == Some(false)
        || super::is_s3_data_event(view, raw)
    {
        return None;
    }
    let req = view.request();
    let s = |k: &str| {
        req.get(k)
            .and_then(|b| b.as_str())
            .filter(|b| !b.is_empty())
            .map(str::to_string)
    };
    Some((s("bucketName")?, name, s("key")))
}

/// Among `events` (the kept records), the object-level reads of an S3 decoy itself (its bucket
/// and key, [`DecoyBuckets::rules_reading`]) whose record carries none of a data event's fields
/// ([`unmarked_read`]), each as its API and eventID, in their order.
pub fn unmarked_decoy_reads(
    events: &[crate::model::Event],
    honeytokens: &[HoneytokenRule],
) -> Vec<(String, String)> {
    let decoys = DecoyBuckets::new(honeytokens);
    if decoys.is_empty() {
        return Vec::new();
    }
    events
        .iter()
        .filter(|e| super::is_s3_source(&e.event_source))
        .filter_map(|e| {
            let view = RecordView::parse(e.raw.get()).ok()?;
            let (bucket, api, key) = unmarked_read(&view, e.raw.get())?;
            let key = key?;
            (S3_OBJECT_READS.contains(&api) && decoys.rules_reading(&bucket, &key).next().is_some())
                .then(|| (api.to_string(), e.event_id.clone()))
        })
        .collect()
}

/// What an S3 data event was made on: the buckets it names, and the access points it went
/// through when it names no bucket (an access point's ARN or alias in `bucketName`, or its
/// host), which are no bucket: which bucket an access point serves, the record may not say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DataEventTargets {
    pub buckets: Vec<String>,
    /// As the record names them: ARNs (without `/object/KEY`), aliases, names or hosts.
    pub access_points: Vec<String>,
}

/// What an S3 data event was made on (`requestParameters.bucketName`, and a `CopyObject`'s
/// copy source, which it reads), `None` when the record is not an S3 data event
/// ([`is_s3_data_event`]; `raw` is the record's text). A `bucketName` that is an access point
/// (an ARN, an alias ending in `-s3alias` or `--ol-s3`, or a name sent to an access point's
/// host) is an access point, and the bucket then is the one `resources` names, if any. Both
/// empty: a data event that names no bucket.
pub fn data_event_buckets(view: &RecordView<'_>, raw: &str) -> Option<DataEventTargets> {
    if !is_s3_data_event(view, raw) {
        return None;
    }
    #[derive(Deserialize)]
    struct Params<'a> {
        #[serde(borrow, default, rename = "bucketName")]
        bucket: Option<Cow<'a, str>>,
        #[serde(borrow, default, rename = "x-amz-copy-source")]
        copy: Option<Cow<'a, str>>,
        #[serde(borrow, default, rename = "Host")]
        host: Option<Cow<'a, str>>,
    }
    let text = view.request_parameters.map_or("null", |r| r.get());
    let (bucket, copy, host) = match serde_json::from_str::<Option<Params<'_>>>(text) {
        Ok(p) => p.map_or((None, None, None), |p| {
            (
                p.bucket.map(Cow::into_owned),
                p.copy.map(Cow::into_owned),
                p.host.map(Cow::into_owned),
            )
        }),
        // Not plain JSON: read as the rest of the analysis reads it.
        Err(_) => {
            let req = view.request();
            let s = |k: &str| req.get(k).and_then(|v| v.as_str()).map(str::to_string);
            (s("bucketName"), s("x-amz-copy-source"), s("Host"))
        }
    };
    let mut out = DataEventTargets::default();
    let bucket = bucket.filter(|b| !b.is_empty());
    let through_access_point = bucket
        .as_deref()
        .is_some_and(|b| access_point_arn(b).is_some() || is_alias(b))
        || host.as_deref().is_some_and(is_access_point_host);
    if through_access_point {
        out.buckets = resource_buckets(view);
        if out.buckets.is_empty() {
            out.access_points = through(view).access_points;
        }
    } else {
        out.buckets.extend(bucket);
    }
    if let Some(copy) = copy {
        let source = copy_source(&serde_json::json!({ "x-amz-copy-source": copy }));
        if let Some(object) = source.first() {
            out.buckets
                .extend(object.split('/').next().map(str::to_string));
        }
    }
    out.buckets.dedup();
    Some(out)
}

/// The buckets a record's `resources` name (`arn:aws:s3:::NAME` of type `AWS::S3::Bucket`).
fn resource_buckets(view: &RecordView<'_>) -> Vec<String> {
    let mut out: Vec<String> = view
        .resources()
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r.get("type").and_then(|t| t.as_str()) == Some("AWS::S3::Bucket"))
        .filter_map(|r| r.get("ARN").or_else(|| r.get("arn"))?.as_str())
        .filter_map(|arn| arn.strip_prefix("arn:aws:s3:::"))
        .filter(|b| !b.is_empty() && !b.contains('/'))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(pattern: &str) -> HoneytokenRule {
        HoneytokenRule {
            kind: HoneytokenKind::S3,
            pattern: pattern.into(),
            access_points: Vec::new(),
        }
    }

    #[test]
    fn a_data_event_names_its_bucket_and_a_copy_its_source() {
        let buckets = |json: &str| {
            data_event_buckets(&RecordView::parse(json).unwrap(), json).map(|t| t.buckets)
        };
        assert_eq!(
            buckets(
                r#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventCategory":"Data","requestParameters":{"bucketName":"b","key":"k"}}"#
            ),
            Some(vec!["b".to_string()])
        );
        assert_eq!(
            buckets(
                r#"{"eventSource":"s3.amazonaws.com","eventName":"CopyObject","requestParameters":{"bucketName":"dst","key":"k","x-amz-copy-source":"/src%2Dx/k?versionId=1"}}"#
            ),
            Some(vec!["dst".to_string(), "src-x".to_string()])
        );
        assert_eq!(
            buckets(r#"{"eventSource":"s3.amazonaws.com","eventName":"PutObject"}"#),
            Some(vec![])
        );
        assert_eq!(
            buckets(
                r#"{"eventSource":"s3.amazonaws.com","eventName":"PutBucketAcl","requestParameters":{"bucketName":"b"}}"#
            ),
            None
        );
    }

    #[test]
    fn an_access_point_in_bucket_name_is_no_bucket() {
        let targets = |json: &str| data_event_buckets(&RecordView::parse(json).unwrap(), json);
        let alias = r#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","readOnly":true,"eventCategory":"Data","requestParameters":{"bucketName":"ap-abc123-s3alias","key":"k"}}"#;
        assert_eq!(
            targets(alias),
            Some(DataEventTargets {
                buckets: vec![],
                access_points: vec!["ap-abc123-s3alias".into()]
            })
        );
        let olap = r#"{"eventSource":"s3-object-lambda.amazonaws.com","eventName":"GetObject","readOnly":true,"eventCategory":"Data","requestParameters":{"bucketName":"olap-abc123--ol-s3","key":"k"}}"#;
        assert_eq!(targets(olap).unwrap().access_points, ["olap-abc123--ol-s3"]);
        // An ARN with the bucket named in resources: the bucket's.
        let arn = r#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","readOnly":true,"requestParameters":{"bucketName":"arn:aws:s3:us-east-1:1:accesspoint/ap","key":"k"},"resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"}]}"#;
        assert_eq!(
            targets(arn),
            Some(DataEventTargets {
                buckets: vec!["b".into()],
                access_points: vec![]
            })
        );
        // A bucket whose name merely contains the suffix elsewhere is a bucket.
        let plain = r#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","readOnly":true,"eventCategory":"Data","requestParameters":{"bucketName":"s3alias-logs","key":"k"}}"#;
        assert_eq!(targets(plain).unwrap().buckets, ["s3alias-logs"]);
    }

    #[test]
    fn a_read_data_event_is_read_only_or_a_reading_api() {
        let read = |json: &str| is_read_data_event(&RecordView::parse(json).unwrap());
        assert!(read(r#"{"eventName":"GetObject","readOnly":true}"#));
        assert!(read(r#"{"eventName":"HeadObject"}"#));
        assert!(read(r#"{"eventName":"ListObjectsV2"}"#));
        assert!(!read(r#"{"eventName":"PutObject","readOnly":false}"#));
        assert!(!read(r#"{"eventName":"CopyObject"}"#));
        assert!(!read(r#"{"eventName":"GetObject","readOnly":false}"#));
    }

    #[test]
    fn a_bucket_read_is_a_data_event_by_its_fields_not_its_name_alone() {
        let data =
            |json: &str| super::super::is_s3_data_event(&RecordView::parse(json).unwrap(), json);
        let unmarked = |json: &str| {
            unmarked_read(&RecordView::parse(json).unwrap(), json)
                .map(|(b, n, _)| format!("{b} {n}"))
        };
        let bare = r#"{"eventSource":"s3.amazonaws.com","eventName":"ListObjects","requestParameters":{"bucketName":"b","Host":"b.s3.amazonaws.com"}}"#;
        assert!(!data(bare));
        assert_eq!(unmarked(bare).as_deref(), Some("b ListObjects"));
        let with_resources = r#"{"eventSource":"s3.amazonaws.com","eventName":"HeadBucket","requestParameters":{"bucketName":"b"},"resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"}]}"#;
        assert!(data(with_resources));
        assert_eq!(unmarked(with_resources), None);
        let with_bytes = r#"{"eventSource":"s3.amazonaws.com","eventName":"ListObjectsV2","requestParameters":{"bucketName":"b"},"additionalEventData":{"bytesTransferredOut":512}}"#;
        assert!(data(with_bytes));
        // Management-looking bucket APIs are neither.
        let acl = r#"{"eventSource":"s3.amazonaws.com","eventName":"GetBucketAcl","requestParameters":{"bucketName":"b"},"resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"}]}"#;
        assert!(!data(acl));
        assert_eq!(unmarked(acl), None);
    }

    #[test]
    fn a_decoy_is_on_the_bucket_its_pattern_names() {
        let d = DecoyBuckets::new(&[
            rule("arn:aws:s3:::decoy/secret.txt"),
            HoneytokenRule {
                kind: HoneytokenKind::Secret,
                pattern: "decoy".into(),
                access_points: Vec::new(),
            },
            rule("logs-*/x*"),
        ]);
        assert_eq!(d.len(), 2);
        assert_eq!(d.rules_of("decoy").collect::<Vec<_>>(), vec![0]);
        assert_eq!(d.rules_of("logs-1").collect::<Vec<_>>(), vec![2]);
        assert!(d.rules_of("other").next().is_none());
    }
}
