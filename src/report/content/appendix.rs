//! Section 12: the appendix an auditor files: every input with its SHA-256 (see [`inputs`]), records read and
//! rejected, every evidence gap, the integrity checks, the tool version, the exact command line
//! and the configuration used.

use super::IntegrityStatement;
use crate::config::Config;
use crate::model::Timeline;
use crate::report::{Attachment, Block, Cell, Column, Table};

pub mod inputs;

pub fn section(
    t: &Timeline,
    config: &Config,
    command_line: &[String],
    integrity: &IntegrityStatement,
    attachments: &[Attachment],
) -> Vec<Block> {
    let mut out = vec![Block::heading(1, "Appendix: evidence")];
    out.push(Block::heading(2, "Inputs"));
    out.extend(inputs::blocks(t, attachments));
    out.push(Block::heading(2, "Evidence gaps"));
    if t.gaps.is_empty() {
        out.push(Block::para("None: every input was read in full."));
    } else {
        out.push(Block::Table(Table {
            columns: vec![
                Column::new("Input", 4.0),
                Column::right("Record", 0.9),
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
        t.inputs.iter().filter(|i| integrity.verified_inputs.contains(&*i.path)).count(),
        t.inputs.len()
    )));
    for (n, r) in integrity.reports.iter().enumerate() {
        out.push(Block::Preformatted(shortened_report(r, &report_name(n))));
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

/// Up to this many lines of a `trailcase verify` report are printed; the whole is attached.
const REPORT_LINES_MAX: usize = 120;

/// Every file the PDF carries: the inputs lists and each `trailcase verify` report in full.
pub fn attachments(t: &Timeline, integrity: &IntegrityStatement) -> Vec<Attachment> {
    let mut out = inputs::attachments(t);
    out.extend(
        integrity
            .reports
            .iter()
            .enumerate()
            .map(|(n, r)| Attachment {
                name: report_name(n),
                mime: "text/plain".into(),
                description: "The whole trailcase verify report".into(),
                data: r.clone().into_bytes(),
            }),
    );
    out
}

fn report_name(n: usize) -> String {
    match n {
        0 => "verify.txt".into(),
        n => format!("verify-{}.txt", n + 1),
    }
}

/// A verify report as printed: whole when short, else its first lines and where the rest is.
fn shortened_report(report: &str, attachment: &str) -> String {
    let total = report.lines().count();
    if total <= REPORT_LINES_MAX {
        return report.to_string();
    }
    let mut out: String = report
        .lines()
        .take(REPORT_LINES_MAX)
        .flat_map(|l| [l, "\n"])
        .collect();
    out.push_str(&format!(
        "... {} more lines: the whole report is attached as {attachment}\n",
        total - REPORT_LINES_MAX
    ));
    out
}
