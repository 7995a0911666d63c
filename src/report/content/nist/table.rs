//! The NIST mapping as the report shows it: two tables (SP 800-53 controls, CSF 2.0 outcomes)
//! of the graded rows. Layout only: the grades come from [`super::rows`].

use super::{rows, NistRow, Support};
use crate::model::Timeline;
use crate::report::content::IntegrityStatement;
use crate::report::{Block, Cell, Column, Table};

/// The section's blocks.
pub fn section(t: &Timeline, integrity: &IntegrityStatement) -> Vec<Block> {
    let rows = rows(t, integrity);
    let table = |filter: &dyn Fn(&NistRow) -> bool| {
        Block::Table(Table {
            columns: vec![
                Column::new("Control", 0.9),
                Column::new("Title / SP 800-61r3", 2.4),
                Column::new("What the evidence shows", 3.6),
                Column::new("Evidence", 2.6),
                Column::new("Status", 1.1),
            ],
            rows: rows
                .iter()
                .filter(|r| filter(r))
                .map(|r| {
                    vec![
                        Cell::text(r.id),
                        // The function under the title: the statement keeps the width.
                        Cell::text(format!("{}\n{}", r.title, r.ir_function)),
                        Cell::text(&r.statement),
                        Cell::mono(if r.evidence.is_empty() {
                            "none".into()
                        } else {
                            r.evidence.join("\n")
                        }),
                        if r.support == Support::Supported {
                            Cell::text(r.support.text())
                        } else {
                            Cell::alert(r.support.text())
                        },
                    ]
                })
                .collect(),
            caption: None,
        })
    };
    vec![
        Block::heading(1, "NIST mapping"),
        Block::para("Each row names a NIST SP 800-53 Rev. 5 control or a CSF 2.0 outcome, the SP 800-61 Rev. 3 function (incident response organised by CSF 2.0 Function) it serves, what the evidence in this case shows, and the evidence itself: CloudTrail eventIDs, alarm history items (alarm:<name>:<item>:<time>), rule metric datapoints (metric:<series>:<minute>; a ':' or '%' in a name or series is written %3A or %25, so each part ends at the next colon) or input files listed with their SHA-256 in the appendix. Where the evidence is missing, the row says so."),
        Block::heading(2, "SP 800-53 Rev. 5 controls"),
        table(&|r| !r.id.contains('.')),
        Block::heading(2, "CSF 2.0 outcomes"),
        table(&|r| r.id.contains('.')),
    ]
}
