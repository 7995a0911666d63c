//! Calls on a trail's S3 bucket that delete its log files, or can: `DeleteBucket`, and a
//! `PutBucketLifecycle` whose configuration (it replaces the bucket's whole lifecycle) has an
//! enabled rule that expires objects, read from its `requestParameters.LifecycleConfiguration`
//! as CloudTrail records it (`Rule` one object or a list; `Expiration.Days` or `Date`; the
//! rule's key prefix in `Filter.Prefix`, `Filter.And.Prefix` or, older, `Prefix`). A prefix is
//! literal (S3 has no wildcard in it): the rule is said with the prefix it names.
//!
//! Pure functions over one record: imports `parse` only.

use crate::parse::RecordView;
use serde_json::Value;

/// The S3 calls on a bucket that can delete a trail's log files.
pub const APIS: &[&str] = &["DeleteBucket", "PutBucketLifecycle"];

/// What the S3 call `view` does to its bucket's objects, each as a phrase: the bucket deleted,
/// or each enabled lifecycle rule that expires objects (`lifecycle rule ID: objects … expire 1
/// day(s) after they are written`). Empty for another call, or a lifecycle that expires nothing
/// (transitions only, or rules disabled).
pub fn deletions(view: &RecordView<'_>) -> Vec<String> {
    if view.event_source.as_str() != Some("s3.amazonaws.com") {
        return Vec::new();
    }
    match view.event_name.as_str() {
        Some("DeleteBucket") => vec!["the bucket deleted".to_string()],
        Some("PutBucketLifecycle") => {
            let req = view.request();
            let rules = match req
                .get("LifecycleConfiguration")
                .and_then(|c| c.get("Rule"))
            {
                Some(Value::Array(list)) => list.iter().collect(),
                Some(rule) => vec![rule],
                None => Vec::new(),
            };
            rules.into_iter().filter_map(expiring).collect()
        }
        _ => Vec::new(),
    }
}

/// An enabled rule that expires current objects, in words.
fn expiring(rule: &Value) -> Option<String> {
    if rule.get("Status").and_then(Value::as_str) != Some("Enabled") {
        return None;
    }
    let expiration = rule.get("Expiration")?;
    let when = match (expiration.get("Days"), expiration.get("Date")) {
        (Some(days), _) => format!("{} day(s) after they are written", scalar(days)?),
        (None, Some(date)) => format!("from {}", scalar(date)?),
        _ => return None,
    };
    let filter = rule.get("Filter");
    let prefix = [
        filter.and_then(|f| f.get("Prefix")),
        filter
            .and_then(|f| f.get("And"))
            .and_then(|a| a.get("Prefix")),
        rule.get("Prefix"),
    ]
    .into_iter()
    .flatten()
    .find_map(Value::as_str)
    .unwrap_or("");
    let which = if prefix.is_empty() {
        "every object expires".to_string()
    } else {
        format!("objects whose key starts with \"{prefix}\" expire")
    };
    let id = rule
        .get("ID")
        .and_then(Value::as_str)
        .map(|id| format!(" {id}"))
        .unwrap_or_default();
    Some(format!("lifecycle rule{id}: {which} {when}"))
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn said(name: &str, request: Value) -> Vec<String> {
        let raw = json!({"eventSource": "s3.amazonaws.com", "eventName": name,
            "requestParameters": request})
        .to_string();
        deletions(&RecordView::parse(&raw).unwrap())
    }

    #[test]
    fn expiring_rules_are_said_with_their_prefix() {
        let one = json!({"bucketName": "b", "LifecycleConfiguration": {"Rule": {"Status": "Enabled",
            "Filter": {"Prefix": "*"}, "Expiration": {"Days": 1}, "ID": "nuke"}}});
        assert_eq!(
            said("PutBucketLifecycle", one),
            ["lifecycle rule nuke: objects whose key starts with \"*\" expire 1 day(s) after they are written"]
        );
        let list = json!({"LifecycleConfiguration": {"Rule": [
            {"Status": "Enabled", "Filter": {}, "Expiration": {"Date": "2026-12-01T00:00:00Z"}},
            {"Status": "Disabled", "Expiration": {"Days": 1}},
            {"Status": "Enabled", "Transition": {"Days": 30, "StorageClass": "GLACIER"}},
        ]}});
        assert_eq!(
            said("PutBucketLifecycle", list),
            ["lifecycle rule: every object expires from 2026-12-01T00:00:00Z"]
        );
        assert_eq!(said("DeleteBucket", json!({})), ["the bucket deleted"]);
        assert!(said("PutBucketPolicy", json!({})).is_empty());
    }
}
