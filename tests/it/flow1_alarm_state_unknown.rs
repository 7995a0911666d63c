//! Flow 1's alarm around PutMetricAlarm calls, where its state is unknown. Two claims the
//! replay made without evidence: transitions before a call made before the first access were
//! counted by the first access's definition (which that call set: the one before it is not in
//! the evidence), and after a call setting a definition the replay cannot evaluate (metric
//! math), a later call's definition was replayed alone over the whole evidence "from no earlier
//! state" and its transitions, made when it was not in force, predicted the access. Now the
//! alarm's state is unknown there until a definition evaluated after it judges it; no
//! transition there is counted (`predicted_pages` null, `pages_unknown` says why).

use crate::flow1_alarm_calls::put_metric_alarm;
use crate::support::*;
use serde_json::{json, Value};

const FIRST: &str = "5ad7fe16-471c-489f-908c-61b0d4864cbb";
const SECOND: &str = "85a157a1-d87c-40ec-9c47-7bf1faabd1f2";

fn flow1(doc: &Value) -> Value {
    replay_flow(doc, |f| f["flow"] == "metric_filter").clone()
}

/// A read of another secret the filter's `*Production_Database_Credentials*` also matches (not
/// the honeytoken): noise that takes the sample's alarm (Sum >= 1 over 60 s) into ALARM.
fn noise_read(time: &str, id: &str) -> Value {
    let mut r = put_metric_alarm(id, time, 1.0);
    r["eventSource"] = json!("secretsmanager.amazonaws.com");
    r["eventName"] = json!("GetSecretValue");
    r["requestParameters"] = json!({"secretId": "Old_Production_Database_Credentials"});
    r["readOnly"] = json!(true);
    r
}

/// Noise at 13:30 (ALARM at 13:31 by the alarm's definition), then a PutMetricAlarm at 13:45,
/// before the first read at 14:02:17: the 13:31 page was counted by the definition the 13:45
/// call set. What was in force before 13:45 is not in the evidence: not counted, said why; the
/// reads, after the call's first evaluation, are predicted as before.
#[test]
fn transitions_before_a_call_made_before_the_first_access_are_not_counted_by_its_definition() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    add_trail_file(
        &case,
        "us-east-1",
        "noise01",
        vec![noise_read("2026-11-20T13:30:10Z", "noise-read-1")],
    );
    let doc = timeline_of(&case);
    assert_eq!(flow1(&doc)["predicted_pages"], 2, "the noise pages once");
    add_trail_file(
        &case,
        "us-east-1",
        "putAlarm11",
        vec![put_metric_alarm(
            "putalarm-early",
            "2026-11-20T13:45:00Z",
            1.0,
        )],
    );
    let doc = timeline_of(&case);
    let f = flow1(&doc);
    assert!(f["predicted_pages"].is_null(), "{f:#}");
    let why = f["pages_unknown"].as_str().unwrap();
    assert!(
        why.contains("before PutMetricAlarm putalarm-early at 2026-11-20T13:45:00Z (Sum >= 1 over 60 s, 1 of 1 evaluation periods), made before the first access, the alarm had a definition the replay does not have"),
        "{why}"
    );
    let first = replay_row(&f, FIRST);
    assert_eq!(first["predicted"], "2026-11-20T14:03:00Z", "{first:#}");
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
}

/// Metric math set at 14:02:30, a plain definition (Sum >= 1 over 300 s) again at 14:03:02:
/// from 14:02:30 until the 14:03:02 definition first judges the alarm (14:05:00), its state is
/// unknown. The second read (14:03:05) was predicted a notification at 14:05:00 by the later
/// definition replayed alone from no state, as if in force since the start; whether the alarm
/// was already in ALARM is not known: now it has no prediction, and its note says why.
#[test]
fn after_a_definition_the_replay_cannot_evaluate_the_state_is_unknown_until_judged_again() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let mut math = put_metric_alarm("putalarm-math", "2026-11-20T14:02:30Z", 1.0);
    let p = math["requestParameters"].as_object_mut().unwrap();
    for k in [
        "metricName",
        "namespace",
        "statistic",
        "dimensions",
        "period",
    ] {
        p.remove(k);
    }
    p.insert(
        "metrics".into(),
        json!([{"id": "e1", "expression": "m1 * 2", "returnData": true}]),
    );
    let mut plain = put_metric_alarm("putalarm-plain", "2026-11-20T14:03:02Z", 1.0);
    plain["requestParameters"]["period"] = json!(300);
    add_trail_file(&case, "us-east-1", "putAlarm12", vec![math, plain]);
    let doc = timeline_of(&case);
    let f = flow1(&doc);
    let second = replay_row(&f, SECOND);
    assert!(second["alarm_definition"]
        .as_str()
        .unwrap()
        .starts_with("PutMetricAlarm putalarm-plain"));
    assert!(second["predicted"].is_null(), "{second:#}");
    let note = second["note"].as_str().unwrap();
    assert!(
        note.contains("the alarm's state at this access is unknown: from PutMetricAlarm putalarm-math at 2026-11-20T14:02:30Z")
            && note.contains("metric-math definition"),
        "{note}"
    );
    assert!(f["predicted_pages"].is_null(), "{f:#}");
    assert!(
        f["pages_unknown"]
            .as_str()
            .unwrap()
            .contains("putalarm-math"),
        "{f:#}"
    );
}
