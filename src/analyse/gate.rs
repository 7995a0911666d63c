//! The gate between an acquisition and the analysis reading its files while they arrive.
//!
//! The acquisition lists every object before it fetches any and announces which files will come
//! ([`Gate::plan`]), then each one stored ([`Gate::settle`]), then its end ([`Gate::done`]). The
//! first pass waits on the gate (it is the scan's [`Arrivals`]) before it reads a file still to
//! come; [`alongside`] runs an acquisition and the early analysis together. Works on paths and
//! [`InputFile`]s only: it knows neither the command line nor the AWS SDK (`app` adapts the
//! acquisition's sink to these calls).

use crate::case::acquire::is_partial;
use crate::case::manifest::MANIFEST_FILE;
use crate::model::Gap;
use crate::scan::Arrivals;
use crate::source::{Discovered, InputFile};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};

/// Run `acquire` on a thread of its own, ending it for `gate` when it returns (with the gaps
/// `gaps` reads from its result) or panics, and run `analyse` here on the files it plans to
/// store, once it has said (not at all when it ends without fetching: nothing to overlap).
pub fn alongside<A: Send, R>(
    gate: &Gate,
    acquire: impl FnOnce() -> A + Send,
    gaps: impl FnOnce(&A) -> Vec<Gap> + Send,
    analyse: impl FnOnce(&[PathBuf]) -> R,
) -> (A, Option<R>) {
    std::thread::scope(|s| {
        let acquisition = s.spawn(|| {
            // Released however the acquisition ends, a panic included: nothing waits forever.
            let release = Release(gate);
            let acquired = acquire();
            gate.done(gaps(&acquired));
            drop(release);
            acquired
        });
        let early = gate.wait_planned().map(|planned| analyse(&planned));
        let acquired = acquisition
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (acquired, early)
    })
}

/// The inputs the analysis will read once the acquisition is over: the `local` ones, the files
/// already complete in the case (`in_case`, as discovered now), and the `planned` ones.
pub fn expected(mut local: Discovered, in_case: Discovered, planned: &[PathBuf]) -> Discovered {
    let mut files: Vec<InputFile> = in_case
        .files
        .into_iter()
        .filter(|f| !is_partial(&f.path))
        .chain(planned.iter().map(|p| InputFile::whole(p.clone())))
        .collect();
    files.sort();
    files.dedup();
    local.files.extend(files);
    local.files.dedup();
    local.gaps.extend(in_case.gaps);
    local.case_configs.extend(in_case.case_configs);
    local
}

/// Between an acquisition and the analysis reading its files: which files are still to come.
pub struct Gate {
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

    /// The acquisition says which files its fetches will store (paths relative to the root).
    pub fn plan(&self, paths: &[String]) {
        let planned: Vec<PathBuf> = paths.iter().map(|p| self.root.join(p)).collect();
        let mut state = self.lock();
        state.coming = planned.iter().cloned().collect();
        state.coming.insert(self.root.join(MANIFEST_FILE));
        state.planned = Some(planned);
        self.changed.notify_all();
    }

    /// These files (relative to the root) are stored, complete.
    pub fn settle(&self, paths: &[String]) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::export::document;
    use crate::source::discover;

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
            let t = crate::analyse::analyse_arriving(
                &files,
                Vec::new(),
                &config.analysis_settings(),
                &|_| {},
                Some(&gate),
            );
            serde_json::to_string(&document(&t, &config.case, &config.honeytokens_stated()))
                .unwrap()
        });
        let finished = discover(std::slice::from_ref(&root)).unwrap();
        assert_eq!(finished.files, files);
        let t = crate::analyse::analyse(
            &finished.files,
            Vec::new(),
            &config.analysis_settings(),
            &|_| {},
        );
        let whole =
            serde_json::to_string(&document(&t, &config.case, &config.honeytokens_stated()))
                .unwrap();
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
            head: crate::source::Head::default(),
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
            head: crate::source::Head::default(),
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
