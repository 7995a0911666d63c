//! `--all`'s rows: each record's row rendered where it is read, on both cores, and handed to the
//! sorter by the thread that read it. A JSON (lines) row of an API call is written straight from
//! the record's view ([`by_hand`]); other records and formats go through `scan::to_entry` and
//! `export::Row`. The tests hold both ways to the same bytes.

use super::deliveries::Delivery;
use super::updated::{self, UpdatedCopy};
use crate::analyse::copy_count::{compared_hash_of, key_of, Expected};
use crate::classify::{is_iam_change, Classifier};
use crate::correlate::replay::Observer;
use crate::export::{self, Format, IdTimes, KeyRef, RowBatch, Sorter};
use crate::model::{action_name, EntryKind};
use crate::parse::{event_id, target_of, RecordItem, RecordView};
use crate::per_thread::PerThread;
use crate::scan::{to_entry, Selector};
use crate::source::InputFile;
use std::borrow::Cow;
use std::io::Result;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Rows a thread renders before it hands them to the sorter (under its lock).
const HAND_OVER: usize = 1024;

/// The search for `EventID"` in a record's text, built once (building it for each record was
/// a third of the search's cost).
static NAMES_IDS: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"EventID\""));

/// The row of the record `item` read from the input at `input`, whose path is `path`, added to
/// `rows` under its sort key; the record's kind (see [`kind_of`]).
fn render(
    r: &Rendering<'_>,
    (input, path): (u32, &str),
    item: &RecordItem<'_>,
    rows: &mut RowBatch,
) -> Result<EntryKind> {
    let kind = kind_of(r.classifier, item.view);
    let event_id = event_id(item);
    // `sharedEventID` and `originalEventID`, which few records name, sought in one search of
    // the record's text (the record's own `eventID` is spelt with a small e).
    let names_ids = NAMES_IDS.find(item.raw.as_bytes()).is_some();
    if let Some(d) = names_ids
        .then(|| Delivery::of(input, item, &event_id))
        .flatten()
    {
        let named = r.deliveries_named.fetch_add(1, Ordering::Relaxed) + 1;
        if named <= r.notes_kept {
            lock(r.deliveries.get()).push(d);
        } else if named == r.notes_kept + 1 {
            // Past the bound: none is kept (which would be is up to the threads' timing).
            for notes in r.deliveries.iter() {
                *lock(notes) = Vec::new();
            }
        }
    }
    // CloudTrail's updated copy of another record (rare: a byte search first).
    let original = (names_ids && updated::names_original(item.raw))
        .then(|| updated::original_of(item))
        .flatten();
    let updated = original.is_some();
    if let Some(copy) = original.and_then(|o| UpdatedCopy::of(item, &event_id, o)) {
        let named = r.updated_named.fetch_add(1, Ordering::Relaxed) + 1;
        if named <= r.notes_kept {
            lock(r.updated.get()).push(copy);
        } else if named == r.notes_kept + 1 {
            for notes in r.updated.iter() {
                *lock(notes) = Vec::new();
            }
        }
    }
    let time = item.time.millis();
    let copy_key = key_of(time, &event_id);
    let v = item.view;
    let call = updated::call_hash(
        v.event_source.as_str().unwrap_or_default(),
        v.event_name.as_str().unwrap_or_default(),
    );
    r.id_times.push(copy_key.1, time, call, updated);
    let key = KeyRef {
        time,
        event_id: &event_id,
        input,
        index: item.index,
        content: r
            .expected
            .may_be_copy(copy_key)
            .then(|| compared_hash_of(&event_id, item.raw)),
    };
    rows.push_with(key, |out| {
        if !by_hand(item, kind, r.format, (path, &event_id, out)) {
            let entry = to_entry(item, input, kind);
            let row = export::Row::from_owned_entry(entry, path.to_string());
            export::push_row_bytes(out, r.format, &row)?;
        }
        Ok(())
    })?;
    Ok(kind)
}

