//! Sections 4 and 5: the incident timeline chart with its milestone table (`milestones`), and the detection
//! latency chart comparing the flows stage by stage.

use super::facts::{incident_window, IncidentFacts};
use super::fmt;
use crate::model::{EntryKind, Timeline, Timestamp};
use crate::report::{
    BarChart, BarSeries, Block, Cell, ChartSpec, Column, MarkerShape, Table, TimeMarker,
    TimelineChart, TimelinePoint,
};

const LANES: [&str; 6] = [
    "Actor activity",
    "Honeytoken reads",
    "Flow 1: alarm",
    "Flow 2: rule",
    "Kill-switch",
    "Denied attempts",
];

pub fn timeline_chart(t: &Timeline) -> Option<ChartSpec> {
    let (lo, hi) = incident_window(t)?;
    let mut points = Vec::new();
    for e in t.entries.iter().filter(|e| e.time >= lo && e.time <= hi) {
        let (lane, marker, label) = match e.kind {
            EntryKind::HoneytokenAccess if e.outcome == "success" => {
                (1, MarkerShape::Dot, Some(short_action(&e.action)))
            }
            EntryKind::HoneytokenAccess => (
                1,
                MarkerShape::Cross,
                Some(format!("{} denied", short_action(&e.action))),
            ),
            EntryKind::Alarm if e.outcome.ends_with("ALARM") => {
                (2, MarkerShape::Triangle, Some("ALARM".into()))
            }
            EntryKind::Alarm => (2, MarkerShape::Triangle, None),
            EntryKind::RuleTriggered => (3, MarkerShape::Triangle, Some("TriggeredRules".into())),
            EntryKind::Containment => (4, MarkerShape::Diamond, Some(short_action(&e.action))),
            EntryKind::ActorDenied => (5, MarkerShape::Cross, Some(short_action(&e.action))),
            EntryKind::KillswitchResult => (
                4,
                MarkerShape::Diamond,
                Some(format!("result: {}", e.outcome)),
            ),
            _ if e.incidents.is_empty() => continue,
            _ if e.outcome != "success" => (5, MarkerShape::Cross, Some(short_action(&e.action))),
            _ => (0, MarkerShape::Dot, Some(short_action(&e.action))),
        };
        points.push(TimelinePoint {
            lane,
            time: e.time.secs(),
            label,
            marker,
        });
    }
    let mut markers = Vec::new();
    for i in &t.incidents {
        let m = &i.milestones;
        if let Some(a) = m.first_access {
            markers.push(TimeMarker {
                time: a.secs(),
                label: format!("{} first read", i.id),
            });
        }
        if let Some(c) = m.containment_complete {
            markers.push(TimeMarker {
                time: c.secs(),
                label: "contained".into(),
            });
        }
    }
    Some(ChartSpec::Timeline(TimelineChart {
        title: format!(
            "Incident timeline, {} to {} (UTC)",
            fmt::clock(lo),
            fmt::clock(hi)
        ),
        lanes: LANES.iter().map(|s| s.to_string()).collect(),
        points,
        markers,
    }))
}

fn short_action(action: &str) -> String {
    action
        .split_once(':')
        .map_or(action, |(_, n)| n)
        .to_string()
}

pub fn timeline_section(t: &Timeline) -> Vec<Block> {
    let mut out = vec![Block::heading(1, "Incident timeline")];
    match timeline_chart(t) {
        Some(chart) => {
            out.push(Block::para("Every row of the incident timeline on one time axis: the actor's calls, the honeytoken reads, each detection flow, the kill-switch's calls and the attempts that were denied. Vertical lines mark the first read and the end of containment."));
            out.push(Block::Chart(chart));
        }
        None => out.push(Block::para(
            "No incident: there is no incident timeline to draw.",
        )),
    }
    for i in &t.incidents {
        out.push(Block::heading(2, format!("{}: milestones", i.id)));
        out.push(super::milestones::table(t, i));
        if !i.unknowns.is_empty() {
            out.push(Block::Bullets(
                i.unknowns.iter().map(|u| format!("Unknown: {u}")).collect(),
            ));
        }
    }
    out
}

/// Seconds after the first read at which each stage of each flow happened.
pub fn latency_section(t: &Timeline) -> Vec<Block> {
    let mut out = vec![Block::heading(1, "Detection latency")];
    if t.incidents.is_empty() {
        out.push(Block::para("No incident: no latency to measure."));
        return out;
    }
    for i in &t.incidents {
        let f = IncidentFacts::new(t, i);
        let m = &i.milestones;
        let since = |x: Option<Timestamp>| Some(m.first_access?.seconds_until(x?));
        let stages: Vec<(&str, Option<f64>)> = vec![
            (
                "Trail delivered the log file (S3 key minute)",
                since(f.delivered),
            ),
            ("Flow 2: rule triggered", since(m.flow2_triggered)),
            (
                "Flow 2: kill-switch contained the actor",
                since(m.containment_complete),
            ),
            ("Flow 1: alarm in ALARM", since(m.flow1_alarm)),
            ("Flow 1: SNS notification", since(m.flow1_notification)),
        ];
        out.push(Block::heading(
            2,
            format!("{}: seconds after the first read", i.id),
        ));
        out.push(Block::Chart(ChartSpec::Bars(BarChart {
            title: format!(
                "{}: each stage, seconds after the honeytoken read at {}",
                i.id,
                fmt::opt_time(m.first_access)
            ),
            categories: stages.iter().map(|s| s.0.to_string()).collect(),
            series: vec![BarSeries {
                name: "seconds after first read".into(),
                values: stages.iter().map(|s| s.1).collect(),
            }],
            unit: "s".into(),
            horizontal: true,
        })));
        out.push(Block::Table(Table {
            columns: vec![Column::new("Stage", 4.0), Column::right("Seconds", 1.2), Column::new("Reads as", 1.6)],
            rows: stages
                .iter()
                .map(|(name, v)| vec![Cell::text(*name), Cell::mono(v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "unknown".into())), Cell::text(fmt::opt_duration(*v))])
                .collect(),
            caption: Some("The trail's delivery minute comes from the S3 key of the file that holds the read (minute resolution). The rule's time is an upper bound: AWS/Events metrics have one-minute resolution, so the kill-switch's first call bounds it more tightly.".into()),
        }));
    }
    out
}
