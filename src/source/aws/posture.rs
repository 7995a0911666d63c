//! Read the deployed honeytoken pipeline of one region for `trailcase posture`: trails and their
//! status, the honeytoken secret, metric filters, alarms, EventBridge rules and targets, the
//! targeted SNS topics' subscriptions and Lambda functions with their resource policies and
//! their roles' policies (`role_policies.rs`).
//! Describe/List/Get calls only. A part that cannot be read becomes an `Err` with the reason.
//! An SSM parameter or S3 object decoy is looked up without reading it (`decoy.rs`).

mod decoy;

use super::error::{AwsError, Operation};
use super::AwsContext;
use crate::model::posture_snapshot::*;
use crate::model::{AlarmDefinition, MathStat, MetricMath, Origin};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::BTreeMap;

fn why<E, R>(service: &'static str, name: &'static str, e: SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    AwsError::from_sdk(Operation::new(service, name), &e).to_string()
}

fn time(t: Option<&aws_smithy_types::DateTime>) -> Option<chrono::DateTime<chrono::Utc>> {
    t.and_then(|t| chrono::DateTime::from_timestamp_millis(t.to_millis().ok()?))
}

pub async fn snapshot(ctx: &AwsContext, region: &str, honeytoken: &str) -> Snapshot {
    let rules = rules(ctx, region).await;
    let alarms = alarms(ctx, region).await;
    let mut targets = std::collections::BTreeSet::new();
    if let Ok(alarms) = &alarms {
        targets.extend(
            alarms
                .iter()
                .flat_map(|a| a.definition.alarm_actions.clone()),
        );
    }
    if let Ok(rules) = &rules {
        let of_rules = rules
            .iter()
            .filter_map(|r| r.targets.as_ref().ok())
            .flatten();
        targets.extend(of_rules.cloned());
    }
    let mut topics = BTreeMap::new();
    let mut functions = BTreeMap::new();
    for arn in targets {
        if arn.contains(":sns:") {
            let state = topic(ctx, &arn).await;
            topics.insert(arn, state);
        } else if arn.contains(":lambda:") {
            let state = function(ctx, region, &arn).await;
            functions.insert(arn, state);
        }
    }
    Snapshot {
        region: region.to_string(),
        honeytoken: honeytoken.to_string(),
        trails: trails(ctx, region).await,
        // A secret is described; an S3 object or SSM parameter is `decoy`.
        secret: match honeytoken.strip_prefix("secret:") {
            _ if honeytoken.starts_with("s3:") || honeytoken.starts_with("ssm:") => {
                Err("not a secret".into())
            }
            Some(name) => secret(ctx, region, name).await,
            None => secret(ctx, region, honeytoken).await,
        },
        decoy: decoy::look_up(ctx, region, honeytoken).await,
        metric_filters: metric_filters(ctx, region).await,
        alarms,
        rules,
        topics,
        functions,
    }
}

async fn trails(ctx: &AwsContext, region: &str) -> Fetched<Vec<TrailState>> {
    let client = ctx.cloudtrail(region);
    let out = client
        .describe_trails()
        .include_shadow_trails(true)
        .send()
        .await
        .map_err(|e| why("cloudtrail", "DescribeTrails", e))?;
    let mut trails = Vec::new();
    for t in out.trail_list() {
        let Some(arn) = t.trail_arn() else { continue };
        let status = client
            .get_trail_status()
            .name(arn)
            .send()
            .await
            .map(|s| TrailStatus {
                is_logging: s.is_logging().unwrap_or(false),
                latest_cloudwatch_logs_delivery: time(s.latest_cloud_watch_logs_delivery_time()),
                latest_cloudwatch_logs_error: s
                    .latest_cloud_watch_logs_delivery_error()
                    .filter(|e| !e.is_empty())
                    .map(str::to_owned),
            })
            .map_err(|e| why("cloudtrail", "GetTrailStatus", e));
        trails.push(TrailState {
            name: t.name().unwrap_or(arn).to_string(),
            arn: arn.to_string(),
            home_region: t.home_region().map(str::to_owned),
            multi_region: t.is_multi_region_trail().unwrap_or(false),
            log_file_validation: t.log_file_validation_enabled().unwrap_or(false),
            log_group_arn: t.cloud_watch_logs_log_group_arn().map(str::to_owned),
            status,
        });
    }
    Ok(trails)
}

