//! The identity of a record: its `eventID`, or, when it has none, a stable id derived from its
//! bytes. Shared by the scan (keeping and deduplicating records) and the rules replay (counting
//! distinct matches), so both name a record the same way. Depends only on `parse`'s own types.

use super::RecordItem;
use sha2::{Digest, Sha256};

/// `eventID`, or a stable synthetic id from the record's bytes when it has none.
pub fn event_id(item: &RecordItem<'_>) -> String {
    match item.view.event_id.as_str() {
        Some(id) => id.to_string(),
        None => format!(
            "sha256:{}",
            &hex::encode(Sha256::digest(item.raw.as_bytes()))[..32]
        ),
    }
}
