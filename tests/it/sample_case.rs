//! The bundled case `samples/incident-01` (ground truth in samples/README.md): every milestone,
//! latency and finding, the golden JSON, the other export formats, the schema, determinism.
//!
//! Regenerate the golden file after an intended change with
//! `UPDATE_GOLDEN=1 cargo test --test it sample_case`, and review its diff.

use crate::support;

use serde_json::Value;
use support::*;

const CASE: &str = "samples/incident-01";
const GOLDEN: &str = "tests/golden/incident-01.timeline.json";

fn timeline(format: &str) -> Run {
    let run = trailcase(["timeline", "--quiet", CASE, "--format", format]);
    assert_eq!(
        run.code, 0,
        "the sample case is complete; stderr: {}",
        run.stderr
    );
    run
}

fn incident() -> Value {
    let doc = timeline("json").json();
    assert_eq!(
        doc["incidents"].as_array().unwrap().len(),
        1,
        "one actor, one honeytoken"
    );
    doc["incidents"][0].clone()
}

#[test]
fn who_touched_the_honeytoken_from_where_with_what() {
    let inc = incident();
    assert_eq!(inc["honeytoken"]["name"], "Production_Database_Credentials");
    assert_eq!(
        inc["honeytoken"]["arn"],
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:Production_Database_Credentials-Xy12Ab"
    );
    let actor = &inc["actor"];
    assert_eq!(actor["arn"], "arn:aws:iam::123456789012:user/svc-reporting");
    assert_eq!(actor["type"], "IAMUser");
    assert_eq!(
        actor["access_key_ids"],
        serde_json::json!(["AKIA4EXAMPLESVCREPT7Q"])
    );
    assert_eq!(actor["source_ips"], serde_json::json!(["203.0.113.45"]));
    // The actor's own tool, every one of them; not the agent of the service that decrypted
    // the value for it (kms:Decrypt by secretsmanager.amazonaws.com, a record of the incident).
    let agents = actor["user_agents"].as_array().unwrap();
    assert_eq!(agents.len(), 9, "{agents:?}");
    assert!(agents
        .iter()
        .all(|a| a.as_str().unwrap().starts_with("aws-cli/2.15.30")));
    assert!(inc["event_ids"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("15702264-b59b-4987-9a7a-bdcb84bb8daa")));
    // The role session the actor obtained before containment is linked back to it.
    let session = &actor["derived_sessions"][0];
    assert_eq!(
        session["session_arn"],
        "arn:aws:sts::123456789012:assumed-role/ReadOnlyAuditRole/svc-reporting-session"
    );
    assert_eq!(
        session["issued_by_event_id"],
        "6d0f53a2-5223-444b-adaa-24de7e743f20"
    );
    assert_eq!(
        inc["access_event_ids"],
        serde_json::json!([
            "5ad7fe16-471c-489f-908c-61b0d4864cbb",
            "85a157a1-d87c-40ec-9c47-7bf1faabd1f2"
        ])
    );
}

#[test]
fn milestones_and_latencies_match_the_ground_truth() {
    let inc = incident();
    let m = &inc["milestones"];
    let expect = [
        ("first_access", "2026-11-20T14:02:17Z"),
        ("last_access", "2026-11-20T14:03:05Z"),
        ("first_actor_activity", "2026-11-20T13:55:10Z"),
        ("flow1_alarm", "2026-11-20T14:05:21.532Z"),
        ("flow1_notification", "2026-11-20T14:05:21.618Z"),
        // The kill-switch's first call at 14:02:46: the sample's TriggeredRules series, counted
        // in the 14:02 minute, names no rule, so it is not evidence of the rule's firing.
        ("flow2_triggered", "2026-11-20T14:02:46Z"),
        ("containment_start", "2026-11-20T14:02:46Z"),
        ("containment_complete", "2026-11-20T14:02:48Z"),
        ("last_actor_success", "2026-11-20T14:09:00Z"),
        ("first_denied_after_containment", "2026-11-20T14:03:05Z"),
    ];
    for (k, v) in expect {
        assert_eq!(m[k], v, "milestone {k}");
    }
    // And flow 2's time says it is the kill-switch's call inside the TriggeredRules minute of
    // the series naming the rule (labelled as `trailcase collect` labels it).
    assert_eq!(
        m["flow2_evidence"],
        "the kill-switch's first call after the read (upper bound: the rule fired before it), inside the minute starting 2026-11-20T14:02:00Z in which AWS/Events TriggeredRules > 0"
    );
    let l = &inc["latency_seconds"];
    assert_eq!(l["flow1_detect"], 184.532);
    assert_eq!(l["flow2_detect"], 29.0);
    assert_eq!(l["contain"], 31.0);
    // The role session ReadOnlyAuditRole/svc-reporting-session, obtained at 13:59:30 before the
    // deny, was not cut by it (a user's deny does not reach a role session) and was last used at
    // 14:09:00; it stays valid until 15:59:30. The incident is partially contained, and the
    // exposure runs to that expiry, not to the last call seen.
    assert_eq!(inc["containment_status"], "partially_contained");
    let live = inc["live_credentials"].as_array().unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0]["access_key_id"], "ASIA4EXAMPLEAUDITSS5K");
    assert_eq!(
        live[0]["session_arn"],
        "arn:aws:sts::123456789012:assumed-role/ReadOnlyAuditRole/svc-reporting-session"
    );
    assert_eq!(live[0]["issued_at"], "2026-11-20T13:59:30Z");
    assert_eq!(live[0]["expires"], "2026-11-20T15:59:30Z");
    assert_eq!(
        live[0]["issued_by_event_id"],
        "6d0f53a2-5223-444b-adaa-24de7e743f20"
    );
    assert_eq!(l["exposure"], 7033.0);
    // No unknown: the TriggeredRules series names the rule, so flow 2's time rests on it.
    let unknowns = inc["unknowns"].as_array().unwrap();
    assert!(unknowns.is_empty(), "{unknowns:?}");
}

