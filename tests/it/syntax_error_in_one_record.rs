//! A syntax error inside one record of a document (`NaN`, `Infinity`, a bare word, a single
//! quote, a raw control character, a trailing comma: what Python's json or a broken exporter
//! writes) cost every record of the document: `timeline` read none, with one `invalid_json`
//! gap naming neither the record nor how many were read. Now it costs that record only, named
//! at its index, on every path that reads records: a trail file (plain, gzip, a large gzip read
//! while it inflates), a LookupEvents page, a JSON array, a line of JSON lines, and `--all`
//! (also its comparison of the copies of an eventID, which reads the records again).

use crate::support::*;

use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// A honeytoken read (the default honeytoken, `Production_Database_Credentials`).
fn read(id: &str, second: u32) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventTime":"2026-11-20T14:02:{second:02}Z","eventID":"{id}","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"ua","requestParameters":{{"secretId":"Production_Database_Credentials"}},"userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/mallory","accountId":"123456789012"}}}}"#
    )
}

/// A record with `token` where a value belongs in its requestParameters.
fn broken(id: &str, token: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventTime":"2026-11-20T14:01:00Z","eventID":"{id}","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-east-1","requestParameters":{{"x":{token}}},"userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"}}}}"#
    )
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn item(record: &str) -> String {
    format!(
        r#"{{"EventId":"x","EventName":"GetSecretValue","CloudTrailEvent":{}}}"#,
        serde_json::to_string(record).unwrap()
    )
}

