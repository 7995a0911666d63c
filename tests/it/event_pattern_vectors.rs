//! Runs every EventBridge pattern vector under `tests/data/shared/event-ruler/` and asserts its outcome: the
//! AWS-validated LocalStack cases (match / no match / error, with the reason AWS gave), the two raw-string cases,
//! the doc-derived cases, and event-ruler's own array-consistency data.
//!
//! A case we believe differs for a stated reason goes in `KNOWN_DIFFERENCES`; the test fails if a listed case
//! starts passing or an unlisted one fails.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use trailcase::rules::event_pattern::EventPattern;

/// (case name, why our outcome differs from the recorded one).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

enum Expected {
    Match,
    NoMatch,
    /// AWS's message, when the snapshot recorded it.
    Error(Option<String>),
}

struct Case {
    name: String,
    pattern: String,
    event: Value,
    expected: Expected,
}

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shared/event-ruler")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// AWS's `InvalidEventPatternException` messages by case name, from the LocalStack snapshot.
fn aws_messages() -> BTreeMap<String, String> {
    let snapshot =
        read_json(&data().join("localstack-snapshots/test_events_patterns.snapshot.json"));
    let mut out = BTreeMap::new();
    for test in snapshot.as_object().unwrap().values() {
        for (name, content) in test["recorded-content"].as_object().unwrap() {
            if let Some(msg) = content
                .pointer("/exception_message/Error/Message")
                .and_then(Value::as_str)
            {
                out.insert(name.clone(), msg.to_string());
            }
        }
    }
    out
}

fn localstack_cases() -> Vec<Case> {
    let messages = aws_messages();
    let mut cases = Vec::new();
    for row in jsonl(&data().join("localstack_event_pattern_cases.jsonl")) {
        let name = row["name"].as_str().unwrap().to_string();
        let expected = match row["expected"].as_str().unwrap() {
            "match" => Expected::Match,
            "no_match" => Expected::NoMatch,
            "error" => Expected::Error(messages.get(&name).cloned()),
            other => panic!("unknown expectation {other}"),
        };
        cases.push(Case {
            pattern: row["pattern"].to_string(),
            event: row["event"].clone(),
            name,
            expected,
        });
    }
    for row in jsonl(&data().join("localstack_event_pattern_raw_cases.jsonl")) {
        assert_eq!(row["expected"], "match");
        cases.push(Case {
            name: row["name"].as_str().unwrap().to_string(),
            pattern: row["pattern_raw"].as_str().unwrap().to_string(),
            event: serde_json::from_str(row["event_raw"].as_str().unwrap()).unwrap(),
            expected: Expected::Match,
        });
    }
    for row in jsonl(&data().join("awsdocs_event_pattern_cases.jsonl")) {
        assert_eq!(row["expected"], "match");
        cases.push(Case {
            name: row["name"].as_str().unwrap().to_string(),
            pattern: row["pattern"].to_string(),
            event: row["event"].clone(),
            expected: Expected::Match,
        });
    }
    cases
}

/// event-ruler's array data: expectations from `GenericMachineTest.nestedArraysTest` (array-consistent
/// `rulesForJSONEvent`) and `BigEventTest`.
fn event_ruler_cases() -> Vec<Case> {
    let dir = data().join("aws-event-ruler");
    let matching = [(1, 1), (1, 2), (4, 3)];
    let mut cases = Vec::new();
    for event in 1..=4 {
        for rule in 1..=3 {
            let matches = matching.contains(&(event, rule));
            cases.push(Case {
                name: format!("event-ruler arrayEvent{event} x arrayRule{rule}"),
                pattern: fs::read_to_string(dir.join(format!("arrayRule{rule}.json"))).unwrap(),
                event: read_json(&dir.join(format!("arrayEvent{event}.json"))),
                expected: if matches {
                    Expected::Match
                } else {
                    Expected::NoMatch
                },
            });
        }
    }
    cases.push(Case {
        name: "event-ruler bigEvent".into(),
        pattern: fs::read_to_string(dir.join("bigEventRule.json")).unwrap(),
        event: read_json(&dir.join("bigEvent.json")),
        expected: Expected::Match,
    });
    cases
}

