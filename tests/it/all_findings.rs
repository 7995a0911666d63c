//! `timeline --all` states the findings `timeline` states. It wrote none: its rows carried the
//! incidents, but a stopped trail, a deleted detection alarm, a changed decoy, an S3 decoy whose
//! reads no record could show, two different records under one eventID... were in `timeline`'s
//! `findings` only, and `--all`'s summary looked complete without them. Its JSON now has them
//! under `summary.findings` (the case's) and `summary.incidents` (each incident's), the same
//! findings on the same records; the row formats carry none, and stderr says so.

use crate::support::*;
use serde_json::{json, Value};
use std::path::Path;

/// A CloudTrail record of `user`'s in account 111122223333, its eventID ending in `n`.
fn record(n: u32, time: &str, user: &str, (source, name): (&str, &str), request: Value) -> Value {
    json!({
        "eventVersion": "1.09", "eventTime": format!("2026-03-10T{time}Z"),
        "eventID": format!("00000000-0000-4000-8000-{n:012}"),
        "eventSource": source, "eventName": name, "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.17.0",
        "requestParameters": request, "responseElements": null,
        "eventType": "AwsApiCall", "recipientAccountId": "111122223333",
        "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::111122223333:user/{user}"),
                         "accountId": "111122223333",
                         "accessKeyId": format!("AKIAEXAMPLE{:0>9}", user.to_uppercase())}
    })
}

/// A case whose records give most kinds of case finding and an incident: the decoy secret's
/// value put, another trail stopped, the configured detection alarm deleted, an EventBridge
/// rule of unknown membership deleted, the decoy read (by mallory), another secret read (the
/// collected metric filter matches it: noise), an S3 decoy with no S3 data event, and a second
/// file holding a different record under the eventID of mallory's `GetCallerIdentity`.
fn case(dir: &Path) {
    let secrets = "secretsmanager.amazonaws.com";
    let decoy = json!({"secretId": "Production_Database_Credentials"});
    let records = [
        record(
            1,
            "09:00:00",
            "ops",
            (secrets, "PutSecretValue"),
            decoy.clone(),
        ),
        record(
            2,
            "09:10:00",
            "ops",
            ("cloudtrail.amazonaws.com", "StopLogging"),
            json!({"name": "arn:aws:cloudtrail:us-east-1:111122223333:trail/other-trail"}),
        ),
        record(
            3,
            "09:30:00",
            "ops",
            ("monitoring.amazonaws.com", "DeleteAlarms"),
            json!({"alarmNames": ["HoneytokenAlarm"]}),
        ),
        record(
            4,
            "09:40:00",
            "app",
            (secrets, "GetSecretValue"),
            json!({"secretId": "orders-db"}),
        ),
        record(
            5,
            "09:50:00",
            "ops",
            ("events.amazonaws.com", "DeleteRule"),
            json!({"name": "nightly-report"}),
        ),
        record(6, "10:00:00", "mallory", (secrets, "GetSecretValue"), decoy),
        record(
            7,
            "10:01:00",
            "mallory",
            ("sts.amazonaws.com", "GetCallerIdentity"),
            json!({}),
        ),
    ];
    let mut records = records;
    for mallory in &mut records[5..] {
        mallory["sourceIPAddress"] = json!("203.0.113.9");
    }
    let mut other = records[6].clone();
    other["sourceIPAddress"] = json!("192.0.2.99");
    let write = |name: &str, v: Value| std::fs::write(dir.join(name), v.to_string()).unwrap();
    write("trail-a.json", json!({ "Records": records }));
    write("trail-b.json", json!({ "Records": [other] }));
    write(
        "metric-filters.json",
        json!({"metricFilters": [{
            "filterName": "SecretReads", "logGroupName": "trail-logs",
            "filterPattern": "{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") }",
            "metricTransformations": [{"metricName": "SecretReads", "metricNamespace": "Honeytoken", "metricValue": "1"}]
        }]}),
    );
    std::fs::write(
        dir.join("trailcase.toml"),
        "[[honeytoken]]\nkind = \"secret\"\npattern = \"Production_Database_Credentials\"\n\n\
         [[honeytoken]]\nkind = \"s3\"\npattern = \"decoy-bucket/backup.txt\"\n\n\
         [detection]\nalarms = [\"HoneytokenAlarm\"]\n",
    )
    .unwrap();
}

