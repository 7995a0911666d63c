//! Read-only acquisition from AWS with the official SDK: trail files and digests from S3,
//! LookupEvents pages, and the detection pipeline's configuration (CloudWatch alarms and their
//! history, rule metrics, metric filters, EventBridge rules and targets, trails, an S3 decoy's
//! bucket's access points), and who the
//! caller is (`sts:GetCallerIdentity`, for the manifest's chain of custody).
//!
//! The only module that uses `aws-sdk-*`. It calls List/Get/Describe/Lookup operations only and
//! hands bytes (raw objects, or JSON in the shape `aws ... --output json` prints) to a [`Sink`];
//! it never writes files itself and knows nothing of the analysis or the report.

pub mod access_points;
pub mod athena;
pub mod cloudwatch;
pub mod config;
pub mod error;
pub mod eventbridge;
pub mod identity;
pub mod json;
pub mod logs;
pub mod lookup;
pub mod plan;
pub mod posture;
pub mod role_policies;
pub mod s3;
pub mod sink;
pub mod trail;

pub use config::{AwsContext, AwsOptions};
pub use error::AwsError;
pub use plan::{CollectPlan, LookupAttr, S3Uri, TimeWindow};
pub use sink::{Provenance, S3Provenance, Sink, Staged, StoredReader};

/// Words that mark a metric filter, an alarm or a rule as part of the honeytoken detection.
#[derive(Debug, Clone)]
pub struct Needles(Vec<String>);

impl Needles {
    /// `GetSecretValue` and the literal parts of the honeytoken patterns (wildcards dropped).
    pub fn new(honeytokens: &[String]) -> Self {
        let mut words = vec!["getsecretvalue".to_string()];
        for h in honeytokens {
            for part in h.split(['*', '?']) {
                let part = part
                    .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .to_lowercase();
                // Short fragments ("prod") would match unrelated alarms.
                if part.len() >= 6 && !words.contains(&part) {
                    words.push(part);
                }
            }
        }
        Needles(words)
    }

    pub fn any_in(&self, text: &str) -> bool {
        let text = text.to_lowercase();
        self.0.iter().any(|w| text.contains(w.as_str()))
    }
}

/// Run every acquisition of `plan`, the short-lived evidence first (alarm history is kept only
/// for a while), then LookupEvents, then the trail files: every `s3://` input is listed before
/// any object is fetched, and the sink is told what will come ([`Sink::fetching`]) so that the
/// files can be analysed while they arrive. Failures become gaps in `sink`.
pub async fn collect(ctx: &AwsContext, plan: &CollectPlan, sink: &dyn Sink) {
    let needles = Needles::new(&plan.honeytokens);
    let regions = ctx.api_regions(plan);
    for region in &regions {
        let scope = config::RegionScope {
            region: region.clone(),
            multi: regions.len() > 1,
        };
        let metrics = logs::collect(ctx, &scope, &needles, sink).await;
        let rules = eventbridge::collect(ctx, &scope, &needles, plan.all_alarms, sink).await;
        let detection = cloudwatch::Detection {
            needles: &needles,
            metrics: &metrics,
            rules: &rules,
        };
        cloudwatch::collect(ctx, &scope, plan, &detection, sink).await;
        trail::collect(ctx, &scope, sink).await;
        access_points::collect(ctx, &scope, &plan.honeytokens, sink).await;
    }
    if plan.lookup {
        lookup::collect_all(ctx, plan, sink).await;
    }
    let mut planned = Vec::new();
    match &plan.athena {
        // The s3:// inputs only bound what the search may fetch.
        Some(athena) => {
            if let Some(selection) = athena::select(ctx, plan, athena, sink).await {
                let objects = selection.within(&plan.s3, sink);
                planned.extend(s3::plan_selected(ctx, &objects, plan, sink).await);
            }
        }
        None if plan.s3.is_empty() => return,
        None => {
            for uri in &plan.s3 {
                planned.extend(s3::plan(ctx, uri, plan, sink).await);
            }
        }
    }
    sink.fetching(&s3::paths(&planned));
    for p in planned {
        s3::fetch(p, plan.concurrency, sink).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_come_from_the_honeytoken_patterns() {
        let n = Needles::new(&["prod/*/Production_Database_Credentials*".into()]);
        assert!(n.any_in(r#"{ $.eventName = "GetSecretValue" }"#));
        assert!(n.any_in("arn:...:secret:production_database_credentials-AbC"));
        assert!(!n.any_in("ListBuckets"));
        assert!(!n.any_in("ProdCPUHigh"));
    }
}
