//! Whether a trail's event selectors (`aws cloudtrail get-event-selectors` output: basic
//! `EventSelectors` or `AdvancedEventSelectors`) may log a kind of call. Used to tell "no read of
//! the honeytoken was recorded" from "no read of it could have been": a trail whose selectors
//! exclude the read records none, whatever happened.
//!
//! The answer leans to "may log": a selector field this module does not evaluate (the caller's
//! ARN, say), an ARN pattern it cannot settle, or a shape it does not know counts as logging, so
//! that "not logged" is said only when the selectors plainly exclude the call. Pure; reads
//! nothing but the JSON handed in.

use serde_json::Value;

/// A call as the selectors see it (AWS CloudTrail User Guide, "Logging data events" and
/// "Logging management events"; the advanced selector fields of the same names).
#[derive(Debug, Clone)]
pub struct SelectedCall<'a> {
    /// `Management` or `Data`.
    pub category: &'a str,
    pub read_only: bool,
    /// The `eventSource`s the call may have (any of them).
    pub event_sources: &'a [&'a str],
    /// The `eventName`s the call may have (any of them).
    pub event_names: &'a [&'a str],
    /// The `resources.type`s of the resource it names (any of them).
    pub resource_types: &'a [&'a str],
    /// The resource's ARN when it is known exactly (no wildcard); `None` matches any ARN
    /// condition.
    pub arn: Option<&'a str>,
}

/// Whether one `get-event-selectors` output may log `call`: some basic selector or some
/// advanced selector does, or the output holds no selector this module can read (an empty or
/// unknown shape says nothing).
pub fn may_log(output: &Value, call: &SelectedCall<'_>) -> bool {
    let basic = output.get("EventSelectors").and_then(Value::as_array);
    let advanced = output
        .get("AdvancedEventSelectors")
        .and_then(Value::as_array);
    match (
        basic.filter(|b| !b.is_empty()),
        advanced.filter(|a| !a.is_empty()),
    ) {
        (None, None) => true,
        (b, a) => {
            b.into_iter().flatten().any(|s| basic_logs(s, call))
                || a.into_iter().flatten().any(|s| advanced_logs(s, call))
        }
    }
}

/// A basic event selector: `ReadWriteType` (default `All`), `IncludeManagementEvents` (default
/// true), `ExcludeManagementEventSources`, and `DataResources` (`Type`, `Values`: ARN prefixes).
fn basic_logs(s: &Value, call: &SelectedCall<'_>) -> bool {
    let rw = s
        .get("ReadWriteType")
        .and_then(Value::as_str)
        .unwrap_or("All");
    let by_type = match rw {
        "ReadOnly" => call.read_only,
        "WriteOnly" => !call.read_only,
        _ => true,
    };
    if !by_type {
        return false;
    }
    if call.category == "Management" {
        let included = s
            .get("IncludeManagementEvents")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let excluded = strings(s.get("ExcludeManagementEventSources"));
        return included && call.event_sources.iter().any(|src| !excluded.contains(src));
    }
    s.get("DataResources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|r| {
            let ty = r.get("Type").and_then(Value::as_str).unwrap_or("");
            call.resource_types.contains(&ty)
                && strings(r.get("Values"))
                    .iter()
                    .any(|v| arn_prefix_covers(v, call.arn))
        })
}

/// A `DataResources` value (an ARN prefix: `arn:aws:s3` for every bucket, `arn:aws:s3:::bucket/`
/// for one) covers the call's ARN; an unknown ARN is covered.
fn arn_prefix_covers(value: &str, arn: Option<&str>) -> bool {
    match arn {
        Some(arn) => arn.starts_with(value) || value == "arn:aws:s3",
        None => true,
    }
}