async fn secret(ctx: &AwsContext, region: &str, name: &str) -> Fetched<Option<SecretState>> {
    match ctx
        .secrets(region)
        .describe_secret()
        .secret_id(name)
        .send()
        .await
    {
        Ok(s) => Ok(Some(SecretState {
            name: s.name().unwrap_or(name).to_string(),
            arn: s.arn().unwrap_or_default().to_string(),
            deleted: s.deleted_date().is_some(),
        })),
        Err(e) => {
            match AwsError::from_sdk(Operation::new("secretsmanager", "DescribeSecret"), &e) {
                AwsError::NotFound { .. } => Ok(None),
                other => Err(other.to_string()),
            }
        }
    }
}

async fn metric_filters(ctx: &AwsContext, region: &str) -> Fetched<Vec<FilterState>> {
    let mut pages = ctx
        .logs(region)
        .describe_metric_filters()
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| why("logs", "DescribeMetricFilters", e))?;
        for f in page.metric_filters() {
            let t = f.metric_transformations().first();
            out.push(FilterState {
                name: f.filter_name().unwrap_or_default().to_string(),
                log_group: f.log_group_name().unwrap_or_default().to_string(),
                pattern: f.filter_pattern().unwrap_or_default().to_string(),
                metric_namespace: t
                    .map(|t| t.metric_namespace().to_string())
                    .unwrap_or_default(),
                metric_name: t.map(|t| t.metric_name().to_string()).unwrap_or_default(),
                metric_dimensions: {
                    let mut d: Vec<String> = t
                        .and_then(|t| t.dimensions())
                        .map(|d| d.keys().cloned().collect())
                        .unwrap_or_default();
                    d.sort_unstable();
                    d
                },
                default_value: t.and_then(|t| t.default_value()),
            });
        }
    }
    Ok(out)
}

async fn alarms(ctx: &AwsContext, region: &str) -> Fetched<Vec<AlarmState>> {
    let mut pages = ctx
        .cloudwatch(region)
        .describe_alarms()
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| why("cloudwatch", "DescribeAlarms", e))?;
        for a in page.metric_alarms() {
            out.push(AlarmState {
                actions_enabled: a.actions_enabled().unwrap_or(true),
                definition: AlarmDefinition {
                    name: a.alarm_name().unwrap_or_default().to_string(),
                    arn: a.alarm_arn().map(str::to_owned),
                    namespace: a.namespace().map(str::to_owned),
                    metric_name: a.metric_name().map(str::to_owned),
                    statistic: a.statistic().map(|s| s.as_str().to_string()),
                    period: a.period().map(|p| p as u64),
                    evaluation_periods: a.evaluation_periods().map(|p| p as u64),
                    datapoints_to_alarm: a.datapoints_to_alarm().map(|p| p as u64),
                    threshold: a.threshold(),
                    comparison_operator: a.comparison_operator().map(|c| c.as_str().to_string()),
                    treat_missing_data: a.treat_missing_data().map(str::to_owned),
                    alarm_actions: a.alarm_actions().to_vec(),
                    state_value: a.state_value().map(|s| s.as_str().to_string()),
                    dimensions: Some({
                        let mut d: Vec<String> = a
                            .dimensions()
                            .iter()
                            .filter_map(|d| d.name().map(str::to_owned))
                            .collect();
                        d.sort_unstable();
                        d
                    }),
                    config_updated: None,
                    math: metric_math(a.metrics()),
                    origin: Origin { input: 0, index: 0 },
                },
            });
        }
    }
    Ok(out)
}

