//! The reading threads' side of the external sort in `key_runs`: each thread gathers keys in a
//! batch of its own (pushing one touches no lock or cache line another thread uses), a full
//! batch joins the shared runs, and a full run is sorted and written outside the lock, so that
//! the other threads go on reading meanwhile. Used by the copy count (`copy_count`) and by
//! `--all`'s eventID times (`id_times`).

use super::key_runs::{write_run, IdTimeKey, KeyRuns, RunKey};
use crate::per_thread::PerThread;
use std::sync::Mutex;

/// Keys a reading thread gathers before it adds them to the shared runs.
const BATCH: usize = 4096;

/// Keys pushed from the reading threads, sorted in runs of at most a byte budget.
pub struct KeySink<K: RunKey = IdTimeKey> {
    runs: Mutex<KeyRuns<K>>,
    batches: PerThread<Mutex<Vec<K>>>,
}

impl<K: RunKey> KeySink<K> {
    /// Hold at most about `budget` bytes of keys in memory before writing a sorted run (plus a
    /// batch of `BATCH` keys per thread).
    pub fn new(budget: usize) -> KeySink<K> {
        KeySink {
            runs: Mutex::new(KeyRuns::new(budget)),
            batches: PerThread::default(),
        }
    }

    /// Add `key`; with `skip_repeat`, a key equal to the one this thread pushed just before it
    /// adds nothing (a file's copies of one record in a row).
    #[inline]
    pub fn push(&self, key: K, skip_repeat: bool) {
        let mut batch = self.batches.get().lock().unwrap_or_else(|e| e.into_inner());
        if skip_repeat && batch.last() == Some(&key) {
            return;
        }
        batch.push(key);
        if batch.len() >= BATCH {
            let full = std::mem::replace(&mut *batch, Vec::with_capacity(BATCH));
            drop(batch);
            self.add(&full);
        }
    }

    fn add(&self, keys: &[K]) {
        let full = self.lock_runs().extend(keys);
        if let Some(held) = full {
            let run = write_run(held);
            self.lock_runs().add_run(run);
        }
    }

    fn lock_runs(&self) -> std::sync::MutexGuard<'_, KeyRuns<K>> {
        self.runs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every thread's batch added: the runs, to merge.
    pub fn into_runs(self) -> KeyRuns<K> {
        for b in self.batches.iter() {
            let keys = std::mem::take(&mut *b.lock().unwrap_or_else(|e| e.into_inner()));
            self.add(&keys);
        }
        self.runs.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}
