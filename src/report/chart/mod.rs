//! Charts drawn with plotters into recorded vector operations.
//!
//! plotters draws axes, grid lines and series through a recording backend; the
//! annotations plotters cannot place well (point labels, milestone lines, "unknown" hatching)
//! are added as operations in the same coordinate system. No bitmap backend, no system fonts.

mod axis;
mod backend;
mod bars;
mod labels;
mod legend;
pub mod spec;
mod timeline;

use std::cell::RefCell;
use std::rc::Rc;

use plotters::style::{IntoFont, RGBColor, TextStyle};

use crate::report::canvas::{DrawOp, Rgb};
use crate::report::fonts::FontKind;

pub use spec::{
    BarChart, BarSeries, ChartSpec, LegendEntry, LegendSymbol, MarkerShape, TimeMarker,
    TimelineChart, TimelinePoint, TimelineSpan,
};

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// A timeline point or span names a lane that does not exist (`index` counts the points,
    /// then the spans).
    #[error("timeline mark {index} refers to lane {lane}, but the chart has {lanes} lanes")]
    LaneOutOfRange {
        index: usize,
        lane: usize,
        lanes: usize,
    },
    /// A bar series has a different number of values than there are categories.
    #[error("bar series {series:?} has {values} values for {categories} categories")]
    SeriesLength {
        series: String,
        values: usize,
        categories: usize,
    },
    /// plotters reported an error (for example a degenerate range).
    #[error("chart drawing failed: {0}")]
    Plot(String),
}

/// A drawn chart: its height at the requested width and its operations (origin top left).
#[derive(Debug, Clone)]
pub(crate) struct DrawnChart {
    pub height: f32,
    pub ops: Vec<DrawOp>,
}

/// Draws `spec` at `width` points wide.
pub(crate) fn draw_chart(spec: &ChartSpec, width: f32) -> Result<DrawnChart, ChartError> {
    match spec {
        ChartSpec::Timeline(t) => timeline::draw(t, width),
        ChartSpec::Bars(b) => bars::draw(b, width),
    }
}

/// Shared operation list handed to the recording backend.
pub(crate) type OpList = Rc<RefCell<Vec<DrawOp>>>;

/// Takes the recorded operations out of the shared list.
fn take_ops(ops: &OpList) -> Vec<DrawOp> {
    std::mem::take(&mut *ops.borrow_mut())
}

/// A plotters text style of `size` points in the sans face.
fn text_style(size: f32, color: Rgb) -> TextStyle<'static> {
    ("sans-serif", f64::from(size * backend::SCALE))
        .into_font()
        .color(&plotters_rgb(color))
}

fn plotters_rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Converts a plotters error into a chart error.
fn plot_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Plot(e.to_string())
}

/// A backend coordinate in points.
fn to_pt(c: (i32, i32)) -> (f32, f32) {
    (c.0 as f32 / backend::SCALE, c.1 as f32 / backend::SCALE)
}

/// Title text at the top left of a chart.
fn title_op(title: &str) -> DrawOp {
    DrawOp::text(
        0.0,
        10.0,
        title,
        FontKind::Bold,
        9.0,
        crate::report::canvas::palette::NAVY,
    )
}

/// Formats Unix seconds as `HH:MM:SS` UTC.
pub(crate) fn hms(t: i64) -> String {
    let s = t.rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

/// Formats a value with up to one decimal.
fn fmt_value(v: f64, unit: &str) -> String {
    let num = if (v - v.round()).abs() < 0.05 {
        format!("{:.0}", v)
    } else {
        format!("{:.1}", v)
    };
    if unit.is_empty() {
        num
    } else {
        format!("{num} {unit}")
    }
}

/// Tick positions: a "nice" step giving at most `max_ticks` ticks over `lo..=hi`.
fn nice_ticks(lo: f64, hi: f64, max_ticks: usize, steps: &[f64]) -> Vec<f64> {
    let span = (hi - lo).max(f64::EPSILON);
    let max_ticks = max_ticks.max(2) as f64;
    let step = steps
        .iter()
        .copied()
        .find(|s| span / s <= max_ticks)
        .unwrap_or_else(|| {
            let raw = span / max_ticks;
            let mag = 10f64.powf(raw.log10().floor());
            [1.0, 2.0, 5.0, 10.0]
                .iter()
                .map(|m| m * mag)
                .find(|s| *s >= raw)
                .unwrap_or(10.0 * mag)
        });
    let mut out = Vec::new();
    let mut t = (lo / step).ceil() * step;
    while t <= hi + step * 1e-9 && out.len() < 1000 {
        out.push(t);
        t += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hms_is_utc_and_wraps_days() {
        assert_eq!(hms(1_700_000_000), "22:13:20");
        assert_eq!(hms(-1), "23:59:59");
    }

    #[test]
    fn ticks_are_round() {
        let t = nice_ticks(0.0, 95.0, 6, &[]);
        assert_eq!(t, vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        let t = nice_ticks(1000.0, 1300.0, 6, &[30.0, 60.0]);
        assert_eq!(t.first(), Some(&1020.0));
    }
}
