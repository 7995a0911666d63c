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
use trailcase_common::glob::{matches_ignore_case as glob_match, CaselessGlob};

mod access_points;
pub mod attack;
mod changes;
pub mod keys;
mod names;
mod pipeline;
pub mod pipeline_names;
pub(crate) use names::other_reading;
pub use names::{
    canonical_name, honeytoken_kind, is_s3_data_event, is_s3_source, name_matches, S3_EVENT_SOURCES,
};
use names::{copy_source, full_secret_arns, identifiers, is_read, suffix_key};
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
        self.is_killswitch(view) || self.interesting_but_killswitch(view)
    }

    /// [`Classifier::interesting`] of a record already found not to be the kill-switch's
    /// (`--all` knows it from the record's kind: its globs run once a record, not twice).
    pub fn interesting_but_killswitch(&self, view: &RecordView<'_>) -> bool {
        is_iam_change(view)
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

#[cfg(test)]
mod tests;
