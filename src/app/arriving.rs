//! `timeline` and `report` on `s3://` inputs: the trail files are analysed while they download.
//!
//! The acquisition lists every object before it fetches any and says which files will come
//! ([`Sink::fetching`]); from then on the analysis runs beside the downloads and reads each
//! file once it is stored (the [`Gate`] between the two). When the finished case is not the
//! list the analysis ran on (an object that could not be fetched, say), the analysis runs
//! again on the case as it is: the result is always the one of acquiring first and analysing
//! after.

use super::collect::{AcquiredCase, Pending};
use super::{load_config, Progress};
use crate::case::acquire::is_partial;
use crate::case::manifest::MANIFEST_FILE;
use crate::cli::EvidenceArgs;
use crate::config::Config;
use crate::model::{Gap, Timeline};
use crate::scan::Arrivals;
use crate::source::aws::{Provenance, Sink};
use crate::source::{discover, Discovered, InputFile};
use anyhow::Result;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};

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
    let pending = match Pending::of(evidence)? {
        Ok(p) => p,
        Err(local) => {
            let discovered = finish_discovery(discover(&local)?, &local, None);
            return analyse_complete(evidence, quiet, discovered, None, beside);
        }
    };
    let gate = Gate::new(&pending.path);
    let mut roots = pending.local.clone();
    roots.push(pending.path.clone());
    std::thread::scope(|s| {
        let acquisition = s.spawn(|| {
            // Released however the acquisition ends, a panic included: nothing waits forever.
            let release = Release(&gate);
            let acquired = pending.acquire(evidence, quiet, Some(&gate));
            gate.done(
                acquired
                    .as_ref()
                    .map(AcquiredCase::gaps)
                    .unwrap_or_default(),
            );
            drop(release);
            acquired
        });
        let early = gate
            .wait_planned()
            .map(|planned| early_analysis(evidence, &roots, &planned, &gate));
        let acquired = acquisition
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        let found = discover(&roots)?;
        let found_gaps = found.gaps.clone();
        let discovered = finish_discovery(found, &roots, Some(&acquired));
        match early {
            Some(Ok((files, gaps, config, timeline)))
                if files == discovered.files && gaps == found_gaps =>
            {
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
    })
}

/// The early analysis: the files the case will hold, read as they arrive. Returns the files and
/// discovery gaps it ran on, to be checked against the finished case.
fn early_analysis(
    evidence: &EvidenceArgs,
    roots: &[PathBuf],
    planned: &[PathBuf],
    gate: &Gate,
) -> Result<(Vec<InputFile>, Vec<Gap>, Config, Timeline)> {
    let (case, local) = roots.split_last().expect("the case is a root");
    let mut d = discover(local)?;
    let in_case = discover(std::slice::from_ref(case))?;
    let mut files: Vec<InputFile> = in_case
        .files
        .into_iter()
        .filter(|f| !is_partial(&f.path))
        .chain(planned.iter().map(|p| InputFile::whole(p.clone())))
        .collect();
    files.sort();
    files.dedup();
    d.files.extend(files);
    d.files.dedup();
    d.gaps.extend(in_case.gaps);
    d.case_configs.extend(in_case.case_configs);
    let config = load_config(evidence, &d)?;
    // The acquisition's progress line is on the terminal: the analysis keeps quiet.
    let timeline =
        crate::analyse::analyse_arriving(&d.files, d.gaps.clone(), &config, &|_| {}, Some(gate));
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
    // A case acquired earlier: what its `collect` could not acquire is missing here too.
    for root in roots.iter().filter(|r| r.is_dir()) {
        if acquired.is_some_and(|c| c.path == *root) {
            continue;
        }
        let manifest = root.join("manifest.json");
        if !manifest.is_file() {
            continue;
        }
        match crate::case::manifest::Manifest::load(&manifest) {
            Ok(m) => discovered.gaps.extend(super::collect::manifest_gaps(&m)),
            Err(e) => discovered.gaps.push(crate::model::Gap {
                path: manifest.display().to_string(),
                index: None,
                kind: crate::model::GapKind::Unreadable,
                reason: format!("the case's manifest cannot be read, so what its acquisition missed is unknown: {e}"),
            }),
        }
    }
    discovered.roots = roots.to_vec();
    discovered
}

/// Analyse evidence that is all on disk, with `beside` running alongside.
fn analyse_complete<T: Send>(
    evidence: &EvidenceArgs,
    quiet: bool,
    discovered: Discovered,
    acquired: Option<AcquiredCase>,
    beside: impl FnOnce(&[PathBuf]) -> T + Send,
) -> Result<(Analysed, T)> {
    let config = load_config(evidence, &discovered)?;
    let progress = Progress::new(quiet, discovered.files.len());
    let (timeline, t) = std::thread::scope(|s| {
        let aside = s.spawn(|| beside(&discovered.roots));
        let timeline =
            crate::analyse::analyse(&discovered.files, discovered.gaps.clone(), &config, &|n| {
                progress.tick(n)
            });
        let t = aside
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (timeline, t)
    });
    let analysed = Analysed {
        config,
        timeline,
        _acquired: acquired,
    };
    Ok((analysed, t))
}

/// Between an acquisition and the analysis reading its files: which files are still to come.
pub(crate) struct Gate {
    root: PathBuf,
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    /// Every file the fetches will store, once the acquisition has said.
    planned: Option<Vec<PathBuf>>,
    /// Of those (and the manifest, written last), the ones not stored yet.
    coming: HashSet<PathBuf>,
    /// The acquisition is over, with these gaps.
    done: Option<Vec<Gap>>,
}

impl Gate {
    pub fn new(root: &Path) -> Gate {
        Gate {
            root: root.to_path_buf(),
            state: Mutex::new(GateState::default()),
            changed: Condvar::new(),
        }
    }

    /// A sink that stores into `inner` and tells this gate what comes and what has come.
    pub fn sink<'a>(&'a self, inner: &'a dyn Sink) -> Gated<'a> {
        Gated { inner, gate: self }
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wait_while<'s>(
        &'s self,
        state: MutexGuard<'s, GateState>,
        f: impl FnMut(&mut GateState) -> bool,
    ) -> MutexGuard<'s, GateState> {
        self.changed
            .wait_while(state, f)
            .unwrap_or_else(|p| p.into_inner())
    }

    fn plan(&self, paths: &[String]) {
        let planned: Vec<PathBuf> = paths.iter().map(|p| self.root.join(p)).collect();
        let mut state = self.lock();
        state.coming = planned.iter().cloned().collect();
        state.coming.insert(self.root.join(MANIFEST_FILE));
        state.planned = Some(planned);
        self.changed.notify_all();
    }

    fn settle(&self, paths: &[String]) {
        let mut state = self.lock();
        for p in paths {
            state.coming.remove(&self.root.join(p));
        }
        self.changed.notify_all();
    }

    /// The acquisition is over (or failed: no gaps then, the caller has its error). Only the
    /// first call counts.
    pub fn done(&self, gaps: Vec<Gap>) {
        self.lock().done.get_or_insert(gaps);
        self.changed.notify_all();
    }

    /// The files the fetches will store, once known, with the manifest; `None` when the
    /// acquisition ended without fetching (nothing to overlap).
    pub fn wait_planned(&self) -> Option<Vec<PathBuf>> {
        let state = self.wait_while(self.lock(), |s| s.planned.is_none() && s.done.is_none());
        let mut planned = state.planned.clone()?;
        planned.push(self.root.join(MANIFEST_FILE));
        Some(planned)
    }
}

