//! How the AWS sources hand what they acquired to the case: the case's [`Sink`] traits
//! (re-exported here, defined in `case::sink`) and the helper that stores a JSON document.

pub use crate::case::sink::{Provenance, S3Provenance, Sink, Staged, StoredReader};

/// Store a JSON document; a failure to store it becomes a gap.
pub fn store_json(sink: &dyn Sink, path: &str, doc: &serde_json::Value, provenance: Provenance) {
    if let Err(e) = sink.store(path, &super::json::to_bytes(doc), provenance) {
        sink.gap(path, &format!("cannot store in the case: {e}"), None);
    }
}
