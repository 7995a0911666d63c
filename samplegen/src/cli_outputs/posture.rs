//! The pipeline's posture as `trailcase posture --case DIR` stores it (`posture/posture.json`,
//! schema_version 1, `schema/posture.schema.json`): the responder checked the deployed pipeline
//! the morning after the incident, and every part passed. Each reason is worded as
//! `trailcase posture` words that check's pass (src/posture), so the sample reads as the tool
//! writes today.

use super::cloudwatch::ALARM_NAME;
use super::eventbridge::{RULE_NAME, RULE_STATE};
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
        check("trail.multi-region", format!("trail {TRAIL_NAME} records every region (home {MAIN_REGION})")),
        check("trail.logging", format!("trail {TRAIL_NAME} is logging")),
        check(
            "trail.log-file-validation",
            format!("trail {TRAIL_NAME} writes signed digest files"),
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
            format!("alarm {ALARM_NAME} (Sum GreaterThanOrEqualToThreshold 1 over 60 s) goes to ALARM on one read"),
        ),
        check(
            "flow1.alarm-action",
            format!("alarm {ALARM_NAME} notifies {ALARM_TOPIC_ARN}"),
        ),
        check(
            "flow1.topic",
            format!("{ALARM_TOPIC_ARN} (1 confirmed)"),
        ),
        check(
            "flow2.rule",
            format!("rule {RULE_NAME} is {RULE_STATE} and catches the honeytoken by name and by ARN, not other secrets"),
        ),
        check(
            "flow2.topic",
            format!("{EVENTBRIDGE_TOPIC_ARN} (1 confirmed)"),
        ),
        check(
            "flow2.killswitch",
            format!("rule {RULE_NAME} targets the kill-switch {KILLSWITCH_FUNCTION_ARN}"),
        ),
        check(
            "flow2.killswitch-permission",
            format!("events.amazonaws.com may invoke it for rule {RULE_NAME}"),
        ),
        check(
            "flow2.killswitch-role",
            format!("{KILLSWITCH_ROLE_ARN}: its role allows the 9 actions it calls and nothing more"),
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
