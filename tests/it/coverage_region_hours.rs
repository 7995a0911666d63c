//! A window with no trail coverage for a region-hour says so (#15): for a case whose keys name
//! account, region and hour (the S3 layout), the timeline JSON and the report list the hours of
//! the analysed window that hold neither a trail file nor a digest, per account and region,
//! grouped into ranges; each range is a gap (`no_trail_coverage`, exit code 1). Inputs without
//! that layout say coverage was not examined.

use crate::support;

use flate2::{write::GzEncoder, Compression};
use serde_json::{json, Value};
use std::io::Write as _;
use std::path::Path;
use support::*;

const ACCOUNT: &str = "111122223333";

fn record(id: &str, time: &str, region: &str) -> Value {
    json!({
        "eventVersion": "1.10",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": format!("arn:aws:iam::{ACCOUNT}:user/ops"), "accountId": ACCOUNT, "userName": "ops"},
        "eventTime": time,
        "eventSource": "sts.amazonaws.com",
        "eventName": "GetCallerIdentity",
        "awsRegion": region,
        "sourceIPAddress": "198.51.100.1",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": null,
        "responseElements": null,
        "requestID": format!("req-{id}"),
        "eventID": id,
        "readOnly": true,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management"
    })
}

/// A delivered trail file at `cloudtrail/AWSLogs/<account>/CloudTrail/<region>/...`, named for
/// its delivery minute `stamp` (`20261120T0105Z`).
fn trail_file(case: &Path, region: &str, stamp: &str, records: Vec<Value>) {
    let dir = case.join(format!(
        "cloudtrail/AWSLogs/{ACCOUNT}/CloudTrail/{region}/2026/11/20"
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let name = format!("{ACCOUNT}_CloudTrail_{region}_{stamp}_Ab12Cd34Ef56Gh78.json.gz");
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(&serde_json::to_vec(&json!({ "Records": records })).unwrap())
        .unwrap();
    std::fs::write(dir.join(name), gz.finish().unwrap()).unwrap();
}

/// us-east-1 delivered at 01:05 and 05:05, nothing between; eu-west-1 at 01:05 only. The window
/// (the span of the trail files) is 01:00 to 06:00.
fn case_with_a_silent_stretch(case: &Path) {
    trail_file(
        case,
        "us-east-1",
        "20261120T0105Z",
        vec![record("e1-0100", "2026-11-20T01:01:00Z", "us-east-1")],
    );
    trail_file(
        case,
        "us-east-1",
        "20261120T0505Z",
        vec![record("e1-0500", "2026-11-20T05:01:00Z", "us-east-1")],
    );
    trail_file(
        case,
        "eu-west-1",
        "20261120T0105Z",
        vec![record("w1-0100", "2026-11-20T01:02:00Z", "eu-west-1")],
    );
}

#[test]
fn region_hours_without_trail_file_or_digest_are_named_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    case_with_a_silent_stretch(&case);
    let c = case.to_str().unwrap();

    let run = trailcase(["timeline", c]);
    assert_eq!(
        run.code, 1,
        "uncovered hours make the run incomplete: {}",
        run.stderr
    );
    let doc = run.json();
    assert!(schema_violations(
        &read_json(&repo().join("schema/timeline.schema.json")),
        &doc
    )
    .is_empty());
    let coverage = &doc["coverage"];
    assert_eq!(coverage["status"], "examined");
    let texts: Vec<&str> = coverage["not_covered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        vec![
            "111122223333 eu-west-1: 2026-11-20T02:00Z–06:00Z: no trail file",
            "111122223333 us-east-1: 2026-11-20T02:00Z–05:00Z: no trail file",
        ]
    );
    let us = &coverage["not_covered"][1];
    assert_eq!(
        (
            &us["account"],
            &us["region"],
            &us["from"],
            &us["to"],
            &us["hours"]
        ),
        (
            &json!(ACCOUNT),
            &json!("us-east-1"),
            &json!("2026-11-20T02:00:00Z"),
            &json!("2026-11-20T05:00:00Z"),
            &json!(3)
        )
    );
    let gaps: Vec<&Value> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "no_trail_coverage")
        .collect();
    assert_eq!(gaps.len(), 2, "{gaps:?}");
    assert_eq!(gaps[1]["reason"], texts[1]);
    assert_eq!(
        doc["summary"]["gaps"],
        doc["gaps"].as_array().unwrap().len()
    );

    // The report states the same ranges in its integrity appendix, and counts them as gaps.
    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[c]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("Coverage by region-hour"), "{text}");
    for t in &texts {
        assert!(text.contains(t), "{t} in the report");
    }
    assert!(text.contains("no_trail_coverage"), "listed among the gaps");
    // The executive summary names the gaps by what they are, not as unread inputs.
    assert!(text.contains("Completeness: 2 evidence gap(s): "), "{text}");
    assert!(
        !text.contains("Completeness: 2 evidence gap(s): an input not read in full"),
        "{text}"
    );
}

