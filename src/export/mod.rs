//! Versioned wire formats for the timeline: JSON (schema_version 2, schema in
//! `schema/timeline.schema.json`), JSON lines, CSV and Timesketch JSONL; and the incidents'
//! indicators of compromise as CSV.
//!
//! Wire types are separate from the model so the model can change without breaking users.

mod copy_count;
mod copy_groups;
pub mod csv_cell;
mod id_times;
pub mod iocs;
mod key_runs;
mod key_sink;
mod redact;
mod row_json;
mod rows;
mod run_merge;
mod sorted_runs;
pub mod terminal_safe;
mod top_byte_sort;
mod wire;
mod wire_runs;
mod written_fields;

pub use copy_count::{At, CopyCount, Tally};
pub use copy_groups::CopyGroups;
pub use id_times::{IdCalls, IdTimes};
pub use key_runs::IdTimeKey;
pub use redact::{redact, redact_text, redacted_text};
pub use rows::{
    mark_counted, mark_tie, push_fields, push_row_bytes, write_gap_rows, write_row,
    write_rows_footer, write_rows_header, RowWriter, GAP_ROW_KIND,
};
pub use run_merge::Sorted;
pub use sorted_runs::{KeyRef, RowBatch, Sorter};
pub use wire::{document, Document, Row, RowFields, WireIntegrity, NOT_EXAMINED, SCHEMA_VERSION};
pub use written_fields::redact_written_fields;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Jsonl,
    Csv,
    Timesketch,
}
