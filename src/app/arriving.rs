//! `timeline` and `report` on `s3://` inputs: the trail files are analysed while they download.
//!
//! The acquisition lists every object before it fetches any and says which files will come
//! ([`Sink::fetching`](crate::source::aws::Sink::fetching)); from then on the analysis runs
//! beside the downloads and reads each file once it is stored (the [`Gate`] between the two, in
//! `analyse::gate`; the acquisition's side of it in `gated.rs`). When the finished case is not
//! the list the analysis ran on (an object that could not be fetched, say), the analysis runs
//! again on the case as it is: the result is always the one of acquiring first and analysing
//! after.

use super::collect::{AcquiredCase, Pending};
use super::{EvidenceSpec, Progress};
use crate::analyse::gate::{self, Gate};
use crate::cli::EvidenceArgs;
use crate::config::Config;
use crate::model::{Gap, Timeline};
use crate::source::files::discover_deferring;
use crate::source::{discover, Discovered, InputFile, Recorded};
use anyhow::Result;
use std::path::PathBuf;

/// A command's evidence, analysed.
pub(crate) struct Analysed {
    pub config: Config,
    pub timeline: Timeline,
    /// The case acquired for the command (a temporary one lives as long as this).
    pub _acquired: Option<AcquiredCase>,
}

/// Acquire what the arguments ask for (analysing it while it arrives), analyse the evidence,
/// and run `beside` on the input roots once the evidence is complete, alongside the analysis.
pub(crate) fn analyse_evidence<T: Send>(
    evidence: &EvidenceArgs,
    quiet: bool,
    beside: impl FnOnce(&[PathBuf]) -> T + Send,
) -> Result<(Analysed, T)> {
    let evidence = &EvidenceSpec::from(evidence);
    let pending = match Pending::of(evidence)? {
        Ok(p) => p,
        Err(local) => {
            // Only the analysis reads these files: it sniffs the trail files as it reads them.
            let found = discover_deferring(&local)?;
            crate::phases::mark("discovery");
            let discovered = finish_discovery(found, &local, None);
            crate::phases::mark("the manifest's entries");
            return analyse_complete(evidence, quiet, discovered, None, beside);
        }
    };
    let gate = Gate::new(&pending.path);
    let mut roots = pending.local.clone();
    roots.push(pending.path.clone());
    let (acquired, early) = gate::alongside(
        &gate,
        || pending.acquire(evidence, quiet, Some(&gate)),
        |acquired| {
            acquired
                .as_ref()
                .map(AcquiredCase::gaps)
                .unwrap_or_default()
        },
        |planned| early_analysis(evidence, &roots, planned, &gate),
    );
    let acquired = acquired?;
    let found = discover(&roots)?;
    let found_gaps = found.gaps.clone();
    let discovered = finish_discovery(found, &roots, Some(&acquired));
    match early {
        Some(Ok((files, gaps, config, timeline)))
            if files == discovered.files && gaps == found_gaps =>
        {
            let mut timeline = timeline;
            note_changes(&mut timeline, &discovered.recorded);
            let analysed = Analysed {
                config,
                timeline,
                _acquired: Some(acquired),
            };
            Ok((analysed, beside(&roots)))
        }
        // The case is not what the analysis expected: analyse it as it is.
        _ => analyse_complete(evidence, quiet, discovered, Some(acquired), beside),
    }
}

/// The early analysis: the files the case will hold, read as they arrive. Returns the files and
/// discovery gaps it ran on, to be checked against the finished case.
fn early_analysis(
    evidence: &EvidenceSpec,
    roots: &[PathBuf],
    planned: &[PathBuf],
    gate: &Gate,
) -> Result<(Vec<InputFile>, Vec<Gap>, Config, Timeline)> {
    let (case, local) = roots.split_last().expect("the case is a root");
    let d = gate::expected(
        discover(local)?,
        discover(std::slice::from_ref(case))?,
        planned,
    );
    let config = evidence.config.load(&d)?;
    // The acquisition's progress line is on the terminal: the analysis keeps quiet.
    let timeline = crate::analyse::analyse_arriving(
        &d.files,
        d.gaps.clone(),
        &config.analysis_settings(),
        &|_| {},
        Some(gate),
    );
    Ok((d.files, d.gaps, config, timeline))
}

