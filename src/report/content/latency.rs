//! Section 5: detection latency, each stage of each flow in seconds after the first read, in the
//! order the stages happened (see [`in_time_order`]), as a bar chart and a table.

use super::facts::IncidentFacts;
use super::fmt;
use crate::model::{Timeline, Timestamp};
use crate::report::{BarChart, BarSeries, Block, Cell, ChartSpec, Column, Table};

/// The stages by seconds after the first read, earliest first; a tie keeps the stages' own
/// order (the pipeline's); an unknown stage goes last.
pub fn in_time_order<'a>(stages: &[(&'a str, Option<f64>)]) -> Vec<(&'a str, Option<f64>)> {
    let mut out = stages.to_vec();
    // Stable: equal keys keep their order.
    out.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    out
}

/// Seconds after the first read at which each stage of each flow happened.
pub fn section(t: &Timeline) -> Vec<Block> {
    let mut out = vec![Block::heading(1, "Detection latency")];
    if t.incidents.is_empty() {
        out.push(Block::para(format!(
            "No incident: no latency to measure.{}",
            super::reads_unseen::caveat(t)
        )));
        return out;
    }
    for i in &t.incidents {
        let f = IncidentFacts::new(t, i);
        let m = &i.milestones;
        // T may be a refused call: the labels say what it was.
        let first = super::milestones::first_access(t, i).short;
        let since = |x: Option<Timestamp>| Some(m.first_access?.seconds_until(x?));
        let stages = in_time_order(&[
            (
                "Trail delivered the log file (S3 key minute)",
                since(f.delivered),
            ),
            ("Flow 2: rule triggered", since(m.flow2_triggered)),
            (
                "Flow 2: kill-switch's containment calls complete",
                since(m.containment_complete),
            ),
            ("Flow 1: alarm in ALARM", since(m.flow1_alarm)),
            ("Flow 1: SNS notification", since(m.flow1_notification)),
        ]);
        out.push(Block::heading(
            2,
            format!("{}: seconds after the {first}", i.id),
        ));
        out.push(Block::Chart(ChartSpec::Bars(BarChart {
            title: format!(
                "{}: each stage after the {} at {}, earliest first",
                i.id,
                if first == "first read" { "read" } else { first },
                fmt::opt_time(m.first_access)
            ),
            categories: stages.iter().map(|s| s.0.to_string()).collect(),
            series: vec![BarSeries {
                name: format!("seconds after {first}"),
                values: stages.iter().map(|s| s.1).collect(),
            }],
            unit: "s".into(),
            horizontal: true,
        })));
        out.push(Block::Table(Table {
            columns: vec![Column::new("Stage", 4.0), Column::right("Seconds", 1.2), Column::new(format!("After {first} (T)"), 1.6)],
            rows: stages
                .iter()
                .map(|(name, v)| vec![Cell::text(*name), Cell::mono(v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "unknown".into())), Cell::text(v.map(fmt::offset).unwrap_or_else(|| "unknown".into()))])
                .collect(),
            caption: Some(format!("The stages in the order they happened, earliest first (a tie in the pipeline's order, an unknown stage last); T is the first honeytoken {}. The trail's delivery minute comes from the S3 key of the file that holds the read (minute resolution). The rule's time is an upper bound: AWS/Events metrics have one-minute resolution, so the kill-switch's first call bounds it more tightly.{}", first.strip_prefix("first ").unwrap_or(first), super::milestones::resolution_note(m.first_access, &[m.flow1_alarm, m.flow1_notification]).map(|n| format!(" {n}")).unwrap_or_default())),
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::in_time_order;

    #[test]
    fn stages_go_earliest_first_ties_in_stage_order_unknown_last() {
        let sorted = in_time_order(&[
            ("delivered", Some(283.0)),
            ("rule", Some(29.0)),
            ("unknown", None),
            ("contained", Some(31.0)),
            ("alarm", Some(184.5)),
            ("also 29", Some(29.0)),
        ]);
        let names: Vec<&str> = sorted.iter().map(|s| s.0).collect();
        assert_eq!(
            names,
            [
                "rule",
                "also 29",
                "contained",
                "alarm",
                "delivered",
                "unknown"
            ]
        );
    }
}