/// Each file, and the index of its bad element.
fn write_case(dir: &Path, token: &str) -> Vec<(&'static str, u64)> {
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    let trail = |a: &str, b: &str| {
        format!(
            r#"{{"Records":[{},{},{}]}}"#,
            read(a, 1),
            broken(&format!("{a}-bad"), token),
            read(b, 3)
        )
    };
    w("trail.json", trail("t0", "t2").as_bytes());
    w("trail.json.gz", &gzip(trail("g0", "g2").as_bytes()));
    // Past 1 MiB inflated, under a delivered trail file's name: read while it inflates.
    let pad: Vec<String> = (0..600)
        .map(|n| {
            read(&format!("p{n}"), 5).replace(
                r#""userAgent":"ua""#,
                &format!(r#""userAgent":"{}""#, "u".repeat(2000)),
            )
        })
        .collect();
    let large = format!(
        r#"{{"Records":[{},{},{}]}}"#,
        read("l0", 1),
        broken("l-bad", token),
        pad.join(",")
    );
    w(
        "123456789012_CloudTrail_us-east-1_20261120T1400Z_abcdef.json.gz",
        &gzip(large.as_bytes()),
    );
    w(
        "page.json",
        format!(
            r#"{{"Events":[{},{{"EventId":"e-bad","CloudTrailEvent":{token}}},{}]}}"#,
            item(&read("e0", 1)),
            item(&read("e2", 3))
        )
        .as_bytes(),
    );
    w(
        "array.json",
        format!(
            "[{},{},{}]",
            read("a0", 1),
            broken("a-bad", token),
            read("a2", 3)
        )
        .as_bytes(),
    );
    // JSON lines whose second line is a trail file with the error: its elements 1 to 3.
    w(
        "lines.json",
        format!("{}\n{}\n", read("j0", 1), trail("j1", "j3")).as_bytes(),
    );
    vec![
        ("trail.json", 1),
        ("trail.json.gz", 1),
        (
            "123456789012_CloudTrail_us-east-1_20261120T1400Z_abcdef.json.gz",
            1,
        ),
        ("page.json", 1),
        ("array.json", 1),
        ("lines.json", 2),
    ]
}

fn name(path: &Value) -> String {
    Path::new(path.as_str().unwrap())
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// The tokens a JSON reader refuses inside a record, as other writers write them.
const TOKENS: [&str; 7] = [
    "NaN",
    "Infinity",
    "-Infinity",
    "hello",
    "'single'",
    "\"tab\there\"",
    "1,",
];

#[test]
fn a_syntax_error_inside_one_record_costs_that_record_only() {
    for token in TOKENS {
        let dir = tempfile::tempdir().unwrap();
        let files = write_case(dir.path(), token);
        let all = trailcase(["timeline", "--quiet", "--all", dir.path().to_str().unwrap()]);
        assert_eq!(all.code, 1, "{token}: {}", all.stderr);
        let doc = all.json();
        let summary = &doc["summary"];
        // Each file: its one gap names the bad element, and the records on both sides of it
        // are in the timeline.
        let gaps = summary["gaps"].as_array().unwrap();
        assert_eq!(gaps.len(), files.len(), "{token}: {gaps:#?}");
        for (file, bad) in &files {
            let gap = gaps.iter().find(|g| name(&g["path"]) == *file).unwrap();
            assert_eq!(gap["index"], *bad, "{token} {file}");
            assert_eq!(gap["kind"], "malformed_record", "{token} {file}");
            let reason = gap["reason"].as_str().unwrap();
            assert!(
                reason.starts_with("not JSON: ")
                    && reason.contains(" of the document (line 1, column ")
                    && reason.ends_with("it is not read, the document's other elements are"),
                "{token} {file}: {reason}"
            );
            let indices: Vec<u64> = (doc["records"].as_array().unwrap().iter())
                .filter(|r| name(&r["input"]) == *file)
                .map(|r| r["record_index"].as_u64().unwrap())
                .collect();
            assert!(
                indices.contains(&(bad - 1)) && indices.contains(&(bad + 1)),
                "{token} {file}: {indices:?}"
            );
            assert!(!indices.contains(bad), "{token} {file}");
        }
        assert_eq!(summary["records_rejected"], files.len(), "{token}");
        assert_eq!(summary["records_read"], 2 * files.len() as u64 + 600);

        // `timeline` reads the same: the honeytoken reads after the bad record are in the
        // incident.
        let run = trailcase(["timeline", "--quiet", dir.path().to_str().unwrap()]);
        assert_eq!(run.code, 1, "{token}");
        let doc = run.json();
        let ids: Vec<&str> = (doc["incidents"].as_array().unwrap().iter())
            .flat_map(|i| i["access_event_ids"].as_array().unwrap())
            .map(|v| v.as_str().unwrap())
            .collect();
        for id in ["t2", "g2", "e2", "a2", "j3", "p599"] {
            assert!(ids.contains(&id), "{token}: {id} not in {ids:?}");
        }
        assert_eq!(doc["summary"]["records_rejected"], files.len());
    }
}

/// `--all` compares the copies of an eventID by reading the records again by their index: a
/// record after a bad one must be found again, as the same record. The conflict is the one
/// found without the bad record.
#[test]
fn copies_after_a_bad_record_are_compared() {
    let copy = read("dup", 1);
    let other = copy.replace("203.0.113.9", "198.51.100.7");
    let run = |bad: &str, all: bool| {
        let dir = tempfile::tempdir().unwrap();
        let w = |name: &str, text: String| std::fs::write(dir.path().join(name), text).unwrap();
        w("a.json", format!(r#"{{"Records":[{bad}{copy}]}}"#));
        w("b.json", format!(r#"{{"Records":[{other}]}}"#));
        let mut args = vec!["timeline", "--quiet"];
        if all {
            args.push("--all");
        }
        args.push(dir.path().to_str().unwrap());
        let run = trailcase(&args);
        let summary = run.json()["summary"].clone();
        (run.code, summary)
    };
    let bad = format!("{},", broken("bad", "NaN"));
    for all in [true, false] {
        let (code, damaged) = run(&bad, all);
        let (_, clean) = run("", all);
        assert_eq!(code, 1, "--all {all}");
        assert_eq!(damaged["records_rejected"], 1, "--all {all}");
        assert_eq!(clean["conflicting_copies"], 2, "--all {all}");
        assert_eq!(
            damaged["conflicting_copies"], clean["conflicting_copies"],
            "--all {all}"
        );
        if all {
            // The copies compared: the same records, the one in a.json now at index 1.
            let copies = |s: &Value| -> Vec<(String, u64)> {
                (s["conflicts"][0]["copies"].as_array().unwrap().iter())
                    .map(|c| (name(&c["input"]), c["record_index"].as_u64().unwrap()))
                    .collect()
            };
            assert_eq!(copies(&clean), [("a.json".into(), 0), ("b.json".into(), 0)]);
            assert_eq!(
                copies(&damaged),
                [("a.json".into(), 1), ("b.json".into(), 0)]
            );
        }
    }
}

/// Where the extent of the bad record cannot be found (a string never closed, brackets that
/// never close or close the other kind), the gap says how far the document was read and from
/// which byte it was not: never a silent loss.
#[test]
fn where_a_record_cannot_be_delimited_the_gap_says_how_far_it_was_read() {
    for (token, why) in [
        (r#""never closed}"#, "never ends"),
        (&*"[".repeat(100_000), "closes another kind"),
        (r#"{"a":1]"#, "closes another kind"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let text = format!(
            r#"{{"Records":[{},{},{}]}}"#,
            read("r0", 1),
            broken("bad", token),
            read("r2", 2)
        );
        std::fs::write(dir.path().join("t.json"), &text).unwrap();
        let run = trailcase(["timeline", "--quiet", "--all", dir.path().to_str().unwrap()]);
        assert_eq!(run.code, 1, "{why}");
        let doc = run.json();
        let gaps = doc["summary"]["gaps"].as_array().unwrap();
        assert_eq!(gaps.len(), 1, "{gaps:#?}");
        assert_eq!(gaps[0]["kind"], "invalid_json");
        assert!(gaps[0]["index"].is_null());
        let from = text
            .find(r#"{"eventVersion":"1.08","eventTime":"2026-11-20T14:01"#)
            .unwrap();
        let reason = gaps[0]["reason"].as_str().unwrap();
        assert!(
            reason.contains(&format!(" of the document); the document's element 0 was read (1 record; any that could not be are named); the rest of the document, from byte {from}, could not be: ")) && reason.contains(why),
            "{reason}"
        );
        assert_eq!(doc["summary"]["records_read"], 1);
    }
}
