//! `collect --athena` over real HTTP against moto's server, whose Athena really runs the SQL
//! (tests/moto/athena.py: sqlglot and DuckDB over the objects in its S3 bucket). The bucket holds
//! the bundled sample's trail (its incident, its signed digests) and a second account's
//! unrelated activity; the table is created as a user creates it, by running the DDL that
//! `trailcase athena ddl` prints. The central check: the Athena case gives the same incidents
//! as a case of every file of the window, from a fraction of the objects, and `verify` on it
//! exits 0 with the files it left out reported as outside the selection.

use crate::common;
use crate::support;

use common::bucket::run;
use common::moto::Moto;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const BUCKET: &str = "org-trail";
const TABLE: &str = "cloudtrail.trail";
const OTHER: &str = "210987654321";
/// The hours of the sample's trail (its files and digests cover 12:00 to 16:00).
const WINDOW: [&str; 4] = ["--from", "2026-11-20T12:00Z", "--to", "2026-11-20T16:00Z"];

fn sample_trail() -> PathBuf {
    support::repo().join("samples/incident-01/cloudtrail")
}

pub(crate) fn gzip_json(v: &Value) -> Vec<u8> {
    common::gzip(v.to_string().as_bytes())
}

/// The sample's trail files and digests as S3 holds them (every digest with its signature
/// metadata: the newest one's from its sidecar, each earlier one's from the
/// `previousDigestSignature` of the digest after it), and a second account's quiet hours.
fn objects() -> Vec<(String, Vec<u8>, Option<String>)> {
    let root = sample_trail();
    let mut out = Vec::new();
    let mut digests: Vec<(String, Vec<u8>)> = Vec::new();
    for path in common::acquired::files_below(&root.join("AWSLogs")) {
        let key = format!("AWSLogs/{path}");
        if key.ends_with(".signature") {
            continue;
        }
        let bytes = std::fs::read(root.join(&key)).unwrap();
        if key.contains("/CloudTrail-Digest/") {
            digests.push((key, bytes));
        } else {
            out.push((key, bytes, None));
        }
    }
    digests.sort();
    for (i, (key, bytes)) in digests.iter().enumerate() {
        let sidecar = root.join(format!("{key}.signature"));
        let signature = if sidecar.exists() {
            std::fs::read_to_string(sidecar).unwrap().trim().to_string()
        } else {
            let next = &digests[i + 1];
            assert_eq!(
                key.rsplit_once('/').unwrap().0,
                next.0.rsplit_once('/').unwrap().0
            );
            let doc: Value = serde_json::from_slice(&common::gunzip(&next.1)).unwrap();
            doc["previousDigestSignature"].as_str().unwrap().to_string()
        };
        out.push((key.clone(), bytes.clone(), Some(signature)));
    }
    for region in ["us-east-1", "ap-southeast-2"] {
        for hour in 0..24 {
            let records: Vec<Value> = (0..5)
                .map(|i| {
                    json!({
                        "eventVersion": "1.09", "eventTime": format!("2026-11-20T{hour:02}:{:02}:00Z", i * 7),
                        "eventSource": "ec2.amazonaws.com", "eventName": "DescribeInstances",
                        "awsRegion": region, "sourceIPAddress": "198.51.100.4",
                        "userAgent": "aws-sdk-go/1.44", "eventID": format!("other-{region}-{hour}-{i}"),
                        "readOnly": true, "eventType": "AwsApiCall", "recipientAccountId": OTHER,
                        "userIdentity": {"type": "AssumedRole", "accountId": OTHER,
                            "arn": format!("arn:aws:sts::{OTHER}:assumed-role/Inventory/i-0abc"),
                            "principalId": "AROAINVENTORY:i-0abc", "accessKeyId": "ASIAINVENTORY0000001"},
                    })
                })
                .collect();
            let key = format!(
                "AWSLogs/{OTHER}/CloudTrail/{region}/2026/11/20/{OTHER}_CloudTrail_{region}_20261120T{hour:02}05Z_q{hour}.json.gz"
            );
            out.push((key, gzip_json(&json!({ "Records": records })), None));
        }
    }
    out
}

pub(crate) fn put(moto: &Moto, objects: &[(String, Vec<u8>, Option<String>)]) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let conf = moto.sdk_config("us-east-1").await;
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&conf)
                .force_path_style(true)
                .build(),
        );
        // Created by the first call; a later one adds objects to it.
        let _ = s3.create_bucket().bucket(BUCKET).send().await;
        for (key, bytes, signature) in objects {
            let mut req = s3
                .put_object()
                .bucket(BUCKET)
                .key(key)
                .body(bytes.clone().into());
            if let Some(s) = signature {
                req = req.metadata("signature", s);
            }
            req.send().await.unwrap();
        }
    });
}

