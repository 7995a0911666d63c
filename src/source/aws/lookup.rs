//! CloudTrail LookupEvents: management events of the window, per region, every page stored as
//! the CLI prints it (`{"Events":[...],"NextToken":...}`, `CloudTrailEvent` as a JSON string)
//! under `lookup-events/<region>-page-<n>.json`.
//!
//! The API takes one lookup attribute per request, so each `--lookup-attr` is its own series of
//! pages (`lookup-events/<region>-<Key>-<value>-page-<n>.json`). Pages are kept as returned; an
//! event found by several series is counted once here, and the analysis drops the duplicates by
//! EventId.
//!
//! The API allows about two requests per second per account and region: requests are spaced by
//! a simple interval limiter, and a throttled request (after the SDK's own retries) is tried
//! again after a growing pause rather than given up.

use super::error::{gap, record, AwsError, Operation};
use super::json::{file_safe, smithy_time, Obj};
use super::plan::{CollectPlan, LookupAttr};
use super::sink::store_json;
use super::{AwsContext, Provenance, Sink};
use aws_sdk_cloudtrail::types::{Event, LookupAttribute, LookupAttributeKey};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::Duration;
use tokio::time::{sleep, sleep_until, Instant};

const LOOKUP: Operation = Operation::new("cloudtrail", "LookupEvents");
/// Pauses after a throttled request: 1, 2, 4, 8, 16, 32 s; then the region is a gap.
const BACKOFF_STEPS: u32 = 6;

/// Every region of the plan at once (each has its own rate limit).
pub async fn collect_all(ctx: &AwsContext, plan: &CollectPlan, sink: &dyn Sink) {
    let regions = ctx.api_regions(plan);
    futures_util::future::join_all(
        regions
            .iter()
            .map(|r| collect(ctx, r, plan, Duration::from_secs(1), sink)),
    )
    .await;
}

/// One region: every series (the whole window, or one per lookup attribute), all pages.
/// `backoff` is the first pause after throttling.
pub async fn collect(
    ctx: &AwsContext,
    region: &str,
    plan: &CollectPlan,
    backoff: Duration,
    sink: &dyn Sink,
) {
    let mut series = Series {
        client: ctx.cloudtrail(region),
        region,
        plan,
        backoff,
        interval: Duration::from_secs_f64(1.0 / plan.lookup_rate.max(0.01)),
        next_slot: Instant::now(),
        seen: BTreeSet::new(),
    };
    if plan.lookup_attrs.is_empty() {
        series.run(None, sink).await;
    }
    for attr in &plan.lookup_attrs {
        series.run(Some(attr), sink).await;
    }
}

/// The requests of one region: they share its rate limit and the EventIds seen so far.
struct Series<'a> {
    client: aws_sdk_cloudtrail::Client,
    region: &'a str,
    plan: &'a CollectPlan,
    backoff: Duration,
    interval: Duration,
    next_slot: Instant,
    seen: BTreeSet<String>,
}

impl Series<'_> {
    async fn run(&mut self, attr: Option<&LookupAttr>, sink: &dyn Sink) {
        let region = self.region;
        let name = match attr {
            None => region.to_string(),
            Some(a) => format!("{region}-{}-{}", a.key, file_safe(&a.value)),
        };
        let prefix = format!("lookup-events/{name}-page-");
        sink.replace_prefix(&prefix);
        let mut token: Option<String> = None;
        let mut page_no = 0u32;
        loop {
            let page = match self.page(attr, token.take(), sink).await {
                Ok(p) => p,
                Err(e) => return lookup_gap(sink, &name, page_no + 1, &e),
            };
            page_no += 1;
            let new = page
                .events()
                .iter()
                .filter(|e| {
                    e.event_id()
                        .is_none_or(|id| self.seen.insert(id.to_owned()))
                })
                .count();
            sink.events(new as u64);
            let doc = Obj::new()
                .list("Events", page.events().iter().map(event))
                .opt("NextToken", page.next_token())
                .build();
            let mut provenance = Provenance::api("cloudtrail", "LookupEvents", region);
            if let Some(a) = attr {
                provenance
                    .source
                    .push_str(&format!(":{}={}", a.key, a.value));
            }
            provenance.source.push_str(&format!(":page {page_no}"));
            store_json(sink, &format!("{prefix}{page_no}.json"), &doc, provenance);
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                return;
            }
        }
    }

    /// One page, paced, and tried again after a growing pause while throttled.
    async fn page(
        &mut self,
        attr: Option<&LookupAttr>,
        token: Option<String>,
        sink: &dyn Sink,
    ) -> Result<aws_sdk_cloudtrail::operation::lookup_events::LookupEventsOutput, AwsError> {
        let mut attempt = 0;
        loop {
            sleep_until(self.next_slot).await;
            self.next_slot = Instant::now() + self.interval;
            let mut req = self
                .client
                .lookup_events()
                .start_time(smithy_time(self.plan.window.from))
                .end_time(smithy_time(self.plan.window.to))
                .max_results(50)
                .set_next_token(token.clone());
            if let Some(a) = attr {
                req = req.lookup_attributes(
                    LookupAttribute::builder()
                        .attribute_key(LookupAttributeKey::from(a.key.as_str()))
                        .attribute_value(&a.value)
                        .build()
                        .expect("key and value are set"),
                );
            }
            match record(sink, LOOKUP, self.region, req.send().await) {
                Err(e) if e.is_throttling() && attempt < BACKOFF_STEPS => {
                    sleep(self.backoff * 2u32.pow(attempt)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// `series` is the region, or `<region>-<Key>-<value>` for one lookup attribute.
fn lookup_gap(sink: &dyn Sink, series: &str, page: u32, e: &AwsError) {
    gap(
        sink,
        &format!("aws:cloudtrail:LookupEvents:{series}:page {page}"),
        e,
    );
}

/// One item as `aws cloudtrail lookup-events` prints it.
fn event(e: &Event) -> Value {
    let resources: Vec<Value> = e
        .resources()
        .iter()
        .map(|r| {
            Obj::new()
                .opt("ResourceType", r.resource_type())
                .opt("ResourceName", r.resource_name())
                .build()
        })
        .collect();
    Obj::new()
        .opt("EventId", e.event_id())
        .opt("EventName", e.event_name())
        .opt("ReadOnly", e.read_only())
        .opt("AccessKeyId", e.access_key_id())
        .time("EventTime", e.event_time())
        .opt("EventSource", e.event_source())
        .opt("Username", e.username())
        .list("Resources", resources)
        .opt("CloudTrailEvent", e.cloud_trail_event())
        .build()
}
