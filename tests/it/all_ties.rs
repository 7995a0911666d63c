//! `tie` says "another row has the same time" (schema/timeline-all.schema.json). `timeline
//! --all` wrote `tie: false` on every row (found by real33: on the sample, 531 of 2,476 rows
//! share their time with another, and the KMS guide's six rows at one second were `true` in
//! `timeline` and `false` in `--all`). Each row is now held until the next is known, so its
//! `tie` is true exactly when a row next to it in the output has its time: checked here on the
//! sample's rows in every format that carries `tie`.

use crate::support::*;
use serde_json::Value;

/// Each record row's (time, tie) in output order, from `timeline --all --format FORMAT` of the
/// bundled sample (the gap rows, which have no time, left out).
fn times_and_ties(format: &str) -> Vec<(String, bool)> {
    let sample = repo().join("samples/incident-01");
    let run = trailcase([
        "timeline",
        "--quiet",
        "--all",
        "--format",
        format,
        sample.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    match format {
        "csv" => {
            let mut reader = csv::Reader::from_reader(run.stdout.as_slice());
            let header = reader.headers().unwrap().clone();
            let at = |name: &str| header.iter().position(|h| h == name).unwrap();
            let (time, tie) = (at("time"), at("tie"));
            reader
                .records()
                .map(|r| r.unwrap())
                .filter(|r| !r[time].is_empty())
                .map(|r| (r[time].to_string(), &r[tie] == "true"))
                .collect()
        }
        _ => {
            let rows: Vec<Value> = if format == "json" {
                serde_json::from_slice::<Value>(&run.stdout).unwrap()["records"]
                    .as_array()
                    .unwrap()
                    .clone()
            } else {
                run.text()
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect()
            };
            rows.iter()
                .filter(|r| r["time"].is_string())
                .map(|r| {
                    (
                        r["time"].as_str().unwrap().to_string(),
                        r["tie"].as_bool().unwrap(),
                    )
                })
                .collect()
        }
    }
}

#[test]
fn a_row_of_all_is_a_tie_exactly_when_a_row_beside_it_has_its_time() {
    for format in ["jsonl", "json", "csv"] {
        let rows = times_and_ties(format);
        assert!(rows.len() > 2000, "{format}: {} rows", rows.len());
        let mut ties = 0;
        for (i, (time, tie)) in rows.iter().enumerate() {
            let before = i > 0 && rows[i - 1].0 == *time;
            let after = rows.get(i + 1).is_some_and(|(t, _)| t == time);
            assert_eq!(*tie, before || after, "{format}: row {i} at {time}");
            ties += usize::from(*tie);
        }
        // The sample has seconds with several rows: the check above met both values.
        assert!(ties > 100 && ties < rows.len(), "{format}: {ties} ties");
    }
}
