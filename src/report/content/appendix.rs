//! Section 12: the appendix an auditor files: every input with its SHA-256 and chain of custody
//! (see [`inputs`]), records read and rejected, every evidence gap (see [`gaps`]), the integrity
//! verdict and its problems grouped (see [`integrity`]), each input's kind in words (see
//! [`kind_words`]), the tool version, the exact command
//! line and the configuration used (as the caller rendered it:
//! [`crate::model::ReportSettings`]).

use super::IntegrityStatement;
use crate::model::Timeline;
use crate::report::{Attachment, Block};

mod custody;
mod gaps;
pub mod inputs;
mod kind_words;

pub use gaps::GAP_ROWS;
mod integrity;

pub fn section(
    t: &Timeline,
    configuration: &str,
    command_line: &[String],
    integrity: &IntegrityStatement,
    attachments: &[Attachment],
    summed: &std::collections::HashSet<crate::model::Origin>,
) -> Vec<Block> {
    let mut out = vec![Block::heading(1, "Appendix: evidence")];
    out.push(Block::heading(2, "Inputs"));
    out.extend(inputs::blocks(t, integrity, attachments, summed));
    out.push(Block::heading(2, "Evidence gaps"));
    out.extend(gaps::blocks(t));
    out.push(Block::heading(2, "Integrity"));
    let names: Vec<String> = (0..integrity.reports.len()).map(report_name).collect();
    out.extend(integrity::blocks(t, integrity, &names));
    out.push(Block::heading(2, "How this report was made"));
    out.push(Block::KeyValue(vec![
        (
            "Tool".into(),
            format!("trailcase {}", env!("CARGO_PKG_VERSION")),
        ),
        ("Command line".into(), command_line.join(" ")),
    ]));
    out.push(Block::para(
        if t.honeytoken_source == crate::model::HoneytokenSource::Default {
            "Configuration used (trailcase.toml, with the flags applied; the [[honeytoken]] below is trailcase's built-in default, as none was configured):"
        } else {
            "Configuration used (trailcase.toml, with the flags applied):"
        },
    ));
    out.push(Block::Preformatted(configuration.to_string()));
    out
}

/// Every file the PDF carries: the inputs lists, every evidence gap when they are too many to
/// print, and each `trailcase verify` report in full.
pub fn attachments(t: &Timeline, integrity: &IntegrityStatement) -> Vec<Attachment> {
    let mut out = inputs::attachments(t, integrity);
    out.extend(gaps::attachment(t));
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
