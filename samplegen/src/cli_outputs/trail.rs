//! The trail's configuration as collected after the incident: `describe-trails`, `get-trail-status`
//! and `get-event-selectors`. Management events are all logged; SNS Publish to the honeytoken topics is
//! logged as a data event through an advanced selector, which is why the kill-switch's Publish calls
//! appear in the trail at all.

use crate::identity::{ACCOUNT, MAIN_REGION};
use crate::json::J;
use crate::time::{cli, iso_z, Epoch, HOUR};
use crate::{arr, obj};

pub const TRAIL_NAME: &str = "management-events";
pub const LOG_GROUP: &str = "aws-cloudtrail-logs-123456789012-honeytoken";

pub fn trail_arn() -> String {
    format!("arn:aws:cloudtrail:{MAIN_REGION}:{ACCOUNT}:trail/{TRAIL_NAME}")
}

pub fn describe_trails() -> J {
    obj! {
        "trailList" => arr![obj! {
            "Name" => TRAIL_NAME,
            "S3BucketName" => format!("aws-cloudtrail-logs-{ACCOUNT}-7c1e4a90"),
            "IncludeGlobalServiceEvents" => true,
            "IsMultiRegionTrail" => true,
            "HomeRegion" => MAIN_REGION,
            "TrailARN" => trail_arn(),
            "LogFileValidationEnabled" => true,
            "CloudWatchLogsLogGroupArn" => format!("arn:aws:logs:{MAIN_REGION}:{ACCOUNT}:log-group:{LOG_GROUP}:*"),
            "CloudWatchLogsRoleArn" => format!("arn:aws:iam::{ACCOUNT}:role/CloudTrailRoleForCloudWatchLogs_{TRAIL_NAME}"),
            "HasCustomEventSelectors" => true,
            "HasInsightSelectors" => false,
            "IsOrganizationTrail" => false,
        }],
    }
}

/// Status as seen at `collected`, half an hour after the window.
pub fn trail_status(collected: Epoch) -> J {
    let delivered = collected - 178;
    let digest = collected.div_euclid(HOUR) * HOUR + 14 * 60 + 9
        - if collected % HOUR < 14 * 60 + 9 {
            HOUR
        } else {
            0
        };
    obj! {
        "IsLogging" => true,
        "LatestDeliveryTime" => cli(delivered, 118),
        "LatestCloudWatchLogsDeliveryTime" => cli(collected - 95, 402),
        "LatestDigestDeliveryTime" => cli(digest, 857),
        "LatestDeliveryAttemptTime" => iso_z(delivered),
        "LatestNotificationAttemptTime" => "",
        "LatestNotificationAttemptSucceeded" => "",
        "LatestDeliveryAttemptSucceeded" => iso_z(delivered),
        "TimeLoggingStarted" => "2025-03-04T09:12:55Z",
        "TimeLoggingStopped" => "",
        "StartLoggingTime" => "2025-03-04T09:12:55.331000+00:00",
    }
}

pub fn event_selectors() -> J {
    let field = |name: &'static str, op: &'static str, values: J| {
        let mut f = obj! { "Field" => name };
        f.push(op, values);
        f
    };
    obj! {
        "TrailARN" => trail_arn(),
        "AdvancedEventSelectors" => arr![
            obj! {
                "Name" => "Management events selector",
                "FieldSelectors" => arr![field("eventCategory", "Equals", arr!["Management"])],
            },
            obj! {
                "Name" => "SNS Publish to honeytoken topics",
                "FieldSelectors" => arr![
                    field("eventCategory", "Equals", arr!["Data"]),
                    field("resources.type", "Equals", arr!["AWS::SNS::Topic"]),
                    field("resources.ARN", "StartsWith", arr![format!("arn:aws:sns:{MAIN_REGION}:{ACCOUNT}:honeytoken-")]),
                ],
            },
        ],
    }
}
