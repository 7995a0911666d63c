//! An account with a thousand metric filters on `GetSecretValue`, rules that all miss the
//! honeytoken's ARN and a posture run with a hundred checks: the replay keeps every flow but a
//! bounded number of examples, one finding stands for many flows with the same finding, a flow
//! whose alarm cannot be replayed does not claim how often it would page, and the report prints
//! the ends of the long tables with every row attached.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

const FILTERS: usize = 1_100;
const RULES: usize = 8;
const POSTURE_PASS: usize = 70;
const POSTURE_FAIL: usize = 30;
const ACCESS: &str = "5ad7fe16-471c-489f-908c-61b0d4864cbb";

/// The sample case and, beside it in `dir/account`, the large account's evidence: the two
/// inputs, as paths.
fn sample_and_account(dir: &Path) -> [String; 2] {
    let extra = dir.join("account");
    std::fs::create_dir_all(&extra).unwrap();
    large_account(&extra);
    let sample = repo().join("samples/incident-01");
    [sample, extra].map(|p| p.to_str().unwrap().to_string())
}

/// The extra evidence read beside the sample case.
fn large_account(dir: &Path) {
    let filters: Vec<Value> = (0..FILTERS)
        .map(|n| {
            json!({"filterName": format!("SecretRead-{n:04}"),
                   "filterPattern": "{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") }",
                   "metricTransformations": [{"metricName": format!("SecretRead{n}"),
                       "metricNamespace": "Team", "metricValue": "1"}],
                   "logGroupName": "aws-cloudtrail-logs-123456789012-honeytoken"})
        })
        .collect();
    let wrong_arn = json!({"source": ["aws.secretsmanager"], "detail": {
        "eventName": ["GetSecretValue"],
        "requestParameters": {"secretId": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:Production_Database_Credentials-Wrong1"]}}});
    let rules: Vec<Value> = (0..RULES)
        .map(|n| {
            json!({"Name": format!("TeamRule-{n}"),
                   "Arn": format!("arn:aws:events:us-east-1:123456789012:rule/TeamRule-{n}"),
                   "EventPattern": wrong_arn.to_string(), "State": "ENABLED", "EventBusName": "default"})
        })
        .collect();
    let mut posture = read_json(&repo().join("samples/incident-01/posture/posture.json"));
    posture["checked_at"] = json!("2026-11-22T09:00:00Z");
    let checks = posture["checks"].as_array_mut().unwrap();
    checks.clear();
    for n in 0..POSTURE_PASS {
        checks.push(
            json!({"region": format!("r-{}", n % 7), "id": format!("extra.check-{}", n % 14),
                           "status": "PASS", "reason": format!("pass {n}")}),
        );
    }
    for n in 0..POSTURE_FAIL {
        checks.push(json!({"region": format!("r-{n}"), "id": "trail.logging",
                           "status": "FAIL", "reason": format!("fail {n}: not logging")}));
    }
    posture["pass"] = json!(POSTURE_PASS);
    posture["fail"] = json!(POSTURE_FAIL);
    for (name, v) in [
        ("metric-filters.json", json!({ "metricFilters": filters })),
        ("rules.json", json!({ "Rules": rules })),
        ("posture.json", posture),
    ] {
        std::fs::write(dir.join(name), serde_json::to_vec(&v).unwrap()).unwrap();
    }
}

fn flows<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    doc["replay"]["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["flow"] == kind)
        .collect()
}

fn findings<'a>(list: &'a Value, kind: &str) -> Vec<&'a Value> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .collect()
}

#[test]
fn a_thousand_filters_are_replayed_each_with_bounded_examples_and_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let args = sample_and_account(dir.path());
    let run = trailcase(["timeline", "--quiet", &args[0], &args[1]]);
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    let bad = schema_violations(&schema, &doc);
    assert!(
        bad.is_empty(),
        "{} violations: {:?}",
        bad.len(),
        &bad[..bad.len().min(3)]
    );

    // Every flow is replayed; each keeps the earliest examples, fewer than with a few rules.
    let f1 = flows(&doc, "metric_filter");
    assert_eq!(
        f1.len(),
        FILTERS + 1,
        "the sample's own filter and the account's"
    );
    let cap = doc["replay"]["max_examples"].as_u64().unwrap();
    assert_eq!(cap, 10, "10,000 examples for 1,109 rules, at least 10 each");
    let team: Vec<&&Value> = f1
        .iter()
        .filter(|f| f["resource"].as_str().unwrap().starts_with("SecretRead-"))
        .collect();
    for f in &team {
        assert_eq!(
            f["matched_accesses"].as_array().unwrap().len(),
            2,
            "{}",
            f["resource"]
        );
        assert_eq!(f["noise_count"], 80, "the sample's orders-api reads");
        assert_eq!(f["noise_examples"].as_array().unwrap().len(), 10);
        // No alarm is on these metrics: how often the flow would page is not known.
        assert_eq!(f["predicted_pages"], Value::Null, "{}", f["resource"]);
        assert_eq!(
            f["error"],
            "no alarm on the filter's metric in the evidence"
        );
    }
    let times: Vec<&str> = team[0]["noise_examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["time"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "the earliest examples, in time order");

    // One noise finding for the filters, not 1,100; it does not claim a number of pages.
    let noise = findings(&doc["findings"], "flow_noise");
    let filters_noise: Vec<&&Value> = noise
        .iter()
        .filter(|f| f["summary"].as_str().unwrap().contains("metric filter"))
        .collect();
    assert_eq!(filters_noise.len(), 1, "{noise:#?}");
    let summary = filters_noise[0]["summary"].as_str().unwrap();
    assert!(
        summary.starts_with(&format!("{FILTERS} flow-1 metric filters also match events that are not honeytoken accesses (80 each)")),
        "{summary}"
    );
    assert!(
        summary.contains("SecretRead-0000, SecretRead-0001"),
        "{summary}"
    );
    assert!(!summary.contains("0 ALARM transition"), "{summary}");
    assert!(!filters_noise[0]["event_ids"].as_array().unwrap().is_empty());

    // The eight rules miss the access: one finding for them on the incident.
    // (The sample's own rule is judged apart: its finding names it, not the team's rules.)
    let missed: Vec<&Value> = findings(&doc["incidents"][0]["findings"], "access_missed_by_flow")
        .into_iter()
        .filter(|f| f["summary"].as_str().unwrap().contains("TeamRule"))
        .collect();
    assert_eq!(missed.len(), 1, "{missed:#?}");
    let summary = missed[0]["summary"].as_str().unwrap();
    assert!(
        summary.starts_with(&format!("{RULES} flow-2 EventBridge rules do not match some of this incident's honeytoken accesses ({RULES} of them match none")),
        "{summary}"
    );
    assert!(summary.contains("TeamRule-0, TeamRule-1"), "{summary}");
    assert_eq!(missed[0]["severity"], "high");
    assert!(missed[0]["event_ids"]
        .as_array()
        .unwrap()
        .contains(&json!(ACCESS)));

    // The defaultValue assumption names a few filters and counts the rest.
    let assumptions = doc["replay"]["assumptions"].as_array().unwrap();
    assert!(assumptions.len() < 10, "{assumptions:#?}");
    assert!(assumptions
        .iter()
        .any(|a| a.as_str().unwrap().contains(&format!(
            "and {} more filters): the filters have no defaultValue",
            FILTERS - 5
        ))));
}

#[test]
fn the_report_prints_the_ends_of_the_flows_and_of_the_posture_checks_and_attaches_all() {
    let dir = tempfile::tempdir().unwrap();
    let args = sample_and_account(dir.path());
    let pdf = dir.path().join("account.pdf");
    let run = report_pdf(&pdf, &[&args[0], &args[1]]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    let flows = FILTERS + 1 + RULES + 1;
    assert!(
        text.contains(&format!("[{} flows not printed]", flows - 40)),
        "{text}"
    );
    assert!(text.contains("NOT REPLAYED: no alarm on the filter's metric"));
    assert!(!text.contains("SecretRead-0500"), "a flow from the middle");
    let files = pdf_attachments(&pdf, &dir.path().join("attached"));
    let csv = std::fs::read_to_string(files.join("replay-flows.csv")).unwrap();
    assert_eq!(csv.lines().count(), flows + 1, "a header and every flow");
    assert!(csv.contains("SecretRead-0500"));
    assert!(
        csv.lines()
            .any(|l| l.contains("SecretRead-0500") && l.trim_end().ends_with(r#""80","unknown""#)),
        "{csv}"
    );

    // The posture checks that failed are printed, those that passed summed up, all attached.
    assert!(text.contains(&format!("The {POSTURE_FAIL} checks that did not pass")));
    assert!(text.contains("fail 29: not logging"));
    assert!(!text.contains("pass 69"), "a passing check is not printed");
    assert!(text.contains("extra.check-0: 5"), "{text}");
    let csv = std::fs::read_to_string(files.join("posture-checks.csv")).unwrap();
    assert_eq!(csv.lines().count(), POSTURE_PASS + POSTURE_FAIL + 1);
    assert!(csv.contains("pass 69"));
    let pages = tool("pdfinfo", &[pdf.to_str().unwrap()]).1;
    let pages: usize = pages
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages < 60, "{pages} pages");
}

/// An actor's loop of reads times a thousand filters: each flow lists a bounded number of its
/// accesses, the missed ones first, and counts them all.
#[test]
fn a_loop_of_reads_times_a_thousand_flows_lists_a_bounded_number_of_accesses() {
    const LOOP: usize = 30;
    let dir = tempfile::tempdir().unwrap();
    let args = sample_and_account(dir.path());
    let trail = read_loop(dir.path(), LOOP);
    let run = trailcase([
        "timeline",
        "--quiet",
        &args[0],
        &args[1],
        trail.to_str().unwrap(),
    ]);
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
    let cap = doc["replay"]["max_access_rows"].as_u64().unwrap();
    assert_eq!(cap, 18, "20,000 rows for 1,109 rules");
    let total = (LOOP + 2) as u64;
    let listed = |f: &Value, list: &str| f[list].as_array().unwrap().len() as u64;
    let team = flows(&doc, "metric_filter")
        .into_iter()
        .find(|f| f["resource"] == "SecretRead-0000")
        .unwrap();
    assert_eq!(team["accesses_total"], total);
    assert_eq!(team["matched_total"], total);
    assert_eq!(team["missed_total"], 0);
    assert_eq!(listed(team, "accesses"), cap);
    assert_eq!(listed(team, "matched_accesses"), cap);
    // A rule that misses every access lists the missed ones; one that misses some lists those
    // first.
    let rule = flows(&doc, "event_rule")
        .into_iter()
        .find(|f| f["resource"] == "TeamRule-0")
        .unwrap();
    assert_eq!(rule["missed_total"], total);
    assert_eq!(listed(rule, "missed_accesses"), cap);
    let times: Vec<&str> = rule["accesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["time"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "in time order");
    // The findings were made from every access: the rules' misses count them all.
    let inc = &doc["incidents"][0];
    let missed: Vec<&Value> = inc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "access_missed_by_flow")
        .collect();
    assert!(!missed.is_empty(), "{:#}", inc["findings"]);
    let cited: usize = missed
        .iter()
        .map(|f| f["event_ids"].as_array().unwrap().len())
        .max()
        .unwrap();
    assert_eq!(
        cited as u64, total,
        "every missed access cited: {missed:#?}"
    );
}

/// A trail file of `n` refused honeytoken reads by the sample's svc-reporting, one a second
/// from 14:20, in `dir/loop`.
fn read_loop(dir: &Path, n: usize) -> std::path::PathBuf {
    let reads: Vec<Value> = (0..n)
        .map(|i| {
            json!({"eventVersion": "1.09",
                   "eventTime": format!("2026-11-20T14:{:02}:{:02}Z", 20 + i / 60 % 30, i % 60),
                   "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
                   "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.45",
                   "userAgent": "aws-cli/2.15.30", "eventID": format!("loop-{i:05}"),
                   "readOnly": true, "eventType": "AwsApiCall", "recipientAccountId": "123456789012",
                   "requestParameters": {"secretId": "Production_Database_Credentials"},
                   "errorCode": "AccessDenied",
                   "userIdentity": {"type": "IAMUser", "principalId": "AIDA4EXAMPLESVCREPT7Q",
                       "arn": "arn:aws:iam::123456789012:user/svc-reporting",
                       "accountId": "123456789012", "accessKeyId": "AKIA4EXAMPLESVCREPT7Q",
                       "userName": "svc-reporting"}})
        })
        .collect();
    let trail = dir.join("loop/123456789012_CloudTrail_us-east-1_20261120T1425Z_readLoop.json.gz");
    std::fs::create_dir_all(trail.parent().unwrap()).unwrap();
    std::fs::write(
        &trail,
        crate::common::gzip(json!({ "Records": reads }).to_string().as_bytes()),
    )
    .unwrap();
    trail
}

/// A loop of 10,000 reads times a hundred filters: the replay keeps each flow's bounded rows,
/// not a row per read and flow while it judges them (that took 443 MiB here, 783 MiB for
/// 20,000 reads in a release build).
#[cfg(target_os = "linux")]
#[test]
fn a_loop_of_reads_times_a_hundred_flows_is_judged_in_bounded_memory() {
    const LOOP: usize = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let account = dir.path().join("account");
    std::fs::create_dir_all(&account).unwrap();
    let filters: Vec<Value> = (0..100)
        .map(|n| {
            json!({"filterName": format!("SecretRead-{n:04}"),
                   "filterPattern": "{ ($.eventName = \"GetSecretValue\") }",
                   "metricTransformations": [{"metricName": format!("SecretRead{n}"),
                       "metricNamespace": "Team", "metricValue": "1"}],
                   "logGroupName": "aws-cloudtrail-logs-123456789012-honeytoken"})
        })
        .collect();
    std::fs::write(
        account.join("metric-filters.json"),
        json!({ "metricFilters": filters }).to_string(),
    )
    .unwrap();
    let trail = read_loop(dir.path(), LOOP);
    let out = dir.path().join("timeline.json");
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_trailcase"));
    c.arg("timeline").arg("--quiet");
    c.args([repo().join("samples/incident-01"), account, trail]);
    c.arg("--out").arg(&out);
    let (code, peak) = crate::common::run_measured(c);
    eprintln!(
        "the replay of {LOOP} reads times 101 filters peaked at {} MiB",
        peak >> 20
    );
    assert!(code.is_some_and(|c| c <= 1), "exit {code:?}");
    let doc = read_json(&out);
    let cap = doc["replay"]["max_access_rows"].as_u64().unwrap();
    let team = flows(&doc, "metric_filter");
    assert_eq!(team.len(), 101);
    for f in team {
        assert_eq!(f["accesses_total"], (LOOP + 2) as u64, "{}", f["resource"]);
        assert_eq!(f["accesses"].as_array().unwrap().len() as u64, cap);
    }
    assert!(
        peak < 250 << 20,
        "peak resident size {} MiB: the replay held its rows for every read and flow",
        peak >> 20
    );
}
