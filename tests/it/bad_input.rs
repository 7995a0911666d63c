//! Bad input gets a clear error and loses nothing: each problem is named (file, record index,
//! reason), counted, the rest of the run goes on, and the exit code is 1.

use crate::support;

use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use support::*;

fn record(id: &str, time: &str) -> Value {
    json!({
        "eventVersion": "1.08",
        "eventTime": time,
        "eventID": id,
        "eventSource": "ec2.amazonaws.com",
        "eventName": "DescribeInstances",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "192.0.2.1",
        "userAgent": "aws-cli/2",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice", "accountId": "123456789012"}
    })
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn gap<'a>(doc: &'a Value, file: &str) -> Vec<&'a Value> {
    doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["path"].as_str().unwrap().ends_with(file))
        .collect()
}

fn input<'a>(doc: &'a Value, file: &str) -> &'a Value {
    doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with(file))
        .unwrap()
}

#[test]
fn each_bad_input_is_a_named_gap_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good: Vec<Value> = (0..5)
        .map(|i| record(&format!("good-{i}"), "2026-11-20T10:00:00Z"))
        .collect();
    write(
        d,
        "good.json.gz",
        &gzip(json!({"Records": good}).to_string().as_bytes()),
    );

    // A truncated gzip: the records that inflated before the cut are kept.
    let many: Vec<Value> = (0..400)
        .map(|i| record(&format!("trunc-{i:03}"), "2026-11-20T11:00:00Z"))
        .collect();
    let gz = gzip(json!({"Records": many}).to_string().as_bytes());
    write(d, "truncated.json.gz", &gz[..gz.len() * 2 / 3]);

    write(d, "invalid.json", b"{\"Records\": [ {\"eventTime\": ");
    let mut no_time = record("no-time", "x");
    no_time.as_object_mut().unwrap().remove("eventTime");
    let bad_time = record("bad-time", "redacted");
    let fine = record("fine", "2026-11-20T12:00:00Z");
    write(
        d,
        "records.json",
        json!({"Records": [no_time, bad_time, fine]})
            .to_string()
            .as_bytes(),
    );
    write(d, "picture.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(d, "wrong-kind.json", br#"{"hello": "world"}"#);
    // A gzip bomb: 4 MiB of spaces inside a Records array, read with a 1 MiB inflate cap.
    let mut bomb = b"{\"Records\":[".to_vec();
    bomb.extend(std::iter::repeat_n(b' ', 4 << 20));
    bomb.extend(b"]}");
    write(d, "bomb.json.gz", &gzip(&bomb));
    // An unreadable file: a link to nothing.
    std::os::unix::fs::symlink(d.join("does-not-exist"), d.join("dangling.json")).unwrap();

    let run = trailcase([
        "timeline",
        "--quiet",
        "--max-inflated",
        "1",
        d.to_str().unwrap(),
    ]);
    assert_eq!(
        run.code, 1,
        "incomplete evidence exits 1; stderr: {}",
        run.stderr
    );
    let doc = run.json();

    assert_eq!(input(&doc, "good.json.gz")["records_read"], 5);
    let trunc = gap(&doc, "truncated.json.gz");
    assert!(
        trunc.iter().any(|g| g["kind"] == "truncated_gzip"),
        "{trunc:?}"
    );
    let kept = input(&doc, "truncated.json.gz")["records_read"]
        .as_u64()
        .unwrap();
    assert!(
        kept > 100 && kept < 400,
        "records before the cut are kept: {kept}"
    );

    let inv = gap(&doc, "invalid.json");
    assert_eq!(inv[0]["kind"], "invalid_json");
    assert!(
        inv[0]["reason"].as_str().unwrap().contains("line 1"),
        "{}",
        inv[0]["reason"]
    );

    let recs = gap(&doc, "records.json");
    assert_eq!(recs.len(), 2);
    assert_eq!(
        (recs[0]["index"].as_u64(), recs[0]["kind"].as_str()),
        (Some(0), Some("missing_event_time"))
    );
    assert_eq!(
        (recs[1]["index"].as_u64(), recs[1]["kind"].as_str()),
        (Some(1), Some("invalid_event_time"))
    );
    assert_eq!(input(&doc, "records.json")["records_read"], 1);
    assert_eq!(input(&doc, "records.json")["records_rejected"], 2);

    assert_eq!(gap(&doc, "picture.png")[0]["kind"], "invalid_json");
    assert_eq!(
        gap(&doc, "wrong-kind.json")[0]["kind"],
        "unrecognised_content"
    );
    assert!(gap(&doc, "bomb.json.gz")
        .iter()
        .any(|g| g["kind"] == "decompressed_too_large"));
    let dangling = gap(&doc, "dangling.json");
    assert_eq!(dangling[0]["kind"], "unreadable");

    assert_eq!(doc["complete"], false);
    assert_eq!(
        doc["summary"]["gaps"].as_u64().unwrap() as usize,
        doc["gaps"].as_array().unwrap().len()
    );
    assert_eq!(doc["summary"]["records_rejected"], 2);
    assert!(
        run.stderr.is_empty(),
        "--quiet prints nothing: {}",
        run.stderr
    );
}

