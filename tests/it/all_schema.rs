//! `timeline --all --format json` had no JSON Schema: its rows and its summary (findings,
//! incidents, gaps, conflicts) were described only in prose. schema/timeline-all.schema.json
//! (maintained by hand, like schema/timeline.schema.json) describes it; the sample's output and
//! a case of unreadable input are checked against it, and every key they hold must be one the
//! schema declares, so a field added to the output without the schema fails here.

use crate::support::*;
use serde_json::Value;

fn all_json(evidence: &str) -> Value {
    let run = trailcase(["timeline", "--quiet", "--all", "--format", "json", evidence]);
    assert!(run.code <= 1, "{}", run.stderr);
    run.json()
}

/// Every key of `doc` that `schema` does not declare, by JSON pointer (objects whose schema
/// lists `properties` only).
fn undeclared(schema: &Value, doc: &Value, at: &str, out: &mut Vec<String>) {
    match doc {
        Value::Object(obj) => {
            let Some(props) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
            for (k, v) in obj {
                match props.get(k) {
                    Some(s) => undeclared(s, v, &format!("{at}/{k}"), out),
                    None => out.push(format!("{at}/{k}")),
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    undeclared(s, v, &format!("{at}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

fn check(doc: &Value) {
    let schema = read_json(&repo().join("schema/timeline-all.schema.json"));
    let violations = schema::schema_violations(&schema, doc);
    assert!(violations.is_empty(), "{violations:#?}");
    let mut extra = Vec::new();
    undeclared(&schema, doc, "", &mut extra);
    assert!(
        extra.is_empty(),
        "keys the schema does not declare: {extra:?}"
    );
}

#[test]
fn the_samples_all_json_matches_its_schema() {
    let doc = all_json(repo().join("samples/incident-01").to_str().unwrap());
    // What the schema is checked on: rows, an incident with its findings.
    assert!(doc["records"].as_array().unwrap().len() > 1000);
    assert!(!doc["summary"]["incidents"][0]["findings"]
        .as_array()
        .unwrap()
        .is_empty());
    check(&doc);
}

#[test]
fn all_json_with_gaps_matches_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trail.json"),
        r#"{"Records":[{"eventTime":"bad"},5]}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.json"), "garbage").unwrap();
    let doc = all_json(dir.path().to_str().unwrap());
    assert!(doc["summary"]["gaps"].as_array().unwrap().len() >= 3);
    check(&doc);
}
