//! Grouped bar chart (detection latency per flow and stage); unknown values are hatched.

use std::rc::Rc;

use plotters::prelude::*;

use super::axis::TickedAxis;
use super::backend::{RecordingBackend, SCALE};
use super::{
    fmt_value, nice_ticks, plot_err, plotters_rgb, take_ops, text_style, title_op, to_pt,
    ChartError, DrawnChart,
};
use crate::report::canvas::{palette, DrawOp, HAnchor, Pen, TextOp, VAnchor};
use crate::report::chart::spec::BarChart;
use crate::report::fonts::{text_width, FontKind};
use crate::report::wrap::wrap_text;

const TITLE_H: f32 = 18.0;
const LEGEND_ROW: f32 = 12.0;
const BAR: f32 = 11.0;
const GAP: f32 = 3.0;
const GROUP_HEAD: f32 = 13.0;
const GROUP_GAP: f32 = 9.0;
const VERTICAL_PLOT_H: f32 = 170.0;
const SMALL: f32 = 6.5;

fn small(x: f32, y: f32, text: &str, font: FontKind, h: HAnchor, v: VAnchor) -> DrawOp {
    DrawOp::Text(TextOp {
        x,
        y,
        text: text.to_string(),
        font,
        size: SMALL,
        color: palette::TEXT,
        h,
        v,
        rotate: 0.0,
    })
}

/// Legend swatches flowing left to right; returns the ops and the height used.
fn legend(spec: &BarChart, width: f32, top: f32) -> (Vec<DrawOp>, f32) {
    let mut ops = Vec::new();
    let (mut x, mut y) = (0.0, top);
    for (i, s) in spec.series.iter().enumerate() {
        let w = 12.0 + text_width(FontKind::Regular, 7.0, &s.name) + 12.0;
        if x > 0.0 && x + w > width {
            x = 0.0;
            y += LEGEND_ROW;
        }
        let color = palette::SERIES[i % palette::SERIES.len()];
        ops.push(DrawOp::fill_rect(x, y + 2.0, 8.0, 7.0, color));
        ops.push(DrawOp::text(
            x + 11.0,
            y + 8.5,
            s.name.clone(),
            FontKind::Regular,
            7.0,
            palette::TEXT,
        ));
        x += w;
    }
    let unknown = spec
        .series
        .iter()
        .any(|s| s.values.iter().any(Option::is_none));
    if unknown {
        let w = 12.0 + text_width(FontKind::Regular, 7.0, "unknown (no evidence)");
        if x > 0.0 && x + w > width {
            x = 0.0;
            y += LEGEND_ROW;
        }
        ops.extend(hatch(x, y + 2.0, 8.0, 7.0));
        ops.push(DrawOp::text(
            x + 11.0,
            y + 8.5,
            "unknown (no evidence)",
            FontKind::Regular,
            7.0,
            palette::MUTED,
        ));
    }
    (ops, y + LEGEND_ROW - top + 4.0)
}

/// An outlined box with 45-degree hatching, for values that are not known.
pub(crate) fn hatch(x: f32, y: f32, w: f32, h: f32) -> Vec<DrawOp> {
    let pen = Pen::solid(palette::MUTED, 0.5);
    let mut ops = vec![DrawOp::Rect {
        x,
        y,
        w,
        h,
        fill: Some(palette::ZEBRA),
        pen: Some(pen),
    }];
    let mut k = -h;
    while k < w {
        let (mut sx, mut sy, mut ex, mut ey) = (x + k, y + h, x + k + h, y);
        if sx < x {
            sy -= x - sx;
            sx = x;
        }
        if ex > x + w {
            ey += ex - (x + w);
            ex = x + w;
        }
        if sx < ex {
            ops.push(DrawOp::segment(sx, sy, ex, ey, pen));
        }
        k += 3.5;
    }
    ops
}

