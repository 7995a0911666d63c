//! Row-oriented formats (JSON lines, CSV, Timesketch), written one row at a time so that
//! `--all` can stream every record without holding them.

use super::wire::Row;
use super::Format;
use std::io::{self, Write};

pub type RowWriter<'w> = dyn Write + 'w;

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
];

/// Write whatever precedes the rows (the CSV header, the opening of the JSON array).
pub fn write_rows_header(out: &mut RowWriter<'_>, format: Format) -> io::Result<()> {
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(CSV_HEADER)?;
            w.flush()?;
            Ok(())
        }
        Format::Json => out.write_all(b"{\"schema_version\":1,\"records\":[\n"),
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
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(&mut *out);
            w.write_record([
                row.time.to_rfc3339(),
                row.event_id.clone(),
                row.kind.to_string(),
                row.source.clone(),
                row.actor.clone(),
                row.actor_type.clone(),
                row.action.clone(),
                row.target.clone(),
                row.outcome.clone(),
                row.source_ip.clone(),
                row.user_agent.clone(),
                row.region.clone(),
                row.incidents.join(" "),
                row.input.clone(),
                row.record_index.to_string(),
                row.tie.to_string(),
            ])?;
            w.flush()?;
        }
        Format::Timesketch => {
            serde_json::to_writer(&mut *out, &timesketch(row))?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// Timesketch's JSONL import: `message`, `datetime`, `timestamp` (microseconds) and
/// `timestamp_desc` are required; everything else becomes a searchable attribute.
fn timesketch(row: &Row) -> serde_json::Value {
    let desc = match row.kind {
        "alarm" => "Alarm State Change",
        "rule_triggered" => "Rule Metric Datapoint",
        _ => "Event Recorded",
    };
    let message = format!(
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
    );
    serde_json::json!({
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
    })
}