#[test]
fn a_fully_covered_window_adds_no_gap() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    trail_file(
        &case,
        "us-east-1",
        "20261120T0105Z",
        vec![record("e1-0100", "2026-11-20T01:01:00Z", "us-east-1")],
    );
    trail_file(
        &case,
        "us-east-1",
        "20261120T0205Z",
        vec![record("e1-0200", "2026-11-20T02:01:00Z", "us-east-1")],
    );
    let run = trailcase(["timeline", case.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["coverage"]["status"], "examined");
    assert_eq!(doc["coverage"]["not_covered"], json!([]));
    assert_eq!(doc["coverage"]["windows"][0]["hours"], 2);
}

#[test]
fn inputs_without_trail_key_layout_say_coverage_not_examined() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("records.json"),
        serde_json::to_vec(
            &json!({"Records": [record("e1-0100", "2026-11-20T01:01:00Z", "us-east-1")]}),
        )
        .unwrap(),
    )
    .unwrap();
    let run = trailcase(["timeline", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["coverage"]["status"], "not_examined");
    assert_eq!(
        doc["coverage"]["statement"],
        "coverage by region-hour not examined (no input folder holds trail files in the S3 key layout: AWSLogs/ at its top or in its cloudtrail/ folder)"
    );
    assert!(doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["kind"] != "no_trail_coverage"));

    // Beside the evidence, not in it (trailcase refuses to write into its evidence).
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[dir.path().to_str().unwrap()]);
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("coverage by region-hour not examined (no input folder holds trail files in the S3 key layout: AWSLogs/ at its top or in its cloudtrail/ folder)"),
        "{text}"
    );
}

