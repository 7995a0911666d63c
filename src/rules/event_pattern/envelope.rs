//! The envelope EventBridge puts around a CloudTrail record before matching rules against it.

use serde_json::{json, Value};

/// Wraps a bare CloudTrail record as EventBridge delivers it (`detail` = the record).
///
/// `id` is the record's `eventID` (EventBridge assigns a fresh UUID; reusing the record's id keeps replays
/// deterministic). `account` falls back to `userIdentity.accountId` when `recipientAccountId` is absent.
pub fn wrap_cloudtrail_record(record: &Value) -> Value {
    let text = |key: &str| record.get(key).and_then(Value::as_str).unwrap_or_default();
    let event_source = text("eventSource");
    let service = event_source.split('.').next().unwrap_or_default();
    let detail_type = if text("eventType") == "AwsConsoleSignIn"
        || (event_source == "signin.amazonaws.com" && text("eventName") == "ConsoleLogin")
    {
        "AWS Console Sign In via CloudTrail"
    } else if text("eventType") == "AwsServiceEvent" {
        "AWS Service Event via CloudTrail"
    } else {
        "AWS API Call via CloudTrail"
    };
    let account = record
        .get("recipientAccountId")
        .and_then(Value::as_str)
        .or_else(|| {
            record
                .pointer("/userIdentity/accountId")
                .and_then(Value::as_str)
        })
        .unwrap_or_default();
    json!({
        "version": "0",
        "id": text("eventID"),
        "detail-type": detail_type,
        "source": format!("aws.{service}"),
        "account": account,
        "time": text("eventTime"),
        "region": text("awsRegion"),
        "resources": [],
        "detail": record,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_call_envelope() {
        let record = json!({
            "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
            "eventType": "AwsApiCall", "recipientAccountId": "111122223333",
            "eventTime": "2024-01-01T00:00:00Z", "awsRegion": "eu-west-1", "eventID": "abc"
        });
        let e = wrap_cloudtrail_record(&record);
        assert_eq!(e["source"], "aws.secretsmanager");
        assert_eq!(e["detail-type"], "AWS API Call via CloudTrail");
        assert_eq!(e["account"], "111122223333");
        assert_eq!(e["time"], "2024-01-01T00:00:00Z");
        assert_eq!(e["region"], "eu-west-1");
        assert_eq!(e["detail"], record);
        assert_eq!(e["resources"], json!([]));
    }

    #[test]
    fn sign_in_and_service_events() {
        let signin = json!({"eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin"});
        assert_eq!(
            wrap_cloudtrail_record(&signin)["detail-type"],
            "AWS Console Sign In via CloudTrail"
        );
        let svc = json!({"eventSource": "s3.amazonaws.com", "eventType": "AwsServiceEvent"});
        assert_eq!(
            wrap_cloudtrail_record(&svc)["detail-type"],
            "AWS Service Event via CloudTrail"
        );
    }
}
