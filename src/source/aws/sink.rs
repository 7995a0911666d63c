//! How the AWS sources hand what they acquired to the case: the case's [`Sink`] traits
//! (re-exported here, defined in `case::sink`) and the helper that stores a JSON document.

pub use crate::case::sink::{Provenance, S3Provenance, Sink, Staged, StoredReader};

/// Store a JSON document; a failure to store it becomes a gap.
pub fn store_json(sink: &dyn Sink, path: &str, doc: &serde_json::Value, provenance: Provenance) {
    if let Err(e) = sink.store(path, &super::json::to_bytes(doc), provenance) {
        sink.gap(path, &format!("cannot store in the case: {e}"), None);
    }
}

/// A sink for calls whose answers are used, not kept (`athena ddl` listing account folders):
/// it stores nothing and forgets the rest.
pub struct NoSink;

impl Sink for NoSink {
    fn store(&self, path: &str, _: &[u8], _: Provenance) -> std::io::Result<()> {
        Err(std::io::Error::other(format!(
            "{path}: nothing is stored here"
        )))
    }
    fn stage(&self, path: &str) -> std::io::Result<Box<dyn Staged + '_>> {
        Err(std::io::Error::other(format!(
            "{path}: nothing is stored here"
        )))
    }
    fn already_acquired(&self, _: &str, _: &str) -> Option<StoredReader<'_>> {
        None
    }
    fn replace_prefix(&self, _: &str) {}
    fn api_call(&self, _: &str, _: &str, _: &str, _: bool) {}
    fn gap(&self, _: &str, _: &str, _: Option<&str>) {}
    fn notice(&self, _: &str) {}
    fn skipped(&self, _: u64) {}
    fn planned(&self, _: u64, _: u64) {}
    fn events(&self, _: u64) {}
}
