//! CloudWatch Logs in a document: S3 export lines (`<timestamp> <message>`), subscription
//! envelopes (also the base64+gzip `awslogs` form) and their log events, whose messages are
//! CloudTrail records or, in the kill-switch's log group, its published result.

use super::text::{decode_awslogs, is_platform_line, looks_like_timestamped_lines, trim};
use super::Ctx;
use crate::model::GapKind;
use crate::parse::killswitch;
use crate::parse::record::json_error;
use crate::parse::time::value_time;
use serde_json::value::RawValue;
use serde_json::Value;

impl Ctx<'_> {
    /// JSON lines: each line is one value; a bad line is a gap for that line only. CloudWatch
    /// Logs S3 exports prefix each message with its timestamp, which is skipped. `first_line`: the
    /// body's first line's number in the file.
    pub(super) fn lines(&mut self, body: &[u8], first_line: usize) {
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
                // A line that is a document of records (`cat` of one-line trail files) costs
                // only its bad elements (`resync.rs`).
                if super::resync::holds_streamed_array(json) {
                    self.values(json);
                    continue;
                }
                self.scan.gaps.push((
                    Some(self.next_index),
                    GapKind::InvalidJson,
                    format!("line {}: invalid JSON: {}", first_line + n, json_error(&e)),
                ));
                self.next_index += 1;
                continue;
            }
            self.values(json);
        }
    }

    pub(super) fn nested_logs(&mut self, obj: &serde_json::Map<String, Value>, index: u64) {
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
            self.index_rows_from(index);
            for ev in events {
                let sub = self.take_index();
                if let Ok(raw) = RawValue::from_string(ev.to_string()) {
                    self.log_event(&raw, sub);
                }
            }
        }
    }

    /// A CloudWatch Logs event: its `message` is the record as text.
    pub(super) fn log_event(&mut self, raw: &RawValue, index: u64) {
        let parsed: Result<Value, _> =
            serde_json::from_str(&crate::parse::json_text::replace_lone_surrogates(raw.get()));
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
}