/// An advanced event selector: every field selector must pass.
fn advanced_logs(s: &Value, call: &SelectedCall<'_>) -> bool {
    s.get("FieldSelectors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .all(|f| field_passes(f, call))
}

/// One field selector, against the values the call may have for its field. A field this module
/// does not evaluate passes.
fn field_passes(f: &Value, call: &SelectedCall<'_>) -> bool {
    let field = f.get("Field").and_then(Value::as_str).unwrap_or("");
    let read_only = if call.read_only { "true" } else { "false" };
    let values: Vec<&str> = match field {
        "eventCategory" => vec![call.category],
        "readOnly" => vec![read_only],
        "eventSource" => call.event_sources.to_vec(),
        "eventName" => call.event_names.to_vec(),
        "resources.type" => call.resource_types.to_vec(),
        "resources.ARN" => match call.arn {
            Some(arn) => vec![arn],
            None => return true,
        },
        _ => return true,
    };
    values.iter().any(|v| conditions_pass(f, v))
}

/// The operators of a field selector on one value: some positive operator (`Equals`,
/// `StartsWith`, `EndsWith`) matches when there is one, and no negative one (`NotEquals`,
/// `NotStartsWith`, `NotEndsWith`) does.
fn conditions_pass(f: &Value, v: &str) -> bool {
    let any =
        |op: &str, test: fn(&str, &str) -> bool| strings(f.get(op)).iter().any(|c| test(v, c));
    let eq = |v: &str, c: &str| v == c;
    let sw = |v: &str, c: &str| v.starts_with(c);
    let ew = |v: &str, c: &str| v.ends_with(c);
    let positive = ["Equals", "StartsWith", "EndsWith"]
        .iter()
        .any(|op| f.get(*op).is_some());
    let matched = any("Equals", eq) || any("StartsWith", sw) || any("EndsWith", ew);
    let excluded = any("NotEquals", eq) || any("NotStartsWith", sw) || any("NotEndsWith", ew);
    (!positive || matched) && !excluded
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET_READ: SelectedCall<'static> = SelectedCall {
        category: "Management",
        read_only: true,
        event_sources: &["secretsmanager.amazonaws.com"],
        event_names: &["GetSecretValue"],
        resource_types: &["AWS::SecretsManager::Secret"],
        arn: None,
    };
    const OBJECT_READ: SelectedCall<'static> = SelectedCall {
        category: "Data",
        read_only: true,
        event_sources: &["s3.amazonaws.com"],
        event_names: &["GetObject"],
        resource_types: &["AWS::S3::Object"],
        arn: Some("arn:aws:s3:::decoys/passwords.csv"),
    };

    #[test]
    fn basic_selectors_by_read_write_type_and_data_resources() {
        let write_only = json!({"EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true,
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]});
        assert!(!may_log(&write_only, &SECRET_READ));
        assert!(!may_log(&write_only, &OBJECT_READ));
        let all = json!({"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": []}]});
        assert!(may_log(&all, &SECRET_READ));
        assert!(
            !may_log(&all, &OBJECT_READ),
            "no data resource: no data event"
        );
        let other_bucket = json!({"EventSelectors": [{"ReadWriteType": "All",
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::logs/"]}]}]});
        assert!(!may_log(&other_bucket, &OBJECT_READ));
        let decoy_bucket = json!({"EventSelectors": [{"ReadWriteType": "ReadOnly",
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::decoys/"]}]}]});
        assert!(may_log(&decoy_bucket, &OBJECT_READ));
        // Nothing readable: nothing said.
        assert!(may_log(&json!({"EventSelectors": []}), &OBJECT_READ));
    }

    #[test]
    fn advanced_selectors_by_field() {
        let writes = json!({"AdvancedEventSelectors": [
            {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "readOnly", "Equals": ["false"]}]},
            {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                                {"Field": "readOnly", "Equals": ["false"]}]}]});
        assert!(!may_log(&writes, &SECRET_READ));
        assert!(!may_log(&writes, &OBJECT_READ));
        let management = json!({"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]});
        assert!(may_log(&management, &SECRET_READ));
        assert!(!may_log(&management, &OBJECT_READ));
        let other_prefix = json!({"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
            {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}, {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::logs/"]}]}]});
        assert!(!may_log(&other_prefix, &OBJECT_READ));
        let not_kms = json!({"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]},
            {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]}, {"Field": "userIdentity.arn", "NotStartsWith": ["arn:aws:sts::1:"]}]}]});
        assert!(may_log(&not_kms, &SECRET_READ));
    }
}
