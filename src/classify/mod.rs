//! What a record is to the case: a honeytoken access, a kill-switch call, a credential issue,
//! an IAM change, a change to the monitoring pipeline (`classify/pipeline.rs`), an insight, or
//! nothing of interest. Reads by path and the service's `kms:Decrypt` are in `classify/reads.rs`;
//! calls that change a honeytoken without reading it in `classify/changes.rs`; the STS calls
//! that issued each temporary key in `classify/keys.rs`.
//!
//! Below both the scan (which keeps records by these answers) and `correlate` (which builds
//! incidents from them): may import `model`, `parse` and `rules`, nothing above.

use crate::model::{AnalysisSettings, Event, HoneytokenKind, HoneytokenRule};
use crate::parse::RecordView;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use trailcase_common::glob::{matches, matches_ignore_case as glob_match, CaselessGlob};

mod access_points;
pub mod attack;
mod changes;
pub mod keys;
mod pipeline;
pub mod pipeline_names;
mod reads;
pub use pipeline_names::{Membership, PipelineNames};
mod s3_data;
mod trail_bucket;
mod trail_settings;
pub use changes::HoneytokenChange;
pub use reads::path_covers;
pub use s3_data::{
    bucket_pattern, data_event_buckets, is_read_data_event, unmarked_decoy_reads, unmarked_read,
    DataEventTargets, DecoyBuckets,
};

/// A record that names a honeytoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoneytokenHit {
    /// Index of the configured rule that matched.
    pub rule: usize,
    /// The honeytoken's canonical name (secret name without the ARN's random suffix).
    pub name: String,
    /// The most specific identifier seen (an ARN when the record has one).
    pub shown: String,
    /// True for calls that read the value (GetSecretValue, GetObject, GetParameter...). False
    /// for a secret the ARN shows is another one ([`SecretIdentity::Other`]).
    pub read: bool,
    /// Whether the secret the call names is the honeytoken (always `Certain` for the other kinds).
    pub identity: SecretIdentity,
    /// When the call names the honeytoken only by the other reading of an ARN
    /// (`other_reading`): (that ARN, the resource its usual reading names instead: a secret
    /// whose random suffix is the ARN's last six characters, or the parameter with a leading
    /// `/`). The ARN may name either; the call is taken for a read of the honeytoken.
    pub other_resource: Option<(String, String)>,
}

/// Whether a call that names a secret by an ARN ending in `-` and six characters after the
/// honeytoken's name names the honeytoken. AWS ends every secret's ARN with `-` and six random
/// characters, and a call may name a secret by a partial ARN (without them): the ARN
/// `…:secret:Production_Database_Credentials-backup` is the honeytoken with the suffix `backup`,
/// or the partial ARN of a secret named `Production_Database_Credentials-backup`. The form alone
/// cannot tell; the honeytoken's own full ARN in the evidence can ([`Classifier::knowing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretIdentity {
    /// The name, a partial ARN without the suffix, or an ARN whose suffix is the honeytoken's own.
    Certain,
    /// The evidence gives no full ARN of the honeytoken in the ARN's account and region, and the
    /// record none of the secret it read: which secret `arn` is, is not known.
    Unsettled { arn: String, suffix: String },
    /// The ARN's suffix is not the honeytoken's own (its full ARN in the evidence has another),
    /// or the record's own full ARN shows a secret of that longer name: another secret.
    Other { arn: String },
}

/// Classifies records against the configuration. Cheap checks first: most records are noise.
#[derive(Debug, Clone)]
pub struct Classifier {
    honeytokens: Vec<HoneytokenRule>,
    /// Matched against the caller of every record read: compiled once.
    killswitch: Vec<CaselessGlob>,
    ssm_documents: Vec<String>,
    /// The honeytoken secrets' own ARN suffixes the evidence shows, by the ARN's lowercase
    /// `arn:…:secret:` prefix and the lowercase name ([`Classifier::knowing`]).
    own_suffixes: BTreeMap<(String, String), BTreeSet<String>>,
    /// The pipeline's pieces by name: configured, and found in the collected configuration
    /// ([`Classifier::with_pipeline`]).
    pipeline: PipelineNames,
}

