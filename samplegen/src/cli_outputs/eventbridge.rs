//! EventBridge configuration: `list-rules`, `describe-rule` and `list-targets-by-rule` for the rule that
//! sends honeytoken reads to the alert topic and the kill-switch Lambda.

use crate::identity::{
    ACCOUNT, EVENTBRIDGE_TOPIC_ARN, HONEYTOKEN_NAME, KILLSWITCH_FUNCTION_ARN, MAIN_REGION,
};
use crate::json::J;
use crate::{arr, obj};

pub const RULE_NAME: &str = "HoneytokenSecretAccessRule";
/// The rule's state: the one that receives read-only management events such as GetSecretValue.
pub const RULE_STATE: &str = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
const RULE_DESCRIPTION: &str =
    "Honeytoken: any GetSecretValue on Production_Database_Credentials -> alert and kill-switch";

fn rule_arn(name: &str) -> String {
    format!("arn:aws:events:{MAIN_REGION}:{ACCOUNT}:rule/{name}")
}

/// The rule's pattern, as the string EventBridge stores.
pub fn honeytoken_pattern() -> String {
    obj! {
        "source" => arr!["aws.secretsmanager"],
        "detail-type" => arr!["AWS API Call via CloudTrail"],
        "detail" => obj! {
            "eventSource" => arr!["secretsmanager.amazonaws.com"],
            "eventName" => arr!["GetSecretValue"],
            "requestParameters" => obj! {
                "secretId" => arr![
                    obj! { "prefix" => HONEYTOKEN_NAME },
                    obj! { "prefix" => format!("arn:aws:secretsmanager:{MAIN_REGION}:{ACCOUNT}:secret:{HONEYTOKEN_NAME}") },
                ],
            },
        },
    }
    .compact()
}

fn honeytoken_rule() -> J {
    obj! {
        "Name" => RULE_NAME,
        "Arn" => rule_arn(RULE_NAME),
        "EventPattern" => honeytoken_pattern(),
        // GetSecretValue is a read-only management event: only a rule in this state is
        // delivered it (EventBridge User Guide, "Receiving read-only management events from AWS
        // services"); the sample's rule fires on the reads, so it is in this state.
        "State" => RULE_STATE,
        "Description" => RULE_DESCRIPTION,
        "EventBusName" => "default",
    }
}

pub fn list_rules() -> J {
    let guardduty = obj! {
        "Name" => "GuardDutyFindingsToSecurityHub",
        "Arn" => rule_arn("GuardDutyFindingsToSecurityHub"),
        "EventPattern" => obj! { "source" => arr!["aws.guardduty"], "detail-type" => arr!["GuardDuty Finding"] }.compact(),
        "State" => "ENABLED",
        "Description" => "Forward GuardDuty findings to the security team",
        "EventBusName" => "default",
    };
    obj! { "Rules" => arr![guardduty, honeytoken_rule()] }
}

pub fn describe_rule() -> J {
    let mut r = honeytoken_rule();
    r.push("CreatedBy", ACCOUNT);
    r
}

pub fn targets() -> J {
    obj! {
        "Targets" => arr![
            obj! { "Id" => "HoneytokenAlertTopic", "Arn" => EVENTBRIDGE_TOPIC_ARN },
            obj! { "Id" => "HoneytokenKillSwitchLambda", "Arn" => KILLSWITCH_FUNCTION_ARN },
        ],
    }
}