/// A metric-math alarm's queries (`Metrics`), as the parser reads describe-alarms' JSON.
fn metric_math(queries: &[aws_sdk_cloudwatch::types::MetricDataQuery]) -> Option<MetricMath> {
    if queries.is_empty() {
        return None;
    }
    let stats = queries
        .iter()
        .filter_map(|q| {
            let m = q.metric_stat()?.metric()?;
            let mut dimensions: Vec<String> = m
                .dimensions()
                .iter()
                .filter_map(|d| d.name().map(str::to_owned))
                .collect();
            dimensions.sort_unstable();
            Some(MathStat {
                id: q.id().unwrap_or_default().to_string(),
                namespace: m.namespace().map(str::to_owned),
                name: m.metric_name().map(str::to_owned),
                dimensions,
            })
        })
        .collect();
    let returned = queries
        .iter()
        .find(|q| q.return_data() == Some(true))
        .or((queries.len() == 1).then(|| &queries[0]))
        .map(|q| {
            let what = q.expression().map(str::to_owned).unwrap_or_else(|| {
                let m = q.metric_stat().and_then(|s| s.metric());
                format!(
                    "{}/{}",
                    m.and_then(|m| m.namespace()).unwrap_or_default(),
                    m.and_then(|m| m.metric_name()).unwrap_or_default()
                )
            });
            format!("{}: {what}", q.id().unwrap_or_default())
        });
    Some(MetricMath { stats, returned })
}

async fn rules(ctx: &AwsContext, region: &str) -> Fetched<Vec<RuleState>> {
    let client = ctx.events(region);
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_rules()
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| why("events", "ListRules", e))?;
        for r in page.rules() {
            let name = r.name().unwrap_or_default().to_string();
            out.push(RuleState {
                targets: targets(&client, &name).await,
                arn: r.arn().unwrap_or_default().to_string(),
                state: r
                    .state()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                pattern: r.event_pattern().map(str::to_owned),
                name,
            });
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(out);
        }
    }
}

async fn targets(client: &aws_sdk_eventbridge::Client, rule: &str) -> Fetched<Vec<String>> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_targets_by_rule()
            .rule(rule)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| why("events", "ListTargetsByRule", e))?;
        out.extend(page.targets().iter().map(|t| t.arn().to_string()));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(out);
        }
    }
}

/// The region is the topic's own (its ARN's fourth field).
async fn topic(ctx: &AwsContext, arn: &str) -> Fetched<TopicState> {
    let region = arn.split(':').nth(3).unwrap_or("us-east-1");
    let client = ctx.sns(region);
    let mut state = TopicState {
        confirmed: 0,
        pending: 0,
    };
    let mut token = None;
    loop {
        let page = client
            .list_subscriptions_by_topic()
            .topic_arn(arn)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| why("sns", "ListSubscriptionsByTopic", e))?;
        for s in page.subscriptions() {
            match s.subscription_arn() {
                Some("PendingConfirmation") => state.pending += 1,
                Some(a) if a.starts_with("arn:") => state.confirmed += 1,
                _ => {}
            }
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(state);
        }
    }
}

async fn function(ctx: &AwsContext, region: &str, arn: &str) -> Fetched<Option<FunctionState>> {
    let client = ctx.lambda(arn.split(':').nth(3).unwrap_or(region));
    let role_arn = match client.get_function().function_name(arn).send().await {
        Ok(f) => f.configuration().and_then(|c| c.role()).map(str::to_owned),
        Err(e) => {
            return match AwsError::from_sdk(Operation::new("lambda", "GetFunction"), &e) {
                AwsError::NotFound { .. } => Ok(None),
                other => Err(other.to_string()),
            }
        }
    };
    let policy = match client.get_policy().function_name(arn).send().await {
        Ok(p) => p.policy().map(str::to_owned),
        Err(e) => match AwsError::from_sdk(Operation::new("lambda", "GetPolicy"), &e) {
            AwsError::NotFound { .. } => None,
            other => return Err(other.to_string()),
        },
    };
    let role_policies = match &role_arn {
        Some(role) => super::role_policies::documents(ctx, role).await,
        None => Ok(Vec::new()),
    };
    Ok(Some(FunctionState {
        arn: arn.to_string(),
        policy,
        role_arn,
        role_policies,
    }))
}