/// Run `sql` in moto's Athena as a user would (the SDK's StartQueryExecution), until it ends.
pub(crate) fn athena_sql(moto: &Moto, sql: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let conf = moto.sdk_config("us-east-1").await;
        let athena = aws_sdk_athena::Client::new(&conf);
        let id = athena
            .start_query_execution()
            .query_string(sql)
            .send()
            .await
            .unwrap()
            .query_execution_id()
            .unwrap()
            .to_string();
        loop {
            let q = athena
                .get_query_execution()
                .query_execution_id(&id)
                .send()
                .await
                .unwrap();
            let status = q.query_execution().unwrap().status().unwrap();
            let state = status.state().unwrap().as_str().to_string();
            if state != "RUNNING" && state != "QUEUED" {
                return format!("{state} {}", status.state_change_reason().unwrap_or(""));
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    })
}

/// Creates the Athena table `table` over the bucket's trail files of us-east-1, with the DDL
/// `trailcase athena ddl` prints, and checks that the query succeeded.
pub(crate) fn create_table(moto: &Moto, table: &str) {
    let out = trailcase(
        moto,
        &[
            "athena",
            "ddl",
            &format!("s3://{BUCKET}/AWSLogs/"),
            "--table",
            table,
            "--regions",
            "us-east-1",
        ],
    )
    .output()
    .unwrap();
    let ddl = String::from_utf8(out.stdout).unwrap();
    assert_eq!(athena_sql(moto, &ddl).trim(), "SUCCEEDED");
}

pub(crate) fn trailcase(moto: &Moto, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trailcase"));
    c.args(args)
        .args(["--endpoint-url", &moto.endpoint])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("SOURCE_DATE_EPOCH", "1795000000");
    c
}

