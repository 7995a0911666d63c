//! The event timeline chart: UTC time across, one lane per row, milestone lines, interval bars
//! for events known only to a window, labels placed clear of each other (see [`super::labels`])
//! and a legend under the axis (see [`super::legend`]).

use std::rc::Rc;

use plotters::prelude::*;

use super::axis::TickedAxis;
use super::backend::{RecordingBackend, SCALE};
use super::labels::{self, LabelAsk};
use super::legend;
use super::{
    hms, nice_ticks, plot_err, plotters_rgb, take_ops, text_style, title_op, to_pt, ChartError,
    DrawnChart,
};
use crate::report::canvas::{palette, DrawOp, HAnchor, Pen, Rgb, TextOp, VAnchor};
use crate::report::chart::spec::TimelineChart;
use crate::report::fonts::{text_width, FontKind};

const LANE_H: f32 = 28.0;
const TITLE_H: f32 = 18.0;
const AXIS_H: f32 = 20.0;
const RIGHT_PAD: f32 = 14.0;
const LABEL_SIZE: f32 = 6.5;
const ROW_H: f32 = 9.0;
const TIME_STEPS: [f64; 16] = [
    1., 2., 5., 10., 15., 30., 60., 120., 300., 600., 900., 1800., 3600., 7200., 10800., 21600.,
];

/// Finds the first row whose occupied intervals leave room for `[x0, x1]`, and claims it.
fn claim(rows: &mut Vec<Vec<(f32, f32)>>, x0: f32, x1: f32, max_rows: usize) -> Option<usize> {
    let free = |row: &Vec<(f32, f32)>| row.iter().all(|&(a, b)| x1 + 3.0 < a || x0 > b + 3.0);
    let idx = match rows.iter().position(free) {
        Some(i) => i,
        None if rows.len() < max_rows => {
            rows.push(Vec::new());
            rows.len() - 1
        }
        None => return None,
    };
    rows[idx].push((x0, x1));
    Some(idx)
}

fn label(x: f32, y: f32, text: &str, h: HAnchor, color: Rgb) -> DrawOp {
    DrawOp::Text(TextOp {
        x,
        y,
        text: text.to_string(),
        font: FontKind::Regular,
        size: LABEL_SIZE,
        color,
        h,
        v: VAnchor::Baseline,
        rotate: 0.0,
    })
}