/// `correctness-cases.json` has no expected field upstream (it only checks two matchers agree); these outcomes
/// are read off each case's name ("same" matches, "split" does not, ...), so they carry our reading, not AWS's.
fn correctness_cases() -> Vec<Case> {
    const NO_MATCH: &[&str] = &[
        "flat: 2-field exists, one missing",
        "flat: exact mismatch",
        "objarray: split",
        "objarray: 3-field, split 3 ways",
        "objarray: exact split",
        "objarray: prefix split",
        "primarray: no match",
        "nested: inner split",
        "nested: outer split",
        "nested2: split leaf",
        "mixed: array+scalar fail",
        "exists-false: present",
        "empty object",
        "empty array",
        "primarray: large + scalar, no match",
        "primarray: empty prim array",
        "mixed: obj-array split + prim-array",
        "suffix match split",
    ];
    let rows = read_json(&data().join("aws-event-ruler/correctness-cases.json"));
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let name = row["name"].as_str().unwrap();
            Case {
                name: format!("event-ruler correctness: {name}"),
                pattern: row["rule"].to_string(),
                event: row["event"].clone(),
                expected: if NO_MATCH.contains(&name) {
                    Expected::NoMatch
                } else {
                    Expected::Match
                },
            }
        })
        .collect()
}

/// `None` when the case passes, otherwise what went wrong.
fn run(case: &Case) -> Option<String> {
    let parsed = EventPattern::parse(&case.pattern);
    match (&case.expected, parsed) {
        (Expected::Error(None), Err(_)) => None,
        (Expected::Error(Some(aws)), Err(e)) => {
            let ours = e.to_string();
            (ours != *aws).then(|| format!("error text differs: ours {ours:?}, AWS {aws:?}"))
        }
        (Expected::Error(_), Ok(_)) => Some("accepted a pattern AWS rejects".into()),
        (_, Err(e)) => Some(format!("rejected a valid pattern: {e}")),
        (Expected::Match, Ok(p)) => {
            (!p.matches(&case.event)).then(|| "no match, expected match".into())
        }
        (Expected::NoMatch, Ok(p)) => p
            .matches(&case.event)
            .then(|| "match, expected no match".into()),
    }
}

#[test]
fn every_event_pattern_vector() {
    let mut cases = localstack_cases();
    let aws_validated = cases.len();
    cases.extend(event_ruler_cases());
    cases.extend(correctness_cases());
    assert!(
        aws_validated >= 159,
        "expected the 155 + 2 + 2 AWS-validated cases, found {aws_validated}"
    );
    let with_message = cases
        .iter()
        .filter(|c| matches!(c.expected, Expected::Error(Some(_))))
        .count();
    assert_eq!(
        with_message, 38,
        "every AWS error case should carry AWS's message"
    );

    let known: BTreeMap<&str, &str> = KNOWN_DIFFERENCES.iter().copied().collect();
    let mut failures = Vec::new();
    let mut passed = 0;
    let mut listed = 0;
    for case in &cases {
        let problem = run(case);
        match (problem, known.get(case.name.as_str())) {
            (None, None) => passed += 1,
            (None, Some(_)) => failures.push(format!(
                "{}: listed as a known difference but passes",
                case.name
            )),
            (Some(_), Some(_)) => listed += 1,
            (Some(p), None) => failures.push(format!("{}: {p}", case.name)),
        }
    }
    for name in known.keys() {
        if !cases.iter().any(|c| c.name == *name) {
            failures.push(format!(
                "{name}: listed as a known difference but no such case"
            ));
        }
    }
    println!(
        "event pattern vectors: {passed} passed, {listed} listed as known differences, {} cases in all",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} failing vectors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Truncating every vector pattern at every byte must give an error or a pattern, never a panic.
#[test]
fn parse_never_panics_on_truncated_or_mangled_vectors() {
    let patterns: Vec<String> = localstack_cases().into_iter().map(|c| c.pattern).collect();
    for pattern in &patterns {
        for end in 0..=pattern.len() {
            if let Some(prefix) = pattern.get(..end) {
                let _ = EventPattern::parse(prefix);
            }
        }
        for (i, _) in pattern.char_indices() {
            for replacement in ["", "[", "{", "\"", "null", "[]", "{}", "-1e999"] {
                let mut mangled = pattern.clone();
                let end = i + pattern[i..].chars().next().map_or(0, char::len_utf8);
                mangled.replace_range(i..end, replacement);
                if let Ok(p) = EventPattern::parse(&mangled) {
                    let _ = p.matches(&serde_json::json!({"detail": {"a": [1, {"b": null}]}}));
                }
            }
        }
    }
}