/// The bucket, the public keys, and the table created from `athena ddl`'s output.
fn org() -> Moto {
    let moto = Moto::start();
    put(&moto, &objects());
    let keys: Value =
        serde_json::from_slice(&std::fs::read(sample_trail().join("public-keys.json")).unwrap())
            .unwrap();
    let list = keys["PublicKeyList"].clone();
    moto.seed(&json!({"public_keys": {"us-east-1": list, "eu-west-1": list}}));
    let out = trailcase(
        &moto,
        &[
            "athena",
            "ddl",
            &format!("s3://{BUCKET}/AWSLogs/"),
            "--table",
            TABLE,
            "--since",
            "2026/01/01",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ddl = String::from_utf8(out.stdout).unwrap();
    assert!(ddl.contains(&format!(
        "'projection.accountid.values'='123456789012,{OTHER}'"
    )));
    assert_eq!(athena_sql(&moto, &ddl).trim(), "SUCCEEDED");
    moto
}

fn collect(moto: &Moto, case: &Path, how: &[&str]) -> (Option<i32>, String) {
    let mut c = trailcase(moto, &["collect", "--case", case.to_str().unwrap()]);
    c.args(how).args(WINDOW).arg("--quiet");
    run(c)
}

fn timeline(case: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args([
            "timeline",
            case.to_str().unwrap(),
            "--format",
            "json",
            "--quiet",
        ])
        .env("SOURCE_DATE_EPOCH", "1795000000")
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "timeline of {}: {e}: {}",
            case.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub(crate) fn fetched_trail_files(case: &Path) -> Vec<String> {
    let m = common::acquired::manifest(case);
    let mut keys: Vec<String> = m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["s3"]["key"].as_str())
        .filter(|k| k.contains("/CloudTrail/"))
        .map(str::to_string)
        .collect();
    keys.sort();
    keys
}

fn size_of(case: &Path, keys: &[String]) -> u64 {
    keys.iter()
        .map(|k| {
            std::fs::metadata(common::acquired::stored(case, k))
                .unwrap()
                .len()
        })
        .sum()
}

/// What a responder reads of an incident: who, the reads and their event ids, the milestones
/// and latencies.
fn incidents(t: &Value) -> Value {
    let list = t["incidents"].as_array().cloned().unwrap_or_default();
    Value::Array(
        list.into_iter()
            .map(|i| {
                json!({
                    "id": i["id"],
                    "honeytoken": i["honeytoken"],
                    "actor": i["actor"],
                    "milestones": i["milestones"],
                    "latency_seconds": i["latency_seconds"],
                    "access_event_ids": i["access_event_ids"],
                    "containment": i["containment"],
                    "containment_status": i["containment_status"],
                    "event_ids": i["event_ids"],
                })
            })
            .collect(),
    )
}

#[test]
fn athena_selection_gives_the_same_incidents_from_a_fraction_of_the_files() {
    let moto = org();
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    let chosen = dir.path().join("athena");

    let (_, err) = collect(&moto, &full, &["--s3", &format!("s3://{BUCKET}/AWSLogs/")]);
    let (code, err_athena) = collect(&moto, &chosen, &["--athena", TABLE]);
    assert!(code == Some(0) || code == Some(1), "{err_athena}");

    let all = fetched_trail_files(&full);
    let some = fetched_trail_files(&chosen);
    assert!(all.iter().any(|k| k.contains(OTHER)), "{err}");
    assert!(!some.is_empty(), "{err_athena}");
    assert!(
        some.len() * 2 < all.len(),
        "Athena should select a fraction: {} of {}",
        some.len(),
        all.len()
    );
    eprintln!(
        "selectivity: {} of {} trail files fetched ({} bytes of {})",
        some.len(),
        all.len(),
        size_of(&chosen, &some),
        size_of(&full, &all)
    );
    assert!(some.iter().all(|k| all.contains(k)));
    assert!(
        some.iter().all(|k| !k.contains(OTHER)),
        "the other account's files hold no evidence: {some:?}"
    );

    let a = timeline(&full);
    let b = timeline(&chosen);
    assert!(!a["incidents"].as_array().unwrap().is_empty());
    assert_eq!(incidents(&a), incidents(&b));
    // The search's own evidence is read as what it is, never an unreadable input; and the hours
    // the search left out are neither gaps nor "no activity".
    // Coverage is examined where the case holds files (the whole window's digests of those
    // accounts and regions are fetched): there it finds what the full case finds.
    let reasons = |t: &Value| -> Vec<String> {
        t["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| format!("{} {}", g["kind"], g["reason"]))
            .collect()
    };
    let (ra, rb) = (reasons(&a), reasons(&b));
    assert!(rb.iter().all(|r| ra.contains(r)), "{rb:?} vs {ra:?}");
    assert!(!b["gaps"].to_string().contains("athena/"), "{}", b["gaps"]);
    let coverage = &b["coverage"];
    assert!(
        !coverage["searched_not_selected"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{coverage}"
    );
    assert!(
        coverage["statement"]
            .as_str()
            .unwrap()
            .contains("searched by Athena and held no evidence"),
        "{coverage}"
    );
    assert!(
        coverage["statement"]
            .as_str()
            .unwrap()
            .contains("Athena searched 2 account(s)"),
        "{coverage}"
    );

    // Every query is evidence: its SQL, its execution and its result pages, in the manifest.
    let m = common::acquired::manifest(&chosen);
    let paths: Vec<&str> = m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["path"].as_str())
        .collect();
    for p in [
        "athena/01-find/query.json",
        "athena/01-find/execution.json",
        "athena/01-find/results-0001.json",
        "athena/selection.json",
    ] {
        assert!(paths.contains(&p), "{p} not in the manifest: {paths:?}");
    }
    let request: Value =
        serde_json::from_slice(&std::fs::read(chosen.join("athena/01-find/query.json")).unwrap())
            .unwrap();
    let sql = request["QueryString"].as_str().unwrap();
    assert!(sql.contains("\"timestamp\" BETWEEN '2026/11/20' AND '2026/11/20'"));
    assert!(!sql.to_lowercase().contains("select *"));
    let execution: Value = serde_json::from_slice(
        &std::fs::read(chosen.join("athena/01-find/execution.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(execution["QueryExecution"]["Status"]["State"], "SUCCEEDED");
    assert!(
        execution["QueryExecution"]["Statistics"]["DataScannedInBytes"]
            .as_i64()
            .unwrap()
            > 0
    );

    // verify: the fetched files check against their signed digests; the files the digests list
    // and the search left out are outside the selection, not missing.
    let out = Command::new(env!("CARGO_BIN_EXE_trailcase"))
        .args(["verify", chosen.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("outside the selection"), "{text}");
    assert!(text.contains(" 0 missing"), "{text}");

    // The same command again resumes the case: the search runs again and replaces its evidence,
    // the files already fetched are skipped, and the case stays consistent.
    let (again, err) = collect(&moto, &chosen, &["--athena", TABLE]);
    assert_eq!(again, code, "{err}");
    common::acquired::assert_consistent(&chosen);
    assert_eq!(fetched_trail_files(&chosen), some);
}

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

pub(crate) fn run_cmd(c: &mut Command) -> (Option<i32>, String) {
    let out = c.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
