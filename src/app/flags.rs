//! Flags that cannot apply are errors, not silence: the checks on an evidence command's
//! arguments that clap cannot express. Each failure is one line and exit code 2.
//!
//! Decision (documented in the README): `--from`/`--to` select what to acquire from AWS; with
//! local inputs only they would select nothing, so they are refused there rather than silently
//! ignored or turned into a filter the user did not ask for.

use crate::cli::{AwsArgs, EvidenceArgs};
use anyhow::{bail, Result};

/// Refuse flags that the command's inputs make meaningless, and a reversed window.
pub fn check(evidence: &EvidenceArgs) -> Result<()> {
    let aws = &evidence.aws;
    if let (Some(from), Some(to)) = (aws.from, aws.to) {
        if from > to {
            bail!(
                "--from {} is after --to {}: the window is empty",
                from.to_rfc3339(),
                to.to_rfc3339()
            );
        }
    }
    if !aws.lookup_attr.is_empty() && !aws.lookup {
        bail!("--lookup-attr applies only with --lookup (it selects the LookupEvents calls)");
    }
    let from_s3 = aws.athena.athena.is_some()
        || evidence
            .inputs
            .iter()
            .any(|p| p.to_str().is_some_and(|s| s.starts_with("s3://")));
    concurrency(aws, from_s3, "an s3:// input or --athena")?;
    if aws.lookup || from_s3 {
        return Ok(());
    }
    let given: Vec<&str> = [
        ("--from", aws.from.is_some()),
        ("--to", aws.to.is_some()),
        ("--regions", !aws.regions.is_empty()),
        ("--region", aws.region.is_some()),
        ("--profile", aws.profile.is_some()),
        ("--endpoint-url", aws.endpoint_url.is_some()),
        ("--all-alarms", aws.all_alarms),
        ("--keep-case", evidence.keep_case.is_some()),
    ]
    .into_iter()
    .filter_map(|(flag, set)| set.then_some(flag))
    .collect();
    if !given.is_empty() {
        bail!(
            "{} {} only to an acquisition from AWS (an s3:// input, --lookup or --athena); every input here is local, so {} nothing",
            given.join(", "),
            if given.len() == 1 { "applies" } else { "apply" },
            if given.len() == 1 { "it would change" } else { "they would change" },
        );
    }
    Ok(())
}

/// Refuse `--concurrency` where no object is fetched from S3 (`fetches` says whether one is,
/// `by` what would fetch them, as the command spells it).
pub fn concurrency(aws: &AwsArgs, fetches: bool, by: &str) -> Result<()> {
    if aws.concurrency.is_some() && !fetches {
        bail!("--concurrency applies only where objects are fetched from S3 ({by}); nothing here is, so it would change nothing");
    }
    Ok(())
}

/// Refuse to write an output (`flag` names it) into the evidence: onto an input file, or into
/// an input directory or the `--keep-case` directory, where it would replace a record file or
/// a manifest, or be read as evidence by the next run. Links are followed (the paths compared
/// are canonical); an output whose directory does not exist is left to the write to refuse.
pub fn check_output(evidence: &EvidenceArgs, flag: &str, out: &std::path::Path) -> Result<()> {
    let Some(target) = resolved(out) else {
        return Ok(());
    };
    let local = evidence
        .inputs
        .iter()
        .filter(|p| !p.to_str().is_some_and(|s| s.starts_with("s3://")))
        .chain(&evidence.keep_case);
    for input in local {
        let Ok(canonical) = input.canonicalize() else {
            continue;
        };
        let inside = if canonical.is_dir() {
            target.starts_with(&canonical)
        } else {
            target == canonical
        };
        if inside {
            bail!(
                "{flag} {} is {} the evidence read ({}): trailcase never writes into its evidence; write it elsewhere",
                out.display(),
                if canonical.is_dir() { "inside" } else { "a file of" },
                input.display()
            );
        }
    }
    Ok(())
}

/// `path` made canonical: the file's own path when it exists, else its directory's with its
/// name; `None` when its directory does not exist.
fn resolved(path: &std::path::Path) -> Option<std::path::PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.canonicalize().ok()?,
        _ => std::env::current_dir().ok()?,
    };
    Some(dir.join(name))
}