fn kinds(findings: &Value) -> Vec<&str> {
    let list = findings.as_array().expect("a list of findings");
    list.iter().map(|f| f["kind"].as_str().unwrap()).collect()
}

#[test]
fn all_states_the_findings_timeline_states() {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path());
    let evidence = dir.path().to_str().unwrap();
    let timeline = trailcase(["timeline", "--quiet", evidence]);
    assert_eq!(timeline.code, 0, "{}", timeline.stderr);
    let timeline = timeline.json();
    let all = trailcase(["timeline", "--quiet", "--all", "--format", "json", evidence]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    let all = all.json();

    // The records give what they should in `timeline`.
    assert_eq!(
        kinds(&timeline["findings"]),
        [
            "conflicting_copies",
            "pipeline_tampering",
            "logging_reduced",
            "monitoring_change",
            "evidence_gaps",
            "honeytoken_changed",
            "flow_noise",
            "reads_not_examined"
        ],
        "{:#}",
        timeline["findings"]
    );
    assert_eq!(timeline["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(
        kinds(&timeline["incidents"][0]["findings"]),
        ["no_containment"]
    );

    // And `--all` states the same findings, word for word, in the same order.
    assert_eq!(
        all["summary"]["findings"], timeline["findings"],
        "{:#}",
        all["summary"]
    );
    let incidents = |doc: &Value| -> Vec<Value> {
        doc.as_array()
            .unwrap()
            .iter()
            .map(|i| json!({"id": i["id"], "findings": i["findings"]}))
            .collect()
    };
    assert_eq!(
        incidents(&all["summary"]["incidents"]),
        incidents(&timeline["incidents"])
    );
}

#[test]
fn the_row_formats_of_all_say_on_stderr_that_they_carry_no_finding() {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path());
    let evidence = dir.path().to_str().unwrap();
    for format in ["csv", "jsonl", "timesketch"] {
        let run = trailcase(["timeline", "--all", "--format", format, evidence]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains("trailcase: 9 finding(s), not in these rows (the row formats carry none): conflicting_copies (1), evidence_gaps (1), flow_noise (1), honeytoken_changed (1), logging_reduced (1), monitoring_change (1), no_containment (1), pipeline_tampering (1), reads_not_examined (1); `--format json` has them under `summary.findings` and `summary.incidents`"),
            "{format}: {}",
            run.stderr
        );
        assert!(!run.text().contains("summary"), "{format}");
    }
    // JSON carries them: nothing to say.
    let run = trailcase(["timeline", "--all", "--format", "json", evidence]);
    assert!(!run.stderr.contains("finding(s)"), "{}", run.stderr);
}

/// `timeline`'s row formats (without `--all`) carry no finding either, and said nothing of
/// them: a responder exporting CSV never learnt of a stopped trail or a changed decoy. Stderr
/// now names how many there are, of which kinds (the same as the JSON's `findings` and each
/// incident's), and where `--format json` has them.
#[test]
fn the_row_formats_of_timeline_say_on_stderr_that_they_carry_no_finding() {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path());
    let evidence = dir.path().to_str().unwrap();
    let json = trailcase(["timeline", "--quiet", evidence]).json();
    let mut counted: std::collections::BTreeMap<&str, usize> = Default::default();
    let incident_findings = json["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["findings"].as_array().unwrap());
    for f in json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .chain(incident_findings)
    {
        *counted.entry(f["kind"].as_str().unwrap()).or_default() += 1;
    }
    let total: usize = counted.values().sum();
    assert!(counted.contains_key("logging_reduced"), "{counted:?}");
    let kinds: Vec<String> = counted.iter().map(|(k, n)| format!("{k} ({n})")).collect();
    let line = format!(
        "trailcase: {total} finding(s), not in these rows (the row formats carry none): {}; `--format json` has them under `findings` (the case's) and `incidents` (each incident's)",
        kinds.join(", ")
    );
    for format in ["csv", "jsonl", "timesketch"] {
        let run = trailcase(["timeline", "--format", format, evidence]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.contains(&line), "{format}: {}", run.stderr);
    }
    let quiet = trailcase(["timeline", "--quiet", "--format", "csv", evidence]);
    assert!(!quiet.stderr.contains("finding(s)"), "{}", quiet.stderr);
    let run = trailcase(["timeline", "--format", "json", evidence]);
    assert!(!run.stderr.contains("finding(s)"), "{}", run.stderr);
}
