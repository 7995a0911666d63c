//! CloudTrail configuration: DescribeTrails (`trail/trails.json`), GetTrailStatus and
//! GetEventSelectors per trail (`trail/trail-status.json`, `trail/event-selectors.json`, or
//! `-<trail>` suffixed when there are several), and ListPublicKeys for digest verification.

use super::config::RegionScope;
use super::error::{gap, record, AwsError, Operation};
use super::json::{file_safe, smithy_time, Obj};
use super::plan::TimeWindow;
use super::sink::store_json;
use super::{AwsContext, Provenance, Sink};
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, Trail};
use base64::Engine as _;
use serde_json::Value;

const DESCRIBE_TRAILS: Operation = Operation::new("cloudtrail", "DescribeTrails");
const STATUS: Operation = Operation::new("cloudtrail", "GetTrailStatus");
const SELECTORS: Operation = Operation::new("cloudtrail", "GetEventSelectors");
const PUBLIC_KEYS: Operation = Operation::new("cloudtrail", "ListPublicKeys");

pub async fn collect(ctx: &AwsContext, scope: &RegionScope, sink: &dyn Sink) {
    let region = scope.region.as_str();
    let client = ctx.cloudtrail(region);
    let r = client
        .describe_trails()
        .include_shadow_trails(true)
        .send()
        .await;
    let trails: Vec<Trail> = match record(sink, DESCRIBE_TRAILS, region, r) {
        Ok(o) => o.trail_list().to_vec(),
        Err(e) => return gap(sink, &format!("aws:cloudtrail:DescribeTrails:{region}"), &e),
    };
    let doc = Obj::new()
        .list("trailList", trails.iter().map(trail))
        .build();
    store_json(
        sink,
        &scope.path("trail", "trails.json"),
        &doc,
        Provenance::api("cloudtrail", "DescribeTrails", region),
    );

    // Shadow trails (a multi-region trail seen from another region) are asked in their home
    // region, where they are listed too.
    let own: Vec<&Trail> = trails
        .iter()
        .filter(|t| t.home_region().is_none_or(|h| h == region))
        .collect();
    for t in &own {
        let Some(id) = t.trail_arn().or(t.name()) else {
            continue;
        };
        let name = t.name().unwrap_or(id);
        let file = |base: &str| {
            if own.len() == 1 {
                format!("{base}.json")
            } else {
                format!("{base}-{}.json", file_safe(name))
            }
        };
        let r = client.get_trail_status().name(id).send().await;
        match record(sink, STATUS, region, r) {
            Ok(s) => {
                let doc = Obj::new()
                    .opt("IsLogging", s.is_logging())
                    .opt("LatestDeliveryError", s.latest_delivery_error())
                    .opt("LatestNotificationError", s.latest_notification_error())
                    .time("LatestDeliveryTime", s.latest_delivery_time())
                    .time("LatestNotificationTime", s.latest_notification_time())
                    .time("StartLoggingTime", s.start_logging_time())
                    .time("StopLoggingTime", s.stop_logging_time())
                    .opt(
                        "LatestCloudWatchLogsDeliveryError",
                        s.latest_cloud_watch_logs_delivery_error(),
                    )
                    .time(
                        "LatestCloudWatchLogsDeliveryTime",
                        s.latest_cloud_watch_logs_delivery_time(),
                    )
                    .time("LatestDigestDeliveryTime", s.latest_digest_delivery_time())
                    .opt(
                        "LatestDigestDeliveryError",
                        s.latest_digest_delivery_error(),
                    )
                    .opt(
                        "LatestDeliveryAttemptTime",
                        s.latest_delivery_attempt_time(),
                    )
                    .opt(
                        "LatestNotificationAttemptTime",
                        s.latest_notification_attempt_time(),
                    )
                    .opt(
                        "LatestNotificationAttemptSucceeded",
                        s.latest_notification_attempt_succeeded(),
                    )
                    .opt(
                        "LatestDeliveryAttemptSucceeded",
                        s.latest_delivery_attempt_succeeded(),
                    )
                    .opt("TimeLoggingStarted", s.time_logging_started())
                    .opt("TimeLoggingStopped", s.time_logging_stopped())
                    .build();
                store_json(
                    sink,
                    &scope.path("trail", &file("trail-status")),
                    &doc,
                    Provenance::api("cloudtrail", "GetTrailStatus", region),
                );
            }
            Err(e) => gap(
                sink,
                &format!("aws:cloudtrail:GetTrailStatus:{region}:{name}"),
                &e,
            ),
        }
        let r = client.get_event_selectors().trail_name(id).send().await;
        match record(sink, SELECTORS, region, r) {
            Ok(s) => {
                let doc = Obj::new()
                    .opt("TrailARN", s.trail_arn())
                    // A trail has basic or advanced selectors; with neither (an emulator),
                    // an empty basic list still marks the file as this output.
                    .some_list(
                        "EventSelectors",
                        s.event_selectors().iter().map(event_selector),
                    )
                    .some_list(
                        "AdvancedEventSelectors",
                        s.advanced_event_selectors().iter().map(advanced_selector),
                    )
                    .build();
                let doc = with_selectors_key(doc);
                store_json(
                    sink,
                    &scope.path("trail", &file("event-selectors")),
                    &doc,
                    Provenance::api("cloudtrail", "GetEventSelectors", region),
                );
            }
            Err(e) => gap(
                sink,
                &format!("aws:cloudtrail:GetEventSelectors:{region}:{name}"),
                &e,
            ),
        }
    }
}

