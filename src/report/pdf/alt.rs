//! The alternative text of each chart and diagram (PDF/UA: a figure says in words what it
//! shows), built from the same specification the figure is drawn from, so it states no more
//! and no less than the picture.
//!
//! Pure functions of the chart and diagram data; no PDF types.

use crate::report::chart::{hms, BarChart, ChartSpec, MarkerShape, TimelineChart};
use crate::report::diagram::{DiagramSpec, NodeStatus};

/// At most this many timeline events are read out one by one; the rest are counted.
const MAX_EVENTS: usize = 40;

/// The longest alternative text kept, in characters: a PDF string holds at most 32,767 bytes
/// (PDF/A), and a figure's words beyond a few pages of text help no reader.
const MAX_ALT: usize = 8_000;

/// `alt` cut to `MAX_ALT` characters, saying how many it left out: the figure's own parts are
/// each bounded, this is the last guard against one more unbounded list.
pub(super) fn bounded(alt: String) -> String {
    let count = alt.chars().count();
    if count <= MAX_ALT {
        return alt;
    }
    let mut out: String = alt.chars().take(MAX_ALT).collect();
    out.push_str(&format!(
        " [{} more characters not read out]",
        count - MAX_ALT
    ));
    out
}

/// What a chart shows, in words.
pub(super) fn chart(spec: &ChartSpec) -> String {
    match spec {
        ChartSpec::Bars(b) => bars(b),
        ChartSpec::Timeline(t) => timeline(t),
    }
}

fn value(v: Option<f64>, unit: &str) -> String {
    let Some(v) = v else {
        return "unknown (no evidence)".into();
    };
    let num = if (v - v.round()).abs() < 0.05 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    if unit.is_empty() {
        num
    } else {
        format!("{num} {unit}")
    }
}

fn bars(b: &BarChart) -> String {
    let mut out = format!("Bar chart: {}.", b.title);
    for s in &b.series {
        let items: Vec<String> = b
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} {}", value(s.values.get(i).copied().flatten(), &b.unit)))
            .collect();
        out.push_str(&format!(" {}: {}.", s.name, items.join("; ")));
    }
    out
}

fn shape(m: MarkerShape) -> &'static str {
    match m {
        MarkerShape::Dot => "activity",
        MarkerShape::Triangle => "detection",
        MarkerShape::Cross => "failure or denial",
        MarkerShape::Diamond => "containment",
    }
}

fn timeline(t: &TimelineChart) -> String {
    let mut out = format!("Timeline chart: {}. Rows: {}.", t.title, t.lanes.join(", "));
    let mut points: Vec<_> = t.points.iter().collect();
    points.sort_by_key(|p| (p.time, p.lane));
    out.push_str(&format!(" {} events in time order:", points.len()));
    let told: Vec<String> = points
        .iter()
        .take(MAX_EVENTS)
        .map(|p| {
            let lane = t.lanes.get(p.lane).map_or("?", String::as_str);
            let kind = shape(p.marker);
            match (p.label.as_deref(), p.marker) {
                (None, _) => format!("{} {lane}: {kind}", hms(p.time)),
                (Some(label), MarkerShape::Dot) => format!("{} {lane}: {label}", hms(p.time)),
                (Some(label), _) => format!("{} {lane}: {label} ({kind})", hms(p.time)),
            }
        })
        .collect();
    out.push_str(&format!(" {}.", told.join("; ")));
    if points.len() > MAX_EVENTS {
        out.push_str(&format!(
            " {} more events are not read out here.",
            points.len() - MAX_EVENTS
        ));
    }
    if !t.spans.is_empty() {
        let spans: Vec<String> = t
            .spans
            .iter()
            .take(MAX_EVENTS)
            .map(|s| {
                let lane = t.lanes.get(s.lane).map_or("?", String::as_str);
                let label = s.label.as_deref().unwrap_or("interval");
                format!(
                    "{lane}: {label} sometime from {} to {}",
                    hms(s.from),
                    hms(s.to)
                )
            })
            .collect();
        out.push_str(&format!(" Intervals: {}.", spans.join("; ")));
        if t.spans.len() > MAX_EVENTS {
            out.push_str(&format!(
                " {} more intervals are not read out here.",
                t.spans.len() - MAX_EVENTS
            ));
        }
    }
    if !t.markers.is_empty() {
        let marks: Vec<String> = t
            .markers
            .iter()
            .take(MAX_EVENTS)
            .map(|m| format!("{} at {}", m.label, hms(m.time)))
            .collect();
        out.push_str(&format!(" Vertical lines: {}.", marks.join("; ")));
        if t.markers.len() > MAX_EVENTS {
            out.push_str(&format!(
                " {} more vertical lines are not read out here.",
                t.markers.len() - MAX_EVENTS
            ));
        }
    }
    out
}

