//! No evidence is not "all clear" (issue #15): a run that read no CloudTrail record says that
//! nothing was examined (a gap, exit code 1, in every output), and its report says so on the
//! cover and in the executive summary instead of "No honeytoken was read".

use crate::support;

use support::*;

fn cases() -> Vec<(&'static str, tempfile::TempDir)> {
    let empty = tempfile::tempdir().unwrap();
    let no_records = tempfile::tempdir().unwrap();
    std::fs::write(no_records.path().join("a.json"), "{\"Records\": []}").unwrap();
    let config_only = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("samples/incident-01/cloudwatch/alarm-history.json"),
        config_only.path().join("alarm-history.json"),
    )
    .unwrap();
    vec![
        ("an empty directory", empty),
        ("an empty records file", no_records),
        ("configuration only", config_only),
    ]
}

#[test]
fn no_evidence_is_not_all_clear_in_the_timeline() {
    for (what, dir) in cases() {
        let d = dir.path().to_str().unwrap();
        let run = trailcase(["timeline", d]);
        assert_eq!(run.code, 1, "{what}: {}", run.stderr);
        let doc = run.json();
        assert_eq!(doc["complete"], false, "{what}");
        assert_eq!(doc["summary"]["records_read"], 0, "{what}");
        let gaps = doc["gaps"].as_array().unwrap();
        assert!(
            gaps.iter().any(|g| g["kind"] == "no_records"
                && g["reason"]
                    .as_str()
                    .unwrap()
                    .contains("nothing was examined")),
            "{what}: {gaps:?}"
        );
        let all = trailcase(["timeline", d, "--all", "--format", "jsonl"]);
        assert_eq!(all.code, 1, "{what}: --all");
        assert!(
            all.text().contains("\"gap_kind\":\"no_records\""),
            "{what}: --all"
        );
    }
}

#[test]
fn a_report_over_no_records_says_nothing_was_examined() {
    let (_, dir) = cases().remove(0);
    // Beside the evidence, not in it (trailcase refuses to write into its evidence).
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Evidence examined NOTHING: no CloudTrail record"),
        "cover"
    );
    assert!(
        text.contains("Incident window unknown: nothing was examined"),
        "cover"
    );
    assert!(
        text.contains("Nothing was examined: the evidence holds no CloudTrail record"),
        "executive summary"
    );
    assert!(text.contains("This is not an all-clear"));
    assert!(!text.contains("No honeytoken was read"));
    assert!(!text.contains("every input was read in full"));
}

/// What `collect` could not acquire is missing from every later analysis of the case (issue
/// #15): the manifest's gaps are gaps of `timeline` and `report` on the case, exit code 1.
#[test]
fn gaps_recorded_by_collect_are_gaps_of_every_later_run() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir_all(case.join("cloudtrail")).unwrap();
    std::fs::copy(
        repo().join(
            "tests/data/signin/cloudtrail-event-reference-aws-console-sign-in-events-L66.json",
        ),
        case.join("cloudtrail/signin.json"),
    )
    .unwrap();
    let denied = "s3://trail-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/2022/11/10/111122223333_CloudTrail_us-east-1_20221110T1625Z_x.json.gz";
    let manifest = serde_json::json!({
        "trailcase_manifest": 1, "case_id": null, "tool_version": "0.1.0",
        "created": "2022-11-11T00:00:00Z", "command": ["trailcase", "collect"], "window": null,
        "entries": [], "api_calls": [],
        "gaps": [{"source": denied, "reason": "AccessDenied", "permission": "s3:GetObject"}]
    });
    std::fs::write(case.join("manifest.json"), manifest.to_string()).unwrap();
    let run = trailcase(["timeline", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let gap = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["path"] == denied)
        .unwrap_or_else(|| panic!("{:#}", doc["gaps"]));
    assert!(
        gap["reason"]
            .as_str()
            .unwrap()
            .contains("needs s3:GetObject"),
        "{gap}"
    );
    assert!(run.stderr.contains(denied), "named on stderr");
    let pdf = dir.path().join("r.pdf");
    let report = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(report.code, 1);
    assert!(pdf_text(&pdf).contains("needs s3:GetObject"));
}

/// The sample cut to its trail files from 15:00 on (after the incident), without its LookupEvents
/// pages, notifications, alarm history and metrics: no incident. The summary states the period
/// the records read span (every record's eventTime, not only the records kept), never "none of
/// them dated", and says the alarm history was not examined instead of "No detection alarm
/// fired without a read".
#[test]
fn a_case_with_no_incident_states_the_period_read_and_what_was_not_examined() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    for d in ["lookup-events", "notifications"] {
        std::fs::remove_dir_all(case.join(d)).unwrap();
    }
    for f in ["alarm-history.json", "metric-data.json"] {
        std::fs::remove_file(case.join("cloudwatch").join(f)).unwrap();
    }
    // Every eventTime of the trail files kept, to compare with what the tool states.
    let mut times: Vec<String> = Vec::new();
    let trail = case.join("cloudtrail/AWSLogs/123456789012/CloudTrail");
    for region in std::fs::read_dir(&trail).unwrap() {
        let day = region.unwrap().path().join("2026/11/20");
        for f in std::fs::read_dir(&day).unwrap() {
            let p = f.unwrap().path();
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            let hour: u32 = name.split("20261120T").nth(1).unwrap()[..2]
                .parse()
                .unwrap();
            if hour < 15 {
                std::fs::remove_file(&p).unwrap();
                continue;
            }
            let doc: serde_json::Value =
                serde_json::from_slice(&crate::common::gunzip(&std::fs::read(&p).unwrap()))
                    .unwrap();
            for r in doc["Records"].as_array().unwrap() {
                times.push(r["eventTime"].as_str().unwrap().to_string());
            }
        }
    }
    times.sort();
    let (first, last) = (times.first().unwrap(), times.last().unwrap());

    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(schema_violations(&schema, &doc), Vec::<String>::new());
    assert_eq!(doc["summary"]["incidents"], 0);
    assert_eq!(doc["summary"]["timeline_rows"], 0, "no record kept");
    assert_eq!(doc["summary"]["first_record"], first.as_str());
    assert_eq!(doc["summary"]["last_record"], last.as_str());

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains(&format!(
            "CloudTrail records from {} inputs (their eventTimes from {first} to {last}) and found no call that read",
            doc["summary"]["inputs"]
        )),
        "{text}"
    );
    assert!(!text.contains("none of them dated"), "{text}");
    assert!(
        text.contains("Whether a detection alarm fired without a read was not examined: the evidence holds no alarm history"),
        "{text}"
    );
    assert!(
        !text.contains("No detection alarm fired without a read"),
        "{text}"
    );
}
