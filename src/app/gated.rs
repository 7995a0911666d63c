//! The acquisition's sink with the analysis's [`Gate`] listening: every call goes on to the case
//! writer, and the gate hears which files will come and which have been stored.
//!
//! Used by `collect` (which owns the acquisition); `arriving` owns the analysis side. Kept apart
//! from both so that neither imports the other's file for it.

use crate::analyse::gate::Gate;
use crate::source::aws::{Provenance, Sink};

/// The acquisition's sink with a [`Gate`] listening: tells it what comes and what has come.
pub(crate) fn gated_sink<'a>(inner: &'a dyn Sink, gate: &'a Gate) -> Gated<'a> {
    Gated { inner, gate }
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
    fn query(&self, scanned: Option<u64>) {
        self.inner.query(scanned);
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
