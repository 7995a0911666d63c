//! A bucket in moto's server holding the objects a test gives, and `trailcase` commands run
//! against it with test credentials and nothing from the user's AWS set-up.

use super::moto::Moto;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The window every collect test asks for.
pub const WINDOW: [&str; 4] = ["--from", "2026-11-20T00:00Z", "--to", "2026-11-21T00:00Z"];

/// Create `bucket` in `region` (with a LocationConstraint outside us-east-1) holding `objects`.
pub fn put_bucket(moto: &Moto, bucket: &str, region: &str, objects: &[(String, Vec<u8>)]) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let conf = moto.sdk_config(region).await;
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&conf)
                .force_path_style(true)
                .build(),
        );
        let mut create = s3.create_bucket().bucket(bucket);
        if region != "us-east-1" {
            create = create.create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(region.into())
                    .build(),
            );
        }
        create.send().await.unwrap();
        for (key, bytes) in objects {
            s3.put_object()
                .bucket(bucket)
                .key(key)
                .body(bytes.clone().into())
                .send()
                .await
                .unwrap();
        }
    });
}

/// moto with `objects` in `bucket` (created in `region`), and where the case is to go.
pub fn serving(
    objects: &[(String, Vec<u8>)],
    bucket: &str,
    region: &str,
) -> (Moto, tempfile::TempDir, PathBuf) {
    let moto = Moto::start();
    put_bucket(&moto, bucket, region, objects);
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    (moto, dir, case)
}

/// `trailcase collect` of the window into `case`, as a command not yet run.
pub fn collect(moto: &Moto, case: &Path, bucket: &str, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trailcase"));
    c.args(["collect", "--case", case.to_str().unwrap(), "--s3"])
        .arg(format!("s3://{bucket}/AWSLogs/"));
    against(moto, c, extra)
}

/// `trailcase timeline s3://bucket/AWSLogs/` of the window, keeping its case in `case`.
pub fn timeline_s3(moto: &Moto, case: &Path, bucket: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trailcase"));
    c.arg("timeline")
        .arg(format!("s3://{bucket}/AWSLogs/"))
        .args(["--quiet", "--keep-case", case.to_str().unwrap()]);
    against(moto, c, &[])
}

/// `c` for the window, against moto, with test credentials and nothing from the user's AWS set-up.
pub fn against(moto: &Moto, mut c: Command, extra: &[&str]) -> Command {
    c.args(WINDOW)
        .args(extra)
        .args(["--endpoint-url", &moto.endpoint]);
    isolated(&mut c);
    c
}

/// `c` with test credentials (moto takes any) and nothing from the user's AWS set-up: no
/// profile, no config or credentials file.
pub fn isolated(c: &mut Command) -> &mut Command {
    c.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env_remove("AWS_PROFILE")
}

/// `trailcase args` against moto's `endpoint` ([`isolated`]), run to its end.
pub fn trailcase_at(args: &[&str], endpoint: &str) -> Output {
    isolated(
        Command::new(env!("CARGO_BIN_EXE_trailcase"))
            .args(args)
            .args(["--endpoint-url", endpoint]),
    )
    .output()
    .expect("the trailcase binary runs")
}

pub fn run(mut c: Command) -> (Option<i32>, String) {
    let out: Output = c.output().expect("the trailcase binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