#[test]
fn containment_calls_are_recognised_by_kind() {
    let inc = incident();
    let kinds: Vec<(&str, &str)> = inc["containment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        &kinds[..4],
        &[
            ("deny_policy", "success"),
            ("access_key_deactivated", "success"),
            ("login_profile_deleted", "NoSuchEntityException"),
            ("notification", "success"),
        ]
    );
}

#[test]
fn the_killswitch_account_agrees_with_cloudtrail() {
    let doc = timeline("json").json();
    let runs = doc["killswitch"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str)> = runs
        .iter()
        .map(|r| {
            (
                r["at"].as_str().unwrap(),
                r["decision"].as_str().unwrap(),
                r["via"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("2026-11-20T14:02:45Z", "contained", "sns"),
            ("2026-11-20T14:03:33Z", "already-contained", "sns")
        ]
    );
    let steps = |r: &Value| -> Vec<(String, String)> {
        r["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["action"].as_str().unwrap().to_string(),
                    s["corroboration"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let first = &runs[0];
    assert_eq!(first["incidents"], serde_json::json!(["INC-001"]));
    assert_eq!(
        first["trigger"]["event_id"],
        "5ad7fe16-471c-489f-908c-61b0d4864cbb"
    );
    assert_eq!(
        steps(first),
        [
            ("iam:PutUserPolicy".into(), "confirmed".into()),
            ("iam:UpdateAccessKey".into(), "confirmed".into()),
            ("iam:DeleteLoginProfile".into(), "confirmed".into()),
        ]
    );
    // The second run changed nothing, and CloudTrail shows no change.
    assert!(steps(&runs[1]).iter().all(|(_, c)| c == "nothing-expected"));
    assert!(runs
        .iter()
        .all(|r| r["unreported_event_ids"] == serde_json::json!([])));
    let inc = incident();
    let kinds: Vec<&str> = inc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        !kinds.iter().any(|k| k.starts_with("killswitch_")),
        "{kinds:?}"
    );
}

#[test]
fn findings_a_responder_must_see() {
    let inc = incident();
    let findings = inc["findings"].as_array().unwrap();
    let of = |kind: &str| {
        findings
            .iter()
            .filter(|f| f["kind"] == kind)
            .collect::<Vec<_>>()
    };
    let after = of("success_after_containment");
    assert_eq!(after.len(), 1);
    assert_eq!(
        after[0]["event_ids"],
        serde_json::json!(["f1274bbc-977e-4f9f-a47d-eb56a6664e70"])
    );
    assert_eq!(after[0]["severity"], "high");
    let session = of("uncovered_session");
    assert_eq!(session.len(), 1);
    let ids = session[0]["event_ids"].as_array().unwrap();
    for id in [
        "2518d29e-ee63-4c07-95f3-410e62aea7a0",
        "351cbd41-51c8-4692-9612-d92e69d09a13",
        "6549dea5-26d7-4f75-ae9c-f56cdb6d268a",
    ] {
        assert!(ids.iter().any(|x| x == id), "session use {id} cited");
    }
    // DeleteLoginProfile found no console password: reported, but not as a failure.
    let failed = of("containment_step_failed");
    assert_eq!(
        (failed.len(), failed[0]["severity"].as_str()),
        (1, Some("info"))
    );
    assert!(of("no_containment").is_empty() && of("access_without_alarm").is_empty());
}

#[test]
fn the_timeline_holds_what_matters_in_order_without_duplicates() {
    let doc = timeline("json").json();
    let rows = doc["timeline"].as_array().unwrap();
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["event_id"].as_str().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        ids.len(),
        "no row twice (the read was delivered twice and is in LookupEvents)"
    );
    let times: Vec<&str> = rows.iter().map(|r| r["time"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "sorted by time");
    let kind = |id: &str| {
        rows.iter()
            .find(|r| r["event_id"] == id)
            .map(|r| r["kind"].as_str().unwrap().to_string())
    };
    assert_eq!(
        kind("5ad7fe16-471c-489f-908c-61b0d4864cbb").as_deref(),
        Some("honeytoken_access")
    );
    assert_eq!(
        kind("91229c3a-309d-46cd-b37b-0d4ff185f9f9").as_deref(),
        Some("containment")
    );
    assert_eq!(
        kind("84bc753b-a0e6-4117-a204-c029afb502dc").as_deref(),
        Some("actor_denied")
    );
    assert_eq!(
        kind("6d0f53a2-5223-444b-adaa-24de7e743f20").as_deref(),
        Some("credential_issued")
    );
    assert!(rows
        .iter()
        .any(|r| r["kind"] == "alarm" && r["outcome"] == "OK -> ALARM"));
    assert!(rows.iter().any(|r| r["kind"] == "rule_triggered"));
    // Background noise (orders-api reading its own secret, CI, alice) is not in the incident view.
    assert!(!rows
        .iter()
        .any(|r| r["actor"].as_str().unwrap().contains("orders-api")));
    // Secrets never leave the tool: every session token in the records is redacted.
    let text = timeline("json").text();
    let tokens: Vec<&str> = text
        .match_indices("\"sessionToken\": ")
        .map(|(i, _)| &text[i..i + 40])
        .collect();
    assert!(
        !tokens.is_empty(),
        "the sample's AssumeRole responses carry session tokens"
    );
    assert!(
        tokens.iter().all(|t| t.contains("[REDACTED]")),
        "{tokens:?}"
    );
}

#[test]
fn golden_json_and_determinism() {
    let first = timeline("json").stdout;
    let second = timeline("json").stdout;
    assert_eq!(first, second, "same inputs, same bytes");
    let golden = repo().join(GOLDEN);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &first).unwrap();
    }
    let expected = std::fs::read(&golden).expect("golden file (UPDATE_GOLDEN=1 to create)");
    assert!(first == expected, "output differs from {GOLDEN}; if intended, regenerate with UPDATE_GOLDEN=1 and review the diff");
}

#[test]
fn the_output_follows_the_published_schema() {
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    let doc = timeline("json").json();
    let violations = schema_violations(&schema, &doc);
    assert!(violations.is_empty(), "{violations:#?}");
    assert_eq!(doc["schema_version"], 4);
    // The validator itself catches a broken document.
    let mut broken = doc.clone();
    broken["incidents"][0]["milestones"]
        .as_object_mut()
        .unwrap()
        .remove("first_access");
    broken["timeline"][0]["kind"] = "made_up".into();
    assert_eq!(schema_violations(&schema, &broken).len(), 2);
}

#[test]
fn csv_jsonl_and_timesketch_carry_the_same_rows() {
    let json_rows = timeline("json").json()["timeline"]
        .as_array()
        .unwrap()
        .len();
    let csv = timeline("csv").text();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "time");
    assert!(headers.iter().any(|h| h == "event_id") && headers.iter().any(|h| h == "outcome"));
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), json_rows);

    let jsonl = timeline("jsonl").text();
    assert_eq!(jsonl.lines().count(), json_rows);
    for line in jsonl.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["time"].is_string() && v["kind"].is_string());
    }

    let ts = timeline("timesketch").text();
    assert_eq!(ts.lines().count(), json_rows);
    for line in ts.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        for key in ["message", "datetime", "timestamp", "timestamp_desc"] {
            assert!(!v[key].is_null(), "timesketch needs {key}: {line}");
        }
        assert!(
            v["timestamp"].as_i64().unwrap() > 1_700_000_000_000_000,
            "microseconds"
        );
    }
}