/// ListPublicKeys from the window's start in `region`: the keys that signed its digest files.
pub async fn public_keys(
    ctx: &AwsContext,
    region: &str,
    window: &TimeWindow,
    path: &str,
    sink: &dyn Sink,
) -> Result<(), AwsError> {
    // No end time: AWS then lists every key up to now, which covers digests delivered late.
    let (from, _) = window.delivery();
    let client = ctx.cloudtrail(region);
    let mut keys: Vec<Value> = Vec::new();
    let mut pages = client
        .list_public_keys()
        .start_time(smithy_time(from))
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = record(sink, PUBLIC_KEYS, region, page)?;
        keys.extend(page.public_key_list().iter().map(|k| {
            Obj::new()
                .opt(
                    "Value",
                    k.value()
                        .map(|b| base64::engine::general_purpose::STANDARD.encode(b.as_ref())),
                )
                .time("ValidityStartTime", k.validity_start_time())
                .time("ValidityEndTime", k.validity_end_time())
                .opt("Fingerprint", k.fingerprint())
                .build()
        }));
    }
    let doc = Obj::new().list("PublicKeyList", keys).build();
    store_json(
        sink,
        path,
        &doc,
        Provenance::api("cloudtrail", "ListPublicKeys", region),
    );
    Ok(())
}

fn with_selectors_key(mut doc: Value) -> Value {
    if let Some(o) = doc.as_object_mut() {
        if !o.contains_key("EventSelectors") && !o.contains_key("AdvancedEventSelectors") {
            o.insert("EventSelectors".into(), Value::Array(Vec::new()));
        }
    }
    doc
}

// SnsTopicName is deprecated in favour of SnsTopicARN, but the API still returns it and the CLI
// still prints it.
#[allow(deprecated)]
fn trail(t: &Trail) -> Value {
    Obj::new()
        .opt("Name", t.name())
        .opt("S3BucketName", t.s3_bucket_name())
        .opt("S3KeyPrefix", t.s3_key_prefix())
        .opt("SnsTopicName", t.sns_topic_name())
        .opt("SnsTopicARN", t.sns_topic_arn())
        .opt(
            "IncludeGlobalServiceEvents",
            t.include_global_service_events(),
        )
        .opt("IsMultiRegionTrail", t.is_multi_region_trail())
        .opt("HomeRegion", t.home_region())
        .opt("TrailARN", t.trail_arn())
        .opt("LogFileValidationEnabled", t.log_file_validation_enabled())
        .opt(
            "CloudWatchLogsLogGroupArn",
            t.cloud_watch_logs_log_group_arn(),
        )
        .opt("CloudWatchLogsRoleArn", t.cloud_watch_logs_role_arn())
        .opt("KmsKeyId", t.kms_key_id())
        .opt("HasCustomEventSelectors", t.has_custom_event_selectors())
        .opt("HasInsightSelectors", t.has_insight_selectors())
        .opt("IsOrganizationTrail", t.is_organization_trail())
        .build()
}

fn event_selector(s: &EventSelector) -> Value {
    let resources: Vec<Value> = s
        .data_resources()
        .iter()
        .map(|d| {
            Obj::new()
                .opt("Type", d.r#type())
                .strs("Values", d.values())
                .build()
        })
        .collect();
    Obj::new()
        .opt("ReadWriteType", s.read_write_type().map(|t| t.as_str()))
        .opt("IncludeManagementEvents", s.include_management_events())
        .list("DataResources", resources)
        .list(
            "ExcludeManagementEventSources",
            s.exclude_management_event_sources()
                .iter()
                .map(String::as_str),
        )
        .build()
}

fn advanced_selector(s: &AdvancedEventSelector) -> Value {
    let fields: Vec<Value> = s
        .field_selectors()
        .iter()
        .map(|f| {
            Obj::new()
                .put("Field", f.field())
                .some_list("Equals", f.equals().iter().map(String::as_str))
                .some_list("StartsWith", f.starts_with().iter().map(String::as_str))
                .some_list("EndsWith", f.ends_with().iter().map(String::as_str))
                .some_list("NotEquals", f.not_equals().iter().map(String::as_str))
                .some_list(
                    "NotStartsWith",
                    f.not_starts_with().iter().map(String::as_str),
                )
                .some_list("NotEndsWith", f.not_ends_with().iter().map(String::as_str))
                .build()
        })
        .collect();
    Obj::new()
        .opt("Name", s.name())
        .list("FieldSelectors", fields)
        .build()
}
