//! Bytes to records: recognise what a file holds by its content (never its name), stream its
//! CloudTrail records one by one, and lift the AWS CLI outputs that describe the pipeline.
//!
//! Depends only on `model`. Never does I/O: callers hand in bytes.

mod cli_outputs;
mod described;
mod event_id;
mod json_bytes;
#[cfg(test)]
pub(crate) mod json_pieces;
mod json_text;
mod killswitch;
mod lenient;
mod notifications;
mod plain;
mod record;
mod repeats;
mod shape;
mod target;
pub mod time;

pub use event_id::event_id;
/// The first byte a JSON string must escape (`"`, `\\`, a control character), for writers.
pub(crate) use plain::special as first_to_escape;
pub use record::{RecordView, UserIdentityView};
pub use shape::{
    scan_document, scan_document_from, scan_trail_stream, DocumentScan, RecordItem, RecordSink,
};
#[cfg(test)]
pub(crate) use target::target_by_value;
pub use target::target_of;
