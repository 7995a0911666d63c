//! Tests of the record view: the fields it reads, its times, its labels and the errors it names.

use super::*;

#[test]
fn a_bad_time_is_quoted_only_when_written_as_a_time() {
    assert_eq!(
        time_shown(r#""2026-11-20T14:02:17+99:99""#),
        r#""2026-11-20T14:02:17+99:99""#
    );
    assert_eq!(
        time_shown(r#""Nov 20, 2026 3:59:30 PM""#),
        r#""Nov 20, 2026 3:59:30 PM""#
    );
    let planted = time_shown(r#""wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY""#);
    assert!(!planted.contains("wJalr"), "{planted}");
    assert_eq!(
        planted,
        "of 38 characters (not quoted: not written as a time)"
    );
}

#[test]
fn json_errors_name_the_kind_of_value_never_the_value() {
    // Up to the position, which is serde's.
    let err = |json: &str| {
        let e = json_error(
            &serde_json::from_str::<std::collections::BTreeMap<String, u8>>(json).unwrap_err(),
        );
        e[..e.find(" at line").unwrap()].to_string()
    };
    assert_eq!(
        err(r#""SECRET \" x""#),
        "invalid type: string, expected a map"
    );
    assert_eq!(
        err(r#"{"a": "SECRET"}"#),
        "invalid type: string, expected u8"
    );
    assert_eq!(err("{\"a\": 9999}"), "invalid value: integer, expected u8");
    assert_eq!(
        err("{\"a\": 1.5}"),
        "invalid type: floating point, expected u8"
    );
    assert_eq!(err("{\"a\": true}"), "invalid type: boolean, expected u8");
    assert_eq!(err("{\"a\" 1}"), "expected `:`");
}

#[test]
fn reads_lowercase_keys_and_string_booleans() {
    let raw = r#"{"eventtime":"2024-01-02 03:04:05","eventname":"GetSecretValue",
        "readonly":"True","useridentity":{"type":"IAMUser","aRN":"arn:aws:iam::1:user/x"}}"#;
    let v = RecordView::parse(raw).unwrap();
    assert_eq!(v.time(None).unwrap().to_rfc3339(), "2024-01-02T03:04:05Z");
    assert_eq!(v.read_only(), Some(true));
    assert_eq!(v.identity().arn.as_deref(), Some("arn:aws:iam::1:user/x"));
}

#[test]
fn a_bad_time_is_named_and_a_missing_one_is_told_apart() {
    let bad = RecordView::parse(r#"{"eventTime":"redacted","eventName":"X"}"#).unwrap();
    assert_eq!(bad.time(None).unwrap_err().kind, GapKind::InvalidEventTime);
    let none = RecordView::parse(r#"{"eventTime":null,"eventName":"X"}"#).unwrap();
    assert_eq!(none.time(None).unwrap_err().kind, GapKind::MissingEventTime);
    let fallback = Some(Timestamp::from_secs(10));
    assert_eq!(none.time(fallback).unwrap(), Timestamp::from_secs(10));
}

#[test]
fn a_hostile_field_does_not_hide_the_parameters_beside_it() {
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let raw = format!(
        r#"{{"eventName":"GetSecretValue","requestParameters":{{"secretId":"s","x":{deep},"y":1e999999,"z":[1,{{"a":1e400}}]}}}}"#
    );
    let v = RecordView::parse(&raw).unwrap();
    let req = v.request();
    assert_eq!(req["secretId"], "s");
    assert!(req["x"].is_array() && req["y"].is_null());
    assert_eq!(req["z"], serde_json::json!([1, {"a": null}]));
}

#[test]
fn type_drift_does_not_reject_the_record() {
    let raw = r#"{"eventTime":"2024-01-02T03:04:05Z","errorCode":42,"userAgent":{"x":1},
        "sourceIPAddress":null}"#;
    let v = RecordView::parse(raw).unwrap();
    assert_eq!(v.error_code.as_str(), Some("42"));
    assert_eq!(v.user_agent.as_str(), None);
}

/// The view's label is the identity's, whichever part names the principal, the Identity
/// Center user (made from `onBehalfOf`) included.
#[test]
fn the_view_labels_as_the_identity_does() {
    let obo = r#""onBehalfOf":{"userId":"u-1","identityStoreArn":"arn:aws-cn:identitystore::1:identitystore/d"}"#;
    let cases = [
        (
            format!(r#"{{"type":"IdentityCenterUser","arn":" ",{obo}}}"#),
            "arn:aws-cn:identitystore:::user/u-1",
        ),
        (
            format!(r#"{{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s",{obo}}}"#),
            "arn:aws:sts::1:assumed-role/r/s",
        ),
        (
            r#"{"type":"SAMLUser","userName":"ann","identityProvider":"idp"}"#.to_string(),
            "idp:ann",
        ),
        (
            r#"{"type":"AWSService","invokedBy":"lambda.amazonaws.com"}"#.to_string(),
            "lambda.amazonaws.com",
        ),
        (r#"{"type":"  "}"#.to_string(), "unknown"),
    ];
    for (identity, expected) in cases {
        let record = format!(r#"{{"eventName":"X","userIdentity":{identity}}}"#);
        let view = RecordView::parse(&record).unwrap();
        assert_eq!(view.label(), view.identity().label(), "{identity}");
        assert_eq!(view.label(), expected, "{identity}");
    }
    let none = RecordView::parse(r#"{"eventName":"X"}"#).unwrap();
    assert_eq!(none.label(), none.identity().label());
}
