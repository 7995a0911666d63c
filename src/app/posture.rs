//! `trailcase posture`: load the AWS configuration, read each region's pipeline, judge it, print
//! the table or the JSON. Exit 0 when every check passes, 1 otherwise, 2 when nothing could be
//! read at all (no credentials, no network).

use super::Outcome;
use crate::cli::{PostureArgs, ReportFormatArg};
use crate::posture::{self, Status};
use crate::source::aws::config::FALLBACK_REGION;
use crate::source::aws::{posture as read, AwsContext, AwsOptions};
use anyhow::{bail, Context, Result};
use std::io::Write as _;

pub fn run(args: PostureArgs) -> Result<Outcome> {
    let options = AwsOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let now = now();
    let (regions, checks) = runtime.block_on(async {
        let ctx = AwsContext::load(&options).await;
        check(&ctx, &args.regions, &args.honeytoken, now).await
    });
    if checks.iter().all(|c| c.status == Status::Unknown) {
        let first = checks.first().map(|c| c.reason.as_str()).unwrap_or("");
        bail!("could not read the pipeline's configuration: {first}");
    }
    let ok = posture::all_pass(&checks);
    let checked_at = now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let report = posture::to_wire(checks, &args.honeytoken, &regions, checked_at);
    if let Some(case) = &args.case {
        store(case, &report, &regions)?;
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        ReportFormatArg::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            out.write_all(b"\n")?;
        }
        ReportFormatArg::Text => out.write_all(posture::render_text(&report).as_bytes())?,
    }
    out.flush()?;
    Ok(if ok {
        Outcome::Complete
    } else {
        Outcome::Incomplete
    })
}

/// Read and judge each region's pipeline (the configured region when none is given).
pub(super) async fn check(
    ctx: &AwsContext,
    regions: &[String],
    honeytoken: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> (Vec<String>, Vec<posture::Check>) {
    let regions = if regions.is_empty() {
        vec![ctx
            .configured_region()
            .unwrap_or_else(|| FALLBACK_REGION.to_string())]
    } else {
        regions.to_vec()
    };
    let mut checks = Vec::new();
    for region in &regions {
        let snapshot = read::snapshot(ctx, region, honeytoken).await;
        checks.extend(posture::evaluate(&snapshot, now));
    }
    (regions, checks)
}

/// The result as the case stores it (pretty JSON, newline-terminated).
pub(super) fn case_bytes(report: &posture::PostureReport) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(report)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Store the JSON result in the case and its manifest.
fn store(
    case: &std::path::Path,
    report: &posture::PostureReport,
    regions: &[String],
) -> Result<()> {
    let bytes = case_bytes(report)?;
    let by = crate::case::record::Adder {
        tool_version: env!("CARGO_PKG_VERSION").into(),
        command: std::env::args().collect(),
        at: report.checked_at.clone(),
    };
    let source = format!("trailcase:posture:{}", regions.join(","));
    crate::case::record::add_file(case, POSTURE_FILE, &bytes, &source, &by)
        .with_context(|| format!("cannot store the posture result in {}", case.display()))?;
    Ok(())
}

/// Where a case keeps its posture result.
pub const POSTURE_FILE: &str = "posture/posture.json";

/// The wall clock: the trail's last delivery is judged against the real time, so
/// `SOURCE_DATE_EPOCH` does not apply here.
pub(super) fn now() -> chrono::DateTime<chrono::Utc> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    chrono::DateTime::from_timestamp(since.as_secs() as i64, 0).unwrap_or_default()
}
