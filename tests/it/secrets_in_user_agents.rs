//! A user agent is whatever the caller sent, and a resource name or an S3 key can hold a query
//! string: a session token or a `password=…` planted in either was written as recorded in the
//! rows' `user_agent` and `target` (timeline JSON, JSON lines, CSV, Timesketch, `--all`), the
//! actor's `user_agents`, the indicators and the report's PDF, outside the record's redacted
//! copy. They go through the same rules as the record's strings; ordinary user agents and
//! names are kept as recorded.

use crate::support;

use serde_json::{json, Value};
use support::honeytoken_calls::call;
use support::*;

/// A session token as STS issues them (its prefix), planted.
const TOKEN: &str = "IQoJb3JpZ2luX2VjEPLANTEDAAAAAAAaCXVzLWVhc3QtMSJHMEUCIQD";

/// An ordinary user agent of the SDK, with its `#` and `/` metadata.
const ORDINARY: &str = "Boto3/1.34.2 md/Botocore#1.34.2 ua/2.0 os/linux#5.10 md/arch#x86_64 \
                        lang/python#3.11.6 cfg/retry-mode#legacy Botocore/1.34.2";

/// The honeytoken read and two calls by alice whose user agent holds a session token and a
/// secret access key, naming an S3 key and a secret whose names hold secrets; one more call
/// with an ordinary user agent.
fn planted_case(dir: &std::path::Path) {
    let agent = format!(
        "aws-cli/2.15.0 Python/3.11.6 X-Amz-Security-Token={TOKEN} \
         aws_secret_access_key=PLANTEDwJalrXUtnFEMIK7MDENGbPxRfiCY"
    );
    let mut records = vec![
        call(
            0,
            "secretsmanager.amazonaws.com",
            "GetSecretValue",
            json!({"secretId": "Production_Database_Credentials"}),
        ),
        call(
            1,
            "s3.amazonaws.com",
            "GetObject",
            json!({"bucketName": "backups",
                   "key": format!("dump.sql?X-Amz-Security-Token={TOKEN}&db_password=PLANTED-2")}),
        ),
        call(
            2,
            "secretsmanager.amazonaws.com",
            "CreateSecret",
            json!({"name": "app/db_password=PLANTED-3"}),
        ),
        call(3, "sts.amazonaws.com", "GetCallerIdentity", json!({})),
    ];
    for r in &mut records[..3] {
        r["userAgent"] = json!(agent);
    }
    records[3]["userAgent"] = json!(ORDINARY);
    std::fs::create_dir_all(dir.join("cloudtrail")).unwrap();
    std::fs::write(
        dir.join("cloudtrail/trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
}

fn rows(doc: &Value) -> &[Value] {
    doc["timeline"].as_array().unwrap()
}

#[test]
fn secrets_in_user_agents_and_resource_names_are_redacted_in_every_output() {
    let evidence = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    planted_case(evidence.path());
    let dir = evidence.path().to_str().unwrap();
    let formats = [
        ("json", false),
        ("jsonl", false),
        ("csv", false),
        ("timesketch", false),
        ("iocs", false),
        ("json", true),
        ("jsonl", true),
        ("csv", true),
    ];
    not_in_timelines(&[], dir, &formats, "PLANTED");
    let pdf = out.path().join("report.pdf");
    let json = out.path().join("timeline.json");
    let run = report_pdf(&pdf, &["--timeline-json", json.to_str().unwrap(), dir]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(!run.stderr.contains("PLANTED"), "{}", run.stderr);
    let report_json = std::fs::read_to_string(&json).unwrap();
    assert!(!report_json.contains("PLANTED"), "{report_json}");
    let text = pdf_text(&pdf);
    assert!(!text.contains("PLANTED"), "{text}");
    let attached = pdf_attachments(&pdf, &out.path().join("attached"));
    for f in std::fs::read_dir(attached).unwrap() {
        let f = f.unwrap().path();
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        assert!(!text.contains("PLANTED"), "{}: {text}", f.display());
    }

    // What is not secret stays: the agent's tool and its names, the bucket, key and secret names.
    let doc = timeline_of(evidence.path());
    let get = rows(&doc).iter().find(|r| r["action"] == "s3:GetObject");
    let get = get.unwrap();
    assert_eq!(
        get["user_agent"],
        "aws-cli/2.15.0 Python/3.11.6 X-Amz-Security-Token=[REDACTED] \
         aws_secret_access_key=[REDACTED]"
    );
    assert_eq!(
        get["target"],
        "s3://backups/dump.sql?X-Amz-Security-Token=[REDACTED]&db_password=[REDACTED]"
    );
    let create = rows(&doc)
        .iter()
        .find(|r| r["action"] == "secretsmanager:CreateSecret")
        .unwrap();
    assert_eq!(create["target"], "app/db_password=[REDACTED]");
    let agents = &doc["incidents"][0]["actor"]["user_agents"];
    assert!(
        agents.as_array().unwrap().iter().any(|a| a
            .as_str()
            .unwrap()
            .starts_with("aws-cli/2.15.0 Python/3.11.6 X-Amz")),
        "{agents}"
    );
}

#[test]
fn an_ordinary_user_agent_is_kept_as_recorded() {
    let evidence = tempfile::tempdir().unwrap();
    planted_case(evidence.path());
    let doc = timeline_of(evidence.path());
    let row = rows(&doc)
        .iter()
        .find(|r| r["action"] == "sts:GetCallerIdentity")
        .unwrap();
    assert_eq!(row["user_agent"], ORDINARY);
    let agents = doc["incidents"][0]["actor"]["user_agents"].to_string();
    assert!(agents.contains(&json!(ORDINARY).to_string()), "{agents}");
    let read = rows(&doc)
        .iter()
        .find(|r| r["action"] == "secretsmanager:GetSecretValue")
        .unwrap();
    assert_eq!(read["target"], "Production_Database_Credentials");
}
