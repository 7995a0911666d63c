//! Writing an evidence case while it is acquired: every file byte for byte (to a temporary name
//! first, renamed when complete, so an interrupted run never leaves a half-written file that
//! looks complete), hashed with SHA-256 and entered in `manifest.json` with its provenance, the
//! API calls made and the gaps. Reopening a case resumes it: objects already stored with the
//! same ETag (and still hashing to the manifest's value) are not fetched again.
//!
//! Implements the case's [`Sink`] that the sources write to; knows nothing of AWS beyond the
//! provenance it records, and imports nothing of `source`.

use super::manifest::{
    AcquisitionGap, ApiCall, Collector, Manifest, ManifestEntry, ManifestError, S3Object, Window,
    MANIFEST_FILE, MANIFEST_VERSION,
};
use super::sink::{Provenance, Sink, Staged, StoredReader};
pub(crate) use atomic::{is_partial, write_atomic};
use atomic::{remove_partials, sync_dir, write_file};
pub(crate) use confine::{plain_rel, prepare};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

mod atomic;
mod confine;
mod staged;

/// The manifest is rewritten after this many stored files, and at least this long after it was
/// last written, so an interrupted run resumes; the time bound keeps the rewrites of a growing
/// manifest (tens of thousands of entries) from costing more than the downloads.
const SAVE_EVERY: usize = 32;
const SAVE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum AcquireError {
    #[error("cannot create the case directory {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("{} is a symbolic link inside the case {}: a case holds no links (every write stays inside the case); remove it or choose another --case", link.display(), case.display())]
    Link { case: PathBuf, link: PathBuf },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// What the manifest says about the run itself.
#[derive(Debug, Clone)]
pub struct RunInfo {
    pub case_id: Option<String>,
    pub tool_version: String,
    /// Who is collecting (`sts:GetCallerIdentity`), when the run talks to AWS.
    pub collector: Option<Collector>,
    pub command: Vec<String>,
    pub window: Option<Window>,
}

/// Counts for the progress line and the summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub planned_objects: u64,
    pub planned_bytes: u64,
    pub stored_files: u64,
    pub stored_bytes: u64,
    pub skipped_objects: u64,
    pub skipped_bytes: u64,
    pub events: u64,
    pub gaps: u64,
    /// Athena queries started, ended, and the bytes the ended ones scanned.
    pub queries_started: u64,
    pub queries_ended: u64,
    pub scanned_bytes: u64,
}

#[derive(Default)]
struct Counters {
    planned_objects: AtomicU64,
    planned_bytes: AtomicU64,
    stored_files: AtomicU64,
    stored_bytes: AtomicU64,
    skipped_objects: AtomicU64,
    skipped_bytes: AtomicU64,
    events: AtomicU64,
    gaps: AtomicU64,
    queries_started: AtomicU64,
    queries_ended: AtomicU64,
    scanned_bytes: AtomicU64,
}

struct State {
    manifest: Manifest,
    entries: BTreeMap<String, ManifestEntry>,
    calls: BTreeMap<(String, String, String), (u64, u64)>,
    notices: Vec<String>,
    unsaved: usize,
    last_save: std::time::Instant,
    /// Directories stored into since the manifest was last written: flushed before it is.
    unsynced_dirs: std::collections::BTreeSet<PathBuf>,
}

/// A case directory being acquired into.
pub struct CaseWriter {
    root: PathBuf,
    clock: Box<dyn Fn() -> String + Send + Sync>,
    state: Mutex<State>,
    counters: Counters,
}

