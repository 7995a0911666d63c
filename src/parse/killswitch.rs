//! trailcase's own documents found among the evidence: the kill-switch's published result
//! (`ContainmentResult`, schema_version 1) as a bare document, inside an SNS notification
//! (`Message`, also in a Lambda SNS event's `Records[].Sns`) or as a CloudWatch Logs message of
//! the function's log group; and a `trailcase posture --format json` result.
//!
//! Typed and lenient (the kill-switch's result is read as `trailcase_common`'s `PublishedResult`,
//! the lenient side of the format the kill-switch writes): unknown fields are ignored, a
//! document that is one of these but cannot be read (unknown schema_version, a missing field, an
//! unknown decision) is an error with the reason, which the caller turns into a gap. Depends only
//! on `model` and `trailcase_common`.

use super::record::json_error;
use super::time::parse_time;
use crate::model::{ConfigEvidence, KillSwitchReport, Origin, PostureCheck, PostureResult};
use serde::Deserialize;
use serde_json::{Map, Value};
use trailcase_common::killswitch::{PublishedResult, TOOL};

type Obj = Map<String, Value>;

/// What a document turned out to be.
pub type Lifted = Result<(&'static str, ConfigEvidence), (&'static str, String)>;

/// Is this object a kill-switch result (by its tool name or its own keys)?
fn is_result(obj: &Obj) -> bool {
    obj.get("tool").and_then(Value::as_str) == Some(TOOL)
        || ["schema_version", "at", "decision", "steps"]
            .iter()
            .all(|k| obj.contains_key(*k))
}

/// Is this object a `trailcase posture` JSON result?
fn is_posture(obj: &Obj) -> bool {
    ["schema_version", "checked_at", "honeytoken", "checks"]
        .iter()
        .all(|k| obj.contains_key(*k))
}

/// A bare kill-switch result or posture result (a whole document, a line, an array element).
pub fn lift_document(obj: &Obj, input: u32, index: u64) -> Option<Lifted> {
    let origin = Origin { input, index };
    if is_result(obj) {
        return Some(report(obj, origin, "killswitch-result", None));
    }
    if is_posture(obj) {
        return Some(posture(obj, origin));
    }
    None
}

/// An SNS notification (as SQS, HTTP and email-json deliver it, or a Lambda SNS event record)
/// whose `Message` is a kill-switch result.
pub fn lift_sns(obj: &Obj, input: u32, index: u64) -> Option<Lifted> {
    let (sns, via) = match obj.get("Sns").and_then(Value::as_object) {
        Some(sns) => (sns, "lambda-sns-event"),
        None => (obj, "sns"),
    };
    let message = sns.get("Message")?.as_str()?;
    let inner: Value = match super::json_text::value_of(message) {
        Ok(v) => v,
        Err(e) => return not_json(message, e),
    };
    let inner = inner.as_object()?;
    if !is_result(inner) {
        return None;
    }
    Some(report(inner, Origin { input, index }, via, Some(sns)))
}

/// A CloudWatch Logs message of the kill-switch's log group: the result as one JSON line.
pub fn lift_log_message(message: &str, input: u32, index: u64) -> Option<Lifted> {
    let text = message.trim();
    // Cheap test first: every CloudTrail record of a trail's log group passes through here.
    if !text.starts_with('{') || !text.contains("\"schema_version\"") {
        return None;
    }
    let value: Value = match super::json_text::value_of(text) {
        Ok(v) => v,
        Err(e) => return not_json(text, e),
    };
    let obj = value.as_object()?;
    if !is_result(obj) {
        return None;
    }
    Some(report(
        obj,
        Origin { input, index },
        "cloudwatch-logs",
        None,
    ))
}

/// Text that names the kill-switch but does not parse (cut short, say): a gap with the reason.
fn not_json(text: &str, e: serde_json::Error) -> Option<Lifted> {
    text.contains(TOOL).then(|| {
        Err((
            "killswitch-result",
            format!("kill-switch result: not valid JSON: {}", json_error(&e)),
        ))
    })
}