impl Arrivals for Gate {
    fn wait(&self, file: &InputFile) {
        drop(self.wait_while(self.lock(), |s| {
            s.done.is_none() && s.coming.contains(&file.path)
        }));
    }

    fn finish(&self) -> Vec<Gap> {
        let state = self.wait_while(self.lock(), |s| s.done.is_none());
        state.done.clone().unwrap_or_default()
    }
}

/// Ends the acquisition for the gate when dropped.
struct Release<'a>(&'a Gate);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        self.0.done(Vec::new());
    }
}

/// The acquisition's sink with a [`Gate`] listening.
pub(crate) struct Gated<'a> {
    inner: &'a dyn Sink,
    gate: &'a Gate,
}

impl Sink for Gated<'_> {
    fn store(&self, path: &str, bytes: &[u8], provenance: Provenance) -> std::io::Result<()> {
        self.inner.store(path, bytes, provenance)
    }
    fn stage(&self, path: &str) -> std::io::Result<Box<dyn crate::source::aws::Staged + '_>> {
        self.inner.stage(path)
    }
    fn already_acquired(
        &self,
        path: &str,
        etag: &str,
    ) -> Option<crate::source::aws::StoredReader<'_>> {
        self.inner.already_acquired(path, etag)
    }
    fn replace_prefix(&self, prefix: &str) {
        self.inner.replace_prefix(prefix);
    }
    fn api_call(&self, service: &str, operation: &str, region: &str, ok: bool) {
        self.inner.api_call(service, operation, region, ok);
    }
    fn gap(&self, source: &str, reason: &str, permission: Option<&str>) {
        self.inner.gap(source, reason, permission);
    }
    fn notice(&self, message: &str) {
        self.inner.notice(message);
    }
    fn skipped(&self, bytes: u64) {
        self.inner.skipped(bytes);
    }
    fn planned(&self, objects: u64, bytes: u64) {
        self.inner.planned(objects, bytes);
    }
    fn events(&self, n: u64) {
        self.inner.events(n);
    }
    fn fetching(&self, paths: &[String]) {
        self.inner.fetching(paths);
        self.gate.plan(paths);
    }
    fn settled(&self, paths: &[String]) {
        self.inner.settled(paths);
        self.gate.settle(paths);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::document;

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        // As the case writer does: a temporary name, then a rename.
        let tmp = to.with_extension("trailcase-partial");
        std::fs::copy(from, &tmp).unwrap();
        std::fs::rename(&tmp, to).unwrap();
    }

    /// The sample case's trail files arrive one by one, in the reverse of the order the analysis
    /// reads them, while it runs: the timeline is the one of the finished directory.
    #[test]
    fn files_read_as_they_arrive_give_the_timeline_of_the_finished_case() {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/incident-01");
        let config = Config::load(&samples.join("trailcase.toml")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("case");
        let rel: Vec<String> = discover(std::slice::from_ref(&samples))
            .unwrap()
            .files
            .iter()
            .map(|f| {
                let p = f.path.strip_prefix(&samples).unwrap();
                p.to_str().unwrap().to_string()
            })
            .collect();
        let (later, now): (Vec<String>, Vec<String>) =
            rel.iter().cloned().partition(|p| p.ends_with(".gz"));
        assert!(later.len() > 50, "the sample's trail files: {later:?}");
        for p in &now {
            copy(&samples.join(p), &root.join(p));
        }
        let mut files: Vec<InputFile> =
            rel.iter().map(|p| InputFile::whole(root.join(p))).collect();
        files.sort();
        let gate = Gate::new(&root);
        gate.plan(&later);
        let arriving = std::thread::scope(|s| {
            s.spawn(|| {
                for p in later.iter().rev() {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    copy(&samples.join(p), &root.join(p));
                    gate.settle(std::slice::from_ref(p));
                }
                gate.done(Vec::new());
            });
            let t =
                crate::analyse::analyse_arriving(&files, Vec::new(), &config, &|_| {}, Some(&gate));
            serde_json::to_string(&document(&t, &config.case)).unwrap()
        });
        let finished = discover(std::slice::from_ref(&root)).unwrap();
        assert_eq!(finished.files, files);
        let t = crate::analyse::analyse(&finished.files, Vec::new(), &config, &|_| {});
        let whole = serde_json::to_string(&document(&t, &config.case)).unwrap();
        assert!(whole.contains("Production_Database_Credentials"));
        assert_eq!(arriving, whole);
    }

    #[test]
    fn an_acquisition_that_ends_without_fetching_releases_every_wait() {
        let gate = Gate::new(Path::new("/case"));
        let waiting = InputFile {
            path: PathBuf::from("/case/manifest.json"),
            display: "/case/manifest.json".into(),
            part: None,
        };
        std::thread::scope(|s| {
            let planned = s.spawn(|| gate.wait_planned());
            s.spawn(|| drop(Release(&gate)));
            assert_eq!(planned.join().unwrap(), None);
        });
        gate.wait(&waiting);
        assert!(gate.finish().is_empty());
    }

    #[test]
    fn a_planned_file_is_waited_for_until_it_is_settled() {
        let gate = Gate::new(Path::new("/case"));
        gate.plan(&["cloudtrail/a.json.gz".into()]);
        let file = InputFile {
            path: PathBuf::from("/case/cloudtrail/a.json.gz"),
            display: "".into(),
            part: None,
        };
        let settled = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(std::time::Duration::from_millis(50));
                settled.store(true, std::sync::atomic::Ordering::SeqCst);
                gate.settle(&["cloudtrail/a.json.gz".into()]);
            });
            gate.wait(&file);
            assert!(settled.load(std::sync::atomic::Ordering::SeqCst));
        });
        assert_eq!(
            gate.wait_planned().unwrap(),
            [
                PathBuf::from("/case/cloudtrail/a.json.gz"),
                PathBuf::from("/case/manifest.json")
            ]
        );
    }
}