const CREDENTIAL_APIS: &[&str] = &[
    "AssumeRole",
    "AssumeRoleWithSAML",
    "AssumeRoleWithWebIdentity",
    "GetSessionToken",
    "GetFederationToken",
];

impl Classifier {
    pub fn new(settings: &AnalysisSettings) -> Self {
        Classifier {
            honeytokens: settings.honeytokens.clone(),
            killswitch: (settings.killswitch.principals.iter())
                .map(|p| CaselessGlob::new(p))
                .collect(),
            ssm_documents: settings.killswitch.ssm_documents.clone(),
            own_suffixes: BTreeMap::new(),
            pipeline: PipelineNames::configured(&settings.detection),
        }
    }

    /// This classifier told the pipeline's pieces the collected configuration shows, besides
    /// the configured ones.
    pub fn with_pipeline(mut self, names: PipelineNames) -> Self {
        self.pipeline.extend(names);
        self
    }

    /// This classifier told the honeytoken secrets' own full ARNs that `events` give (a
    /// record's `resources[].ARN` or `responseElements.arn`, a KMS `Decrypt`'s
    /// `encryptionContext.SecretARN`: AWS writes them whole), so that a call naming a secret by
    /// an ARN is settled by its suffix ([`SecretIdentity`]).
    pub fn knowing(mut self, events: &[Event]) -> Self {
        if !self
            .honeytokens
            .iter()
            .any(|h| h.kind == HoneytokenKind::Secret)
        {
            return self;
        }
        for e in events {
            let Ok(view) = RecordView::parse(e.raw.get()) else {
                continue;
            };
            for arn in self.own_secret_arns(&view) {
                if let Some((key, suffix)) = suffix_key(&arn) {
                    self.own_suffixes.entry(key).or_default().insert(suffix);
                }
            }
        }
        self
    }

    /// The full ARNs of honeytoken secrets the record gives.
    fn own_secret_arns(&self, view: &RecordView<'_>) -> Vec<String> {
        full_secret_arns(view)
            .into_iter()
            .filter(|arn| {
                let name = canonical_name(HoneytokenKind::Secret, arn);
                self.honeytokens.iter().any(|h| {
                    h.kind == HoneytokenKind::Secret
                        && name_matches(HoneytokenKind::Secret, &h.pattern, &name)
                })
            })
            .collect()
    }

