//! `trailcase collect`: acquire from AWS into an evidence case directory; and the same
//! acquisition run first by `timeline` (and `report`) when an input is `s3://...` or `--lookup`
//! is given, into a temporary case that is then analysed like any other (one analysis path).
//!
//! Owns what the library must not touch: the async runtime, the clock, the environment, the
//! progress line on stderr.

use super::settings::{AwsSettings, EvidenceSpec};
use crate::case::acquire::{CaseWriter, RunInfo, Stats};
use crate::case::manifest::{Manifest, Window};
use crate::case::printable::printable;
use crate::cli::CollectArgs;
use crate::config::Config;
use crate::model::{Gap, GapKind};
use crate::source::aws::plan::{rfc3339, CollectPlan, S3Uri, TimeWindow};
use crate::source::aws::{self, AwsContext, Sink as _};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Outcome;
use ticker::{human_bytes, Ticker};

mod custody;
mod ticker;

/// A case acquired for analysis; a temporary one is removed when this is dropped.
pub struct AcquiredCase {
    pub path: PathBuf,
    pub manifest: Manifest,
    _temp: Option<tempfile::TempDir>,
}

impl AcquiredCase {
    /// The acquisition's gaps as evidence gaps of the analysis.
    pub fn gaps(&self) -> Vec<Gap> {
        manifest_gaps(&self.manifest)
    }
}

/// The gaps an acquisition recorded in its manifest, as evidence gaps of every analysis of the
/// case: what `collect` could not acquire is missing from whatever reads the case later.
pub(super) fn manifest_gaps(manifest: &Manifest) -> Vec<Gap> {
    manifest
        .gaps
        .iter()
        .map(|g| Gap {
            path: g.source.clone(),
            index: None,
            kind: GapKind::Unreadable,
            reason: match &g.permission {
                Some(p) => format!("not acquired from AWS (needs {p}): {}", g.reason),
                None => format!("not acquired from AWS: {}", g.reason),
            },
        })
        .collect()
}

pub fn collect(args: CollectArgs, quiet: bool) -> Result<Outcome> {
    let fetches = !args.s3.is_empty() || args.aws.athena.athena.is_some();
    super::flags::concurrency(&args.aws, fetches, "--s3 or --athena")?;
    let aws = AwsSettings::from(&args.aws);
    let plan = plan_of(&aws, args.s3.clone(), honeytokens(&args.honeytoken))?;
    if plan.s3.is_empty() && !plan.lookup && plan.athena.is_none() {
        eprintln!("trailcase: no --s3 prefix and no --lookup: acquiring the pipeline's configuration only");
    }
    let posture = args
        .posture
        .then(|| honeytokens(&args.honeytoken).remove(0));
    let (manifest, interrupted) = acquire(
        &args.case,
        &plan,
        &aws,
        args.case_id.clone(),
        posture.as_deref(),
        quiet,
        None,
    )?;
    if interrupted {
        eprintln!(
            "trailcase: interrupted: every file in {} is complete and in its manifest; run the same command again to resume",
            args.case.display()
        );
        return Ok(Outcome::Interrupted);
    }
    Ok(if manifest.gaps.is_empty() {
        Outcome::Complete
    } else {
        Outcome::Incomplete
    })
}

/// Ctrl-C stopped the acquisition that `timeline` or `report` needed: nothing is analysed.
#[derive(Debug, thiserror::Error)]
#[error("interrupted while acquiring from AWS: nothing was analysed{}", match .case {
    Some(c) => format!("; the case in {} resumes with the same command", c.display()),
    None => String::new(),
})]
pub struct Interrupted {
    /// `--keep-case`, when given.
    pub case: Option<PathBuf>,
}

/// For `timeline` and `report`: when an input is `s3://...` or `--lookup` is given, acquire
/// into a temporary case (or `--keep-case DIR`) and return it with the local inputs left.
pub fn acquire_for_analysis(
    evidence: &EvidenceSpec,
    quiet: bool,
) -> Result<(Vec<PathBuf>, Option<AcquiredCase>)> {
    match Pending::of(evidence)? {
        Ok(pending) => {
            let local = pending.local.clone();
            Ok((local, Some(pending.acquire(evidence, quiet, None)?)))
        }
        Err(local) => Ok((local, None)),
    }
}