pub(super) fn draw(spec: &TimelineChart, width: f32) -> Result<DrawnChart, ChartError> {
    let lanes = spec.lanes.len();
    let lane_of = spec
        .points
        .iter()
        .map(|p| p.lane)
        .chain(spec.spans.iter().map(|s| s.lane));
    if let Some((index, lane)) = lane_of.enumerate().find(|(_, l)| *l >= lanes) {
        return Err(ChartError::LaneOutOfRange { index, lane, lanes });
    }
    if lanes == 0 || (spec.points.is_empty() && spec.spans.is_empty() && spec.markers.is_empty()) {
        let note = DrawOp::text(
            0.0,
            28.0,
            "No events to plot.",
            FontKind::Regular,
            8.0,
            palette::MUTED,
        );
        return Ok(DrawnChart {
            height: 36.0,
            ops: vec![title_op(&spec.title), note],
        });
    }

    // Time range with a margin so markers at the ends are not cut by the frame.
    let times = spec
        .points
        .iter()
        .map(|p| p.time)
        .chain(spec.spans.iter().flat_map(|s| [s.from, s.to]))
        .chain(spec.markers.iter().map(|m| m.time));
    let (lo, hi) = times.fold((i64::MAX, i64::MIN), |(a, b), t| (a.min(t), b.max(t)));
    let pad = ((hi - lo) as f64 * 0.06).max(20.0);
    let (t0, t1) = (lo as f64 - pad, hi as f64 + pad);

    let label_w = spec
        .lanes
        .iter()
        .map(|l| text_width(FontKind::Regular, 7.0, l))
        .fold(0.0, f32::max)
        + 12.0;
    let (plot_l, plot_r) = (label_w, width - RIGHT_PAD);
    let x_of = |t: f64| plot_l + ((t - t0) / (t1 - t0)) as f32 * (plot_r - plot_l);

    // Milestone labels go in rows above the plot.
    let mut marker_rows: Vec<Vec<(f32, f32)>> = Vec::new();
    let mut marker_labels = Vec::new();
    for m in &spec.markers {
        let w = text_width(FontKind::Regular, LABEL_SIZE, &m.label);
        let x =
            x_of(m.time as f64).clamp(plot_l + w / 2.0, (plot_r - w / 2.0).max(plot_l + w / 2.0));
        let row = claim(
            &mut marker_rows,
            x - w / 2.0,
            x + w / 2.0,
            spec.markers.len(),
        )
        .unwrap_or(0);
        marker_labels.push((x, row, m));
    }
    let zone_h = if marker_rows.is_empty() {
        0.0
    } else {
        marker_rows.len() as f32 * ROW_H + 4.0
    };
    let top = TITLE_H + zone_h;
    let plot_bottom = top + lanes as f32 * LANE_H;
    let legend_rows = legend::rows(&spec.legend, width);
    let legend_h = if legend_rows == 0 {
        0.0
    } else {
        legend_rows as f32 * legend::ROW_H + 6.0
    };
    let height = plot_bottom + AXIS_H + legend_h;

    let ops: super::OpList = Rc::default();
    let mut out = vec![title_op(&spec.title)];
    {
        let root =
            RecordingBackend::new(width, plot_bottom + AXIS_H, Rc::clone(&ops)).into_drawing_area();
        let (_, area) = root.split_vertically((top * SCALE) as i32);
        let xticks = nice_ticks(t0, t1, ((plot_r - plot_l) / 70.0) as usize, &TIME_STEPS);
        let yticks: Vec<f64> = (0..lanes).map(|i| i as f64).collect();
        let mut chart = ChartBuilder::on(&area)
            .margin_right((RIGHT_PAD * SCALE) as i32)
            .x_label_area_size((AXIS_H * SCALE) as i32)
            .y_label_area_size((label_w * SCALE) as i32)
            .build_cartesian_2d(
                TickedAxis::new(t0, t1, xticks),
                TickedAxis::new(-0.5, lanes as f64 - 0.5, yticks),
            )
            .map_err(plot_err)?;
        // Zebra lanes, lane 0 at the top.
        let bands = (0..lanes).filter(|i| i % 2 == 0).map(|i| {
            let y = (lanes - 1 - i) as f64;
            Rectangle::new(
                [(t0, y - 0.5), (t1, y + 0.5)],
                plotters_rgb(palette::ZEBRA).filled(),
            )
        });
        chart.draw_series(bands).map_err(plot_err)?;
        let names = spec.lanes.clone();
        let lane_name = move |v: &f64| {
            let i = lanes as i64 - 1 - v.round() as i64;
            usize::try_from(i)
                .ok()
                .and_then(|i| names.get(i).cloned())
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(plotters_rgb(palette::BAND))
            .light_line_style(TRANSPARENT)
            .axis_style(plotters_rgb(palette::MUTED))
            .label_style(text_style(7.0, palette::TEXT))
            .x_label_formatter(&|v| hms(*v as i64))
            .y_label_formatter(&lane_name)
            .draw()
            .map_err(plot_err)?;

        let line_xs: Vec<f32> = marker_labels
            .iter()
            .map(|m| x_of(m.2.time as f64))
            .collect();
        for &x in &line_xs {
            let pen = Pen::dashed(palette::MUTED, 0.6, 2.5);
            out.push(DrawOp::segment(x, top - 2.0, x, plot_bottom, pen));
        }

        let lane_y = |lane: usize| to_pt(chart.backend_coord(&(t0, (lanes - 1 - lane) as f64))).1;
        let mut asks = Vec::new();
        for s in &spec.spans {
            let (x0, x1) = (x_of(s.from as f64), x_of(s.to as f64));
            if s.to > s.from {
                out.push(legend::bar(s.marker, x0, x1, lane_y(s.lane)));
            } else {
                out.extend(legend::marker(s.marker, x0, lane_y(s.lane)));
            }
            if let Some(text) = &s.label {
                asks.push(LabelAsk {
                    lane: s.lane,
                    mark: (x0, x0.max(x1)),
                    text: text.clone(),
                    priority: s.priority,
                });
            }
        }
        for p in &spec.points {
            let cx = x_of(p.time as f64);
            out.extend(legend::marker(p.marker, cx, lane_y(p.lane)));
            if let Some(text) = &p.label {
                asks.push(LabelAsk {
                    lane: p.lane,
                    mark: (cx, cx),
                    text: text.clone(),
                    priority: p.priority,
                });
            }
        }
        let measure = |t: &str| text_width(FontKind::Regular, LABEL_SIZE, t);
        for l in labels::place(&asks, &measure, &line_xs, plot_l + 2.0, plot_r - 2.0) {
            let cy = lane_y(l.lane);
            let y = if l.above { cy - 4.5 } else { cy + 10.0 };
            if l.over_line {
                let band = if l.lane % 2 == 0 {
                    palette::ZEBRA
                } else {
                    palette::WHITE
                };
                out.push(DrawOp::fill_rect(
                    l.x0 - 1.0,
                    y - LABEL_SIZE * 0.8,
                    l.width + 2.0,
                    LABEL_SIZE * 1.1,
                    band,
                ));
            }
            out.push(label(l.x0, y, &l.text, HAnchor::Left, palette::TEXT));
        }
    }
    let mut all = take_ops(&ops);
    all.append(&mut out);
    for (x, row, m) in marker_labels {
        let y = TITLE_H + 7.0 + row as f32 * ROW_H;
        all.push(label(x, y, &m.label, HAnchor::Center, palette::MUTED));
    }
    all.extend(legend::draw(
        &spec.legend,
        width,
        plot_bottom + AXIS_H + 4.0,
    ));
    Ok(DrawnChart { height, ops: all })
}