/// A trail file that the case's digests list, and a LookupEvents page its manifest lists, were
/// deleted from the case: the timeline names each as a gap (`trail_file_missing`,
/// `acquired_file_missing`), and the file's hour as incomplete (`no_trail_coverage`, though
/// the hour's other files are verified), says the run is incomplete, and the report lists them.
#[test]
fn a_trail_file_the_digests_list_and_the_case_lacks_is_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    copy_dir(&repo().join("samples/incident-01"), &case);
    let hour = case.join("cloudtrail/AWSLogs/123456789012/CloudTrail/eu-west-1/2026/11/20");
    let mut names: Vec<String> = std::fs::read_dir(&hour)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let gone = names[0].clone();
    std::fs::remove_file(hour.join(&gone)).unwrap();
    // And a file the manifest lists that no digest does.
    let page = first_file(&case.join("lookup-events"));
    std::fs::remove_file(&page).unwrap();
    let c = case.to_str().unwrap();

    let run = trailcase(["timeline", c]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert!(schema_violations(
        &read_json(&repo().join("schema/timeline.schema.json")),
        &doc
    )
    .is_empty());
    assert_eq!(doc["complete"], false);
    let missing: Vec<&Value> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "trail_file_missing")
        .collect();
    assert_eq!(missing.len(), 1, "{:?}", doc["gaps"]);
    let path = missing[0]["path"].as_str().unwrap();
    assert!(path.ends_with(&format!("/2026/11/20/{gone}")), "{path}");
    // The manifest lists both files: the trail file is one gap (the digest's), the page another.
    let gaps = doc["gaps"].as_array().unwrap();
    assert_eq!(
        gaps.iter().filter(|g| g["path"] == path).count(),
        1,
        "{gaps:?}"
    );
    let page_gap: Vec<&Value> = gaps
        .iter()
        .filter(|g| g["kind"] == "acquired_file_missing")
        .collect();
    assert_eq!(page_gap.len(), 1, "{gaps:?}");
    assert_eq!(page_gap[0]["path"], page.to_str().unwrap());
    assert!(page_gap[0]["reason"]
        .as_str()
        .unwrap()
        .starts_with("listed in the case's manifest.json (acquired "));
    // The hour the file belonged to keeps its other files, verified ones among them, but its
    // records are incomplete: a coverage gap of its own, never a verified hour.
    let hour_gap: Vec<&str> = gaps
        .iter()
        .filter(|g| g["kind"] == "no_trail_coverage")
        .map(|g| g["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        hour_gap,
        ["123456789012 eu-west-1: 2026-11-20T12:00Z–13:00Z: trail files a digest lists for it are missing from the case"],
        "{gaps:?}"
    );
    assert_eq!(gaps.len(), 3, "{gaps:?}");
    let reason = missing[0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(
            "listed in the digest cloudtrail/AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/"
        ),
        "{reason}"
    );
    let statement = doc["coverage"]["statement"].as_str().unwrap();
    assert!(
        statement.contains("; 1 log file(s) a digest lists are missing from the case"),
        "{statement}"
    );

    let pdf = dir.path().join("report.pdf");
    let run = report_pdf(&pdf, &[c]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Narrow table cells break long words: compare without whitespace.
    let text: String = pdf_text(&pdf).split_whitespace().collect();
    assert!(text.contains("trail_file_missing"), "listed among the gaps");
    assert!(
        text.contains("acquired_file_missing"),
        "listed among the gaps"
    );
}

/// The first file of `dir` by name.
fn first_file(dir: &Path) -> std::path::PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap()
}

