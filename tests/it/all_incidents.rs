//! `timeline --all` rows carry the incidents they belong to (issue #18), by the default
//! timeline's rule, and the alarm history items, rule metric minutes and kill-switch results the
//! default timeline has: a Timesketch (or jq, or spreadsheet) user filters one incident in the
//! super-timeline as in the timeline.

use crate::support;

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use support::*;

const CASE: &str = "samples/incident-01";
/// The rows that are no records read: the default timeline's alarm history items, rule metric
/// minutes and kill-switch results.
const NOT_RECORDS: [&str; 3] = ["alarm", "rule_triggered", "killswitch_result"];

fn lines(run: &Run) -> Vec<Value> {
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn all_jsonl(inputs: &[&str]) -> Vec<Value> {
    let mut args = vec!["timeline", "--quiet", "--all", "--format", "jsonl"];
    args.extend(inputs);
    lines(&trailcase(args))
}

fn ids(row: &Value) -> Vec<&str> {
    row["incidents"]
        .as_array()
        .unwrap_or_else(|| panic!("incidents is a list: {row}"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn strings(v: &Value) -> BTreeSet<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// Where a row was read: eventID, input, record index.
fn place(row: &Value) -> (String, String, u64) {
    (
        row["event_id"].as_str().unwrap().to_string(),
        row["input"].as_str().unwrap().to_string(),
        row["record_index"].as_u64().unwrap(),
    )
}

#[test]
fn every_record_of_the_sample_s_incident_carries_its_id_and_no_other_does() {
    let doc = trailcase(["timeline", "--quiet", CASE]).json();
    let inc = &doc["incidents"][0];
    assert_eq!(inc["id"], "INC-001");
    let mut cited = strings(&inc["event_ids"]);
    cited.extend(strings(&inc["access_event_ids"]));
    let all = all_jsonl(&[CASE]);
    let records: Vec<&Value> = all
        .iter()
        .filter(|r| !NOT_RECORDS.contains(&r["kind"].as_str().unwrap()))
        .collect();
    let mut carried = 0;
    for r in &records {
        let id = r["event_id"].as_str().unwrap();
        if cited.contains(id) {
            assert_eq!(ids(r), ["INC-001"], "{r}");
            carried += 1;
        } else {
            // Everyone else's calls, the actor's outside the incident's records, the pipeline.
            assert!(ids(r).is_empty(), "{r}");
        }
    }
    // Every record the incident cites is in the stream once (copies dropped).
    assert_eq!(carried, cited.len());
    // Other principals' calls are there, and carry nothing.
    let actor = inc["actor"]["arn"].as_str().unwrap();
    assert!(records
        .iter()
        .any(|r| r["actor"] != actor && r["actor_type"] == "IAMUser" && ids(r).is_empty()));
    // Still one time order, the added rows among the records.
    let times: Vec<&str> = all.iter().map(|r| r["time"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "not in time order");
}

#[test]
fn every_row_of_the_timeline_is_in_all_with_its_kind_and_incidents() {
    let timeline = lines(&trailcase([
        "timeline", "--quiet", "--format", "jsonl", CASE,
    ]));
    let all: BTreeMap<_, Value> = all_jsonl(&[CASE])
        .into_iter()
        .map(|r| (place(&r), r))
        .collect();
    let mut kinds = BTreeMap::new();
    for t in &timeline {
        let a = all
            .get(&place(t))
            .unwrap_or_else(|| panic!("not in --all: {t}"));
        for field in [
            "time",
            "kind",
            "actor",
            "action",
            "target",
            "outcome",
            "incidents",
        ] {
            assert_eq!(a[field], t[field], "{field} of {t}");
        }
        *kinds.entry(t["kind"].as_str().unwrap()).or_insert(0) += 1;
    }
    // The alarm transitions, both rule minutes and both kill-switch results are there, and
    // belong to the incident.
    let owned = |kind: &str| {
        all.values()
            .filter(|r| r["kind"] == kind && ids(r) == ["INC-001"])
            .count()
    };
    assert!(owned("alarm") >= 1);
    assert_eq!(owned("rule_triggered"), 2);
    assert_eq!(owned("killswitch_result"), 2);
    for kind in NOT_RECORDS {
        let in_all = all.values().filter(|r| r["kind"] == kind).count();
        assert_eq!(Some(&in_all), kinds.get(kind), "{kind}");
    }
    // The incident's rows take the timeline's kinds, as the timeline names them.
    assert!(owned("actor_denied") >= 1 && owned("credential_issued") >= 1);
}

#[test]
fn csv_and_timesketch_carry_the_same_ids() {
    let by_id = |rows: Vec<(String, String)>| -> BTreeMap<String, String> {
        let n = rows.len();
        let m: BTreeMap<String, String> = rows.into_iter().collect();
        assert_eq!(m.len(), n, "one row per eventID");
        m
    };
    let jsonl = by_id(
        all_jsonl(&[CASE])
            .iter()
            .map(|r| (r["event_id"].as_str().unwrap().into(), ids(r).join(" ")))
            .collect(),
    );
    assert!(jsonl.values().any(|v| v == "INC-001"));

    let csv = trailcase(["timeline", "--quiet", "--all", "--format", "csv", CASE]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (event_id, incidents) = (col("event_id"), col("incidents"));
    let csv = by_id(
        reader
            .records()
            .map(Result::unwrap)
            .map(|r| (r[event_id].to_string(), r[incidents].to_string()))
            .collect(),
    );
    assert_eq!(csv, jsonl);

    // Timesketch: `incidents` is an attribute of each event (filter `incidents:"INC-001"`).
    let sketch = trailcase([
        "timeline",
        "--quiet",
        "--all",
        "--format",
        "timesketch",
        CASE,
    ]);
    let sketch = by_id(
        lines(&sketch)
            .iter()
            .map(|r| {
                let incidents = r["incidents"].as_str().unwrap_or_else(|| panic!("{r}"));
                (r["event_id"].as_str().unwrap().into(), incidents.into())
            })
            .collect(),
    );
    assert_eq!(sketch, jsonl);
}

fn call(id: &str, user: &str, time: &str, source: &str, name: &str) -> Value {
    json!({
        "eventVersion": "1.08", "eventTime": time, "eventID": id,
        "eventSource": format!("{source}.amazonaws.com"), "eventName": name, "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::123456789012:user/{user}"), "userName": user, "accessKeyId": format!("AKIA{user}")}
    })
}

#[test]
fn with_two_incidents_each_row_carries_only_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let read = |id, user, time| call(id, user, time, "secretsmanager", "GetSecretValue");
    let reads = json!({"Records": [
        read("r1", "mallory", "2026-11-20T10:00:00Z"),
        read("r2", "eve", "2026-11-20T11:00:00Z"),
        read("r3", "mallory", "2026-11-20T10:05:00Z"),
    ]});
    // Calls no first pass keeps: the actors' are found by the second pass, in another file.
    let calls = json!({"Records": [
        call("m1", "mallory", "2026-11-20T10:02:00Z", "s3", "ListBuckets"),
        call("e1", "eve", "2026-11-20T11:01:00Z", "sts", "GetCallerIdentity"),
        call("b1", "bob", "2026-11-20T10:03:00Z", "s3", "ListBuckets"),
    ]});
    let (a, b) = (dir.path().join("reads.json"), dir.path().join("calls.json"));
    std::fs::write(&a, reads.to_string()).unwrap();
    std::fs::write(&b, calls.to_string()).unwrap();
    let inputs = [a.to_str().unwrap(), b.to_str().unwrap()];
    let rows: BTreeMap<String, Value> = all_jsonl(&inputs)
        .into_iter()
        .map(|r| (r["event_id"].as_str().unwrap().to_string(), r))
        .collect();
    assert_eq!(rows.len(), 6, "{rows:?}");
    let of = |id: &str| ids(&rows[id]).join(" ");
    let (mallory, eve) = (of("r1"), of("r2"));
    assert!(mallory.starts_with("INC-") && eve.starts_with("INC-"));
    assert_ne!(mallory, eve);
    assert!(!mallory.contains(' ') && !eve.contains(' '), "one id each");
    assert_eq!(of("r3"), mallory);
    assert_eq!(of("m1"), mallory);
    assert_eq!(of("e1"), eve);
    assert_eq!(of("b1"), "", "bob is in no incident");

    // As the default timeline says, incident by incident.
    let mut args = vec!["timeline", "--quiet"];
    args.extend(inputs);
    let doc = trailcase(args).json();
    for inc in doc["incidents"].as_array().unwrap() {
        for id in strings(&inc["event_ids"]) {
            assert_eq!(of(id), inc["id"].as_str().unwrap(), "{id}");
        }
    }
}
