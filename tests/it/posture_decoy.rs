//! `trailcase posture --honeytoken ssm:NAME` and `s3:BUCKET/KEY` over real HTTP against moto's
//! server: whether the decoy exists is looked up without reading it (SSM DescribeParameters with
//! a Name filter, never GetParameter; S3 ListObjectsV2 with the key as prefix, never GetObject or
//! HeadObject, whose record names the decoy object itself), so a healthy pipeline on such a
//! decoy passes every check and exits 0, and a missing decoy FAILs its check.

use crate::common::moto::Moto;
use crate::posture_moto::{
    alarm, deploy, posture_json, put_decoy_parameter, put_rule, replace_filter, seed, Aws,
};
use crate::support::posture_check;
use serde_json::Value;

const PARAMETER: &str = "/prod/db/password";
const BUCKET: &str = "decoy-bucket";
const KEY: &str = "finance/payroll.csv";

/// The JSON result and the exit code of `posture` for `honeytoken`.
fn run(moto: &Moto, honeytoken: &str) -> (Value, Option<i32>) {
    posture_json(moto, &["--honeytoken", honeytoken])
}

fn not_passing(report: &Value) -> Vec<Value> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "PASS")
        .cloned()
        .collect()
}

/// Flow 1's filter and flow 2's rule both on `api` with `pattern`/`rule`, replacing the
/// deployed secret ones (moto keeps two filters of one name, so the old one is deleted first).
fn watch(rt: &tokio::runtime::Runtime, aws: &Aws, filter: &str, rule: &str) {
    rt.block_on(replace_filter(aws, filter));
    rt.block_on(put_rule(aws, rule));
}

#[test]
fn an_ssm_parameter_decoy_is_found_by_describe_parameters_never_read() {
    let moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let aws = rt.block_on(Aws::new(&moto));
    let d = rt.block_on(deploy(&aws));
    seed(&moto, &alarm(&d.alarm_topic), 2);
    rt.block_on(put_decoy_parameter(&aws, PARAMETER));
    let ssm = aws_sdk_ssm::Client::new(&aws.sdk);
    // Another parameter whose name starts with the decoy's: not the decoy.
    rt.block_on(
        ssm.put_parameter()
            .name("/prod/db/password-old")
            .value("x")
            .r#type(aws_sdk_ssm::types::ParameterType::String)
            .send(),
    )
    .unwrap();
    watch(
        &rt,
        &aws,
        r#"{ ($.eventSource = "ssm.amazonaws.com") && ($.eventName = "GetParameter") && ($.requestParameters.name = "*/prod/db/password") }"#,
        r#"{"source":["aws.ssm"],"detail":{"eventSource":["ssm.amazonaws.com"],"eventName":["GetParameter"],"requestParameters":{"name":["/prod/db/password",{"suffix":":parameter/prod/db/password"}]}}}"#,
    );

    let (report, code) = run(&moto, &format!("ssm:{PARAMETER}"));
    assert_eq!(not_passing(&report), Vec::<Value>::new(), "{report:#}");
    assert_eq!(code, Some(0));
    let exists = posture_check(&report, "honeytoken.parameter");
    let reason = exists["reason"].as_str().unwrap();
    for part in [
        "SSM parameter /prod/db/password exists",
        "DescribeParameters",
        "never GetParameter",
    ] {
        assert!(reason.contains(part), "{part} in {reason}");
    }

    let (report, code) = run(&moto, "ssm:/prod/db/pass");
    let exists = posture_check(&report, "honeytoken.parameter");
    assert_eq!(exists["status"], "FAIL", "{exists:#}");
    assert!(
        exists["reason"]
            .as_str()
            .unwrap()
            .contains("SSM parameter /prod/db/pass does not exist"),
        "{exists:#}"
    );
    assert_eq!(code, Some(1));

    let requests = moto.requests();
    let targets: Vec<&str> = requests
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["target"].as_str())
        .filter(|t| t.starts_with("AmazonSSM."))
        .collect();
    assert!(
        targets.contains(&"AmazonSSM.DescribeParameters"),
        "{targets:?}"
    );
    assert!(
        targets
            .iter()
            .all(|t| !t.starts_with("AmazonSSM.GetParameter")),
        "{targets:?}"
    );
}

#[test]
fn an_s3_object_decoy_is_found_by_listing_its_key_never_read() {
    let moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let aws = rt.block_on(Aws::new(&moto));
    let d = rt.block_on(deploy(&aws));
    seed(&moto, &alarm(&d.alarm_topic), 2);
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&aws.sdk)
            .force_path_style(true)
            .build(),
    );
    rt.block_on(s3.create_bucket().bucket(BUCKET).send())
        .unwrap();
    for key in [KEY, "finance/payroll.csv.bak"] {
        rt.block_on(
            s3.put_object()
                .bucket(BUCKET)
                .key(key)
                .body(aws_sdk_s3::primitives::ByteStream::from_static(
                    b"name,iban\n",
                ))
                .send(),
        )
        .unwrap();
    }
    let before = moto.requests().as_array().unwrap().len();
    watch(
        &rt,
        &aws,
        r#"{ ($.eventSource = "s3.amazonaws.com") && ($.eventName = "GetObject") && ($.requestParameters.bucketName = "decoy-bucket") && ($.requestParameters.key = "finance/payroll.csv") }"#,
        r#"{"source":["aws.s3"],"detail":{"eventSource":["s3.amazonaws.com"],"eventName":["GetObject"],"requestParameters":{"bucketName":["decoy-bucket"],"key":["finance/payroll.csv"]}}}"#,
    );

    let (report, code) = run(&moto, &format!("s3:{BUCKET}/{KEY}"));
    assert_eq!(not_passing(&report), Vec::<Value>::new(), "{report:#}");
    assert_eq!(code, Some(0));
    let exists = posture_check(&report, "honeytoken.object");
    let reason = exists["reason"].as_str().unwrap();
    for part in [
        "S3 object s3://decoy-bucket/finance/payroll.csv exists",
        "ListObjectsV2",
        "never GetObject or HeadObject",
    ] {
        assert!(reason.contains(part), "{part} in {reason}");
    }

    // A key that only begins another object's key is not there.
    let (report, code) = run(&moto, &format!("s3:{BUCKET}/finance/payroll"));
    let exists = posture_check(&report, "honeytoken.object");
    assert_eq!(exists["status"], "FAIL", "{exists:#}");
    assert!(
        exists["reason"]
            .as_str()
            .unwrap()
            .contains("S3 object s3://decoy-bucket/finance/payroll does not exist"),
        "{exists:#}"
    );
    assert_eq!(code, Some(1));

    // No request of posture's touched an object of the decoy bucket: only listings of it.
    let requests = moto.requests();
    let on_bucket: Vec<&Value> = requests.as_array().unwrap()[before..]
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .is_some_and(|p| p.trim_start_matches('/').starts_with(BUCKET))
        })
        .collect();
    assert!(!on_bucket.is_empty(), "{requests:#}");
    for r in on_bucket {
        assert_eq!(r["method"], "GET", "{r}");
        assert_eq!(
            r["path"].as_str().unwrap().trim_end_matches('/'),
            format!("/{BUCKET}"),
            "{r}"
        );
        assert!(r["query"].as_str().unwrap().contains("list-type=2"), "{r}");
    }
}
