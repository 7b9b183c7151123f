//! Lines over fiscal years with targets and trajectories (chart a).

use anyhow::Result;

use super::canvas::*;

/// A line of a trend chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrendSeries {
    /// Name in the legend, e.g. 市全体 or 総務課.
    pub name: String,
    /// One value per year of [`TrendChart::years`]; missing and hidden
    /// values leave a gap in the line.
    pub values: Vec<Cell>,
}

/// A plan's target in a trend chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetMark {
    /// Label beside the mark and in the legend, e.g. `目標 65.0`.
    pub label: String,
    /// The target value.
    pub value: f64,
    /// Index into [`TrendChart::years`] of the target year: a diamond there;
    /// `None` draws a horizontal line across the chart instead.
    pub year: Option<usize>,
}

/// Lines over fiscal years (chart a): actual values, the target trajectory
/// and the target.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    /// Labels of the x axis, oldest first, e.g. R4 … R9.
    pub years: Vec<String>,
    /// Solid lines with markers, in palette order. The first one is the
    /// chart's subject: a year where it is hidden is marked 非表示 under the axis.
    pub series: Vec<TrendSeries>,
    /// The target trajectory, drawn dashed grey without markers.
    pub trajectory: Option<TrendSeries>,
    /// The target.
    pub target: Option<TargetMark>,
    /// The y axis; values outside are extended to (default 0–100).
    pub y_range: Option<(f64, f64)>,
    /// Print each point's value (one decimal) beside it.
    pub value_labels: bool,
    /// Draw the legend above the plot.
    pub legend: bool,
    /// Width in points.
    pub width: f64,
    /// Height in points.
    pub height: f64,
}

impl Default for TrendChart {
    fn default() -> TrendChart {
        TrendChart {
            years: Vec::new(),
            series: Vec::new(),
            trajectory: None,
            target: None,
            y_range: None,
            value_labels: true,
            legend: true,
            width: TEXT_WIDTH,
            height: 200.0,
        }
    }
}

/// Returns the highest value any series has at year index `i`.
pub(super) fn highest_at(chart: &TrendChart, i: usize) -> Option<f64> {
    chart.series.iter().filter_map(|s| s.values.get(i).and_then(|c| c.value())).max_by(f64::total_cmp)
}

