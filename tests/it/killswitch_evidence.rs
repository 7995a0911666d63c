//! The kill-switch's published result as evidence: read in every form a responder has it (the
//! bare document, an SNS notification, a Lambda SNS event, a CloudWatch Logs export and a
//! subscription envelope of its log group), tied to the incident, each step cross-checked with
//! the kill-switch's CloudTrail calls, and a failed step, a partial decision, a dry run or a
//! disagreement with CloudTrail become findings. Bad results are gaps that name file, record and
//! reason. A hand-written posture result among the inputs reaches the JSON and the report model.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;
use trailcase::config::Config;
use trailcase::model::FindingKind;
use trailcase::report::content::IntegrityStatement;
use trailcase::report::{Block, NodeStatus};

const KS_ARN: &str =
    "arn:aws:sts::123456789012:assumed-role/HoneytokenKillSwitchRole/HoneytokenKillSwitch";
const BOB: &str = "arn:aws:iam::123456789012:user/bob";
const BOB_KEY: &str = "AKIAEXAMPLEBOBKEY001";

fn ks_identity() -> Value {
    json!({"type": "AssumedRole", "arn": KS_ARN, "accountId": "123456789012",
           "principalId": "AROAEXAMPLEKS:HoneytokenKillSwitch", "accessKeyId": "ASIAEXAMPLEKS0001",
           "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::123456789012:role/HoneytokenKillSwitchRole",
                                                "userName": "HoneytokenKillSwitchRole"}}})
}

fn call(
    id: &str,
    time: &str,
    source: &str,
    name: &str,
    who: Value,
    req: Value,
    error: Option<&str>,
) -> Value {
    let mut r = json!({"eventVersion": "1.10", "eventTime": time, "eventID": id, "eventSource": source,
        "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.9", "userAgent": "test",
        "userIdentity": who, "requestParameters": req, "readOnly": false, "eventType": "AwsApiCall"});
    if let Some(e) = error {
        r["errorCode"] = json!(e);
        r["errorMessage"] = json!("refused");
    }
    r
}

