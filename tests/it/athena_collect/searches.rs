//! What the Athena search finds beyond the window's trail files: other principals' records at
//! the actor's address, `timeline` and `report` searching Athena directly, and real recorded
//! reads found by the search.

use super::*;

/// Another principal's record from the address the honeytoken was read from, in a file with no
/// record of the actor's: the search fetches it, so the Athena case reports the principal at the
/// actor's address as the case of every file does.
#[test]
fn the_search_fetches_other_principals_records_at_the_actors_address() {
    let moto = org();
    let key = format!(
        "AWSLogs/{OTHER}/CloudTrail/us-east-1/2026/11/20/{OTHER}_CloudTrail_us-east-1_20261120T1415Z_sharedAddress.json.gz"
    );
    let record = json!({
        "eventVersion": "1.09", "eventTime": "2026-11-20T14:12:00Z",
        "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets",
        "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.45",
        "userAgent": "aws-cli/2.15.30", "eventID": "shared-address-1",
        "readOnly": true, "eventType": "AwsApiCall", "recipientAccountId": OTHER,
        "userIdentity": {"type": "IAMUser", "accountId": OTHER,
            "arn": format!("arn:aws:iam::{OTHER}:user/ops"),
            "principalId": "AIDAOPS", "accessKeyId": "AKIAOPS"},
    });
    put(
        &moto,
        &[(
            key.clone(),
            gzip_json(&json!({ "Records": [record] })),
            None,
        )],
    );
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    let chosen = dir.path().join("athena");
    collect(&moto, &full, &["--s3", &format!("s3://{BUCKET}/AWSLogs/")]);
    let (code, err) = collect(&moto, &chosen, &["--athena", TABLE]);
    assert!(code == Some(0) || code == Some(1), "{err}");
    let some = fetched_trail_files(&chosen);
    let other: Vec<&String> = some.iter().filter(|k| k.contains(OTHER)).collect();
    assert_eq!(other.len(), 1, "{some:?}");
    assert!(other[0].ends_with("_sharedAddress.json.gz"), "{other:?}");
    let selection: Value =
        serde_json::from_slice(&std::fs::read(chosen.join("athena/selection.json")).unwrap())
            .unwrap();
    assert_eq!(selection["addresses"], json!(["203.0.113.45"]));

    let same = |case: &Path| timeline(case)["incidents"][0]["same_address"].clone();
    let (a, b) = (same(&full), same(&chosen));
    assert_eq!(a, b);
    assert_eq!(
        b["principals"][0]["principal"],
        format!("arn:aws:iam::{OTHER}:user/ops")
    );
    assert_eq!(b["principals"][0]["event_ids"], json!(["shared-address-1"]));
}

