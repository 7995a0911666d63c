//! A syntax error inside one item of an AWS CLI output (`AlarmHistoryItems`, `MetricDataResults`,
//! `MetricAlarms`, `Rules`, `Targets`, CloudTrail Lake's `QueryResultRows`, ...): it cost the
//! whole document, every alarm transition and data point in it. Now it costs that item: the
//! document is read from a copy with the item replaced by `null` (what the lifts skip), and the
//! item is a `malformed_record` gap at its index in its array, saying what is wrong and where.
//! Only the item arrays named below: a bad value anywhere else (inside a record, an EventBridge
//! event, a kill-switch result) still costs the document, told as before. Runs only after an
//! error.

use super::lenient_scan::{string_end, value_end};
use super::text::skip_ws;
use super::Ctx;
use crate::model::GapKind;
use crate::parse::record::json_error;
use serde::de::IgnoredAny;

/// The top-level arrays whose items are each evidence of their own.
const ITEM_ARRAYS: [&str; 11] = [
    "AlarmHistoryItems",
    "MetricAlarms",
    "CompositeAlarms",
    "MetricDataResults",
    "metricFilters",
    "Rules",
    "Targets",
    "trailList",
    "EventBuses",
    "AccessPointList",
    "QueryResultRows",
];

/// An item that is not JSON: its array's key, its position there, and why.
struct BadItem {
    key: String,
    position: u64,
    start: usize,
    end: usize,
    why: String,
}

impl Ctx<'_> {
    /// `body` (an object, the rest of the file from it) did not read as JSON. When every error
    /// in it is inside items of [`ITEM_ARRAYS`], the document is read without them, each named:
    /// where the document ends. `None`: nothing was read (the caller tells the error).
    pub(super) fn without_bad_items(&mut self, body: &[u8]) -> Option<usize> {
        let (end, bad) = bad_items(body)?;
        let mut copy = Vec::with_capacity(end);
        let mut at = 0;
        for item in &bad {
            copy.extend_from_slice(&body[at..item.start]);
            copy.extend_from_slice(b"null");
            at = item.end;
        }
        copy.extend_from_slice(&body[at..end]);
        let text = std::str::from_utf8(&copy).ok()?;
        serde_json::from_str::<IgnoredAny>(text).ok()?;
        let offset = (body.as_ptr() as usize).wrapping_sub(self.document_at);
        let reasons = bad.iter().map(|item| {
            (
                item.key.clone(),
                item.position,
                format!(
                    "{}[{}] is not JSON: {} of the item (bytes {} to {} of the document); it is not read, the document's other items are",
                    item.key,
                    item.position,
                    item.why,
                    offset + item.start,
                    offset + item.end
                ),
            )
        });
        self.bad_items = reasons.collect();
        let index = self.take_index();
        if let Err(e) = self.single(text, index, true) {
            // Not expected (the copy is JSON): told rather than lost.
            self.scan.gaps.push((
                None,
                GapKind::InvalidJson,
                format!("invalid JSON: {}", json_error(&e)),
            ));
        }
        // The items no lift named (a CloudTrail Lake row is named as a record, at its index).
        for (_, position, reason) in std::mem::take(&mut self.bad_items) {
            self.reject(position, GapKind::MalformedRecord, reason);
        }
        Some(end)
    }

    /// The reason of the bad item at `position` of `key`'s array, taken, if it is one.
    pub(super) fn take_bad_item(&mut self, key: &str, position: u64) -> Option<String> {
        let n = (self.bad_items.iter()).position(|(k, p, _)| k == key && *p == position)?;
        Some(self.bad_items.remove(n).2)
    }
}

/// Where the object at the start of `body` ends, and its items that are not JSON (at least one);
/// `None` when anything else in it is not JSON or its extent cannot be found.
fn bad_items(body: &[u8]) -> Option<(usize, Vec<BadItem>)> {
    let mut bad = Vec::new();
    let mut pos = 1;
    loop {
        pos = skip_ws(body, pos);
        match body.get(pos)? {
            b'}' => break,
            b'"' => {}
            _ => return None,
        }
        let key_end = string_end(body, pos).ok()?;
        let key = serde_json::from_slice::<String>(&body[pos..key_end]).ok()?;
        pos = skip_ws(body, key_end);
        (body.get(pos) == Some(&b':')).then_some(())?;
        pos = skip_ws(body, pos + 1);
        let end = value_end(body, pos).ok()?;
        let value = body[pos..end].trim_ascii_end();
        if serde_json::from_slice::<IgnoredAny>(value).is_err() {
            // Only an item array may hold the error, and only inside its items.
            (ITEM_ARRAYS.contains(&key.as_str()) && value.first() == Some(&b'[')).then_some(())?;
            items(body, pos + 1, &key, &mut bad)?;
        }
        pos = skip_ws(body, end);
        match body.get(pos)? {
            b',' => pos += 1,
            b'}' => break,
            _ => return None,
        }
    }
    (!bad.is_empty()).then_some((pos + 1, bad))
}