fn trail() -> Value {
    let bob = json!({"type": "IAMUser", "arn": BOB, "accountId": "123456789012", "userName": "bob",
                     "principalId": "AIDAEXAMPLEBOB", "accessKeyId": BOB_KEY});
    json!({"Records": [
        call("read-1", "2026-11-20T14:02:17Z", "secretsmanager.amazonaws.com", "GetSecretValue", bob,
             json!({"secretId": "Production_Database_Credentials"}), None),
        call("ks-put", "2026-11-20T14:02:46Z", "iam.amazonaws.com", "PutUserPolicy", ks_identity(),
             json!({"userName": "bob", "policyName": "HoneytokenDenyAll", "policyDocument": "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}), None),
        call("ks-login", "2026-11-20T14:02:48Z", "iam.amazonaws.com", "DeleteLoginProfile", ks_identity(),
             json!({"userName": "bob"}), Some("AccessDenied")),
        call("ks-attach", "2026-11-20T14:02:49Z", "iam.amazonaws.com", "AttachUserPolicy", ks_identity(),
             json!({"userName": "bob", "policyArn": "arn:aws:iam::aws:policy/AWSDenyAll"}), None),
    ]})
}

fn result(at: &str, dry_run: bool, decision: &str, steps: Value) -> Value {
    json!({"schema_version": 1, "tool": "trailcase-killswitch", "tool_version": "0.1.0", "at": at,
           "dry_run": dry_run, "decision": decision, "summary": format!("{BOB} {decision}"),
           "trigger": {"event_id": "read-1", "event_time": "2026-11-20T14:02:17Z", "event_source": "secretsmanager.amazonaws.com",
                       "event_name": "GetSecretValue", "aws_region": "us-east-1", "source_ip_address": "203.0.113.9",
                       "user_agent": "test", "secret_id": "Production_Database_Credentials", "access_key_id": BOB_KEY},
           "caller": {"type": "iam-user", "arn": BOB, "user_name": "bob"},
           "steps": steps})
}

fn step(action: &str, target: &str, outcome: &str) -> Value {
    json!({"action": action, "target": target, "outcome": outcome, "detail": format!("{action} {outcome}")})
}

/// Contained only in part: the deny is in CloudTrail, the key step is not, the login step
/// failed as CloudTrail shows; CloudTrail also has an AttachUserPolicy no step reports.
fn partial() -> Value {
    result(
        "2026-11-20T14:02:45Z",
        false,
        "partially-contained",
        json!([
            step("iam:PutUserPolicy", "bob", "done"),
            step("iam:UpdateAccessKey", BOB_KEY, "done"),
            step("iam:DeleteLoginProfile", "bob", "failed"),
        ]),
    )
}

fn sns(message: &Value, id: &str) -> Value {
    json!({"Type": "Notification", "MessageId": id, "TopicArn": "arn:aws:sns:us-east-1:123456789012:results",
           "Subject": "Honeytoken kill-switch", "Message": serde_json::to_string_pretty(message).unwrap(),
           "Timestamp": "2026-11-20T14:02:50.100Z"})
}

fn write(dir: &Path, name: &str, v: &Value) {
    std::fs::write(dir.join(name), serde_json::to_vec_pretty(v).unwrap()).unwrap();
}

fn timeline(dir: &Path) -> Run {
    trailcase([
        "timeline",
        "--quiet",
        "--format",
        "json",
        dir.to_str().unwrap(),
    ])
}

#[test]
fn every_delivery_is_read_once_and_each_step_is_cross_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "trail.json", &trail());
    write(d, "sns-notification.json", &sns(&partial(), "m-1"));
    // The same result in the function's log: an S3 export and a subscription envelope.
    let line = partial().to_string();
    std::fs::write(
        d.join("log-export.txt"),
        format!("2026-11-20T14:02:45.000Z START RequestId: 1 Version: $LATEST\n2026-11-20T14:02:50.000Z {line}\n2026-11-20T14:02:50.100Z END RequestId: 1\n"),
    )
    .unwrap();
    write(
        d,
        "subscription.json",
        &json!({"messageType": "DATA_MESSAGE", "logGroup": "/aws/lambda/HoneytokenKillSwitch",
        "logEvents": [{"id": "1", "timestamp": 1795615365000u64, "message": "START RequestId: 1 Version: $LATEST"},
                      {"id": "2", "timestamp": 1795615370000u64, "message": line}]}),
    );
    let run = timeline(d);
    let doc = run.json();
    assert_eq!(run.code, 0, "{:#}", doc["gaps"]);
    assert!(
        doc["gaps"].as_array().unwrap().is_empty(),
        "{:#}",
        doc["gaps"]
    );
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());

    let runs = doc["killswitch"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "one run, however many copies: {runs:#?}");
    let r = &runs[0];
    assert_eq!(r["decision"], "partially-contained");
    assert_eq!(r["incidents"], json!(["INC-001"]));
    assert_eq!(r["also_in"].as_array().unwrap().len(), 2);
    let steps: Vec<(&str, &str, &str)> = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["action"].as_str().unwrap(),
                s["corroboration"].as_str().unwrap(),
                s["event_ids"][0].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("iam:PutUserPolicy", "confirmed", "ks-put"),
            ("iam:UpdateAccessKey", "not-in-cloudtrail", ""),
            ("iam:DeleteLoginProfile", "confirmed", "ks-login"),
        ]
    );
    assert_eq!(r["unreported_event_ids"], json!(["ks-attach"]));

    let row = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "killswitch_result")
        .unwrap();
    assert_eq!(
        (row["time"].as_str(), row["outcome"].as_str()),
        (Some("2026-11-20T14:02:45Z"), Some("partially-contained"))
    );
    assert_eq!(row["incidents"], json!(["INC-001"]));

    let findings = doc["incidents"][0]["findings"].as_array().unwrap();
    let of = |k: &str| {
        findings
            .iter()
            .find(|f| f["kind"] == k)
            .unwrap_or_else(|| panic!("no {k}: {findings:#?}"))
    };
    assert_eq!(of("killswitch_not_contained")["severity"], "high");
    assert!(of("killswitch_step_failed")["summary"]
        .as_str()
        .unwrap()
        .contains("iam:DeleteLoginProfile on bob"));
    let mismatch = of("killswitch_mismatch");
    assert!(mismatch["summary"]
        .as_str()
        .unwrap()
        .contains("iam:UpdateAccessKey"));
    assert!(mismatch["event_ids"]
        .as_array()
        .unwrap()
        .contains(&json!("ks-attach")));
}

