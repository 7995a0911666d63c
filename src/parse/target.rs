//! The resource a call acted on, read from `requestParameters` and `resources`.

use super::record::RecordView;
use serde_json::Value;

/// Parameter names that name the target, most specific first.
const KEYS: &[&str] = &[
    "secretId",
    "name",
    "userName",
    "roleName",
    "groupName",
    "policyArn",
    "functionName",
    "trailName",
    "logGroupName",
    "filterName",
    "roleArn",
    "topicArn",
    "keyId",
    "instanceId",
    "documentName",
];

/// The target as text, e.g. `Production_Database_Credentials`, `s3://bucket/key`, `user/svc`.
pub fn target_of(view: &RecordView<'_>) -> Option<String> {
    let req = view.request();
    if let Some(bucket) = req.get("bucketName").and_then(Value::as_str) {
        return Some(match req.get("key").and_then(Value::as_str) {
            Some(key) => format!("s3://{bucket}/{key}"),
            None => format!("s3://{bucket}"),
        });
    }
    if let Some(list) = req.get("secretIdList").and_then(Value::as_array) {
        let ids: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
        if !ids.is_empty() {
            return Some(ids.join(", "));
        }
    }
    if let Some(names) = req.get("names").and_then(Value::as_array) {
        let ids: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
        if !ids.is_empty() {
            return Some(ids.join(", "));
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for key in KEYS {
        if let Some(v) = req.get(*key).and_then(Value::as_str) {
            parts.push(v.to_string());
            break;
        }
    }
    if let Some(id) = req.get("accessKeyId").and_then(Value::as_str) {
        parts.push(id.to_string());
    }
    if !parts.is_empty() {
        return Some(parts.join(" "));
    }
    let resources = view.resources();
    resources
        .as_array()
        .and_then(|r| r.iter().find_map(|x| x.get("ARN").or_else(|| x.get("arn"))))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(json: &str) -> Option<String> {
        target_of(&RecordView::parse(json).unwrap())
    }

    #[test]
    fn names_the_resource_acted_on() {
        assert_eq!(
            target(r#"{"requestParameters":{"secretId":"Production_Database_Credentials"}}"#)
                .as_deref(),
            Some("Production_Database_Credentials")
        );
        assert_eq!(
            target(r#"{"requestParameters":{"bucketName":"b","key":"k/x"}}"#).as_deref(),
            Some("s3://b/k/x")
        );
        assert_eq!(
            target(r#"{"requestParameters":{"userName":"svc","accessKeyId":"AKIA1","status":"Inactive"}}"#)
                .as_deref(),
            Some("svc AKIA1")
        );
        assert_eq!(
            target(r#"{"requestParameters":null,"resources":[{"ARN":"arn:aws:x"}]}"#).as_deref(),
            Some("arn:aws:x")
        );
        assert_eq!(target(r#"{"requestParameters":null}"#), None);
    }
}
