//! `collect --athena`'s failures over moto's Athena: a failed, refused or foreign search is a
//! gap that names its reason, Athena's options without `--athena` are errors, and paged
//! results, cancelled queries and Ctrl-C leave a case that says what it holds.

use super::*;

fn gaps(case: &Path) -> String {
    common::acquired::manifest(case)["gaps"].to_string()
}

#[test]
fn failed_refused_and_foreign_searches_are_gaps_with_the_reason() {
    let moto = org();
    let keys: Value =
        serde_json::from_slice(&std::fs::read(sample_trail().join("public-keys.json")).unwrap())
            .unwrap();
    let list = keys["PublicKeyList"].clone();
    let dir = tempfile::tempdir().unwrap();

    // Athena throttles the first two starts: retried, the search completes.
    moto.seed(&json!({"public_keys": {"us-east-1": list}, "athena_throttle": 2}));
    let ok = dir.path().join("throttled");
    let (_, err) = collect(
        &moto,
        &ok,
        &[
            "--athena",
            TABLE,
            "--athena-output",
            "s3://org-trail/ir-results/",
        ],
    );
    assert!(!fetched_trail_files(&ok).is_empty(), "{err}");
    // --athena-output is where Athena wrote the results (the only thing written in AWS).
    let execution: Value =
        serde_json::from_slice(&std::fs::read(ok.join("athena/01-find/execution.json")).unwrap())
            .unwrap();
    let location = execution["QueryExecution"]["ResultConfiguration"]["OutputLocation"]
        .as_str()
        .unwrap();
    assert!(
        location.starts_with("s3://org-trail/ir-results/"),
        "{location}"
    );
    assert!(!gaps(&ok).contains("athena"), "{}", gaps(&ok));

    // The actors query fails in Athena: a gap with Athena's reason, exit 1; what the find
    // query selected is still fetched.
    moto.seed(&json!({"public_keys": {"us-east-1": list},
        "athena_fail": {"GROUP BY": "Query exhausted resources at this scale factor"}}));
    let failed = dir.path().join("failed");
    let (code, err) = collect(&moto, &failed, &["--athena", TABLE]);
    assert_eq!(
        code,
        Some(1),
        "{err} {} {:?}",
        gaps(&failed),
        common::acquired::files_below(&failed.join("athena"))
    );
    let g = gaps(&failed);
    assert!(
        g.contains("FAILED") && g.contains("Query exhausted resources"),
        "{g}"
    );
    assert!(
        !fetched_trail_files(&failed).is_empty(),
        "the find query's files are kept"
    );

    // --max-scan-gb: one partition measured, times the window's partitions, is too much.
    moto.seed(&json!({"public_keys": {"us-east-1": list}}));
    let refused = dir.path().join("refused");
    let (code, err) = collect(
        &moto,
        &refused,
        &["--athena", TABLE, "--max-scan-gb", "0.000001"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        gaps(&refused).contains("more than --max-scan-gb"),
        "{}",
        gaps(&refused)
    );
    assert!(fetched_trail_files(&refused).is_empty());

    // A table that is not a CloudTrail table: refused, naming what it lacks.
    let ddl = format!(
        "CREATE EXTERNAL TABLE cloudtrail.flows (srcaddr STRING, dstaddr STRING) PARTITIONED BY (dt STRING) \
         ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' LOCATION 's3://{BUCKET}/flows/'"
    );
    assert_eq!(athena_sql(&moto, &ddl).trim(), "SUCCEEDED");
    let foreign = dir.path().join("foreign");
    let (code, _) = collect(&moto, &foreign, &["--athena", "cloudtrail.flows"]);
    assert_eq!(code, Some(1));
    let g = gaps(&foreign);
    assert!(
        g.contains("not a CloudTrail table")
            && g.contains("eventname")
            && g.contains("useridentity"),
        "{g}"
    );

    // Access denied to the queries: a gap naming the permission.
    moto.seed(&json!({"athena_deny": ["StartQueryExecution"]}));
    let denied = dir.path().join("denied");
    let (code, _) = collect(&moto, &denied, &["--athena", TABLE]);
    assert_eq!(code, Some(1));
    assert!(
        gaps(&denied).contains("athena:StartQueryExecution"),
        "{}",
        gaps(&denied)
    );
}

#[test]
fn athena_options_without_athena_are_errors() {
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args(["collect", "--case", "/tmp/never", "--workgroup", "ir"])
        .args(WINDOW)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--athena"));
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args([
            "athena",
            "ddl",
            "s3://trail-bucket/AWSLogs/123456789012/",
            "--org",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("organisation trail"));
}

/// What the test server's Athena saw (GET /_trailcase/athena).
fn athena_state(moto: &Moto) -> Value {
    let url = format!("{}/_trailcase/athena", moto.endpoint);
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys,urllib.request;print(urllib.request.urlopen(sys.argv[1]).read().decode())",
            &url,
        ])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn paged_results_cancelled_queries_and_ctrl_c() {
    let moto = org();
    let keys: Value =
        serde_json::from_slice(&std::fs::read(sample_trail().join("public-keys.json")).unwrap())
            .unwrap();
    let list = keys["PublicKeyList"].clone();
    let dir = tempfile::tempdir().unwrap();

    // Results of two rows a page: every page is read and kept, and the same files are chosen.
    let whole = dir.path().join("whole");
    collect(&moto, &whole, &["--athena", TABLE]);
    moto.seed(&json!({"public_keys": {"us-east-1": list}, "athena_page_size": 2}));
    let paged = dir.path().join("paged");
    let (_, err) = collect(&moto, &paged, &["--athena", TABLE]);
    assert_eq!(
        fetched_trail_files(&paged),
        fetched_trail_files(&whole),
        "{err}"
    );
    let pages = common::acquired::files_below(&paged.join("athena"));
    assert!(
        pages.iter().any(|p| p.ends_with("results-0002.json")),
        "{pages:?}"
    );

    // A query Athena cancels is a gap with its state and reason.
    moto.seed(
        &json!({"public_keys": {"us-east-1": list}, "athena_cancel": ["'sts.amazonaws.com'"]}),
    );
    let cancelled = dir.path().join("cancelled");
    let (code, _) = collect(&moto, &cancelled, &["--athena", TABLE]);
    assert_eq!(code, Some(1));
    assert!(
        gaps(&cancelled).contains("CANCELLED"),
        "{}",
        gaps(&cancelled)
    );

    // Ctrl-C while a query runs: trailcase stops it in Athena too, and exits 130.
    moto.seed(&json!({"public_keys": {"us-east-1": list}, "athena_running_polls": 100000}));
    let before = athena_state(&moto)["queries"].as_array().unwrap().len();
    let interrupted = dir.path().join("interrupted");
    let mut c = trailcase(
        &moto,
        &[
            "collect",
            "--case",
            interrupted.to_str().unwrap(),
            "--athena",
            TABLE,
        ],
    );
    let child = c
        .args(WINDOW)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let running = loop {
        let state = athena_state(&moto);
        let queries = state["queries"].as_array().unwrap().clone();
        if queries.len() > before {
            break queries[before]["id"].as_str().unwrap().to_string();
        }
        assert!(std::time::Instant::now() < deadline, "no query started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let stopped = athena_state(&moto)["stopped"].clone();
    assert!(
        stopped
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == running.as_str()),
        "{running} not stopped: {stopped}"
    );
}