/// A line the Lambda service writes to every function's log (not evidence of the incident).
pub fn is_lambda_platform_line(message: &str) -> bool {
    let m = message.trim_start();
    [
        "START RequestId:",
        "END RequestId:",
        "REPORT RequestId:",
        "INIT_START",
        "INIT_REPORT",
    ]
    .iter()
    .any(|p| m.starts_with(p))
}

fn version(obj: &Obj) -> Result<(), String> {
    match obj.get("schema_version") {
        Some(v) if v.as_u64() == Some(1) => Ok(()),
        Some(v) => Err(format!(
            "unsupported schema_version {} (this trailcase reads 1)",
            super::described::value_kind(v)
        )),
        None => Err("no schema_version".into()),
    }
}

fn report(obj: &Obj, origin: Origin, via: &'static str, sns: Option<&Obj>) -> Lifted {
    const KIND: &str = "killswitch-result";
    let fail = |why: String| Err((KIND, format!("kill-switch result: {why}")));
    if let Err(why) = version(obj) {
        return fail(why);
    }
    let wire: PublishedResult = match serde_json::from_value(Value::Object(obj.clone())) {
        Ok(w) => w,
        Err(e) => return fail(json_error(&e)),
    };
    let Some(at) = parse_time(&wire.at) else {
        return fail(format!(
            "`at` {} is not a time",
            super::record::time_shown(&Value::String(wire.at).to_string())
        ));
    };
    let text = |k: &str| {
        sns.and_then(|s| s.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let kind = match via {
        "sns" | "lambda-sns-event" => "killswitch-result-sns",
        "cloudwatch-logs" => "killswitch-result-log",
        _ => KIND,
    };
    let report = KillSwitchReport {
        at,
        tool_version: wire.tool_version,
        dry_run: wire.dry_run,
        decision: wire.decision,
        summary: wire.summary,
        trigger: wire.trigger.unwrap_or_default(),
        caller: wire.caller,
        steps: wire.steps,
        published: wire.published,
        via,
        topic_arn: text("TopicArn"),
        message_id: text("MessageId"),
        origin,
        copies: Vec::new(),
    };
    Ok((
        kind,
        ConfigEvidence {
            killswitch_reports: vec![report],
            ..Default::default()
        },
    ))
}

#[derive(Deserialize)]
struct WirePosture {
    checked_at: String,
    #[serde(default)]
    tool_version: Option<String>,
    honeytoken: String,
    #[serde(default)]
    regions: Vec<String>,
    checks: Vec<PostureCheck>,
}

fn posture(obj: &Obj, origin: Origin) -> Lifted {
    const KIND: &str = "posture";
    if let Err(why) = version(obj) {
        return Err((KIND, format!("posture result: {why}")));
    }
    match serde_json::from_value::<WirePosture>(Value::Object(obj.clone())) {
        Ok(w) => Ok((
            KIND,
            ConfigEvidence {
                posture: vec![PostureResult {
                    checked_at: w.checked_at,
                    tool_version: w.tool_version,
                    honeytoken: w.honeytoken,
                    regions: w.regions,
                    checks: w.checks,
                    origin,
                }],
                ..Default::default()
            },
        )),
        Err(e) => Err((KIND, format!("posture result: {}", json_error(&e)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::KillSwitchDecision;
    use serde_json::json;

    fn result() -> Value {
        json!({
            "schema_version": 1, "tool": "trailcase-killswitch", "tool_version": "0.1.0",
            "at": "2026-11-20T14:02:46Z", "dry_run": false, "decision": "contained",
            "summary": "arn:aws:iam::123456789012:user/svc contained (1 steps)",
            "trigger": {"event_id": "e1", "event_time": "2026-11-20T14:02:17Z", "event_source": "secretsmanager.amazonaws.com",
                        "event_name": "GetSecretValue", "aws_region": "us-east-1", "source_ip_address": "198.51.100.7",
                        "user_agent": "aws-cli", "secret_id": "Production_Database_Credentials", "access_key_id": "AKIAEXAMPLE"},
            "caller": {"type": "iam-user", "arn": "arn:aws:iam::123456789012:user/svc", "user_name": "svc"},
            "steps": [{"action": "iam:PutUserPolicy", "target": "svc", "outcome": "done", "detail": "x"}],
            "published": {"action": "sns:Publish", "target": "arn:aws:sns:us-east-1:1:t", "outcome": "done", "detail": "message m"}
        })
    }

    fn obj(v: &Value) -> &Obj {
        v.as_object().unwrap()
    }

    #[test]
    fn reads_the_bare_result_and_the_sns_envelope() {
        let v = result();
        let (kind, c) = lift_document(obj(&v), 0, 0).unwrap().unwrap();
        assert_eq!(kind, "killswitch-result");
        let r = &c.killswitch_reports[0];
        assert_eq!(r.decision, KillSwitchDecision::Contained);
        assert_eq!(r.caller.as_ref().unwrap().user_name.as_deref(), Some("svc"));
        let sns = json!({"Type": "Notification", "MessageId": "m1", "TopicArn": "arn:aws:sns:us-east-1:1:t",
                         "Message": v.to_string(), "Timestamp": "2026-11-20T14:02:49.100Z"});
        let (kind, c) = lift_sns(obj(&sns), 3, 2).unwrap().unwrap();
        assert_eq!(kind, "killswitch-result-sns");
        let r = &c.killswitch_reports[0];
        assert_eq!((r.via, r.message_id.as_deref()), ("sns", Some("m1")));
        assert_eq!(r.origin, Origin { input: 3, index: 2 });
        let lambda = json!({"EventSource": "aws:sns", "Sns": sns});
        let (_, c) = lift_sns(obj(&lambda), 0, 0).unwrap().unwrap();
        assert_eq!(c.killswitch_reports[0].via, "lambda-sns-event");
    }

    #[test]
    fn a_bad_result_is_an_error_with_the_reason() {
        let mut v = result();
        v["schema_version"] = json!(2);
        let err = lift_document(obj(&v), 0, 0).unwrap().unwrap_err();
        assert!(err.1.contains("unsupported schema_version 2"), "{err:?}");
        let mut v = result();
        v["decision"] = json!("vanished");
        let err = lift_document(obj(&v), 0, 0).unwrap().unwrap_err();
        assert!(err.1.contains("unknown variant `vanished`"), "{err:?}");
        let cut = &result().to_string()[..200];
        let sns = json!({"Type": "Notification", "Message": cut});
        let err = lift_sns(obj(&sns), 0, 0).unwrap().unwrap_err();
        assert!(err.1.contains("not valid JSON"), "{err:?}");
        assert!(lift_log_message(cut, 0, 0).unwrap().is_err());
        let mut v = result();
        v.as_object_mut().unwrap().remove("steps");
        assert!(lift_document(obj(&v), 0, 0).unwrap().is_err());
        assert!(lift_document(obj(&json!({"Records": []})), 0, 0).is_none());
    }

    #[test]
    fn log_lines_and_platform_lines() {
        let line = result().to_string();
        assert!(lift_log_message(&line, 0, 0).unwrap().is_ok());
        assert!(lift_log_message("START RequestId: 1 Version: $LATEST", 0, 0).is_none());
        assert!(is_lambda_platform_line(
            "REPORT RequestId: 1\tDuration: 3 ms"
        ));
    }

    #[test]
    fn reads_a_posture_result() {
        let v = json!({"schema_version": 1, "tool_version": "0.1.0", "checked_at": "2026-11-24T11:00:00Z",
            "honeytoken": "Production_Database_Credentials", "regions": ["us-east-1"], "pass": 1, "fail": 1, "unknown": 0,
            "checks": [{"region": "us-east-1", "id": "trail.logging", "status": "PASS", "reason": "logging"},
                       {"region": "us-east-1", "id": "flow1.topic", "status": "FAIL", "reason": "no subscriber"}]});
        let (kind, c) = lift_document(obj(&v), 0, 0).unwrap().unwrap();
        assert_eq!(kind, "posture");
        assert_eq!(c.posture[0].checks.len(), 2);
    }
}
