//! Chart descriptions: data only, no plotters types, so report content can build and test them.

/// A chart to draw at the full text width.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartSpec {
    /// Events over time, one row per lane.
    Timeline(TimelineChart),
    /// Grouped bars, one group per category and one bar per series.
    Bars(BarChart),
}

/// An event timeline: time (UTC) on the x axis, one row per lane.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineChart {
    /// Title drawn above the chart.
    pub title: String,
    /// Row names, top to bottom (for example "actor", "honeytoken", "alarm", "kill-switch").
    pub lanes: Vec<String>,
    /// Events to plot.
    pub points: Vec<TimelinePoint>,
    /// Events known only to lie within an interval, drawn as a bar across it.
    pub spans: Vec<TimelineSpan>,
    /// Vertical milestone lines across all lanes.
    pub markers: Vec<TimeMarker>,
    /// What each symbol means, drawn under the time axis (empty: no legend).
    pub legend: Vec<LegendEntry>,
}

/// An event known only to lie somewhere in `from..=to` (a per-minute metric, narrowed by other
/// evidence): drawn as a bar in its marker's colour, never as a point.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineSpan {
    /// Index into `lanes`; an out-of-range index is an error.
    pub lane: usize,
    /// Unix seconds, UTC: the earliest time the event can have happened.
    pub from: i64,
    /// Unix seconds, UTC: the latest; equal to `from` draws a point.
    pub to: i64,
    /// Short label drawn beside the bar.
    pub label: Option<String>,
    /// Colour (and the shape of a zero-length span).
    pub marker: MarkerShape,
    /// As [`TimelinePoint::priority`].
    pub priority: u8,
}

/// One legend entry: a symbol and what it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub symbol: LegendSymbol,
    pub text: String,
}

/// The symbol a legend entry shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendSymbol {
    /// A point marker.
    Marker(MarkerShape),
    /// An interval bar in the marker's colour.
    Span(MarkerShape),
    /// A dashed vertical milestone line.
    DashedLine,
}

/// One event on a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePoint {
    /// Index into `lanes`; an out-of-range index is an error.
    pub lane: usize,
    /// Unix seconds, UTC.
    pub time: i64,
    /// Short label drawn beside the point; when it would collide with another it is left out
    /// and counted in a neighbour's "+N more".
    pub label: Option<String>,
    /// Marker shape (and colour).
    pub marker: MarkerShape,
    /// Labels of higher priority get their place first (a kill-switch result before its calls).
    pub priority: u8,
}

/// Marker shape of a timeline point; each shape has its own colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerShape {
    /// Blue dot: ordinary activity.
    Dot,
    /// Amber triangle: detection (alarm, rule, notification).
    Triangle,
    /// Red cross: failure or denial.
    Cross,
    /// Green diamond: containment.
    Diamond,
}

/// A vertical milestone line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMarker {
    /// Unix seconds, UTC.
    pub time: i64,
    /// Label drawn above the plot.
    pub label: String,
}

/// Grouped bars; `None` values are drawn hatched and labelled "unknown", never as zero.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Title drawn above the chart.
    pub title: String,
    /// Groups (for example the detection flows).
    pub categories: Vec<String>,
    /// Bars within each group (for example the stages), one value per category.
    pub series: Vec<BarSeries>,
    /// Unit appended to values and to the axis ("s").
    pub unit: String,
    /// Bars grow to the right (true) or upwards (false).
    pub horizontal: bool,
}

/// One series of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    /// Legend name.
    pub name: String,
    /// One value per category; `None` means unknown.
    pub values: Vec<Option<f64>>,
}
