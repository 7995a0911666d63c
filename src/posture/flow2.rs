//! Flow 2: an EventBridge rule whose pattern catches a read of the honeytoken by its kind's own
//! read API (GetSecretValue, GetParameter, GetObject; `synthetic`), and not every such read, and
//! whose state delivers it (GetSecretValue is a read-only management event, which a
//! rule in state ENABLED is not delivered: `rules::rule_state`), targeting an SNS topic someone confirmed and the kill-switch Lambda, which must
//! exist and allow EventBridge to invoke it for this rule.

use super::flow1::notify;
use super::killswitch_role;
use super::synthetic::Reads;
use super::Checks;
use crate::model::posture_snapshot::{FunctionState, RuleState, Snapshot};
use crate::rules::event_pattern::EventPattern;
use crate::rules::rule_state::{self, Delivery};
use serde_json::Value;
use trailcase_common::glob::matches_ignore_case as glob_match;

const IDS: [&str; 5] = [
    "flow2.rule",
    "flow2.topic",
    "flow2.killswitch",
    "flow2.killswitch-permission",
    "flow2.killswitch-role",
];

pub fn check(s: &Snapshot, reads: &Reads, c: &mut Checks) {
    let rules = match &s.rules {
        Ok(r) => r,
        Err(e) => {
            for id in IDS {
                c.unknown(id, format!("cannot read the EventBridge rules: {e}"));
            }
            return;
        }
    };
    let (honey, other) = reads.wrapped();
    let judged: Vec<(&RuleState, Result<(), String>)> = rules
        .iter()
        .map(|r| (r, judge(r, &honey, &other, reads)))
        .collect();
    let catching: Vec<&RuleState> = judged
        .iter()
        .filter(|(_, j)| j.is_ok())
        .map(|(r, _)| *r)
        .collect();
    let read_only = reads
        .honeytoken
        .first()
        .map_or(rule_state::ReadOnly::No, |(_, r)| rule_state::read_only(r));
    let delivers = |r: &RuleState| {
        rule_state::delivery(Some(r.state.as_str()), read_only) == Delivery::Delivered
    };
    let rule = catching
        .iter()
        .find(|r| delivers(r))
        .or(catching.iter().find(|r| r.state == "ENABLED"))
        .or(catching.first());
    let Some(rule) = rule else {
        let why = judged
            .iter()
            .find_map(|(r, j)| match j {
                Err(why) if r.pattern.as_deref().is_some_and(|p| p.contains(reads.api)) => {
                    Some(format!("rule {}: {why}", r.name))
                }
                _ => None,
            })
            .unwrap_or_else(|| {
                format!(
                    "none of the {} rules catches a {} of {}",
                    rules.len(),
                    reads.api,
                    s.honeytoken
                )
            });
        c.fail(IDS[0], why);
        for id in &IDS[1..] {
            c.fail(id, "no rule catches a read of the honeytoken");
        }
        return;
    };
    let why_not = match rule_state::delivery(Some(rule.state.as_str()), read_only) {
        Delivery::Delivered => None,
        Delivery::ReadOnlyNotDelivered => Some(format!(
            "{}: its pattern catches the honeytoken but the rule never fires on a read",
            rule_state::not_delivered_reason(&rule.name, reads.api)
        )),
        Delivery::Disabled => Some(format!(
            "{}: its pattern catches the honeytoken but the rule never fires",
            rule_state::disabled_reason(&rule.name)
        )),
        Delivery::Unknown => Some(format!(
            "rule {} catches the honeytoken but is {}",
            rule.name, rule.state
        )),
    };
    c.verdict(
        IDS[0],
        why_not.is_none(),
        format!(
            "rule {} is {} and catches the honeytoken {}",
            rule.name,
            rule.state,
            reads.caught()
        ),
        why_not.unwrap_or_default(),
    );
    let targets = match &rule.targets {
        Ok(t) => t,
        Err(e) => {
            for id in &IDS[1..] {
                c.unknown(id, format!("cannot read rule {}'s targets: {e}", rule.name));
            }
            return;
        }
    };
    let topics: Vec<String> = targets
        .iter()
        .filter(|t| t.contains(":sns:"))
        .cloned()
        .collect();
    if topics.is_empty() {
        c.fail(IDS[1], format!("rule {} has no SNS target", rule.name));
    } else {
        notify(s, IDS[1], &topics, c);
    }
    let functions: Vec<&String> = targets.iter().filter(|t| t.contains(":lambda:")).collect();
    let Some(function) = functions.first() else {
        c.fail(
            IDS[2],
            format!(
                "rule {} has no Lambda target: nothing contains the caller",
                rule.name
            ),
        );
        c.fail(IDS[3], "no kill-switch target to check");
        c.fail(IDS[4], "no kill-switch target to check");
        return;
    };
    match s.functions.get(*function) {
        None => {
            c.unknown(IDS[2], format!("{function} was not read"));
            c.unknown(IDS[3], format!("{function} was not read"));
        }
        Some(Err(e)) => {
            c.unknown(IDS[2], format!("cannot read {function}: {e}"));
            c.unknown(IDS[3], format!("cannot read {function}: {e}"));
        }
        Some(Ok(None)) => {
            c.fail(
                IDS[2],
                format!(
                    "rule {} targets {function}, which does not exist",
                    rule.name
                ),
            );
            c.fail(IDS[3], "the kill-switch function does not exist");
        }
        Some(Ok(Some(f))) => {
            c.pass(
                IDS[2],
                format!("rule {} targets the kill-switch {}", rule.name, f.arn),
            );
            let allowed = f
                .policy
                .as_deref()
                .is_some_and(|p| allows_rule(p, &rule.arn));
            c.verdict(
                IDS[3],
                allowed,
                format!("events.amazonaws.com may invoke it for rule {}", rule.name),
                format!(
                    "its resource policy does not let events.amazonaws.com invoke it for rule {} (lambda add-permission)",
                    rule.arn
                ),
            );
            role(f, c);
        }
    }
}