impl CaseWriter {
    /// Create `root` or reopen it to resume. `clock` gives "now" as RFC 3339 UTC.
    pub fn open(
        root: &Path,
        run: RunInfo,
        clock: Box<dyn Fn() -> String + Send + Sync>,
    ) -> Result<CaseWriter, AcquireError> {
        std::fs::create_dir_all(root).map_err(|source| AcquireError::CreateDir {
            path: root.display().to_string(),
            source,
        })?;
        let link = confine::find_link(root).map_err(|source| AcquireError::CreateDir {
            path: root.display().to_string(),
            source,
        })?;
        if let Some(link) = link {
            return Err(AcquireError::Link {
                case: root.to_path_buf(),
                link,
            });
        }
        remove_partials(root);
        let manifest_path = root.join(MANIFEST_FILE);
        let previous = if manifest_path.is_file() {
            Some(Manifest::load(&manifest_path)?)
        } else {
            None
        };
        let created = previous.as_ref().map_or_else(&clock, |m| m.created.clone());
        let entries = previous
            .map(|m| m.entries)
            .unwrap_or_default()
            .into_iter()
            // A file deleted since is acquired again.
            .filter(|e| root.join(&e.path).is_file())
            .map(|e| (e.path.clone(), e))
            .collect();
        let manifest = Manifest {
            trailcase_manifest: MANIFEST_VERSION,
            case_id: run.case_id,
            tool_version: run.tool_version,
            collector: run.collector,
            created,
            command: run.command,
            window: run.window,
            entries: Vec::new(),
            api_calls: Vec::new(),
            gaps: Vec::new(),
        };
        Ok(CaseWriter {
            root: root.to_path_buf(),
            clock,
            state: Mutex::new(State {
                manifest,
                entries,
                calls: BTreeMap::new(),
                notices: Vec::new(),
                unsaved: 0,
                last_save: std::time::Instant::now(),
                unsynced_dirs: Default::default(),
            }),
            counters: Counters::default(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn stats(&self) -> Stats {
        let c = &self.counters;
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Stats {
            planned_objects: g(&c.planned_objects),
            planned_bytes: g(&c.planned_bytes),
            stored_files: g(&c.stored_files),
            stored_bytes: g(&c.stored_bytes),
            skipped_objects: g(&c.skipped_objects),
            skipped_bytes: g(&c.skipped_bytes),
            events: g(&c.events),
            gaps: g(&c.gaps),
            queries_started: g(&c.queries_started),
            queries_ended: g(&c.queries_ended),
            scanned_bytes: g(&c.scanned_bytes),
        }
    }

    /// What the sources said the user should know, in the order they said it.
    pub fn notices(&self) -> Vec<String> {
        self.lock().notices.clone()
    }

    /// Write the manifest and return it.
    pub fn finish(&self) -> Result<Manifest, AcquireError> {
        let mut state = self.lock();
        self.save(&mut state)?;
        Ok(snapshot(&state))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic in another task cannot leave the state half-updated in a way that matters
        // more than losing the case: keep going with it.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn save(&self, state: &mut State) -> Result<(), AcquireError> {
        // The files' renames reach the disk before the manifest that lists them.
        for dir in std::mem::take(&mut state.unsynced_dirs) {
            sync_dir(&dir).map_err(|source| AcquireError::Write {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let bytes = snapshot(state).to_bytes();
        write_atomic(&self.root.join(MANIFEST_FILE), &bytes).map_err(|source| {
            AcquireError::Write {
                path: MANIFEST_FILE.into(),
                source,
            }
        })?;
        state.unsaved = 0;
        state.last_save = std::time::Instant::now();
        Ok(())
    }

    /// The full path of a plain case-relative path, nothing on the way a link.
    fn full_path(&self, rel: &str) -> std::io::Result<PathBuf> {
        confine::prepare(&self.root, confine::plain_rel(rel, MANIFEST_FILE)?)
    }
}

fn snapshot(state: &State) -> Manifest {
    let mut m = state.manifest.clone();
    m.entries = state.entries.values().cloned().collect();
    m.api_calls = state
        .calls
        .iter()
        .map(|((service, operation, region), (calls, errors))| ApiCall {
            service: service.clone(),
            operation: operation.clone(),
            region: region.clone(),
            calls: *calls,
            errors: *errors,
        })
        .collect();
    m.normalise();
    m
}

impl CaseWriter {
    /// Enter a file just renamed into place at `full` in the manifest (saved now and then).
    fn record(
        &self,
        path: &str,
        full: &Path,
        size: u64,
        sha256: String,
        provenance: Provenance,
    ) -> std::io::Result<()> {
        let entry = ManifestEntry {
            path: path.to_string(),
            source: provenance.source,
            size,
            sha256,
            acquired_at: (self.clock)(),
            s3: provenance.s3.map(|s| S3Object {
                bucket: s.bucket,
                key: s.key,
                etag: s.etag,
                version_id: s.version_id,
                last_modified: s.last_modified,
            }),
        };
        self.counters.stored_files.fetch_add(1, Ordering::Relaxed);
        self.counters
            .stored_bytes
            .fetch_add(size, Ordering::Relaxed);
        let mut state = self.lock();
        state.entries.insert(path.to_string(), entry);
        if let Some(dir) = full.parent() {
            state.unsynced_dirs.insert(dir.to_path_buf());
        }
        state.unsaved += 1;
        if state.unsaved >= SAVE_EVERY && state.last_save.elapsed() >= SAVE_INTERVAL {
            self.save(&mut state).map_err(|e| match e {
                AcquireError::Write { source, .. } => source,
                other => std::io::Error::other(other.to_string()),
            })?;
        }
        Ok(())
    }
}

impl Sink for CaseWriter {
    fn store(&self, path: &str, bytes: &[u8], provenance: Provenance) -> std::io::Result<()> {
        let full = self.full_path(path)?;
        write_file(&full, bytes)?;
        let sha256 = hex::encode(Sha256::digest(bytes));
        self.record(path, &full, bytes.len() as u64, sha256, provenance)
    }

    fn stage(&self, path: &str) -> std::io::Result<Box<dyn Staged + '_>> {
        let full = self.full_path(path)?;
        Ok(Box::new(staged::CaseStaged::new(self, path, full)?))
    }

    fn already_acquired(&self, path: &str, etag: &str) -> Option<StoredReader<'_>> {
        let entry = {
            let state = self.lock();
            match state.entries.get(path) {
                Some(e) if e.s3.as_ref().and_then(|s| s.etag.as_deref()) == Some(etag) => e.clone(),
                _ => return None,
            }
        };
        // The stored file must still be what the manifest says it is (hashed as a stream: an
        // object of any size is never read whole).
        let full = self.full_path(path).ok()?;
        let sha256 = super::manifest::sha256_file(&full).ok()?;
        if sha256 != entry.sha256 {
            return None;
        }
        let file = std::fs::File::open(&full).ok()?;
        Some(Box::new(std::io::BufReader::with_capacity(1 << 16, file)))
    }

    fn replace_prefix(&self, prefix: &str) {
        let mut state = self.lock();
        let stale: Vec<String> = state
            .entries
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect();
        for k in stale {
            state.entries.remove(&k);
            if let Ok(p) = self.full_path(&k) {
                let _ = std::fs::remove_file(p);
            }
        }
    }

    fn api_call(&self, service: &str, operation: &str, region: &str, ok: bool) {
        let mut state = self.lock();
        let c = state
            .calls
            .entry((service.into(), operation.into(), region.into()))
            .or_default();
        c.0 += 1;
        c.1 += u64::from(!ok);
    }

    fn gap(&self, source: &str, reason: &str, permission: Option<&str>) {
        self.counters.gaps.fetch_add(1, Ordering::Relaxed);
        self.lock().manifest.gaps.push(AcquisitionGap {
            source: source.to_string(),
            reason: reason.to_string(),
            permission: permission.map(str::to_owned),
        });
    }

    fn notice(&self, message: &str) {
        self.lock().notices.push(message.to_string());
    }

    fn skipped(&self, bytes: u64) {
        self.counters
            .skipped_objects
            .fetch_add(1, Ordering::Relaxed);
        self.counters
            .skipped_bytes
            .fetch_add(bytes, Ordering::Relaxed);
    }

    fn planned(&self, objects: u64, bytes: u64) {
        self.counters
            .planned_objects
            .fetch_add(objects, Ordering::Relaxed);
        self.counters
            .planned_bytes
            .fetch_add(bytes, Ordering::Relaxed);
    }

    fn events(&self, n: u64) {
        self.counters.events.fetch_add(n, Ordering::Relaxed);
    }

    fn query(&self, scanned: Option<u64>) {
        match scanned {
            None => self
                .counters
                .queries_started
                .fetch_add(1, Ordering::Relaxed),
            Some(bytes) => {
                self.counters
                    .scanned_bytes
                    .fetch_add(bytes, Ordering::Relaxed);
                self.counters.queries_ended.fetch_add(1, Ordering::Relaxed)
            }
        };
    }
}

#[cfg(test)]
mod tests;
