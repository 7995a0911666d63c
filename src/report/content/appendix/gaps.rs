//! The appendix's evidence gaps at any number. Up to [`GAP_ROWS`] gaps the report prints every
//! one (input, record, kind, reason). Beyond, one row per input and kind (how many records, the
//! first of them, the first reason), at most [`GROUP_ROWS`] of those rows, and every gap in the
//! attached `evidence-gaps.csv`, whose SHA-256 the appendix prints: a crafted file of 200,000
//! records without a time made a 4,888-page report of one row each.

use super::kind_words::gap_words;
use crate::model::{wire_name, Gap, GapKind, Timeline};
use crate::report::content::cut;
use crate::report::{Attachment, Block, Cell, Column, Table};
use std::collections::BTreeMap;

/// Up to this many gaps, every one is printed.
pub const GAP_ROWS: usize = 200;
/// The most rows of gaps grouped by input and kind printed; the attachment has every gap.
pub const GROUP_ROWS: usize = 300;
/// Record indices named per group.
const FIRST_RECORDS: usize = 5;

/// The attachment's name.
pub const ATTACHMENT: &str = "evidence-gaps.csv";

/// The "Evidence gaps" part of the appendix.
pub fn blocks(t: &Timeline) -> Vec<Block> {
    if t.gaps.is_empty() {
        return vec![Block::para("None: every input was read in full.")];
    }
    if t.gaps.len() <= GAP_ROWS {
        return vec![Block::Table(every_gap(&t.gaps))];
    }
    let groups = grouped(&t.gaps);
    let shown = groups.len().min(GROUP_ROWS);
    let which = if shown < groups.len() {
        format!("the first {shown} of {} such groups", groups.len())
    } else {
        format!("{} groups", groups.len())
    };
    vec![
        Block::para(format!(
            "{} evidence gaps, too many to print one per row: below by input and kind ({which}), with how many records each holds, the first of them and the first reason. Every gap, with its input, record and reason, is in the attached {ATTACHMENT}.",
            t.gaps.len()
        )),
        Block::Table(Table {
            columns: vec![
                Column::new("Input", 3.2),
                Column::right("Gaps", 0.7),
                Column::new("Kind", 2.3),
                Column::new("First records and reason", 4.2),
            ],
            rows: groups
                .iter()
                .take(GROUP_ROWS)
                .map(|g| {
                    vec![
                        Cell::text(g.path),
                        Cell::text(g.count.to_string()),
                        Cell::alert(gap_words(g.kind)),
                        Cell::text(g.describe()),
                    ]
                })
                .collect(),
            caption: None,
        }),
    ]
}

/// Every gap in CSV when the report prints them grouped; nothing otherwise.
pub fn attachment(t: &Timeline) -> Option<Attachment> {
    if t.gaps.len() <= GAP_ROWS {
        return None;
    }
    let rows = t.gaps.iter().map(|g| {
        [
            g.path.clone(),
            g.index.map(|i| i.to_string()).unwrap_or_default(),
            wire_name(g.kind).to_string(),
            g.reason.clone(),
        ]
    });
    Some(cut::csv_attachment(
        ATTACHMENT,
        &["input", "record_index", "kind", "reason"],
        rows,
        format!(
            "Every evidence gap ({}): the input, the record index (empty for the whole file), the kind and the reason",
            t.gaps.len()
        ),
    ))
}

fn every_gap(gaps: &[Gap]) -> Table {
    Table {
        columns: vec![
            Column::new("Input", 3.6),
            Column::right("Record", 0.9),
            // Wide enough for the longest kind on one line (`decompressed_too_large`).
            Column::new("Kind", 2.3),
            Column::new("Reason", 3.7),
        ],
        rows: gaps
            .iter()
            .map(|g| {
                vec![
                    Cell::text(&g.path),
                    Cell::text(
                        g.index
                            .map(|i| i.to_string())
                            .unwrap_or_else(|| "file".into()),
                    ),
                    Cell::alert(gap_words(g.kind)),
                    Cell::text(&g.reason),
                ]
            })
            .collect(),
        caption: None,
    }
}

