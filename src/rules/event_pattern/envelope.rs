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
    // An Insights event's `source` on the bus is documented nowhere: the EventBridge User Guide
    // ("AWS service events delivered via AWS CloudTrail") gives its detail-type only, the
    // CloudTrail User Guide's Insights pages give the record, and the record has no top-level
    // `eventSource` (`insightDetails.eventSource` names the service whose calls were unusual,
    // not the sender). It was wrapped as "aws.", which no document backs: it is left out, and
    // a rule that tests `source` is not matched against it (see `source_unknown`).
    let source = (text("eventType") != INSIGHT).then(|| format!("aws.{service}"));
    let fields: [(&str, Option<Value>); 8] = [
        ("version", Some("0".into())),
        ("id", Some(text("eventID").into())),
        ("detail-type", Some(detail_type.into())),
        ("source", source.map(Value::from)),
        ("account", Some(account.into())),
        ("time", Some(text("eventTime").into())),
        ("region", Some(text("awsRegion").into())),
        ("resources", Some(Value::Array(Vec::new()))),
    ];
    let mut envelope: Map<String, Value> = fields
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), v?)))
        .collect();
    envelope.insert("detail".into(), record);
    Value::Object(envelope)
}

/// A console sign-in's `detail-type` as the EventBridge User Guide spells it ("AWS service
/// events delivered via AWS CloudTrail", its list of the CloudTrail detail-types).
pub const SIGN_IN: &str = "AWS Console Signin via CloudTrail";
/// The same as AWS's Knowledge Center spells it in its pattern for root sign-in alerts ("How do
/// I create an EventBridge rule for AWS account root user login alerts?",
/// repost.aws/knowledge-center/root-user-account-eventbridge-rule), as most public rules do.
/// AWS has written both and the evidence does not show which EventBridge delivers: a rule
/// written with either is matched (`Detector`), and the replay says which spelling it used.
pub const SIGN_IN_ALSO: &str = "AWS Console Sign In via CloudTrail";

/// An Insights record's `eventType`.
const INSIGHT: &str = "AwsCloudTrailInsight";

/// Whether the envelope has no `source` because none is documented for its kind of record (an
/// Insights event): a rule that tests `source` cannot be said to match it.
pub fn source_unknown(envelope: &Value) -> bool {
    envelope.get("source").is_none()
}

/// The `detail-type` of an API call's event: what most rules on CloudTrail records match.
pub const API_CALL: &str = "AWS API Call via CloudTrail";

/// The `detail-type` EventBridge delivers this CloudTrail record with (the User Guide's list, in `detail_type`).
pub fn delivered_detail_type(record: &Value) -> &'static str {
    let text = |key: &str| record.get(key).and_then(Value::as_str).unwrap_or_default();
    detail_type(text("eventType"), text("eventSource"), text("eventName"))
}

/// The `detail-type` EventBridge gives a CloudTrail record of this `eventType`. The EventBridge
/// User Guide ("AWS service events delivered via AWS CloudTrail") lists one per kind of record:
/// API calls, console sign-ins, console actions, service events, Insights events and network
/// activity events; each `eventType` below is the CloudTrail User Guide's for that kind
/// ("CloudTrail record contents"). The `source` stays `aws.` and the service of `eventSource`
/// (the guides state no other for these kinds), except an Insights event's, which no guide
/// states and which is left out (see [`wrap_owned_record`]).
fn detail_type(event_type: &str, event_source: &str, event_name: &str) -> &'static str {
    match event_type {
        "AwsConsoleSignIn" => SIGN_IN,
        "AwsConsoleAction" => "AWS Console Action via CloudTrail",
        "AwsServiceEvent" => "AWS Service Event via CloudTrail",
        INSIGHT => "AWS Insight via CloudTrail",
        "AwsVpceEvent" => "AWS Network Activity Event via CloudTrail",
        // A sign-in record without its eventType (older or trimmed exports).
        _ if event_source == "signin.amazonaws.com" && event_name == "ConsoleLogin" => SIGN_IN,
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
            "AWS Console Signin via CloudTrail"
        );
        for (event_type, detail_type) in [
            ("AwsCloudTrailInsight", "AWS Insight via CloudTrail"),
            ("AwsVpceEvent", "AWS Network Activity Event via CloudTrail"),
            ("AwsConsoleAction", "AWS Console Action via CloudTrail"),
        ] {
            let record = json!({"eventSource": "s3.amazonaws.com", "eventType": event_type});
            assert_eq!(wrap_cloudtrail_record(&record)["detail-type"], detail_type);
        }
        let insight = json!({"eventType": "AwsCloudTrailInsight", "insightDetails": {}});
        let e = wrap_cloudtrail_record(&insight);
        assert!(source_unknown(&e), "no documented source: {e}");
        assert!(!source_unknown(&wrap_cloudtrail_record(&signin)));
        let svc = json!({"eventSource": "s3.amazonaws.com", "eventType": "AwsServiceEvent"});
        assert_eq!(
            wrap_cloudtrail_record(&svc)["detail-type"],
            "AWS Service Event via CloudTrail"
        );
    }
}
