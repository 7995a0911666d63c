//! Indicators of compromise (issues #15 and #18): each incident lists the actor's principals,
//! keys, sessions, source IPs and user agents with first and last sight and the records they
//! rest on; a credential the containment did not cut is marked live with its expiry, in the
//! JSON, in `timeline --format iocs`, in the report and in its `indicators.csv` attachment.

use crate::support;

use serde_json::Value;
use support::*;

/// The sample's live role session: obtained by AssumeRole before the deny, valid 2 h.
const LIVE_KEY: &str = "ASIA4EXAMPLEAUDITSS5K";
const LIVE_SESSION: &str =
    "arn:aws:sts::123456789012:assumed-role/ReadOnlyAuditRole/svc-reporting-session";

fn indicator<'a>(list: &'a [Value], kind: &str, value: &str) -> &'a Value {
    list.iter()
        .find(|i| i["kind"] == kind && i["value"] == value)
        .unwrap_or_else(|| panic!("no {kind} {value} in {list:#?}"))
}

#[test]
fn the_live_session_of_the_sample_is_an_indicator_with_its_expiry() {
    let run = trailcase(["timeline", "samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let inc = &doc["incidents"][0];
    let list = inc["indicators"].as_array().unwrap();
    for (kind, value) in [("session_key", LIVE_KEY), ("session_arn", LIVE_SESSION)] {
        let i = indicator(list, kind, value);
        assert_eq!(i["live"], true, "{i}");
        assert_eq!(i["expires"], "2026-11-20T15:59:30Z", "{i}");
        assert!(i["seen_in"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "issued by sts:AssumeRole"));
    }
    let ip = indicator(list, "source_ip", "203.0.113.45");
    assert_eq!(ip["live"], false);
    assert_eq!(ip["first_seen"], inc["milestones"]["first_actor_activity"]);
    let key = indicator(list, "access_key", "AKIA4EXAMPLESVCREPT7Q");
    assert!(key["seen_in"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "honeytoken read"));
    // Every indicator rests on records of the incident.
    let ids: Vec<&Value> = inc["event_ids"].as_array().unwrap().iter().collect();
    for i in list {
        for end in ["first_event_id", "last_event_id"] {
            assert!(
                ids.contains(&&i[end]),
                "{end} of {i} is not an event of the incident"
            );
        }
    }
    // An AWS service calling on the actor's behalf is no indicator of the actor's tools.
    assert!(!list
        .iter()
        .any(|i| i["value"].as_str().unwrap().ends_with(".amazonaws.com")));
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(
        schema::schema_violations(&schema, &doc),
        Vec::<String>::new()
    );
}

#[test]
fn format_iocs_lists_every_indicator_as_csv() {
    let run = trailcase(["timeline", "samples/incident-01", "--format", "iocs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..3], ["incident", "kind", "value"]);
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let json = trailcase(["timeline", "samples/incident-01"]).json();
    let expected = json["incidents"][0]["indicators"].as_array().unwrap().len();
    assert_eq!(rows.len(), expected);
    let live: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[9] == "true").collect();
    assert_eq!(live.len(), 2, "{text}");
    assert!(live
        .iter()
        .any(|r| &r[2] == LIVE_KEY && &r[10] == "2026-11-20T15:59:30Z"));
}

#[test]
fn format_iocs_cannot_apply_to_the_super_timeline() {
    let run = trailcase([
        "timeline",
        "samples/incident-01",
        "--all",
        "--format",
        "iocs",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--format iocs"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn an_empty_indicator_list_from_no_evidence_says_nothing_was_examined() {
    let dir = tempfile::tempdir().unwrap();
    let run = trailcase(["timeline", dir.path().to_str().unwrap(), "--format", "iocs"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = run.text();
    assert!(text.contains("\"evidence_gap\""), "{text}");
    assert!(text.contains("no_records"), "{text}");
}

#[test]
fn the_report_lists_indicators_and_attaches_the_same_csv() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &["samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("Indicators of compromise"));
    assert!(
        text.contains(LIVE_KEY),
        "the live key is not in the PDF text"
    );
    // Made after the session's recorded expiry: not cut, and expired (not LIVE).
    assert!(text.contains("expired 2026-11-20T15:59:30Z"), "{text}");
    assert!(text.contains("not cut, expired"), "{text}");
    assert!(!text.contains("LIVE until 2026-11-20T15:59:30Z"), "{text}");
    let files = pdf_attachments(&pdf, &dir.path().join("att"));
    let attached = std::fs::read(files.join("indicators.csv")).unwrap();
    let iocs = trailcase(["timeline", "samples/incident-01", "--format", "iocs"]);
    assert_eq!(
        attached, iocs.stdout,
        "the attachment differs from --format iocs"
    );
    assert!(
        text.contains("indicators.csv"),
        "the appendix does not list the attachment"
    );
}

/// AWS's KMS guide writes the address of a call through a VPC endpoint with leading zeros
/// (`172.01.01.001`); the actor made a honeytoken read from there. The address vanished
/// (`source_ips: []`, "from 0 network addresses") and the endpoint was no indicator. The address
/// is kept as written and marked so; the endpoint and its account are indicators.
#[test]
fn an_address_written_with_leading_zeros_and_the_vpc_endpoint_are_indicators() {
    let generate = read_json(
        &shared_data().join("cloudtrail/awsdocs-kms-developer-guide/kms-vpc-endpoint-L296.json"),
    );
    let mut read = generate.clone();
    for (k, v) in [
        ("eventTime", serde_json::json!("2018-01-16T05:47:30Z")),
        ("eventSource", "secretsmanager.amazonaws.com".into()),
        ("eventName", "GetSecretValue".into()),
        (
            "requestParameters",
            serde_json::json!({"secretId": "Production_Database_Credentials"}),
        ),
        ("resources", Value::Null),
        ("eventID", "6b0e1e62-3c3e-4a55-9d41-0d5c1f0b7a11".into()),
        ("vpcEndpointAccountId", "111122223333".into()),
    ] {
        read[k] = v;
    }
    let dir = tempfile::tempdir().unwrap();
    let body = serde_json::json!({ "Records": [generate, read] }).to_string();
    std::fs::write(dir.path().join("trail.json"), body).unwrap();
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
    let inc = &doc["incidents"][0];
    assert_eq!(
        inc["actor"]["source_ips"],
        serde_json::json!(["172.01.01.001"])
    );
    let list = inc["indicators"].as_array().unwrap();
    assert_eq!(
        indicator(list, "source_ip_as_written", "172.01.01.001")["records"],
        2
    );
    assert_eq!(
        indicator(list, "vpc_endpoint", "vpce-1234abcdf5678c90a")["records"],
        2
    );
    assert_eq!(
        indicator(list, "vpc_endpoint_account", "111122223333")["records"],
        1
    );
    assert!(!list.iter().any(|i| i["kind"] == "source_ip"), "{list:#?}");

    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(&pdf, &[dir.path().to_str().unwrap()]);
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("from one network address (through the VPC endpoint vpce-1234abcdf5678c90a)"),
        "{text}"
    );
    assert!(
        text.contains("source IP as written (not canonical)"),
        "{text}"
    );
}
