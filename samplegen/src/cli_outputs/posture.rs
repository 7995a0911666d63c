//! The pipeline's posture as `trailcase posture --case DIR` stores it (`posture/posture.json`,
//! schema_version 1, `schema/posture.schema.json`): the responder checked the deployed pipeline
//! the morning after the incident, and every part passed.

use super::cloudwatch::{ALARM_NAME, METRIC_NAME};
use super::eventbridge::RULE_NAME;
use super::trail::{LOG_GROUP, TRAIL_NAME};
use crate::identity::*;
use crate::json::J;
use crate::obj;
use crate::time::{iso_z, Epoch};

fn check(id: &str, reason: String) -> J {
    obj! { "region" => MAIN_REGION, "id" => id, "status" => "PASS", "reason" => reason }
}

/// The posture result, checked at `checked_at` (the trail's last delivery a minute before).
pub fn posture(checked_at: Epoch) -> J {
    let delivered = iso_z(checked_at - 60);
    let checks = vec![
        check("trail.multi-region", format!("trail {TRAIL_NAME} is multi-region")),
        check("trail.logging", format!("trail {TRAIL_NAME} is logging")),
        check(
            "trail.log-file-validation",
            format!("trail {TRAIL_NAME} has log file validation on"),
        ),
        check(
            "trail.cloudwatch-logs",
            format!("delivers to {LOG_GROUP}, last at {delivered}"),
        ),
        check("honeytoken.secret", format!("secret {HONEYTOKEN_ARN} exists")),
        check(
            "flow1.metric-filter",
            format!("filter HoneytokenSecretAccess on {LOG_GROUP} catches the honeytoken by name and by ARN, not other secrets"),
        ),
        check(
            "flow1.alarm",
            format!("alarm {ALARM_NAME} (Sum GreaterThanOrEqualToThreshold 1 over 60 s) goes to ALARM on one read of {METRIC_NAME}"),
        ),
        check(
            "flow1.alarm-action",
            format!("alarm {ALARM_NAME} notifies {ALARM_TOPIC_ARN}"),
        ),
        check(
            "flow1.topic",
            format!("{ALARM_TOPIC_ARN}: 1 confirmed subscription (email)"),
        ),
        check(
            "flow2.rule",
            format!("rule {RULE_NAME} is enabled and matches a GetSecretValue of the honeytoken, not of another secret"),
        ),
        check(
            "flow2.topic",
            format!("rule {RULE_NAME} targets {EVENTBRIDGE_TOPIC_ARN}, 1 confirmed subscription (email)"),
        ),
        check(
            "flow2.killswitch",
            format!("rule {RULE_NAME} targets the kill-switch {KILLSWITCH_FUNCTION_ARN}"),
        ),
        check(
            "flow2.killswitch-permission",
            format!("{KILLSWITCH_FUNCTION} allows events.amazonaws.com to invoke it from rule {RULE_NAME}"),
        ),
        check(
            "flow2.killswitch-role",
            format!("{KILLSWITCH_ROLE}: exactly the IAM and SNS actions containment needs"),
        ),
    ];
    obj! {
        "schema_version" => 1,
        "tool_version" => "0.1.0",
        "checked_at" => iso_z(checked_at),
        "honeytoken" => HONEYTOKEN_NAME,
        "regions" => vec![J::from(MAIN_REGION)],
        "pass" => checks.len() as i64,
        "fail" => 0,
        "unknown" => 0,
        "checks" => checks,
    }
}
