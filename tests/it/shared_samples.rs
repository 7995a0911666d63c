//! Every CloudTrail file under `tests/data/shared/cloudtrail` is read: the record count of each file
//! stated in SOURCES.md is accounted for (read or rejected with a reason), and only the files
//! that are deliberately invalid or not records are reported as gaps.

use crate::support;

use serde_json::Value;
use std::collections::BTreeMap;
use support::*;

/// `local file` -> stated record count, from the SOURCES.md tables.
fn stated_counts() -> BTreeMap<String, u64> {
    let text = std::fs::read_to_string(shared_data().join("SOURCES.md")).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("| `cloudtrail/")) {
        let file = line.split('`').nth(1).unwrap().to_string();
        if let Some(pos) = line.find(" record(s)") {
            let digits: String = line[..pos]
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let n: u64 = digits.chars().rev().collect::<String>().parse().unwrap();
            out.insert(file, n);
        }
    }
    out
}

fn run_all() -> Value {
    let run = trailcase([
        "timeline",
        "--quiet",
        shared_data().join("cloudtrail").to_str().unwrap(),
    ]);
    assert_eq!(
        run.code, 1,
        "deliberately invalid files make the run incomplete; stderr: {}",
        run.stderr
    );
    run.json()
}

#[test]
fn every_stated_record_is_read_or_rejected_with_a_reason() {
    let doc = run_all();
    let counts = stated_counts();
    assert!(
        counts.len() > 100,
        "SOURCES.md lists {} files with counts",
        counts.len()
    );
    let inputs: BTreeMap<String, &Value> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let p = i["path"].as_str().unwrap();
            (p[p.find("cloudtrail/").unwrap()..].to_string(), i)
        })
        .collect();
    // Known differences, each with its reason; a listed file must still behave as listed.
    let known: BTreeMap<&str, (u64, u64, &str)> = BTreeMap::from([
        (
            "cloudtrail/aws-cloudtrail-processing-library/SerializerTestFileBadFieldName.json",
            (1, 1, "its Records array holds a second element whose every key is misspelled (eventTimeWrong...); SOURCES.md does not count it, trailcase rejects it as a malformed record"),
        ),
        (
            "cloudtrail/aws-cloudtrail-processing-library/SerializerTestFileNewFieldName.json",
            (1, 1, "same: a second element with renamed keys only (eventTime1...), rejected as malformed"),
        ),
    ]);
    let mut mismatches = Vec::new();
    for (file, n) in &counts {
        let input = inputs
            .get(file)
            .unwrap_or_else(|| panic!("{file} was not read"));
        let read = input["records_read"].as_u64().unwrap();
        let rejected = input["records_rejected"].as_u64().unwrap();
        if let Some((r, j, why)) = known.get(file.as_str()) {
            assert_eq!(
                (read, rejected),
                (*r, *j),
                "{file}: listed as a known difference ({why})"
            );
            continue;
        }
        if read + rejected != *n {
            mismatches.push(format!(
                "{file}: SOURCES.md says {n}, trailcase read {read} and rejected {rejected}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn rejected_records_and_bad_files_are_named_with_a_reason() {
    let doc = run_all();
    let gaps = doc["gaps"].as_array().unwrap();
    let gap_for = |name: &str| {
        gaps.iter()
            .find(|g| g["path"].as_str().unwrap().ends_with(name))
    };
    // Deliberately invalid JSON: a whole-file gap.
    for bad in [
        "SerializerTestFileBadJsonFormat.json",
        "invalid-as-published/cloudtrail-integration-L349-AssumeRoleWithSAML.txt",
        "invalid-as-published/monitoring-2d398a5d12-L82.txt",
    ] {
        let g = gap_for(bad).unwrap_or_else(|| panic!("no gap for {bad}"));
        assert_eq!(g["kind"], "invalid_json", "{bad}");
        assert!(g["index"].is_null());
    }
    // A record whose eventTime is a placeholder: rejected at its index, the others kept.
    let g = gap_for("SerializerTestFileMissField.json").unwrap();
    assert_eq!(
        (g["index"].as_u64(), g["kind"].as_str()),
        (Some(3), Some("invalid_event_time"))
    );
    // Not written as a time: its length, never its text (a field may hold anything).
    assert!(g["reason"]
        .as_str()
        .unwrap()
        .contains("eventTime of 21 characters (not quoted: not written as a time)"));
    // Every gap says where and why.
    for g in gaps {
        assert!(
            !g["reason"].as_str().unwrap().is_empty() && !g["path"].as_str().unwrap().is_empty()
        );
    }
    // Real captures lose nothing.
    for i in doc["inputs"].as_array().unwrap() {
        let p = i["path"].as_str().unwrap();
        if p.contains("stratus-red-team") || p.contains("otrf") || p.contains("plaso") {
            assert_eq!(i["records_rejected"], 0, "{p}");
        }
    }
    assert_eq!(
        doc["summary"]["gaps"].as_u64().unwrap() as usize,
        gaps.len()
    );
    assert_eq!(doc["complete"], false);
}

#[test]
fn quirky_shapes_are_understood() {
    let doc = run_all();
    let kind_of = |name: &str| -> String {
        doc["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"].as_str().unwrap().ends_with(name))
            .unwrap()["kind"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        kind_of("aws_cloudtrail_lookupevents.jsonl"),
        "lookup-events"
    );
    assert_eq!(kind_of("lookup-events-output.json"), "lookup-events");
    assert_eq!(kind_of("cloudtrail_log_cw.json"), "cloudwatch-logs");
    assert_eq!(
        kind_of("SerializerTestFileCompact.json.gz"),
        "cloudtrail-records"
    );
    assert_eq!(kind_of("cloudtrail_log_empty.json"), "cloudtrail-records");
    // The OTRF capture has no eventTime, only Logstash's @timestamp.
    let otrf = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().contains("otrf"))
        .unwrap();
    assert_eq!(otrf["records_read"], 103);
}

#[test]
fn the_lambda_cloudwatch_logs_event_is_decoded() {
    let run = trailcase([
        "timeline",
        "--quiet",
        shared_data()
            .join("cloudwatch/logs-subscription")
            .to_str()
            .unwrap(),
    ]);
    // awslogs.data is base64(gzip(DATA_MESSAGE)); its two messages are plain text, not CloudTrail
    // records: decoded, then each reported at its index rather than silently dropped.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert!(doc["inputs"][0]["kind"]
        .as_str()
        .unwrap()
        .contains("cloudwatch-logs-subscription"));
    assert_eq!(doc["inputs"][0]["records_rejected"], 2);
    let gaps: Vec<&serde_json::Value> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] != "no_records")
        .collect();
    assert_eq!(gaps.len(), 2);
    assert!(gaps
        .iter()
        .all(|g| g["kind"] == "malformed_record" && g["index"].is_u64()));
    assert_eq!(doc["summary"]["gaps"], 3, "and nothing was examined");
}

