//! Row-oriented formats (JSON lines, CSV, Timesketch), written one row at a time so that
//! `--all` can stream every record without holding them.

use super::csv_cell;
use super::redact::redacted_text;
use super::wire::{Row, RowFields};
use super::Format;
use crate::model::Gap;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, Write};

pub type RowWriter<'w> = dyn Write + 'w;

/// The `kind` of the rows that carry evidence gaps in the row formats.
pub const GAP_ROW_KIND: &str = "evidence_gap";

const CSV_HEADER: &[&str] = &[
    "time",
    "event_id",
    "kind",
    "source",
    "actor",
    "actor_type",
    "action",
    "target",
    "outcome",
    "source_ip",
    "user_agent",
    "region",
    "incidents",
    "input",
    "record_index",
    "tie",
    "counted_as",
];

/// Write whatever precedes the rows (the CSV header, the opening of the JSON array).
pub fn write_rows_header(out: &mut RowWriter<'_>, format: Format) -> io::Result<()> {
    match format {
        Format::Csv => {
            let mut w = csv_cell::writer(&mut *out, true);
            w.write_record(CSV_HEADER)?;
            w.flush()?;
            Ok(())
        }
        Format::Json => out.write_all(b"{\"schema_version\":2,\"records\":[\n"),
        _ => Ok(()),
    }
}

/// Write what follows the rows (the JSON document's closing with its summary).
pub fn write_rows_footer(
    out: &mut RowWriter<'_>,
    format: Format,
    tail: &serde_json::Value,
) -> io::Result<()> {
    if format == Format::Json {
        out.write_all(b"],\n\"summary\":")?;
        serde_json::to_writer(&mut *out, tail)?;
        out.write_all(b"}\n")?;
    }
    Ok(())
}

/// [`write_row`] as a first row, appended to `out`: JSON and JSON lines rows written by hand
/// (`row_json`), the others as `write_row` writes them. A [`Row`]'s `target` and `user_agent`
/// are redacted already (`Row::from_entry`, `Row::from_owned_entry`): written as they are, as
/// `write_row` writes them, not redacted a second time.
pub fn push_row_bytes(out: &mut Vec<u8>, format: Format, row: &Row) -> io::Result<()> {
    match (format, row.fields()) {
        (Format::Json | Format::Jsonl, Some(fields)) => {
            push_redacted(out, format, &fields);
            Ok(())
        }
        _ => write_row(out, format, row, true),
    }
}

/// The JSON or JSON lines row of `fields`, as a first row, appended to `out` (`false` for
/// another format: nothing written).
/// Its `target` and `user_agent` are redacted as a row's always are.
pub fn push_fields(out: &mut Vec<u8>, format: Format, fields: &RowFields<'_>) -> bool {
    let (target, user_agent) = (
        redacted_memo(fields.target),
        redacted_memo(fields.user_agent),
    );
    let fields = &RowFields {
        target: &target,
        user_agent: &user_agent,
        ..*fields
    };
    push_redacted(out, format, fields)
}

/// [`push_fields`] of fields whose `target` and `user_agent` are redacted already.
fn push_redacted(out: &mut Vec<u8>, format: Format, fields: &RowFields<'_>) -> bool {
    match format {
        Format::Json => super::row_json::push_row(out, fields),
        Format::Jsonl => {
            super::row_json::push_row(out, fields);
            out.push(b'\n');
        }
        _ => return false,
    }
    true
}

/// Distinct texts [`redacted_memo`] remembers per thread before it starts again.
const MEMO: usize = 4096;

/// A thread's texts already redacted, each with its redacted form (`None`: nothing replaced).
type Memo = HashMap<Box<str>, Option<Box<str>>, foldhash::fast::FixedState>;