/// The gaps of one input and kind.
#[derive(Debug, PartialEq, Eq)]
struct Group<'a> {
    path: &'a str,
    kind: GapKind,
    count: usize,
    /// The first record indices, in the gaps' order (`None`: the whole file).
    first: Vec<Option<u64>>,
    reason: &'a str,
}

impl Group<'_> {
    fn describe(&self) -> String {
        let records: Vec<String> = self
            .first
            .iter()
            .map(|i| i.map_or_else(|| "file".to_string(), |i| i.to_string()))
            .collect();
        let more = if self.count > self.first.len() {
            format!(" and {} more", self.count - self.first.len())
        } else {
            String::new()
        };
        format!("{}{more}: {}", records.join(", "), self.reason)
    }
}

/// The gaps by input and kind, in the order of each group's first gap.
fn grouped(gaps: &[Gap]) -> Vec<Group<'_>> {
    let mut at: BTreeMap<(&str, GapKind), usize> = BTreeMap::new();
    let mut groups: Vec<Group<'_>> = Vec::new();
    for g in gaps {
        let n = *at.entry((&g.path, g.kind)).or_insert_with(|| {
            groups.push(Group {
                path: &g.path,
                kind: g.kind,
                count: 0,
                first: Vec::new(),
                reason: &g.reason,
            });
            groups.len() - 1
        });
        let group = &mut groups[n];
        group.count += 1;
        if group.first.len() < FIRST_RECORDS {
            group.first.push(g.index);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(path: &str, index: Option<u64>, kind: GapKind, reason: &str) -> Gap {
        Gap {
            path: path.into(),
            index,
            kind,
            reason: reason.into(),
        }
    }

    /// Gaps group by input and kind in the order first met; each group counts its gaps and
    /// names its first records and first reason.
    #[test]
    fn gaps_group_by_input_and_kind() {
        let mut gaps = vec![gap("a", None, GapKind::Unreadable, "denied")];
        for i in 0..8 {
            gaps.push(gap("b", Some(i), GapKind::InvalidEventTime, "eventTime x"));
        }
        gaps.push(gap("b", Some(9), GapKind::MalformedRecord, "not JSON"));
        let groups = grouped(&gaps);
        let summary: Vec<(&str, usize, String)> = groups
            .iter()
            .map(|g| (g.path, g.count, g.describe()))
            .collect();
        assert_eq!(
            summary,
            [
                ("a", 1, "file: denied".to_string()),
                ("b", 8, "0, 1, 2, 3, 4 and 3 more: eventTime x".to_string()),
                ("b", 1, "9: not JSON".to_string()),
            ]
        );
    }

    /// Past [`GAP_ROWS`] gaps, the report prints groups and attaches every gap, one CSV row
    /// each; up to it, every gap is a row and nothing is attached.
    #[test]
    fn many_gaps_are_grouped_and_attached_whole() {
        let mut t = Timeline {
            gaps: (0..GAP_ROWS as u64)
                .map(|i| gap("f.json", Some(i), GapKind::InvalidEventTime, "=cmd"))
                .collect(),
            ..Timeline::default()
        };
        assert!(attachment(&t).is_none());
        let Block::Table(table) = &blocks(&t)[0] else {
            panic!("a table of every gap");
        };
        assert_eq!(table.rows.len(), GAP_ROWS);

        t.gaps
            .push(gap("g.json", None, GapKind::Unreadable, "denied"));
        let out = blocks(&t);
        assert_eq!(out.len(), 2);
        let Block::Table(table) = &out[1] else {
            panic!("a table of groups");
        };
        assert_eq!(table.rows.len(), 2);
        let csv = String::from_utf8(attachment(&t).unwrap().data).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), GAP_ROWS + 2, "a header and a row per gap");
        assert_eq!(lines[0], r#""input","record_index","kind","reason""#);
        assert_eq!(lines[1], r#""f.json","0","invalid_event_time","'=cmd""#);
        assert_eq!(lines[GAP_ROWS + 1], r#""g.json","","unreadable","denied""#);
    }
}
