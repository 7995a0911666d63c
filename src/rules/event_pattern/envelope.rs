//! The envelope EventBridge puts around a CloudTrail record before matching rules against it.

use serde_json::{Map, Value};

/// Wraps a bare CloudTrail record as EventBridge delivers it (`detail` = the record).
///
/// `id` is the record's `eventID` (EventBridge assigns a fresh UUID; reusing the record's id keeps replays
/// deterministic). `account` falls back to `userIdentity.accountId` when `recipientAccountId` is absent.
pub fn wrap_cloudtrail_record(record: &Value) -> Value {
    wrap_owned_record(record.clone())
}

/// [`wrap_cloudtrail_record`] taking the record by value: it becomes `detail` without a copy
/// (the replay wraps every record a rule's `eventName` lets through).
pub fn wrap_owned_record(record: Value) -> Value {
    let text = |key: &str| record.get(key).and_then(Value::as_str).unwrap_or_default();
    let event_source = text("eventSource");
    let service = event_source.split('.').next().unwrap_or_default();
    let detail_type = detail_type(text("eventType"), event_source, text("eventName"));
    let account = record
        .get("recipientAccountId")
        .and_then(Value::as_str)
        .or_else(|| {
            record
                .pointer("/userIdentity/accountId")
                .and_then(Value::as_str)
        })
        .unwrap_or_default();
    let fields: [(&str, Value); 8] = [
        ("version", "0".into()),
        ("id", text("eventID").into()),
        ("detail-type", detail_type.into()),
        ("source", format!("aws.{service}").into()),
        ("account", account.into()),
        ("time", text("eventTime").into()),
        ("region", text("awsRegion").into()),
        ("resources", Value::Array(Vec::new())),
    ];
    let mut envelope: Map<String, Value> =
        fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    envelope.insert("detail".into(), record);
    Value::Object(envelope)
}

/// The `detail-type` of an API call's event: what most rules on CloudTrail records match.
pub const API_CALL: &str = "AWS API Call via CloudTrail";

/// The `detail-type` EventBridge delivers this CloudTrail record with (see [`detail_type`]).
pub fn delivered_detail_type(record: &Value) -> &'static str {
    let text = |key: &str| record.get(key).and_then(Value::as_str).unwrap_or_default();
    detail_type(text("eventType"), text("eventSource"), text("eventName"))
}

/// The `detail-type` EventBridge gives a CloudTrail record of this `eventType`. The EventBridge
/// User Guide ("AWS service events delivered via AWS CloudTrail") lists one per kind of record:
/// API calls, console sign-ins, console actions, service events, Insights events and network
/// activity events; each `eventType` below is the CloudTrail User Guide's for that kind
/// ("CloudTrail record contents"). The `source` stays `aws.` and the service of `eventSource`:
/// the guides state no other for these kinds.
fn detail_type(event_type: &str, event_source: &str, event_name: &str) -> &'static str {
    match event_type {
        // The User Guide's list spells it "AWS Console Signin via CloudTrail"; the rules
        // written for these events (public Terraform and runbooks alike) say "Sign In", the name
        // kept here as before.
        "AwsConsoleSignIn" => "AWS Console Sign In via CloudTrail",
        "AwsConsoleAction" => "AWS Console Action via CloudTrail",
        "AwsServiceEvent" => "AWS Service Event via CloudTrail",
        "AwsCloudTrailInsight" => "AWS Insight via CloudTrail",
        "AwsVpceEvent" => "AWS Network Activity Event via CloudTrail",
        // A sign-in record without its eventType (older or trimmed exports).
        _ if event_source == "signin.amazonaws.com" && event_name == "ConsoleLogin" => {
            "AWS Console Sign In via CloudTrail"
        }
        _ => API_CALL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        // Whole, in this order, as it was written with `json!` before the record was moved in.
        let whole = json!({
            "version": "0", "id": "abc", "detail-type": "AWS API Call via CloudTrail",
            "source": "aws.secretsmanager", "account": "111122223333",
            "time": "2024-01-01T00:00:00Z", "region": "eu-west-1", "resources": [],
            "detail": record,
        });
        assert_eq!(e.to_string(), whole.to_string());
        assert_eq!(wrap_owned_record(record).to_string(), whole.to_string());
    }

    #[test]
    fn sign_in_and_service_events() {
        let signin = json!({"eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin"});
        assert_eq!(
            wrap_cloudtrail_record(&signin)["detail-type"],
            "AWS Console Sign In via CloudTrail"
        );
        for (event_type, detail_type) in [
            ("AwsCloudTrailInsight", "AWS Insight via CloudTrail"),
            ("AwsVpceEvent", "AWS Network Activity Event via CloudTrail"),
            ("AwsConsoleAction", "AWS Console Action via CloudTrail"),
        ] {
            let record = json!({"eventSource": "s3.amazonaws.com", "eventType": event_type});
            assert_eq!(wrap_cloudtrail_record(&record)["detail-type"], detail_type);
        }
        let svc = json!({"eventSource": "s3.amazonaws.com", "eventType": "AwsServiceEvent"});
        assert_eq!(
            wrap_cloudtrail_record(&svc)["detail-type"],
            "AWS Service Event via CloudTrail"
        );
    }
}