/// [`redacted_text`], remembered per thread for up to [`MEMO`] distinct texts: `--all` redacts
/// the `target` and `user_agent` of every row it writes, and a trail repeats both (a few user
/// agents, the same resources) over millions of records, where running every rule on each
/// again doubled the CPU time of rendering a row. The rules are a function of the text alone,
/// so a remembered answer is the answer.
fn redacted_memo(text: &str) -> Cow<'_, str> {
    thread_local! {
        static SEEN: RefCell<Memo> = RefCell::new(Memo::default());
    }
    if text.is_empty() {
        return Cow::Borrowed(text);
    }
    let known = SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if let Some(known) = seen.get(text) {
            return known.clone();
        }
        let found = match redacted_text(text) {
            Cow::Borrowed(_) => None,
            Cow::Owned(s) => Some(s.into_boxed_str()),
        };
        if seen.len() >= MEMO {
            seen.clear();
        }
        seen.insert(text.into(), found.clone());
        found
    });
    match known {
        None => Cow::Borrowed(text),
        Some(s) => Cow::Owned(s.into_string()),
    }
}

/// Write one row. `first` matters for the JSON array's commas.
pub fn write_row(
    out: &mut RowWriter<'_>,
    format: Format,
    row: &Row,
    first: bool,
) -> io::Result<()> {
    match format {
        Format::Json => {
            if !first {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut *out, row)?;
        }
        Format::Jsonl => {
            serde_json::to_writer(&mut *out, row)?;
            out.write_all(b"\n")?;
        }
        Format::Csv => {
            let mut w = csv_cell::writer(&mut *out, false);
            let time = row.time.to_rfc3339();
            let (incidents, index) = (row.incidents.join(" "), row.record_index.to_string());
            let cells: [&str; 17] = [
                &time,
                &row.event_id,
                row.kind,
                &row.source,
                &row.actor,
                &row.actor_type,
                &row.action,
                &row.target,
                &row.outcome,
                &row.source_ip,
                &row.user_agent,
                &row.region,
                &incidents,
                &row.input,
                &index,
                if row.tie { "true" } else { "false" },
                &row.counted_as,
            ];
            w.write_record(cells.map(csv_cell::neutralise).iter().map(|c| c.as_ref()))?;
            w.flush()?;
        }
        Format::Timesketch => {
            serde_json::to_writer(&mut *out, &timesketch(row))?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// The search for a row's `,"tie":false` from its end, built once: building it for each row
/// marked cost more than the search (a sixth of `--all`'s merge, which runs on one thread).
static TIE_FALSE: std::sync::LazyLock<memchr::memmem::FinderRev<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::FinderRev::new(b",\"tie\":false"));

/// Mark the row `row` (as [`write_row`] or [`push_row_bytes`] wrote it, as a first row, with no
/// `counted_as`) as another delivery of the call counted under `counted_as`: the bytes become
/// those of the same row with that `counted_as` (the tests compare them). `--all` learns which
/// rows are later deliveries only once every record is read, after their rows are rendered.
pub fn mark_counted(format: Format, row: &mut Vec<u8>, counted_as: &str) -> io::Result<()> {
    let bad = || io::Error::other("a row to mark is not one the row writers wrote");
    match format {
        // `counted_as` is the last key of a row (a Timesketch row's too; serde_json keeps
        // the order keys were inserted in).
        Format::Json | Format::Jsonl | Format::Timesketch => {
            let end = row.iter().rposition(|&b| b == b'}').ok_or_else(bad)?;
            let mut field = b",\"counted_as\":".to_vec();
            serde_json::to_writer(&mut field, counted_as)?;
            row.splice(end..end, field);
        }
        // The last cell, empty (`""`), is `counted_as`.
        Format::Csv => {
            let body = row.len() - row.iter().rev().take_while(|b| b"\r\n".contains(b)).count();
            if !row[..body].ends_with(b",\"\"") {
                return Err(bad());
            }
            row.truncate(body - 2);
            let mut w = csv_cell::writer(&mut *row, false);
            w.write_record([csv_cell::neutralise(counted_as).as_ref()])?;
            w.flush()?;
        }
    }
    Ok(())
}

/// Mark the row `row` (as [`write_row`] or [`push_row_bytes`] wrote it, as a first row, with or
/// without `counted_as`) as sharing its time with another row: its `tie` becomes `true`.
/// `--all` learns a row's neighbours only as it writes them, after the row is rendered; the
/// bytes become those [`write_row`] writes for the same row with `tie` set (the tests compare
/// them). A Timesketch row has no `tie`.
pub fn mark_tie(format: Format, row: &mut Vec<u8>) -> io::Result<()> {
    let bad = || io::Error::other("a row to mark is not one the row writers wrote");
    match format {
        // The row's own `"tie":false`: only `tie` is written as that key (a string's quotes
        // inside a value are escaped), and it comes after every value a record gives but
        // `counted_as`, which is an eventID (escaped the same way).
        Format::Json | Format::Jsonl => {
            let at = TIE_FALSE.rfind(&row[..]).ok_or_else(bad)?;
            row.splice(at + 7..at + 12, *b"true");
        }
        Format::Csv => {
            // The row read back as CSV, its `tie` cell (the 16th of 17) set, written again as
            // [`write_row`] writes every row: each cell quoted, neutralised once already.
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(row.as_slice());
            let mut cells = csv::StringRecord::new();
            if !reader.read_record(&mut cells)? || cells.len() != 17 || &cells[15] != "false" {
                return Err(bad());
            }
            let cells: Vec<&str> = cells
                .iter()
                .enumerate()
                .map(|(n, c)| if n == 15 { "true" } else { c })
                .collect();
            let mut out = Vec::with_capacity(row.len() + 1);
            let mut w = csv_cell::writer(&mut out, false);
            w.write_record(&cells)?;
            w.flush()?;
            drop(w);
            *row = out;
        }
        Format::Timesketch => {}
    }
    Ok(())
}

/// Write one row of kind `evidence_gap` per gap, after the records, so that the row formats
/// carry the gaps as the JSON document does (`gaps`): a reader of the CSV or the Timesketch
/// sketch sees what could not be read, not only what was. A gap has no time of its own: the
/// CSV's `time` is empty, the JSON lines' `time` is `null`, and Timesketch (which requires a
/// time) gets the epoch with `timestamp_desc` "Evidence Gap (undated)", as plaso marks entries
/// without a date. The JSON format already holds the gaps and gets no rows.
pub fn write_gap_rows(out: &mut RowWriter<'_>, format: Format, gaps: &[Gap]) -> io::Result<()> {
    for g in gaps {
        let kind = crate::model::wire_name(g.kind);
        let kind = kind.as_str();
        let index = g.index.map(|i| i.to_string()).unwrap_or_default();
        match format {
            Format::Json => return Ok(()),
            Format::Jsonl => {
                let mut row = gap_fields(g, kind);
                row.insert("time".into(), serde_json::Value::Null);
                serde_json::to_writer(&mut *out, &row)?;
                out.write_all(b"\n")?;
            }
            Format::Csv => {
                let mut w = csv_cell::writer(&mut *out, false);
                // The CSV header's columns: the gap's kind as the action, its reason as the outcome.
                let cells: [&str; 17] = [
                    "",
                    "",
                    GAP_ROW_KIND,
                    "trailcase",
                    "",
                    "",
                    kind,
                    "",
                    &g.reason,
                    "",
                    "",
                    "",
                    "",
                    &g.path,
                    &index,
                    "false",
                    "",
                ];
                w.write_record(cells.map(csv_cell::neutralise).iter().map(|c| c.as_bytes()))?;
                w.flush()?;
            }
            Format::Timesketch => {
                let at = if index.is_empty() {
                    String::new()
                } else {
                    format!(" record {index}")
                };
                let mut row = serde_json::Map::new();
                let message = format!("[{GAP_ROW_KIND}] {}{at}: {kind}: {}", g.path, g.reason);
                row.insert("message".into(), message.into());
                row.insert("datetime".into(), "1970-01-01T00:00:00+00:00".into());
                row.insert("timestamp".into(), 0.into());
                row.insert("timestamp_desc".into(), "Evidence Gap (undated)".into());
                let data_type = format!("aws:trailcase:{GAP_ROW_KIND}");
                row.insert("data_type".into(), data_type.into());
                row.extend(gap_fields(g, kind));
                serde_json::to_writer(&mut *out, &row)?;
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

/// What a gap row says in the JSON line formats, after their own leading fields.
fn gap_fields(g: &Gap, kind: &str) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("kind".into(), GAP_ROW_KIND.into());
    m.insert("gap_kind".into(), kind.into());
    m.insert("input".into(), g.path.clone().into());
    m.insert("record_index".into(), g.index.into());
    m.insert("reason".into(), g.reason.clone().into());
    m
}

/// Timesketch's JSONL import: `message`, `datetime`, `timestamp` (microseconds) and
/// `timestamp_desc` are required; everything else becomes a searchable attribute.
fn timesketch(row: &Row) -> serde_json::Value {
    let desc = match row.kind {
        "alarm" => "Alarm State Change",
        "rule_triggered" => "Rule Metric Datapoint",
        "rule_metric_unnamed" => "Rule Metric Datapoint (no flow-2 rule named)",
        "rule_invocation_failed" => "Rule Target Invocation Failed",
        "insight" => "CloudTrail Insight",
        _ => "Event Recorded",
    };
    let message = if row.kind == "insight" {
        insight_message(row)
    } else {
        format!(
            "[{}] {} {} {}{} -> {}",
            row.kind,
            row.actor,
            row.action,
            row.target,
            if row.source_ip.is_empty() {
                String::new()
            } else {
                format!(" from {}", row.source_ip)
            },
            row.outcome
        )
    };
    let mut event = serde_json::json!({
        "message": message,
        "datetime": row.time.to_rfc3339(),
        "timestamp": row.time.millis() * 1000,
        "timestamp_desc": desc,
        "data_type": format!("aws:trailcase:{}", row.kind),
        "event_id": row.event_id,
        "kind": row.kind,
        "source": row.source,
        "actor": row.actor,
        "actor_type": row.actor_type,
        "action": row.action,
        "target": row.target,
        "outcome": row.outcome,
        "source_ip": row.source_ip,
        "user_agent": row.user_agent,
        "region": row.region,
        "incidents": row.incidents.join(" "),
        "input": row.input,
        "record_index": row.record_index,
    });
    if !row.counted_as.is_empty() {
        event["counted_as"] = row.counted_as.clone().into();
    }
    event
}

/// An insight in words, e.g. `[insight] ApiCallRateInsight Start for
/// autoscaling:CompleteLifecycleAction: 0.6 calls/min against a baseline of 0.0000882145
/// (insight 5 min, baseline 11336 min)`: the row's target holds `measured: statistics`.
fn insight_message(row: &Row) -> String {
    let (measured, stats) = row
        .target
        .split_once(": ")
        .unwrap_or((row.target.as_str(), ""));
    let mut out = format!("[insight] {measured} {} for {}", row.outcome, row.action);
    if !stats.is_empty() {
        out.push_str(": ");
        out.push_str(stats);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntryKind, TimelineEntry, Timestamp};

    /// A row marked afterwards is the row written with its `counted_as`, in every format and
    /// whatever the text (quotes, a formula start, a control character), JSON as a first row
    /// or not.
    #[test]
    fn a_row_marked_afterwards_is_the_row_written_marked() {
        let entry = |counted_as: &str| TimelineEntry {
            time: Timestamp(1_700_000_000_123),
            event_id: "0EXAMPLE-2".into(),
            source: "cloudtrail".into(),
            actor: "arn:aws:iam::111122223333:user/\"Jo\"".into(),
            actor_type: "IAMUser".into(),
            action: "sts:AssumeRole".into(),
            target: "=HYPERLINK(x)".into(),
            outcome: "success".into(),
            source_ip: "198.51.100.7".into(),
            user_agent: "a\tb".into(),
            region: "us-east-1".into(),
            kind: EntryKind::Other,
            incidents: Vec::new(),
            input: 0,
            index: 3,
            tie: false,
            counted_as: counted_as.into(),
        };
        for counted in ["dEXAMPLE-1", "=1+\"2\"\u{7}"] {
            for format in [Format::Json, Format::Jsonl, Format::Csv, Format::Timesketch] {
                let row = |c: &str| Row::from_owned_entry(entry(c), "in/trail.json".into());
                let mut marked = Vec::new();
                push_row_bytes(&mut marked, format, &row("")).unwrap();
                mark_counted(format, &mut marked, counted).unwrap();
                let mut written = Vec::new();
                push_row_bytes(&mut written, format, &row(counted)).unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&marked),
                    String::from_utf8_lossy(&written),
                    "{format:?}"
                );
                let mut general = Vec::new();
                write_row(&mut general, format, &row(counted), true).unwrap();
                assert_eq!(marked, general, "{format:?}");
            }
        }
    }

    /// A row marked a tie afterwards is the row written with `tie` set, in every format,
    /// whatever the text (a value holding `"tie":false` itself, quotes, a formula start, a
    /// control character), with or without `counted_as`.
    #[test]
    fn a_row_marked_a_tie_afterwards_is_the_row_written_tied() {
        let entry = |tie: bool, counted_as: &str| TimelineEntry {
            time: Timestamp(1_700_000_000_123),
            event_id: "0EXAMPLE-2\",\"tie\":false".into(),
            source: "cloudtrail".into(),
            actor: "arn:aws:iam::111122223333:user/\"Jo\"".into(),
            actor_type: "IAMUser".into(),
            action: "sts:AssumeRole".into(),
            target: "=HYPERLINK(x)".into(),
            outcome: ",\"tie\":false\",\"false".into(),
            source_ip: "198.51.100.7".into(),
            user_agent: "a\tb".into(),
            region: "us-east-1".into(),
            kind: EntryKind::Other,
            incidents: vec!["INC-001".into()],
            input: 0,
            index: 3,
            tie,
            counted_as: counted_as.into(),
        };
        for counted in ["", "dEXAMPLE-1", "\",\"tie\":false"] {
            for format in [Format::Json, Format::Jsonl, Format::Csv, Format::Timesketch] {
                let row = |tie| Row::from_owned_entry(entry(tie, counted), "in/trail.json".into());
                let mut marked = Vec::new();
                push_row_bytes(&mut marked, format, &row(false)).unwrap();
                mark_tie(format, &mut marked).unwrap();
                let mut written = Vec::new();
                write_row(&mut written, format, &row(true), true).unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&marked),
                    String::from_utf8_lossy(&written),
                    "{format:?}"
                );
            }
        }
    }

    /// Remembered texts are redacted as the rules redact them, however often a text comes back
    /// and however many other texts came between (past [`MEMO`] the memory starts again).
    #[test]
    fn a_remembered_text_is_redacted_as_the_rules_redact_it() {
        let secret = "aws-cli/2 aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let plain = "aws-cli/2.15.0 Python/3.11.6 Linux/6.1";
        for round in 0..3 {
            for text in [secret, plain] {
                assert_eq!(redacted_memo(text), redacted_text(text), "round {round}");
            }
            for n in 0..MEMO + 1 {
                let other = format!("{plain} md/{n}");
                assert_eq!(redacted_memo(&other), redacted_text(&other));
            }
        }
        assert!(!redacted_memo(secret).contains("wJalrXUtnFEMI"));
        assert_eq!(redacted_memo(plain), plain);
    }
}