/// The JSON (lines) row of the API call `item` (whose eventID is `event_id`), written from its
/// view as `to_entry` and the row would have it (borrowing what the record holds as it is);
/// `false` (nothing written) for another format or a record that is no plain call (an Insights
/// event: `to_entry`'s way).
fn by_hand(
    item: &RecordItem<'_>,
    kind: EntryKind,
    format: Format,
    (path, event_id, out): (&str, &str, &mut Vec<u8>),
) -> bool {
    let v = item.view;
    let (Some(source), Some(name)) = (v.event_source.as_str(), v.event_name.as_str()) else {
        return false;
    };
    if !matches!(format, Format::Json | Format::Jsonl) {
        return false;
    }
    // `RecordView::outcome`, without allocating for the common cases.
    let outcome = match v.error_code.as_str() {
        Some(code) => Cow::Borrowed(code),
        None => match v.failure() {
            Some(failure) => Cow::Owned(failure),
            None if v.network_activity() => Cow::Borrowed(crate::model::NETWORK_OUTCOME),
            None => Cow::Borrowed("success"),
        },
    };
    let fields = export::RowFields {
        time: item.time,
        event_id,
        kind: kind.as_str(),
        source: item.via,
        actor: &v.label(),
        actor_type: v
            .user_identity
            .as_ref()
            .and_then(|u| u.kind.as_str())
            .unwrap_or_default(),
        action: &action_name(source, name),
        target: &target_of(v).unwrap_or_default(),
        outcome: &outcome,
        source_ip: v.source_ip.as_str().unwrap_or_default(),
        user_agent: v.user_agent.as_str().unwrap_or_default(),
        region: v.region.as_str().unwrap_or_default(),
        incidents: &[],
        input: path,
        record_index: item.index,
        tie: false,
        counted_as: "",
    };
    export::push_fields(out, format, &fields)
}

/// `--all`'s selector: renders every record's row as it is read (its view is at hand) and
/// keeps only the records the correlation needs.
pub(super) struct Rendering<'a> {
    pub(super) classifier: &'a Classifier,
    pub(super) expected: &'a Expected,
    /// Every record's eventID hash, time and call: the eventIDs read at more than one time,
    /// and the originals of the updated copies.
    pub(super) id_times: IdTimes,
    /// The detection replay: shown every record, as in `timeline`'s first pass.
    pub(super) observer: &'a Observer<'a>,
    pub(super) format: Format,
    pub(super) files: &'a [InputFile],
    /// Each thread's rows rendered since the sorter last took them.
    pub(super) rows: PerThread<Mutex<RowBatch>>,
    /// Each thread's records naming a `sharedEventID` (see [`super::deliveries`]).
    pub(super) deliveries: PerThread<Mutex<Vec<Delivery>>>,
    /// How many records named a `sharedEventID`: past `notes_kept`, `deliveries` is emptied
    /// and stays empty.
    pub(super) deliveries_named: AtomicU64,
    /// Each thread's records naming an `originalEventID` (see [`super::updated`]).
    pub(super) updated: PerThread<Mutex<Vec<UpdatedCopy>>>,
    /// How many records named an `originalEventID`: past `notes_kept`, `updated` is emptied
    /// and stays empty.
    pub(super) updated_named: AtomicU64,
    /// At most this many records naming a `sharedEventID` are noted ([`super::deliveries::NOTES_KEPT`]),
    /// and as many naming an `originalEventID`.
    pub(super) notes_kept: u64,
    /// Every row, in any order: a row's key (time, eventID, input, record index) decides its
    /// place.
    pub(super) sorter: Mutex<Sorter>,
    /// The first row that could not be rendered or sorted.
    pub(super) failed: Mutex<Option<std::io::Error>>,
}

impl Rendering<'_> {
    /// The rows of `rows` to the sorter (an empty batch takes their place).
    pub(super) fn hand_over(&self, rows: &mut RowBatch) {
        let full = std::mem::take(rows);
        match lock(&self.sorter).push_batch(full) {
            Ok(empty) => *rows = empty,
            Err(err) => {
                lock(&self.failed).get_or_insert(err);
            }
        }
    }
}

