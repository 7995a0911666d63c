//! `timeline --all` writes a JSON (lines) row straight from the record's view, and falls back to
//! the general way (`to_entry`, then an export row) for a record it does not take that way (one
//! without an `eventSource`). The fallback row's `target` and `user_agent` are redacted once, as
//! the fast way's are: a planted session token and secret access key in the user agent come out
//! as the same `[REDACTED]` text on both rows, and nowhere as recorded.

use crate::support::trailcase;
use serde_json::{json, Value};

const TOKEN: &str = "IQoJb3JpZ2luX2VjEPLANTEDAAAAAAAaCXVzLWVhc3QtMSJHMEUCIQD";
const KEY: &str = "PLANTEDwJalrXUtnFEMIK7MDENGbPxRfiCY";

fn call(id: &str, second: u32) -> Value {
    json!({
        "eventVersion": "1.08",
        "eventTime": format!("2026-11-20T10:00:{second:02}Z"),
        "eventID": id,
        "eventSource": "sts.amazonaws.com",
        "eventName": "GetCallerIdentity",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.7",
        "userAgent": format!("aws-cli/2.15.0 Python/3.11.6 X-Amz-Security-Token={TOKEN} aws_secret_access_key={KEY}"),
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice", "accountId": "123456789012"}
    })
}

#[test]
fn the_fallback_row_is_redacted_as_the_fast_row_is() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    let fast = call("fast-1", 1);
    let mut fallback = call("fallback-1", 2);
    fallback.as_object_mut().unwrap().remove("eventSource");
    std::fs::write(
        evidence.join("trail.json"),
        json!({"Records": [fast, fallback]}).to_string(),
    )
    .unwrap();
    for format in ["jsonl", "json"] {
        let run = trailcase([
            "timeline",
            "--quiet",
            "--all",
            "--format",
            format,
            evidence.to_str().unwrap(),
        ]);
        assert!(run.code <= 1, "{}", run.stderr);
        let text = run.text();
        assert!(!text.contains(TOKEN) && !text.contains(KEY), "{text}");
        let rows: Vec<Value> = if format == "jsonl" {
            text.lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .filter(|r| r.get("event_id").is_some())
                .collect()
        } else {
            let doc: Value = serde_json::from_str(&text).unwrap();
            doc["records"].as_array().cloned().unwrap_or_default()
        };
        let agent = |id: &str| -> String {
            rows.iter()
                .find(|r| r["event_id"] == id)
                .unwrap_or_else(|| panic!("{id} in {text}"))["user_agent"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            agent("fast-1"),
            "aws-cli/2.15.0 Python/3.11.6 X-Amz-Security-Token=[REDACTED] aws_secret_access_key=[REDACTED]",
            "{format}"
        );
        assert_eq!(agent("fallback-1"), agent("fast-1"), "{format}");
    }
}
