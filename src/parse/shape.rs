//! Recognise a document by its content and stream what it holds to a [`RecordSink`].
//!
//! Shapes: `{"Records":[...]}` trail files, JSON arrays, JSON lines, LookupEvents pages and
//! items, CloudTrail Lake query results (`eventJson`), CloudWatch Logs exports and
//! subscription envelopes (also base64+gzip `awslogs`),
//! EventBridge envelopes, SNS notifications, the kill-switch's published result and posture
//! results, and the AWS CLI outputs of the pipeline's configuration. Records before a syntax error are kept (a truncated file loses only its tail).

mod document_keys;
mod duplicates;
mod items;
mod lake;
mod lenient_scan;
mod logs;
mod lookup_item;
mod lookup_page;
mod not_utf8;
mod repeated;
mod resync;
mod stream;
mod text;
mod trail_file;
mod trail_stream;
mod value;

#[cfg(test)]
pub(super) use trail_file::tests::all_samples;

use super::time::value_time;
use text::{
    is_json_lines, is_platform_line, looks_like_timestamped_lines, not_json, trim, utf16_text,
};

use super::cli_outputs;
use super::json_text::{not_a_value, replace_lone_surrogates};
use super::killswitch;
use super::notifications;
use super::record::{json_error, RecordView};
use crate::model::{ConfigEvidence, GapKind, Timestamp};
use lookup_item::LookupItem;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// One CloudTrail record found in a document.
pub struct RecordItem<'r> {
    /// Position of the record in the document (0-based, counting every element seen).
    pub index: u64,
    /// The record's JSON text, exactly as read (valid JSON: it was parsed into `view`).
    pub raw: &'r str,
    pub view: &'r RecordView<'r>,
    pub time: Timestamp,
    /// `cloudtrail`, `lookup-events`, `cloudwatch-logs`, `eventbridge`.
    pub via: &'static str,
}

/// Receives the records of a document as they are read.
pub trait RecordSink {
    fn record(&mut self, item: RecordItem<'_>);
}

/// What a document held besides its records.
#[derive(Debug, Default, Clone)]
pub struct DocumentScan {
    /// The recognised shapes, e.g. `cloudtrail-records` or `alarm-history`.
    pub kinds: BTreeSet<&'static str>,
    pub records: u64,
    pub gaps: Vec<(Option<u64>, GapKind, String)>,
    pub config: ConfigEvidence,
}

impl DocumentScan {
    pub fn kind(&self) -> String {
        if self.kinds.is_empty() {
            "unrecognised".to_string()
        } else {
            self.kinds.iter().copied().collect::<Vec<_>>().join("+")
        }
    }
}

/// Scan a whole document (already decompressed). `input` is stamped on the configuration
/// evidence; `name_hint` is the file name, used only to name a rule for `list-targets-by-rule`.
pub fn scan_document(
    bytes: &[u8],
    input: u32,
    name_hint: &str,
    sink: &mut dyn RecordSink,
) -> DocumentScan {
    scan_document_with(bytes, input, name_hint, sink, true)
}

/// [`scan_document`], with the trail-file fast path on or off (tests compare the two).
fn scan_document_with(
    bytes: &[u8],
    input: u32,
    name_hint: &str,
    sink: &mut dyn RecordSink,
    fast: bool,
) -> DocumentScan {
    let mut ctx = Ctx::new(sink, input, name_hint, fast);
    ctx.document(bytes);
    ctx.finish()
}

/// [`scan_document`] of a document whose first `sink_from` records the sink already has (from
/// [`scan_trail_stream`]): they are counted and checked again, not given again.
pub fn scan_document_from(
    bytes: &[u8],
    input: u32,
    name_hint: &str,
    sink: &mut dyn RecordSink,
    sink_from: u64,
) -> DocumentScan {
    let mut ctx = Ctx::new(sink, input, name_hint, true);
    ctx.sink_from = sink_from;
    ctx.document(bytes);
    ctx.finish()
}

/// Scan a trail file from a decompressing reader without holding it inflated (see
/// `shape/trail_stream.rs`), reading at most `cap` inflated bytes. `Err(n)` when the document is
/// not one this path can finish: the sink has the first `n` records, and the caller scans the
/// whole content with [`scan_document_from`] (the result is then exactly that of
/// [`scan_document`]).
pub fn scan_trail_stream(
    reader: &mut dyn std::io::Read,
    cap: u64,
    input: u32,
    name_hint: &str,
    sink: &mut dyn RecordSink,
) -> Result<DocumentScan, u64> {
    let mut ctx = Ctx::new(sink, input, name_hint, true);
    if ctx.trail_stream(reader, cap, trail_stream::CHUNK) {
        Ok(ctx.finish())
    } else {
        Err(ctx.next_index)
    }
}

struct Ctx<'s> {
    sink: &'s mut dyn RecordSink,
    scan: DocumentScan,
    next_index: u64,
    input: u32,
    name_hint: String,
    unrecognised: Vec<(u64, String)>,
    depth: u8,
    /// Whether `{"Records":[...]}` documents take the fast path.
    fast: bool,
    /// Records with a lower index were already given to the sink by a fast path that then
    /// handed the document back to the general one (see [`Ctx::trail_file`]).
    sink_from: u64,
    /// Where the document being read held bytes that are not UTF-8 (each replaced by `?` in
    /// the copy read, so that the rest of it can be): (address in the copy, offset in the
    /// document). An element that holds one is rejected with its index.
    not_utf8: Vec<(usize, usize)>,
    /// The address of the document being read (offsets in gaps are from it).
    document_at: usize,
    /// The values being read ([`Ctx::values`]) are known to be UTF-8: the rest of the body was
    /// checked at its first value, and each later value is in that rest.
    text_checked: bool,
    /// The address just after the last element a streamed array handed to [`Ctx::element`]
    /// (0: none yet in the value being read): a resync after a syntax error reads on from there.
    handled_end: usize,
    /// Items of an AWS CLI output read as `null` because they are not JSON (`items.rs`): their
    /// array's key, position and the gap's reason, until a lift or the reader names them.
    bad_items: Vec<(String, u64, String)>,
}