impl Selector for Rendering<'_> {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        self.observer.observe(item);
        let path = &*self.files[input as usize].display;
        let mut rows = lock(self.rows.get());
        let kind = match render(self, (input, path), item, &mut rows) {
            Ok(kind) => Some(kind),
            Err(err) => {
                lock(&self.failed).get_or_insert(err);
                None
            }
        };
        if rows.len() >= HAND_OVER {
            self.hand_over(&mut rows);
        }
        // The kind tells whether the record is the kill-switch's, unless it was settled before
        // the kill-switch was asked (see `kind_of`).
        match kind {
            Some(EntryKind::HoneytokenAccess | EntryKind::Containment) => true,
            Some(EntryKind::NetworkActivity) | None => self.classifier.interesting(item.view),
            Some(_) => self.classifier.interesting_but_killswitch(item.view),
        }
    }
}

pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The kind of the record `view` by `c` alone (the stream's: the correlation may know better).
pub(super) fn kind_of(c: &Classifier, view: &RecordView<'_>) -> EntryKind {
    if view.passed_endpoint() {
        EntryKind::NetworkActivity
    } else if c.honeytoken(view).is_some_and(|h| h.read) {
        EntryKind::HoneytokenAccess
    } else if c.is_killswitch(view) {
        EntryKind::Containment
    } else if let Some(kind) = c.monitoring_kind(view) {
        kind
    } else if is_iam_change(view) {
        EntryKind::IamChange
    } else {
        EntryKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{scan, PassOptions};
    use std::path::Path;

    /// Compares the row written by hand with `to_entry`'s, for every record read.
    struct BothWays {
        classifier: Classifier,
        rows: Mutex<u64>,
        differ: Mutex<Vec<String>>,
    }

    impl Selector for BothWays {
        fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
            let kind = kind_of(&self.classifier, item.view);
            for format in [Format::Json, Format::Jsonl] {
                let mut fast = Vec::new();
                let id = event_id(item);
                if !by_hand(item, kind, format, ("in/put.json", &id, &mut fast)) {
                    continue;
                }
                *self.rows.lock().unwrap() += 1;
                let entry = to_entry(item, input, kind);
                let row = export::Row::from_owned_entry(entry, "in/put.json".into());
                let mut general = Vec::new();
                export::write_row(&mut general, format, &row, true).unwrap();
                if fast != general || id != row.event_id {
                    let (a, b) = (
                        String::from_utf8_lossy(&fast),
                        String::from_utf8_lossy(&general),
                    );
                    self.differ.lock().unwrap().push(format!("{a}\n{b}"));
                }
            }
            false
        }
    }

    /// The rows written by hand from the view are the rows of the general way, byte for byte,
    /// on the samples and the recorded public records (SAML, web identity, Identity Center,
    /// AWS account and service principals, errors, S3 and batch targets).
    #[test]
    fn a_row_written_by_hand_is_the_row_of_the_general_way() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let samples = root.join("samples/incident-01");
        let inputs = [
            samples.clone(),
            root.join("tests/data/records"),
            root.join("tests/data/shared"),
        ];
        let d = crate::source::discover(&inputs).unwrap();
        let settings = crate::config::Config::load(&samples.join("trailcase.toml"))
            .unwrap()
            .analysis_settings();
        let both = BothWays {
            classifier: Classifier::new(&settings),
            rows: Mutex::new(0),
            differ: Mutex::default(),
        };
        let all: Vec<u32> = (0..d.files.len() as u32).collect();
        let opts = PassOptions {
            max_inflated: 1 << 30,
            index: false,
            s3_decoys: None,
            arrivals: None,
        };
        scan(&d.files, &all, opts, &both, &|_| {});
        assert!(*both.rows.lock().unwrap() > 2000);
        assert_eq!(both.differ.into_inner().unwrap(), Vec::<String>::new());
    }
}
