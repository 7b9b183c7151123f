//! Category scores as horizontal bars with target ticks (chart b).

use anyhow::Result;

use super::canvas::*;

/// One category of a [`CategoryBars`] chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CategoryBar {
    /// Category name.
    pub label: String,
    /// The score.
    pub value: Cell,
    /// The comparison score (e.g. the whole city), drawn as a thin grey bar.
    pub comparison: Cell,
    /// The target, drawn as a dark tick across the bar.
    pub target: Option<f64>,
    /// Bold label (e.g. 総合).
    pub emphasis: bool,
}

/// Horizontal bars of category scores with target ticks and an optional
/// comparison per bar (chart b); the numbers stand in columns at the right.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryBars {
    /// Categories, top to bottom.
    pub rows: Vec<CategoryBar>,
    /// Legend and column name of the scores, e.g. 総務課 or 令和7年度.
    pub value_name: String,
    /// Legend and column name of the comparison, e.g. 市全体; `None` hides
    /// the comparison bars and column.
    pub comparison_name: Option<String>,
    /// Legend name of the target ticks.
    pub target_name: String,
    /// The scale of the bars (default 0–100; extended to fit the values).
    pub range: (f64, f64),
    /// Width in points.
    pub width: f64,
}

impl Default for CategoryBars {
    fn default() -> CategoryBars {
        CategoryBars {
            rows: Vec::new(),
            value_name: "得点".to_string(),
            comparison_name: None,
            target_name: "目標".to_string(),
            range: (0.0, 100.0),
            width: TEXT_WIDTH,
        }
    }
}

/// Draws category scores as horizontal bars with target ticks and an
/// optional comparison (chart b).
pub fn category_bars(chart: &CategoryBars) -> Result<Chart> {
    let cells = chart.rows.iter().map(|r| r.value);
    if chart.rows.is_empty() {
        return no_data(chart.width, false);
    }
    if let Some(hidden) = nothing_to_draw(cells) {
        return no_data(chart.width, hidden);
    }
    let width = length(chart.width, 200.0, TEXT_WIDTH);
    let with_comparison = chart.comparison_name.is_some();
    let has_target = chart.rows.iter().any(|r| r.target.is_some_and(f64::is_finite));
    let values = chart.rows.iter().flat_map(|r| {
        [r.value.value(), if with_comparison { r.comparison.value() } else { None }, r.target]
            .into_iter()
            .flatten()
            .filter(|v| v.is_finite())
    });
    let range = fit_range(chart.range, values);

    let mut column_texts =
        vec![std::iter::once(chart.value_name.clone()).chain(chart.rows.iter().map(bar_value_text)).collect()];
    if let Some(name) = &chart.comparison_name {
        column_texts.push(
            std::iter::once(name.clone()).chain(chart.rows.iter().map(|r| value_text(r.comparison, ""))).collect(),
        );
    }
    let labels: Vec<_> = chart.rows.iter().map(|r| (r.label.as_str(), 0u8, r.emphasis)).collect();
    let frame = BarFrame::new(width, &labels, SIZE_LABEL, &column_texts, range, "");

    let mut legend = vec![(Swatch::Box(SERIES[0]), chart.value_name.clone())];
    if let Some(name) = &chart.comparison_name {
        legend.push((Swatch::ThinBox(COMPARISON), name.clone()));
    }
    if has_target {
        legend.push((Swatch::Tick(TARGET), chart.target_name.clone()));
    }
    let legend_h = legend_height(&legend, width - frame.plot_x0) + 6.0;

    let row_h = if with_comparison { 20.0 } else { 16.0 };
    let top = legend_h + 14.0;
    let height = top + row_h * chart.rows.len() as f64 + 4.0;

    svg(width, height, |c| {
        draw_legend(c, &legend, frame.plot_x0, 0.0, width - frame.plot_x0)?;
        frame.grid(c, top, height - 4.0, "")?;
        let header_font = Font::new(SIZE_TICK, MUTED);
        for (k, name) in std::iter::once(&chart.value_name).chain(chart.comparison_name.as_ref()).enumerate() {
            c.text(name, frame.columns[k], top - 3.0, header_font, Anchor::End)?;
        }
        for (i, row) in chart.rows.iter().enumerate() {
            let y = top + row_h * i as f64;
            if row.emphasis && i > 0 {
                c.line(&[(0.0, y), (width, y)], AXIS, 0.5)?;
            }
            let (bar_y0, bar_y1) = if with_comparison { (y + 3.0, y + 12.0) } else { (y + 3.0, y + row_h - 3.0) };
            frame.label(c, &row.label, 0, row.emphasis, (bar_y0 + bar_y1) / 2.0, SIZE_LABEL)?;
            match row.value.value() {
                Some(v) => c.rect(frame.plot_x0, bar_y0, frame.x_of(v), bar_y1, SERIES[0])?,
                None => frame.placeholder(c, row.value, bar_y0, bar_y1)?,
            }
            if let Some(v) = row.comparison.value().filter(|_| with_comparison) {
                c.rect(frame.plot_x0, y + 13.5, frame.x_of(v), y + 16.5, COMPARISON)?;
            }
            if let Some(t) = row.target.filter(|t| t.is_finite()) {
                let x = frame.x_of(t);
                c.rect(x - 0.75, bar_y0 - 2.0, x + 0.75, bar_y1 + 2.0, TARGET)?;
            }
            let value_font = Font::new(SIZE_VALUE, TEXT).bold(true);
            let value_cy = (bar_y0 + bar_y1) / 2.0;
            let main_font = if row.value.value().is_some() { value_font } else { Font::new(SIZE_SMALL, HIDDEN_TEXT) };
            c.text_mid(&bar_value_text(row), frame.columns[0], value_cy, main_font, Anchor::End)?;
            if with_comparison {
                let font = Font::new(SIZE_VALUE, MUTED);
                c.text_mid(&value_text(row.comparison, ""), frame.columns[1], value_cy, font, Anchor::End)?;
            }
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------

/// A bar's value as its column prints it: one decimal, or two where the value
/// is not its target tick yet would print as it (64.96 beside a tick at 65
/// reads 64.96, never 65.0; DESIGN §6).
fn bar_value_text(row: &CategoryBar) -> String {
    match row.value.value() {
        Some(v) if row.target.is_some() => crate::report::format::beside(v, row.target),
        _ => value_text(row.value, ""),
    }
}
