//! The synthetic CloudTrail records the checks feed to the rule engines: a read of the honeytoken
//! by name and by ARN (both must be caught), and a read of another secret (must not be).

use crate::model::posture_snapshot::Snapshot;
use crate::rules::event_pattern::wrap_cloudtrail_record;
use serde_json::{json, Value};

/// A documentation account, used when no ARN in the snapshot names the real one.
const FALLBACK_ACCOUNT: &str = "123456789012";

pub struct Reads {
    /// (description, CloudTrail record) that must match.
    pub honeytoken: Vec<(String, Value)>,
    /// A read of an ordinary secret, which must not match.
    pub other: Value,
}

impl Reads {
    pub fn new(s: &Snapshot) -> Reads {
        let account = account(s).unwrap_or_else(|| FALLBACK_ACCOUNT.to_string());
        let region = &s.region;
        let arn = match &s.secret {
            Ok(Some(secret)) => secret.arn.clone(),
            // The ARN AWS would give it: name, a dash and six random characters.
            _ => format!(
                "arn:aws:secretsmanager:{region}:{account}:secret:{}-AbCdEf",
                s.honeytoken
            ),
        };
        let other =
            format!("arn:aws:secretsmanager:{region}:{account}:secret:prod/orders/api-key-AbCdEf");
        Reads {
            honeytoken: vec![
                (
                    format!("a GetSecretValue of {} by name", s.honeytoken),
                    record(region, &account, &s.honeytoken),
                ),
                (
                    "a GetSecretValue of it by ARN".to_string(),
                    record(region, &account, &arn),
                ),
            ],
            other: record(region, &account, &other),
        }
    }

    /// The EventBridge events for the same reads.
    pub fn wrapped(&self) -> (Vec<(String, Value)>, Value) {
        (
            self.honeytoken
                .iter()
                .map(|(d, r)| (d.clone(), wrap_cloudtrail_record(r)))
                .collect(),
            wrap_cloudtrail_record(&self.other),
        )
    }
}

fn account(s: &Snapshot) -> Option<String> {
    let from_arn = |arn: &str| arn.split(':').nth(4).map(str::to_owned);
    if let Ok(Some(secret)) = &s.secret {
        return from_arn(&secret.arn);
    }
    if let Ok(rules) = &s.rules {
        return rules.first().and_then(|r| from_arn(&r.arn));
    }
    None
}

fn record(region: &str, account: &str, secret_id: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser", "principalId": "AIDAPOSTURECHECK", "accountId": account,
            "arn": format!("arn:aws:iam::{account}:user/trailcase-posture-check"),
            "accessKeyId": "AKIAPOSTURECHECKEXAMPLE", "userName": "trailcase-posture-check"
        },
        "eventTime": "2026-01-01T00:00:00Z",
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue",
        "awsRegion": region,
        "sourceIPAddress": "203.0.113.10",
        "userAgent": "trailcase-posture",
        "requestParameters": {"secretId": secret_id},
        "responseElements": null,
        "requestID": "00000000-0000-4000-8000-000000000000",
        "eventID": "00000000-0000-4000-8000-000000000001",
        "readOnly": true,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": account,
        "eventCategory": "Management"
    })
}
