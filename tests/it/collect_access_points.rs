//! `collect` did not list the S3 decoy's bucket's access points: a responder collecting from
//! AWS never learnt of an access point (or its alias) through which the decoy may have been
//! read, whose records name no bucket. It now asks S3 Control's ListAccessPoints for the decoy's
//! bucket (read-only) and stores the answer in the case, hashed in the manifest like every
//! collected response; a denied listing is a gap naming the permission (exit code 1), never an
//! empty list. Over real HTTP against moto's server, which serves ListAccessPoints (the denial
//! comes from the additions in tests/moto).

use crate::common;
use crate::support::read_json;

use common::bucket::{trailcase_at as trailcase, WINDOW};
use common::moto::Moto;
use serde_json::json;
use std::path::Path;
use std::process::Output;

/// moto's account: the one sts:GetCallerIdentity names.
const ACCOUNT: &str = "123456789012";

/// S3 Control's endpoint rules put the account in front of the host; moto is on the loopback.
#[derive(Debug)]
struct AsGiven(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for AsGiven {
    fn resolve_endpoint<'a>(
        &'a self,
        _: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
            aws_sdk_s3control::config::endpoint::Endpoint::builder()
                .url(self.0.clone())
                .build(),
        ))
    }
}

fn create_access_points(moto: &Moto, bucket: &str, names: &[&str]) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let conf = moto.sdk_config("us-east-1").await;
            let s3 = aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(&conf)
                    .force_path_style(true)
                    .build(),
            );
            s3.create_bucket().bucket(bucket).send().await.unwrap();
            let control = aws_sdk_s3control::Client::from_conf(
                aws_sdk_s3control::config::Builder::from(&conf)
                    .endpoint_resolver(AsGiven(moto.endpoint.clone()))
                    .build(),
            );
            for name in names {
                control
                    .create_access_point()
                    .account_id(ACCOUNT)
                    .name(*name)
                    .bucket(bucket)
                    .send()
                    .await
                    .unwrap();
            }
        });
}

fn collect(moto: &Moto, case: &Path) -> Output {
    let mut args = vec![
        "collect",
        "--case",
        case.to_str().unwrap(),
        "--honeytoken",
        "s3:decoy-bucket/backup.txt",
    ];
    args.extend(WINDOW);
    trailcase(&args, &moto.endpoint)
}

#[test]
fn collect_lists_the_decoy_buckets_access_points_and_a_denial_is_a_gap() {
    let moto = Moto::start();
    moto.seed(&json!({}));
    create_access_points(&moto, "decoy-bucket", &["finance-ap", "audit-ap"]);
    create_access_points(&moto, "other-bucket", &["other-ap"]);
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let out = collect(&moto, &case);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let listed = case.join("s3control/access-points-decoy-bucket.json");
    let doc = read_json(&listed);
    let mut names: Vec<&str> = doc["AccessPointList"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc:#}\n{stderr}"))
        .iter()
        .map(|a| a["Name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["audit-ap", "finance-ap"], "{doc:#}");
    for a in doc["AccessPointList"].as_array().unwrap() {
        assert_eq!(a["Bucket"], "decoy-bucket");
        assert!(a["Alias"].as_str().unwrap().ends_with("-s3alias"), "{a}");
        assert!(a["AccessPointArn"]
            .as_str()
            .unwrap()
            .starts_with(&format!("arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/")));
    }
    // Hashed in the manifest as every collected response, and counted as a call.
    let manifest = read_json(&case.join("manifest.json"));
    let text = manifest.to_string();
    assert!(
        text.contains("s3control/access-points-decoy-bucket.json"),
        "{manifest:#}"
    );
    assert!(
        text.contains("aws:s3:ListAccessPoints:us-east-1"),
        "{manifest:#}"
    );
    assert!(
        manifest["api_calls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["operation"] == "ListAccessPoints"),
        "{manifest:#}"
    );
    assert!(
        !manifest["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["source"].as_str().unwrap().contains("ListAccessPoints")),
        "{manifest:#}"
    );

    // Denied: a gap naming the bucket and the permission, exit code 1, no list stored.
    moto.seed(&json!({"s3control_deny": true}));
    let case = dir.path().join("denied");
    let out = collect(&moto, &case);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("gap: aws:s3:ListAccessPoints:us-east-1:decoy-bucket: ListAccessPoints was denied: the caller lacks s3:ListAccessPoints"),
        "{stderr}"
    );
    assert!(stderr.contains("[needs s3:ListAccessPoints]"), "{stderr}");
    assert!(!case
        .join("s3control/access-points-decoy-bucket.json")
        .exists());
}