/// An acquisition `timeline` or `report` is about to run, and its case directory.
pub struct Pending {
    /// The inputs that are not `s3://`.
    pub local: Vec<PathBuf>,
    pub path: PathBuf,
    plan: CollectPlan,
    temp: Option<tempfile::TempDir>,
}

impl Pending {
    /// The acquisition the arguments ask for, or (`Err`) the local inputs when they ask none.
    pub fn of(evidence: &EvidenceSpec) -> Result<Result<Pending, Vec<PathBuf>>> {
        let mut local = Vec::new();
        let mut s3 = Vec::new();
        for input in &evidence.inputs {
            match input.to_str().filter(|s| s.starts_with("s3://")) {
                Some(uri) => s3.push(S3Uri::parse(uri).map_err(anyhow::Error::msg)?),
                None => local.push(input.clone()),
            }
        }
        if s3.is_empty() && !evidence.aws.lookup && evidence.aws.athena.is_none() {
            return Ok(Err(local));
        }
        let plan = plan_of(&evidence.aws, s3, honeytokens(&evidence.honeytoken_flags))?;
        let (path, temp) = match &evidence.keep_case {
            Some(dir) => (dir.clone(), None),
            None => {
                let t = tempfile::Builder::new()
                    .prefix("trailcase-case-")
                    .tempdir()
                    .context("cannot create a temporary case directory")?;
                (t.path().to_path_buf(), Some(t))
            }
        };
        Ok(Ok(Pending {
            local,
            path,
            plan,
            temp,
        }))
    }

    /// Run it; `gate` (when given) hears which files are coming and when each has come. An
    /// interrupted acquisition is an error: analysing part of the window would present a
    /// partial timeline as the whole.
    pub fn acquire(
        self,
        evidence: &EvidenceSpec,
        quiet: bool,
        gate: Option<&crate::analyse::gate::Gate>,
    ) -> Result<AcquiredCase> {
        let (manifest, interrupted) = acquire(
            &self.path,
            &self.plan,
            &evidence.aws,
            evidence.config.case_id.clone(),
            None,
            quiet,
            gate,
        )?;
        if interrupted {
            return Err(Interrupted {
                case: evidence.keep_case.clone(),
            }
            .into());
        }
        Ok(AcquiredCase {
            path: self.path,
            manifest,
            _temp: self.temp,
        })
    }
}

fn honeytokens(flags: &[String]) -> Vec<String> {
    if flags.is_empty() {
        Config::default()
            .honeytokens
            .into_iter()
            .map(|h| h.pattern)
            .collect()
    } else {
        flags.to_vec()
    }
}

fn plan_of(aws: &AwsSettings, s3: Vec<S3Uri>, honeytokens: Vec<String>) -> Result<CollectPlan> {
    let (Some(from), Some(to)) = (aws.from, aws.to) else {
        bail!("reading from AWS needs a window: give --from and --to (RFC 3339, e.g. 2026-11-20T00:00Z)");
    };
    if !aws.lookup_attrs.is_empty() && !aws.lookup {
        bail!("--lookup-attr needs --lookup");
    }
    Ok(CollectPlan {
        window: TimeWindow::new(from, to).map_err(anyhow::Error::msg)?,
        s3,
        lookup: aws.lookup,
        lookup_attrs: aws.lookup_attrs.clone(),
        regions: (!aws.regions.is_empty()).then(|| aws.regions.clone()),
        all_alarms: aws.all_alarms,
        honeytokens,
        concurrency: aws.concurrency,
        lookup_rate: 2.0,
        athena: aws.athena.clone(),
    })
}

