//! Recognise a document by its content and stream what it holds to a [`RecordSink`].
//!
//! Shapes: `{"Records":[...]}` trail files, JSON arrays, JSON lines, LookupEvents pages and
//! items, CloudWatch Logs exports and subscription envelopes (also base64+gzip `awslogs`),
//! EventBridge envelopes, SNS notifications, and the AWS CLI outputs of the pipeline's
//! configuration. Records before a syntax error are kept (a truncated file loses only its tail).

mod trail_file;

use super::cli_outputs;
use super::killswitch;
use super::notifications;
use super::record::{clip, RecordView};
use super::time::{epoch_number, parse_time};
use crate::model::{ConfigEvidence, GapKind, Timestamp};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

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
#[derive(Debug, Default)]
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
    let mut ctx = Ctx {
        sink,
        scan: DocumentScan::default(),
        next_index: 0,
        input,
        name_hint: name_hint.to_string(),
        unrecognised: Vec::new(),
        depth: 0,
        fast,
        sink_from: 0,
    };
    ctx.document(bytes);
    let unrecognised = std::mem::take(&mut ctx.unrecognised);
    let mut scan = ctx.scan;
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
}

impl Ctx<'_> {
    fn document(&mut self, bytes: &[u8]) {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
        let Some(start) = start else {
            self.whole_file_gap(GapKind::UnrecognisedContent, "the file is empty".into());
            return;
        };
        let body = &bytes[start..];
        match body[0] {
            b'[' => self.value(body),
            b'{' if is_json_lines(body) => self.lines(body),
            b'{' => self.value(body),
            _ if looks_like_timestamped_lines(body) => self.lines(body),
            _ if is_platform_line(body.split(|b| *b == b'\n').next().unwrap_or(body)) => {
                self.lines(body)
            }
            // `<digest key>.signature` sidecars: the digest's S3 signature metadata, hex.
            _ if trim(body).len() >= 64 && trim(body).iter().all(u8::is_ascii_hexdigit) => {
                self.scan.kinds.insert("digest-signature");
            }
            _ => self.whole_file_gap(
                GapKind::InvalidJson,
                format!(
                    "not JSON (starts with {})",
                    clip(&String::from_utf8_lossy(&body[..body.len().min(20)]))
                ),
            ),
        }
    }

    fn whole_file_gap(&mut self, kind: GapKind, reason: String) {
        self.scan.gaps.push((None, kind, reason));
    }

    /// JSON lines: each line is one value; a bad line is a gap for that line only. CloudWatch
    /// Logs S3 exports prefix each message with its timestamp, which is skipped.
    fn lines(&mut self, body: &[u8]) {
        for (n, line) in body.split(|b| *b == b'\n').enumerate() {
            let line = trim(line);
            if line.is_empty() {
                continue;
            }
            if is_platform_line(line) {
                // START / END / REPORT lines of a Lambda log group export: not evidence.
                self.scan.kinds.insert("lambda-platform-log");
                continue;
            }
            let json = match line.iter().position(|b| *b == b'{' || *b == b'[') {
                Some(p) if p > 0 && looks_like_timestamped_lines(line) => &line[p..],
                _ => line,
            };
            if let Err(e) = serde_json::from_slice::<&RawValue>(json) {
                self.scan.gaps.push((
                    Some(self.next_index),
                    GapKind::InvalidJson,
                    format!("line {}: invalid JSON: {e}", n + 1),
                ));
                self.next_index += 1;
                continue;
            }
            self.value(json);
        }
    }

    /// One JSON value: an array streams its elements, an object is classified by its keys.
    fn value(&mut self, body: &[u8]) {
        if self.fast && self.trail_file(body) {
            return;
        }
        let before = self.scan.records;
        let mut de = serde_json::Deserializer::from_slice(body);
        let result = match body.first() {
            Some(b'[') => de
                .deserialize_seq(ElementsVisitor { ctx: self, key: "" })
                .map(|_| ()),
            _ => match de.deserialize_map(TopVisitor { ctx: self }) {
                Ok(Top { streamed: true, .. }) => Ok(()),
                Ok(Top {
                    streamed: false, ..
                }) => {
                    let index = self.take_index();
                    match serde_json::from_slice::<&RawValue>(body) {
                        Ok(raw) => self.single(raw.get(), index, true),
                        Err(e) => Err(e),
                    }
                }
                Err(e) => Err(e),
            },
        };
        let result = result.and_then(|_| de.end());
        if let Err(e) = result {
            let kept = self.scan.records - before;
            let what = if e.is_eof() {
                "the document ends early"
            } else {
                "invalid JSON"
            };
            let tail = if kept > 0 {
                format!("; the {kept} records before it were read")
            } else {
                String::new()
            };
            self.scan
                .gaps
                .push((None, GapKind::InvalidJson, format!("{what}: {e}{tail}")));
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
        match key {
            "" => {
                self.scan.kinds.insert("json-array");
                let _ = self.single(raw.get(), index, false);
            }
            "Records" | "Events" => {
                let _ = self.single(raw.get(), index, false);
            }
            "events" | "logEvents" => self.log_event(raw, index),
            _ => {}
        }
    }

    /// One object that is not a streamed container: a record, a LookupEvents item, an envelope,
    /// a notification or an AWS CLI output. `top` is true for a whole document or line.
    fn single(&mut self, raw: &str, index: u64, top: bool) -> Result<(), serde_json::Error> {
        if let Ok(view) = RecordView::parse(raw) {
            if view.looks_like_record() {
                if top {
                    self.scan.kinds.insert("cloudtrail-record");
                }
                self.emit(raw, &view, index, None, "cloudtrail");
                return Ok(());
            }
        }
        let value: Value = serde_json::from_str(raw)?;
        let Value::Object(obj) = &value else {
            self.unrecognised
                .push((index, "a JSON value that is not an object".into()));
            return Ok(());
        };
        if let Some(Value::String(inner)) = obj.get("CloudTrailEvent") {
            self.scan.kinds.insert("lookup-events");
            let fallback = obj.get("EventTime").and_then(value_time);
            self.embedded(inner, index, fallback, "lookup-events");
        } else if let (Some(detail), Some(dt)) = (obj.get("detail"), obj.get("detail-type")) {
            self.envelope(detail, dt, &value, index);
        } else if obj.contains_key("logEvents") || obj.contains_key("awslogs") {
            self.nested_logs(obj, index);
        } else if let Some(lifted) = killswitch::lift_document(obj, self.input, index)
            .or_else(|| killswitch::lift_sns(obj, self.input, index))
        {
            self.lifted(lifted, index);
        } else if let Some((kind, config)) = cli_outputs::lift(obj, self.input, &self.name_hint) {
            self.scan.kinds.insert(kind);
            self.scan.config.merge(config);
        } else if let Some((kind, config)) = notifications::lift(obj, self.input) {
            self.scan.kinds.insert(kind);
            self.scan.config.merge(config);
        } else {
            let keys: Vec<&str> = obj.keys().map(String::as_str).take(6).collect();
            let why = format!("an object with keys {}", keys.join(", "));
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
            Ok(view) if view.looks_like_record() && view.event_name.as_str().is_some() => {
                self.scan.kinds.insert("eventbridge-event");
                self.emit(&text, &view, index, None, "eventbridge");
            }
            _ => {
                self.scan.kinds.insert("eventbridge-event");
                self.unrecognised.push((
                    index,
                    format!(
                        "an EventBridge event of type {detail_type} without a CloudTrail record"
                    ),
                ));
            }
        }
    }

    fn nested_logs(&mut self, obj: &serde_json::Map<String, Value>, index: u64) {
        if let Some(data) = obj
            .get("awslogs")
            .and_then(|a| a.get("data"))
            .and_then(Value::as_str)
        {
            self.scan.kinds.insert("cloudwatch-logs-subscription");
            match decode_awslogs(data) {
                Ok(bytes) if self.depth < 4 => {
                    self.depth += 1;
                    self.document(&bytes);
                    self.depth -= 1;
                }
                Ok(_) => self
                    .unrecognised
                    .push((index, "awslogs nested too deep".into())),
                Err(why) => self
                    .scan
                    .gaps
                    .push((Some(index), GapKind::MalformedRecord, why)),
            }
            return;
        }
        self.scan.kinds.insert("cloudwatch-logs-subscription");
        if let Some(Value::Array(events)) = obj.get("logEvents") {
            for ev in events {
                let sub = self.take_index();
                if let Ok(raw) = RawValue::from_string(ev.to_string()) {
                    self.log_event(&raw, sub);
                }
            }
        }
    }

    /// A CloudWatch Logs event: its `message` is the record as text.
    fn log_event(&mut self, raw: &RawValue, index: u64) {
        let parsed: Result<Value, _> = serde_json::from_str(raw.get());
        let Ok(Value::Object(obj)) = parsed else {
            self.unrecognised
                .push((index, "a log event that is not an object".into()));
            return;
        };
        let fallback = obj.get("timestamp").and_then(value_time);
        match obj.get("message") {
            Some(Value::String(msg)) if killswitch::is_lambda_platform_line(msg) => {
                self.scan.kinds.insert("lambda-platform-log");
            }
            Some(Value::String(msg)) => {
                match killswitch::lift_log_message(msg, self.input, index) {
                    Some(lifted) => self.lifted(lifted, index),
                    None => self.embedded(msg, index, fallback, "cloudwatch-logs"),
                }
            }
            _ => self
                .unrecognised
                .push((index, "a log event without a message".into())),
        }
    }

    /// A record carried as a JSON string (LookupEvents `CloudTrailEvent`, log `message`).
    fn embedded(&mut self, text: &str, index: u64, fallback: Option<Timestamp>, via: &'static str) {
        let raw = match RawValue::from_string(text.trim().to_string()) {
            Ok(raw) => raw,
            Err(e) => {
                self.reject(
                    index,
                    GapKind::MalformedRecord,
                    format!("embedded record is not JSON: {e}"),
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
        match view.time(fallback) {
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

/// Result of walking a top-level object: whether one of its arrays was streamed.
struct Top {
    streamed: bool,
}

struct TopVisitor<'c, 's> {
    ctx: &'c mut Ctx<'s>,
}

impl<'de> Visitor<'de> for TopVisitor<'_, '_> {
    type Value = Top;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut streamed = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                k @ ("Records" | "Events" | "events" | "logEvents") => {
                    let (key, kind): (&'static str, &'static str) = match k {
                        "Records" => ("Records", "cloudtrail-records"),
                        "Events" => ("Events", "lookup-events"),
                        "events" => ("events", "cloudwatch-logs"),
                        _ => ("logEvents", "cloudwatch-logs"),
                    };
                    self.ctx.scan.kinds.insert(kind);
                    streamed |= map.next_value_seed(ElementsSeed {
                        ctx: &mut *self.ctx,
                        key,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Top { streamed })
    }
}

struct ElementsSeed<'c, 's> {
    ctx: &'c mut Ctx<'s>,
    key: &'static str,
}

impl<'de> DeserializeSeed<'de> for ElementsSeed<'_, '_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(ElementsVisitor {
            ctx: self.ctx,
            key: self.key,
        })
    }
}

/// Streams the elements of an array; anything else under a streamed key is ignored.
struct ElementsVisitor<'c, 's> {
    ctx: &'c mut Ctx<'s>,
    key: &'static str,
}

impl<'de> Visitor<'de> for ElementsVisitor<'_, '_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            self.ctx.element(self.key, raw);
        }
        Ok(true)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
}

/// A time given as text or as epoch seconds / milliseconds.
pub(crate) fn value_time(v: &Value) -> Option<Timestamp> {
    match v {
        Value::String(s) => parse_time(s),
        Value::Number(n) => n.as_f64().and_then(epoch_number),
        _ => None,
    }
}

/// True when the first line is a complete JSON value and more content follows it.
fn is_json_lines(body: &[u8]) -> bool {
    // Trail files are one line, often without a final newline: find it with memchr, and only
    // parse the first line when something follows it.
    let Some(nl) = memchr::memchr(b'\n', body) else {
        return false;
    };
    let rest = &body[nl..];
    rest.iter().any(|b| !b.is_ascii_whitespace())
        && serde_json::from_slice::<&RawValue>(trim(&body[..nl])).is_ok()
}

/// `2026-11-20T14:02:17.000Z {...}`: a CloudWatch Logs export line.
fn looks_like_timestamped_lines(body: &[u8]) -> bool {
    body.len() > 20
        && body[..4].iter().all(u8::is_ascii_digit)
        && body[4] == b'-'
        && body.iter().take(40).any(|b| *b == b' ')
        && body.iter().take(64).any(|b| *b == b'{')
}

/// `2026-11-20T14:02:45.000Z START RequestId: ...`: a Lambda platform line in a log export.
fn is_platform_line(line: &[u8]) -> bool {
    let Some(space) = line.iter().take(40).position(|b| *b == b' ') else {
        return false;
    };
    line[..space].first().is_some_and(u8::is_ascii_digit)
        && parse_time(&String::from_utf8_lossy(&line[..space])).is_some()
        && killswitch::is_lambda_platform_line(&String::from_utf8_lossy(&line[space + 1..]))
}

fn trim(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |e| e + 1);
    &b[s..e]
}

fn decode_awslogs(data: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    use std::io::Read;
    let gz = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| format!("awslogs.data is not base64: {e}"))?;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&gz[..])
        .take(64 << 20)
        .read_to_end(&mut out)
        .map_err(|e| format!("awslogs.data is not gzip: {e}"))?;
    Ok(out)
}