#[test]
fn without_quiet_the_gaps_are_announced_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "invalid.json", b"{");
    let run = trailcase(["timeline", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("incomplete")
            && run.stderr.contains("invalid.json: invalid_json")
            && run.stderr.contains("no_records: no CloudTrail record"),
        "{}",
        run.stderr
    );
}

#[test]
fn clean_evidence_exits_zero_and_a_missing_input_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.json",
        json!({"Records": [record("a", "2026-11-20T10:00:00Z")]})
            .to_string()
            .as_bytes(),
    );
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["complete"], true);

    let missing = trailcase(["timeline", "/nonexistent/evidence"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("/nonexistent/evidence")
            && missing.stderr.contains("does not exist"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_wrong_config_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "trailcase.toml",
        b"[killswitch]\nprincipal = [\"x\"]\n",
    );
    write(
        dir.path(),
        "a.json",
        json!({"Records": [record("a", "2026-11-20T10:00:00Z")]})
            .to_string()
            .as_bytes(),
    );
    let run = trailcase(["timeline", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("principal") && run.stderr.contains("trailcase.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_same_event_from_two_inputs_is_kept_once() {
    let dir = tempfile::tempdir().unwrap();
    let read = json!({
        "eventVersion": "1.08", "eventTime": "2026-11-20T14:02:17Z", "eventID": "dup-1",
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue", "awsRegion": "us-east-1",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/mallory", "accessKeyId": "AKIAEXAMPLE"}
    });
    write(
        dir.path(),
        "trail.json.gz",
        &gzip(json!({"Records": [read.clone()]}).to_string().as_bytes()),
    );
    let lookup = json!({"Events": [{"EventId": "dup-1", "EventName": "GetSecretValue", "EventTime": "2026-11-20T14:02:17+00:00",
        "CloudTrailEvent": read.to_string()}]});
    write(dir.path(), "lookup.json", lookup.to_string().as_bytes());
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["summary"]["records_read"], 2);
    assert_eq!(doc["summary"]["duplicates_dropped"], 1);
    let accesses: Vec<&Value> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["event_id"] == "dup-1")
        .collect();
    assert_eq!(accesses.len(), 1);
    assert_eq!(doc["incidents"][0]["access_event_ids"], json!(["dup-1"]));
}

/// A byte that is not UTF-8 inside a string of one record of a `{"Records":[...]}` document (a
/// Latin-1 re-export writes `é` as 0xE9) made the whole document invalid from that byte on: the
/// records after it were lost, the gap named no record and `records_rejected` counted none. Now
/// that record alone is a gap with its index (and the offset of the byte), the others are read,
/// gzip or not, a document of several values too.
#[test]
fn a_byte_that_is_not_utf8_costs_its_record_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let marked = |i: usize| {
        let mut r = record(&format!("r-{i}"), &format!("2026-11-20T10:0{i}:00Z"));
        r["userAgent"] = json!(if i == 1 { "MARK" } else { "aws-cli/2" });
        r
    };
    let body = json!({"Records": (0..3).map(marked).collect::<Vec<_>>()})
        .to_string()
        .replace("MARK", "Mozilla caf\u{1}")
        .into_bytes();
    // The placeholder \u{1} is one byte: put 0xE9 in its place.
    let at = body.iter().position(|b| *b == 1).unwrap();
    let mut body = body;
    body[at] = 0xE9;
    write(d, "latin1.json", &body);
    write(d, "latin1.json.gz", &gzip(&body));
    let mut twice = body.clone();
    twice.extend_from_slice(b"\n");
    twice.extend_from_slice(&body);
    write(d, "two-documents.json", &twice);
    let run = trailcase(["timeline", "--quiet", d.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = timeline_of(d);
    for (file, read, bad) in [
        ("latin1.json", 2, vec![(1, at)]),
        ("latin1.json.gz", 2, vec![(1, at)]),
        (
            "two-documents.json",
            4,
            vec![(1, at), (4, body.len() + 1 + at)],
        ),
    ] {
        assert_eq!(input(&doc, file)["records_read"], json!(read), "{file}");
        let gaps = gap(&doc, file);
        let named: Vec<(u64, String)> = gaps
            .iter()
            .map(|g| {
                (
                    g["index"].as_u64().unwrap(),
                    g["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(named.len(), bad.len(), "{file}: {named:?}");
        for ((index, reason), (want_index, offset)) in named.iter().zip(&bad) {
            assert_eq!(index, want_index, "{file}: {reason}");
            assert!(
                reason.contains(&format!("not UTF-8: a byte at offset {offset} ")),
                "{file}: {reason}"
            );
        }
        assert_eq!(
            input(&doc, file)["records_rejected"],
            json!(bad.len()),
            "{file}"
        );
    }
}

/// Audit: a record whose eventTime is the number 5 was read as a call at 1970-01-01T00:00:05Z
/// (an epoch number is read as a time, as some exports write one), so the case's evidence
/// "started" in 1970, with no gap. No CloudTrail record is older than 2013 (CloudTrail was
/// launched on 2013-11-13): such a time is an invalid_event_time gap naming the record, in every
/// form of the time (a number, epoch text, a date), and a time from 2013 on is read.
#[test]
fn an_event_time_before_cloudtrail_existed_is_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let times = [
        json!(5),
        json!("1424.0"),
        json!("2012-12-31T23:59:59Z"),
        json!("2013-01-01T00:00:00Z"),
        json!("2026-11-20T10:00:00Z"),
    ];
    let records: Vec<Value> = times
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut r = record(&format!("r-{i}"), "");
            r["eventTime"] = t.clone();
            r
        })
        .collect();
    write(
        dir.path(),
        "times.json",
        json!({ "Records": records }).to_string().as_bytes(),
    );
    let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let gaps = gap(&doc, "times.json");
    let named: Vec<(u64, &str)> = gaps
        .iter()
        .map(|g| (g["index"].as_u64().unwrap(), g["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        named,
        vec![
            (0, "invalid_event_time"),
            (1, "invalid_event_time"),
            (2, "invalid_event_time")
        ]
    );
    assert!(
        gaps[0]["reason"]
            .as_str()
            .unwrap()
            .contains("before 2013, when CloudTrail was launched"),
        "{}",
        gaps[0]["reason"]
    );
    assert_eq!(input(&doc, "times.json")["records_read"], 2);
    assert_eq!(doc["summary"]["records_rejected"], 3);
}