/// Draws lines over fiscal years (chart a).
pub fn trend_lines(chart: &TrendChart) -> Result<Chart> {
    let n = chart.years.len();
    let subject_cells = chart.series.iter().flat_map(|s| s.values.iter().take(n).copied());
    if n == 0 {
        return no_data(chart.width, false);
    }
    if let Some(hidden) = nothing_to_draw(subject_cells) {
        return no_data(chart.width, hidden);
    }
    let width = length(chart.width, 120.0, TEXT_WIDTH);
    let height = length(chart.height, 80.0, 200.0);

    let all_values = chart
        .series
        .iter()
        .chain(chart.trajectory.as_ref())
        .flat_map(|s| s.values.iter().take(n).filter_map(|c| c.value()))
        .chain(chart.target.as_ref().map(|t| t.value).filter(|v| v.is_finite()));
    let (lo, hi) = fit_range(chart.y_range.unwrap_or((0.0, 100.0)), all_values);

    let mut legend = Vec::new();
    if chart.legend {
        for (i, s) in chart.series.iter().enumerate() {
            legend.push((Swatch::Line(SERIES[i % SERIES.len()], MARKERS[i % MARKERS.len()]), s.name.clone()));
        }
        if let Some(t) = &chart.trajectory {
            legend.push((Swatch::Dashed(TRAJECTORY), t.name.clone()));
        }
        if let Some(t) = &chart.target {
            let swatch = if t.year.is_some() { Swatch::Diamond(TARGET) } else { Swatch::Dashed(TARGET) };
            legend.push((swatch, t.label.clone()));
        }
    }
    let legend_h = if legend.is_empty() { 0.0 } else { legend_height(&legend, width) + 4.0 };

    let tick_font = Font::new(SIZE_TICK, MUTED);
    let value_font = Font::new(SIZE_SMALL, TEXT);
    let hidden_years: Vec<bool> = (0..n)
        .map(|i| chart.series.first().is_some_and(|s| s.values.get(i).copied().unwrap_or_default().is_hidden()))
        .collect();
    let bottom = 14.0 + if hidden_years.iter().any(|&h| h) { 9.0 } else { 0.0 };
    // Room above the top gridline for a value label or the target's label.
    let plot_y0 = legend_h + 12.0;
    let plot_y1 = height - bottom;
    // The axis ends on a tick, also when a value widened it.
    let step = tick_step(hi - lo, plot_y1 - plot_y0, 18.0);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let y_label_w = tick_font.width(&fmt_tick(lo, step)).max(tick_font.width(&fmt_tick(hi, step)));

    // A target line without a legend carries its label at its right end,
    // outside the plot where no point can be under it.
    let line_target = chart.target.as_ref().filter(|t| t.value.is_finite() && t.year.is_none_or(|i| i >= n));
    let target_font = Font::new(SIZE_SMALL, TARGET).bold(true);
    let target_label_w = match line_target {
        Some(t) if legend.is_empty() => target_font.width(&t.label) + 4.0,
        _ => 0.0,
    };
    let plot_x0 = y_label_w + 6.0;
    let plot_x1 = width - 4.0 - target_label_w;
    let step_x = (plot_x1 - plot_x0) / n as f64;
    let x_of = |i: usize| plot_x0 + (i as f64 + 0.5) * step_x;
    let y_of = |v: f64| plot_y1 - (v.clamp(lo, hi) - lo) / (hi - lo) * (plot_y1 - plot_y0);

    svg(width, height, |c| {
        if !legend.is_empty() {
            draw_legend(c, &legend, plot_x0, 0.0, width - plot_x0)?;
        }
        // Horizontal gridlines and y labels.
        for v in ticks(lo, hi, step) {
            let y = y_of(v);
            let color = if (v - lo).abs() < 1e-9 { AXIS } else { GRID };
            c.line(&[(plot_x0, y), (plot_x1, y)], color, if color == AXIS { 0.75 } else { 0.5 })?;
            c.text_mid(&fmt_tick(v, step), plot_x0 - 4.0, y, tick_font, Anchor::End)?;
        }
        // Year labels.
        let year_font = Font::new(SIZE_LABEL, TEXT);
        for (i, year) in chart.years.iter().enumerate() {
            let (label, font) = fit_text(year, step_x - 2.0, year_font);
            c.text(&label, x_of(i), plot_y1 + 11.0, font, Anchor::Middle)?;
            if hidden_years[i] {
                c.text(HIDDEN_LABEL, x_of(i), plot_y1 + 20.0, Font::new(SIZE_SMALL, HIDDEN_TEXT), Anchor::Middle)?;
            }
        }

        // Target: a horizontal line, or a diamond at its year.
        if let Some(t) = chart.target.as_ref().filter(|t| t.value.is_finite()) {
            let y = y_of(t.value);
            match t.year.filter(|&i| i < n) {
                None => {
                    c.dashed(&[(plot_x0, y), (plot_x1, y)], TARGET, 1.0, 4.0, 2.5)?;
                    if target_label_w > 0.0 {
                        c.text_mid(&t.label, plot_x1 + 4.0, y, target_font, Anchor::Start)?;
                    }
                }
                Some(i) => {
                    diamond(c, x_of(i), y, 4.0, TARGET)?;
                    let half = target_font.width(&t.label) / 2.0;
                    let x = x_of(i).clamp(plot_x0 + half, width - half - 1.0);
                    // A value at or above the target in the target year has its label
                    // above it: the target's label then goes below the diamond.
                    let below = highest_at(chart, i).is_some_and(|v| v >= t.value);
                    let baseline = if below { y + 7.0 + SIZE_SMALL * 0.72 } else { y - 7.0 };
                    c.text(&t.label, x, baseline, target_font, Anchor::Middle)?;
                }
            }
        }

        // Trajectory.
        if let Some(t) = &chart.trajectory {
            for run in runs(&t.values, n) {
                let points: Vec<_> = run.iter().map(|&(i, v)| (x_of(i), y_of(v))).collect();
                if points.len() > 1 {
                    c.dashed(&points, TRAJECTORY, 1.0, 3.0, 2.0)?;
                }
            }
        }

        // Series: lines, then markers on top; the first series (the
        // chart's subject) last, so that it is never covered.
        for (k, s) in chart.series.iter().enumerate().rev() {
            let color = SERIES[k % SERIES.len()];
            for run in runs(&s.values, n) {
                let points: Vec<_> = run.iter().map(|&(i, v)| (x_of(i), y_of(v))).collect();
                if points.len() > 1 {
                    c.line(&points, color, 1.5)?;
                }
            }
        }
        for (k, s) in chart.series.iter().enumerate().rev() {
            let color = SERIES[k % SERIES.len()];
            for (i, cell) in s.values.iter().take(n).enumerate() {
                if let Some(v) = cell.value() {
                    draw_marker(c, MARKERS[k % MARKERS.len()], x_of(i), y_of(v), color)?;
                }
            }
        }

        // Value labels: at each year the highest point's label goes above it,
        // the others' below, so two series do not print over each other; a
        // label that would overlap one already placed that year goes under
        // those, or else above its point (`label_baseline`).
        if chart.value_labels {
            for i in 0..n {
                let mut points: Vec<(usize, f64)> = chart
                    .series
                    .iter()
                    .enumerate()
                    .filter_map(|(k, s)| s.values.get(i).and_then(|c| c.value()).map(|v| (k, v)))
                    .collect();
                points.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                // Below a target diamond of that year, the highest label also goes
                // below its point, leaving the space above to the target's label.
                let under_target = chart
                    .target
                    .as_ref()
                    .filter(|t| t.value.is_finite() && t.year == Some(i))
                    .is_some_and(|t| points.first().is_some_and(|p| p.1 < t.value));
                // A target drawn as a line across the chart is kept clear too.
                let mut placed: Vec<(f64, f64)> =
                    line_target.map(|t| (y_of(t.value) - 1.0, y_of(t.value) + 1.0)).into_iter().collect();
                for (rank, (k, v)) in points.into_iter().enumerate() {
                    let y = y_of(v);
                    let above = rank == 0 && !under_target;
                    let Some(baseline) = label_baseline(y, above, &placed, plot_y0 - 12.0, height) else {
                        continue;
                    };
                    placed.push(label_box(baseline));
                    let font = Font { color: text_shade(SERIES[k % SERIES.len()]), ..value_font };
                    // A value that is not the target yet would print as it shows two
                    // decimals (64.96 beside 目標65 is short of it; DESIGN §6).
                    let text = match chart.target.as_ref().map(|t| t.value).filter(|t| t.is_finite()) {
                        Some(t) => crate::report::format::beside(v, Some(t)),
                        None => fmt1(v),
                    };
                    // A pale halo keeps the number readable over gridlines
                    // and the dashed trajectory.
                    let half = font.width(&text) / 2.0 + 1.0;
                    let x = x_of(i);
                    let (top, bottom) = label_box(baseline);
                    c.rect_alpha(x - half, top, x + half, bottom, WHITE, 0.8)?;
                    c.text(&text, x, baseline, font, Anchor::Middle)?;
                }
            }
        }
        Ok(())
    })
}