pub(super) fn draw(spec: &BarChart, width: f32) -> Result<DrawnChart, ChartError> {
    let (ncat, nser) = (spec.categories.len(), spec.series.len());
    for s in &spec.series {
        if s.values.len() != ncat {
            return Err(ChartError::SeriesLength {
                series: s.name.clone(),
                values: s.values.len(),
                categories: ncat,
            });
        }
    }
    let mut out = vec![title_op(&spec.title)];
    if ncat == 0 || nser == 0 {
        out.push(DrawOp::text(
            0.0,
            28.0,
            "No values to plot.",
            FontKind::Regular,
            8.0,
            palette::MUTED,
        ));
        return Ok(DrawnChart {
            height: 36.0,
            ops: out,
        });
    }
    let (mut legend_ops, legend_h) = legend(spec, width, TITLE_H);
    out.append(&mut legend_ops);
    let top = TITLE_H + legend_h;

    let vmax = spec
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0f64, |a, &v| a.max(v));
    let vmax = if vmax > 0.0 { vmax * 1.2 } else { 1.0 };
    let vticks = nice_ticks(0.0, vmax, 6, &[]);
    let unit = spec.unit.clone();
    let tick_w = vticks
        .iter()
        .map(|v| text_width(FontKind::Regular, 7.0, &fmt_value(*v, &unit)))
        .fold(0.0, f32::max);

    // Band axis layout in points from the start of the plot.
    let (plot_len, label_area, cat_lines) = if spec.horizontal {
        let group = GROUP_HEAD + nser as f32 * (BAR + GAP) + GROUP_GAP;
        (group * ncat as f32, 20.0, Vec::new())
    } else {
        let plot_w = width - tick_w - 20.0;
        let lines: Vec<Vec<String>> = spec
            .categories
            .iter()
            .map(|c| wrap_text(c, FontKind::Regular, 7.0, plot_w / ncat as f32 - 6.0))
            .collect();
        let rows = lines.iter().map(Vec::len).max().unwrap_or(1) as f32;
        (plot_w, rows * 9.0 + 8.0, lines)
    };
    let height = top
        + if spec.horizontal {
            plot_len + label_area
        } else {
            VERTICAL_PLOT_H + label_area
        };

    let ops: super::OpList = Rc::default();
    {
        let root = RecordingBackend::new(width, height, Rc::clone(&ops)).into_drawing_area();
        let (_, area) = root.split_vertically((top * SCALE) as i32);
        let band = TickedAxis::new(0.0, f64::from(plot_len), Vec::new());
        let value = TickedAxis::new(0.0, vmax, vticks);
        let builder = &mut ChartBuilder::on(&area);
        builder.margin_right((12.0 * SCALE) as i32);
        let mut chart = if spec.horizontal {
            builder
                .x_label_area_size((label_area * SCALE) as i32)
                .y_label_area_size(1);
            builder.build_cartesian_2d(value, band).map_err(plot_err)?
        } else {
            builder
                .x_label_area_size((label_area * SCALE) as i32)
                .y_label_area_size(((tick_w + 10.0) * SCALE) as i32);
            builder.build_cartesian_2d(band, value).map_err(plot_err)?
        };
        let horizontal = spec.horizontal;
        let plot_len = f64::from(plot_len);
        // (band position from the plot start in points, value) -> chart coordinates.
        let at = move |b: f64, v: f64| {
            if horizontal {
                (v, plot_len - b)
            } else {
                (b, v)
            }
        };
        let fmt = |v: &f64| fmt_value(*v, &unit);
        let blank = |_: &f64| String::new();
        let mut mesh = chart.configure_mesh();
        mesh.bold_line_style(plotters_rgb(palette::BAND))
            .light_line_style(TRANSPARENT)
            .axis_style(plotters_rgb(palette::MUTED))
            .label_style(text_style(7.0, palette::TEXT));
        if horizontal {
            mesh.x_label_formatter(&fmt).y_label_formatter(&blank);
        } else {
            mesh.y_label_formatter(&fmt).x_label_formatter(&blank);
        }
        mesh.draw().map_err(plot_err)?;

        let group_len = if horizontal {
            f64::from(GROUP_HEAD + nser as f32 * (BAR + GAP) + GROUP_GAP)
        } else {
            plot_len / ncat as f64
        };
        let bar = if horizontal {
            f64::from(BAR)
        } else {
            (group_len * 0.7 / nser as f64).min(26.0)
        };
        let step = if horizontal {
            bar + f64::from(GAP)
        } else {
            bar
        };
        let first = |ci: usize| {
            let g0 = ci as f64 * group_len;
            if horizontal {
                g0 + f64::from(GROUP_HEAD)
            } else {
                g0 + (group_len - step * nser as f64) / 2.0
            }
        };
        for (si, s) in spec.series.iter().enumerate() {
            let color = plotters_rgb(palette::SERIES[si % palette::SERIES.len()]);
            let rects = s.values.iter().enumerate().filter_map(|(ci, v)| {
                let b0 = first(ci) + si as f64 * step;
                v.map(|v| Rectangle::new([at(b0, 0.0), at(b0 + bar, v)], color.filled()))
            });
            chart.draw_series(rects).map_err(plot_err)?;
        }
        // Value labels, unknown hatching and category names, in points.
        let unknown_len = vmax * 0.1;
        for (ci, cat) in spec.categories.iter().enumerate() {
            if horizontal {
                let (x, y) = to_pt(chart.backend_coord(&at(ci as f64 * group_len, 0.0)));
                out.push(DrawOp::text(
                    x + 2.0,
                    y + 9.0,
                    cat.clone(),
                    FontKind::Bold,
                    7.5,
                    palette::NAVY,
                ));
            } else {
                let (x, y) =
                    to_pt(chart.backend_coord(&at(ci as f64 * group_len + group_len / 2.0, 0.0)));
                for (li, line) in cat_lines.get(ci).into_iter().flatten().enumerate() {
                    out.push(small(
                        x,
                        y + 5.0 + li as f32 * 9.0,
                        line,
                        FontKind::Regular,
                        HAnchor::Center,
                        VAnchor::Top,
                    ));
                }
            }
            for (si, s) in spec.series.iter().enumerate() {
                let b0 = first(ci) + si as f64 * step;
                let v = s.values[ci];
                let (p0, p1) = (
                    to_pt(chart.backend_coord(&at(b0, 0.0))),
                    to_pt(chart.backend_coord(&at(b0 + bar, v.unwrap_or(unknown_len)))),
                );
                let (x0, y0, x1, y1) = (
                    p0.0.min(p1.0),
                    p0.1.min(p1.1),
                    p0.0.max(p1.0),
                    p0.1.max(p1.1),
                );
                if v.is_none() {
                    out.extend(hatch(x0, y0, x1 - x0, y1 - y0));
                }
                let text = v.map_or_else(|| "unknown".to_string(), |v| fmt_value(v, &spec.unit));
                let font = if v.is_some() {
                    FontKind::Bold
                } else {
                    FontKind::Regular
                };
                out.push(if horizontal {
                    small(
                        x1 + 3.0,
                        (y0 + y1) / 2.0,
                        &text,
                        font,
                        HAnchor::Left,
                        VAnchor::Center,
                    )
                } else {
                    small(
                        (x0 + x1) / 2.0,
                        y0 - 2.0,
                        &text,
                        font,
                        HAnchor::Center,
                        VAnchor::Bottom,
                    )
                });
            }
        }
    }
    let mut all = take_ops(&ops);
    all.append(&mut out);
    Ok(DrawnChart { height, ops: all })
}