/// What a box-and-arrow diagram shows, in words.
pub(super) fn diagram(d: &DiagramSpec) -> String {
    let mut out = format!("Diagram: {}.", d.title);
    let boxes: Vec<String> = d
        .nodes
        .iter()
        .map(|n| {
            let status = match n.status {
                NodeStatus::Present => String::new(),
                NodeStatus::Missing => " (missing from evidence)".into(),
                NodeStatus::Failing => " (a posture check of it failed)".into(),
            };
            match n.lines.is_empty() {
                true => format!("{}{status}", n.title),
                false => format!("{}{status}: {}", n.title, n.lines.join(", ")),
            }
        })
        .collect();
    out.push_str(&format!(" Components: {}.", boxes.join("; ")));
    let title = |id: &str| {
        d.nodes
            .iter()
            .find(|n| n.id == id)
            .map_or(id.to_string(), |n| n.title.clone())
    };
    let arrows: Vec<String> = d
        .edges
        .iter()
        .map(|e| match e.label.is_empty() {
            true => format!("{} to {}", title(&e.from), title(&e.to)),
            false => format!("{} to {} ({})", title(&e.from), title(&e.to), e.label),
        })
        .collect();
    if !arrows.is_empty() {
        out.push_str(&format!(" Arrows: {}.", arrows.join("; ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::chart::{BarSeries, TimeMarker, TimelinePoint, TimelineSpan};
    use crate::report::diagram::{DiagramEdge, DiagramNode};

    #[test]
    fn a_bar_chart_reads_out_every_value_and_says_unknown_for_a_missing_one() {
        let spec = ChartSpec::Bars(BarChart {
            title: "INC-1: each stage".into(),
            categories: vec!["Flow 2: rule triggered".into(), "Flow 1: alarm".into()],
            series: vec![BarSeries {
                name: "seconds after first read".into(),
                values: vec![Some(29.0), None],
            }],
            unit: "s".into(),
            horizontal: true,
        });
        assert_eq!(
            chart(&spec),
            "Bar chart: INC-1: each stage. seconds after first read: Flow 2: rule triggered \
             29 s; Flow 1: alarm unknown (no evidence)."
        );
    }

    /// Hundreds of rule metric intervals (a rule per region and account) made an alternative
    /// text past what a PDF string holds: the report failed to render.
    #[test]
    fn intervals_and_vertical_lines_are_read_out_up_to_a_bound() {
        let spans = (0..100)
            .map(|i| TimelineSpan {
                lane: 0,
                from: 60 * i,
                to: 60 * i + 30,
                label: Some(format!("rule-{i}")),
                marker: MarkerShape::Triangle,
                priority: 0,
            })
            .collect();
        let markers = (0..50)
            .map(|i| TimeMarker {
                time: i,
                label: format!("INC-{i} first read"),
            })
            .collect();
        let alt = chart(&ChartSpec::Timeline(TimelineChart {
            title: "Incident timeline".into(),
            lanes: vec!["rules".into()],
            points: Vec::new(),
            spans,
            markers,
            legend: Vec::new(),
        }));
        assert!(alt.contains("rules: rule-39 sometime") && !alt.contains("rule-40 "));
        assert!(
            alt.contains(" 60 more intervals are not read out here."),
            "{alt}"
        );
        assert!(alt.contains("INC-39 first read") && !alt.contains("INC-40 "));
        assert!(
            alt.contains(" 10 more vertical lines are not read out here."),
            "{alt}"
        );
        let long = bounded("é".repeat(MAX_ALT + 5));
        assert!(
            long.ends_with("é [5 more characters not read out]"),
            "{long}"
        );
        assert_eq!(bounded("short".into()), "short");
    }

    #[test]
    fn a_timeline_lists_events_in_time_order_and_counts_those_it_leaves_out() {
        let point = |time, label: &str| TimelinePoint {
            lane: 0,
            time,
            label: Some(label.into()),
            marker: MarkerShape::Dot,
            priority: 0,
        };
        let mut points: Vec<_> = (0..45).map(|i| point(100 + i, "GetObject")).collect();
        points.insert(0, point(50, "ListBuckets"));
        let spec = ChartSpec::Timeline(TimelineChart {
            title: "Incident timeline".into(),
            lanes: vec!["actor".into()],
            points,
            spans: vec![TimelineSpan {
                lane: 0,
                from: 120,
                to: 150,
                label: Some("TriggeredRules".into()),
                marker: MarkerShape::Triangle,
                priority: 0,
            }],
            markers: vec![TimeMarker {
                time: 100,
                label: "INC-1 first read".into(),
            }],
            legend: Vec::new(),
        });
        let alt = chart(&spec);
        assert!(alt.starts_with(
            "Timeline chart: Incident timeline. Rows: actor. 46 events in time order: \
             00:00:50 actor: ListBuckets; 00:01:40 actor: GetObject"
        ));
        assert!(
            alt.contains(" Intervals: actor: TriggeredRules sometime from 00:02:00 to 00:02:30."),
            "{alt}"
        );
        assert!(
            alt.contains(" 6 more events are not read out here."),
            "{alt}"
        );
        assert!(alt.ends_with(" Vertical lines: INC-1 first read at 00:01:40."));
    }

    #[test]
    fn a_diagram_names_its_boxes_their_status_and_its_arrows() {
        let node = |id: &str, title: &str, status| DiagramNode {
            id: id.into(),
            title: title.into(),
            lines: vec![format!("{id}-name")],
            status,
            row: 0,
            col: 0,
        };
        let d = DiagramSpec {
            title: "Pipeline".into(),
            nodes: vec![
                node("trail", "CloudTrail trail", NodeStatus::Present),
                node("rule", "EventBridge rule", NodeStatus::Missing),
            ],
            edges: vec![DiagramEdge {
                from: "trail".into(),
                to: "rule".into(),
                label: "event".into(),
            }],
        };
        assert_eq!(
            diagram(&d),
            "Diagram: Pipeline. Components: CloudTrail trail: trail-name; EventBridge rule \
             (missing from evidence): rule-name. Arrows: CloudTrail trail to EventBridge rule \
             (event)."
        );
    }
}
