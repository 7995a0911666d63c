//! EventBridge (flow 2): ListEventBuses (`events/event-buses.json`), then on every bus
//! ListRules (`events/rules.json` for the default bus, `events/bus-<bus>/rules.json` for the
//! others), and for the detection rules, whose pattern mentions the honeytoken or
//! GetSecretValue, DescribeRule (`describe-rule-<name>.json`) and ListTargetsByRule
//! (`targets-<rule>.json`) beside their bus's rules.

use super::config::RegionScope;
use super::error::{gap, record, Operation};
use super::json::{file_safe, Obj};
use super::sink::store_json;
use super::{AwsContext, Needles, Provenance, Sink};
use aws_sdk_eventbridge::types::{Rule, Target};
use serde_json::Value;

const LIST_BUSES: Operation = Operation::new("events", "ListEventBuses");
const LIST_RULES: Operation = Operation::new("events", "ListRules");
const DESCRIBE_RULE: Operation = Operation::new("events", "DescribeRule");
const LIST_TARGETS: Operation = Operation::new("events", "ListTargetsByRule");
const DEFAULT_BUS: &str = "default";

/// One event bus as the case names it.
struct Bus<'a> {
    scope: &'a RegionScope,
    /// `None` for the default bus (requests without `EventBusName`).
    name: Option<String>,
}

impl Bus<'_> {
    /// Where a file of this bus goes.
    fn path(&self, file: &str) -> String {
        match &self.name {
            None => self.scope.path("events", file),
            Some(b) => self
                .scope
                .path("events", &format!("bus-{}/{file}", file_safe(b))),
        }
    }

    /// `aws:events:<operation>:<region>[:<bus>]`.
    fn source(&self, operation: &str) -> String {
        let mut s = format!("aws:events:{operation}:{}", self.scope.region);
        if let Some(b) = &self.name {
            s.push(':');
            s.push_str(b);
        }
        s
    }

    fn provenance(&self, operation: &str) -> Provenance {
        Provenance {
            source: self.source(operation),
            s3: None,
        }
    }
}

/// Store the buses and their rules; return the names of the detection rules (every rule with
/// `all`, or when none on any bus mentions the honeytoken).
pub async fn collect(
    ctx: &AwsContext,
    scope: &RegionScope,
    needles: &Needles,
    all: bool,
    sink: &dyn Sink,
) -> Vec<String> {
    let client = ctx.events(&scope.region);
    let mut per_bus: Vec<(Bus, Vec<Rule>)> = Vec::new();
    for name in buses(&client, scope, sink).await {
        let bus = Bus {
            scope,
            name: (name != DEFAULT_BUS).then_some(name),
        };
        if let Some(rules) = rules(&client, &bus, sink).await {
            per_bus.push((bus, rules));
        }
    }
    let mentions = |r: &Rule| all || needles.any_in(r.event_pattern().unwrap_or_default());
    let any = per_bus.iter().any(|(_, rules)| rules.iter().any(mentions));
    let mut detection = Vec::new();
    for (bus, rules) in &per_bus {
        for name in rules
            .iter()
            .filter(|r| !any || mentions(r))
            .filter_map(|r| r.name())
        {
            describe(&client, bus, name, sink).await;
            targets(&client, bus, name, sink).await;
            detection.push(name.to_string());
        }
    }
    detection
}

/// Every bus's name, the default first; only the default when they cannot be listed.
async fn buses(
    client: &aws_sdk_eventbridge::Client,
    scope: &RegionScope,
    sink: &dyn Sink,
) -> Vec<String> {
    let region = scope.region.as_str();
    let mut found: Vec<Value> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let r = client
            .list_event_buses()
            .set_next_token(token.take())
            .send()
            .await;
        match record(sink, LIST_BUSES, region, r) {
            Ok(page) => {
                found.extend(page.event_buses().iter().map(|b| {
                    Obj::new()
                        .opt("Name", b.name())
                        .opt("Arn", b.arn())
                        .opt("Description", b.description())
                        .opt("Policy", b.policy())
                        .build()
                }));
                token = page.next_token().map(str::to_owned);
                if token.is_none() {
                    break;
                }
            }
            Err(e) => {
                gap(sink, &format!("aws:events:ListEventBuses:{region}"), &e);
                return vec![DEFAULT_BUS.to_string()];
            }
        }
    }
    store_json(
        sink,
        &scope.path("events", "event-buses.json"),
        &Obj::new().list("EventBuses", found.iter().cloned()).build(),
        Provenance::api("events", "ListEventBuses", region),
    );
    let mut names: Vec<String> = found
        .iter()
        .filter_map(|b| b["Name"].as_str().map(str::to_owned))
        .filter(|n| n != DEFAULT_BUS)
        .collect();
    names.sort();
    names.insert(0, DEFAULT_BUS.to_string());
    names
}

/// ListRules on one bus, stored; `None` (and a gap) when it fails.
async fn rules(
    client: &aws_sdk_eventbridge::Client,
    bus: &Bus<'_>,
    sink: &dyn Sink,
) -> Option<Vec<Rule>> {
    let region = bus.scope.region.as_str();
    let mut rules: Vec<Rule> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let r = client
            .list_rules()
            .set_event_bus_name(bus.name.clone())
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
                gap(sink, &bus.source("ListRules"), &e);
                return None;
            }
        }
    }
    let doc = Obj::new().list("Rules", rules.iter().map(rule)).build();
    store_json(
        sink,
        &bus.path("rules.json"),
        &doc,
        bus.provenance("ListRules"),
    );
    Some(rules)
}

async fn describe(
    client: &aws_sdk_eventbridge::Client,
    bus: &Bus<'_>,
    name: &str,
    sink: &dyn Sink,
) {
    let region = bus.scope.region.as_str();
    let r = client
        .describe_rule()
        .name(name)
        .set_event_bus_name(bus.name.clone())
        .send()
        .await;
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
            store_json(sink, &bus.path(&file), &doc, bus.provenance("DescribeRule"));
        }
        Err(e) => gap(sink, &format!("{}:{name}", bus.source("DescribeRule")), &e),
    }
}

async fn targets(client: &aws_sdk_eventbridge::Client, bus: &Bus<'_>, name: &str, sink: &dyn Sink) {
    let region = bus.scope.region.as_str();
    let mut all: Vec<Value> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let r = client
            .list_targets_by_rule()
            .rule(name)
            .set_event_bus_name(bus.name.clone())
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
                    &format!("{}:{name}", bus.source("ListTargetsByRule")),
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
        &bus.path(&file),
        &doc,
        bus.provenance("ListTargetsByRule"),
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
