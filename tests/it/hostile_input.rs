//! Evidence crafted by an attacker (issue 13): each test reproduces one attack on the records a
//! responder reads and checks what the user sees (exit code, gaps, records, incidents).
//! Nothing is replaced, nothing dropped, nothing hangs.

use crate::support;

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use support::*;

/// The honeytoken read: the default honeytoken is `Production_Database_Credentials`.
fn honeytoken_read(id: &str, user_agent: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventTime":"2026-11-20T14:02:17Z","eventID":"{id}","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"{user_agent}","requestParameters":{{"secretId":"Production_Database_Credentials"}},"userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/mallory","accountId":"123456789012","accessKeyId":"AKIAEXAMPLE"}}}}"#
    )
}

fn other(id: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventTime":"2026-11-20T14:00:00Z","eventID":"{id}","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-east-1","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"}}}}"#
    )
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn timeline(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["timeline", "--quiet"];
    args.extend_from_slice(extra);
    args.push(dir.to_str().unwrap());
    trailcase(args)
}

/// The gaps of one file or record (the run-wide `no_records` gap, when nothing was read at
/// all, is left out: `tests/it/nothing_examined.rs` holds it).
fn gaps(doc: &Value) -> Vec<(String, Option<u64>, String, String)> {
    doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] != "no_records")
        .map(|g| {
            let path = g["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_string_lossy();
            (
                name.into_owned(),
                g["index"].as_u64(),
                g["kind"].as_str().unwrap().to_string(),
                g["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn access_ids(doc: &Value) -> Vec<String> {
    doc["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["access_event_ids"].as_array().unwrap().clone())
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn input<'a>(doc: &'a Value, file: &str) -> &'a Value {
    doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("no input {file}: {}", doc["inputs"]))
}

/// Python's `json.dumps` writes a lone surrogate as `\udc80`; serde_json refuses it in a string.
/// The record used to vanish from `{"Records":[…]}` files and arrays: no gap, 0 incidents.
#[test]
fn lone_surrogate_escape_cannot_hide_a_honeytoken_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let read = |id| honeytoken_read(id, r"aws-cli/2 \udc80");
    std::fs::write(
        d.join("trail.json"),
        format!(
            r#"{{"Records":[{},{},{}]}}"#,
            other("o-1"),
            read("in-records"),
            other("o-2")
        ),
    )
    .unwrap();
    std::fs::write(d.join("array.json"), format!("[{}]", read("in-array"))).unwrap();
    std::fs::write(
        d.join("trail.json.gz"),
        gzip(format!(r#"{{"Records":[{}]}}"#, read("in-gzip")).as_bytes()),
    )
    .unwrap();
    let run = timeline(d, &[]);
    assert_eq!(run.code, 0, "read, not rejected: {}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["summary"]["records_read"], 5);
    assert_eq!(doc["summary"]["records_rejected"], 0);
    let mut ids = access_ids(&doc);
    ids.sort();
    assert_eq!(ids, ["in-array", "in-gzip", "in-records"]);
    let row = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_id"] == "in-records")
        .unwrap();
    // The view reads U+FFFD where the lone surrogate was; the input keeps its bytes.
    assert_eq!(row["user_agent"], "aws-cli/2 \u{fffd}");
    assert_eq!(row["record"]["userAgent"], "aws-cli/2 \u{fffd}");
}

/// An element nested past serde_json's recursion limit used to vanish from the array.
#[test]
fn element_nested_past_the_recursion_limit_is_a_named_gap_not_a_vanishing() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}1{}", r#"{"a":"#.repeat(200), "}".repeat(200));
    std::fs::write(
        dir.path().join("trail.json"),
        format!(r#"{{"Records":[{},{deep},{}]}}"#, other("a"), other("b")),
    )
    .unwrap();
    std::fs::write(dir.path().join("array.json"), format!("[{deep}]")).unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let g = gaps(&doc);
    let named = |file: &str, index: u64| {
        g.iter().any(|(f, i, k, r)| {
            f == file
                && *i == Some(index)
                && k == "malformed_record"
                && r.contains("recursion limit")
        })
    };
    assert!(named("trail.json", 1) && named("array.json", 0), "{g:?}");
    assert_eq!(input(&doc, "trail.json")["records_read"], 2);
    assert_eq!(input(&doc, "trail.json")["records_rejected"], 1);
}

/// `+99:99` was accepted and moved the record by four days, without a word.
#[test]
fn impossible_time_offset_is_a_gap_not_a_shifted_record() {
    let dir = tempfile::tempdir().unwrap();
    let read = honeytoken_read("shifted", "aws-cli/2")
        .replace("2026-11-20T14:02:17Z", "2026-11-20T14:02:17+99:99");
    std::fs::write(
        dir.path().join("trail.json"),
        format!(r#"{{"Records":[{}]}}"#, read),
    )
    .unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(
        gaps(&doc),
        [(
            "trail.json".to_string(),
            Some(0),
            "invalid_event_time".to_string(),
            r#"eventTime "2026-11-20T14:02:17+99:99" is not a timestamp"#.to_string()
        )]
    );
    assert_eq!(doc["summary"]["records_read"], 0);
}

/// Analysed but exported as `null`: a honeytoken read with a field nested 200 deep, or a number
/// past an f64's range. The incident still rests on it, and a gap says the export cannot show it.
#[test]
fn record_too_deep_or_too_large_to_export_is_named_not_exported_as_null() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let with = |id: &str, field: &str| {
        honeytoken_read(id, "aws-cli/2").replace(
            r#""secretId":"Production_Database_Credentials""#,
            &format!(r#""secretId":"Production_Database_Credentials","x":{field}"#),
        )
    };
    std::fs::write(
        dir.path().join("trail.json"),
        format!(
            r#"{{"Records":[{},{}]}}"#,
            with("deep", &deep),
            with("huge", "1e999999")
        ),
    )
    .unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let mut ids = access_ids(&doc);
    ids.sort();
    assert_eq!(ids, ["deep", "huge"], "both reads are analysed");
    let g = gaps(&doc);
    assert_eq!(g.len(), 2, "{g:?}");
    assert!(
        g[0].1 == Some(0)
            && g[0].2 == "record_not_exportable"
            && g[0].3.contains("recursion limit"),
        "{g:?}"
    );
    assert!(
        g[1].1 == Some(1) && g[1].2 == "record_not_exportable" && g[1].3.contains("out of range"),
        "{g:?}"
    );
    assert_eq!(doc["summary"]["records_read"], 2);
    assert_eq!(doc["summary"]["records_rejected"], 0);
}

/// A FIFO in an input directory blocked `open()` forever; a symlink to `/dev/zero` read until
/// memory ran out. Neither is read: each is a named gap, and the rest is read. (The link now
/// points outside the evidence folder, which is its gap; `/dev/zero` named as an argument is
/// refused as a device.)
#[test]
fn fifo_and_device_in_the_input_tree_are_gaps_not_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("a.json"),
        format!(r#"{{"Records":[{}]}}"#, other("a")),
    )
    .unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(d.join("pipe.json"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.json.gz")).unwrap();
    let run = timeline(d, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let g = gaps(&doc);
    assert_eq!(
        g,
        [
            (
                "pipe.json".into(),
                None,
                "unreadable".into(),
                "not a regular file (a FIFO): not read".into()
            ),
            (
                "zero.json.gz".into(),
                None,
                "unreadable".into(),
                "a symbolic link that points outside the evidence folder (to /dev/zero): not read; copy the file into the folder to examine it".into()
            ),
        ]
    );
    assert_eq!(doc["summary"]["records_read"], 1);
    // Named directly as an argument: refused the same way, never opened for reading.
    let run = trailcase(["timeline", "--quiet", "/dev/zero"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        gaps(&run.json())[0].3,
        "not a regular file (a character device): not read"
    );
}

/// One symlink loop read a file 41 times; two ran past 60 s and 1.4 GB. Every file is read once
/// (by device and inode), and no directory is entered twice.
#[test]
fn symlink_loops_read_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(
        d.join("sub/a.json"),
        format!(r#"{{"Records":[{}]}}"#, other("a")),
    )
    .unwrap();
    std::os::unix::fs::symlink(".", d.join("sub/self")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/parent")).unwrap();
    std::os::unix::fs::symlink("sub", d.join("again")).unwrap();
    std::os::unix::fs::symlink("sub/a.json", d.join("link.json")).unwrap();
    let run = timeline(d, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["summary"]["inputs"], 1, "{}", doc["inputs"]);
    assert_eq!(doc["summary"]["records_read"], 1);
    assert_eq!(doc["summary"]["duplicates_dropped"], 0);
}

/// `--max-inflated 99999999999999` wrapped the read limit to 0: every multi-member gzip then
/// read as empty. Out of range, it is refused, exit 2; so are the config keys.
#[test]
fn max_inflated_that_would_wrap_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), format!("[{}]", other("a"))).unwrap();
    for flag in ["99999999999999", "0", "65537"] {
        let run = timeline(dir.path(), &["--max-inflated", flag]);
        assert_eq!(run.code, 2, "{flag}: {}", run.stderr);
        assert!(
            run.stderr.contains("--max-inflated") && run.stderr.contains("65536"),
            "{flag}: {}",
            run.stderr
        );
    }
    std::fs::write(
        dir.path().join("trailcase.toml"),
        "[limits]\nmax_inflated_mib = 99999999999999\n",
    )
    .unwrap();
    let run = trailcase(["timeline", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("max_inflated_mib"), "{}", run.stderr);
    // The detection window (minutes × 60 000 wrapped the same way).
    std::fs::write(
        dir.path().join("trailcase.toml"),
        "[detection]\nwindow_minutes = 99999999999999\n",
    )
    .unwrap();
    let run = trailcase(["timeline", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("window_minutes") && run.stderr.contains("527040"),
        "{}",
        run.stderr
    );
    // The largest value is taken, and reads a two-member gzip whole.
    std::fs::remove_file(dir.path().join("trailcase.toml")).unwrap();
    let two = [
        gzip(format!("[{}]", other("m1")).as_bytes()),
        gzip(format!("[{}]", other("m2")).as_bytes()),
    ]
    .concat();
    std::fs::write(dir.path().join("two.json.gz"), two).unwrap();
    let run = timeline(dir.path(), &["--max-inflated", "65536"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["summary"]["records_read"], 3);
}

/// `cat a.json.gz b.json.gz > all.json.gz`: the second member's records were dropped with a
/// gap. Each member is read as the document it is (also plain JSON documents back to back).
#[test]
fn gzip_members_joined_with_cat_are_all_read() {
    let dir = tempfile::tempdir().unwrap();
    let a = format!(r#"{{"Records":[{}]}}"#, other("first"));
    let b = format!(
        r#"{{"Records":[{}]}}"#,
        honeytoken_read("second", "aws-cli/2")
    );
    let joined = [gzip(a.as_bytes()), gzip(b.as_bytes())].concat();
    std::fs::write(dir.path().join("all.json.gz"), joined).unwrap();
    std::fs::write(dir.path().join("both.json"), format!("{a}  {b}")).unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(input(&doc, "all.json.gz")["records_read"], 2);
    assert_eq!(input(&doc, "both.json")["records_read"], 2);
    assert_eq!(access_ids(&doc), ["second"]);
}

/// aws-cli refuses a delivered trail file with anything after its first gzip member, so a
/// member appended to one is not evidence: it is a named gap saying what it holds.
#[test]
fn member_appended_to_a_delivered_trail_file_is_described_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let name = "123456789012_CloudTrail_us-east-1_20261120T1405Z_a1B2c3D4e5F6g7H8.json.gz";
    let first = gzip(format!(r#"{{"Records":[{}]}}"#, other("delivered")).as_bytes());
    let appended = gzip(
        format!(
            r#"{{"Records":[{},{}]}}"#,
            honeytoken_read("forged-1", "x"),
            honeytoken_read("forged-2", "x")
        )
        .as_bytes(),
    );
    std::fs::write(
        dir.path().join(name),
        [first.clone(), appended.clone()].concat(),
    )
    .unwrap();
    std::fs::write(
        dir.path()
            .join("123456789012_CloudTrail_us-east-1_20261120T1410Z_b1.json.gz"),
        [first, b"garbage".to_vec()].concat(),
    )
    .unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(input(&doc, name)["records_read"], 1);
    assert!(access_ids(&doc).is_empty());
    let g = gaps(&doc);
    assert_eq!(
        g,
        [
            (
                name.to_string(),
                None,
                "trail_file_appended".to_string(),
                format!("data after the first gzip member: {} bytes holding a second gzip member with 2 records, not read: a delivered CloudTrail trail file is one gzip member", appended.len())
            ),
            (
                "123456789012_CloudTrail_us-east-1_20261120T1410Z_b1.json.gz".to_string(),
                None,
                "trail_file_appended".to_string(),
                "data after the first gzip member: 7 bytes that are not gzip, not read: a delivered CloudTrail trail file is one gzip member".to_string()
            ),
        ]
    );
}

/// PowerShell's `>` and `Out-File` write UTF-16: it was "not JSON". It is read, with or
/// without a byte order mark, little- or big-endian.
#[test]
fn utf16_powershell_output_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{{\"Records\":[{}]}}\r\n",
        honeytoken_read("ps", "PowerShell ✓")
    );
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    std::fs::write(
        dir.path().join("le-bom.json"),
        [&[0xFF, 0xFE][..], &le].concat(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("be-bom.json"),
        [&[0xFE, 0xFF][..], &be].concat(),
    )
    .unwrap();
    std::fs::write(dir.path().join("le.json"), &le).unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    for file in ["le-bom.json", "be-bom.json", "le.json"] {
        assert_eq!(input(&doc, file)["records_read"], 1, "{file}");
    }
    let row = &doc["timeline"].as_array().unwrap()[0];
    assert_eq!(row["user_agent"], "PowerShell ✓");
}

/// A file named like a delivered trail file but with a multi-byte character among the time's
/// digits, holding two gzip members (so its name decides how it is read): the run crashed
/// (exit 134) slicing the name; it is read as any other gzip file, every member, nothing lost.
#[test]
fn a_crafted_name_with_a_multibyte_character_is_read_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let name = "123456789012_CloudTrail_us-east-1_2026112\u{e9}T140Z_abc.json.gz";
    let one = format!(
        r#"{{"Records":[{}]}}"#,
        honeytoken_read("crafted-1", "aws-cli/2")
    );
    let two = format!(r#"{{"Records":[{}]}}"#, other("crafted-2"));
    let bytes = [gzip(one.as_bytes()), gzip(two.as_bytes())].concat();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    let run = timeline(dir.path(), &[]);
    assert!(run.code <= 1, "exit {}: {}", run.code, run.stderr);
    let doc = run.json();
    assert_eq!(doc["summary"]["records_read"], 2, "{}", doc["gaps"]);
    assert_eq!(doc["incidents"][0]["access_event_ids"][0], "crafted-1");
}

/// A LookupEvents item or a subscription's log message whose text ends inside an escape after a
/// lone surrogate (`x\uD800\`): the run aborted (exit 134) looking for surrogates past the end.
/// Now a malformed record, named by its index, and the run goes on.
#[test]
fn an_embedded_record_ending_inside_an_escape_is_a_gap_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let text = r"x\uD800\";
    let page = serde_json::json!({"Events": [{
        "EventId": "c053eec4-da04-43da-9efa-9c06db32ebe9", "EventName": "GetSecretValue",
        "EventTime": "2026-11-20T15:58:29+00:00", "CloudTrailEvent": text}]});
    let sub = serde_json::json!({"messageType": "DATA_MESSAGE", "owner": "123456789012",
        "logGroup": "g", "logStream": "s", "subscriptionFilters": ["f"],
        "logEvents": [{"id": "1", "timestamp": 1793614477912_i64, "message": text}]});
    std::fs::write(dir.path().join("page.json"), page.to_string()).unwrap();
    std::fs::write(dir.path().join("sub.json"), sub.to_string()).unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let found = gaps(&doc);
    for file in ["page.json", "sub.json"] {
        assert!(
            found
                .iter()
                .any(|g| g.0.ends_with(file) && g.1 == Some(0) && g.2 == "malformed_record"),
            "{file}: {found:?}"
        );
    }
}

/// An alarm whose `Period` is 0 in the collected configuration: the replay divided by it and
/// the run aborted. Now the flow says its alarm cannot be replayed, and each access says that
/// when it fired is not predicted.
#[test]
fn an_alarm_with_a_period_of_zero_is_not_replayed_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_to_alter(dir.path());
    let alarms = case.join("cloudwatch/alarms.json");
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&alarms).unwrap()).unwrap();
    doc["MetricAlarms"][0]["Period"] = 0.into();
    std::fs::write(&alarms, doc.to_string()).unwrap();
    let run = timeline(&case, &[]);
    assert!(run.code <= 1, "exit {}: {}", run.code, run.stderr);
    let out = run.json();
    let flow = replay_flow(&out, |f| f["flow"] == "metric_filter");
    assert!(
        flow["error"]
            .as_str()
            .unwrap()
            .contains("period must be positive"),
        "{flow}"
    );
    for access in flow["accesses"].as_array().unwrap() {
        assert!(access["predicted"].is_null(), "{access}");
        assert!(
            access["note"]
                .as_str()
                .unwrap()
                .contains("could not be replayed"),
            "{access}"
        );
    }
}

/// One character PDF/A refuses in a glyph's text (U+0000, U+FEFF, U+FFFE) in a user agent, with
/// invisible and bidirectional ones beside it, stopped the report ("PDF would not conform",
/// exit 2, no PDF). The report is written, and the reader sees each of them as its escape.
#[test]
fn odd_characters_in_evidence_are_shown_escaped_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir(&case).unwrap();
    let agent = r"agent\u0000\ufeff\ufffe\u200b\u202e\u0001\ue000\udbff\udfffx";
    std::fs::write(
        case.join("odd.json"),
        format!(r#"{{"Records":[{}]}}"#, honeytoken_read("odd-1", agent)),
    )
    .unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(
        text.contains(r"agent\u{0}\u{feff}\u{fffe}\u{200b}\u{202e}\u{1}\u{e000}\u{10ffff}x"),
        "{text}"
    );
}

/// A file name with a byte that is not UTF-8 (a Latin-1 `é`) was printed with U+FFFD in its
/// place, in gaps, inputs and on the terminal: the path named could not be found on disk. Each
/// such byte is now written `\xHH`, so the name printed leads back to the file.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_named_so_that_it_can_be_found() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"trail-\xe9.json");
    std::fs::write(
        dir.path().join(name),
        r#"{"Records":[{"eventTime":"2026-13-45T99:00:00Z"}]}"#,
    )
    .unwrap();
    let run = trailcase(["timeline", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let named = format!("{}/trail-\\xE9.json", dir.path().display());
    assert_eq!(doc["inputs"][0]["path"], named.as_str());
    let gap = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == "invalid_event_time")
        .unwrap();
    assert_eq!(gap["path"], named.as_str());
    assert!(run.stderr.contains(&named), "{}", run.stderr);
    assert!(!run.stderr.contains('\u{FFFD}'), "{}", run.stderr);
}

/// A trail file whose element is an array holding the honeytoken read (`[{...}]`): serde's
/// derived reader took an array as a record's fields in order, so the gap said "eventTime of N
/// characters ... is not a timestamp" of a record that has a valid one. It is named as what
/// it is, on the fast and the streamed way alike (a `.json` and a `.json.gz`), and the records
/// around it are read.
#[test]
fn an_element_that_is_an_array_is_named_as_one() {
    let doc = format!(
        r#"{{"Records":[{},[{}],{}]}}"#,
        other("o-1"),
        honeytoken_read("read-1", "aws-cli"),
        other("o-2")
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain.json"), &doc).unwrap();
    std::fs::write(dir.path().join("packed.json.gz"), gzip(doc.as_bytes())).unwrap();
    let run = timeline(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    for file in ["plain.json", "packed.json.gz"] {
        assert_eq!(input(&doc, file)["records_read"], 2);
        assert_eq!(input(&doc, file)["records_rejected"], 1);
    }
    let found = gaps(&doc);
    assert_eq!(found.len(), 2, "{found:#?}");
    for (_, index, kind, reason) in &found {
        assert_eq!(
            (*index, kind.as_str(), reason.as_str()),
            (
                Some(1),
                "unrecognised_content",
                "a JSON value that is not an object"
            )
        );
    }
}