#[test]
fn alarm_evidence_in_every_shape_becomes_alarm_history() {
    let run = trailcase([
        "timeline",
        "--quiet",
        shared_data().join("cloudwatch").to_str().unwrap(),
    ]);
    let doc = run.json();
    let history = doc["pipeline"]["alarm_history"].as_array().unwrap();
    let of = |summary: &str| {
        history
            .iter()
            .filter(|h| h["summary"].as_str().unwrap().contains(summary))
            .count()
    };
    // describe-alarm-history (CLI output and the LocalStack items recorded against AWS).
    assert!(
        history
            .iter()
            .filter(|h| h["item_type"] == "StateUpdate")
            .count()
            >= 4
    );
    assert_eq!(of("state change event (EventBridge)"), 4);
    assert_eq!(of("EventBridge configuration change"), 6);
    // Five payloads, but two (Rust runtime and Powertools fixtures) are the same transition of
    // CompositeDemo.Main at 12:56:46.138: one history item.
    assert_eq!(of("delivered to a Lambda action"), 4);
    // The four SNS payloads all carry alarm EXAMPLE at 2015-06-03T17:43:27.123Z: four inputs
    // recognised, one transition.
    assert_eq!(of("received through SNS"), 1);
    let sns_inputs = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"].as_str().unwrap().contains("alarm-notification"))
        .count();
    assert_eq!(sns_inputs, 4);
    assert_eq!(doc["pipeline"]["alarms"].as_array().unwrap().len(), 3);
    // Only the LocalStack test snapshots (not evidence) and the non-CloudTrail log messages are
    // gaps, and that no CloudTrail record was examined at all: alarm evidence alone says nothing
    // about who read the honeytoken.
    for g in doc["gaps"].as_array().unwrap() {
        let p = g["path"].as_str().unwrap();
        assert!(
            p.contains("localstack-snapshots/test_cloudwatch")
                || p.contains("logs-subscription")
                || g["kind"] == "no_records",
            "{g}"
        );
    }
    assert_eq!(run.code, 1);
}