/// The items of the array whose `[` is just before `pos` that are not JSON, into `bad`; `None`
/// when the array itself is not well formed around them.
fn items(body: &[u8], mut pos: usize, key: &str, bad: &mut Vec<BadItem>) -> Option<()> {
    let mut position = 0;
    loop {
        pos = skip_ws(body, pos);
        if body.get(pos)? == &b']' && position == 0 {
            return Some(());
        }
        let end = value_end(body, pos).ok()?;
        let text = body[pos..end].trim_ascii_end();
        if text.is_empty() {
            return None;
        }
        if let Err(e) = serde_json::from_slice::<IgnoredAny>(text) {
            bad.push(BadItem {
                key: key.to_string(),
                position,
                start: pos,
                end: pos + text.len(),
                why: json_error(&e),
            });
        }
        position += 1;
        pos = skip_ws(body, end);
        match body.get(pos)? {
            b',' => pos += 1,
            b']' => return Some(()),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan_document_with;
    use super::super::trail_file::tests::{Seen, A};
    use crate::model::GapKind;

    fn history_item(n: u32) -> String {
        format!(
            r#"{{"AlarmName":"HoneytokenAlarm","AlarmType":"MetricAlarm","Timestamp":"2026-11-20T14:0{n}:00.000+00:00","HistoryItemType":"StateUpdate","HistorySummary":"Alarm updated from OK to ALARM","HistoryData":"{{\"version\":\"1.0\",\"oldState\":{{\"stateValue\":\"OK\"}},\"newState\":{{\"stateValue\":\"ALARM\"}}}}"}}"#
        )
    }

    #[test]
    fn one_bad_alarm_history_item_costs_that_item_only() {
        let bad = history_item(2).replace(r#""AlarmType":"MetricAlarm""#, r#""AlarmType":NaN"#);
        let text = format!(
            "{{\"AlarmHistoryItems\": [\n{},\n{bad},\n{}\n]}}",
            history_item(1),
            history_item(3)
        );
        let mut seen = Seen::default();
        let scan = scan_document_with(text.as_bytes(), 0, "h.json", &mut seen, true);
        let times: Vec<String> = (scan.config.alarm_history.iter())
            .map(|h| format!("{} {}", h.origin.index, h.time))
            .collect();
        assert_eq!(
            times,
            ["0 2026-11-20T14:01:00Z", "2 2026-11-20T14:03:00Z"],
            "{:?}",
            scan.gaps
        );
        let start = text.find(&bad).unwrap();
        let nan = text.find("NaN").unwrap();
        assert_eq!(
            scan.gaps,
            [(
                Some(1),
                GapKind::MalformedRecord,
                format!("AlarmHistoryItems[1] is not JSON: expected value at line 1 column {} of the item (bytes {start} to {} of the document); it is not read, the document's other items are", nan - start + 1, start + bad.len())
            )]
        );
    }

    /// A CloudTrail Lake row is a record: named at its index as a record, the others read.
    #[test]
    fn one_bad_lake_row_costs_that_row_only() {
        let row = |r: &str| format!(r#"[{{"eventJson":{}}}]"#, serde_json::to_string(r).unwrap());
        let text = format!(
            r#"{{"QueryStatus":"FINISHED","QueryResultRows":[{},[{{"eventJson":NaN}}],{}]}}"#,
            row(A),
            row(A)
        );
        let mut seen = Seen::default();
        let scan = scan_document_with(text.as_bytes(), 0, "lake.json", &mut seen, true);
        let read: Vec<u64> = seen.0.iter().map(|r| r.0).collect();
        assert_eq!(read, [0, 2]);
        assert_eq!(scan.gaps.len(), 1, "{:?}", scan.gaps);
        assert_eq!(
            (scan.gaps[0].0, scan.gaps[0].1),
            (Some(1), GapKind::MalformedRecord)
        );
        assert!(scan.gaps[0]
            .2
            .starts_with("QueryResultRows[1] is not JSON: expected value"));
    }

    /// A bad value outside an item array (inside one record, or a key of the document) costs
    /// the document, as before: nothing is read from a copy that would differ from the input.
    #[test]
    fn an_error_outside_the_item_arrays_is_told_as_before() {
        for text in [
            format!(
                r#"{{"AlarmHistoryItems":[{}],"NextToken":NaN}}"#,
                history_item(1)
            ),
            format!(
                r#"{{"AlarmHistoryItems":[{}],"Other":[NaN]}}"#,
                history_item(1)
            ),
            A.replace(r#""eventID":"a""#, r#""eventID":"a","resources":[NaN]"#),
        ] {
            let mut seen = Seen::default();
            let scan = scan_document_with(text.as_bytes(), 0, "x.json", &mut seen, true);
            assert!(
                seen.0.is_empty() && scan.config.alarm_history.is_empty(),
                "{text}"
            );
            assert_eq!(scan.gaps.len(), 1, "{text}: {:?}", scan.gaps);
            assert_eq!(
                (scan.gaps[0].0, scan.gaps[0].1),
                (None, GapKind::InvalidJson)
            );
        }
    }
}