#[test]
fn a_dry_run_in_a_lambda_sns_event_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "trail.json", &trail());
    let dry = result(
        "2026-11-20T14:02:45Z",
        true,
        "would-contain",
        json!([step("iam:PutUserPolicy", "bob", "would-do")]),
    );
    write(
        d,
        "lambda-event.json",
        &json!({"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
        "Sns": sns(&dry, "m-2")}]}),
    );
    let doc = timeline(d).json();
    let r = &doc["killswitch"][0];
    assert_eq!(
        (r["via"].as_str(), r["message_id"].as_str()),
        (Some("lambda-sns-event"), Some("m-2"))
    );
    let kind = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with("lambda-event.json"))
        .map(|i| i["kind"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        kind, "killswitch-result-sns",
        "named by what it holds, not by its Records key"
    );
    // CloudTrail shows the deny succeeding, which a dry run cannot have done.
    assert_eq!(r["steps"][0]["corroboration"], "contradicted");
    let kinds: Vec<&str> = doc["incidents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"killswitch_dry_run") && kinds.contains(&"killswitch_mismatch"),
        "{kinds:?}"
    );
}

/// Two runs in the same second (a retried invocation) share a window: the call one of them
/// reports is borne out for it, never listed as unreported by the other, and a call neither
/// reports is listed once.
#[test]
fn runs_in_the_same_second_each_claim_their_own_calls() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "trail.json", &trail());
    let at = "2026-11-20T14:02:45Z";
    let put = result(
        at,
        false,
        "contained",
        json!([step("iam:PutUserPolicy", "bob", "done")]),
    );
    let attach = result(
        at,
        false,
        "contained",
        json!([step("iam:AttachUserPolicy", "bob", "done")]),
    );
    write(d, "sns-put.json", &sns(&put, "m-put"));
    write(d, "sns-attach.json", &sns(&attach, "m-attach"));
    let doc = timeline(d).json();
    let runs = doc["killswitch"].as_array().unwrap();
    let by_step = |action: &str| {
        runs.iter()
            .find(|r| r["steps"][0]["action"] == action)
            .unwrap_or_else(|| panic!("no run with {action}: {runs:#?}"))
    };
    let (p, a) = (
        by_step("iam:PutUserPolicy"),
        by_step("iam:AttachUserPolicy"),
    );
    assert_eq!(p["steps"][0]["event_ids"], json!(["ks-put"]));
    assert_eq!(a["steps"][0]["event_ids"], json!(["ks-attach"]));
    assert_eq!(a["steps"][0]["corroboration"], "confirmed");
    let unreported: Vec<&Value> = runs
        .iter()
        .flat_map(|r| r["unreported_event_ids"].as_array().unwrap())
        .collect();
    assert_eq!(unreported, [&json!("ks-login")], "{runs:#?}");
}
/// An actor's loop of reads triggers a run each: thirty runs that CloudTrail does not bear out
/// give one finding per kind that counts them and cites the first ten, and the report prints
/// the first and last five runs, marks the twenty between and attaches every run and step.
#[test]
fn a_loop_of_runs_is_one_finding_per_kind_and_the_report_prints_its_ends() {
    const RUNS: usize = 30;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "trail.json", &trail());
    let lines: Vec<String> = (0..RUNS)
        .map(|n| {
            let at = format!("2026-11-20T14:10:{n:02}Z");
            let mut r = result(
                &at,
                false,
                "contained",
                json!([step("iam:PutUserPolicy", "bob", "done")]),
            );
            r["trigger"]["event_id"] = json!(format!("loop-read-{n:02}"));
            sns(&r, &format!("m-{n}")).to_string()
        })
        .collect();
    std::fs::write(d.join("results.jsonl"), lines.join("\n")).unwrap();

    let doc = timeline(d).json();
    let runs = doc["killswitch"].as_array().unwrap();
    assert_eq!(runs.len(), RUNS);
    let ids: Vec<&str> = runs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mismatches: Vec<&Value> = doc["incidents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "killswitch_mismatch")
        .collect();
    assert_eq!(mismatches.len(), 1, "{mismatches:#?}");
    let m = mismatches[0];
    assert!(
        m["summary"].as_str().unwrap().starts_with(
            "30 kill-switch runs from 2026-11-20T14:10:00Z to 2026-11-20T14:10:29Z have this finding"
        ),
        "{m:#}"
    );
    let cited: Vec<&str> = m["event_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(cited, ids[..10], "the first ten runs are cited");
    // Its recommendation says what to do, and the finding once, as the reason.
    let reconcile: Vec<&Value> = doc["incidents"][0]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "Reconcile the kill-switch's report with CloudTrail")
        .collect();
    assert_eq!(
        reconcile.len(),
        1,
        "{:#}",
        doc["incidents"][0]["recommendations"]
    );
    assert_eq!(reconcile[0]["reason"], m["summary"]);

    // Beside the evidence, not in it (trailcase refuses to write into its evidence).
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("loop.pdf");
    let run = report_pdf(&pdf, &[d.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("30 runs: the first 5 and the last 5 are printed; every run and step is in the attached killswitch-runs.csv."),
        "{text}"
    );
    assert!(
        text.contains(
            "[20 kill-switch runs not printed] 2026-11-20T14:10:05Z to 2026-11-20T14:10:24Z"
        ),
        "{text}"
    );
    assert!(text.contains("loop-read-04") && text.contains("loop-read-25"));
    assert!(
        !text.contains("loop-read-15"),
        "a run from the middle is not printed"
    );
    let files = pdf_attachments(&pdf, &d.join("attached"));
    let csv = std::fs::read_to_string(files.join("killswitch-runs.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), RUNS, "one row per step: {csv}");
    assert!(rows.iter().any(|r| r.contains("loop-read-15")
        && r.contains("iam:PutUserPolicy")
        && r.contains("not-in-cloudtrail")));
}

#[test]
fn bad_results_are_gaps_naming_file_record_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "trail.json", &trail());
    let mut unknown_version = partial();
    unknown_version["schema_version"] = json!(2);
    write(d, "v2.json", &sns(&unknown_version, "m-3"));
    let mut cut = sns(&partial(), "m-4");
    cut["Message"] = json!(cut["Message"].as_str().unwrap()[..300].to_string());
    write(d, "cut.json", &cut);
    let mut bad_decision = partial();
    bad_decision["decision"] = json!("vanished");
    let good = partial().to_string();
    std::fs::write(
        d.join("export.txt"),
        format!("2026-11-20T14:02:50.000Z {good}\n2026-11-20T14:02:51.000Z {bad_decision}\n"),
    )
    .unwrap();
    let run = timeline(d);
    assert_eq!(run.code, 1, "gaps mean exit 1: {}", run.stderr);
    let doc = run.json();
    let gaps = doc["gaps"].as_array().unwrap();
    let gap = |file: &str| {
        gaps.iter()
            .find(|g| g["path"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no gap for {file}: {gaps:#?}"))
    };
    let v2 = gap("v2.json");
    assert_eq!(v2["index"], 0);
    assert!(
        v2["reason"]
            .as_str()
            .unwrap()
            .contains("unsupported schema_version 2"),
        "{v2}"
    );
    assert!(gap("cut.json")["reason"]
        .as_str()
        .unwrap()
        .contains("kill-switch result: not valid JSON"));
    let bad = gap("export.txt");
    assert_eq!(bad["index"], 1);
    assert!(
        bad["reason"]
            .as_str()
            .unwrap()
            .contains("unknown variant `vanished`"),
        "{bad}"
    );
    // The good line of the same file is still read, and so is the trail.
    assert_eq!(doc["killswitch"].as_array().unwrap().len(), 1);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1);
}

fn posture_doc() -> Value {
    json!({"schema_version": 1, "tool_version": "0.1.0", "checked_at": "2026-11-24T11:00:00Z",
        "honeytoken": "Production_Database_Credentials", "regions": ["us-east-1"], "pass": 2, "fail": 1, "unknown": 1,
        "checks": [
            {"region": "us-east-1", "id": "trail.logging", "status": "PASS", "reason": "the trail is logging"},
            {"region": "us-east-1", "id": "flow1.topic", "status": "FAIL", "reason": "honeytoken-alarm-email has no confirmed subscription"},
            {"region": "us-east-1", "id": "flow2.rule", "status": "PASS", "reason": "rule is ENABLED"},
            {"region": "us-east-1", "id": "flow2.killswitch-role", "status": "UNKNOWN", "reason": "AccessDenied: iam:GetRolePolicy"}]})
}

#[test]
fn a_posture_result_among_the_inputs_reaches_the_json_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "trail.json", &trail());
    std::fs::create_dir(d.join("posture")).unwrap();
    let posture = posture_doc();
    let schema = read_json(&repo().join("schema/posture.schema.json"));
    assert_eq!(schema_violations(&schema, &posture), Vec::<String>::new());
    write(&d.join("posture"), "posture.json", &posture);
    let doc = timeline(d).json();
    let p = &doc["posture"][0];
    assert_eq!(
        (
            p["pass"].as_u64(),
            p["fail"].as_u64(),
            p["unknown"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "posture_check_failed")
        .unwrap();
    assert!(f["summary"].as_str().unwrap().contains(
        "FAIL in us-east-1: The alarm's topic has a confirmed subscriber (flow1.topic): "
    ));

    // The report's pipeline section: each check with its status and reason.
    let disc = trailcase::source::discover(&[d.to_path_buf()]).unwrap();
    let config = Config::default();
    let t =
        trailcase::analyse::analyse(&disc.files, disc.gaps, &config.analysis_settings(), &|_| {});
    assert_eq!(
        t.incidents[0]
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::KillswitchMismatch)
            .count(),
        0
    );
    let report = report_doc(&t, &config, IntegrityStatement::default());
    let start = report
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { text, .. } if text == "Pipeline posture"))
        .unwrap();
    let rows: Vec<Vec<String>> = report.blocks[start..]
        .iter()
        .find_map(|b| match b {
            Block::Table(t) => Some(
                t.rows
                    .iter()
                    .map(|r| r.iter().map(|c| c.text.clone()).collect())
                    .collect(),
            ),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        rows[1],
        [
            "us-east-1",
            "The alarm's topic has a confirmed subscriber\nflow1.topic",
            "FAIL",
            "honeytoken-alarm-email has no confirmed subscription"
        ]
    );
    assert_eq!(rows[3][2], "UNKNOWN");
    let diagram = diagram(&report);
    let sns1 = diagram.nodes.iter().find(|n| n.id == "sns1").unwrap();
    // No alarm configuration in this evidence: the box stays "missing", and names the failed check.
    assert_eq!(sns1.status, NodeStatus::Missing);
    assert!(sns1.lines.contains(
        &"Failed check: The alarm's topic has a confirmed subscriber (flow1.topic)".to_string()
    ));
}