    /// Whether the secret `id` (which matched `pattern` through its name without the last
    /// seven characters) is the honeytoken: the one place the ARN's suffix is weighed.
    fn secret_identity(&self, view: &RecordView<'_>, pattern: &str, id: &str) -> SecretIdentity {
        let Some((prefix, own)) = id.split_once(":secret:").filter(|_| id.starts_with("arn:"))
        else {
            return SecretIdentity::Certain;
        };
        let canonical = canonical_name(HoneytokenKind::Secret, id);
        if canonical.len() == own.len()
            || name_matches(HoneytokenKind::Secret, pattern, own)
            || name_matches(HoneytokenKind::Secret, pattern, id)
        {
            return SecretIdentity::Certain;
        }
        let record = full_secret_arns(view);
        if record.iter().any(|a| {
            a.split_once(":secret:")
                .is_some_and(|(p, _)| p.eq_ignore_ascii_case(prefix))
                && canonical_name(HoneytokenKind::Secret, a).eq_ignore_ascii_case(own)
        }) {
            return SecretIdentity::Other {
                arn: id.to_string(),
            };
        }
        let Some((key, suffix)) = suffix_key(id) else {
            return SecretIdentity::Certain;
        };
        let mut known: BTreeSet<&str> = self
            .own_suffixes
            .get(&key)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let of_record: Vec<(_, String)> = record.iter().filter_map(|a| suffix_key(a)).collect();
        known.extend(
            of_record
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, s)| s.as_str()),
        );
        if known.is_empty() {
            SecretIdentity::Unsettled {
                arn: id.to_string(),
                suffix,
            }
        } else if known.contains(suffix.as_str()) {
            SecretIdentity::Certain
        } else {
            SecretIdentity::Other {
                arn: id.to_string(),
            }
        }
    }

    pub fn rules(&self) -> &[HoneytokenRule] {
        &self.honeytokens
    }

    /// A read of the kind of resource a honeytoken is that names no resource at all (CloudTrail
    /// left out its `requestParameters`): whether it read a honeytoken is not known.
    pub fn unnamed_read(&self, view: &RecordView<'_>) -> bool {
        if view.request_parameters.is_some() || view.resources.is_some() {
            return false;
        }
        let Some(kind) = view.event_source.as_str().and_then(honeytoken_kind) else {
            return false;
        };
        self.honeytokens.iter().any(|h| h.kind == kind)
            && is_read(kind, view.event_name.as_str().unwrap_or(""))
            && !view.network_activity()
    }

    /// The honeytoken this record names, if any.
    pub fn honeytoken(&self, view: &RecordView<'_>) -> Option<HoneytokenHit> {
        let kind = honeytoken_kind(view.event_source.as_str()?)?;
        let name = view.event_name.as_str().unwrap_or("");
        if !self.honeytokens.iter().any(|h| h.kind == kind) {
            return None;
        }
        // A network activity event the VPC endpoint let through is not the read: the service's
        // own event is. One it denied is the only record of that refused read (the request
        // never reached the service).
        let through_endpoint = !view.passed_endpoint();
        let req = view.request();
        // S3's CopyObject reads its copy source and writes `bucketName`/`key`: a copy out of
        // the honeytoken reads it; a copy onto it reads nothing of it.
        let copy = kind == HoneytokenKind::S3 && name == "CopyObject";
        if copy {
            if let Some((rule, name, shown, _, _)) = self.first_match(kind, &copy_source(&req)) {
                return Some(HoneytokenHit {
                    rule,
                    name,
                    shown,
                    read: through_endpoint,
                    identity: SecretIdentity::Certain,
                    other_resource: None,
                });
            }
        }
        let mut ids = identifiers(kind, &req, &view.resources());
        if kind == HoneytokenKind::S3 {
            ids.extend(self.through_access_points(view));
        }
        if let Some((rule, canonical, shown, id, other_resource)) = self.first_match(kind, &ids) {
            let identity = match kind {
                HoneytokenKind::Secret => {
                    self.secret_identity(view, &self.honeytokens[rule].pattern, &id)
                }
                _ => SecretIdentity::Certain,
            };
            let other = matches!(identity, SecretIdentity::Other { .. });
            return Some(HoneytokenHit {
                rule,
                name: canonical,
                shown,
                read: is_read(kind, name) && !copy && through_endpoint && !other,
                identity,
                other_resource,
            });
        }
        match kind {
            HoneytokenKind::SsmParameter => self.by_path(view),
            _ => None,
        }
    }

    /// The first of `ids` a honeytoken rule of `kind` matches: (rule, canonical name, the id
    /// shown: an ARN when the call names one, the id that matched, and when it matched only by
    /// [`other_reading`], that id and the resource its usual reading names).
    #[allow(clippy::type_complexity)]
    fn first_match(
        &self,
        kind: HoneytokenKind,
        ids: &[String],
    ) -> Option<(usize, String, String, String, Option<(String, String)>)> {
        for (rule, h) in self
            .honeytokens
            .iter()
            .enumerate()
            .filter(|(_, h)| h.kind == kind)
        {
            for id in ids {
                let canonical = canonical_name(kind, id);
                let named = if name_matches(kind, &h.pattern, &canonical)
                    || name_matches(kind, &h.pattern, id)
                {
                    Some((canonical, None))
                } else {
                    other_reading(kind, id)
                        .filter(|name| name_matches(kind, &h.pattern, name))
                        .map(|name| (name, Some((id.clone(), canonical))))
                };
                if let Some((name, other_resource)) = named {
                    let shown = ids
                        .iter()
                        .find(|i| i.starts_with("arn:"))
                        .unwrap_or(id)
                        .clone();
                    return Some((rule, name, shown, id.clone(), other_resource));
                }
            }
        }
        None
    }

    /// True when the caller is the kill-switch (its role, function or automation).
    pub fn is_killswitch(&self, view: &RecordView<'_>) -> bool {
        let Some(u) = &view.user_identity else {
            return false;
        };
        let issuer = u
            .session_context
            .as_ref()
            .and_then(|c| c.session_issuer.as_ref())
            .and_then(|i| i.arn.as_str());
        let candidates = [u.arn.as_str(), issuer];
        let by_principal = candidates
            .iter()
            .flatten()
            .any(|c| self.killswitch.iter().any(|p| p.matches(c)));
        by_principal || self.is_killswitch_automation(view)
    }

    fn is_killswitch_automation(&self, view: &RecordView<'_>) -> bool {
        if self.ssm_documents.is_empty()
            || view.event_name.as_str() != Some("StartAutomationExecution")
        {
            return false;
        }
        let req = view.request();
        let doc = req
            .get("documentName")
            .and_then(Value::as_str)
            .unwrap_or("");
        self.ssm_documents.iter().any(|p| glob_match(p, doc))
    }

    /// A Secrets Manager record that gives a honeytoken secret's full ARN (a `CreateSecret` by
    /// name, say): kept so that the correlation knows the honeytoken's own suffix.
    fn gives_own_secret_arn(&self, view: &RecordView<'_>) -> bool {
        view.event_source.as_str() == Some("secretsmanager.amazonaws.com")
            && (view.response_elements.is_some() || view.resources.is_some())
            && !self.own_secret_arns(view).is_empty()
    }

    /// Records the first pass keeps whatever the actor turns out to be.
    pub fn interesting(&self, view: &RecordView<'_>) -> bool {
        self.is_killswitch(view)
            || is_iam_change(view)
            || self.is_pipeline_call(view)
            || self.honeytoken(view).is_some()
            || self.change(view).is_some()
            || self.access_point_read(view).is_some()
            || self.gives_own_secret_arn(view)
            || self.unnamed_read(view)
            || self.decrypt(view).is_some()
            || self.bucket_decrypt(view).is_some()
            || is_insight(view)
    }
}