/// What discovery gives, with the acquisition's gaps and the roots walked.
pub(super) fn finish_discovery(
    mut discovered: Discovered,
    roots: &[PathBuf],
    acquired: Option<&AcquiredCase>,
) -> Discovered {
    discovered
        .gaps
        .extend(acquired.iter().flat_map(|c| c.gaps()));
    // The files the walk found: a manifest entry among them is there without asking the disk.
    let found: std::collections::HashSet<&std::path::Path> =
        discovered.files.iter().map(|f| f.path.as_path()).collect();
    let mut gaps = Vec::new();
    let mut recorded = Vec::new();
    // A case acquired earlier: what its `collect` could not acquire is missing here too. A
    // manifest that is a link out of the evidence is not read (discovery names it).
    let folders = crate::case::walk::Folders::of(roots);
    for root in roots.iter().filter(|r| r.is_dir()) {
        if acquired.is_some_and(|c| c.path == *root) {
            continue;
        }
        let manifest = root.join("manifest.json");
        if !crate::case::walk::readable_file(&folders, &manifest) {
            continue;
        }
        match crate::case::manifest::Manifest::load(&manifest) {
            Ok(m) => {
                // Three walks of the manifest's entries, each joining and hashing every path
                // (on the 1 M set, most of the one thread's time between discovery and the
                // analysis), on both cores; their results in the order they had.
                let ((missing, added), listed) = rayon::join(
                    || {
                        rayon::join(
                            || missing_entries(root, &m, &found),
                            || added_files(root, &m, &discovered.files),
                        )
                    },
                    || {
                        m.entries
                            .iter()
                            .map(|e| Recorded {
                                path: root.join(&e.path).display().to_string(),
                                sha256: e.sha256.clone(),
                                acquired_at: e.acquired_at.clone(),
                                source: e.source.clone(),
                            })
                            .collect::<Vec<_>>()
                    },
                );
                gaps.extend(super::collect::manifest_gaps(&m));
                gaps.extend(missing);
                gaps.extend(added);
                recorded.extend(listed);
            }
            Err(e) => gaps.push(crate::model::Gap {
                path: manifest.display().to_string(),
                index: None,
                kind: crate::model::GapKind::Unreadable,
                reason: format!("the case's manifest cannot be read, so what its acquisition missed is unknown: {e}"),
            }),
        }
    }
    discovered.gaps.extend(gaps);
    discovered.roots = roots.to_vec();
    discovered.recorded = recorded;
    discovered
}

/// [`crate::analyse::changed_since_acquisition`] added to `timeline`'s gaps, in their order.
fn note_changes(timeline: &mut crate::model::Timeline, recorded: &[Recorded]) {
    let changed = crate::analyse::changed_since_acquisition(&timeline.inputs, recorded);
    if !changed.is_empty() {
        timeline.gaps.extend(changed);
        timeline.gaps.sort();
    }
}

/// The files a case's manifest lists as acquired that the case no longer holds: neither among
/// the files discovery `found` (most of them) nor on disk (a file discovery does not take as
/// evidence, such as `trailcase.toml`, or one reached by another path).
fn missing_entries(
    root: &std::path::Path,
    m: &crate::case::manifest::Manifest,
    found: &std::collections::HashSet<&std::path::Path>,
) -> Vec<Gap> {
    m.entries
        .iter()
        .map(|e| (root.join(&e.path), e))
        .filter(|(path, _)| !found.contains(path.as_path()) && !path.exists())
        .map(|(path, e)| Gap {
            path: path.display().to_string(),
            index: None,
            kind: crate::model::GapKind::AcquiredFileMissing,
            reason: format!(
                "listed in the case's manifest.json (acquired {} from {}) but not in the case: its evidence is missing",
                e.acquired_at, e.source
            ),
        })
        .collect()
}

/// The files discovery found under a case's `root` that its manifest does not list (the
/// manifest itself aside): each an `acquired_file_added` gap, as `verify` flags it
/// `file_unlisted`. An archive is one file however many members it has.
fn added_files(
    root: &std::path::Path,
    m: &crate::case::manifest::Manifest,
    files: &[crate::source::InputFile],
) -> Vec<Gap> {
    let listed: std::collections::HashSet<std::path::PathBuf> =
        m.entries.iter().map(|e| root.join(&e.path)).collect();
    let manifest = root.join(crate::case::manifest::MANIFEST_FILE);
    let mut added: Vec<&std::path::Path> = files
        .iter()
        .map(|f| f.path.as_path())
        .filter(|p| p.starts_with(root) && *p != manifest && !listed.contains(*p))
        .collect();
    added.sort();
    added.dedup();
    added
        .into_iter()
        .map(|path| Gap {
            path: path.display().to_string(),
            index: None,
            kind: crate::model::GapKind::AcquiredFileAdded,
            reason: "in the case but not in its manifest.json: added after acquisition (or the manifest was edited); what it holds was read and analysed, with no acquisition record behind it".into(),
        })
        .collect()
}

/// Analyse evidence that is all on disk, with `beside` running alongside.
fn analyse_complete<T: Send>(
    evidence: &EvidenceSpec,
    quiet: bool,
    discovered: Discovered,
    acquired: Option<AcquiredCase>,
    beside: impl FnOnce(&[PathBuf]) -> T + Send,
) -> Result<(Analysed, T)> {
    let config = evidence.config.load(&discovered)?;
    let settings = config.analysis_settings();
    crate::phases::mark("configuration");
    let progress = Progress::new(quiet, discovered.files.len());
    let (timeline, t) = std::thread::scope(|s| {
        let aside = s.spawn(|| beside(&discovered.roots));
        let timeline = crate::analyse::analyse(
            &discovered.files,
            discovered.gaps.clone(),
            &settings,
            &|n| progress.tick(n),
        );
        let t = aside
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        crate::phases::mark("coverage joined");
        (timeline, t)
    });
    let mut timeline = timeline;
    note_changes(&mut timeline, &discovered.recorded);
    let analysed = Analysed {
        config,
        timeline,
        _acquired: acquired,
    };
    Ok((analysed, t))
}
