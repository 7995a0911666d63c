//! EventBridge (flow 2): ListRules on the default bus (`events/rules.json`), and for the
//! detection rules, whose pattern mentions the honeytoken or GetSecretValue, DescribeRule
//! (`events/describe-rule-<name>.json`) and ListTargetsByRule (`events/targets-<rule>.json`).

use super::config::RegionScope;
use super::error::{gap, record, Operation};
use super::json::{file_safe, Obj};
use super::sink::store_json;
use super::{AwsContext, Needles, Provenance, Sink};
use aws_sdk_eventbridge::types::{Rule, Target};
use serde_json::Value;

const LIST_RULES: Operation = Operation::new("events", "ListRules");
const DESCRIBE_RULE: Operation = Operation::new("events", "DescribeRule");
const LIST_TARGETS: Operation = Operation::new("events", "ListTargetsByRule");

/// Store the rules; return the names of the detection rules (every rule with `all`, or when
/// none mentions the honeytoken).
pub async fn collect(
    ctx: &AwsContext,
    scope: &RegionScope,
    needles: &Needles,
    all: bool,
    sink: &dyn Sink,
) -> Vec<String> {
    let region = scope.region.as_str();
    let client = ctx.events(region);
    let mut rules: Vec<Rule> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let r = client
            .list_rules()
            .set_next_token(token.take())
            .send()
            .await;
        match record(sink, LIST_RULES, region, r) {
            Ok(page) => {
                rules.extend(page.rules().iter().cloned());
                token = page.next_token().map(str::to_owned);
                if token.is_none() {
                    break;
                }
            }
            Err(e) => {
                gap(sink, &format!("aws:events:ListRules:{region}"), &e);
                return Vec::new();
            }
        }
    }
    let doc = Obj::new().list("Rules", rules.iter().map(rule)).build();
    store_json(
        sink,
        &scope.path("events", "rules.json"),
        &doc,
        Provenance::api("events", "ListRules", region),
    );

    let mut detection: Vec<String> = rules
        .iter()
        .filter(|r| all || needles.any_in(r.event_pattern().unwrap_or_default()))
        .filter_map(|r| r.name().map(str::to_owned))
        .collect();
    if detection.is_empty() {
        detection = rules
            .iter()
            .filter_map(|r| r.name().map(str::to_owned))
            .collect();
    }
    for name in &detection {
        describe(&client, scope, name, sink).await;
        targets(&client, scope, name, sink).await;
    }
    detection
}

async fn describe(
    client: &aws_sdk_eventbridge::Client,
    scope: &RegionScope,
    name: &str,
    sink: &dyn Sink,
) {
    let region = scope.region.as_str();
    let r = client.describe_rule().name(name).send().await;
    match record(sink, DESCRIBE_RULE, region, r) {
        Ok(o) => {
            let doc = Obj::new()
                .opt("Name", o.name())
                .opt("Arn", o.arn())
                .opt("EventPattern", o.event_pattern())
                .opt("ScheduleExpression", o.schedule_expression())
                .opt("State", o.state().map(|s| s.as_str()))
                .opt("Description", o.description())
                .opt("RoleArn", o.role_arn())
                .opt("ManagedBy", o.managed_by())
                .opt("EventBusName", o.event_bus_name())
                .opt("CreatedBy", o.created_by())
                .build();
            let file = format!("describe-rule-{}.json", file_safe(name));
            store_json(
                sink,
                &scope.path("events", &file),
                &doc,
                Provenance::api("events", "DescribeRule", region),
            );
        }
        Err(e) => gap(
            sink,
            &format!("aws:events:DescribeRule:{region}:{name}"),
            &e,
        ),
    }
}

async fn targets(
    client: &aws_sdk_eventbridge::Client,
    scope: &RegionScope,
    name: &str,
    sink: &dyn Sink,
) {
    let region = scope.region.as_str();
    let mut all: Vec<Value> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let r = client
            .list_targets_by_rule()
            .rule(name)
            .set_next_token(token.take())
            .send()
            .await;
        match record(sink, LIST_TARGETS, region, r) {
            Ok(page) => {
                all.extend(page.targets().iter().map(target));
                token = page.next_token().map(str::to_owned);
                if token.is_none() {
                    break;
                }
            }
            Err(e) => {
                gap(
                    sink,
                    &format!("aws:events:ListTargetsByRule:{region}:{name}"),
                    &e,
                );
                return;
            }
        }
    }
    let doc = Obj::new().list("Targets", all).build();
    let file = format!("targets-{}.json", file_safe(name));
    store_json(
        sink,
        &scope.path("events", &file),
        &doc,
        Provenance::api("events", "ListTargetsByRule", region),
    );
}

fn rule(r: &Rule) -> Value {
    Obj::new()
        .opt("Name", r.name())
        .opt("Arn", r.arn())
        .opt("EventPattern", r.event_pattern())
        .opt("State", r.state().map(|s| s.as_str()))
        .opt("Description", r.description())
        .opt("ScheduleExpression", r.schedule_expression())
        .opt("RoleArn", r.role_arn())
        .opt("ManagedBy", r.managed_by())
        .opt("EventBusName", r.event_bus_name())
        .build()
}

fn target(t: &Target) -> Value {
    let transformer = t.input_transformer().map(|x| {
        let paths = x.input_paths_map().map(|m| {
            let sorted: std::collections::BTreeMap<_, _> = m.iter().collect();
            serde_json::to_value(sorted).unwrap_or_default()
        });
        Obj::new()
            .opt("InputPathsMap", paths)
            .put("InputTemplate", x.input_template())
            .build()
    });
    Obj::new()
        .put("Id", t.id())
        .put("Arn", t.arn())
        .opt("RoleArn", t.role_arn())
        .opt("Input", t.input())
        .opt("InputPath", t.input_path())
        .opt("InputTransformer", transformer)
        .opt(
            "DeadLetterConfig",
            t.dead_letter_config()
                .map(|d| Obj::new().opt("Arn", d.arn()).build()),
        )
        .build()
}
