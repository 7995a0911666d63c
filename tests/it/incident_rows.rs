//! Rows an incident rests on carry its id (issue #18, "Responders"): besides the actor's
//! records and the kill-switch's, the alarm history items the incident cites and the rule
//! metric minutes that count its reads, so that filtering one incident (Timesketch, jq) keeps
//! its detection.

use crate::support;

use serde_json::Value;
use support::*;

fn rows(doc: &Value) -> Vec<&Value> {
    doc["timeline"].as_array().unwrap().iter().collect()
}

#[test]
fn the_sample_s_alarm_and_rule_rows_belong_to_its_incident() {
    let run = trailcase(["timeline", "--quiet", "samples/incident-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let inc = &doc["incidents"][0];
    let cited: Vec<&str> = inc["alarm_evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(!cited.is_empty());
    for r in rows(&doc).into_iter().filter(|r| r["kind"] == "alarm") {
        let id = r["event_id"].as_str().unwrap();
        let ours = r["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == "INC-001");
        assert_eq!(ours, cited.contains(&id), "{r}");
    }
    // The alarm's creation weeks before belongs to no incident.
    assert!(rows(&doc)
        .iter()
        .any(|r| r["kind"] == "alarm" && r["incidents"].as_array().unwrap().is_empty()));
    // Both rule minutes hold a read of the incident (14:02:17 and the refused one at 14:03:05).
    let minutes: Vec<&Value> = rows(&doc)
        .into_iter()
        .filter(|r| r["kind"] == "rule_triggered")
        .collect();
    assert_eq!(minutes.len(), 2);
    for r in minutes {
        assert_eq!(r["incidents"], serde_json::json!(["INC-001"]), "{r}");
    }
}

#[test]
fn a_rule_minute_without_a_read_of_the_incident_belongs_to_none() {
    // The sample with another honeytoken: no read, no incident; the rule rows stay, unowned.
    let run = trailcase([
        "timeline",
        "--quiet",
        "--honeytoken",
        "secret:No_Such_Secret",
        "samples/incident-01",
    ]);
    let doc = run.json();
    assert!(doc["incidents"].as_array().unwrap().is_empty());
    let minutes: Vec<&Value> = rows(&doc)
        .into_iter()
        .filter(|r| r["kind"] == "rule_triggered")
        .collect();
    assert!(!minutes.is_empty(), "the rule metric rows stay");
    for r in minutes {
        assert!(r["incidents"].as_array().unwrap().is_empty(), "{r}");
    }
}
