//! What an `UpdateTrail` call changes that makes CloudTrail record or keep less, read from its
//! `requestParameters` (the settings the call sets; one it leaves out is unchanged), with the
//! names CloudTrail records them by (`isMultiRegionTrail`, `includeGlobalServiceEvents`,
//! `s3BucketName`, `cloudWatchLogsLogGroupArn`, `enableLogFileValidation`: the UpdateTrail API
//! reference; the AWS CloudTrail user guide's record of `aws cloudtrail update-trail`).
//! `PutInsightSelectors` turning Insights off is said, but it is not a reduction: Insights
//! events are CloudTrail's analysis of the management events, which are still recorded.
//!
//! Pure functions over one record: imports `parse` only.

use crate::parse::RecordView;
use serde_json::Value;

/// A boolean parameter as the record gives it (`false`, or the string `"false"`).
fn is(value: Option<&Value>, want: bool) -> bool {
    match value {
        Some(Value::Bool(b)) => *b == want,
        Some(Value::String(s)) => s.eq_ignore_ascii_case(if want { "true" } else { "false" }),
        _ => false,
    }
}

/// The settings an `UpdateTrail` record changes that reduce what the trail records or where its
/// records go, each as a phrase naming the parameter; empty for another call, or an
/// `UpdateTrail` that changes nothing of the kind (a new SNS topic, a key prefix, Multi-Region
/// turned on...).
pub fn update_trail_reductions(view: &RecordView<'_>) -> Vec<String> {
    if view.event_source.as_str() != Some("cloudtrail.amazonaws.com")
        || view.event_name.as_str() != Some("UpdateTrail")
    {
        return Vec::new();
    }
    let req = view.request();
    let mut out = Vec::new();
    if is(req.get("isMultiRegionTrail"), false) {
        out.push("isMultiRegionTrail false: only the trail's home Region is recorded".to_string());
    }
    if is(req.get("includeGlobalServiceEvents"), false) {
        out.push(
            "includeGlobalServiceEvents false: global services' events (IAM, STS, CloudFront) are not recorded"
                .to_string(),
        );
    }
    if let Some(Value::String(bucket)) = req.get("s3BucketName") {
        if !bucket.is_empty() {
            out.push(format!(
                "s3BucketName {bucket}: log files are delivered to that bucket from this call on (the record does not show the bucket before)"
            ));
        }
    }
    match req.get("cloudWatchLogsLogGroupArn") {
        Some(Value::String(s)) if s.is_empty() => out.push(
            "cloudWatchLogsLogGroupArn removed: no delivery to CloudWatch Logs, so no metric filter sees the trail's events"
                .to_string(),
        ),
        Some(Value::Null) => out.push(
            "cloudWatchLogsLogGroupArn removed: no delivery to CloudWatch Logs, so no metric filter sees the trail's events"
                .to_string(),
        ),
        _ => {}
    }
    if is(req.get("enableLogFileValidation"), false) {
        out.push(
            "enableLogFileValidation false: no digest files, so later log files cannot be verified"
                .to_string(),
        );
    }
    out
}

/// What a `PutInsightSelectors` record does when it turns CloudTrail Insights off (an empty
/// `insightSelectors`): said beside the call, not a reduction of what is recorded.
pub fn insights_turned_off(view: &RecordView<'_>) -> Option<&'static str> {
    if view.event_source.as_str() != Some("cloudtrail.amazonaws.com")
        || view.event_name.as_str() != Some("PutInsightSelectors")
    {
        return None;
    }
    match view.request().get("insightSelectors") {
        Some(Value::Array(list)) if list.is_empty() => Some(
            "insightSelectors empty: Insights turned off; the management events are still recorded",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reductions(req: &str) -> Vec<String> {
        let raw = format!(
            r#"{{"eventSource":"cloudtrail.amazonaws.com","eventName":"UpdateTrail","requestParameters":{req}}}"#
        );
        let view = RecordView::parse(&raw).unwrap();
        update_trail_reductions(&view)
    }

    #[test]
    fn only_settings_that_record_less_are_reductions() {
        assert!(reductions(r#"{"name":"t","isMultiRegionTrail":true}"#).is_empty());
        assert!(reductions(r#"{"name":"t","snsTopicName":"x"}"#).is_empty());
        assert!(reductions(r#"{"name":"t"}"#).is_empty());
        let all = reductions(
            r#"{"name":"t","isMultiRegionTrail":false,"includeGlobalServiceEvents":"false","s3BucketName":"b","cloudWatchLogsLogGroupArn":"","enableLogFileValidation":false}"#,
        );
        let params: Vec<&str> = all
            .iter()
            .map(|r| r.split([' ', ':']).next().unwrap())
            .collect();
        assert_eq!(
            params,
            [
                "isMultiRegionTrail",
                "includeGlobalServiceEvents",
                "s3BucketName",
                "cloudWatchLogsLogGroupArn",
                "enableLogFileValidation"
            ]
        );
    }
}
