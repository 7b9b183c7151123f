//! Grouped horizontal bars, e.g. a score by 年代 (chart d).

use anyhow::Result;

use super::canvas::*;

/// One group of a [`GroupedBars`] chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarGroup {
    /// Group name, e.g. 30代.
    pub label: String,
    /// One value per series.
    pub values: Vec<Cell>,
    /// Bold label (a group the plan watches).
    pub emphasis: bool,
}

/// How the series of a [`GroupedBars`] chart are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesColors {
    /// Distinct colours (blue, orange, green, …), for different things.
    #[default]
    Distinct,
    /// Shades of blue from pale to full, the last series full: for years,
    /// oldest first, so this year stands out.
    Sequence,
}

impl SeriesColors {
    fn color(self, k: usize, n: usize) -> RGBColor {
        match self {
            SeriesColors::Distinct => SERIES[k % SERIES.len()],
            SeriesColors::Sequence => {
                let from_last = n.saturating_sub(1).saturating_sub(k) as f64;
                mix(SERIES[0], WHITE, (from_last * 0.3).min(0.75))
            }
        }
    }
}

/// Grouped horizontal bars for demographic cuts (chart d): one group per
/// value of the cut, one bar per series; hidden values are labelled 非表示
/// instead of a bar.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedBars {
    /// Series names (legend; not drawn when there is a single series).
    pub series: Vec<String>,
    /// How the series are coloured.
    pub colors: SeriesColors,
    /// Groups, top to bottom.
    pub groups: Vec<BarGroup>,
    /// A reference line, e.g. the whole city's overall score.
    pub reference: Option<Reference>,
    /// The scale (default 0–100; extended to fit the values).
    pub range: (f64, f64),
    /// Width in points.
    pub width: f64,
}

impl Default for GroupedBars {
    fn default() -> GroupedBars {
        GroupedBars {
            series: Vec::new(),
            colors: SeriesColors::Distinct,
            groups: Vec::new(),
            reference: None,
            range: (0.0, 100.0),
            width: TEXT_WIDTH,
        }
    }
}

/// Draws grouped horizontal bars, e.g. a score by 年代 (chart d).
pub fn grouped_bars(chart: &GroupedBars) -> Result<Chart> {
    let n_series = chart.series.len().max(chart.groups.iter().map(|g| g.values.len()).max().unwrap_or(0));
    if chart.groups.is_empty() || n_series == 0 {
        return no_data(chart.width, false);
    }
    if let Some(hidden) = nothing_to_draw(chart.groups.iter().flat_map(|g| g.values.iter().copied())) {
        return no_data(chart.width, hidden);
    }
    let width = length(chart.width, 200.0, TEXT_WIDTH);
    let values = chart
        .groups
        .iter()
        .flat_map(|g| g.values.iter().filter_map(|c| c.value()))
        .chain(chart.reference.as_ref().map(|r| r.value).filter(|v| v.is_finite()));
    let range = fit_range(chart.range, values);
    let cell = |g: &BarGroup, k: usize| g.values.get(k).copied().unwrap_or_default();

    let column_texts =
        vec![chart.groups.iter().flat_map(|g| (0..n_series).map(move |k| value_text(cell(g, k), ""))).collect()];
    let labels: Vec<_> = chart.groups.iter().map(|g| (g.label.as_str(), 0u8, g.emphasis)).collect();
    let frame = BarFrame::new(width, &labels, SIZE_LABEL, &column_texts, range, "");

    let legend: Vec<_> = if n_series > 1 {
        chart
            .series
            .iter()
            .enumerate()
            .map(|(k, name)| (Swatch::Box(chart.colors.color(k, n_series)), name.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let legend_h = if legend.is_empty() { 0.0 } else { legend_height(&legend, width - frame.plot_x0) + 6.0 };
    let bar_h = if n_series > 1 { 8.0 } else { 11.0 };
    let bar_gap = 1.5;
    let group_pad = 5.0;
    let group_h = n_series as f64 * (bar_h + bar_gap) - bar_gap + 2.0 * group_pad;
    let reference_room = if chart.reference.is_some() { REFERENCE_ROOM } else { 0.0 };
    let top = legend_h + 14.0 + reference_room;
    let height = top + group_h * chart.groups.len() as f64 + 4.0;

    svg(width, height, |c| {
        if !legend.is_empty() {
            draw_legend(c, &legend, frame.plot_x0, 0.0, width - frame.plot_x0)?;
        }
        frame.grid(c, top, height - 4.0, "")?;
        for (i, group) in chart.groups.iter().enumerate() {
            let y = top + group_h * i as f64;
            if i > 0 {
                c.line(&[(0.0, y), (width, y)], GRID, 0.5)?;
            }
            frame.label(c, &group.label, 0, group.emphasis, y + group_h / 2.0, SIZE_LABEL)?;
            for k in 0..n_series {
                let y0 = y + group_pad + k as f64 * (bar_h + bar_gap);
                let y1 = y0 + bar_h;
                let v = cell(group, k);
                match v.value() {
                    Some(value) => c.rect(frame.plot_x0, y0, frame.x_of(value), y1, chart.colors.color(k, n_series))?,
                    None => frame.placeholder(c, v, y0, y1)?,
                }
                let font = if v.value().is_some() {
                    Font::new(SIZE_VALUE, TEXT).bold(group.emphasis)
                } else {
                    Font::new(SIZE_SMALL, HIDDEN_TEXT)
                };
                c.text_mid(&value_text(v, ""), frame.columns[0], (y0 + y1) / 2.0, font, Anchor::End)?;
            }
        }
        if let Some(reference) = &chart.reference {
            reference_line(c, &frame, reference, top, height - 4.0)?;
        }
        Ok(())
    })
}