fn role(f: &FunctionState, c: &mut Checks) {
    let role = f.role_arn.as_deref().unwrap_or("(no role)");
    match &f.role_policies {
        Err(e) => c.unknown(IDS[4], format!("cannot read the policies of {role}: {e}")),
        Ok(docs) => {
            let decoded: Option<Vec<Value>> =
                docs.iter().map(|d| killswitch_role::decode(d)).collect();
            match decoded.map(|d| killswitch_role::judge(&d)) {
                None => c.unknown(IDS[4], format!("a policy of {role} is not valid JSON")),
                Some(Ok(why)) => c.pass(IDS[4], format!("{role}: {why}")),
                Some(Err(why)) => c.fail(IDS[4], format!("{role}: {why}")),
            }
        }
    }
}

fn judge(
    r: &RuleState,
    honey: &[(String, Value)],
    other: &Value,
    reads: &Reads,
) -> Result<(), String> {
    let text = r
        .pattern
        .as_deref()
        .ok_or("it has no event pattern (a schedule)")?;
    let p = EventPattern::parse(text).map_err(|e| format!("invalid pattern: {e}"))?;
    for (what, event) in honey {
        if !p.matches(event) {
            return Err(format!("its pattern misses {what}"));
        }
    }
    if p.matches(other) {
        return Err(format!(
            "its pattern matches a {} of any {}: it cannot tell the honeytoken apart",
            reads.api, reads.thing
        ));
    }
    Ok(())
}

/// Whether a Lambda resource policy lets EventBridge invoke the function for `rule_arn`.
fn allows_rule(policy: &str, rule_arn: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<Value>(policy) else {
        return false;
    };
    let statements = match doc.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(s) => vec![s.clone()],
        None => return false,
    };
    statements.iter().any(|s| {
        let has = |v: Option<&Value>, want: &dyn Fn(&str) -> bool| match v {
            Some(Value::String(x)) => want(x),
            Some(Value::Array(xs)) => xs.iter().filter_map(Value::as_str).any(want),
            _ => false,
        };
        s.get("Effect").and_then(Value::as_str) == Some("Allow")
            && has(s.pointer("/Principal/Service"), &|p| {
                p == "events.amazonaws.com"
            })
            && has(s.get("Action"), &|a| {
                matches!(a, "lambda:InvokeFunction" | "lambda:*" | "*")
            })
            && source_arn_allows(s.get("Condition"), rule_arn)
    })
}

/// A `AWS:SourceArn` condition (any case, ArnLike or ArnEquals) must admit the rule; none admits all.
fn source_arn_allows(condition: Option<&Value>, rule_arn: &str) -> bool {
    let Some(Value::Object(ops)) = condition else {
        return true;
    };
    ops.values().all(|keys| {
        let Value::Object(keys) = keys else {
            return true;
        };
        keys.iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("aws:SourceArn"))
            .all(|(_, v)| match v {
                Value::String(p) => glob_match(p, rule_arn),
                Value::Array(ps) => ps
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|p| glob_match(p, rule_arn)),
                _ => false,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permission_must_name_this_rule_or_none() {
        let rule = "arn:aws:events:us-east-1:1:rule/R";
        let p = |cond: &str| {
            format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Service":"events.amazonaws.com"}},"Action":"lambda:InvokeFunction","Condition":{cond}}}]}}"#
            )
        };
        assert!(allows_rule(
            &p(r#"{"ArnLike":{"AWS:SourceArn":"arn:aws:events:us-east-1:1:rule/R"}}"#),
            rule
        ));
        assert!(allows_rule(&p("{}"), rule));
        assert!(!allows_rule(
            &p(r#"{"ArnLike":{"AWS:SourceArn":"arn:aws:events:us-east-1:1:rule/Other"}}"#),
            rule
        ));
        assert!(!allows_rule(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"lambda:InvokeFunction"}]}"#,
            rule
        ));
    }
}