/// Acquire `plan` into `case` and write its manifest; with `posture` (the honeytoken secret's
/// name), also check the deployed pipeline and store the result in the case. Also says whether
/// Ctrl-C stopped it.
fn acquire(
    case: &Path,
    plan: &CollectPlan,
    aws: &AwsSettings,
    case_id: Option<String>,
    posture: Option<&str>,
    quiet: bool,
    gate: Option<&crate::analyse::gate::Gate>,
) -> Result<(Manifest, bool)> {
    let mut run = RunInfo {
        case_id,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        collector: None,
        command: std::env::args().collect(),
        window: Some(Window {
            from: rfc3339(plan.window.from),
            to: rfc3339(plan.window.to),
        }),
    };
    let options = aws.options.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // No credentials: one line and exit 2, before the case is touched.
    let (ctx, caller) = runtime.block_on(async {
        let ctx = AwsContext::load(&options).await;
        ctx.check_credentials().await?;
        let caller = custody::ask(&ctx).await;
        Ok::<_, aws::AwsError>((ctx, caller))
    })?;
    run.collector = Some(caller.collector.clone());
    let writer = Arc::new(CaseWriter::open(case, run, Box::new(now))?);
    writer.api_call("sts", "GetCallerIdentity", &caller.region, caller.ok);
    if let Some(why) = &caller.collector.unknown_reason {
        writer.notice(&format!(
            "the collecting identity is unknown (sts:GetCallerIdentity failed: {why}); the manifest records it as unknown"
        ));
    }
    let progress = Ticker::start(quiet, Arc::clone(&writer));
    let interrupted = runtime.block_on(async {
        let gated = gate.map(|g| super::gated::gated_sink(writer.as_ref(), g));
        let sink: &dyn aws::Sink = match &gated {
            Some(g) => g,
            None => writer.as_ref(),
        };
        let interrupted = tokio::select! {
            () = aws::collect(&ctx, plan, sink) => false,
            _ = tokio::signal::ctrl_c() => true,
        };
        if let (Some(athena), true) = (&plan.athena, interrupted) {
            aws::athena::stop_running(&ctx, athena, sink).await;
        }
        if let (Some(honeytoken), false) = (posture, interrupted) {
            store_posture(&ctx, &aws.regions, honeytoken, writer.as_ref()).await;
        }
        interrupted
    });
    progress.stop();
    if interrupted {
        // Every file stored so far is complete (written under a temporary name, then renamed);
        // saving the manifest now lets the next run skip them.
        writer.gap(
            "trailcase collect",
            "interrupted before the acquisition finished: run the same command again to resume",
            None,
        );
    }
    let manifest = writer
        .finish()
        .with_context(|| format!("cannot write the manifest of {}", case.display()))?;
    if !quiet {
        summary(case, &writer.stats(), &writer.notices(), &manifest);
    }
    Ok((manifest, interrupted))
}

/// Check the pipeline's posture and store it as `posture/posture.json`; a failure to store it is
/// a gap of the acquisition.
async fn store_posture(
    ctx: &AwsContext,
    regions: &[String],
    honeytoken: &str,
    writer: &CaseWriter,
) {
    let now = super::posture::now();
    let (regions, checks) = super::posture::check(ctx, regions, honeytoken, now).await;
    let checked_at = now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let report = crate::posture::to_wire(checks, honeytoken, &regions, checked_at);
    let source = format!("trailcase:posture:{}", regions.join(","));
    let stored = super::posture::case_bytes(&report)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            let provenance = aws::Provenance {
                source: source.clone(),
                s3: None,
            };
            writer
                .store(super::posture::POSTURE_FILE, &bytes, provenance)
                .map_err(|e| e.to_string())
        });
    if let Err(why) = stored {
        writer.gap(
            &source,
            &format!("cannot store the posture result: {why}"),
            None,
        );
    }
}

fn summary(case: &Path, s: &Stats, notices: &[String], m: &Manifest) {
    for n in notices {
        eprintln!("trailcase: {}", printable(n));
    }
    eprintln!(
        "trailcase: collected into {}: {} file(s) stored ({}), {} object(s) skipped (already in the case with the same ETag), {} LookupEvents event(s), {} API call(s), {} gap(s)",
        case.display(),
        s.stored_files,
        human_bytes(s.stored_bytes),
        s.skipped_objects,
        s.events,
        m.api_calls.iter().map(|c| c.calls).sum::<u64>(),
        m.gaps.len()
    );
    for g in &m.gaps {
        match &g.permission {
            Some(p) => eprintln!(
                "  gap: {}: {} [needs {}]",
                printable(&g.source),
                printable(&g.reason),
                printable(p)
            ),
            None => eprintln!("  gap: {}: {}", printable(&g.source), printable(&g.reason)),
        }
    }
}

/// "Now" as RFC 3339 UTC: SOURCE_DATE_EPOCH when set (reproducible manifests), else the clock.
fn now() -> String {
    let t = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .unwrap_or_else(|| {
            let d = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            chrono::DateTime::from_timestamp(d.as_secs() as i64, 0).unwrap_or_default()
        });
    rfc3339(t)
}