#[test]
fn all_streams_every_record_once() {
    let run = trailcase(["timeline", "--quiet", "--all", "--format", "jsonl", CASE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<Value> = run
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let field = |name: &str| -> Vec<String> {
        rows.iter()
            .map(|r| r[name].as_str().unwrap().to_string())
            .collect()
    };
    let ids = field("event_id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicates dropped");
    // In time order across every input, as responders sort a super-timeline.
    let times = field("time");
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "not in time order");
    assert_ne!(times.first(), times.last());
    // 2,468 trail records plus 82 LookupEvents items, of which every one is also in a trail file,
    // and one read delivered twice; besides them, the timeline's alarm history items, rule
    // metric minutes and kill-switch results (tests/it/all_incidents.rs).
    let not_records = ["alarm", "rule_triggered", "killswitch_result"];
    let is_record = |r: &Value| !not_records.contains(&r["kind"].as_str().unwrap());
    let records = rows.iter().filter(|r| is_record(r)).count();
    assert_eq!(records, 2468 - 1);

    // The JSON form is one document with the records and a summary after them (its own
    // schema, still at 2: the case document's honeytokens are not in it).
    let json = trailcase(["timeline", "--quiet", "--all", "--format", "json", CASE]);
    let doc = json.json();
    assert_eq!(doc["schema_version"], 2);
    assert_eq!(doc["records"].as_array().unwrap().len(), ids.len());
    assert_eq!(doc["summary"]["records_read"], 2550);
    assert_eq!(doc["summary"]["duplicates_dropped"], 2550 - records);
}