/// A CloudTrail Insights event (`eventType` `AwsCloudTrailInsight`, or `insightDetails` on a
/// record with no `eventSource`): unusual API activity CloudTrail measured, not a call.
pub fn is_insight(view: &RecordView<'_>) -> bool {
    view.event_type.as_str() == Some("AwsCloudTrailInsight")
        || (view.insight_details.is_some() && view.event_source.as_str().is_none())
}

/// A successful call that issues temporary credentials (their origin links keys to callers).
pub fn is_credential_issue(view: &RecordView<'_>) -> bool {
    view.event_source.as_str() == Some("sts.amazonaws.com")
        && view.succeeded()
        && view
            .event_name
            .as_str()
            .is_some_and(|n| CREDENTIAL_APIS.contains(&n))
}

/// A write to IAM (not Get/List/Generate/Simulate).
pub fn is_iam_change(view: &RecordView<'_>) -> bool {
    if view.event_source.as_str() != Some("iam.amazonaws.com") {
        return false;
    }
    let name = view.event_name.as_str().unwrap_or("");
    !["Get", "List", "Generate", "Simulate"]
        .iter()
        .any(|p| name.starts_with(p))
}

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
const S3_OBJECT_APIS: &[&str] = &[
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
fn field_is(raw: &str, key: &str, value: &str) -> bool {
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

fn is_read(kind: HoneytokenKind, name: &str) -> bool {
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
fn copy_source(req: &Value) -> Vec<String> {
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
fn percent_decoded(s: &str) -> String {
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
fn identifiers(kind: HoneytokenKind, req: &Value, resources: &Value) -> Vec<String> {
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
fn full_secret_arns(view: &RecordView<'_>) -> Vec<String> {
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
fn suffix_key(arn: &str) -> Option<((String, String), String)> {
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
fn express_name(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:aws:s3express:")?;
    let name = rest.splitn(3, ':').nth(2)?;
    Some(name.strip_prefix("bucket/").unwrap_or(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(json: &str) -> Option<HoneytokenHit> {
        Classifier::new(&crate::config::Config::default().analysis_settings())
            .honeytoken(&RecordView::parse(json).unwrap())
    }

    #[test]
    fn secret_by_name_arn_or_resources() {
        let by_name = hit(
            r#"{"eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue",
            "requestParameters":{"secretId":"Production_Database_Credentials"}}"#,
        )
        .unwrap();
        assert!(by_name.read);
        assert_eq!(by_name.name, "Production_Database_Credentials");
        let by_arn = hit(r#"{"eventSource":"secretsmanager.amazonaws.com","eventName":"DescribeSecret",
            "requestParameters":{"secretId":"arn:aws:secretsmanager:us-east-1:1:secret:Production_Database_Credentials-Xy12Ab"}}"#)
        .unwrap();
        assert!(!by_arn.read);
        assert_eq!(by_arn.name, "Production_Database_Credentials");
        let other = hit(
            r#"{"eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue",
            "requestParameters":{"secretId":"prod/orders/api-key"}}"#,
        );
        assert!(other.is_none());
    }

    #[test]
    fn an_arn_whose_suffix_may_end_another_name_is_settled_by_the_honeytoken_own_arn() {
        let settings = crate::config::Config::default().analysis_settings();
        let read = |id: &str, resources: &str| {
            format!(
                r#"{{"eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue",
                "requestParameters":{{"secretId":"{id}"}}{resources}}}"#
            )
        };
        let arn = "arn:aws:secretsmanager:us-east-1:1:secret:Production_Database_Credentials";
        let backup = format!("{arn}-backup");
        let identity = |c: &Classifier, json: &str| {
            c.honeytoken(&RecordView::parse(json).unwrap())
                .map(|h| (h.read, h.identity))
        };
        let ignorant = Classifier::new(&settings);
        assert_eq!(
            identity(&ignorant, &read(&backup, "")),
            Some((
                true,
                SecretIdentity::Unsettled {
                    arn: backup.clone(),
                    suffix: "backup".into()
                }
            ))
        );
        // A partial ARN without the suffix and the bare name are certain.
        for id in [arn, "Production_Database_Credentials"] {
            assert_eq!(
                identity(&ignorant, &read(id, "")),
                Some((true, SecretIdentity::Certain))
            );
        }
        // A partial ARN of a honeytoken whose name ends in `-` and six characters.
        let mut app = settings.clone();
        app.honeytokens[0].pattern = "app-secret".into();
        let partial = "arn:aws:secretsmanager:us-east-1:1:secret:app-secret";
        let h = Classifier::new(&app)
            .honeytoken(&RecordView::parse(&read(partial, "")).unwrap())
            .unwrap();
        assert_eq!(
            (h.read, h.identity, h.name.as_str()),
            (true, SecretIdentity::Certain, "app-secret")
        );
        // The record's own full ARN shows another secret.
        let of_other = format!(r#","resources":[{{"ARN":"{backup}-AbCdEf"}}]"#);
        assert_eq!(
            identity(&ignorant, &read(&backup, &of_other)),
            Some((
                false,
                SecretIdentity::Other {
                    arn: backup.clone()
                }
            ))
        );
        // The honeytoken's own ARN in the evidence settles both suffixes.
        let own = format!(r#","resources":[{{"ARN":"{arn}-Xy12Ab"}}]"#);
        let event = crate::model::Event::for_test(
            crate::model::Timestamp::from_secs(0),
            "e",
            "secretsmanager.amazonaws.com",
            "GetSecretValue",
            &read("Production_Database_Credentials", &own),
        );
        let knowing = Classifier::new(&settings).knowing(&[event]);
        assert_eq!(
            identity(&knowing, &read(&format!("{arn}-Xy12Ab"), "")),
            Some((true, SecretIdentity::Certain))
        );
        assert_eq!(
            identity(&knowing, &read(&backup, "")),
            Some((
                false,
                SecretIdentity::Other {
                    arn: backup.clone()
                }
            ))
        );
        // Another region's ARN is not settled by it.
        let west = backup.replace("us-east-1", "us-west-2");
        assert!(matches!(
            identity(&knowing, &read(&west, "")),
            Some((true, SecretIdentity::Unsettled { .. }))
        ));
    }

    #[test]
    fn a_parameter_arn_names_a_parameter_with_or_without_its_leading_slash() {
        let mut settings = crate::config::Config::default().analysis_settings();
        settings.honeytokens = vec![HoneytokenRule {
            kind: HoneytokenKind::SsmParameter,
            pattern: "db-password".into(),
            access_points: Vec::new(),
        }];
        let c = Classifier::new(&settings);
        let read = |name: &str| {
            c.honeytoken(
                &RecordView::parse(&format!(
                    r#"{{"eventSource":"ssm.amazonaws.com","eventName":"GetParameter","requestParameters":{{"name":"{name}"}}}}"#
                ))
                .unwrap(),
            )
            .map(|h| (h.read, h.name))
        };
        let want = Some((true, "db-password".to_string()));
        assert_eq!(read("db-password"), want);
        assert_eq!(read("arn:aws:ssm:us-east-1:1:parameter/db-password"), want);
        assert_eq!(read("arn:aws:ssm:us-east-1:1:parameter/other"), None);
    }

    #[test]
    fn s3_data_events_by_category_flag_or_object_api() {
        let data = |json: &str| is_s3_data_event(&RecordView::parse(json).unwrap(), json);
        // An object write by its name; an object read only with a data event's fields.
        assert!(data(
            r#"{"eventSource":"s3.amazonaws.com","eventName":"PutObject"}"#
        ));
        assert!(!data(
            r#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}"#
        ));
        assert!(data(
            r#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k"}]}"#
        ));
        assert!(data(
            r#"{"eventSource":"s3.amazonaws.com","eventName":"ListObjects","eventCategory" : "Data"}"#
        ));
        assert!(data(
            r#"{"eventSource":"s3.amazonaws.com","eventName":"X","managementEvent":false}"#
        ));
        assert!(!data(
            r#"{"eventSource":"s3.amazonaws.com","eventName":"PutBucketAcl","eventCategory":"Management","managementEvent":true}"#
        ));
        assert!(!data(
            r#"{"eventSource":"kms.amazonaws.com","eventName":"GetObject"}"#
        ));
    }

    #[test]
    fn every_s3_event_source_reads_the_decoy_by_bucket_and_key() {
        let mut settings = crate::config::Config::default().analysis_settings();
        settings.honeytokens = vec![HoneytokenRule {
            kind: HoneytokenKind::S3,
            pattern: "vault--use1-az4--x-s3/k.csv".into(),
            access_points: Vec::new(),
        }];
        let c = Classifier::new(&settings);
        for source in S3_EVENT_SOURCES {
            let json = format!(
                r#"{{"eventSource":"{source}","eventName":"GetObject","eventCategory":"Data","requestParameters":{{"bucketName":"vault--use1-az4--x-s3","key":"k.csv"}}}}"#
            );
            let view = RecordView::parse(&json).unwrap();
            let hit = c.honeytoken(&view).unwrap_or_else(|| panic!("{source}"));
            assert!(hit.read, "{source}");
            assert!(is_s3_data_event(&view, &json), "{source}");
        }
        assert_eq!(
            canonical_name(
                HoneytokenKind::S3,
                "arn:aws:s3express:us-east-1:1:bucket/vault--use1-az4--x-s3/k.csv"
            ),
            "vault--use1-az4--x-s3/k.csv"
        );
    }

    #[test]
    fn killswitch_by_session_issuer() {
        let c = Classifier::new(&crate::config::Config::default().analysis_settings());
        let v = RecordView::parse(r#"{"userIdentity":{"type":"AssumedRole",
            "arn":"arn:aws:sts::1:assumed-role/HoneytokenKillSwitchRole/fn",
            "sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/HoneytokenKillSwitchRole"}}}}"#)
        .unwrap();
        assert!(c.is_killswitch(&v));
    }
}
