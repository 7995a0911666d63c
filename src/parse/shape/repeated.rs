//! Records and envelopes that write a key twice, told on the general way: a record read without
//! the repetition when every repeated key holds the same value, else a gap naming the key
//! (`duplicates.rs` finds them at the top level, `parse/repeats.rs` in nested objects); an
//! envelope (a LookupEvents item, an EventBridge event) whose record key is written twice with
//! different values carries no record that can be known.

use super::{duplicates, Ctx};
use crate::model::GapKind;
use crate::parse::record::RecordView;
use serde_json::Value;

impl Ctx<'_> {
    /// A record that writes a top-level key twice (see `shape/duplicates.rs`): read without the
    /// repetition when every repeated key holds the same value, else a gap naming the key. False
    /// when the object repeats no top-level key or is not a record: it is told as before.
    pub(super) fn repeated_keys(&mut self, raw: &str, index: u64, top: bool) -> bool {
        match duplicates::repeated(raw) {
            duplicates::Repeated::None => match crate::parse::repeats::nested_differing(raw) {
                Some(path) => self.differing_key(raw, index, top, &path),
                None => false,
            },
            duplicates::Repeated::Same { text, .. } => match RecordView::parse(&text) {
                Ok(view) if view.looks_like_record() => {
                    if top {
                        self.scan.kinds.insert("cloudtrail-record");
                    }
                    self.emit(&text, &view, index, None, "cloudtrail");
                    true
                }
                _ => false,
            },
            duplicates::Repeated::Differ { key } => self.differing_key(raw, index, top, &[key]),
        }
    }

    /// A record that writes the key at `path` twice with different values: a gap naming it, and
    /// true; false when `raw` is not a record (it is told as before).
    pub(super) fn differing_key(
        &mut self,
        raw: &str,
        index: u64,
        top: bool,
        path: &[String],
    ) -> bool {
        let record = serde_json::from_str::<Value>(raw).is_ok_and(|v| {
            [
                "eventName",
                "eventSource",
                "userIdentity",
                "eventTime",
                "insightDetails",
            ]
            .iter()
            .any(|k| v.get(k).is_some_and(|f| !f.is_null()))
        });
        if record {
            if top {
                self.scan.kinds.insert("cloudtrail-record");
            }
            // Quoted only when written as a name: a key is the evidence's text.
            let key = crate::parse::repeats::key_named(path);
            self.reject(
                index,
                GapKind::MalformedRecord,
                format!("a CloudTrail record that writes {key} twice with different values: which one AWS wrote is not known, so the record is not read"),
            );
        }
        record
    }

    /// Whether the envelope `raw` (a LookupEvents item, an EventBridge event) writes one of the
    /// `keys` its record is read from twice with different values: a `Value` keeps the last,
    /// another reader the first, so the record it carries is not known. It is then a gap naming
    /// the key (as a record's own repeated key is, `shape/duplicates.rs`), and no record is read.
    pub(super) fn envelope_repeats(
        &mut self,
        raw: &str,
        index: u64,
        what: &str,
        keys: &[&str],
    ) -> bool {
        let Some(key) = duplicates::differing(raw, keys) else {
            return false;
        };
        self.reject(
            index,
            GapKind::MalformedRecord,
            format!("{what} that writes the key `{key}` twice with different values: which one AWS wrote is not known, so the record it carries is not read"),
        );
        true
    }
}