/// A file of an acquired case changed after acquisition (a LookupEvents page with a byte more,
/// still the same records; a trail file gzipped again, the same records in other bytes): the
/// timeline reads both as they are now, names each as an `acquired_file_changed` gap with the
/// SHA-256 the manifest recorded and the one read, and says the run is incomplete. The clean
/// case has no such gap.
#[test]
fn a_file_changed_since_acquisition_is_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    copy_dir(&repo().join("samples/incident-01"), &case);
    let c = case.to_str().unwrap();
    let clean = trailcase(["timeline", c]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    let clean = clean.json();

    let page = first_file(&case.join("lookup-events"));
    let mut bytes = std::fs::read(&page).unwrap();
    bytes.push(b'\n');
    std::fs::write(&page, &bytes).unwrap();
    let hour = case.join("cloudtrail/AWSLogs/123456789012/CloudTrail/eu-west-1/2026/11/20");
    let trail = first_file(&hour);
    let mut inflated = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(&trail).unwrap()),
        &mut inflated,
    )
    .unwrap();
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&inflated).unwrap();
    std::fs::write(&trail, gz.finish().unwrap()).unwrap();

    let run = trailcase(["timeline", c]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert!(schema_violations(
        &read_json(&repo().join("schema/timeline.schema.json")),
        &doc
    )
    .is_empty());
    assert_eq!(doc["complete"], false);
    assert_eq!(doc["records_read"], clean["records_read"]);
    let changed: Vec<&Value> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "acquired_file_changed")
        .collect();
    let paths: Vec<&str> = changed
        .iter()
        .map(|g| g["path"].as_str().unwrap())
        .collect();
    let mut expected = [trail.to_str().unwrap(), page.to_str().unwrap()];
    expected.sort();
    assert_eq!(paths, expected, "{:?}", doc["gaps"]);
    let manifest = read_json(&case.join("manifest.json"));
    for (gap, path) in changed.iter().zip(expected) {
        let rel = path.strip_prefix(&format!("{c}/")).unwrap();
        let recorded = manifest["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == rel)
            .unwrap()["sha256"]
            .as_str()
            .unwrap();
        let read = doc["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == path)
            .unwrap()["sha256"]
            .as_str()
            .unwrap();
        assert_ne!(recorded, read);
        let reason = gap["reason"].as_str().unwrap();
        assert!(
            reason.starts_with(&format!("its SHA-256 is {read}, not the {recorded} the case's manifest.json recorded when it was acquired")),
            "{reason}"
        );
    }
    assert!(!clean["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["kind"] == "acquired_file_changed"));
    // `--all` names the same files.
    let run = trailcase(["timeline", "--all", "--format", "json", c]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = run.json();
    let paths: Vec<&str> = all["summary"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "acquired_file_changed")
        .map(|g| g["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, expected);
}

/// A file added to an acquired case after acquisition (audit: "0 gap(s)", exit 0, while a
/// changed file was a gap and `verify` flagged the added one `file_unlisted`): `timeline`,
/// `timeline --all` and `report` name it as an `acquired_file_added` gap and exit 1.
#[test]
fn a_file_added_since_acquisition_is_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    copy_dir(&repo().join("samples/incident-01"), &case);
    let c = case.to_str().unwrap();
    let added = case.join("notes/extra.json");
    std::fs::create_dir_all(added.parent().unwrap()).unwrap();
    let records = json!({"Records": [record("added-0001", "2026-11-20T14:03:00Z", "us-east-1")]});
    std::fs::write(&added, records.to_string()).unwrap();

    let run = trailcase(["timeline", c]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert!(schema_violations(
        &read_json(&repo().join("schema/timeline.schema.json")),
        &doc
    )
    .is_empty());
    assert_eq!(doc["complete"], false);
    let gaps: Vec<&Value> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "acquired_file_added")
        .collect();
    assert_eq!(gaps.len(), 1, "{:?}", doc["gaps"]);
    assert_eq!(gaps[0]["path"], added.to_str().unwrap());
    assert!(gaps[0]["reason"]
        .as_str()
        .unwrap()
        .starts_with("in the case but not in its manifest.json: added after acquisition"));

    let run = trailcase(["timeline", "--all", "--format", "json", c]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.json()["summary"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["kind"] == "acquired_file_added" && g["path"] == added.to_str().unwrap()));

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[c]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("acquired_file_added"), "{text}");
    assert!(!text.contains("every input was read in full"));

    // The sample as acquired has no such gap.
    std::fs::remove_file(&added).unwrap();
    std::fs::remove_dir(added.parent().unwrap()).unwrap();
    assert_eq!(trailcase(["timeline", c]).code, 0);
}

/// A whole region's trail files and the digests left out of the sample (the region the
/// honeytoken was read in), its LookupEvents records kept: the region-hours with activity in
/// them are not covered by any trail file. The case said "every input was read in full",
/// counted no gap, and "the records show no other look-up by the actor" as if all were read.
#[test]
fn a_region_with_lookup_events_and_no_trail_file_at_all_is_not_covered() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let logs = case.join("cloudtrail/AWSLogs/123456789012");
    std::fs::remove_dir_all(logs.join("CloudTrail/us-east-1")).unwrap();
    std::fs::remove_dir_all(logs.join("CloudTrail-Digest")).unwrap();
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "a gap: {}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["complete"], false);
    let not_covered = doc["coverage"]["not_covered"].as_array().unwrap();
    let us: Vec<&Value> = not_covered
        .iter()
        .filter(|r| r["region"] == "us-east-1")
        .collect();
    assert!(!us.is_empty(), "{not_covered:#?}");
    assert!(
        us[0]["text"]
            .as_str()
            .unwrap()
            .contains("no trail file or digest for the region at all (LookupEvents records show activity there)"),
        "{}",
        us[0]["text"]
    );
    assert!(doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["kind"] == "no_trail_coverage"
            && g["reason"].as_str().unwrap().contains("us-east-1")));

    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("That rests on the evidence read only:"),
        "the summary's 'no other look-up' says what it rests on"
    );
    assert!(!text.contains("every input was read in full"));
}