#[test]
fn timeline_and_report_search_with_athena_directly() {
    let moto = org();
    let dir = tempfile::tempdir().unwrap();
    let kept = dir.path().join("kept");
    let mut c = trailcase(
        &moto,
        &[
            "timeline",
            "--athena",
            TABLE,
            "--format",
            "json",
            "--quiet",
            "--keep-case",
            kept.to_str().unwrap(),
        ],
    );
    let out = c.args(WINDOW).output().unwrap();
    let t: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(!t["incidents"].as_array().unwrap().is_empty());
    assert!(kept.join("athena/selection.json").is_file());

    // An s3:// input bounds what the search may fetch: evidence outside it is named, not fetched.
    let bounded = dir.path().join("bounded");
    let mut c = trailcase(
        &moto,
        &[
            "timeline",
            &format!("s3://{BUCKET}/AWSLogs/{OTHER}/"),
            "--athena",
            TABLE,
            "--format",
            "json",
            "--keep-case",
            bounded.to_str().unwrap(),
        ],
    );
    let out = c.args(WINDOW).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("not under the s3:// inputs given"),
        "{stderr}"
    );
    assert!(fetched_trail_files(&bounded).is_empty(), "{stderr}");
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(t["gaps"]
        .to_string()
        .contains("not under the s3:// inputs given"));

    // The report lists the search's evidence among its inputs, each with its SHA-256.
    let pdf = dir.path().join("report.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args(["report", kept.to_str().unwrap(), "--quiet", "--out"])
        .arg(&pdf)
        .env("SOURCE_DATE_EPOCH", "1795000000")
        .output()
        .unwrap();
    assert!(pdf.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    // (Paths are printed relative to the inputs' common folder.)
    assert!(
        text.contains("athena-query-results"),
        "report does not list the results"
    );
    assert!(
        text.contains("athena/01-find/query.json"),
        "report does not list the find query"
    );
    assert!(
        text.contains("trailcase:athena:find"),
        "report does not name the query's source"
    );
}

/// Real recorded records (Stratus Red Team's secretsmanager-retrieve-secrets, attributed in
/// tests/data/SOURCES.md) through the same path: the table's JSON SerDe columns, the SQL and
/// DuckDB read their real shapes, and the search finds the same reads as reading the file.
#[test]
fn real_recorded_reads_are_found_by_the_search() {
    let path = support::repo()
        .join("tests/data/shared/cloudtrail/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json");
    let records: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let account = "903144391865";
    let key = format!(
        "AWSLogs/{account}/CloudTrail/us-east-1/2024/07/31/{account}_CloudTrail_us-east-1_20240731T1240Z_stratus.json.gz"
    );
    let noise = format!(
        "AWSLogs/{account}/CloudTrail/us-east-1/2024/07/31/{account}_CloudTrail_us-east-1_20240731T1120Z_other.json.gz"
    );
    let other = json!({"Records": [{"eventVersion": "1.09", "eventTime": "2024-07-31T11:15:00Z",
        "eventSource": "ec2.amazonaws.com", "eventName": "DescribeInstances", "awsRegion": "us-east-1",
        "eventID": "noise-1", "eventType": "AwsApiCall", "recipientAccountId": account,
        "userIdentity": {"type": "AssumedRole", "arn": format!("arn:aws:sts::{account}:assumed-role/Inventory/x"),
            "accountId": account, "principalId": "AROAX:x", "accessKeyId": "ASIAINVENTORY0000002"}}]});
    let moto = Moto::start();
    put(
        &moto,
        &[
            (key.clone(), gzip_json(&json!({ "Records": records })), None),
            (noise, gzip_json(&other), None),
        ],
    );
    create_table(&moto, "cloudtrail.real");

    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let honeytoken = "stratus-red-team-retrieve*";
    let mut c = trailcase(
        &moto,
        &[
            "collect",
            "--case",
            case.to_str().unwrap(),
            "--athena",
            "cloudtrail.real",
            "--honeytoken",
            honeytoken,
            "--from",
            "2024-07-31T11:00Z",
            "--to",
            "2024-07-31T13:00Z",
            "--quiet",
        ],
    );
    let (_, err) = run_cmd(&mut c);
    assert_eq!(fetched_trail_files(&case), [key], "{err}");

    // The reads the case's timeline finds are the reads of the file itself.
    let ids = |inputs: &[&Path]| -> Value {
        let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
            .arg("timeline")
            .args(inputs)
            .args(["--honeytoken", honeytoken, "--format", "json", "--quiet"])
            .output()
            .unwrap();
        let t: Value = serde_json::from_slice(&out.stdout).unwrap();
        t["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["access_event_ids"].clone())
            .collect()
    };
    let from_file = ids(&[path.as_path()]);
    assert!(!from_file.as_array().unwrap().is_empty());
    assert_eq!(ids(&[case.as_path()]), from_file);

    // This trail has no digests: the hour whose only file was listed beside the chosen one and
    // left out is searched-not-selected (athena/left-out-*.json), not a coverage gap.
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args([
            "timeline",
            case.to_str().unwrap(),
            "--honeytoken",
            honeytoken,
        ])
        .args(["--format", "json", "--quiet"])
        .output()
        .unwrap();
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !t["gaps"].to_string().contains("no_trail_coverage"),
        "{}",
        t["gaps"]
    );
    let searched = t["coverage"]["searched_not_selected"].to_string();
    assert!(searched.contains("2024-07-31T11:00Z"), "{}", t["coverage"]);
}
