//! `collect --athena` over real HTTP against moto's server, whose Athena really runs the SQL
//! (tests/moto/athena.py: sqlglot and DuckDB over the objects in its S3 bucket). The bucket holds
//! the bundled sample's trail (its incident, its signed digests) and a second account's
//! unrelated activity; the table is created as a user creates it, by running the DDL that
//! `trailcase athena ddl` prints. The central check: the Athena case gives the same incidents
//! as a case of every file of the window, from a fraction of the objects, and `verify` on it
//! exits 0 with the files it left out reported as outside the selection.

mod failures;
mod searches;

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

pub(crate) fn run_cmd(c: &mut Command) -> (Option<i32>, String) {
    let out = c.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
