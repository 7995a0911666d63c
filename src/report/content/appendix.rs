//! Section 12: the appendix an auditor files: every input with its SHA-256, records read and
//! rejected, every evidence gap, the integrity checks, the tool version, the exact command line
//! and the configuration used.

use super::IntegrityStatement;
use crate::config::Config;
use crate::model::Timeline;
use crate::report::{Align, Block, Cell, Column, Table};

pub fn section(
    t: &Timeline,
    config: &Config,
    command_line: &[String],
    integrity: &IntegrityStatement,
) -> Vec<Block> {
    let mut out = vec![Block::heading(1, "Appendix: evidence")];
    out.push(Block::heading(2, "Inputs"));
    out.push(Block::para(format!(
        "{} inputs; {} records read, {} rejected, {} duplicate copies of kept events dropped. SHA-256 of the bytes as stored (compressed files hashed compressed).",
        t.inputs.len(),
        t.records_read,
        t.records_rejected,
        t.duplicates_dropped
    )));
    out.push(Block::Table(Table {
        columns: vec![
            Column::new("Input", 4.2),
            Column::new("Kind", 1.6),
            num("Read", 0.8),
            num("Rejected", 0.9),
            Column::new("SHA-256", 3.2),
        ],
        rows: t
            .inputs
            .iter()
            .map(|i| {
                vec![
                    Cell::text(&i.path),
                    Cell::text(&i.kind),
                    Cell::text(i.records_read.to_string()),
                    if i.records_rejected > 0 {
                        Cell::alert(i.records_rejected.to_string())
                    } else {
                        Cell::text("0")
                    },
                    Cell::mono(&i.sha256),
                ]
            })
            .collect(),
        caption: None,
    }));
    out.push(Block::heading(2, "Evidence gaps"));
    if t.gaps.is_empty() {
        out.push(Block::para("None: every input was read in full."));
    } else {
        out.push(Block::Table(Table {
            columns: vec![
                Column::new("Input", 4.0),
                num("Record", 0.9),
                Column::new("Kind", 1.6),
                Column::new("Reason", 4.0),
            ],
            rows: t
                .gaps
                .iter()
                .map(|g| {
                    vec![
                        Cell::text(&g.path),
                        Cell::text(
                            g.index
                                .map(|i| i.to_string())
                                .unwrap_or_else(|| "file".into()),
                        ),
                        Cell::alert(
                            serde_json::to_value(g.kind)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_default(),
                        ),
                        Cell::text(&g.reason),
                    ]
                })
                .collect(),
            caption: None,
        }));
    }
    out.push(Block::heading(2, "Integrity"));
    out.push(Block::KeyValue(vec![(
        "Verdict".into(),
        integrity.verdict.clone(),
    )]));
    out.push(Block::KeyValue(integrity.details.clone()));
    out.push(Block::para(format!(
        "{} of {} inputs were verified by a CloudTrail digest; every other input rests on its SHA-256 above only.",
        t.inputs.iter().filter(|i| integrity.verified_inputs.contains(&i.path)).count(),
        t.inputs.len()
    )));
    for r in &integrity.reports {
        out.push(Block::Preformatted(r.clone()));
    }
    out.push(Block::heading(2, "How this report was made"));
    out.push(Block::KeyValue(vec![
        (
            "Tool".into(),
            format!("trailcase {}", env!("CARGO_PKG_VERSION")),
        ),
        ("Command line".into(), command_line.join(" ")),
    ]));
    out.push(Block::para(
        "Configuration used (trailcase.toml, with the flags applied):",
    ));
    out.push(Block::Preformatted(toml::to_string(config).unwrap_or_else(
        |e| format!("(cannot show the configuration: {e})"),
    )));
    out
}

fn num(title: &str, w: f32) -> Column {
    Column {
        align: Align::Right,
        ..Column::new(title, w)
    }
}