impl<'s> Ctx<'s> {
    fn new(sink: &'s mut dyn RecordSink, input: u32, name_hint: &str, fast: bool) -> Ctx<'s> {
        Ctx {
            sink,
            scan: DocumentScan::default(),
            next_index: 0,
            input,
            name_hint: name_hint.to_string(),
            unrecognised: Vec::new(),
            depth: 0,
            fast,
            sink_from: 0,
            not_utf8: Vec::new(),
            document_at: 0,
            text_checked: false,
            handled_end: 0,
            bad_items: Vec::new(),
        }
    }

    /// The scan, with the elements nothing recognised turned into gaps.
    fn finish(mut self) -> DocumentScan {
        let unrecognised = std::mem::take(&mut self.unrecognised);
        let mut scan = self.scan;
        if !unrecognised.is_empty() {
            if scan.kinds.is_empty() && scan.records == 0 {
                let (_, why) = &unrecognised[0];
                scan.gaps.push((
                    None,
                    GapKind::UnrecognisedContent,
                    format!("not CloudTrail or AWS CLI evidence: {why}"),
                ));
            } else {
                for (index, why) in unrecognised {
                    scan.gaps
                        .push((Some(index), GapKind::UnrecognisedContent, why));
                }
            }
        }
        scan.gaps.sort();
        scan
    }

    fn document(&mut self, bytes: &[u8]) {
        // PowerShell writes UTF-16: read it as the text it is.
        if let Some(text) = utf16_text(bytes) {
            self.document(text.as_bytes());
            return;
        }
        // Offsets in gaps count the byte order mark, as a reader of the file's bytes would.
        self.document_at = bytes.as_ptr() as usize;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
        let Some(start) = start else {
            self.whole_file_gap(GapKind::UnrecognisedContent, "the file is empty".into());
            return;
        };
        let body = &bytes[start..];
        // Lines are numbered in the file: the blank ones before the body count.
        let first_line = 1 + memchr::memchr_iter(b'\n', &bytes[..start]).count();
        match body[0] {
            b'[' => self.values(body),
            b'{' if is_json_lines(body) => self.lines(body, first_line),
            b'{' => self.values(body),
            _ if looks_like_timestamped_lines(body) => self.lines(body, first_line),
            _ if is_platform_line(body.split(|b| *b == b'\n').next().unwrap_or(body)) => {
                self.lines(body, first_line)
            }
            // `<digest key>.signature` sidecars: the digest's S3 signature metadata, hex.
            _ if trim(body).len() >= 64 && trim(body).iter().all(u8::is_ascii_hexdigit) => {
                self.scan.kinds.insert("digest-signature");
            }
            // JSON, but a bare string, number, boolean or null: no evidence shape holds one.
            _ if serde_json::from_slice::<serde::de::IgnoredAny>(trim(body)).is_ok() => self
                .whole_file_gap(
                    GapKind::UnrecognisedContent,
                    "not CloudTrail or AWS CLI evidence: a JSON value that is not an object or an array".into(),
                ),
            _ => self.whole_file_gap(GapKind::InvalidJson, not_json(body)),
        }
    }

    fn whole_file_gap(&mut self, kind: GapKind, reason: String) {
        self.scan.gaps.push((None, kind, reason));
    }

    /// The rows of a container object (CloudTrail Lake results, a CloudWatch Logs envelope)
    /// that took `index` for itself are indexed from `index`: the first row is the container's
    /// own index (0 in a file of one such object), as a trail file's first record is 0, not 1.
    /// Only when `index` was the last one taken and so nothing else holds it.
    fn index_rows_from(&mut self, index: u64) {
        if self.next_index == index + 1 {
            self.next_index = index;
        }
    }

    fn take_index(&mut self) -> u64 {
        let i = self.next_index;
        self.next_index += 1;
        i
    }

    /// Handle one element of a streamed array.
    fn element(&mut self, key: &str, raw: &RawValue) {
        let index = self.take_index();
        if let Some(offset) = self.not_utf8_in(raw.get()) {
            self.reject(
                index,
                GapKind::MalformedRecord,
                format!("not UTF-8: a byte at offset {offset} of the document is not text; the record is not read (the document's other records are)"),
            );
            return;
        }
        match key {
            // A page's element is an item: not read as a record first (an item holding a
            // record's key is, as before).
            "Events" if self.fast => match LookupItem::read_item_only(raw.get()) {
                Some(item) => {
                    self.scan.kinds.insert("lookup-events");
                    let fallback = item.event_time.as_ref().and_then(value_time);
                    self.embedded(&item.cloud_trail_event, index, fallback, "lookup-events");
                }
                None => self.record_element(raw, index),
            },
            "" | "Records" | "Events" => {
                if key.is_empty() {
                    self.scan.kinds.insert("json-array");
                }
                self.record_element(raw, index);
            }
            "events" | "logEvents" => self.log_event(raw, index),
            _ => {}
        }
    }

    /// An element of a document's records: read or rejected with its index, none may vanish.
    fn record_element(&mut self, raw: &RawValue, index: u64) {
        if let Err(e) = self.single(raw.get(), index, false) {
            self.reject(
                index,
                GapKind::MalformedRecord,
                format!("not a usable record: {}", json_error(&e)),
            );
        }
    }

    /// One object that is not a streamed container: a record, a LookupEvents item, an envelope,
    /// a notification or an AWS CLI output. `top` is true for a whole document or line.
    fn single(&mut self, raw: &str, index: u64, top: bool) -> Result<(), serde_json::Error> {
        match RecordView::parse(raw) {
            Ok(view) if view.looks_like_record() => {
                if top {
                    self.scan.kinds.insert("cloudtrail-record");
                }
                self.emit(raw, &view, index, None, "cloudtrail");
                return Ok(());
            }
            Ok(_) => {}
            // Valid JSON that serde_json cannot read into strings: lone surrogate escapes. Read
            // with U+FFFD in their place (the input's bytes and hash are unchanged).
            Err(_) => {
                if let Cow::Owned(fixed) = replace_lone_surrogates(raw) {
                    return self.single(&fixed, index, top);
                }
                if self.repeated_keys(raw, index, top) {
                    return Ok(());
                }
            }
        }
        if let Some(item) = self.fast.then(|| LookupItem::read(raw)).flatten() {
            self.scan.kinds.insert("lookup-events");
            let fallback = item.event_time.as_ref().and_then(value_time);
            self.embedded(&item.cloud_trail_event, index, fallback, "lookup-events");
            return Ok(());
        }
        // A key written twice keeps every array's elements (`document_keys.rs`): told below
        // for a document of no record of its own, as for one whose records are streamed.
        let (value, repeated) = match document_keys::read_value(raw) {
            Ok(read) => read,
            // Lone surrogate escapes where the view does not look (it read the text): read
            // with U+FFFD in their place, as above.
            Err(e) => match replace_lone_surrogates(raw) {
                Cow::Owned(fixed) => return self.single(&fixed, index, top),
                Cow::Borrowed(_) => return Err(e),
            },
        };
        let Value::Object(obj) = &value else {
            self.unrecognised
                .push((index, "a JSON value that is not an object".into()));
            return Ok(());
        };
        if let Some(Value::String(inner)) = obj.get("CloudTrailEvent") {
            self.scan.kinds.insert("lookup-events");
            if self.envelope_repeats(
                raw,
                index,
                "a LookupEvents item",
                &["CloudTrailEvent", "EventTime"],
            ) {
                return Ok(());
            }
            let fallback = obj.get("EventTime").and_then(value_time);
            self.embedded(inner, index, fallback, "lookup-events");
        } else if let (Some(detail), Some(dt)) = (obj.get("detail"), obj.get("detail-type")) {
            if self.envelope_repeats(
                raw,
                index,
                "an EventBridge event",
                &["detail", "detail-type"],
            ) {
                self.scan.kinds.insert("eventbridge-event");
                return Ok(());
            }
            self.envelope(detail, dt, &value, index);
        } else if obj.contains_key("logEvents") || obj.contains_key("awslogs") {
            self.repeated_top_keys(&repeated, index, top);
            self.nested_logs(obj, index);
        } else if let Some(Value::Array(rows)) = obj.get("QueryResultRows") {
            self.repeated_top_keys(&repeated, index, top);
            self.lake_rows(rows, index);
        } else if let Some(lifted) = killswitch::lift_document(obj, self.input, index)
            .or_else(|| killswitch::lift_sns(obj, self.input, index))
        {
            self.repeated_top_keys(&repeated, index, top);
            self.lifted(lifted, index);
        } else if let Some((kind, config)) = cli_outputs::lift(obj, self.input, &self.name_hint) {
            self.repeated_top_keys(&repeated, index, top);
            self.scan.kinds.insert(kind);
            // A gap at the item's index: the item itself is read (its time and type), only
            // what its HistoryData records is not, so it is no rejected record.
            self.scan.gaps.extend(
                config
                    .alarm_history
                    .iter()
                    .filter_map(cli_outputs::unreadable_gap),
            );
            self.scan.config.merge(config);
        } else if let Some((kind, config)) = notifications::lift(obj, self.input) {
            self.repeated_top_keys(&repeated, index, top);
            self.scan.kinds.insert(kind);
            self.scan.config.merge(config);
        } else {
            // Keys are the input's text, maybe a planted secret: quoted only when written as
            // names (letters, no control character), else counted.
            let why = super::described::object_keys(obj);
            if top {
                self.unrecognised.push((index, why));
            } else {
                self.reject(
                    index,
                    GapKind::MalformedRecord,
                    format!("not a usable record: {why}"),
                );
            }
        }
        Ok(())
    }

    /// A kill-switch or posture result: its evidence, or a gap naming the record and reason.
    fn lifted(&mut self, lifted: killswitch::Lifted, index: u64) {
        match lifted {
            Ok((kind, config)) => {
                self.scan.kinds.insert(kind);
                self.scan.config.merge(config);
            }
            Err((kind, why)) => {
                self.scan.kinds.insert(kind);
                self.reject(index, GapKind::MalformedRecord, why);
            }
        }
    }

    fn envelope(&mut self, detail: &Value, detail_type: &Value, whole: &Value, index: u64) {
        let alarm_kind = match detail_type.as_str() {
            Some("CloudWatch Alarm State Change") => Some("alarm-state-change-event"),
            Some("CloudWatch Alarm Configuration Change") => {
                Some("alarm-configuration-change-event")
            }
            _ => None,
        };
        if let Some(kind) = alarm_kind {
            if let Some(config) = notifications::alarm_state_change(whole, self.input) {
                self.scan.kinds.insert(kind);
                self.scan.config.merge(config);
                return;
            }
        }
        let text = detail.to_string();
        match RecordView::parse(&text) {
            // An Insights event ("AWS Insight via CloudTrail") names its API inside
            // `insightDetails`, not in `eventName`.
            Ok(view)
                if view.looks_like_record()
                    && (view.event_name.as_str().is_some() || view.insight_details.is_some()) =>
            {
                self.scan.kinds.insert("eventbridge-event");
                self.emit(&text, &view, index, None, "eventbridge");
            }
            _ => {
                self.scan.kinds.insert("eventbridge-event");
                self.unrecognised
                    .push((index, super::described::event_without_record(detail_type)));
            }
        }
    }

    /// A record carried as a JSON string (LookupEvents `CloudTrailEvent`, log `message`).
    fn embedded(&mut self, text: &str, index: u64, fallback: Option<Timestamp>, via: &'static str) {
        let text = replace_lone_surrogates(text.trim());
        // A record read into a view is JSON (serde_json vouches for what the plain reader does
        // not): no need to check it as a `RawValue` first. Anything else is told as before; the
        // general way (tests compare the two) always checks first.
        if self.fast {
            if let Ok(view) = RecordView::parse(&text) {
                if view.looks_like_record() {
                    self.emit(&text, &view, index, fallback, via);
                    return;
                }
            }
        }
        let raw = match RawValue::from_string(text.into_owned()) {
            Ok(raw) => raw,
            Err(e) => {
                self.reject(
                    index,
                    GapKind::MalformedRecord,
                    format!("embedded record is not JSON: {}", json_error(&e)),
                );
                return;
            }
        };
        match RecordView::parse(raw.get()) {
            Ok(view) if view.looks_like_record() => {
                self.emit(raw.get(), &view, index, fallback, via)
            }
            Ok(_) => self.reject(
                index,
                GapKind::MalformedRecord,
                "embedded JSON is not a CloudTrail record".into(),
            ),
            Err(p) => self.reject(index, p.kind, p.reason),
        }
    }

    fn emit(
        &mut self,
        raw: &str,
        view: &RecordView<'_>,
        index: u64,
        fallback: Option<Timestamp>,
        via: &'static str,
    ) {
        if let Cow::Owned(fixed) = replace_lone_surrogates(raw) {
            match RecordView::parse(&fixed) {
                Ok(view) => self.emit(&fixed, &view, index, fallback, via),
                Err(p) => self.reject(index, p.kind, p.reason),
            }
            return;
        }
        let time = view.time(fallback);
        if time.is_ok() && via == "lookup-events" {
            if let Some(why) = lookup_page::not_lookup_events(raw, view) {
                self.scan
                    .gaps
                    .push((Some(index), GapKind::NotLookupEvents, why));
            }
        }
        if time.is_ok() {
            // Read and analysed, but its `record` would export as `null`: say so.
            if let Some(why) = not_a_value(raw) {
                self.scan.gaps.push((
                    Some(index),
                    GapKind::RecordNotExportable,
                    format!("the record was read and analysed, but its JSON cannot be exported ({why}); the input holds it byte for byte"),
                ));
            }
        }
        self.give(raw, view, index, time, via);
    }

    /// [`Ctx::emit`] of a record [`read_plain_into`](super::plain::read_plain_into) read: it holds no lone
    /// surrogate and fits a `Value`, so neither needs looking for.
    fn emit_plain(&mut self, raw: &str, view: &RecordView<'_>, index: u64) {
        self.give(raw, view, index, view.time(None), "cloudtrail");
    }

    /// The record to the sink, or its time problem as a gap.
    fn give(
        &mut self,
        raw: &str,
        view: &RecordView<'_>,
        index: u64,
        time: Result<Timestamp, super::record::RecordProblem>,
        via: &'static str,
    ) {
        match time {
            Ok(_) if index < self.sink_from => self.scan.records += 1,
            Ok(time) => {
                self.scan.records += 1;
                self.sink.record(RecordItem {
                    index,
                    raw,
                    view,
                    time,
                    via,
                });
            }
            Err(p) => self.reject(index, p.kind, p.reason),
        }
    }

    fn reject(&mut self, index: u64, kind: GapKind, reason: String) {
        self.scan.gaps.push((Some(index), kind, reason));
    }
}