/// The top and bottom of a value label on `baseline`: its halo, and the room it takes.
fn label_box(baseline: f64) -> (f64, f64) {
    (baseline - SIZE_SMALL * 0.8, baseline + SIZE_SMALL * 0.15)
}

/// Where a point's value label goes: above the point at `y` (if `above`) or
/// below it, unless that overlaps a label already `placed` at the same year;
/// then under the lowest of those; then above the point. `None` when no place
/// between `top` and `bottom` is free: the label is left out (only where
/// several values crowd the foot of the chart).
fn label_baseline(y: f64, above: bool, placed: &[(f64, f64)], top: f64, bottom: f64) -> Option<f64> {
    let over = y - 5.5;
    let under = y + 5.5 + SIZE_SMALL * 0.72;
    let free = |b: f64| {
        let (t, u) = label_box(b);
        t >= top && u <= bottom && placed.iter().all(|&(pt, pu)| u <= pt || t >= pu)
    };
    if above && free(over) {
        return Some(over);
    }
    if free(under) {
        return Some(under);
    }
    // Under the labels of the higher points, so the labels keep the points' order.
    let lowest = placed.iter().map(|&(_, u)| u).fold(f64::MIN, f64::max);
    let below_all = lowest + SIZE_SMALL * 0.8 + 0.5;
    if free(below_all) {
        return Some(below_all);
    }
    free(over).then_some(over)
}

/// A darker shade of a series colour for its value labels.
pub(super) fn text_shade(color: RGBColor) -> RGBColor {
    mix(color, RGBColor(0, 0, 0), 0.25)
}

/// Splits values into runs of consecutive numbers (gaps at hidden or
/// missing values).
pub(super) fn runs(values: &[Cell], n: usize) -> Vec<Vec<(usize, f64)>> {
    let mut runs = Vec::new();
    let mut current = Vec::new();
    for (i, cell) in values.iter().take(n).enumerate() {
        match cell.value() {
            Some(v) => current.push((i, v)),
            None => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

// ---------------------------------------------------------------------------
// Horizontal bar frame shared by charts b, d and f
